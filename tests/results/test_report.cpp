// The report queries and schema v2 (its views and the v1 -> v2 migration),
// on a database filled through the store with made-up metrics.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "../sql_scalar.hpp"
#include "../temp_dir.hpp"
#include "results/report.hpp"
#include "results/store.hpp"

using namespace actsweep;
using namespace actsweep::results;
using actsweep::testing::scalar;
using actsweep::testing::TempDatabase;
using Catch::Matchers::Contains;

namespace {

// relu x 3 seeds and leaky_relu (alpha 0.1) x 3 seeds, done, with test
// accuracy 0.5 + 0.1 * seed (+ 0.05 for leaky_relu) and one layer row per
// epoch 0..1; plus one pending relu run (seed 3).
void fill(const std::string& path) {
  Store store(path);
  const std::int64_t sweepId = store.recordSweep({"t", "spec", "0123456789abcdef", "[]", "host", "v", "rev"});
  std::vector<RunToAdd> runs;
  for (const char* activation : {"relu", "leaky_relu"})
    for (int seed = 0; seed < 4; ++seed) {
      if (seed == 3 && std::string(activation) == "leaky_relu") continue;
      nlohmann::json config = {{"model.activation", activation}, {"model.hidden", {4}},
                               {"data.dataset", "xor"},          {"train.epochs", 1},
                               {"data.raw_pixels", false},       {"seed", seed}};
      if (std::string(activation) == "leaky_relu") config["model.alpha"] = 0.1;
      runs.push_back(
          {std::string(activation).substr(0, 4) + std::to_string(seed) + "00000000000", config, 1});
    }
  store.addRuns(sweepId, runs);
  std::vector<std::string> keys;
  for (const RunToAdd& run : runs)
    if (run.config["seed"] != 3) keys.push_back(run.runKey);
  std::vector<RunRecord> records;
  store.setClaimableKeys(keys);
  for (const ClaimedRun& claimed : store.claim(100, {"host", 1, 60}, false)) {
    RunRecord record;
    record.runId = claimed.runId;
    const int seed = claimed.config["seed"].get<int>();
    const double bonus = claimed.config["model.activation"] == "leaky_relu" ? 0.05 : 0;
    record.result.epochsCompleted = 1;
    record.result.final.epoch = 1;
    record.result.final.testAccuracy = 0.5 + 0.1 * seed + bonus;
    record.result.final.testLoss = 1.0 - 0.1 * seed;
    record.result.final.trainLoss = 1.0;
    record.result.finalDeadFraction = 0.25 * seed;
    for (int epoch = 0; epoch <= 1; ++epoch) {
      model::EpochMetrics metrics;
      metrics.epoch = epoch;
      metrics.testAccuracy = record.result.final.testAccuracy;
      record.epochs.push_back(metrics);
      model::LayerStats layer;
      layer.epoch = epoch;
      layer.layer = 1;
      layer.deadFraction = 0.25 * seed;
      layer.gradientNorm = 1 + seed;
      record.layers.push_back(layer);
    }
    record.startedAt = record.finishedAt = isoUtcNow();
    records.push_back(record);
  }
  store.finish(records);
}

}  // namespace

TEST_CASE("schema v2: SQLite has sqrt() and the views exist", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT sqrt(4)").getDouble() == 2.0);
  CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() ==
        std::to_string(kSchemaVersion));
  CHECK(scalar(file.path, "SELECT count(*) FROM t_quantile") == 100);
  CHECK(scalar(file.path,
               "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name IN "
               "('run_summary', 'group_summary', 'layer_summary')") == 3);
  CHECK(scalar(file.path, "SELECT count(*) FROM group_summary") == 2);
  CHECK(scalar(file.path, "SELECT sum(n) FROM group_summary") == 6);  // the pending run is left out
  // layer_summary: 2 groups x epochs 0..1 x 1 layer, 3 seeds each.
  CHECK(scalar(file.path, "SELECT count(*) FROM layer_summary WHERE n = 3 AND layer = 1") == 4);
  CHECK(db.execAndGet("SELECT grad_norm FROM layer_summary WHERE activation = 'relu' AND epoch = 1")
            .getDouble() == Approx(2.0));
}

