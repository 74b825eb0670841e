#pragma once
// The data of results/plots.hpp (internal to results/): the runs a plot
// draws (status done, or diverged too; report's --where), grouped by the
// `by` columns, with their final metric, learning curve and layer profile.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "results/plot_options.hpp"

namespace actsweep::results::plot {

bool contains(const std::vector<std::string>& words, const std::string& word);
bool endsWith(const std::string& text, const std::string& suffix);

// "activation std": what a column shows, for a title; the column itself when
// it has no description.
std::string words(const std::string& column);
// "activation std (act_std)": the words, and the column to look up.
std::string described(const std::string& column);

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

// NULL means "does not apply" (docs/schema.md): alpha of relu, for one.
std::string settingText(const Setting& setting);

using GroupKey = std::vector<Setting>;  // one value per `by` column

// "activation=relu alpha=n/a": a group's legend label ("all runs" without `by`).
std::string groupLabel(const std::vector<std::string>& by, const GroupKey& key);

struct MeanStd {
  double mean = 0, std = 0;  // std: sample standard deviation (n - 1), 0 for one value
  std::size_t n = 0;
};

// One run has no spread: its std is drawn as 0 (no band), not left out.
MeanStd meanStd(const std::vector<double>& values);

// max / min of values all > 0; 0 when one is not (a log axis cannot show it).
double positiveSpan(const std::vector<double>& values);

// Per group (index into PlotData::labels), per whole-number x (epoch or
// layer): one value per run.
using Series = std::vector<std::map<int, std::vector<double>>>;

// Everything the plots need, aggregated per group.
struct PlotData {
  std::vector<std::string> by;
  std::vector<GroupKey> keys;
  std::vector<std::string> labels;
  std::string curve;                                // the epochs column of the learning curves
  Series curves;                                    // [group][epoch]
  Series layers;                                    // [group][layer]: the layer metric at the layer epoch
  std::vector<std::pair<GroupKey, double>> finals;  // each run with a finite final metric: its key, the value
};

// The labels of `groups` (indices into data.labels), in their order.
std::vector<std::string> labelsOf(const PlotData& data, const std::vector<std::size_t>& groups);

// Reads the runs options.where and options.withDiverged select from
// `database` (read-only), grouped by options.by or, when it is empty, by the
// settings that vary among them. Throws ReportError for a missing database,
// no run to plot, a config key in `by` that no run has, or a layer epoch
// beyond the runs' last.
PlotData readPlotData(const std::string& database, const PlotOptions& options);

}  // namespace actsweep::results::plot
