#include "results/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <stdexcept>
#include <thread>

#include "results/open.hpp"
#include "results/run_columns.hpp"
#include "results/schema.hpp"
#include "results/status.hpp"
#include "results/store_impl.hpp"

namespace actsweep::results {

StoreError storeErrorOf(const std::string& path, const char* what, const SQLite::Exception& error) {
  const int code = error.getErrorCode();
  std::string hint = "check the file and the disk";
  if (code == SQLITE_NOTADB)
    hint = "this file is not a SQLite database: choose another database path or move the file away";
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    hint = "another process held the database longer than the busy timeout: try again, or stop it";
  else if (code == SQLITE_CANTOPEN)
    hint = "check that the directory exists and is writable";
  else if (code == SQLITE_READONLY)
    hint = "the file or its directory is read-only (WAL needs to create -wal and -shm files beside it)";
  return StoreError(path + ": " + what + ": " + error.what() + "; " + hint);
}

void StoreImpl::open() {
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
  prepareWrites();
  prepareClaims();
}

// Two processes creating the same new database at once can get
// SQLITE_BUSY without the busy handler being called: SQLite returns it at
// once where waiting could deadlock (two connections switching a new file
// to WAL). Opening is idempotent, so it is retried until the busy timeout.
void StoreImpl::openRetryingWhileBusy(int busyTimeoutMs) {
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

void StoreImpl::loadKeys(const char* table, const std::vector<std::string>& keys) {
  db_.exec(std::string("DELETE FROM temp.") + table);
  SQLite::Statement insert(
      db_, std::string("INSERT OR IGNORE INTO temp.") + table + " (run_key) VALUES (:run_key)");
  for (const auto& key : keys) {
    insert.bind(":run_key", key);
    insert.exec();
    insert.reset();
  }
}

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
  // The Database constructor itself can fail (a missing directory), before a
  // StoreImpl exists to translate the error.
  try {
    impl_ = std::make_unique<StoreImpl>(path, busyTimeoutMs);
  } catch (const SQLite::Exception& e) {
    throw StoreError(path + ": cannot open: " + e.what() +
                     "; check that the directory exists and is writable");
  }
  // On failure impl_, a member, is destroyed with the half-built Store.
  impl_->guarded("cannot open the results database", [&] { impl_->openRetryingWhileBusy(busyTimeoutMs); });
}

Store::~Store() = default;

std::int64_t Store::recordSweep(const SweepRecord& sweep) {
  return impl_->guarded("cannot record the sweep", [&] {
    SQLite::Statement insert(
        impl_->db_,
        "INSERT INTO sweeps (name, spec_yaml, spec_hash, overrides, created_at, host, version, "
        "git_rev) VALUES (:name, :spec_yaml, :spec_hash, :overrides, :created_at, :host, :version, "
        ":git_rev)");
    insert.bind(":name", sweep.name);
    insert.bind(":spec_yaml", sweep.specText);
    insert.bind(":spec_hash", sweep.specHash);
    insert.bind(":overrides", sweep.overridesJson.empty() ? std::string("[]") : sweep.overridesJson);
    insert.bind(":created_at", isoUtcNow());
    bindTextOrNull(insert, ":host", sweep.host);
    bindTextOrNull(insert, ":version", sweep.version);
    bindTextOrNull(insert, ":git_rev", sweep.gitRevision);
    insert.exec();
    return impl_->db_.getLastInsertRowid();
  });
}

namespace {

// INSERT OR IGNORE of a run: its key, sweep, typed columns (one parameter
// each, named after it: results/run_columns.hpp), config and cost.
std::string insertRunSql() {
  std::string columns = "run_key, sweep_id", parameters = ":run_key, :sweep_id";
  for (const RunColumn& column : runColumns()) {
    columns += ", " + column.name;
    parameters += ", :" + column.name;
  }
  return "INSERT OR IGNORE INTO runs (" + columns + ", config_json, estimated_cost) VALUES (" + parameters +
         ", :config_json, :estimated_cost)";
}

}  // namespace

int Store::addRuns(std::int64_t sweepId, const std::vector<RunToAdd>& runs) {
  return impl_->guarded("cannot add runs", [&] {
    // One transaction for the whole list: 100k inserts in one commit take
    // well under a second; 100k commits would take minutes.
    SQLite::Transaction transaction(impl_->db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(impl_->db_, insertRunSql());
    int added = 0;
    for (const auto& run : runs) {
      insert.reset();
      insert.bind(":run_key", run.runKey);
      insert.bind(":sweep_id", sweepId);
      bindRunColumns(insert, run.config);
      insert.bind(":config_json", run.config.dump());
      insert.bind(":estimated_cost", run.estimatedCost);
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
    SQLite::Statement remove(impl_->db_, "DELETE FROM temp.claimable_keys WHERE run_key = :run_key");
    remove.bind(":run_key", runKey);
    remove.exec();
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
        "WHERE run_id = :run_id AND status = 'running'");
    for (const auto runId : runIds) {
      update.reset();
      update.bind(":run_id", runId);
      update.exec();
    }
    transaction.commit();
  });
}

std::vector<StatusCounts> Store::statusCounts() {
  return impl_->guarded("cannot count runs", [&] { return statusCountsOf(impl_->db_); });
}

StatusCounts Store::countsFor(const std::vector<std::string>& runKeys) {
  if (runKeys.empty()) return StatusCounts{};
  return impl_->guarded("cannot count runs", [&] {
    // A transaction around the key load: one commit, not one per key.
    SQLite::Transaction transaction(impl_->db_);
    impl_->loadKeys("counted_keys", runKeys);
    const StatusCounts counts = statusCountsOfCountedKeys(impl_->db_);
    transaction.commit();
    return counts;
  });
}

}  // namespace actsweep::results
