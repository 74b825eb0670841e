// results::Store: schema creation and refusal, adding runs, atomic claims
// (longest first, leases, dead owners, two connections racing), finished
// records in one transaction, release and counts.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../sql_scalar.hpp"
#include "../temp_dir.hpp"
#include "results/open.hpp"
#include "results/report.hpp"
#include "results/run_columns.hpp"
#include "results/store.hpp"
#include "store_fixtures.hpp"

using namespace actsweep;
using namespace actsweep::results;
using actsweep::testing::addNumberedRuns;
using actsweep::testing::runNumbered;
using actsweep::testing::scalar;
using actsweep::testing::sweepNamed;
using actsweep::testing::TempDatabase;
using Catch::Matchers::Contains;

namespace {

// Claims among `keys` only, as the runner does for its sweep.
std::vector<ClaimedRun> claimAmong(Store& store, const std::vector<std::string>& keys, int maxCount,
                                   const Owner& owner, bool retryFailed) {
  store.setClaimableKeys(keys);
  return store.claim(maxCount, owner, retryFailed);
}

std::vector<std::string> keysOf(const std::vector<RunToAdd>& runs) {
  std::vector<std::string> keys;
  for (const auto& run : runs) keys.push_back(run.runKey);
  return keys;
}

std::vector<std::string> keysOf(const std::vector<ClaimedRun>& runs) {
  std::vector<std::string> keys;
  for (const auto& run : runs) keys.push_back(run.runKey);
  return keys;
}

Owner ownerHere(double leaseSeconds = 600) {
  return Owner{"test-host", static_cast<long>(::getpid()), leaseSeconds};
}

std::string statusOf(SQLite::Database& db, const std::string& runKey) {
  SQLite::Statement query(db, "SELECT status FROM runs WHERE run_key = ?");
  query.bind(1, runKey);
  REQUIRE(query.executeStep());
  return query.getColumn(0).getString();
}

// A pid that existed and no longer does: a child that exited and was reaped.
long deadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

RunRecord recordFor(std::int64_t runId, int epochs, int layers) {
  RunRecord record;
  record.runId = runId;
  record.status = RunStatus::Done;
  for (int e = 0; e <= epochs; ++e) {
    model::EpochMetrics metrics;
    metrics.epoch = e;
    metrics.trainLoss = 1.0 / (e + 1);
    metrics.trainAccuracy = 0.5 + 0.1 * e;
    metrics.testLoss = 1.1 / (e + 1);
    metrics.testAccuracy = 0.4 + 0.1 * e;
    metrics.learningRate = e == 0 ? model::kNotMeasured : 0.1;
    metrics.seconds = 0.25;
    record.epochs.push_back(metrics);
    for (int l = 1; l <= layers; ++l) {
      model::LayerStats stats;
      stats.epoch = e;
      stats.layer = l;
      stats.deadFraction = 0.1 * l;
      stats.zeroFraction = 0.5;
      stats.activationMean = 0.3;
      stats.activationStd = 0.7;
      stats.gradientNorm = 0.01;
      stats.weightNorm = 4;
      record.layers.push_back(stats);
    }
  }
  record.result.epochsCompleted = epochs;
  record.result.final = record.epochs.back();
  record.result.finalDeadFraction = 0.2;
  record.wallSeconds = 1.5;
  return record;
}

}  // namespace

TEST_CASE("a new database gets the current schema version and every table", "[db]") {
  TempDatabase file;
  { Store store(file.path); }
  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() ==
        std::to_string(kSchemaVersion));
  CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'created_by'").getString() == "actsweep");
  for (const char* table : {"meta", "sweeps", "runs", "epochs", "layer_stats", "run_summary"}) {
    SQLite::Statement query(db, "SELECT count(*) FROM sqlite_master WHERE name = ?");
    query.bind(1, table);
    REQUIRE(query.executeStep());
    CHECK(query.getColumn(0).getInt() == 1);
  }
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(statusName(RunStatus::Interrupted) == std::string("interrupted"));
}

