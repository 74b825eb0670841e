// results::writePlots on small databases written through results::Store:
// the SVG and PNG files appear, with their axis labels, and their .dat files
// hold the means the plots draw; unknown columns, metrics and epochs are
// refused; a missing gnuplot is one line that says how to install it.
#include <SQLiteCpp/Database.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "results/plots.hpp"
#include "results/store.hpp"

using namespace actsweep;
using namespace actsweep::results;
using actsweep::testing::readText;
using actsweep::testing::TempDir;
using Catch::Matchers::Contains;

namespace {

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
  config["data.raw_pixels"] = lr > 0.05;  // a setting without a column of its own
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

// One sweep of done runs, one per config, each stored as `recordOf` writes it.
template <typename RecordOf>
void writeRuns(const std::string& path, const std::vector<nlohmann::json>& configs, RecordOf recordOf) {
  Store store(path);
  SweepRecord sweep;
  sweep.name = "plots";
  sweep.specText = "name: plots\n";
  sweep.specHash = "0123456789abcdef";
  sweep.overridesJson = "[]";
  const auto sweepId = store.recordSweep(sweep);
  std::vector<RunToAdd> runs;
  std::vector<std::string> keys;
  for (const auto& config : configs) {
    RunToAdd run;
    run.runKey = "key" + std::to_string(runs.size());
    run.config = config;
    runs.push_back(run);
    keys.push_back(run.runKey);
  }
  REQUIRE(store.addRuns(sweepId, runs) == static_cast<int>(runs.size()));
  store.setClaimableKeys(keys);
  const auto claimed = store.claim(static_cast<int>(keys.size()), Owner{"test-host", ::getpid(), 600}, false);
  REQUIRE(claimed.size() == runs.size());
  std::vector<RunRecord> records;
  for (const auto& run : claimed) records.push_back(recordOf(run.runId, run.config));
  store.finish(records);
}

// relu and leaky_relu x lr 0.1 and 0.01 x seeds 1..3, all done.
void writeSweep(const std::string& path) {
  std::vector<nlohmann::json> configs;
  for (const char* activation : {"relu", "leaky_relu"})
    for (double lr : {0.1, 0.01})
      for (int seed = 1; seed <= 3; ++seed) configs.push_back(configFor(activation, lr, seed));
  writeRuns(path, configs, recordFor);
}

// The study database: leaky_relu, init he or xavier x alpha 0.01, 0.1, 1 x
// seeds 1 and 2; 2 epochs, 3 hidden layers. Its numbers are simple functions
// of the settings, so a test can say what each mean must be.
double studyAccuracy(const std::string& init, double alpha, int seed) {
  return 0.6 + (init == "xavier" ? 0.05 : 0.0) + 0.1 * alpha + 0.02 * seed;
}
// Spans orders of magnitude across layers (a vanishing signal), grows with epoch and seed.
double studyActStd(const std::string& init, int layer, int epoch, int seed) {
  return (init == "xavier" ? 0.5 : 1.0) * std::pow(0.01, layer - 1) * (seed + epoch);
}

RunRecord studyRecord(std::int64_t runId, const nlohmann::json& config) {
  const std::string init = config["model.init"];
  const double alpha = config["model.alpha"];
  const int seed = config["seed"];
  RunRecord record;
  record.runId = runId;
  record.status = RunStatus::Done;
  for (int epoch = 0; epoch <= 2; ++epoch) {
    model::EpochMetrics metrics;
    metrics.epoch = epoch;
    metrics.testAccuracy = studyAccuracy(init, alpha, seed) - 0.1 * (2 - epoch);
    metrics.trainAccuracy = metrics.testAccuracy;
    metrics.trainLoss = 1.0 - 0.2 * epoch;
    // One run's test loss blows up for an epoch: the curves must leave it out.
    const bool blowsUp = init == "xavier" && alpha == 1.0 && seed == 2 && epoch == 1;
    metrics.testLoss = blowsUp ? std::numeric_limits<double>::infinity() : 0.5 + 0.1 * seed - 0.1 * epoch;
    record.epochs.push_back(metrics);
    for (int layer = 1; layer <= 3; ++layer) {
      model::LayerStats stats;
      stats.epoch = epoch;
      stats.layer = layer;
      stats.activationStd = studyActStd(init, layer, epoch, seed);
      stats.activationMean = 0.1 * layer;
      record.layers.push_back(stats);
    }
  }
  record.result.epochsCompleted = 2;
  record.result.final = record.epochs.back();
  record.result.bornDead = init == "xavier" && alpha == 0.01 && seed == 1;  // xavier at 0.01: half
  record.wallSeconds = 0.5;
  record.startedAt = record.finishedAt = isoUtcNow();
  return record;
}

void writeStudy(const std::string& path) {
  std::vector<nlohmann::json> configs;
  for (const char* init : {"he", "xavier"})
    for (double alpha : {0.01, 0.1, 1.0})
      for (int seed = 1; seed <= 2; ++seed) {
        auto config = configFor("leaky_relu", 0.1, seed);
        config["model.init"] = init;
        config["model.alpha"] = alpha;
        configs.push_back(config);
      }
  writeRuns(path, configs, studyRecord);
}

// The numbers of a .dat file: its blocks (separated by blank lines) of rows,
// comments left out.
using DataBlocks = std::vector<std::vector<std::vector<double>>>;
DataBlocks dataBlocks(const std::filesystem::path& path) {
  DataBlocks blocks(1);
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    if (line.empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    if (line[0] == '#') continue;
    std::istringstream numbers(line);
    std::vector<double> row;
    for (double number; numbers >> number;) row.push_back(number);
    blocks.back().push_back(row);
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

// The row of `block` that starts with the numbers `start` (a layer, an
// epoch, an x; x and y of a heatmap cell); fails the test when none does.
std::vector<double> rowAt(const DataBlocks& blocks, std::size_t block, const std::vector<double>& start) {
  REQUIRE(block < blocks.size());
  for (const auto& row : blocks[block])
    if (row.size() >= start.size() && std::equal(start.begin(), start.end(), row.begin(),
                                                 [](double a, double b) { return a == Approx(b); }))
      return row;
  FAIL("no row starting with " << start[0] << " in block " << block);
  return {};
}

// The path of `file` among the files writePlots returned; "" when it is not there.
std::string writtenPath(const std::vector<std::string>& written, const std::string& file) {
  const auto found = std::find_if(written.begin(), written.end(), [&](const std::string& path) {
    return std::filesystem::path(path).filename() == file;
  });
  return found == written.end() ? "" : *found;
}

void checkImages(const std::vector<std::string>& written, const std::string& name) {
  for (const char* extension : {".svg", ".png"}) {
    INFO(name + extension);
    const auto path = writtenPath(written, name + extension);
    REQUIRE(!path.empty());
    REQUIRE(std::filesystem::exists(path));
    CHECK(std::filesystem::file_size(path) > 1000);
  }
}

// Whether gnuplot is missing; the test then says it skipped.
bool gnuplotMissing() {
  if (gnuplotAvailable()) return false;
  WARN("skipped: gnuplot not installed");
  return true;
}

// A fresh directory with a results database, and where the plots go.
struct PlotDirectory {
  TempDir temp;
  std::string database = temp / "results.db";
  std::filesystem::path output = temp.path / "plots";
};
struct SweepPlots : PlotDirectory {
  SweepPlots() { writeSweep(database); }
};
struct StudyPlots : PlotDirectory {
  StudyPlots() { writeStudy(database); }
};

}  // namespace

TEST_CASE_METHOD(SweepPlots, "writePlots draws learning curves, dead fraction by layer and a heatmap",
                 "[plot]") {
  if (gnuplotMissing()) return;

  SECTION("grouped by the columns that vary when none are named") {
    const auto written = writePlots(database, PlotOptions{}, output.string());
    CHECK(written.size() == 6);
    checkImages(written, "learning_curves");
    checkImages(written, "dead_fraction_by_layer");
    checkImages(written, "heatmap");

    const auto curves = readText(output / "learning_curves.svg");
    CHECK_THAT(curves, Contains("epoch"));
    CHECK_THAT(curves, Contains("test accuracy"));
    // activation, alpha (NULL for relu) and lr vary; seed never groups.
    CHECK_THAT(curves, Contains("activation=leaky_relu alpha=0.01 lr=0.01"));
    CHECK_THAT(curves, Contains("activation=relu alpha=n/a lr=0.1"));
    CHECK_THAT(curves, !Contains("seed="));

    const auto dead = readText(output / "dead_fraction_by_layer.svg");
    CHECK_THAT(dead, Contains("hidden layer"));
    CHECK_THAT(dead, Contains("dead fraction"));

    const auto heat = readText(output / "heatmap.svg");
    CHECK_THAT(heat, Contains("activation"));
    CHECK_THAT(heat, Contains("alpha"));
    CHECK_THAT(heat, Contains("final test accuracy (final_test_acc)"));
    CHECK_THAT(readText(output / "plots.gp"), !Contains("set cbrange"));  // accuracy: gnuplot's range

    // Mean and sample std over the 3 seeds: epoch 0 accuracy is 0.5 + 0.02 seed.
    const auto data = readText(output / "learning_curves.dat");
    CHECK_THAT(data, Contains("0 0.54 0.02 3"));
  }

  SECTION("grouped by named columns, heatmap of another metric") {
    PlotOptions options;
    options.by = {"lr", "activation"};
    options.metric = "dead_fraction";
    const auto written = writePlots(database, options, output.string());
    CHECK(written.size() == 8);  // lr is numeric: dead_fraction_vs_lr too
    checkImages(written, "dead_fraction_vs_lr");
    // A fraction's heatmap colours start at 0.
    CHECK_THAT(readText(output / "plots.gp"), Contains("set cbrange [0:"));
    const auto curves = readText(output / "learning_curves.svg");
    CHECK_THAT(curves, Contains("lr=0.01 activation=relu"));
    const auto heat = readText(output / "heatmap.svg");
    CHECK_THAT(heat, Contains("dead_fraction"));
  }

  SECTION("one grouping column: no heatmap") {
    PlotOptions options;
    options.by = {"activation"};
    const auto written = writePlots(database, options, output.string());
    CHECK(written.size() == 4);
    CHECK_FALSE(std::filesystem::exists(output / "heatmap.svg"));
  }

  SECTION("a config key groups like a column") {
    PlotOptions options;
    options.by = {"activation", "data.raw_pixels"};
    writePlots(database, options, output.string());
    const auto curves = readText(output / "learning_curves.svg");
    CHECK_THAT(curves, Contains("activation=relu data.raw_pixels=true"));
    CHECK_THAT(curves, Contains("activation=leaky_relu data.raw_pixels=false"));
    options.by = {"data.raw_pixel"};
    CHECK_THROWS_WITH(writePlots(database, options, output.string()),
                      Contains("no selected run has this config key"));
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

TEST_CASE_METHOD(StudyPlots,
                 "writePlots: layer profile of another metric at epoch 0 or the last, of the --where runs",
                 "[plot]") {
  if (gnuplotMissing()) return;
  PlotOptions options;
  options.by = {"init"};
  options.where = {"alpha = 0.01"};  // 2 runs (seeds) per init instead of 6
  options.layerMetric = "act_std";

  SECTION("epoch 0: the initial network; log y axis for a std spanning 1e4") {
    options.layerEpoch = 0;
    const auto written = writePlots(database, options, output.string());
    checkImages(written, "act_std_by_layer");
    CHECK(writtenPath(written, "dead_fraction_by_layer.svg").empty());
    const auto blocks = dataBlocks(output / "act_std_by_layer.dat");
    REQUIRE(blocks.size() == 2);  // he, xavier
    // he, layer 2, epoch 0: 0.01 x (seed + 0) over seeds 1 and 2.
    const auto he = rowAt(blocks, 0, {2});
    CHECK(he[1] == Approx(0.015));
    CHECK(he[2] == Approx(0.01 / std::sqrt(2.0)).epsilon(1e-5));
    CHECK(he[3] == 2);
    CHECK(rowAt(blocks, 1, {2})[1] == Approx(0.0075));  // xavier: half of he
    CHECK(rowAt(blocks, 0, {3})[1] == Approx(0.00015));
    const auto svg = readText(output / "act_std_by_layer.svg");
    CHECK_THAT(svg, Contains("activation std per hidden layer at epoch 0 (initial network)"));
    CHECK_THAT(svg, Contains("activation std (act_std) (log scale)"));
    CHECK_THAT(readText(output / "plots.gp"), Contains("set logscale y"));
  }

  SECTION("last (the default) and a later epoch pick their rows") {
    writePlots(database, options, output.string());
    CHECK(rowAt(dataBlocks(output / "act_std_by_layer.dat"), 0, {2})[1] == Approx(0.035));  // epoch 2
    CHECK_THAT(readText(output / "act_std_by_layer.svg"), Contains("at the last epoch"));
    options.layerEpoch = 1;
    writePlots(database, options, output.string());
    CHECK(rowAt(dataBlocks(output / "act_std_by_layer.dat"), 0, {2})[1] == Approx(0.025));
  }

  SECTION("a metric that is not a std or norm keeps a linear axis") {
    options.layerMetric = "act_mean";
    const auto written = writePlots(database, options, output.string());
    checkImages(written, "act_mean_by_layer");
    CHECK(rowAt(dataBlocks(output / "act_mean_by_layer.dat"), 1, {3})[1] == Approx(0.3));
    CHECK_THAT(readText(output / "plots.gp"), !Contains("set logscale y"));
  }
}

TEST_CASE_METHOD(StudyPlots, "writePlots: a final metric against a numeric setting, with 95% CIs", "[plot]") {
  if (gnuplotMissing()) return;
  PlotOptions options;

  SECTION("x: alpha on a log axis (0.01 to 1); a line per init") {
    options.by = {"alpha", "init"};
    const auto written = writePlots(database, options, output.string());
    CHECK(written.size() == 8);
    checkImages(written, "final_test_acc_vs_alpha");
    const auto blocks = dataBlocks(output / "final_test_acc_vs_alpha.dat");
    REQUIRE(blocks.size() == 2);  // init=he, init=xavier
    // Seeds 1 and 2 differ by 0.02: std 0.02 / sqrt(2), standard error 0.01,
    // t(0.975, 1 df) = 12.7062.
    for (const double alpha : {0.01, 0.1, 1.0}) {
      INFO("alpha " << alpha);
      const double heMean = studyAccuracy("he", alpha, 1) + 0.01;
      const auto he = rowAt(blocks, 0, {alpha});
      CHECK(he[1] == Approx(heMean));
      CHECK(he[2] == Approx(heMean - 0.127062).epsilon(1e-5));
      CHECK(he[3] == Approx(heMean + 0.127062).epsilon(1e-5));
      CHECK(he[4] == 2);
      CHECK(rowAt(blocks, 1, {alpha})[1] == Approx(heMean + 0.05));
    }
    const auto svg = readText(output / "final_test_acc_vs_alpha.svg");
    CHECK_THAT(svg, Contains("alpha (log scale)"));
    CHECK_THAT(svg, Contains("init=xavier"));
    CHECK_THAT(readText(output / "plots.gp"), Contains("set logscale x"));
  }

  SECTION("no vs-plot when the first by column is not numeric") {
    options.by = {"init", "alpha"};
    const auto written = writePlots(database, options, output.string());
    CHECK(written.size() == 6);
    CHECK(writtenPath(written, "final_test_acc_vs_init.svg").empty());
    CHECK_FALSE(std::filesystem::exists(output / "final_test_acc_vs_init.dat"));
  }

  SECTION("born_dead: the heatmap's mean is the fraction of runs born dead") {
    options.by = {"init", "alpha"};
    options.metric = "born_dead";
    const auto written = writePlots(database, options, output.string());
    checkImages(written, "heatmap");
    const auto blocks = dataBlocks(output / "heatmap.dat");
    // Cells "x y mean runs": x 0 he, 1 xavier; y 0 alpha 0.01.
    CHECK(rowAt(blocks, 0, {1, 0})[2] == Approx(0.5));
    CHECK(rowAt(blocks, 0, {1, 0})[3] == 2);
    CHECK(rowAt(blocks, 0, {0, 0})[2] == 0);
    CHECK(rowAt(blocks, 0, {1, 1})[2] == 0);
    CHECK_THAT(readText(output / "heatmap.svg"), Contains("fraction of runs born dead"));

    // --where reads true as SQLite's 1: only the one run born dead.
    options.where = {"born_dead = true"};
    writePlots(database, options, output.string());
    CHECK(rowAt(dataBlocks(output / "heatmap.dat"), 0, {0, 0})[3] == 1);
  }
}

TEST_CASE_METHOD(StudyPlots, "writePlots: learning curves of another per-epoch metric", "[plot]") {
  if (gnuplotMissing()) return;
  PlotOptions options;
  options.by = {"init", "alpha"};
  // lr is also a column of epochs: the filter must name the run's.
  options.where = {"lr >= 0.1"};

  SECTION("test loss, linear, without the one infinite value") {
    options.curve = "test_loss";
    const auto written = writePlots(database, options, output.string());
    checkImages(written, "learning_curves");
    const auto blocks = dataBlocks(output / "learning_curves.dat");
    REQUIRE(blocks.size() == 6);
    // xavier, alpha 1 (block 5): seed 2's epoch 1 loss is infinite, seed 1's is 0.5.
    const auto diverging = rowAt(blocks, 5, {1});
    CHECK(diverging[1] == Approx(0.5));
    CHECK(diverging[3] == 1);
    CHECK(rowAt(blocks, 5, {2})[3] == 2);
    CHECK_THAT(readText(output / "learning_curves.svg"), Contains("test loss (test_loss)"));
    CHECK_THAT(readText(output / "plots.gp"), !Contains("set logscale y"));
  }

  SECTION("training loss") {
    options.curve = "train_loss";
    writePlots(database, options, output.string());
    CHECK(rowAt(dataBlocks(output / "learning_curves.dat"), 0, {2})[1] == Approx(0.6));
    CHECK_THAT(readText(output / "learning_curves.svg"), Contains("training loss (train_loss)"));
  }
}

TEST_CASE_METHOD(SweepPlots, "writePlots: diverged runs on request; a loss that blows up on a log axis",
                 "[plot]") {
  if (gnuplotMissing()) return;
  {
    SQLite::Database db(database, SQLite::OPEN_READWRITE);
    db.exec("UPDATE runs SET status = 'diverged' WHERE activation = 'relu' AND lr = 0.1");
    db.exec(
        "UPDATE epochs SET train_loss = 1e30 WHERE epoch = 3 AND run_id = (SELECT min(run_id) FROM runs)");
  }
  PlotOptions options;
  options.by = {"activation", "lr"};
  options.curve = "train_loss";
  writePlots(database, options, output.string());
  CHECK_THAT(readText(output / "learning_curves.svg"), !Contains("activation=relu lr=0.1"));
  options.withDiverged = true;
  writePlots(database, options, output.string());
  CHECK_THAT(readText(output / "learning_curves.svg"), Contains("activation=relu lr=0.1"));
  const std::string script = readText(output / "plots.gp");
  CHECK_THAT(script, Contains("set logscale y"));
  CHECK_THAT(script, Contains("training loss (train_loss) (log scale)"));
}

TEST_CASE_METHOD(StudyPlots,
                 "writePlots refuses an unknown layer metric or curve and an epoch no run reached",
                 "[plot]") {
  if (gnuplotMissing()) return;

  PlotOptions options;
  options.layerMetric = "act_variance";
  CHECK_THROWS_WITH(writePlots(database, options, output.string()),
                    "unknown layer metric 'act_variance': use one of dead_fraction, zero_fraction, act_mean, "
                    "act_std, grad_norm, weight_norm, prelu_alpha");
  options = PlotOptions{};
  options.curve = "test_accuracy";
  CHECK_THROWS_WITH(writePlots(database, options, output.string()),
                    Contains("unknown learning curve metric 'test_accuracy'"));
  options = PlotOptions{};
  options.layerEpoch = 3;
  CHECK_THROWS_WITH(writePlots(database, options, output.string()),
                    "layer epoch 3: the selected runs have layer statistics up to epoch 2");
  options.layerEpoch = -1;
  CHECK_THROWS_AS(writePlots(database, options, output.string()), std::invalid_argument);
  options = PlotOptions{};
  options.where = {"alpha > 5"};
  CHECK_THROWS_WITH(writePlots(database, options, output.string()), Contains("no done runs to plot"));
  CHECK_FALSE(std::filesystem::exists(output));
}

TEST_CASE("parseLayerEpoch reads an epoch number or last", "[plot]") {
  CHECK_FALSE(parseLayerEpoch("last").has_value());
  CHECK(parseLayerEpoch("0") == 0);
  CHECK(parseLayerEpoch("12") == 12);
  for (const char* bad : {"-1", "abc", "1.5", "", "3 ", "LAST"}) {
    INFO(bad);
    CHECK_THROWS_WITH(
        parseLayerEpoch(bad),
        Contains("--layer-epoch '") && Contains("use an epoch number (0: the initial network) or last"));
  }
}

TEST_CASE("writePlots without gnuplot on PATH says how to install it", "[plot]") {
  const char* path = std::getenv("PATH");
  const std::string savedPath = path ? path : "";
  TempDir temp;
  ::setenv("PATH", temp.path.c_str(), 1);  // an empty directory: no gnuplot
  const bool available = gnuplotAvailable();
  std::string message;
  try {
    writePlots(temp / "results.db", PlotOptions{}, temp / "plots");
  } catch (const std::runtime_error& error) {
    message = error.what();
  }
  ::setenv("PATH", savedPath.c_str(), 1);
  CHECK_FALSE(available);
  CHECK(message == "gnuplot not found: install gnuplot-nox (scripts/install-deps does)");
}

// A results database is untrusted input (a shard someone sent, merged): no
// byte of it may reach gnuplot as code. Each payload would create its marker
// file if it ran: backquotes (command substitution in double-quoted
// strings), a quote and a line break (a new command: system()), a macro.
TEST_CASE("writePlots: text from the database never runs as gnuplot or shell code", "[plot][security]") {
  if (gnuplotMissing()) return;
  PlotDirectory directory;
  const auto marker = [&](int i) { return directory.temp / ("ran" + std::to_string(i)); };
  const std::vector<std::string> payloads = {"relu`touch " + marker(1) + "`",
                                             "relu\"`touch " + marker(2) + "`\"",
                                             "relu'\nsystem('touch " + marker(3) + "')\n#",
                                             "relu\\'`touch " + marker(4) + "`",
                                             "relu@GPVAL_TERM\r\nsystem(\"touch " + marker(5) + "\")",
                                             "relu';system('touch " + marker(6) + "');'"};
  std::vector<nlohmann::json> configs;
  for (const std::string& activation : payloads)
    for (int seed = 1; seed <= 2; ++seed) {
      nlohmann::json config = configFor(activation, 0.1, seed);
      config["data.raw_pixels"] = activation;  // a config key's value, grouped by --by too
      configs.push_back(config);
    }
  writeRuns(directory.database, configs, recordFor);

  PlotOptions options;
  options.by = {"activation", "data.raw_pixels"};
  const auto written = writePlots(directory.database, options, directory.output.string());
  CHECK(written.size() == 6);
  for (int i = 1; i <= static_cast<int>(payloads.size()); ++i)
    CHECK_FALSE(std::filesystem::exists(marker(i)));
  // The labels are still there, as text (a line break shown as '?').
  CHECK_THAT(readText(directory.output / "learning_curves.svg"), Contains("touch"));
}
