// `actsweep report` and `actsweep export` end to end, in process, on a
// database that `actsweep run` filled from a tiny sweep.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../sql_scalar.hpp"
#include "../temp_dir.hpp"
#include "cli_harness.hpp"
#include "results/plots.hpp"
#include "runner/cli.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// relu (alpha does not apply: 3 runs) and leaky_relu at alpha 0.01 and 0.1
// (6 runs), 3 seeds each: 9 runs of a few milliseconds.
constexpr const char* kTinySweep = R"(name: tiny
data: {dataset: xor, samples: 200}
model: {hidden: [4]}
train: {epochs: 2, batch_size: 32, lr: 0.1}
seeds: 3
grid:
  model.activation: [relu, leaky_relu]
  model.alpha: [0.01, 0.1]
)";

// One database for every test of this file: trained once, removed at exit
// with its directory.
const std::string& tinyDatabase() {
  static const TempDir directory;
  static const std::string database = [] {
    const std::string db = directory / "tiny.db";
    const auto r = runActsweep({"run", directory.file("tiny.yaml", kTinySweep), "--db", db, "--quiet"});
    if (r.exitCode != kExitOk) FAIL(r.out << r.err);
    return db;
  }();
  return database;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::string field;
  for (const char c : line) {
    if (c == separator) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

}  // namespace

TEST_CASE("report: a table of the swept settings with n, mean, std and CI", "[runner][report]") {
  const auto r = runActsweep({"report", tinyDatabase()});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  const auto output = lines(r.out);
  REQUIRE(output.size() == 6);  // header, 3 groups, blank, the note
  CHECK_THAT(output[0], StartsWith("activation  alpha  n  final_test_acc"));
  CHECK_THAT(output[0], Contains("95% CI"));
  CHECK_THAT(output[1], StartsWith("leaky_relu   0.01  3"));
  CHECK_THAT(output[2], StartsWith("leaky_relu    0.1  3"));
  CHECK_THAT(output[3], StartsWith("relu            -  3"));
  CHECK_THAT(output[1], Contains("["));
  CHECK(output[5] ==
        "9 done runs in 3 groups; 0 runs excluded: not done (pending, running, failed, diverged or "
        "interrupted)");
}

TEST_CASE("report: csv, json and markdown", "[runner][report]") {
  SECTION("csv: a header and one row per group, full precision") {
    const auto r = runActsweep(
        {"report", tinyDatabase(), "--format", "csv", "--metric", "final_test_acc,dead_fraction"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == kExitOk);
    const auto output = lines(r.out);
    REQUIRE(output.size() == 4);
    CHECK(output[0] ==
          "activation,alpha,n,final_test_acc_n,final_test_acc_mean,final_test_acc_std,"
          "final_test_acc_ci_low,final_test_acc_ci_high,dead_fraction_n,dead_fraction_mean,"
          "dead_fraction_std,dead_fraction_ci_low,dead_fraction_ci_high");
    for (std::size_t i = 1; i < output.size(); ++i) CHECK(split(output[i], ',').size() == 13);
    CHECK_THAT(output[3], StartsWith("relu,,3,3,"));
  }
  SECTION("json: an array of objects") {
    const auto r = runActsweep({"report", tinyDatabase(), "--format", "json", "--by", "activation"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == kExitOk);
    const auto rows = nlohmann::json::parse(r.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["activation"] == "leaky_relu");
    CHECK(rows[0]["n"] == 6);
    CHECK(rows[1]["n"] == 3);
    CHECK(rows[1]["final_test_acc_mean"].is_number());
    CHECK(rows[1]["final_test_acc_ci_low"].get<double>() <= rows[1]["final_test_acc_mean"].get<double>());
  }
  SECTION("markdown: a pipe table") {
    const auto r = runActsweep({"report", tinyDatabase(), "--format", "markdown"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == kExitOk);
    const auto output = lines(r.out);
    REQUIRE(output.size() >= 5);
    CHECK(output[0] == "| activation | alpha | n | final_test_acc | std | 95% CI |");
    CHECK(output[1] == "|---|---|---|---|---|---|");
    CHECK_THAT(output[4], StartsWith("| relu | - | 3 | "));
    CHECK_THAT(r.out, Contains("0 runs excluded: not done"));
  }
}

TEST_CASE("report: --vs pairs runs by every other setting and the seed", "[runner][report]") {
  const auto r =
      runActsweep({"report", tinyDatabase(), "--vs", "activation=relu,activation=leaky_relu", "--metric",
                   "final_test_acc", "--metric", "final_test_loss", "--format", "json"});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  const auto rows = nlohmann::json::parse(r.out);
  // model.alpha only exists for leaky_relu: one comparison per alpha, 3 seeds each.
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) {
    CHECK(row["pairs"] == 3);
    CHECK(row["a"] == "activation=relu");
    CHECK(row["b"] == "activation=leaky_relu");
    CHECK(row["t_p_value"].is_number());
    CHECK(row["wilcoxon_p_value"].is_number());
  }
  CHECK(rows[0]["context"] == "model.alpha=0.01");
  CHECK(rows[2]["context"] == "model.alpha=0.1");

  const auto table = runActsweep({"report", tinyDatabase(), "--vs", "activation=relu,activation=leaky_relu"});
  REQUIRE(table.exitCode == kExitOk);
  CHECK_THAT(table.out, StartsWith("activation=relu vs activation=leaky_relu: difference B - A"));

  const auto none = runActsweep({"report", tinyDatabase(), "--vs", "activation=relu,activation=tanh"});
  REQUIRE(none.exitCode == kExitOk);
  CHECK(lines(none.out) == std::vector<std::string>{
                               "no pairs: no done run with activation=tanh among the 9 selected done runs"});

  const auto bad = runActsweep({"report", tinyDatabase(), "--vs", "activation=relu"});
  CHECK(bad.exitCode == kExitBadInput);
  CHECK(lines(bad.err).size() == 1);
}

TEST_CASE("report: --plot writes the learning curves, dead fraction and heatmap", "[runner][report][plot]") {
  if (!actsweep::results::gnuplotAvailable()) {
    WARN("skipped: gnuplot not installed (scripts/install-deps installs gnuplot-nox)");
    return;
  }
  const TempDir temp;
  const auto directory = temp.path / "plots";
  const auto r =
      runActsweep({"report", tinyDatabase(), "--by", "activation,alpha", "--plot", directory.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  for (const char* name : {"learning_curves", "dead_fraction_by_layer", "heatmap"})
    for (const char* extension : {".svg", ".png"}) {
      const auto file = directory / (std::string(name) + extension);
      INFO(file);
      CHECK(std::filesystem::exists(file));
      CHECK(std::filesystem::file_size(file) > 1000);
    }
}

TEST_CASE("report: --where filters, and refuses anything but column OP value", "[runner][report]") {
  const auto r = runActsweep({"report", tinyDatabase(), "--where", "activation = leaky_relu", "--where",
                              "alpha < 0.05", "--format", "csv", "--by", "activation,alpha"});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  REQUIRE(lines(r.out).size() == 2);
  CHECK_THAT(lines(r.out)[1], StartsWith("leaky_relu,0.01,3,"));

  for (const char* attack : {"norm='none'; drop table runs", "1=1 or", "colour = red", "norm = 'x' or 1=1",
                             "activation = relu; DELETE FROM runs"}) {
    const auto refused = runActsweep({"report", tinyDatabase(), "--where", attack});
    INFO(attack << ": " << refused.out << refused.err);
    CHECK(refused.exitCode == kExitBadInput);
    CHECK(refused.out.empty());
    CHECK(lines(refused.err).size() == 1);
    CHECK_THAT(refused.err, StartsWith("actsweep report: --where"));
  }
  CHECK(scalar(tinyDatabase(), "SELECT count(*) FROM runs") == 9);
  CHECK(scalar(tinyDatabase(), "SELECT count(*) FROM sqlite_master WHERE name = 'runs'") == 1);

  const auto unknownMetric = runActsweep({"report", tinyDatabase(), "--metric", "accuracy"});
  CHECK(unknownMetric.exitCode == kExitBadInput);
  CHECK_THAT(unknownMetric.err, Contains("unknown metric 'accuracy'"));
  const auto missing = runActsweep({"report", tinyDatabase() + ".missing"});
  CHECK(missing.exitCode == kExitBadInput);
  CHECK_THAT(missing.err, Contains("no such database"));
  CHECK_FALSE(fs::exists(tinyDatabase() + ".missing"));
}

TEST_CASE("export: every table and view as csv and json", "[runner][report]") {
  for (const char* table : {"meta", "sweeps", "runs", "epochs", "layer_stats"}) {
    const auto csv = runActsweep({"export", tinyDatabase(), "--table", table});
    INFO(table << csv.err);
    REQUIRE(csv.exitCode == kExitOk);
    const long rows = scalar(tinyDatabase(), std::string("SELECT count(*) FROM ") + table);
    // Exported values have no line breaks in this database (spec_yaml has: it is quoted).
    if (std::string(table) != "sweeps") CHECK(static_cast<long>(lines(csv.out).size()) == rows + 1);
    const auto json = runActsweep({"export", tinyDatabase(), "--table", table, "--format", "json"});
    REQUIRE(json.exitCode == kExitOk);
    CHECK(static_cast<long>(nlohmann::json::parse(json.out).size()) == rows);
  }
  for (const char* view : {"run_summary", "group_summary", "layer_summary"}) {
    const auto json = runActsweep({"export", tinyDatabase(), "--view", view, "--format", "json"});
    INFO(view << json.err);
    REQUIRE(json.exitCode == kExitOk);
    CHECK(static_cast<long>(nlohmann::json::parse(json.out).size()) ==
          scalar(tinyDatabase(), std::string("SELECT count(*) FROM ") + view));
  }
  const auto groups = nlohmann::json::parse(
      runActsweep({"export", tinyDatabase(), "--view", "group_summary", "--format", "json"}).out);
  REQUIRE(groups.size() == 3);
  for (const auto& group : groups) CHECK(group["n"] == 3);

  const auto sweeps = runActsweep({"export", tinyDatabase(), "--table", "sweeps"});
  CHECK_THAT(sweeps.out, Contains("\"name: tiny\n"));

  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--table", "sqlite_master"},
                                             {"--view", "runs"},
                                             {"--table", "runs; drop table runs"},
                                             {"--table", "runs", "--view", "run_summary"},
                                             {}}) {
    std::vector<std::string> arguments = {"export", tinyDatabase()};
    arguments.insert(arguments.end(), bad.begin(), bad.end());
    const auto r = runActsweep(arguments);
    INFO(r.err);
    CHECK(r.exitCode == kExitBadInput);
    CHECK(lines(r.err).size() == 1);
  }
  CHECK(scalar(tinyDatabase(), "SELECT count(*) FROM runs") == 9);
}
