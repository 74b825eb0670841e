// results::mergeDatabases: shards into one database, run key by run key;
// idempotence, the finished run winning, refused specs, more shards than
// SQLite attaches at once.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../sql_scalar.hpp"
#include "../temp_dir.hpp"
#include "results/merge.hpp"
#include "results/store.hpp"

using namespace actsweep;
using namespace actsweep::results;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// A run as a test writes it: its key, how it ended and a loss that tells
// one writer's copy from another's.
struct FakeRun {
  std::string key;
  RunStatus status = RunStatus::Done;
  double loss = 1.0;
  int epochs = 2;
};

// A results database with one sweep (spec `specHash`, written on `host`) and
// `runs`, each with epochs 0..epochs and one layer per epoch.
void writeDatabase(const std::string& path, const std::string& specHash, const std::string& host,
                   const std::vector<FakeRun>& runs) {
  Store store(path);
  const std::int64_t sweepId =
      store.recordSweep({"tiny", "name: tiny\n", specHash, "[]", host, "1.0", "abc"});
  std::vector<RunToAdd> toAdd;
  std::vector<std::string> finishedKeys;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    toAdd.push_back({runs[i].key, {{"model.activation", "relu"}, {"seed", i}}, 1.0 + static_cast<double>(i)});
    if (runs[i].status != RunStatus::Pending) finishedKeys.push_back(runs[i].key);
  }
  store.addRuns(sweepId, toAdd);
  store.setClaimableKeys(finishedKeys);
  const auto claimed = store.claim(static_cast<int>(finishedKeys.size()), {host, getpid(), 60}, false);
  std::vector<RunRecord> records;
  for (const ClaimedRun& claim : claimed) {
    const FakeRun& run =
        *std::find_if(runs.begin(), runs.end(), [&](const FakeRun& r) { return r.key == claim.runKey; });
    RunRecord record;
    record.runId = claim.runId;
    record.status = run.status;
    if (run.status == RunStatus::Failed) record.error = "boom";
    record.result.final.testLoss = run.loss;
    record.result.epochsCompleted = run.epochs;
    for (int epoch = 0; epoch <= run.epochs; ++epoch) {
      model::EpochMetrics metrics;
      metrics.epoch = epoch;
      metrics.testLoss = run.loss + epoch;
      record.epochs.push_back(metrics);
      model::LayerStats layer;
      layer.epoch = epoch;
      layer.layer = 1;
      layer.deadFraction = run.loss / 10;
      record.layers.push_back(layer);
    }
    records.push_back(record);
  }
  store.finish(records);
}

// run_key -> status, final loss, every epoch's test loss and layer's dead fraction.
std::map<std::string, std::string> contents(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(db,
                          "SELECT r.run_key, r.status || ' ' || coalesce(r.final_test_loss, '-') || ' | ' || "
                          "coalesce((SELECT group_concat(e.epoch || ':' || e.test_loss, ' ') FROM "
                          "(SELECT * FROM epochs WHERE run_id = r.run_id ORDER BY epoch) e), '') || ' | ' || "
                          "coalesce((SELECT group_concat(l.epoch || ':' || l.dead_fraction, ' ') FROM "
                          "(SELECT * FROM layer_stats WHERE run_id = r.run_id ORDER BY epoch, layer) l), '') "
                          "FROM runs r ORDER BY r.run_key");
  std::map<std::string, std::string> result;
  while (query.executeStep()) result[query.getColumn(0).getString()] = query.getColumn(1).getString();
  return result;
}

std::string rowCounts(const std::string& path) {
  return std::to_string(scalar(path, "SELECT count(*) FROM sweeps")) + " " +
         std::to_string(scalar(path, "SELECT count(*) FROM runs")) + " " +
         std::to_string(scalar(path, "SELECT count(*) FROM epochs")) + " " +
         std::to_string(scalar(path, "SELECT count(*) FROM layer_stats"));
}

MergeCounts merge(const std::string& out, const std::vector<std::string>& shards,
                  std::string* printed = nullptr, bool allowDifferentSpecs = false) {
  std::ostringstream text;
  const MergeCounts counts = mergeDatabases(out, shards, {allowDifferentSpecs}, text);
  if (printed) *printed = text.str();
  return counts;
}

