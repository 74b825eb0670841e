#include "results/plots.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "model/format.hpp"
#include "results/gnuplot.hpp"
#include "results/plot_curves.hpp"
#include "results/plot_data.hpp"
#include "results/plot_finals.hpp"
#include "results/report.hpp"

namespace actsweep::results {

using namespace plot;

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kLayerMetrics = {"dead_fraction", "zero_fraction", "act_mean",   "act_std",
                                                "grad_norm",     "weight_norm",   "prelu_alpha"};
const std::vector<std::string> kCurveMetrics = {"test_acc",  "test_loss", "train_loss",
                                                "train_acc", "val_acc",   "val_loss"};

const char* kGnuplotMissing = "gnuplot not found: install gnuplot-nox (scripts/install-deps does)";

using model::joined;

// The columns a plot may group by: what `report --by` takes.
const std::vector<std::string>& groupColumns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> all = {"sweep_id"};
    all.insert(all.end(), settingColumns().begin(), settingColumns().end());
    return all;
  }();
  return columns;
}

void requireOneOf(const std::string& what, const std::string& value,
                  const std::vector<std::string>& allowed) {
  if (!contains(allowed, value))
    throw ReportError("unknown " + what + " " + shownText(value) + ": use one of " + joined(allowed));
}

// Names end up in SQL: each is checked against its whitelist first.
void checkOptions(const PlotOptions& options) {
  for (const auto& column : options.by)
    if (!isConfigKey(column)) requireOneOf("plot column", column, groupColumns());
  requireOneOf("plot metric", options.metric, reportMetrics());
  requireOneOf("layer metric", options.layerMetric, kLayerMetrics);
  requireOneOf("learning curve metric", options.curve, kCurveMetrics);
  if (options.layerEpoch && *options.layerEpoch < 0)
    throw ReportError("layer epoch " + std::to_string(*options.layerEpoch) +
                      ": use 0 (the initial network) or a later epoch");
}

}  // namespace

bool gnuplotAvailable() { return !findProgram("gnuplot").empty(); }

const std::vector<std::string>& layerMetrics() { return kLayerMetrics; }

const std::vector<std::string>& curveMetrics() { return kCurveMetrics; }

std::optional<int> parseLayerEpoch(const std::string& text) {
  if (text == "last") return std::nullopt;
  int epoch = -1;
  const char* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(text.data(), end, epoch);
  if (text.empty() || error != std::errc() || last != end || epoch < 0)
    throw ReportError("--layer-epoch " + shownText(text) +
                      ": use an epoch number (0: the initial network) or last");
  return epoch;
}

std::vector<std::string> writePlots(const std::string& database, const PlotOptions& options,
                                    const std::string& directory) {
  checkOptions(options);
  if (!gnuplotAvailable()) throw std::runtime_error(kGnuplotMissing);
  const PlotData data = readPlotData(database, options);
  const fs::path outputDirectory(directory);
  fs::create_directories(outputDirectory);

  const std::string layerName = options.layerMetric + "_by_layer";
  const std::string vsName = vsPlotName(data, options.metric);
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"learning_curves", learningCurves(data, outputDirectory)},
      {layerName, layerProfile(data, options, layerName, outputDirectory)},
      {"heatmap", heatmap(data, options.metric, outputDirectory)},
      {vsName, metricVsSetting(data, options.metric, vsName, outputDirectory)}};

  const std::string svgTerminal =
      "set terminal svg size 900,600 font \"Sans,12\" noenhanced background rgb \"white\"\n";
  const std::string png = pngTerminal();
  std::ofstream script(outputDirectory / "plots.gp");
  script << "# Written by actsweep (results/plots.cpp); run `gnuplot plots.gp` in this directory.\n";
  std::vector<std::string> written;
  for (const auto& [name, body] : bodies) {
    if (body.empty()) continue;
    for (const auto& [terminal, extension] : {std::pair{svgTerminal, ".svg"}, std::pair{png, ".png"}}) {
      script << "\nreset\n" << terminal << "set output " << gnuplotString(name + extension) << "\n" << body;
      written.push_back((outputDirectory / (name + extension)).string());
    }
  }
  script << "\nunset output\n";
  closeChecked(script, outputDirectory / "plots.gp");

  const auto log = outputDirectory / "gnuplot.log";
  if (!runProgram({"gnuplot", "plots.gp"}, outputDirectory.string(), log.string())) {
    std::ifstream logFile(log);
    std::string line, last;
    while (std::getline(logFile, line))
      if (!line.empty()) last = line;
    throw std::runtime_error("gnuplot failed on " + (outputDirectory / "plots.gp").string() + ": " + last +
                             " (see " + log.string() + ")");
  }
  return written;
}

}  // namespace actsweep::results