TEST_CASE("an in-memory store works", "[db]") {
  Store store(":memory:");
  const auto runs = addNumberedRuns(store, 3);
  CHECK(claimAmong(store, keysOf(runs), 10, ownerHere(), false).size() == 3);
}

TEST_CASE("reopening a database keeps its data", "[db]") {
  TempDatabase file;
  {
    Store store(file.path);
    addNumberedRuns(store, 5);
  }
  Store store(file.path);
  const auto counts = store.statusCounts();
  REQUIRE(counts.size() == 1);
  CHECK(counts[0].sweepName == "s");
  CHECK(counts[0].pending == 5);
}

TEST_CASE("a database with a newer schema is refused", "[db]") {
  TempDatabase file;
  { Store store(file.path); }
  {
    SQLite::Database db(file.path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE meta SET value = '" + std::to_string(kSchemaVersion + 1) +
            "' WHERE key = 'schema_version'");
  }
  CHECK_THROWS_AS(Store(file.path), StoreError);
  CHECK_THROWS_WITH(Store(file.path), Contains(file.path));
  CHECK_THROWS_WITH(Store(file.path), Contains("newer") && Contains("upgrade actsweep"));
}

TEST_CASE("a database with an unknown meta or foreign tables is refused", "[db]") {
  TempDatabase file;
  SECTION("no schema_version") {
    { Store store(file.path); }
    SQLite::Database(file.path, SQLite::OPEN_READWRITE).exec("DELETE FROM meta WHERE key = 'schema_version'");
    CHECK_THROWS_WITH(Store(file.path), Contains("schema_version"));
  }
  SECTION("another program's tables") {
    SQLite::Database(file.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE t(x)");
    CHECK_THROWS_WITH(Store(file.path), Contains("not an actsweep results database"));
  }
}

TEST_CASE("a file that is not SQLite is refused with one line", "[db]") {
  TempDatabase file;
  std::ofstream(file.path) << "name: not a database\n" << std::string(4096, 'x') << "\n";
  try {
    Store store(file.path);
    FAIL("no StoreError");
  } catch (const StoreError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Contains(file.path) && Contains("not a SQLite database"));
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("a database in a missing directory is refused", "[db]") {
  const auto path = (std::filesystem::temp_directory_path() / "actsweep-no-such-dir-4711" / "r.db").string();
  CHECK_THROWS_AS(Store(path), StoreError);
}

TEST_CASE("the schema's status CHECK allows the statuses of runStatuses() and nothing else", "[db]") {
  TempDatabase file;
  {
    Store store(file.path);
    addNumberedRuns(store, 1);
  }
  SQLite::Database db(file.path, SQLite::OPEN_READWRITE);
  // The stored schema text lists them in the table's order.
  std::string list;
  for (const RunStatusEntry& entry : runStatuses())
    list += (list.empty() ? "'" : ",'") + std::string(entry.name) + "'";
  const std::string runsSql = db.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'runs'").getString();
  CHECK_THAT(runsSql, Contains("CHECK (status IN (" + list + "))"));
  for (const RunStatusEntry& entry : runStatuses()) {
    INFO(entry.name);
    CHECK(statusName(entry.status) == std::string(entry.name));
    SQLite::Statement update(db, "UPDATE runs SET status = :status");
    update.bind(":status", entry.name);
    CHECK_NOTHROW(update.exec());
    StatusCounts counts;
    counts[entry.status] = 7;
    CHECK(counts.*entry.count == 7);
    CHECK(counts.total() == 7);
  }
  CHECK_THROWS_WITH(db.exec("UPDATE runs SET status = 'bogus'"), Contains("CHECK constraint failed"));
}

TEST_CASE("runColumns() are the typed columns of runs, in schema order, of the declared types", "[db]") {
  TempDatabase file;
  { Store created(file.path); }
  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  SQLite::Statement columns(
      db,
      "SELECT name, type FROM pragma_table_info('runs') WHERE cid > "
      "(SELECT cid FROM pragma_table_info('runs') WHERE name = 'sweep_id') AND cid < "
      "(SELECT cid FROM pragma_table_info('runs') WHERE name = 'config_json') ORDER BY cid");
  std::size_t i = 0;
  while (columns.executeStep()) {
    REQUIRE(i < runColumns().size());
    const RunColumn& column = runColumns()[i++];
    CHECK(columns.getColumn("name").getString() == column.name);
    const std::string type = column.kind == ColumnKind::Text   ? "TEXT"
                             : column.kind == ColumnKind::Real ? "REAL"
                                                               : "INTEGER";
    CHECK(columns.getColumn("type").getString() == type);
    CHECK(findRunColumn(column.name) == &column);
  }
  CHECK(i == runColumns().size());
  CHECK(findRunColumn("config_json") == nullptr);
}

TEST_CASE("addRuns inserts new run keys only, with typed columns", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto first = store.recordSweep(sweepNamed("first"));
  const auto second = store.recordSweep(sweepNamed("second"));
  CHECK(second != first);
  std::vector<RunToAdd> runs = {runNumbered(0, 5), runNumbered(1, 6)};
  runs[1].config.erase("model.alpha");
  runs[1].config["model.hidden"] = nlohmann::json::array();
  CHECK(store.addRuns(first, runs) == 2);
  CHECK(store.addRuns(second, runs) == 0);
  runs.push_back(runNumbered(2, 7));
  CHECK(store.addRuns(second, runs) == 1);

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  SQLite::Statement row(
      db,
      "SELECT sweep_id, activation, alpha, init, norm, depth, width, dataset, optimizer, lr, "
      "batch_size, epochs, seed, status, attempts, estimated_cost, config_json "
      "FROM runs WHERE run_key = 'key0'");
  REQUIRE(row.executeStep());
  CHECK(row.getColumn(0).getInt64() == first);
  CHECK(row.getColumn(1).getString() == "leaky_relu");
  CHECK(row.getColumn(2).getDouble() == 0.0);
  CHECK(row.getColumn(3).getString() == "he");
  CHECK(row.getColumn(4).getString() == "none");
  CHECK(row.getColumn(5).getInt() == 2);
  CHECK(row.getColumn(6).getInt() == 64);
  CHECK(row.getColumn(7).getString() == "spirals");
  CHECK(row.getColumn(8).getString() == "sgd");
  CHECK(row.getColumn(9).getDouble() == 0.1);
  CHECK(row.getColumn(10).getInt() == 32);
  CHECK(row.getColumn(11).getInt() == 3);
  CHECK(row.getColumn(12).getInt() == 0);
  CHECK(row.getColumn(13).getString() == "pending");
  CHECK(row.getColumn(14).getInt() == 0);
  CHECK(row.getColumn(15).getDouble() == 5.0);
  CHECK(nlohmann::json::parse(row.getColumn(16).getString()) == runs[0].config);

  SQLite::Statement noAlpha(
      db, "SELECT alpha IS NULL, depth, width IS NULL, sweep_id FROM runs WHERE run_key = 'key1'");
  REQUIRE(noAlpha.executeStep());
  CHECK(noAlpha.getColumn(0).getInt() == 1);
  CHECK(noAlpha.getColumn(1).getInt() == 0);
  CHECK(noAlpha.getColumn(2).getInt() == 1);
  CHECK(noAlpha.getColumn(3).getInt64() == first);  // a run belongs to the sweep that first added it
}

TEST_CASE("claim hands out the most expensive claimable runs first", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto runs = addNumberedRuns(store, 6);
  const auto keys = keysOf(runs);

  const auto firstBatch = claimAmong(store, keys, 2, ownerHere(), false);
  CHECK(keysOf(firstBatch) == std::vector<std::string>{"key5", "key4"});
  CHECK(firstBatch[0].attempts == 1);
  CHECK(firstBatch[0].estimatedCost == 5);
  CHECK(firstBatch[0].config == runs[5].config);

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(statusOf(db, "key5") == "running");
  {
    SQLite::Statement row(db,
                          "SELECT host, pid, lease_until > unixepoch(), attempts, started_at FROM runs "
                          "WHERE run_key = 'key5'");
    REQUIRE(row.executeStep());
    CHECK(row.getColumn(0).getString() == "test-host");
    CHECK(row.getColumn(1).getInt64() == ::getpid());
    CHECK(row.getColumn(2).getInt() == 1);
    CHECK(row.getColumn(3).getInt() == 1);
    CHECK_THAT(row.getColumn(4).getString(), Catch::Matchers::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
  }
  // Running with a live owner and a valid lease: never handed out twice.
  CHECK(keysOf(claimAmong(store, keys, 2, ownerHere(), false)) == std::vector<std::string>{"key3", "key2"});

  // Only the given keys are considered.
  CHECK(keysOf(claimAmong(store, {"key0", "key5", "nonexistent"}, 10, ownerHere(), false)) ==
        std::vector<std::string>{"key0"});
}

TEST_CASE("claim never returns done or diverged runs; failed only when retrying", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto runs = addNumberedRuns(store, 4);
  const auto keys = keysOf(runs);
  const auto claimed = claimAmong(store, keys, 4, ownerHere(), false);
  REQUIRE(claimed.size() == 4);  // key3 key2 key1 key0

  std::vector<RunRecord> records;
  const RunStatus outcomes[] = {RunStatus::Done, RunStatus::Diverged, RunStatus::Failed,
                                RunStatus::Interrupted};
  for (int i = 0; i < 4; ++i) {
    records.push_back(recordFor(claimed[static_cast<std::size_t>(i)].runId, 1, 1));
    records.back().status = outcomes[i];
  }
  records[2].error = "boom";
  store.finish(records);

  // key3 done, key2 diverged, key1 failed, key0 interrupted.
  CHECK(keysOf(claimAmong(store, keys, 10, ownerHere(), false)) == std::vector<std::string>{"key0"});
  const auto retried = claimAmong(store, keys, 10, ownerHere(), true);
  REQUIRE(keysOf(retried) == std::vector<std::string>{"key1"});
  CHECK(retried[0].attempts == 2);

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT error IS NULL FROM runs WHERE run_key = 'key1'").getInt() == 1);
  CHECK(statusOf(db, "key3") == "done");
  CHECK(statusOf(db, "key2") == "diverged");
}

TEST_CASE("two connections claiming concurrently get disjoint runs covering all", "[db]") {
  TempDatabase file;
  constexpr int kRuns = 300;
  std::vector<std::string> keys;
  {
    Store store(file.path);
    keys = keysOf(addNumberedRuns(store, kRuns));
  }
  std::vector<std::string> claimedBy[2];
  std::atomic<int> ready{0};
  auto worker = [&](int index) {
    Store store(file.path);
    // Both connections open before either claims, so that the claims overlap.
    ++ready;
    while (ready < 2) std::this_thread::yield();
    for (;;) {
      const auto batch = claimAmong(store, keys, 3, ownerHere(), false);
      if (batch.empty()) break;
      for (const auto& run : batch) claimedBy[index].push_back(run.runKey);
      // A moment's "training" between claims, as a runner has: without it
      // one connection can take every batch while the other waits for the lock.
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  };
  std::thread first(worker, 0), second(worker, 1);
  first.join();
  second.join();

  std::vector<std::string> all = claimedBy[0];
  all.insert(all.end(), claimedBy[1].begin(), claimedBy[1].end());
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  INFO("claimed by each: " << claimedBy[0].size() << " and " << claimedBy[1].size());
  CHECK(all == expected);  // every run exactly once: no duplicate, none missing
  CHECK(scalar(file.path, "SELECT count(*) FROM runs WHERE status = 'running' AND attempts = 1") == kRuns);
}

TEST_CASE("a running run whose lease expired is reclaimed", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 2));
  // Other hosts, whose processes we cannot check: only their leases count.
  const Owner renewing{"third-host", 12345, 600};
  REQUIRE(keysOf(claimAmong(store, keys, 1, renewing, false)) == std::vector<std::string>{"key1"});
  const Owner elsewhere{"other-host", 12345, -1};  // a lease that has already run out
  REQUIRE(keysOf(claimAmong(store, keys, 1, elsewhere, false)) == std::vector<std::string>{"key0"});

  const auto reclaimed = claimAmong(store, keys, 10, ownerHere(), false);
  REQUIRE(keysOf(reclaimed) == std::vector<std::string>{"key0"});
  CHECK(reclaimed[0].attempts == 2);

  // renewLeases extends only the owner's own runs.
  store.renewLeases(Owner{"test-host", static_cast<long>(::getpid()), 3600});
  CHECK(scalar(file.path, "SELECT lease_until > unixepoch() + 3000 FROM runs WHERE run_key = 'key0'") == 1);
  CHECK(scalar(file.path, "SELECT lease_until < unixepoch() + 700 FROM runs WHERE run_key = 'key1'") == 1);
}

TEST_CASE("a running run of a dead process on this host is reclaimed", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 1));
  const Owner dead{"test-host", deadPid(), 3600};
  REQUIRE(claimAmong(store, keys, 1, dead, false).size() == 1);

  // Another host cannot see the pid: the lease still holds there.
  CHECK(claimAmong(store, keys, 1, Owner{"other-host", static_cast<long>(::getpid()), 60}, false).empty());
  const auto reclaimed = claimAmong(store, keys, 1, ownerHere(), false);
  REQUIRE(reclaimed.size() == 1);
  CHECK(reclaimed[0].attempts == 2);
  // Now owned by a live process (this one): not claimable again.
  CHECK(claimAmong(store, keys, 1, ownerHere(), false).empty());
}