const std::vector<FakeRun> kSix = {{"a1", RunStatus::Done, 0.5},   {"b2", RunStatus::Diverged, 9.0, 1},
                                   {"c3", RunStatus::Done, 0.25},  {"d4", RunStatus::Failed, 0, 0},
                                   {"e5", RunStatus::Done, 0.125}, {"f6", RunStatus::Done, 0.75}};

}  // namespace

TEST_CASE("merge: two shards equal one database with every run", "[results][merge]") {
  TempDir dir;
  writeDatabase(dir / "local.db", "hash1", "laptop", kSix);
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0], kSix[2], kSix[4]});
  writeDatabase(dir / "s1.db", "hash1", "node1", {kSix[1], kSix[3], kSix[5]});
  std::string printed;
  const MergeCounts counts = merge(dir / "out.db", {dir / "s0.db", dir / "s1.db"}, &printed);
  CHECK(counts.added == 6);
  CHECK(counts.replaced == 0);
  CHECK(counts.skipped == 0);
  CHECK(contents(dir / "out.db") == contents(dir / "local.db"));
  CHECK(contents(dir / "out.db").size() == 6);
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM sweeps") == 2);
  CHECK(scalar(dir / "out.db", "SELECT count(DISTINCT sweep_id) FROM runs") == 2);
  CHECK_THAT(printed,
             Contains(dir / "s0.db" + ": 3 runs added, 0 replaced, 0 skipped (already there)\n") &&
                 Contains(dir / "s1.db" + ": 3 runs added, 0 replaced, 0 skipped (already there)\n") &&
                 Contains("total: 6 runs added, 0 replaced, 0 skipped (already there) from 2 shards"));

  SECTION("merging again changes nothing") {
    const std::string before = rowCounts(dir / "out.db");
    const auto first = contents(dir / "out.db");
    const MergeCounts again = merge(dir / "out.db", {dir / "s0.db", dir / "s1.db"});
    CHECK(again.added == 0);
    CHECK(again.replaced == 0);
    CHECK(again.skipped == 6);
    CHECK(rowCounts(dir / "out.db") == before);
    CHECK(contents(dir / "out.db") == first);
  }
  SECTION("the output can be a shard of a larger merge") {
    const MergeCounts again = merge(dir / "out2.db", {dir / "out.db", dir / "s0.db"});
    CHECK(again.added == 6);
    CHECK(again.skipped == 3);
    CHECK(contents(dir / "out2.db") == contents(dir / "local.db"));
  }
}

TEST_CASE("merge: a run in two shards is kept once, the finished one winning", "[results][merge]") {
  TempDir dir;
  writeDatabase(dir / "failed.db", "hash1", "node0",
                {{"k1", RunStatus::Failed, 0, 0}, {"k2", RunStatus::Pending}});
  writeDatabase(dir / "done.db", "hash1", "node1",
                {{"k1", RunStatus::Done, 0.5}, {"k2", RunStatus::Interrupted, 0.7, 1}});
  writeDatabase(dir / "done-too.db", "hash1", "node2", {{"k1", RunStatus::Done, 0.25}});
  const auto expected = contents(dir / "done.db");

  SECTION("finished after unfinished: replaced, epochs and layers too") {
    const MergeCounts first = merge(dir / "out.db", {dir / "failed.db"});
    CHECK(first.added == 2);
    const MergeCounts second = merge(dir / "out.db", {dir / "done.db", dir / "done-too.db"});
    CHECK(second.replaced == 2);  // k1 failed -> done, k2 pending -> interrupted
    CHECK(second.skipped == 1);   // k1 done twice: the existing stays
    CHECK(contents(dir / "out.db") == expected);
  }
  SECTION("unfinished after finished: skipped") {
    const MergeCounts counts =
        merge(dir / "out.db", {dir / "done.db", dir / "failed.db", dir / "done-too.db"});
    CHECK(counts.added == 2);
    CHECK(counts.replaced == 0);
    CHECK(counts.skipped == 3);
    CHECK(contents(dir / "out.db") == expected);
  }
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM runs") == 2);
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM epochs WHERE run_id NOT IN (SELECT run_id FROM runs)") ==
        0);
}