TEST_CASE("schema v2: group_summary agrees with summarize over seeds", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.metrics = {"final_test_acc", "dead_fraction"};
  options.where = {"activation = leaky_relu"};
  const GroupReport report = summarizeGroups(file.path, options);
  REQUIRE(report.rows.size() == 1);
  const Summary& accuracy = report.rows[0].metrics[0];
  CHECK(accuracy.n == 3);
  CHECK(accuracy.mean == Approx(0.65));
  SQLite::Database db(file.path, SQLite::OPEN_READONLY);
  SQLite::Statement view(db,
                         "SELECT n, final_test_acc_mean, final_test_acc_std, final_test_acc_ci_low, "
                         "final_test_acc_ci_high, dead_fraction_mean, dead_fraction_ci_high "
                         "FROM group_summary WHERE activation = 'leaky_relu'");
  REQUIRE(view.executeStep());
  CHECK(view.getColumn(0).getInt() == 3);
  CHECK(view.getColumn(1).getDouble() == Approx(accuracy.mean).epsilon(1e-12));
  CHECK(view.getColumn(2).getDouble() == Approx(accuracy.std).epsilon(1e-12));
  // t_quantile holds 6 decimals: the CIs agree to about 1e-7.
  CHECK(view.getColumn(3).getDouble() == Approx(accuracy.ciLow).epsilon(1e-6));
  CHECK(view.getColumn(4).getDouble() == Approx(accuracy.ciHigh).epsilon(1e-6));
  CHECK(view.getColumn(5).getDouble() == Approx(report.rows[0].metrics[1].mean).epsilon(1e-12));
  CHECK(view.getColumn(6).getDouble() == Approx(report.rows[0].metrics[1].ciHigh).epsilon(1e-6));
}

