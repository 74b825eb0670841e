// `actsweep validate` and `actsweep plan`, in process: sweep file -> runs ->
// table, JSON lines, counts, cost, exit codes. Also checks the shipped
// experiments/*.yaml.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.hpp"
#include "model/data/dataset.hpp"
#include "runner/cli.hpp"
#include "runner/cost.hpp"
#include "runner/plan_command.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::Matches;
using Catch::Matchers::StartsWith;

namespace {

// A sweep file in the temporary directory, removed with the object.
class SpecFile {
 public:
  SpecFile(const std::string& name, const std::string& text)
      : path_((std::filesystem::temp_directory_path() / ("actsweep-test-" + name + ".yaml")).string()) {
    std::ofstream(path_) << text;
  }
  ~SpecFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// 2 activations x 3 alphas x 2 seeds = 12 points; relu's alphas collapse: 8 runs.
const std::string kSmallSweep = R"(name: small
description: does a leak help on xor?
data: {dataset: xor, samples: 400}
model: {hidden: [8, 8], init: he_normal}
train: {epochs: 2, lr: 0.1}
seeds: 2
grid:
  model.activation: [relu, leaky_relu]
  model.alpha: [0.01, 0.1, 0.3]
)";

}  // namespace

TEST_CASE("validate: a good sweep prints its counts and exits 0", "[plan]") {
  const SpecFile spec("validate-ok", kSmallSweep);
  const auto r = runActsweep({"validate", spec.path()});
  INFO(r.err);
  CHECK(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  CHECK(r.out == spec.path() + ": ok: 8 runs (12 points, 4 collapsed)\n");
}

TEST_CASE("validate: excluded points are counted apart", "[plan]") {
  const SpecFile spec(
      "validate-exclude",
      kSmallSweep + "exclude:\n  - {model.activation: leaky_relu, model.alpha: [0.1, 0.3]}\n");
  const auto r = runActsweep({"validate", spec.path()});
  INFO(r.err);
  CHECK(r.exitCode == kExitOk);
  CHECK(r.out == spec.path() + ": ok: 4 runs (12 points, 4 collapsed, 4 excluded)\n");
}

TEST_CASE("validate: every spec error is one line on stderr, exit 2", "[plan]") {
  const SpecFile spec("validate-bad", R"(name: bad
data: {dataset: xor}
model: {activaton: relu, init: he_normall}
seeds: 1
)");
  const auto r = runActsweep({"validate", spec.path()});
  CHECK(r.exitCode == kExitBadInput);
  CHECK(r.out.empty());
  const auto errors = lines(r.err);
  REQUIRE(errors.size() >= 2);
  for (const auto& line : errors) CHECK_THAT(line, StartsWith(spec.path() + ":"));
  CHECK_THAT(r.err, Contains("activaton") && Contains("he_normall"));
}

TEST_CASE("validate: a run whose configuration does not build is named by its key", "[plan]") {
  // Each value is fine with the file's other settings; one combination has
  // rrelu's lower bound above its upper bound.
  const SpecFile spec("validate-run", R"(name: rrelu
data: {dataset: xor}
model: {hidden: [4], activation: rrelu, rrelu_lower: 0.05, rrelu_upper: 0.9}
seeds: 1
grid:
  model.rrelu_lower: [0.1, 0.5]
  model.rrelu_upper: [0.3, 0.6]
)");
  const auto r = runActsweep({"validate", spec.path()});
  CHECK(r.exitCode == kExitBadInput);
  CHECK(r.out.empty());
  const auto errors = lines(r.err);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0],
             Matches(".*: run [0-9a-f]{16} \\(model.rrelu_lower=0.5, model.rrelu_upper=0.3, seed=0\\): "
                     "rrelu: need 0 <= lower <= upper.*"));
  // plan refuses the same run the same way, and prints nothing on stdout.
  const auto plan = runActsweep({"plan", spec.path(), "--json"});
  CHECK(plan.exitCode == kExitBadInput);
  CHECK(plan.out.empty());
  CHECK(plan.err == r.err);
}