TEST_CASE("merge: a shard of another sweep is refused unless allowed", "[results][merge]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0]});
  writeDatabase(dir / "other.db", "hash2", "node1", {kSix[1]});
  CHECK_THROWS_WITH(merge(dir / "out.db", {dir / "s0.db", dir / "other.db"}),
                    Contains("other.db") && Contains("hash2") && Contains("--allow-different-specs"));
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM runs") == 0);  // nothing merged

  SECTION("against the output's first sweep") {
    merge(dir / "out.db", {dir / "s0.db"});
    CHECK_THROWS_WITH(merge(dir / "out.db", {dir / "other.db"}), Contains("hash2"));
  }
  SECTION("--allow-different-specs") {
    const MergeCounts counts = merge(dir / "out.db", {dir / "s0.db", dir / "other.db"}, nullptr, true);
    CHECK(counts.added == 2);
    CHECK(scalar(dir / "out.db", "SELECT count(DISTINCT spec_hash) FROM sweeps") == 2);
  }
}

TEST_CASE("merge: more shards than SQLite attaches at once", "[results][merge]") {
  TempDir dir;
  std::vector<std::string> shards;
  // prefix + i + suffix, appended piece by piece: GCC 12 warns falsely
  // (-Wrestrict, bug 105329) about "literal" + std::string chains here.
  const auto numbered = [](const char* prefix, int i, const char* suffix) {
    std::string text = prefix;
    text += std::to_string(i);
    text += suffix;
    return text;
  };
  for (int i = 0; i < 12; ++i) {
    shards.push_back(dir / numbered("s", i, ".db"));
    writeDatabase(
        shards.back(), "hash1", numbered("node", i, ""),
        {{numbered("k", i, ""), RunStatus::Done, 0.5 + i}, {numbered("k", i, "b"), RunStatus::Done, 1.5}});
  }
  const MergeCounts counts = merge(dir / "out.db", shards);
  CHECK(counts.added == 24);
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM runs WHERE status = 'done'") == 24);
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM epochs") == 24 * 3);
  CHECK(scalar(dir / "out.db", "SELECT count(*) FROM sweeps") == 12);
}