TEST_CASE("schema: a version 1 or 2 database is upgraded and keeps its rows", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  // An older database is a current one without what the later migrations
  // add: the v1 tables come from the same (never changing) function in both.
  // Version 2 -> 3 replaced v1's runs_status and runs_cost by runs_claim.
  const int from = GENERATE(1, 2);
  {
    SQLite::Database db(file.path, SQLite::OPEN_READWRITE);
    db.exec(
        "DROP INDEX runs_claim; CREATE INDEX runs_status ON runs(status); "
        "CREATE INDEX runs_cost ON runs(estimated_cost DESC); "
        "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    if (from == 1)
      db.exec(
          "DROP VIEW group_summary; DROP VIEW layer_summary; DROP TABLE t_quantile; "
          "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  }
  REQUIRE(scalar(file.path, "SELECT value FROM meta WHERE key = 'schema_version'") == from);
  const long runs = scalar(file.path, "SELECT count(*) FROM runs");
  const long epochs = scalar(file.path, "SELECT count(*) FROM epochs");
  const long layers = scalar(file.path, "SELECT count(*) FROM layer_stats");
  { Store store(file.path); }
  CHECK(scalar(file.path, "SELECT value FROM meta WHERE key = 'schema_version'") == kSchemaVersion);
  CHECK(scalar(file.path, "SELECT count(*) FROM runs") == runs);
  CHECK(scalar(file.path, "SELECT count(*) FROM epochs") == epochs);
  CHECK(scalar(file.path, "SELECT count(*) FROM layer_stats") == layers);
  CHECK(scalar(file.path, "SELECT count(*) FROM sweeps") == 1);
  CHECK(scalar(file.path, "SELECT sum(n) FROM group_summary") == 6);
  CHECK(scalar(file.path, "SELECT count(*) FROM run_summary") == 6);
  CHECK(scalar(file.path,
               "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
               "('runs_claim', 'runs_status', 'runs_cost')") == 1);
}

TEST_CASE("report: groups by the varied settings, done runs only", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  const GroupReport report = summarizeGroups(file.path, {});
  // activation and alpha vary (alpha: NULL for relu); seed is never a grouping column.
  CHECK(report.by == std::vector<std::string>{"activation", "alpha"});
  REQUIRE(report.rows.size() == 2);
  CHECK(report.rows[0].key[0] == "leaky_relu");
  CHECK(report.rows[1].key[1].is_null());
  CHECK(report.rows[1].runs == 3);
  CHECK(report.doneRuns == 6);
  CHECK(report.excludedNotDone == 1);
  CHECK_THROWS_WITH(summarizeGroups(file.path, {{"seed"}, {}, {}, {}, "table"}),
                    Contains("unknown --by column"));
  CHECK_THROWS_WITH(summarizeGroups(file.path, {{}, {"accuracy"}, {}, {}, "table"}),
                    Contains("unknown metric"));
}

TEST_CASE("report: --by a config key groups by its value in config_json", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.by = {"data.raw_pixels", "model.alpha"};
  const GroupReport report = summarizeGroups(file.path, options);
  REQUIRE(report.rows.size() == 2);
  CHECK(report.rows[0].key == std::vector<nlohmann::json>{false, nullptr});  // relu has no model.alpha
  CHECK(report.rows[1].key == std::vector<nlohmann::json>{false, 0.1});
  CHECK(report.rows[1].runs == 3);
  options.by = {"data.raw_pixel"};
  CHECK_THROWS_WITH(summarizeGroups(file.path, options), Contains("no selected run has this config key"));
  options.by = {"raw_pixels"};
  CHECK_THROWS_WITH(summarizeGroups(file.path, options), Contains("or a config key such as data.raw_pixels"));
}

TEST_CASE("report: --vs pairs runs equal in every other setting and the seed", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.vs = "activation=relu,activation=leaky_relu";
  const VsReport report = compareSides(file.path, options);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].context == "model.alpha=0.1");  // one-sided: left out of the match
  CHECK(report.rows[0].comparison.n == 3);
  CHECK(report.rows[0].comparison.meanDifference == Approx(0.05));

  options.vs = "activation=relu,activation=tanh";
  CHECK_THAT(compareSides(file.path, options).noPairs, Contains("no done run with activation=tanh"));
  // true and false are booleans, as in config_json: every run has raw_pixels
  // false, none true (a string "false" would match no run and be named first).
  options.vs = "data.raw_pixels=false,data.raw_pixels=true";
  CHECK_THAT(compareSides(file.path, options).noPairs, Contains("no done run with data.raw_pixels=true"));
  options.vs = "activation=relu";
  CHECK_THROWS_AS(compareSides(file.path, options), ReportError);
  options.vs = "activation=relu,norm=batch";
  CHECK_THROWS_WITH(compareSides(file.path, options), Contains("same setting"));
}

TEST_CASE("report: --where is a column, an operator and a bound value", "[db][report]") {
  const std::vector<std::string> columns = {"norm", "lr", "activation"};
  CHECK(parseWhere("norm = none", columns).value == "none");
  CHECK(parseWhere("norm='batch norm'", columns).value == "batch norm");
  CHECK(parseWhere("lr<=0.1", columns).op == "<=");
  CHECK(parseWhere("lr<=0.1", columns).value == 0.1);
  CHECK(parseWhere("lr != 3", columns).value.is_number_integer());
  for (const char* bad : {"norm='none'; drop table runs", "1=1 or", "color = red", "norm LIKE 'n%'",
                          "norm = 'a' OR 1=1", "norm =", "lr = 1; --", "norm = \"it\"s\""})
    CHECK_THROWS_AS(parseWhere(bad, columns), ReportError);

  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.where = {"final_test_acc >= 0.6", "activation != relu"};
  CHECK(summarizeGroups(file.path, options).doneRuns == 2);
}

TEST_CASE("report: --where refuses what SQL would compare silently wrong", "[db][report]") {
  const std::vector<std::string> columns = {"norm", "lr", "born_dead"};
  const std::vector<std::string> numeric = {"lr", "born_dead"};
  // SQLite orders every number before every text: "lr < fast" kept every
  // run, "lr > nan" none.
  CHECK_THROWS_WITH(parseWhere("lr < fast", columns, numeric), Contains("lr holds numbers"));
  CHECK_THROWS_WITH(parseWhere("lr > nan", columns, numeric), Contains("not a finite number"));
  CHECK_THROWS_AS(parseWhere("lr > inf", columns, numeric), ReportError);
  CHECK(parseWhere("lr > 1e-3", columns, numeric).value == 1e-3);
  CHECK(parseWhere("born_dead = true", columns, numeric).value == true);
  CHECK(parseWhere("norm = 3", columns, numeric).value == 3);  // a text column compares as text

  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.where = {"final_test_acc < high"};
  CHECK_THROWS_WITH(summarizeGroups(file.path, options), Contains("final_test_acc holds numbers"));
}

TEST_CASE("report: long and odd option text is refused in one line, never a crash", "[db][report]") {
  const std::vector<std::string> columns = {"norm", "lr"};
  // std::regex recursed per character: 28,000 characters overflowed the stack.
  const std::string longWord(28000, 'a');
  for (const std::string& text :
       {"norm = " + longWord, longWord + " = 1", "lr = " + std::string(100000, '1')}) {
    try {
      parseWhere(text, columns);
      FAIL("accepted " << text.size() << " characters");
    } catch (const ReportError& error) {
      const std::string message = error.what();
      CHECK_THAT(message, Contains("characters"));
      CHECK(message.size() < 400);
    }
  }
  // A line break is shown, not printed: the message stays one line.
  try {
    parseWhere("norm = none\nDROP TABLE runs", columns);
    FAIL("accepted a line break");
  } catch (const ReportError& error) {
    CHECK(std::string(error.what()).find('\n') == std::string::npos);
    CHECK_THAT(error.what(), Contains("none\\nDROP"));
  }
  CHECK_FALSE(isConfigKey(std::string(50000, 'a') + "."));
  CHECK(isConfigKey(std::string(25000, 'b') + "." + std::string(25000, 'c')));

  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.vs = "activation=" + longWord + ",activation=relu";
  CHECK_THROWS_WITH(compareSides(file.path, options), Contains("characters"));
  options.vs.clear();
  options.by = {longWord};
  CHECK_THROWS_WITH(summarizeGroups(file.path, options), Contains("characters, cut"));
}

// Deterministic random mutations of valid --where, --vs and --by text (fixed
// seed: a failure reproduces): every result is a report or a ReportError,
// never another exception, a crash or a hang.
TEST_CASE("report: fuzzed --where, --vs and --by text", "[db][report][fuzz]") {
  TempDatabase file;
  fill(file.path);
  const std::vector<std::string> seeds = {"final_test_acc >= 0.6",
                                          "activation != relu",
                                          "norm='batch norm'",
                                          "activation=relu,activation=leaky_relu",
                                          "data.raw_pixels=false,data.raw_pixels=true",
                                          "activation,alpha",
                                          "lr <= 1e-3",
                                          "alpha = \"0.1\""};
  const std::string alphabet =
      std::string("=<>!,.'\"; \t\n\r\\`$@%_-+eE0123456789aZ") + '\0' + "\x7f\xff\xc3\xa9";
  std::mt19937 random(20261202);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  int cases = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = seeds[pick(seeds.size())];
    for (int edits = 1 + static_cast<int>(pick(4)); edits > 0; --edits) {
      const std::size_t at = text.empty() ? 0 : pick(text.size() + 1);
      switch (pick(5)) {
        case 0:
          text.insert(at, 1, alphabet[pick(alphabet.size())]);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        case 2:
          text.insert(at, std::string(1 + pick(3000), alphabet[pick(alphabet.size())]));
          break;
        case 3:
          text = text.substr(0, at) + text.substr(pick(text.size() + 1));
          break;
        default:
          text.insert(at, seeds[pick(seeds.size())]);
      }
    }
    ReportOptions options;
    switch (round % 3) {
      case 0:
        options.where = {text};
        break;
      case 1:
        options.vs = text;
        break;
      default:
        options.by = {text};
    }
    try {
      ++cases;
      if (options.vs.empty())
        summarizeGroups(file.path, options);
      else
        compareSides(file.path, options);
    } catch (const ReportError& error) {
      ++refused;
      CHECK(std::string(error.what()).find('\n') == std::string::npos);
    }
  }
  CHECK(cases == 3000);
  CHECK(refused > 1000);   // most mutations break the text
  CHECK(refused < cases);  // and some still read
}

