// Shards: the partition (assignShards), `run --shard I/K`, `merge` and
// `status DIR` end to end on a tiny xor sweep.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "cli_harness.hpp"
#include "runner/cli.hpp"
#include "runner/shard.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// 3 activations x 2 widths x 2 seeds = 12 runs of a few milliseconds, of two costs.
constexpr const char* kTinySweep = R"(name: tiny
data: {dataset: xor, samples: 200}
model: {hidden: [4]}
train: {epochs: 2, batch_size: 32, lr: 0.1}
seeds: 2
grid:
  model.activation: [relu, tanh, elu]
  model.hidden: [[4], [16]]
)";
constexpr int kTinyRuns = 12;

std::vector<RunConfig> fakeRuns(int count) {
  std::vector<RunConfig> runs(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    runs[static_cast<std::size_t>(i)].runKey = fmt::format("{:016x}", 7919 * (i + 1));
  return runs;
}

std::vector<double> shardCosts(const std::vector<double>& costs, const std::vector<int>& shardOf,
                               int shards) {
  std::vector<double> load(static_cast<std::size_t>(shards), 0.0);
  for (std::size_t i = 0; i < costs.size(); ++i) load[static_cast<std::size_t>(shardOf[i])] += costs[i];
  return load;
}

// run_key -> final test loss and every epoch's losses, as text (exact).
std::map<std::string, std::string> resultsByKey(const std::string& database) {
  SQLite::Database db(database, SQLite::OPEN_READONLY);
  SQLite::Statement query(
      db,
      "SELECT r.run_key, r.status, r.final_test_loss, "
      "group_concat(e.epoch || ':' || e.test_loss || '/' || e.train_loss, ' ') "
      "FROM runs r JOIN (SELECT * FROM epochs ORDER BY run_id, epoch) e ON e.run_id = r.run_id "
      "GROUP BY r.run_id ORDER BY r.run_key");
  std::map<std::string, std::string> results;
  while (query.executeStep())
    results[query.getColumn(0).getString()] =
        fmt::format("{} {:.17g} | {}", query.getColumn(1).getString(), query.getColumn(2).getDouble(),
                    query.getColumn(3).getString());
  return results;
}

std::vector<std::string> runKeys(const std::string& database) {
  SQLite::Database db(database, SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT run_key FROM runs ORDER BY run_key");
  std::vector<std::string> keys;
  while (query.executeStep()) keys.push_back(query.getColumn(0).getString());
  return keys;
}

}  // namespace

TEST_CASE("shard: I/K is parsed strictly", "[runner][shard]") {
  CHECK(parseShard("0/1").index == 0);
  CHECK(parseShard("3/4").index == 3);
  CHECK(parseShard("3/4").count == 4);
  for (const char* bad :
       {"", "4", "4/4", "5/4", "-1/4", "0/0", "a/4", "1/b", "1/4/2", " 1/4", "+1/4", "1/", "/4"})
    CHECK_THROWS_AS(parseShard(bad), std::invalid_argument);
  CHECK_THROWS_WITH(parseShard("4/4"), Contains("below K"));
}

TEST_CASE("shard: every run in exactly one shard, balanced by cost, the same every time", "[runner][shard]") {
  const auto runs = fakeRuns(40);
  std::vector<double> costs;
  for (int i = 0; i < 40; ++i) costs.push_back(i % 10 == 0 ? 50.0 : 1.0 + i % 7);  // a few expensive runs
  for (const int shards : {1, 3, 4, 7}) {
    const std::vector<int> shardOf = assignShards(runs, costs, shards);
    REQUIRE(shardOf.size() == runs.size());
    CHECK(std::all_of(shardOf.begin(), shardOf.end(), [&](int s) { return s >= 0 && s < shards; }));
    const auto load = shardCosts(costs, shardOf, shards);
    const auto [lightest, heaviest] = std::minmax_element(load.begin(), load.end());
    INFO(shards << " shards: " << *lightest << " to " << *heaviest);
    CHECK(*heaviest / *lightest <= (shards == 7 ? 1.6 : 1.15));
    CHECK(assignShards(runs, costs, shards) == shardOf);

    // The order the runs come in does not matter: only keys and costs do.
    std::vector<RunConfig> reversedRuns(runs.rbegin(), runs.rend());
    std::vector<double> reversedCosts(costs.rbegin(), costs.rend());
    const std::vector<int> reversed = assignShards(reversedRuns, reversedCosts, shards);
    for (std::size_t i = 0; i < runs.size(); ++i) CHECK(reversed[runs.size() - 1 - i] == shardOf[i]);
  }
  // Not by grid position: the four expensive runs go to four different shards.
  const std::vector<int> shardOf = assignShards(runs, costs, 4);
  CHECK(std::set<int>{shardOf[0], shardOf[10], shardOf[20], shardOf[30]}.size() == 4);
  CHECK_THROWS_AS(assignShards(runs, {1.0}, 2), std::invalid_argument);
}

TEST_CASE("shard: bad --shard is one line and exit 2", "[runner][shard]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  for (const char* bad : {"3/3", "1", "x/2", "-1/2", "0/0"}) {
    const auto r = runActsweep({"run", spec, "--db", dir / "x.db", "--shard", bad, "--quiet"});
    INFO(bad << ": " << r.err);
    CHECK(r.exitCode == kExitBadInput);
    CHECK(lines(r.err).size() == 1);
    CHECK_THAT(r.err, StartsWith("actsweep run: --shard"));
  }
  CHECK_FALSE(fs::exists(dir / "x.db"));
}