TEST_CASE("finish writes epochs, layers and final columns in one transaction", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 2));
  const auto claimed = claimAmong(store, keys, 2, ownerHere(), false);
  REQUIRE(claimed.size() == 2);
  store.setProgress(claimed[0].runId, 2);
  CHECK(scalar(file.path, "SELECT progress_epoch FROM runs WHERE run_key = 'key1'") == 2);

  RunRecord record = recordFor(claimed[0].runId, 3, 2);  // epochs 0..3, 2 layers
  record.result.bestValidationAccuracy = model::kNotMeasured;
  record.result.bornDead = true;
  record.startedAt = "2024-01-02T03:04:05Z";
  record.finishedAt = "2024-01-02T03:04:07Z";
  RunRecord diverged = recordFor(claimed[1].runId, 1, 1);
  diverged.status = RunStatus::Diverged;
  diverged.result.outcome = model::Outcome::Diverged;
  diverged.result.divergedEpoch = 2;
  diverged.result.final.trainLoss = std::nan("");
  store.finish({record, diverged});

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(
      db.execAndGet("SELECT count(*) FROM epochs WHERE run_id = " + std::to_string(record.runId)).getInt() ==
      4);
  CHECK(db.execAndGet("SELECT count(*) FROM layer_stats WHERE run_id = " + std::to_string(record.runId))
            .getInt() == 8);
  // NaN (not measured) is NULL.
  CHECK(db.execAndGet("SELECT count(*) FROM epochs WHERE val_loss IS NULL AND val_acc IS NULL").getInt() ==
        6);
  CHECK(db.execAndGet("SELECT lr IS NULL FROM epochs WHERE epoch = 0 LIMIT 1").getInt() == 1);
  CHECK(db.execAndGet("SELECT count(*) FROM layer_stats WHERE prelu_alpha IS NULL").getInt() == 10);
  CHECK(db.execAndGet("SELECT dead_fraction FROM layer_stats WHERE layer = 2 LIMIT 1").getDouble() ==
        Approx(0.2));

  SQLite::Statement row(
      db,
      "SELECT status, final_train_loss, final_test_loss, final_test_acc, best_val_acc IS NULL, "
      "dead_fraction, born_dead, diverged_epoch IS NULL, wall_seconds, started_at, finished_at, "
      "lease_until IS NULL, error IS NULL, progress_epoch FROM runs WHERE run_id = ?");
  row.bind(1, record.runId);
  REQUIRE(row.executeStep());
  CHECK(row.getColumn(0).getString() == "done");
  CHECK(row.getColumn(1).getDouble() == Approx(0.25));
  CHECK(row.getColumn(2).getDouble() == Approx(1.1 / 4));
  CHECK(row.getColumn(3).getDouble() == Approx(0.7));
  CHECK(row.getColumn(4).getInt() == 1);
  CHECK(row.getColumn(5).getDouble() == Approx(0.2));
  CHECK(row.getColumn(6).getInt() == 1);
  CHECK(row.getColumn(7).getInt() == 1);  // not diverged: NULL, not 0
  CHECK(row.getColumn(8).getDouble() == 1.5);
  CHECK(row.getColumn(9).getString() == "2024-01-02T03:04:05Z");
  CHECK(row.getColumn(10).getString() == "2024-01-02T03:04:07Z");
  CHECK(row.getColumn(11).getInt() == 1);
  CHECK(row.getColumn(12).getInt() == 1);
  CHECK(row.getColumn(13).getInt() == 3);

  SQLite::Statement divergedRow(db,
                                "SELECT status, diverged_epoch, final_train_loss IS NULL, born_dead "
                                "FROM runs WHERE run_id = ?");
  divergedRow.bind(1, diverged.runId);
  REQUIRE(divergedRow.executeStep());
  CHECK(divergedRow.getColumn(0).getString() == "diverged");
  CHECK(divergedRow.getColumn(1).getInt() == 2);
  CHECK(divergedRow.getColumn(2).getInt() == 1);
  CHECK(divergedRow.getColumn(3).getInt() == 0);

  CHECK(db.execAndGet("SELECT count(*) FROM run_summary").getInt() == 2);
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() == 0);
}