TEST_CASE("export: whitelisted tables and views only", "[db][report]") {
  TempDatabase file;
  fill(file.path);
  for (const std::string& name : exportableTables())
    CHECK_FALSE(readRelation(file.path, name).columns.empty());
  for (const std::string& name : exportableViews())
    CHECK_FALSE(readRelation(file.path, name).columns.empty());
  CHECK(readRelation(file.path, "runs").rows.size() == 7);
  CHECK_THROWS_AS(readRelation(file.path, "sqlite_master"), ReportError);
  CHECK_THROWS_AS(readRelation(file.path, "runs; DROP TABLE runs"), ReportError);
  CHECK_THROWS_WITH(readRelation(file.path + ".missing", "runs"), Contains("no such database"));
}

// fill's 7 runs: relu seeds 0..2 done and seed 3 pending (no alpha: NULL,
// no model.alpha key), leaky_relu alpha 0.1 seeds 0..2 done.
namespace {
GroupReport where(const std::string& path, std::vector<std::string> filters) {
  ReportOptions options;
  options.where = std::move(filters);
  return summarizeGroups(path, options);
}
}  // namespace

TEST_CASE("report: --where IS NULL, IS NOT NULL, IN and NOT IN", "[db][report][where]") {
  const std::vector<std::string> columns = {"norm", "lr", "alpha"}, numeric = {"lr", "alpha"};
  CHECK(parseWhere("alpha is not null", columns).op == "IS NOT NULL");
  CHECK(parseWhere("alpha IS  NULL", columns).value.is_null());
  CHECK(parseWhere("norm in (none, 'batch, norm')", columns).value == nlohmann::json{"none", "batch, norm"});
  CHECK(parseWhere("lr NOT IN(0.1,1)", columns, numeric).op == "NOT IN");
  for (const char* bad : {"norm IN ()", "norm IN (a,)", "norm IN a", "norm IS NULL x", "norm IS", "norm NOT",
                          "norm IN ('a''b')", "norm ISNULL", "alpha..x = 1", "colour IS NULL"})
    CHECK_THROWS_AS(parseWhere(bad, columns, numeric), ReportError);
  CHECK_THROWS_WITH(parseWhere("lr IN (0.1, fast)", columns, numeric), Contains("lr holds numbers"));

  TempDatabase file;
  fill(file.path);
  GroupReport report = where(file.path, {"alpha IS NULL"});
  CHECK(report.doneRuns == 3);         // relu
  CHECK(report.excludedNotDone == 1);  // the pending relu passes the filter
  CHECK(report.excludedByWhere.runs == 3);
  CHECK(report.excludedByWhere.onlyNull == 0);
  report = where(file.path, {"alpha IS NOT NULL"});
  CHECK(report.doneRuns == 3);  // leaky_relu
  CHECK(report.excludedNotDone == 0);
  CHECK(report.excludedByWhere.runs == 4);
  CHECK(report.excludedByWhere.onlyNull == 0);  // IS [NOT] NULL is never NULL itself
  report = where(file.path, {"seed IN (0, 2)"});
  CHECK(report.doneRuns == 4);  // seeds 0 and 2 of both activations
  CHECK(report.excludedByWhere.runs == 3);
  CHECK(where(file.path, {"activation IN (relu, tanh)"}).doneRuns == 3);
  CHECK(where(file.path, {"activation NOT IN ('relu')"}).doneRuns == 3);
  CHECK(where(file.path, {"activation NOT IN (relu, leaky_relu)"}).doneRuns == 0);
}

