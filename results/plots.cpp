#include "results/plots.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace actsweep::results {
namespace {

// The typed setting columns of `runs` a plot may group by (seed excluded:
// runs that differ only in it are what a group averages over).
const std::vector<std::string> kSettingColumns = {"activation", "alpha",      "init",    "norm",
                                                  "depth",      "width",      "dataset", "optimizer",
                                                  "lr",         "batch_size", "epochs"};
const std::vector<std::string> kMetricColumns = {"final_test_acc", "final_test_loss", "final_train_loss",
                                                 "best_val_acc",   "dead_fraction",   "wall_seconds"};

const char* kGnuplotMissing = "gnuplot not found: install gnuplot-nox (scripts/install-deps does)";

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// One value of a setting column: NULL sorts first, then numbers, then text.
struct Setting {
  int kind = 0;  // 0 NULL, 1 number, 2 text
  double number = 0;
  std::string text;

  bool operator<(const Setting& other) const {
    if (kind != other.kind) return kind < other.kind;
    if (kind == 1) return number < other.number;
    return text < other.text;
  }
  bool operator==(const Setting& other) const { return !(*this < other) && !(other < *this); }
};

Setting settingOf(const SQLite::Column& column) {
  Setting setting;
  if (column.isNull()) return setting;
  if (column.isInteger() || column.isFloat()) {
    setting.kind = 1;
    setting.number = column.getDouble();
  } else {
    setting.kind = 2;
    setting.text = column.getString();
  }
  return setting;
}

// NULL means "does not apply" (docs/schema.md): alpha of relu, for one.
std::string settingText(const Setting& setting) {
  if (setting.kind == 0) return "n/a";
  if (setting.kind == 2) return setting.text;
  std::ostringstream text;
  text << setting.number;  // %g-like: 0.01, 64, 1e-05
  return text.str();
}

using GroupKey = std::vector<Setting>;  // one value per `by` column

std::string groupLabel(const std::vector<std::string>& by, const GroupKey& key) {
  if (by.empty()) return "all runs";
  std::string label;
  for (std::size_t i = 0; i < by.size(); ++i) label += (i ? " " : "") + by[i] + "=" + settingText(key[i]);
  return label;
}

struct MeanStd {
  double mean = 0, std = 0;  // std: sample standard deviation (n - 1), 0 for one value
  std::size_t n = 0;
};

MeanStd meanStd(const std::vector<double>& values) {
  MeanStd result;
  result.n = values.size();
  if (values.empty()) return result;
  for (double value : values) result.mean += value;
  result.mean /= static_cast<double>(values.size());
  if (values.size() < 2) return result;
  double squares = 0;
  for (double value : values) squares += (value - result.mean) * (value - result.mean);
  result.std = std::sqrt(squares / static_cast<double>(values.size() - 1));
  return result;
}

// A double-quoted gnuplot string: backslash and quote escaped.
std::string gnuplotString(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// A single-quoted shell word.
std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

bool commandSucceeds(const std::string& command) { return std::system(command.c_str()) == 0; }

// Everything the plots need, aggregated per group (index into `labels`).
struct PlotData {
  std::vector<std::string> by;
  std::vector<GroupKey> keys;
  std::vector<std::string> labels;
  bool accuracy = true;  // learning curves of test accuracy; false: test loss (regression)
  std::vector<std::map<int, std::vector<double>>> curves;            // [group][epoch] -> one value per run
  std::vector<std::map<int, std::vector<double>>> deadLayers;        // [group][layer] -> one value per run
  std::map<std::pair<Setting, Setting>, std::vector<double>> cells;  // heatmap: (by[0], by[1]) -> metric
};

std::vector<std::string> variedColumns(SQLite::Database& db) {
  std::vector<std::string> varied;
  for (const auto& column : kSettingColumns) {
    // quote() turns NULL into the text NULL, so "absent" counts as a value.
    const auto distinct =
        db.execAndGet("SELECT count(DISTINCT quote(" + column + ")) FROM runs WHERE status = 'done'")
            .getInt();
    if (distinct > 1) varied.push_back(column);
  }
  return varied;
}

PlotData readPlotData(const std::string& database, const PlotOptions& options) {
  for (const auto& column : options.by)
    if (!contains(kSettingColumns, column))
      throw std::invalid_argument("unknown plot column '" + column + "': use one of " +
                                  joined(kSettingColumns));
  if (!contains(kMetricColumns, options.metric))
    throw std::invalid_argument("unknown plot metric '" + options.metric + "': use one of " +
                                joined(kMetricColumns));
  if (!std::filesystem::exists(database))
    throw std::runtime_error(database + ": no such database (run a sweep first: actsweep run)");

  SQLite::Database db(database, SQLite::OPEN_READONLY);
  PlotData data;
  data.by = options.by.empty() ? variedColumns(db) : options.by;

  // Column names come from the whitelists above, never from the user as such.
  std::string select = "SELECT run_id, " + options.metric;
  for (const auto& column : data.by) select += ", " + column;
  SQLite::Statement runs(db, select + " FROM runs WHERE status = 'done' ORDER BY run_id");
  std::map<GroupKey, std::size_t> groupOf;
  std::vector<std::pair<std::int64_t, GroupKey>> runKeys;
  while (runs.executeStep()) {
    GroupKey key;
    for (std::size_t i = 0; i < data.by.size(); ++i) key.push_back(settingOf(runs.getColumn(int(i) + 2)));
    groupOf.emplace(key, 0);
    runKeys.emplace_back(runs.getColumn(0).getInt64(), key);
    if (data.by.size() >= 2 && !runs.getColumn(1).isNull())
      data.cells[{key[0], key[1]}].push_back(runs.getColumn(1).getDouble());
  }
  if (runKeys.empty()) throw std::runtime_error(database + ": no done runs to plot");

  // Groups in sorted order of their settings, so legends read in order.
  for (auto& [key, index] : groupOf) {
    index = data.keys.size();
    data.keys.push_back(key);
    data.labels.push_back(groupLabel(data.by, key));
  }
  std::unordered_map<std::int64_t, std::size_t> groupOfRun;
  for (const auto& [runId, key] : runKeys) groupOfRun[runId] = groupOf.at(key);
  data.curves.resize(data.keys.size());
  data.deadLayers.resize(data.keys.size());

  data.accuracy = db.execAndGet(
                        "SELECT count(*) FROM epochs e JOIN runs r ON r.run_id = e.run_id "
                        "WHERE r.status = 'done' AND e.test_acc IS NOT NULL")
                      .getInt64() > 0;
  SQLite::Statement epochs(db, std::string("SELECT e.run_id, e.epoch, ") +
                                   (data.accuracy ? "e.test_acc" : "e.test_loss") +
                                   " FROM epochs e JOIN runs r ON r.run_id = e.run_id "
                                   "WHERE r.status = 'done' ORDER BY e.run_id, e.epoch");
  while (epochs.executeStep()) {
    if (epochs.getColumn(2).isNull()) continue;  // not measured
    const double value = epochs.getColumn(2).getDouble();
    if (!std::isfinite(value)) continue;  // an infinite loss has no place on a linear axis
    data.curves[groupOfRun.at(epochs.getColumn(0).getInt64())][epochs.getColumn(1).getInt()].push_back(value);
  }

  SQLite::Statement layers(db,
                           "SELECT l.run_id, l.layer, l.dead_fraction FROM layer_stats l "
                           "JOIN runs r ON r.run_id = l.run_id WHERE r.status = 'done' "
                           "AND l.epoch = (SELECT max(epoch) FROM layer_stats WHERE run_id = l.run_id) "
                           "AND l.dead_fraction IS NOT NULL ORDER BY l.run_id, l.layer");
  while (layers.executeStep())
    data.deadLayers[groupOfRun.at(layers.getColumn(0).getInt64())][layers.getColumn(1).getInt()].push_back(
        layers.getColumn(2).getDouble());
  return data;
}

// Ten distinct colours (matplotlib's tab10) for groups; more groups cycle them
// with a different dash pattern, so the eleventh is not mistaken for the first.
const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr int kPaletteSize = 10;

std::string lineStyle(std::size_t plotIndex) {
  std::ostringstream style;
  style << "lc rgb \"" << kPalette[plotIndex % kPaletteSize] << "\" lw 2 dt "
        << (plotIndex / kPaletteSize) % 5 + 1;
  return style.str();
}

std::string colourOf(std::size_t plotIndex) {
  return std::string("lc rgb \"") + kPalette[plotIndex % kPaletteSize] + "\"";
}

// The legend above the plot, in columns: a legend beside it squeezes the
// plot to half its width once labels name two or three settings, and one
// inside it covers curves.
std::string keyPlacement(const std::vector<std::string>& labels) {
  std::size_t longest = 0;
  for (const auto& label : labels) longest = std::max(longest, label.size());
  const int columns = longest <= 24 ? 3 : longest <= 40 ? 2 : 1;
  return "set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols " +
         std::to_string(columns) + "\n";
}

// learning_curves.dat: one block per plotted group ("epoch mean std runs"),
// blocks separated by two blank lines (gnuplot's `index`). Returns the plot
// body, or "" when no group has a value.
std::string learningCurves(const PlotData& data, const std::filesystem::path& directory) {
  std::ofstream file(directory / "learning_curves.dat");
  std::string plot;
  std::vector<std::string> titles;
  int maxEpoch = 0;
  for (std::size_t group = 0; group < data.curves.size(); ++group) {
    if (data.curves[group].empty()) continue;
    file << "# " << data.labels[group] << "\n# epoch mean std runs\n";
    for (const auto& [epoch, values] : data.curves[group]) {
      const auto summary = meanStd(values);
      file << epoch << ' ' << summary.mean << ' ' << summary.std << ' ' << summary.n << '\n';
      maxEpoch = std::max(maxEpoch, epoch);
    }
    file << "\n\n";
    const std::size_t block = titles.size();
    const std::string index = " index " + std::to_string(block);
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + "\"learning_curves.dat\"" + index +
            " using 1:($2-$3):($2+$3) with filledcurves " + colourOf(block) +
            " fs transparent solid 0.18 noborder notitle, \\\n     \"\"" + index + " using 1:2 with lines " +
            lineStyle(block) + " title " + gnuplotString(data.labels[group]);
    titles.push_back(data.labels[group]);
  }
  if (plot.empty()) return "";
  const std::string quantity = data.accuracy ? "test accuracy" : "test loss";
  // Epochs are whole numbers: a tic per epoch while they fit.
  const std::string xtics = maxEpoch <= 20 ? "set xtics 1\n" : "set xtics autofreq\n";
  return "set title " + gnuplotString(quantity + " per epoch: mean over seeds, band +-1 std") + "\n" +
         "set xlabel \"epoch\"\nset ylabel " + gnuplotString(quantity) + "\n" + keyPlacement(titles) + xtics +
         "set grid\nset xrange [0:" + std::to_string(std::max(1, maxEpoch)) + "]\n" +
         (data.accuracy ? "set yrange [*:*]\n" : "set yrange [0:*]\n") + plot + "\n";
}

// dead_fraction_by_layer.dat: one block per plotted group ("layer mean std
// runs"). Groups often coincide (every tanh and elu layer at 0), so each
// group's points are shifted a little sideways: none hides another.
std::string deadFractionByLayer(const PlotData& data, const std::filesystem::path& directory) {
  std::vector<std::size_t> plotted;
  for (std::size_t group = 0; group < data.deadLayers.size(); ++group)
    if (!data.deadLayers[group].empty()) plotted.push_back(group);
  if (plotted.empty()) return "";

  std::ofstream file(directory / "dead_fraction_by_layer.dat");
  std::string plot;
  std::vector<std::string> titles;
  int maxLayer = 1;
  double maxValue = 0;
  const double spread = std::min(0.3, 0.04 * static_cast<double>(plotted.size() - 1));
  for (std::size_t block = 0; block < plotted.size(); ++block) {
    const std::size_t group = plotted[block];
    file << "# " << data.labels[group] << "\n# layer mean std runs\n";
    for (const auto& [layer, values] : data.deadLayers[group]) {
      const auto summary = meanStd(values);
      file << layer << ' ' << summary.mean << ' ' << summary.std << ' ' << summary.n << '\n';
      maxLayer = std::max(maxLayer, layer);
      maxValue = std::max(maxValue, summary.mean + summary.std);
    }
    file << "\n\n";
    std::ostringstream shift;
    shift << (plotted.size() > 1 ? -spread / 2 + spread * static_cast<double>(block) /
                                                     static_cast<double>(plotted.size() - 1)
                                 : 0.0);
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + "\"dead_fraction_by_layer.dat\" index " +
            std::to_string(block) + " using ($1+" + shift.str() + "):2:3 with yerrorlines " +
            lineStyle(block) + " pt " + std::to_string(block % 13 + 1) + " ps 1.3 title " +
            gnuplotString(data.labels[group]);
    titles.push_back(data.labels[group]);
  }
  // Fractions: from 0, but not stretched to 1 when every value is small.
  const double top = std::min(1.0, std::max(0.05, maxValue * 1.15));
  std::ostringstream ranges;
  ranges << "set xrange [0.5:" << maxLayer + 0.5 << "]\nset yrange [0:" << top << "]\n";
  return "set title \"dead fraction of each hidden layer at the last epoch: mean over seeds, bars +-1 std\"\n"
         "set xlabel \"hidden layer\"\nset ylabel \"dead fraction\"\n" +
         keyPlacement(titles) + "set xtics 1\nunset mxtics\nset grid\n" + ranges.str() + plot + "\n";
}

// heatmap.dat: block 0 "x y mean runs" for every (by[0], by[1]) pair with a
// value, block 1 "x y" for the pairs of the grid no run has (grey cells).
std::string heatmap(const PlotData& data, const std::string& metric, const std::filesystem::path& directory) {
  if (data.by.size() < 2 || data.cells.empty()) return "";
  std::vector<Setting> xs, ys;
  for (const auto& [pair, values] : data.cells) {
    xs.push_back(pair.first);
    ys.push_back(pair.second);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());

  std::ofstream file(directory / "heatmap.dat");
  file << "# " << data.by[0] << " " << data.by[1] << " mean(" << metric << ") runs\n";
  std::ostringstream missing;
  for (std::size_t y = 0; y < ys.size(); ++y)
    for (std::size_t x = 0; x < xs.size(); ++x) {
      const auto found = data.cells.find({xs[x], ys[y]});
      if (found == data.cells.end()) {
        missing << x << ' ' << y << '\n';
        continue;
      }
      const auto summary = meanStd(found->second);
      file << x << ' ' << y << ' ' << summary.mean << ' ' << summary.n << '\n';
    }
  const bool anyMissing = !missing.str().empty();
  if (anyMissing) file << "\n\n# x y without runs\n" << missing.str();

  std::string xtics = "set xtics (", ytics = "set ytics (";
  for (std::size_t x = 0; x < xs.size(); ++x)
    xtics += (x ? ", " : "") + gnuplotString(settingText(xs[x])) + " " + std::to_string(x);
  for (std::size_t y = 0; y < ys.size(); ++y)
    ytics += (y ? ", " : "") + gnuplotString(settingText(ys[y])) + " " + std::to_string(y);
  std::ostringstream ranges;
  ranges << "set xrange [-0.5:" << xs.size() - 0.5 << "]\nset yrange [-0.5:" << ys.size() - 0.5 << "]\n";
  std::string plot =
      "plot \"heatmap.dat\" index 0 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 "
      "noborder, \\\n"
      "     \"\" index 0 using 1:2:(sprintf(\"%.3g\", $3)) with labels tc rgb \"black\"";
  if (anyMissing)
    plot +=
        ", \\\n     \"\" index 1 using 1:2:(0.5):(0.5) with boxxyerror fc rgb \"#d9d9d9\" fs solid 1.0 "
        "noborder, \\\n"
        "     \"\" index 1 using 1:2:(\"no runs\") with labels tc rgb \"#555555\"";
  // Light-to-medium green, never dark: the black value labels stay legible.
  return "set title " + gnuplotString(metric + ": mean over runs, by " + data.by[0] + " and " + data.by[1]) +
         "\nset xlabel " + gnuplotString(data.by[0]) + "\nset ylabel " + gnuplotString(data.by[1]) +
         "\nset cblabel " + gnuplotString(metric) + "\n" + xtics + ") scale 0\n" + ytics +
         ") scale 0\nunset mxtics\nunset mytics\nunset grid\nunset key\n" + ranges.str() +
         "set palette defined (0 \"#f7fcf5\", 0.5 \"#a1d99b\", 1 \"#41ab5d\")\n" + plot + "\n";
}

std::string pngTerminal() {
  // gnuplot-nox has pngcairo (antialiased, same fonts as svg); plain png otherwise.
  if (commandSucceeds("gnuplot -e \"set terminal pngcairo\" >/dev/null 2>&1"))
    return "set terminal pngcairo size 900,600 font \"Sans,12\" noenhanced background rgb \"white\"\n";
  return "set terminal png size 900,600 noenhanced background rgb \"white\"\n";
}

}  // namespace

bool gnuplotAvailable() { return commandSucceeds("command -v gnuplot >/dev/null 2>&1"); }

std::vector<std::string> writePlots(const std::string& database, const PlotOptions& options,
                                    const std::string& directory) {
  if (!gnuplotAvailable()) throw std::runtime_error(kGnuplotMissing);
  const PlotData data = readPlotData(database, options);
  const std::filesystem::path outputDirectory(directory);
  std::filesystem::create_directories(outputDirectory);

  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"learning_curves", learningCurves(data, outputDirectory)},
      {"dead_fraction_by_layer", deadFractionByLayer(data, outputDirectory)},
      {"heatmap", heatmap(data, options.metric, outputDirectory)}};

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
  script.close();
  if (!script) throw std::runtime_error((outputDirectory / "plots.gp").string() + ": cannot write");

  const auto log = outputDirectory / "gnuplot.log";
  const std::string command =
      "cd " + shellQuote(outputDirectory.string()) + " && gnuplot plots.gp >gnuplot.log 2>&1";
  if (!commandSucceeds(command)) {
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