TEST_CASE("a retried run replaces the rows of its earlier attempt", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 1));
  auto claimed = claimAmong(store, keys, 1, ownerHere(), false);
  REQUIRE(claimed.size() == 1);
  RunRecord failed = recordFor(claimed[0].runId, 5, 3);
  failed.status = RunStatus::Failed;
  failed.error = "out of memory";
  store.finish({failed});

  claimed = claimAmong(store, keys, 1, ownerHere(), true);
  REQUIRE(claimed.size() == 1);
  store.finish({recordFor(claimed[0].runId, 2, 1)});

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT count(*) FROM epochs").getInt() == 3);
  CHECK(db.execAndGet("SELECT max(epoch) FROM epochs").getInt() == 2);
  CHECK(db.execAndGet("SELECT count(*) FROM layer_stats").getInt() == 3);
  CHECK(db.execAndGet("SELECT status || ' ' || attempts || ' ' || (error IS NULL) FROM runs").getString() ==
        "done 2 1");
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("a record that cannot be written leaves the run untouched", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 1));
  const auto claimed = claimAmong(store, keys, 1, ownerHere(), false);
  REQUIRE(claimed.size() == 1);
  RunRecord record = recordFor(claimed[0].runId, 2, 1);
  record.epochs.push_back(record.epochs.back());  // a duplicate (run_id, epoch): the insert fails
  CHECK_THROWS_AS(store.finish({record}), StoreError);

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(statusOf(db, "key0") == "running");
  CHECK(db.execAndGet("SELECT count(*) FROM epochs").getInt() == 0);
  CHECK(db.execAndGet("SELECT count(*) FROM layer_stats").getInt() == 0);
  // The connection is still usable after the rollback.
  store.finish({recordFor(claimed[0].runId, 2, 1)});
  CHECK(statusOf(db, "key0") == "done");
}

