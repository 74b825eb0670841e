// results::writePlots on a small database written through results::Store:
// the SVG and PNG files appear, with their axis labels; unknown columns are
// refused; a missing gnuplot is one line that says how to install it.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "results/plots.hpp"
#include "results/store.hpp"

using namespace actsweep;
using namespace actsweep::results;
using Catch::Matchers::Contains;

namespace {

// A fresh directory in the temporary directory, removed with the object.
class TempDirectory {
 public:
  TempDirectory() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ =
        std::filesystem::temp_directory_path() / ("actsweep-test-plots-" + std::to_string(::getpid()) + "-" +
                                                  std::to_string(random()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string contentsOf(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

nlohmann::json configFor(const std::string& activation, double lr, int seed) {
  nlohmann::json config = {{"model.activation", activation},
                           {"model.hidden", {8, 8, 4}},
                           {"model.init", "he"},
                           {"model.norm", "none"},
                           {"data.dataset", "xor"},
                           {"train.optimizer", "sgd"},
                           {"train.lr", lr},
                           {"train.batch_size", 16},
                           {"train.epochs", 4},
                           {"seed", seed}};
  if (activation == "leaky_relu") config["model.alpha"] = 0.01;
  return config;
}

// A done run of 4 epochs and 3 hidden layers whose numbers depend on its
// settings and seed, so groups differ and seeds spread.
RunRecord recordFor(std::int64_t runId, const nlohmann::json& config) {
  const bool relu = config["model.activation"] == "relu";
  const double lr = config["train.lr"];
  const int seed = config["seed"];
  RunRecord record;
  record.runId = runId;
  record.status = RunStatus::Done;
  for (int epoch = 0; epoch <= 4; ++epoch) {
    model::EpochMetrics metrics;
    metrics.epoch = epoch;
    metrics.trainLoss = 0.7 / (1 + epoch * lr * 10);
    metrics.testLoss = 0.75 / (1 + epoch * lr * 10);
    metrics.testAccuracy = 0.5 + (relu ? 0.08 : 0.1) * epoch * (lr * 10) / (1 + lr * 10) + 0.02 * seed;
    metrics.trainAccuracy = metrics.testAccuracy;
    metrics.learningRate = epoch == 0 ? model::kNotMeasured : lr;
    record.epochs.push_back(metrics);
    for (int layer = 1; layer <= 3; ++layer) {
      model::LayerStats stats;
      stats.epoch = epoch;
      stats.layer = layer;
      stats.deadFraction = relu ? 0.05 * layer * epoch + 0.01 * seed : 0.01 * seed;
      record.layers.push_back(stats);
    }
  }
  record.result.epochsCompleted = 4;
  record.result.final = record.epochs.back();
  record.result.finalDeadFraction = record.layers.back().deadFraction;
  record.wallSeconds = 0.5;
  record.startedAt = record.finishedAt = isoUtcNow();
  return record;
}

// relu and leaky_relu x lr 0.1 and 0.01 x seeds 1..3, all done.
void writeSweep(const std::string& path) {
  Store store(path);
  SweepRecord sweep;
  sweep.name = "plots";
  sweep.specText = "name: plots\n";
  sweep.specHash = "0123456789abcdef";
  sweep.overridesJson = "[]";
  const auto sweepId = store.recordSweep(sweep);
  std::vector<RunToAdd> runs;
  std::vector<std::string> keys;
  for (const char* activation : {"relu", "leaky_relu"})
    for (double lr : {0.1, 0.01})
      for (int seed = 1; seed <= 3; ++seed) {
        RunToAdd run;
        run.runKey = "key" + std::to_string(runs.size());
        run.config = configFor(activation, lr, seed);
        runs.push_back(run);
        keys.push_back(run.runKey);
      }
  REQUIRE(store.addRuns(sweepId, runs) == static_cast<int>(runs.size()));
  const auto claimed =
      store.claim(keys, static_cast<int>(keys.size()), Owner{"test-host", ::getpid(), 600}, false);
  REQUIRE(claimed.size() == runs.size());
  std::vector<RunRecord> records;
  for (const auto& run : claimed) records.push_back(recordFor(run.runId, run.config));
  store.finish(records);
}

void checkImages(const std::vector<std::string>& written, const std::string& name) {
  for (const char* extension : {".svg", ".png"}) {
    const auto found = std::find_if(written.begin(), written.end(), [&](const std::string& path) {
      return std::filesystem::path(path).filename() == name + extension;
    });
    REQUIRE(found != written.end());
    REQUIRE(std::filesystem::exists(*found));
    CHECK(std::filesystem::file_size(*found) > 1000);
  }
}

}  // namespace

TEST_CASE("writePlots draws learning curves, dead fraction by layer and a heatmap", "[plot]") {
  if (!gnuplotAvailable()) {
    WARN("skipped: gnuplot not installed");
    return;
  }
  TempDirectory temp;
  const auto database = (temp.path() / "results.db").string();
  writeSweep(database);
  const auto output = temp.path() / "plots";

  SECTION("grouped by the columns that vary when none are named") {
    const auto written = writePlots(database, PlotOptions{}, output.string());
    CHECK(written.size() == 6);
    checkImages(written, "learning_curves");
    checkImages(written, "dead_fraction_by_layer");
    checkImages(written, "heatmap");

    const auto curves = contentsOf((output / "learning_curves.svg").string());
    CHECK_THAT(curves, Contains("epoch"));
    CHECK_THAT(curves, Contains("test accuracy"));
    // activation, alpha (NULL for relu) and lr vary; seed never groups.
    CHECK_THAT(curves, Contains("activation=leaky_relu alpha=0.01 lr=0.01"));
    CHECK_THAT(curves, Contains("activation=relu alpha=n/a lr=0.1"));
    CHECK_THAT(curves, !Contains("seed="));

    const auto dead = contentsOf((output / "dead_fraction_by_layer.svg").string());
    CHECK_THAT(dead, Contains("hidden layer"));
    CHECK_THAT(dead, Contains("dead fraction"));

    const auto heat = contentsOf((output / "heatmap.svg").string());
    CHECK_THAT(heat, Contains("activation"));
    CHECK_THAT(heat, Contains("alpha"));
    CHECK_THAT(heat, Contains("final_test_acc"));

    // Mean and sample std over the 3 seeds: epoch 0 accuracy is 0.5 + 0.02 seed.
    const auto data = contentsOf((output / "learning_curves.dat").string());
    CHECK_THAT(data, Contains("0 0.54 0.02 3"));
  }

  SECTION("grouped by named columns, heatmap of another metric") {
    PlotOptions options;
    options.by = {"lr", "activation"};
    options.metric = "dead_fraction";
    const auto written = writePlots(database, options, output.string());
    CHECK(written.size() == 6);
    const auto curves = contentsOf((output / "learning_curves.svg").string());
    CHECK_THAT(curves, Contains("lr=0.01 activation=relu"));
    const auto heat = contentsOf((output / "heatmap.svg").string());
    CHECK_THAT(heat, Contains("dead_fraction"));
  }

  SECTION("one grouping column: no heatmap") {
    PlotOptions options;
    options.by = {"activation"};
    const auto written = writePlots(database, options, output.string());
    CHECK(written.size() == 4);
    CHECK_FALSE(std::filesystem::exists(output / "heatmap.svg"));
  }

  SECTION("unknown columns and metrics are refused before anything is written") {
    PlotOptions options;
    options.by = {"activation; DROP TABLE runs"};
    CHECK_THROWS_WITH(writePlots(database, options, output.string()), Contains("unknown plot column"));
    options.by = {"seed"};
    CHECK_THROWS_AS(writePlots(database, options, output.string()), std::invalid_argument);
    options.by.clear();
    options.metric = "status";
    CHECK_THROWS_WITH(writePlots(database, options, output.string()), Contains("unknown plot metric"));
    CHECK_FALSE(std::filesystem::exists(output));
  }
}

TEST_CASE("writePlots without gnuplot on PATH says how to install it", "[plot]") {
  const char* path = std::getenv("PATH");
  const std::string savedPath = path ? path : "";
  TempDirectory temp;
  ::setenv("PATH", temp.path().c_str(), 1);  // an empty directory: no gnuplot
  const bool available = gnuplotAvailable();
  std::string message;
  try {
    writePlots((temp.path() / "results.db").string(), PlotOptions{}, (temp.path() / "plots").string());
  } catch (const std::runtime_error& error) {
    message = error.what();
  }
  ::setenv("PATH", savedPath.c_str(), 1);
  CHECK_FALSE(available);
  CHECK(message == "gnuplot not found: install gnuplot-nox (scripts/install-deps does)");
}