TEST_CASE("report: --where on a config key, as --by reads it", "[db][report][where]") {
  TempDatabase file;
  fill(file.path);
  CHECK(where(file.path, {"model.alpha = 0.1"}).doneRuns == 3);
  CHECK(where(file.path, {"model.alpha IS NULL"}).doneRuns == 3);
  CHECK(where(file.path, {"model.activation IN (relu)"}).doneRuns == 3);
  CHECK(where(file.path, {"data.raw_pixels = false"}).doneRuns == 6);  // JSON false, as --vs reads it
  CHECK(where(file.path, {"data.raw_pixels = true"}).doneRuns == 0);
  CHECK(where(file.path, {"train.epochs >= 1", "data.dataset = xor"}).doneRuns == 6);
  CHECK_THROWS_WITH(where(file.path, {"data.raw_pixel = true"}), Contains("no run has the config key"));
  CHECK_THROWS_WITH(where(file.path, {"model.alpha < fast"}), Contains("model.alpha holds numbers"));
}

TEST_CASE("report: --where counts the runs it excluded, those with a NULL key too", "[db][report][where]") {
  TempDatabase file;
  fill(file.path);
  // alpha != 0.2 is NULL, not true, for relu: its 4 runs are excluded, and counted.
  GroupReport report = where(file.path, {"alpha != 0.2"});
  CHECK(report.doneRuns == 3);
  CHECK(report.excludedByWhere.runs == 4);
  CHECK(report.excludedByWhere.onlyNull == 4);
  CHECK(report.excludedByWhere.nullKeys == std::vector<std::string>{"alpha"});
  // With seed < 2: relu 0 and 1 are NULL AND true (only because of NULL);
  // relu 2 and 3 and leaky_relu 2 are false whatever alpha is.
  report = where(file.path, {"alpha != 0.2", "seed < 2"});
  CHECK(report.doneRuns == 2);
  CHECK(report.excludedByWhere.runs == 5);
  CHECK(report.excludedByWhere.onlyNull == 2);
  report = where(file.path, {"model.alpha NOT IN (0.5)"});
  CHECK(report.excludedByWhere.nullKeys == std::vector<std::string>{"model.alpha"});
  CHECK(report.excludedByWhere.onlyNull == 4);
  report = where(file.path, {"activation = relu"});
  CHECK(report.excludedByWhere.runs == 3);
  CHECK(report.excludedByWhere.onlyNull == 0);
  CHECK(report.excludedByWhere.nullKeys.empty());
  CHECK(summarizeGroups(file.path, {}).excludedByWhere.runs == 0);  // no --where: nothing counted
}

