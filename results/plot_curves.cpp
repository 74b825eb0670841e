#include "results/plot_curves.hpp"

#include <algorithm>
#include <fstream>

#include "results/gnuplot.hpp"

namespace actsweep::results::plot {
namespace {

namespace fs = std::filesystem;

// Layer metrics that can span orders of magnitude across layers (the
// activation std of a deep net at init shrinks or grows geometrically with
// depth): they get a log y axis when they do.
const std::vector<std::string> kLogScaleLayerMetrics = {"act_std", "grad_norm", "weight_norm"};

// What writeBlocks wrote.
struct Blocks {
  std::vector<std::size_t> groups;  // the group of each block, in block order
  int maxX = 0;
  std::vector<MeanStd> points;  // every point of every block

  // Whether the means, all positive, span more than a factor of 100: only a
  // log axis then shows every one of them.
  bool meansSpanDecades() const {
    std::vector<double> means;
    for (const MeanStd& point : points) means.push_back(point.mean);
    return positiveSpan(means) > 100;
  }
};

// `path`: a `title` line, then one block per group with values ("x mean std
// runs"), blocks separated by two blank lines (gnuplot's `index`). No file
// when no group has a value: a plot not drawn leaves no data behind.
Blocks writeBlocks(const fs::path& path, const std::string& title, const PlotData& data, const Series& series,
                   const std::string& x) {
  Blocks blocks;
  if (std::all_of(series.begin(), series.end(), [](const auto& group) { return group.empty(); }))
    return blocks;
  std::ofstream file(path);
  file << "# " << title << "\n";
  for (std::size_t group = 0; group < series.size(); ++group) {
    if (series[group].empty()) continue;
    file << "# " << commentText(data.labels[group]) << "\n# " << x << " mean std runs\n";
    for (const auto& [at, values] : series[group]) {
      const auto summary = meanStd(values);
      file << at << ' ' << summary.mean << ' ' << summary.std << ' ' << summary.n << '\n';
      blocks.maxX = std::max(blocks.maxX, at);
      blocks.points.push_back(summary);
    }
    file << "\n\n";
    blocks.groups.push_back(group);
  }
  closeChecked(file, path);
  return blocks;
}

}  // namespace

std::string learningCurves(const PlotData& data, const fs::path& directory) {
  const std::string quantity = described(data.curve);
  const Blocks blocks =
      writeBlocks(directory / "learning_curves.dat", quantity + " per epoch, over the runs of each group",
                  data, data.curves, "epoch");
  if (blocks.groups.empty()) return "";
  // A loss that blows up by orders of magnitude (a run that diverges slowly,
  // its loss still finite) would flatten every other curve to 0 on a linear
  // axis: a log axis then, and the band's lower edge, where mean - std is not
  // positive, drawn at the mean.
  const bool logScale = !endsWith(data.curve, "_acc") && blocks.meansSpanDecades();
  const std::string lower = logScale ? "($2-$3 > 0 ? $2-$3 : $2)" : "($2-$3)";
  std::string plot;
  for (std::size_t block = 0; block < blocks.groups.size(); ++block) {
    const std::string index = " index " + std::to_string(block);
    addClause(plot, "\"learning_curves.dat\"" + index + " using 1:" + lower + ":($2+$3) with filledcurves " +
                        colourOf(block) + " fs transparent solid 0.18 noborder notitle, \\\n     \"\"" +
                        index + " using 1:2 with lines " + lineStyle(block) + " title " +
                        gnuplotString(data.labels[blocks.groups[block]]));
  }
  // Epochs are whole numbers: a tic per epoch while they fit. Losses start
  // at 0 on a linear axis (non-finite ones were left out when read).
  const std::string xtics = blocks.maxX <= 20 ? "set xtics 1\n" : "set xtics autofreq\n";
  const std::string yAxis = logScale                       ? kLogYAxis
                            : endsWith(data.curve, "_acc") ? "set yrange [*:*]\n"
                                                           : "set yrange [0:*]\n";
  return "set title " + gnuplotString(words(data.curve) + " per epoch: mean over seeds, band +-1 std") +
         "\n" + "set xlabel \"epoch\"\nset ylabel " +
         gnuplotString(quantity + (logScale ? " (log scale)" : "")) + "\n" +
         keyPlacement(labelsOf(data, blocks.groups)) + xtics +
         "set grid\nset xrange [0:" + std::to_string(std::max(1, blocks.maxX)) + "]\n" + yAxis + plot + "\n";
}

namespace {

// "at epoch 0 (initial network)", "at epoch 5", "at the last epoch".
std::string epochText(const std::optional<int>& epoch) {
  if (!epoch) return "at the last epoch";
  return "at epoch " + std::to_string(*epoch) + (*epoch == 0 ? " (initial network)" : "");
}

// The y axis of a layer profile: fractions from 0 (not stretched to 1 when
// every value is small); a log axis for a metric that spans more than a
// factor of 100 across layers; otherwise gnuplot's choice.
std::string layerAxis(const std::string& metric, const Blocks& blocks, bool logScale) {
  if (logScale) return kLogYAxis;
  if (!endsWith(metric, "_fraction")) return "set yrange [*:*]\n";
  double maxValue = 0;
  for (const auto& point : blocks.points) maxValue = std::max(maxValue, point.mean + point.std);
  return "set yrange [0:" + numberText(std::min(1.0, std::max(0.05, maxValue * 1.15))) + "]\n";
}

}  // namespace

std::string layerProfile(const PlotData& data, const PlotOptions& options, const std::string& name,
                         const fs::path& directory) {
  const std::string quantity = described(options.layerMetric);
  const std::string where = " per hidden layer " + epochText(options.layerEpoch);
  const Blocks blocks =
      writeBlocks(directory / (name + ".dat"), quantity + where + ", over the runs of each group", data,
                  data.layers, "layer");
  if (blocks.groups.empty()) return "";
  const bool logScale = contains(kLogScaleLayerMetrics, options.layerMetric) && blocks.meansSpanDecades();

  std::string plot;
  const std::size_t count = blocks.groups.size();
  for (std::size_t block = 0; block < count; ++block) {
    addClause(plot, gnuplotString(name + ".dat") + " index " + std::to_string(block) + " using ($1+" +
                        numberText(sidewaysShift(block, count)) + "):2:3 with yerrorlines " +
                        lineStyle(block) + pointType(block) + " ps 1.3 title " +
                        gnuplotString(data.labels[blocks.groups[block]]));
  }
  // The title in words (long enough already), the column in the y label.
  return "set title " + gnuplotString(words(options.layerMetric) + where + ": mean over runs, bars +-1 std") +
         "\nset xlabel \"hidden layer\"\nset ylabel " +
         gnuplotString(quantity + (logScale ? " (log scale)" : "")) + "\n" +
         keyPlacement(labelsOf(data, blocks.groups)) +
         "set xtics 1\nunset mxtics\nset grid\nset xrange [0.5:" + numberText(blocks.maxX + 0.5) + "]\n" +
         layerAxis(options.layerMetric, blocks, logScale) + plot + "\n";
}

}  // namespace actsweep::results::plot