TEST_CASE("plan: a table of runs, the counts per value and the cost", "[plan]") {
  const SpecFile spec("plan-table", kSmallSweep);
  const auto r = runActsweep({"plan", spec.path()});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  const auto output = lines(r.out);
  CHECK(output[0] == spec.path() + ": 8 runs");
  CHECK_THAT(output[1], StartsWith("#  run_key") && Contains("model.activation") && Contains("model.alpha") &&
                            EndsWith("seed"));
  CHECK_THAT(output[2], StartsWith("0  ") && Contains("relu") && Contains(" - "));  // relu has no alpha
  CHECK_THAT(output[9], StartsWith("7  ") && Contains("leaky_relu") && Contains("0.3"));
  CHECK_THAT(r.out, Contains("model.activation  relu: 2, leaky_relu: 6"));
  CHECK_THAT(r.out, Contains("model.alpha       0.01: 2, 0.1: 2, 0.3: 2, not applicable: 2"));
  CHECK_THAT(r.out, Contains("seed              2 seeds (0 .. 1), 4 runs each"));
  CHECK_THAT(r.out, Contains("12 points, 4 collapsed duplicates, 8 runs"));
  CHECK_THAT(r.out, Contains("2 -> 8 -> 8 -> 2") && Contains("xor 288/32/80"));
  CHECK_THAT(output.back(), StartsWith("total: ") && EndsWith("FLOP for 8 runs"));
}

TEST_CASE("plan: long sweeps show the first 50 runs unless --all", "[plan]") {
  const SpecFile spec("plan-long", R"(name: long
data: {dataset: xor, samples: 200}
model: {hidden: [4]}
train: {epochs: 1}
seeds: 60
)");
  const auto shortened = runActsweep({"plan", spec.path()});
  INFO(shortened.err);
  REQUIRE(shortened.exitCode == kExitOk);
  CHECK_THAT(shortened.out, Contains("\n49  ") && !Contains("\n50  "));
  CHECK_THAT(shortened.out, Contains("... 10 more runs not shown (--all"));
  const auto all = runActsweep({"plan", spec.path(), "--all"});
  CHECK_THAT(all.out, Contains("\n59  ") && !Contains("more runs not shown"));
}