TEST_CASE("merge: missing and foreign files are refused before anything is written", "[results][merge]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0]});
  CHECK_THROWS_AS(merge(dir / "out.db", {dir / "s0.db", dir / "missing.db"}), StoreError);
  CHECK_FALSE(fs::exists(dir / "missing.db"));
  {
    SQLite::Database foreign(dir / "foreign.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    foreign.exec("CREATE TABLE t (x)");
  }
  CHECK_THROWS_WITH(merge(dir / "out.db", {dir / "s0.db", dir / "foreign.db"}), Contains("not an actsweep"));
  CHECK_FALSE(fs::exists(dir / "out.db"));
  CHECK_THROWS_WITH(merge(dir / "s0.db", {dir / "s0.db"}), Contains("output database itself"));
}

namespace {

// Files a shard or an output may be that are not ours (test_store.cpp has
// the same kinds for the store and the reader).
enum class Bad { Foreign, ForeignMeta, Garbled, Text };

void writeBad(const std::string& path, Bad kind) {
  if (kind == Bad::Text) {
    std::ofstream(path) << "name: not a database\n";
    return;
  }
  if (kind != Bad::Garbled) {
    SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
        .exec(kind == Bad::Foreign ? "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
                                   : "CREATE TABLE meta (a, b); INSERT INTO meta VALUES (1, 2)");
    return;
  }
  std::vector<FakeRun> runs;
  for (int i = 0; i < 300; ++i) {
    std::string key = "g";  // appended: GCC 12 warns falsely about "g" + std::string (bug 105329)
    key += std::to_string(i);
    runs.push_back({key, RunStatus::Done, 0.5});
  }
  writeDatabase(path, "hash1", "node9", runs);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(4 * 4096);  // pages 4..7, inside the runs and their epochs
  const std::string garbage(4 * 4096, '\xa5');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

// The message of the StoreError merge throws ("" when none).
std::string mergeError(const std::string& out, const std::vector<std::string>& shards) {
  try {
    merge(out, shards);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

std::set<std::string> namesIn(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("merge: a bad shard is named, left byte for byte as it was, and nothing is written",
          "[results][merge][open]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0]});
  const Bad kind = GENERATE(Bad::Foreign, Bad::ForeignMeta, Bad::Garbled, Bad::Text);
  writeBad(dir / "bad.db", kind);
  const std::string bytes = readText(dir / "bad.db");
  const std::string message = mergeError(dir / "out.db", {dir / "s0.db", dir / "bad.db"});
  CHECK_THAT(message, StartsWith(dir / "bad.db" + ": "));
  CHECK(readText(dir / "bad.db") == bytes);
  CHECK_FALSE(fs::exists(dir / "out.db"));
}

TEST_CASE("merge: an empty shard is refused, not taken as 0 runs", "[results][merge][open]") {
  TempDir dir;
  std::ofstream{dir / "empty.db"};
  CHECK_THAT(mergeError(dir / "out.db", {dir / "empty.db"}),
             StartsWith(dir / "empty.db" + ": an empty file"));
  CHECK(fs::file_size(dir / "empty.db") == 0);
  CHECK(namesIn(dir.path) == std::set<std::string>{"empty.db"});
}

TEST_CASE("merge: a bad output is named and left byte for byte as it was", "[results][merge][open]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0]});
  const Bad kind = GENERATE(Bad::Foreign, Bad::ForeignMeta, Bad::Garbled, Bad::Text);
  writeBad(dir / "out.db", kind);
  const std::string bytes = readText(dir / "out.db");
  CHECK_THAT(mergeError(dir / "out.db", {dir / "s0.db"}), StartsWith(dir / "out.db" + ": "));
  CHECK(readText(dir / "out.db") == bytes);
}

TEST_CASE("merge: a write-protected output is refused; a write-protected shard is read and kept as it was",
          "[results][merge][open]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0], kSix[1]});
  writeDatabase(dir / "out.db", "hash1", "node1", {kSix[2]});
  const auto readOnly = fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
  fs::permissions(dir / "out.db", readOnly);
  const std::string outBytes = readText(dir / "out.db");
  CHECK_THAT(mergeError(dir / "out.db", {dir / "s0.db"}), StartsWith(dir / "out.db" + ": write-protected"));
  CHECK(readText(dir / "out.db") == outBytes);

  fs::permissions(dir / "s0.db", readOnly);
  const std::string shardBytes = readText(dir / "s0.db");
  CHECK(merge(dir / "new.db", {dir / "s0.db"}).added == 2);
  CHECK(readText(dir / "s0.db") == shardBytes);
  CHECK_FALSE(fs::exists(dir / "s0.db-wal"));
  CHECK_FALSE(fs::exists(dir / "s0.db-shm"));
}

TEST_CASE("merge: an older shard is merged through a migrated copy, itself left as it was",
          "[results][merge][open]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", kSix);
  const int from = GENERATE(1, 2);
  {
    SQLite::Database db(dir / "s0.db", SQLite::OPEN_READWRITE);
    db.exec(
        "DROP INDEX runs_claim; CREATE INDEX runs_status ON runs(status); "
        "CREATE INDEX runs_cost ON runs(estimated_cost DESC); "
        "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    if (from == 1)
      db.exec(
          "DROP VIEW group_summary; DROP VIEW layer_summary; DROP TABLE t_quantile; "
          "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  }
  const std::string bytes = readText(dir / "s0.db");
  CHECK(merge(dir / "out.db", {dir / "s0.db"}).added == 6);
  CHECK(readText(dir / "s0.db") == bytes);
  CHECK(contents(dir / "out.db") == contents(dir / "s0.db"));
  CHECK(scalar(dir / "s0.db", "SELECT value FROM meta WHERE key = 'schema_version'") == from);
}

TEST_CASE("merge: a new output: its missing folders are created, as run --db does; an empty file is new",
          "[results][merge][open]") {
  TempDir dir;
  writeDatabase(dir / "s0.db", "hash1", "node0", {kSix[0], kSix[1]});
  CHECK(merge(dir / "new/sub/out.db", {dir / "s0.db"}).added == 2);
  CHECK(scalar(dir / "new/sub/out.db", "SELECT count(*) FROM runs") == 2);
  std::ofstream{dir / "empty.db"};  // `merge $(mktemp) ...`
  CHECK(merge(dir / "empty.db", {dir / "s0.db"}).added == 2);
  CHECK(contents(dir / "empty.db") == contents(dir / "s0.db"));
}
