#include "results/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <signal.h>
#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <optional>
#include <stdexcept>
#include <thread>

#include "results/open.hpp"
#include "results/schema.hpp"
#include "results/stored_json.hpp"

namespace actsweep::results {
namespace {

double unixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Whether process `pid` exists on this host. kill(pid, 0) sends nothing; it
// fails with ESRCH only when there is no such process (EPERM: it exists but
// belongs to another user). pid <= 0 would address process groups, so it is
// treated as gone.
bool processAlive(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

// NaN means "not measured" (model/metrics.hpp): SQL NULL.
void bindMeasured(SQLite::Statement& statement, int index, double value) {
  if (std::isnan(value))
    statement.bind(index);
  else
    statement.bind(index, value);
}

void bindTextOrNull(SQLite::Statement& statement, int index, const std::string& value) {
  if (value.empty())
    statement.bind(index);
  else
    statement.bind(index, value);
}

// Typed columns come from the canonical config; a setting absent from it
// (it does not apply, or an older config) is NULL.
void bindConfigText(SQLite::Statement& statement, int index, const nlohmann::json& config, const char* key) {
  const auto found = config.find(key);
  if (found != config.end() && found->is_string())
    statement.bind(index, found->get<std::string>());
  else
    statement.bind(index);
}

void bindConfigNumber(SQLite::Statement& statement, int index, const nlohmann::json& config,
                      const char* key) {
  const auto found = config.find(key);
  if (found != config.end() && found->is_number())
    statement.bind(index, found->get<double>());
  else
    statement.bind(index);
}

void bindConfigInteger(SQLite::Statement& statement, int index, const nlohmann::json& config,
                       const char* key) {
  const auto found = config.find(key);
  if (found == config.end() || !found->is_number_integer()) {
    statement.bind(index);
  } else if (found->is_number_unsigned() &&
             found->get<std::uint64_t>() >
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    // A 64-bit seed beyond int64: kept exact as text (config_json has it too).
    statement.bind(index, std::to_string(found->get<std::uint64_t>()));
  } else {
    statement.bind(index, found->get<std::int64_t>());
  }
}

const char* const kStatusNames[] = {"pending", "running", "done", "failed", "diverged", "interrupted"};

}  // namespace

const char* statusName(RunStatus status) { return kStatusNames[static_cast<int>(status)]; }

struct Store::Impl {
  std::string path_;
  SQLite::Database db_;  // declared first: destroyed after the statements that use it
  // Statements finish() runs for every record: prepared once per connection.
  // Each use starts with tryReset(): after a failed step, reset() would
  // rethrow that old error (sqlite3_reset returns it).
  std::optional<SQLite::Statement> deleteEpochs_, deleteLayers_, insertEpoch_, insertLayer_, updateFinished_;
  // And those of claim() (a claim every few milliseconds with tiny runs:
  // preparing its select took a third of a claim), of setProgress() (every
  // running run, every second) and of renewLeases().
  std::optional<SQLite::Statement> claimSelect_, claimUpdate_, updateProgress_, renewLeases_;

  Impl(const std::string& path, int busyTimeoutMs)
      : path_(path), db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, busyTimeoutMs) {}

  // Every SQLite failure leaves the store as a StoreError naming the file;
  // the extended code (SQLITE_BUSY, SQLITE_NOTADB...) picks the hint.
  template <typename Action>
  auto guarded(const char* what, Action&& action) -> decltype(action()) {
    try {
      return action();
    } catch (const SQLite::Exception& e) {
      const int code = e.getErrorCode();
      std::string hint = "check the file and the disk";
      if (code == SQLITE_NOTADB)
        hint = "this file is not a SQLite database: choose another database path or move the file away";
      else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        hint = "another process held the database longer than the busy timeout: try again, or stop it";
      else if (code == SQLITE_CANTOPEN)
        hint = "check that the directory exists and is writable";
      else if (code == SQLITE_READONLY)
        hint = "the file or its directory is read-only (WAL needs to create -wal and -shm files beside it)";
      throw StoreError(path_ + ": " + what + ": " + e.what() + "; " + hint);
    }
  }