TEST_CASE("release returns claimed runs to pending", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 3));
  const auto claimed = claimAmong(store, keys, 3, ownerHere(), false);
  REQUIRE(claimed.size() == 3);
  store.finish({recordFor(claimed[0].runId, 1, 1)});
  store.release({claimed[0].runId, claimed[1].runId, claimed[2].runId});

  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(statusOf(db, "key2") == "done");  // a finished run keeps its result
  CHECK(db.execAndGet("SELECT count(*) FROM runs WHERE status = 'pending' AND host IS NULL AND pid IS NULL "
                      "AND lease_until IS NULL AND attempts = 0")
            .getInt() == 2);
  CHECK(keysOf(claimAmong(store, keys, 3, ownerHere(), false)) == std::vector<std::string>{"key1", "key0"});
}

TEST_CASE("statusCounts per sweep and countsFor a list of keys", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto firstKeys = keysOf(addNumberedRuns(store, 4, "first"));
  const auto secondSweep = store.recordSweep(sweepNamed("second"));
  std::vector<RunToAdd> more = {runNumbered(3, 3), runNumbered(10, 10), runNumbered(11, 11)};
  CHECK(store.addRuns(secondSweep, more) == 2);  // key3 stays in the first sweep
  store.recordSweep(sweepNamed("resume"));       // adds nothing: no row

  const auto claimed = claimAmong(store, firstKeys, 2, ownerHere(), false);  // key3, key2
  RunRecord diverged = recordFor(claimed[1].runId, 1, 1);
  diverged.status = RunStatus::Diverged;
  store.finish({diverged});

  const auto counts = store.statusCounts();
  REQUIRE(counts.size() == 2);
  CHECK(counts[0].sweepName == "first");
  CHECK(counts[0].pending == 2);
  CHECK(counts[0].running == 1);
  CHECK(counts[0].diverged == 1);
  CHECK(counts[0].done == 0);
  CHECK(counts[1].sweepName == "second");
  CHECK(counts[1].sweepId == secondSweep);
  CHECK(counts[1].pending == 2);

  const auto forSecond = store.countsFor(keysOf(more));
  CHECK(forSecond.pending == 2);
  CHECK(forSecond.running == 1);
  CHECK(forSecond.diverged == 0);
  CHECK(store.countsFor({}).pending == 0);
}