TEST_CASE("plan --json: one object per run and nothing else", "[plan]") {
  const SpecFile spec("plan-json", kSmallSweep);
  const auto r = runActsweep({"plan", spec.path(), "--json"});
  INFO(r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  const auto output = lines(r.out);
  REQUIRE(output.size() == 8);
  for (std::size_t i = 0; i < output.size(); ++i) {
    CHECK_THAT(output[i], StartsWith("{\"index\":" + std::to_string(i) + ",\"run_key\":\""));
    const auto run = nlohmann::json::parse(output[i]);
    REQUIRE(run.size() == 3);
    CHECK(run["index"] == i);
    CHECK(run["run_key"] == runKeyOf(run["config"].dump()));  // the key is the hash of the config as printed
    CHECK(run["config"]["seed"] == i % 2);
    CHECK(run["config"]["train.epochs"] == 2);       // from the file
    CHECK(run["config"]["train.batch_size"] == 64);  // a default, written out
  }
  CHECK_FALSE(nlohmann::json::parse(output[0])["config"].contains("model.alpha"));  // relu
}

TEST_CASE("plan --set: each use overrides one setting", "[plan]") {
  const SpecFile spec("plan-set", kSmallSweep);
  const auto r = runActsweep({"plan", spec.path(), "--set", "train.epochs=7", "--set", "seeds=3", "--json"});
  INFO(r.err);
  REQUIRE(r.exitCode == kExitOk);
  const auto output = lines(r.out);
  REQUIRE(output.size() == 12);
  for (const auto& line : output) CHECK(nlohmann::json::parse(line)["config"]["train.epochs"] == 7);
  // An override changes the config, so it changes the keys.
  const auto plain = lines(runActsweep({"plan", spec.path(), "--json"}).out);
  CHECK(nlohmann::json::parse(plain[0])["run_key"] != nlohmann::json::parse(output[0])["run_key"]);

  const auto validate = runActsweep({"validate", spec.path(), "--set", "model.activation=tanh"});
  INFO(validate.err);
  CHECK(validate.exitCode == kExitOk);
}

TEST_CASE("plan --max-runs: larger sweeps are refused with one line, exit 2", "[plan]") {
  const SpecFile spec("plan-max", kSmallSweep);
  const auto refused = runActsweep({"plan", spec.path(), "--max-runs", "11", "--json"});
  CHECK(refused.exitCode == kExitBadInput);
  CHECK(refused.out.empty());
  REQUIRE(lines(refused.err).size() == 1);
  CHECK_THAT(refused.err, Contains("12 points") && Contains("11") && Contains("--max-runs"));
  CHECK(runActsweep({"plan", spec.path(), "--max-runs", "12", "--json"}).exitCode == kExitOk);
  CHECK(runActsweep({"validate", spec.path(), "--max-runs", "11"}).exitCode == kExitBadInput);
  CHECK(runActsweep({"plan", spec.path(), "--max-runs", "0"}).exitCode == kExitBadInput);
}

TEST_CASE("plan and validate: bad arguments are one line, exit 2", "[plan]") {
  for (const std::vector<std::string>& arguments : {std::vector<std::string>{"plan"},
                                                    {"validate"},
                                                    {"plan", "/nonexistent/sweep.yaml"},
                                                    {"validate", "/nonexistent/sweep.yaml"},
                                                    {"plan", "x.yaml", "--no-such-option"}}) {
    const auto r = runActsweep(arguments);
    INFO(arguments.back() << " -> " << r.err);
    CHECK(r.exitCode == kExitBadInput);
    CHECK(lines(r.err).size() == 1);
  }
  const auto help = runActsweep({"plan", "--help"});
  CHECK(help.exitCode == kExitOk);
  CHECK_THAT(help.out, Contains("--set") && Contains("--json") && Contains("--max-runs"));
}

TEST_CASE("plan: the cost estimate counts weights, samples and epochs", "[plan]") {
  RunConfig run;
  run.settings = applicableOnly(defaultSettings());
  run.settings["data.dataset"] = "xor";
  run.settings["data.samples"] = 1000;
  run.settings["model.hidden"] = Value::array({8});
  run.settings["model.norm"] = "batch";
  run.settings["train.epochs"] = 2;
  run.settings["seed"] = 0;
  RunConfig other = run;
  other.settings["seed"] = 1;

  const CostEstimate cost = estimateCost({run, other});
  REQUIRE(cost.networks.size() == 1);
  const NetworkCost& n = cost.networks[0];
  CHECK(n.network == "2 -> 8 -> 2, batch norm");
  CHECK(n.runs == 2);
  CHECK(n.weights == 2 * 8 + 8 * 2);
  CHECK(n.parameters == 32 + 8 + 2 + 2 * 8);  // weights, biases, batch-norm scale and shift
  const auto data = actsweep::data::loadDataset(toTrainJob(run.settings, 0).data);
  const double train = static_cast<double>(data->train.size());
  const double held = static_cast<double>(data->validation.size() + data->test.size());
  CHECK(n.flopsPerEpoch == Approx(6 * 32 * train + 2 * 32 * held));
  CHECK(cost.flops == Approx(2 * (2 * n.flopsPerEpoch + 2 * 32 * (train + held))));
}

TEST_CASE("experiments: every shipped sweep file validates", "[plan]") {
  struct Shipped {
    std::string file;
    std::string runs;
  };
  const std::vector<Shipped> shipped = {{"quickstart.yaml", "8 runs"},
                                        {"dying_relu.yaml", "126 runs"},
                                        {"alpha_sweep.yaml", "35 runs"},
                                        {"init_norm.yaml", "120 runs"},
                                        {"born_dead.yaml", "3200 runs"}};
  for (const Shipped& s : shipped) {
    const std::string path = std::string(ACTSWEEP_SOURCE_DIR) + "/experiments/" + s.file;
    const auto r = runActsweep({"validate", path});
    INFO(s.file << ": " << r.err);
    CHECK(r.exitCode == kExitOk);
    CHECK_THAT(r.out, StartsWith(path + ": ok: " + s.runs + " ("));
    std::ifstream file(path);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, Contains("\ndescription:"));
  }
}