  void open() {
    const bool inMemory = path_ == ":memory:" || path_.empty();
    // SQLite opens a file it may not write read-only without a word; the
    // first write would fail midway instead.
    if (!inMemory && sqlite3_db_readonly(db_.getHandle(), "main") == 1)
      throw StoreError(path_ +
                       ": read-only (no write permission, or a read-only file system); make it "
                       "writable if actsweep may add to it, or choose another database path");
    // WAL: readers (the sqlite3 shell, pandas) never block the writer and see
    // the last committed state; NORMAL sync is durable at each checkpoint and
    // never corrupts in WAL mode, and it keeps one commit per run cheap.
    if (!inMemory) db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA foreign_keys = ON");
    schema::migrateToCurrent(db_, path_);
    // Temp tables (this connection only) of run keys: a join against an
    // indexed table instead of an IN list, since sweeps reach 100k runs, far
    // beyond SQLite's variable limit.
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS claimable_keys (run_key TEXT PRIMARY KEY)");
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS counted_keys (run_key TEXT PRIMARY KEY)");
    prepare();
  }

  // Two processes creating the same new database at once can get
  // SQLITE_BUSY without the busy handler being called: SQLite returns it at
  // once where waiting could deadlock (two connections switching a new file
  // to WAL). Opening is idempotent, so it is retried until the busy timeout.
  void openRetryingWhileBusy(int busyTimeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeoutMs);
    for (;;) {
      try {
        open();
        return;
      } catch (const SQLite::Exception& e) {
        const int primaryCode = e.getErrorCode() & 0xff;
        if ((primaryCode != SQLITE_BUSY && primaryCode != SQLITE_LOCKED) ||
            std::chrono::steady_clock::now() >= deadline)
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }

  void prepare() {
    deleteEpochs_.emplace(db_, "DELETE FROM epochs WHERE run_id = ?");
    deleteLayers_.emplace(db_, "DELETE FROM layer_stats WHERE run_id = ?");
    insertEpoch_.emplace(
        db_,
        "INSERT INTO epochs (run_id, epoch, train_loss, train_acc, val_loss, val_acc, test_loss, "
        "test_acc, lr, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertLayer_.emplace(
        db_,
        "INSERT INTO layer_stats (run_id, epoch, layer, dead_fraction, zero_fraction, act_mean, "
        "act_std, grad_norm, weight_norm, prelu_alpha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    updateFinished_.emplace(
        db_,
        "UPDATE runs SET status = ?1, error = ?2, started_at = COALESCE(?3, started_at), "
        "finished_at = ?4, wall_seconds = ?5, final_train_loss = ?6, final_test_loss = ?7, "
        "final_test_acc = ?8, best_val_acc = ?9, dead_fraction = ?10, born_dead = ?11, "
        "diverged_epoch = ?12, progress_epoch = ?13, lease_until = NULL "
        "WHERE run_id = ?14");

    // claim()'s candidates: one arm per status, each an ordered range of
    // runs_claim(status, estimated_cost DESC, run_id); SQLite merges the arms
    // (no sort), and claim() stops after maxCount rows: a claim costs what it
    // takes, not what the sweep holds. The unary + keeps the key test a
    // filter, so that the planner does not drive the loop from the key table
    // (and sort).
    const auto arm = [](const char* condition) {
      return std::string(
                 "SELECT r.run_id, r.run_key, r.config_json, r.attempts, r.estimated_cost AS cost, r.status, "
                 "r.pid, r.lease_until FROM runs r WHERE ") +
             condition + " AND +r.run_key IN temp.claimable_keys";
    };
    claimSelect_.emplace(db_, arm("r.status = 'pending'") + " UNION ALL " + arm("r.status = 'interrupted'") +
                                  " UNION ALL " + arm("?1 AND r.status = 'failed'") + " UNION ALL " +
                                  arm("r.status = 'running' AND (r.lease_until IS NULL OR r.lease_until < ?2 "
                                      "OR r.host = ?3)") +
                                  " ORDER BY cost DESC, run_id");
    claimUpdate_.emplace(db_,
                         "UPDATE runs SET status = 'running', host = ?1, pid = ?2, lease_until = ?3, "
                         "attempts = attempts + 1, started_at = ?4, error = NULL, progress_epoch = NULL, "
                         "finished_at = NULL WHERE run_id = ?5");
    updateProgress_.emplace(db_, "UPDATE runs SET progress_epoch = ? WHERE run_id = ?");
    renewLeases_.emplace(db_,
                         "UPDATE runs SET lease_until = ? WHERE status = 'running' AND host = ? AND pid = ?");
  }

  // Replaces the rows of temp table `table` by `keys`; inside a transaction.
  void loadKeys(const char* table, const std::vector<std::string>& keys) {
    db_.exec(std::string("DELETE FROM temp.") + table);
    SQLite::Statement insert(db_,
                             std::string("INSERT OR IGNORE INTO temp.") + table + " (run_key) VALUES (?)");
    for (const auto& key : keys) {
      insert.bind(1, key);
      insert.exec();
      insert.reset();
    }
  }

  void writeRecord(const RunRecord& record) {
    if (record.status == RunStatus::Pending || record.status == RunStatus::Running)
      throw std::invalid_argument(
          std::string("Store::finish: a record's status must be done, failed, diverged or "
                      "interrupted, not ") +
          statusName(record.status));
    // One transaction per run: its epochs, layers and final status land
    // together or not at all. IMMEDIATE takes the write lock up front, so
    // waiting for another writer goes through the busy timeout.
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);

    // A retried run replaces the rows of its earlier attempt.
    for (auto* deletion : {&*deleteLayers_, &*deleteEpochs_}) {
      deletion->tryReset();
      deletion->bind(1, record.runId);
      deletion->exec();
    }

    auto& epoch = *insertEpoch_;
    for (const auto& metrics : record.epochs) {
      epoch.tryReset();
      epoch.bind(1, record.runId);
      epoch.bind(2, metrics.epoch);
      bindMeasured(epoch, 3, metrics.trainLoss);
      bindMeasured(epoch, 4, metrics.trainAccuracy);
      bindMeasured(epoch, 5, metrics.validationLoss);
      bindMeasured(epoch, 6, metrics.validationAccuracy);
      bindMeasured(epoch, 7, metrics.testLoss);
      bindMeasured(epoch, 8, metrics.testAccuracy);
      bindMeasured(epoch, 9, metrics.learningRate);
      bindMeasured(epoch, 10, metrics.seconds);
      epoch.exec();
    }

    auto& layer = *insertLayer_;
    for (const auto& stats : record.layers) {
      layer.tryReset();
      layer.bind(1, record.runId);
      layer.bind(2, stats.epoch);
      layer.bind(3, stats.layer);
      bindMeasured(layer, 4, stats.deadFraction);
      bindMeasured(layer, 5, stats.zeroFraction);
      bindMeasured(layer, 6, stats.activationMean);
      bindMeasured(layer, 7, stats.activationStd);
      bindMeasured(layer, 8, stats.gradientNorm);
      bindMeasured(layer, 9, stats.weightNorm);
      bindMeasured(layer, 10, stats.preluSlope);
      layer.exec();
    }

    const auto& result = record.result;
    auto& update = *updateFinished_;
    update.tryReset();
    update.bind(1, statusName(record.status));
    bindTextOrNull(update, 2, record.error);
    bindTextOrNull(update, 3, record.startedAt);
    update.bind(4, record.finishedAt.empty() ? isoUtcNow() : record.finishedAt);
    update.bind(5, record.wallSeconds);
    bindMeasured(update, 6, result.final.trainLoss);
    bindMeasured(update, 7, result.final.testLoss);
    bindMeasured(update, 8, result.final.testAccuracy);
    bindMeasured(update, 9, result.bestValidationAccuracy);
    bindMeasured(update, 10, result.finalDeadFraction);
    update.bind(11, result.bornDead ? 1 : 0);
    if (result.divergedEpoch > 0)
      update.bind(12, result.divergedEpoch);
    else
      update.bind(12);
    update.bind(13, result.epochsCompleted);
    update.bind(14, record.runId);
    update.exec();

    transaction.commit();
  }
};

std::string isoUtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Store::Store(const std::string& path, int busyTimeoutMs) {
  // A foreign, damaged, newer or write-protected file is refused before
  // anything (the switch to WAL included) is written to it.
  checkBeforeWriting(path, busyTimeoutMs);
  // The Database constructor itself can fail (a missing directory), before an
  // Impl exists to translate the error.
  try {
    impl_ = new Impl(path, busyTimeoutMs);
  } catch (const SQLite::Exception& e) {
    throw StoreError(path + ": cannot open: " + e.what() +
                     "; check that the directory exists and is writable");
  }
  try {
    impl_->guarded("cannot open the results database", [&] { impl_->openRetryingWhileBusy(busyTimeoutMs); });
  } catch (...) {
    delete impl_;
    throw;
  }
}

Store::~Store() { delete impl_; }

std::int64_t Store::recordSweep(const SweepRecord& sweep) {
  return impl_->guarded("cannot record the sweep", [&] {
    SQLite::Statement insert(
        impl_->db_,
        "INSERT INTO sweeps (name, spec_yaml, spec_hash, overrides, created_at, host, version, "
        "git_rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, sweep.name);
    insert.bind(2, sweep.specText);
    insert.bind(3, sweep.specHash);
    insert.bind(4, sweep.overridesJson.empty() ? std::string("[]") : sweep.overridesJson);
    insert.bind(5, isoUtcNow());
    bindTextOrNull(insert, 6, sweep.host);
    bindTextOrNull(insert, 7, sweep.version);
    bindTextOrNull(insert, 8, sweep.gitRevision);
    insert.exec();
    return impl_->db_.getLastInsertRowid();
  });
}

int Store::addRuns(std::int64_t sweepId, const std::vector<RunToAdd>& runs) {
  return impl_->guarded("cannot add runs", [&] {
    // One transaction for the whole list: 100k inserts in one commit take
    // well under a second; 100k commits would take minutes.
    SQLite::Transaction transaction(impl_->db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(
        impl_->db_,
        "INSERT OR IGNORE INTO runs (run_key, sweep_id, activation, alpha, init, norm, depth, "
        "width, dataset, optimizer, lr, batch_size, epochs, seed, config_json, estimated_cost) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int added = 0;
    for (const auto& run : runs) {
      const auto& config = run.config;
      insert.reset();
      insert.bind(1, run.runKey);
      insert.bind(2, sweepId);
      bindConfigText(insert, 3, config, "model.activation");
      bindConfigNumber(insert, 4, config, "model.alpha");
      bindConfigText(insert, 5, config, "model.init");
      bindConfigText(insert, 6, config, "model.norm");
      // depth = number of hidden layers; width = the first one's units.
      const auto hidden = config.find("model.hidden");
      if (hidden != config.end() && hidden->is_array()) {
        insert.bind(7, static_cast<std::int64_t>(hidden->size()));
        if (!hidden->empty() && hidden->front().is_number_integer())
          insert.bind(8, hidden->front().get<std::int64_t>());
        else
          insert.bind(8);
      } else {
        insert.bind(7);
        insert.bind(8);
      }
      bindConfigText(insert, 9, config, "data.dataset");
      bindConfigText(insert, 10, config, "train.optimizer");
      bindConfigNumber(insert, 11, config, "train.lr");
      bindConfigInteger(insert, 12, config, "train.batch_size");
      bindConfigInteger(insert, 13, config, "train.epochs");
      bindConfigInteger(insert, 14, config, "seed");
      insert.bind(15, config.dump());
      insert.bind(16, run.estimatedCost);
      added += insert.exec();
    }
    transaction.commit();
    return added;
  });
}

void Store::setClaimableKeys(const std::vector<std::string>& runKeys) {
  impl_->guarded("cannot load the sweep's run keys", [&] {
    SQLite::Transaction transaction(impl_->db_);  // one commit, not one per key
    impl_->loadKeys("claimable_keys", runKeys);
    transaction.commit();
  });
}

void Store::removeClaimableKey(const std::string& runKey) {
  impl_->guarded("cannot update the sweep's run keys", [&] {
    SQLite::Statement remove(impl_->db_, "DELETE FROM temp.claimable_keys WHERE run_key = ?");
    remove.bind(1, runKey);
    remove.exec();
  });
}

std::vector<ClaimedRun> Store::claim(int maxCount, const Owner& owner, bool retryFailed) {
  if (maxCount <= 0) return {};
  return impl_->guarded("cannot claim runs", [&] {
    auto& db = impl_->db_;
    // BEGIN IMMEDIATE: the write lock is taken before reading, so two
    // processes cannot both read a run as pending and both claim it.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);

    const double now = unixNow();
    // Candidates, most expensive first (longest-first scheduling keeps the
    // tail of a sweep short). Running runs of other hosts are candidates only
    // once their lease expired; those of this host also when their process is
    // gone, which only C++ can check (below).
    SQLite::Statement& select = *impl_->claimSelect_;
    select.tryReset();
    select.bind(1, retryFailed ? 1 : 0);
    select.bind(2, now);
    select.bind(3, owner.host);

    std::vector<ClaimedRun> claimed;
    while (static_cast<int>(claimed.size()) < maxCount && select.executeStep()) {
      const std::string status = select.getColumn(5).getString();
      if (status == "running") {
        const bool leaseExpired = select.getColumn(7).isNull() || select.getColumn(7).getDouble() < now;
        // Same host, lease still valid: claimable only if its process died.
        if (!leaseExpired && processAlive(select.getColumn(6).getInt64())) continue;
      }
      ClaimedRun run;
      run.runId = select.getColumn(0).getInt64();
      run.runKey = select.getColumn(1).getString();
      run.config = parseStoredJson(select.getColumn(2).getString(),
                                   impl_->path_ + ": runs.config_json of run " + std::to_string(run.runId));
      run.attempts = select.getColumn(3).getInt() + 1;
      run.estimatedCost = select.getColumn(4).getDouble();
      claimed.push_back(std::move(run));
    }
    select.reset();  // updating rows under an open SELECT on the same table is best avoided

    SQLite::Statement& update = *impl_->claimUpdate_;
    const std::string startedAt = isoUtcNow();
    for (const auto& run : claimed) {
      update.tryReset();
      update.bind(1, owner.host);
      update.bind(2, static_cast<std::int64_t>(owner.pid));
      update.bind(3, now + owner.leaseSeconds);
      update.bind(4, startedAt);
      update.bind(5, run.runId);
      update.exec();
    }
    transaction.commit();
    return claimed;
  });
}

void Store::renewLeases(const Owner& owner) {
  impl_->guarded("cannot renew leases", [&] {
    SQLite::Statement& update = *impl_->renewLeases_;
    update.tryReset();
    update.bind(1, unixNow() + owner.leaseSeconds);
    update.bind(2, owner.host);
    update.bind(3, static_cast<std::int64_t>(owner.pid));
    update.exec();
  });
}

void Store::setProgress(std::int64_t runId, int epoch) {
  impl_->guarded("cannot record progress", [&] {
    SQLite::Statement& update = *impl_->updateProgress_;
    update.tryReset();
    update.bind(1, epoch);
    update.bind(2, runId);
    update.exec();
  });
}

void Store::finish(const std::vector<RunRecord>& records) {
  impl_->guarded("cannot write finished runs", [&] {
    for (const auto& record : records) impl_->writeRecord(record);
  });
}

void Store::release(const std::vector<std::int64_t>& runIds) {
  if (runIds.empty()) return;
  impl_->guarded("cannot release runs", [&] {
    SQLite::Transaction transaction(impl_->db_, SQLite::TransactionBehavior::IMMEDIATE);
    // Only runs still running: a run that finished meanwhile keeps its
    // result. The claim's attempt is taken back, since the run never started.
    SQLite::Statement update(
        impl_->db_,
        "UPDATE runs SET status = 'pending', host = NULL, pid = NULL, lease_until = NULL, "
        "started_at = NULL, progress_epoch = NULL, attempts = max(attempts - 1, 0) "
        "WHERE run_id = ? AND status = 'running'");
    for (const auto runId : runIds) {
      update.reset();
      update.bind(1, runId);
      update.exec();
    }
    transaction.commit();
  });
}

namespace {

constexpr const char* kCountColumns =
    "coalesce(sum(r.status = 'pending'), 0), coalesce(sum(r.status = 'running'), 0), "
    "coalesce(sum(r.status = 'done'), 0), coalesce(sum(r.status = 'failed'), 0), "
    "coalesce(sum(r.status = 'diverged'), 0), coalesce(sum(r.status = 'interrupted'), 0)";

void readCounts(SQLite::Statement& query, int first, StatusCounts& counts) {
  counts.pending = query.getColumn(first).getInt64();
  counts.running = query.getColumn(first + 1).getInt64();
  counts.done = query.getColumn(first + 2).getInt64();
  counts.failed = query.getColumn(first + 3).getInt64();
  counts.diverged = query.getColumn(first + 4).getInt64();
  counts.interrupted = query.getColumn(first + 5).getInt64();
}

}  // namespace

std::vector<StatusCounts> statusCountsOf(SQLite::Database& db) {
  // A run belongs to the sweep that first added it; sweeps that added no
  // run (a resume invocation) have no row here.
  SQLite::Statement query(db, std::string("SELECT s.sweep_id, s.name, ") + kCountColumns +
                                  " FROM sweeps s JOIN runs r ON r.sweep_id = s.sweep_id "
                                  "GROUP BY s.sweep_id ORDER BY s.sweep_id");
  std::vector<StatusCounts> all;
  while (query.executeStep()) {
    StatusCounts counts;
    counts.sweepId = query.getColumn(0).getInt64();
    counts.sweepName = query.getColumn(1).getString();
    readCounts(query, 2, counts);
    all.push_back(counts);
  }
  return all;
}

std::vector<StatusCounts> Store::statusCounts() {
  return impl_->guarded("cannot count runs", [&] { return statusCountsOf(impl_->db_); });
}

StatusCounts Store::countsFor(const std::vector<std::string>& runKeys) {
  StatusCounts counts;
  if (runKeys.empty()) return counts;
  return impl_->guarded("cannot count runs", [&] {
    // A transaction around the key load: one commit, not one per key.
    SQLite::Transaction transaction(impl_->db_);
    impl_->loadKeys("counted_keys", runKeys);
    SQLite::Statement query(impl_->db_, std::string("SELECT ") + kCountColumns +
                                            " FROM temp.counted_keys k JOIN runs r ON r.run_key = k.run_key");
    if (query.executeStep()) readCounts(query, 0, counts);
    query.reset();
    transaction.commit();
    return counts;
  });
}

}  // namespace actsweep::results