TEST_CASE("shard: K shards into K databases hold every run once and merged equal one run",
          "[runner][shard][merge]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const auto local = runActsweep({"run", spec, "--db", dir / "local.db", "--quiet"});
  REQUIRE(local.exitCode == kExitOk);

  constexpr int kShards = 3;
  std::vector<std::string> shardFiles;
  std::multiset<std::string> seen;
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path);  // the default databases land in results/
  for (int i = 0; i < kShards; ++i) {
    const auto r =
        runActsweep({"run", spec, "--shard", fmt::format("{}/{}", i, kShards), "--jobs", "2", "--quiet"});
    INFO(r.out << r.err);
    CHECK(r.exitCode == kExitOk);
    shardFiles.push_back(fmt::format("results/tiny.shard-{}-of-{}.db", i, kShards));
    REQUIRE(fs::is_regular_file(shardFiles.back()));
    CHECK_THAT(r.out, Contains(fmt::format("results in {}", shardFiles.back())));
    for (const std::string& key : runKeys(shardFiles.back())) seen.insert(key);
  }
  fs::current_path(previous);
  for (std::string& file : shardFiles) file = (dir.path / file).string();

  const std::vector<std::string> all = runKeys(dir / "local.db");
  REQUIRE(all.size() == kTinyRuns);
  CHECK(seen == std::multiset<std::string>(all.begin(), all.end()));  // each exactly once
  for (const std::string& file : shardFiles)
    CHECK(runKeys(file).size() == kTinyRuns / kShards);  // 6 small, 6 large

  SECTION("the same shard again trains nothing new") {
    const auto again = runActsweep({"run", spec, "--shard", "1/3", "--db", shardFiles[1], "--quiet"});
    CHECK(again.exitCode == kExitOk);
    CHECK_THAT(again.out, StartsWith("tiny: 4 done, 0 failed"));
  }
  SECTION("merge, then merge again") {
    std::vector<std::string> command = {"merge", dir / "merged.db"};
    command.insert(command.end(), shardFiles.begin(), shardFiles.end());
    const auto merged = runActsweep(command);
    INFO(merged.out << merged.err);
    REQUIRE(merged.exitCode == kExitOk);
    CHECK(lines(merged.out).size() == kShards + 1);
    CHECK_THAT(merged.out, Contains(fmt::format("{}: 4 runs added, 0 replaced, 0 skipped (already there)",
                                                shardFiles[0])) &&
                               Contains("total: 12 runs added, 0 replaced, 0 skipped (already there)"));
    CHECK(resultsByKey(dir / "merged.db") == resultsByKey(dir / "local.db"));

    const auto again = runActsweep(command);
    CHECK(again.exitCode == kExitOk);
    CHECK_THAT(again.out, Contains("total: 0 runs added, 0 replaced, 12 skipped (already there)"));
    CHECK(resultsByKey(dir / "merged.db") == resultsByKey(dir / "local.db"));
  }
  SECTION("another sweep's shard is refused") {
    const auto other = runActsweep(
        {"run", spec, "--set", "train.epochs=1", "--shard", "0/2", "--db", dir / "other.db", "--quiet"});
    REQUIRE(other.exitCode == kExitOk);
    const auto refused = runActsweep({"merge", dir / "merged.db", shardFiles[0], dir / "other.db"});
    CHECK(refused.exitCode == kExitBadInput);
    CHECK(lines(refused.err).size() == 1);
    CHECK_THAT(refused.err, Contains("--allow-different-specs"));
    const auto allowed =
        runActsweep({"merge", dir / "merged.db", shardFiles[0], dir / "other.db", "--allow-different-specs"});
    CHECK(allowed.exitCode == kExitOk);
  }
  SECTION("status of the directory: one block per database and a total") {
    const auto status = runActsweep({"status", (dir.path / "results").string()});
    INFO(status.out << status.err);
    CHECK(status.exitCode == kExitOk);
    for (const std::string& file : shardFiles)
      CHECK_THAT(status.out, Contains(fmt::format("in {}: 4 runs: 4 done", file)));
    CHECK_THAT(status.out, Contains("total of 3 databases in ") && Contains(": 12 runs: 12 done, 0 running"));
    const auto json = runActsweep({"status", (dir.path / "results").string(), "--json"});
    CHECK(json.exitCode == kExitOk);
    CHECK_THAT(json.out, Contains("\"total\":{") && Contains("\"done\":12"));
    const auto empty = runActsweep({"status", (dir.path / "nothing").string()});
    CHECK(empty.exitCode == kExitBadInput);
  }
}