TEST_CASE("a claim takes every claimable status most expensive first", "[db]") {
  TempDatabase file;
  Store store(file.path);
  const auto keys = keysOf(addNumberedRuns(store, 7));  // key6 costs most
  {
    SQLite::Database db(file.path, SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE runs SET status = 'interrupted' WHERE run_key IN ('key5', 'key1');"
        "UPDATE runs SET status = 'failed' WHERE run_key = 'key4';"
        "UPDATE runs SET status = 'running', host = 'other-host', pid = 1, lease_until = 0 "
        "WHERE run_key = 'key3';"
        "UPDATE runs SET status = 'running', host = 'other-host', pid = 1, lease_until = 1e12 "
        "WHERE run_key = 'key2';"  // a live lease elsewhere: not claimable
        "UPDATE runs SET status = 'done' WHERE run_key = 'key6';");
  }
  CHECK(keysOf(claimAmong(store, keys, 3, ownerHere(), true)) ==
        std::vector<std::string>{"key5", "key4", "key3"});
  CHECK(keysOf(store.claim(10, ownerHere(), true)) == std::vector<std::string>{"key1", "key0"});
}

TEST_CASE("claimable keys: none at first, kept from claim to claim, one can be removed", "[db]") {
  Store store(":memory:");
  const auto keys = keysOf(addNumberedRuns(store, 4));
  CHECK(store.claim(10, ownerHere(), false).empty());
  store.setClaimableKeys(keys);
  store.removeClaimableKey("key3");
  CHECK(keysOf(store.claim(1, ownerHere(), false)) == std::vector<std::string>{"key2"});
  CHECK(keysOf(store.claim(10, ownerHere(), false)) == std::vector<std::string>{"key1", "key0"});
  CHECK(store.countsFor(keys).pending == 1);  // counting leaves the claimable keys alone
  store.setClaimableKeys({"key3"});
  CHECK(keysOf(store.claim(10, ownerHere(), false)) == std::vector<std::string>{"key3"});
}

TEST_CASE("claiming among many run keys", "[db]") {
  Store store(":memory:");
  constexpr int kRuns = 20000;
  const auto keys = keysOf(addNumberedRuns(store, kRuns));
  const auto batch = claimAmong(store, keys, 5, ownerHere(), false);
  REQUIRE(batch.size() == 5);
  CHECK(batch[0].runKey == "key" + std::to_string(kRuns - 1));
  CHECK(claimAmong(store, keys, 5, ownerHere(), false)[0].runKey == "key" + std::to_string(kRuns - 6));
  CHECK(store.countsFor(keys).running == 10);
  CHECK(store.countsFor(keys).pending == kRuns - 10);
}

// ---- Files someone hands actsweep (results/open.hpp): recognised before use,
// never changed when refused; read commands never write.
