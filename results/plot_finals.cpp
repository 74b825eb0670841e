#include "results/plot_finals.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "results/gnuplot.hpp"
#include "results/run_columns.hpp"
#include "results/statistics.hpp"

namespace actsweep::results::plot {
namespace {

namespace fs = std::filesystem;

// Settings whose values are numbers: what a vs-plot can put on its x axis
// (the typed columns but text and the seed: results/run_columns.hpp).
bool isNumericSetting(const std::string& column) {
  const RunColumn* found = findRunColumn(column);
  return found && found->kind != ColumnKind::Text && found->name != "seed";
}

// A final metric that lies in [0, 1] (born_dead is 0 or 1 per run).
bool isFraction(const std::string& metric) { return endsWith(metric, "_fraction") || metric == "born_dead"; }

}  // namespace

std::string heatmap(const PlotData& data, const std::string& metric, const fs::path& directory) {
  if (data.by.size() < 2 || data.finals.empty()) return "";
  std::map<std::pair<Setting, Setting>, std::vector<double>> cells;
  for (const auto& [key, value] : data.finals) cells[{key[0], key[1]}].push_back(value);
  std::vector<Setting> xs, ys;
  for (const auto& [pair, values] : cells) {
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
  double highest = 0;
  for (std::size_t y = 0; y < ys.size(); ++y)
    for (std::size_t x = 0; x < xs.size(); ++x) {
      const auto found = cells.find({xs[x], ys[y]});
      if (found == cells.end()) {
        missing << x << ' ' << y << '\n';
        continue;
      }
      const auto summary = meanStd(found->second);
      highest = std::max(highest, summary.mean);
      file << x << ' ' << y << ' ' << summary.mean << ' ' << summary.n << '\n';
    }
  const bool anyMissing = !missing.str().empty();
  if (anyMissing) file << "\n\n# x y without runs\n" << missing.str();
  closeChecked(file, directory / "heatmap.dat");

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
  return "set title " +
         gnuplotString(described(metric) + ": mean over runs, by " + data.by[0] + " and " + data.by[1]) +
         "\nset xlabel " + gnuplotString(data.by[0]) + "\nset ylabel " + gnuplotString(data.by[1]) +
         "\nset cblabel " + gnuplotString(described(metric)) + "\n" + xtics + ") scale 0\n" + ytics +
         ") scale 0\nunset mxtics\nunset mytics\nunset grid\nunset key\n" + ranges.str() +
         // A fraction's colours start at 0, the palette's palest: a cell of
         // 0 reads as none, even when every cell is 0.
         (isFraction(metric) ? "set cbrange [0:" + numberText(highest > 0 ? highest : 1) + "]\n" : "") +
         "set palette defined (0 \"#f7fcf5\", 0.5 \"#a1d99b\", 1 \"#41ab5d\")\n" + plot + "\n";
}

std::string vsPlotName(const PlotData& data, const std::string& metric) {
  if (data.by.empty() || !isNumericSetting(data.by[0])) return "";
  return metric + "_vs_" + data.by[0];
}

namespace {

// Tics at the x values themselves while they are few (0.001, 0.01, 0.1 of a
// learning-rate sweep read better than gnuplot's round numbers). On a linear
// axis a value closer than 4% of the span to the last labelled one keeps its
// tic but no label (alpha 0 and 0.01 of 0..0.5 would print over each other).
std::string valueTics(const std::vector<double>& xs, bool logScale) {
  if (xs.size() > 10) return "";
  const auto position = [&](double x) { return logScale ? std::log(x) : x; };
  const double minimumGap = 0.04 * (position(xs.back()) - position(xs.front()));
  std::string tics = "set xtics (";
  double lastLabelled = -INFINITY;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const bool labelled = position(xs[i]) - lastLabelled >= minimumGap;
    if (labelled) lastLabelled = position(xs[i]);
    tics += (i ? ", " : "") + gnuplotString(labelled ? numberText(xs[i]) : "") + " " + numberText(xs[i]);
  }
  return tics + ")\nunset mxtics\n";
}

// The x of data set `block` of `count` in a gnuplot `using`: the value, moved
// sideways by a fraction of the mean distance between neighbouring values
// `xs` (sorted, distinct): a factor on a log axis, a difference on a linear one.
std::string shiftedX(std::size_t block, std::size_t count, const std::vector<double>& xs, bool logScale) {
  const double gaps = static_cast<double>(std::max<std::size_t>(1, xs.size() - 1));
  const double shift = sidewaysShift(block, count) / gaps;
  if (logScale) return "($1*" + numberText(std::pow(xs.back() / xs.front(), shift)) + ")";
  return "($1+" + numberText(shift * (xs.back() - xs.front())) + ")";
}

}  // namespace

std::string metricVsSetting(const PlotData& data, const std::string& metric, const std::string& name,
                            const fs::path& directory) {
  if (name.empty()) return "";
  std::map<GroupKey, std::map<double, std::vector<double>>> lines;
  std::vector<double> xs;
  for (const auto& [key, value] : data.finals)
    if (key[0].kind == 1) {
      lines[GroupKey(key.begin() + 1, key.end())][key[0].number].push_back(value);
      xs.push_back(key[0].number);
    }
  if (lines.empty()) return "";
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  // A learning-rate sweep spans decades: even steps on a log axis.
  const bool logScale = positiveSpan(xs) >= 100;

  const std::vector<std::string> lineBy(data.by.begin() + 1, data.by.end());
  std::ofstream file(directory / (name + ".dat"));
  file << "# " << metric << " against " << data.by[0] << ": mean over runs, 95% t confidence interval\n";
  std::string plot;
  std::vector<std::string> titles;
  double highest = 0;  // the top of the highest bar
  for (const auto& [lineKey, points] : lines) {
    const std::size_t block = titles.size();
    titles.push_back(groupLabel(lineBy, lineKey));
    file << "# " << commentText(titles.back()) << "\n# " << data.by[0] << " mean ci_low ci_high runs\n";
    for (const auto& [x, values] : points) {
      const Summary summary = summarize(values);
      const bool interval = summary.n >= 2;
      highest = std::max(highest, interval ? summary.ciHigh : summary.mean);
      file << x << ' ' << summary.mean << ' ' << (interval ? summary.ciLow : summary.mean) << ' '
           << (interval ? summary.ciHigh : summary.mean) << ' ' << summary.n << '\n';
    }
    file << "\n\n";
    addClause(plot, gnuplotString(name + ".dat") + " index " + std::to_string(block) + " using " +
                        shiftedX(block, lines.size(), xs, logScale) + ":2:3:4 with yerrorlines " +
                        lineStyle(block) + pointType(block) + " ps 1.3 title " +
                        gnuplotString(titles.back()));
  }
  closeChecked(file, directory / (name + ".dat"));
  return "set title " +
         gnuplotString(described(metric) + " against " + data.by[0] + ": mean over runs, bars 95% CI") +
         "\nset xlabel " + gnuplotString(data.by[0] + (logScale ? " (log scale)" : "")) + "\nset ylabel " +
         gnuplotString(described(metric)) + "\n" + (lineBy.empty() ? "unset key\n" : keyPlacement(titles)) +
         (logScale ? "set logscale x\n" : "") + valueTics(xs, logScale) +
         // A fraction lies in [0, 1]: a t interval reaching beyond is cut at the axis.
         (isFraction(metric)
              ? "set yrange [0:" + numberText(std::min(1.0, std::max(0.05, highest * 1.08))) + "]\n"
              : "") +
         // The x range ends at the first and last value, not the next round tic, plus a margin.
         "set autoscale xfix\nset offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\nset grid\n" + plot +
         "\n";
}

}  // namespace actsweep::results::plot