TEST_CASE("report: hostile --where text is bound or refused, never run", "[db][report][where]") {
  TempDatabase file;
  fill(file.path);
  for (const std::string text :
       {"activation = 'x; DROP TABLE runs; --'", "activation IN ('relu); DELETE FROM runs; --', \"it's\")",
        "model.activation = \"x'; DELETE FROM runs WHERE 1 OR '\"", "model.activation NOT IN ('a', 'b;c') "})
    CHECK(where(file.path, {text}).doneRuns == (text.find("NOT IN") != std::string::npos ? 6 : 0));
  for (const std::string text : {"activation IN (relu) OR 1=1", "activation IS NULL; DROP TABLE runs",
                                 "model.activation = x OR 1", "activation IN (relu)) OR (1"})
    CHECK_THROWS_AS(where(file.path, {text}), ReportError);
  CHECK(scalar(file.path, "SELECT count(*) FROM runs") == 7);
  // Long text: the existing one-line refusal, before anything is read.
  std::string list = "activation IN (";
  for (int i = 0; i < 400; ++i) list += "relu, ";
  try {
    where(file.path, {list + "elu)"});
    FAIL("accepted " << list.size() << " characters");
  } catch (const ReportError& error) {
    const std::string message = error.what();
    CHECK_THAT(message, Contains("characters; one value of --where has at most 1000"));
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.size() < 400);
  }
}
