#include "results/plot_data.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "results/gnuplot.hpp"
#include "results/open.hpp"
#include "results/report.hpp"
#include "results/statistics.hpp"

namespace actsweep::results::plot {
namespace {

namespace fs = std::filesystem;

// What a column shows, in words, for titles and axis labels.
const std::map<std::string, std::string> kDescriptions = {{"dead_fraction", "dead fraction"},
                                                          {"zero_fraction", "zero fraction"},
                                                          {"act_mean", "activation mean"},
                                                          {"act_std", "activation std"},
                                                          {"grad_norm", "gradient norm"},
                                                          {"weight_norm", "weight norm"},
                                                          {"prelu_alpha", "learned prelu slope"},
                                                          {"test_acc", "test accuracy"},
                                                          {"test_loss", "test loss"},
                                                          {"train_acc", "training accuracy"},
                                                          {"train_loss", "training loss"},
                                                          {"val_acc", "validation accuracy"},
                                                          {"val_loss", "validation loss"},
                                                          {"born_dead", "fraction of runs born dead"},
                                                          {"final_test_acc", "final test accuracy"},
                                                          {"final_test_loss", "final test loss"},
                                                          {"final_train_loss", "final training loss"},
                                                          {"best_val_acc", "best validation accuracy"},
                                                          {"wall_seconds", "seconds per run"},
                                                          {"diverged_epoch", "epoch of divergence"}};

}  // namespace

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string words(const std::string& column) {
  const auto found = kDescriptions.find(column);
  return found == kDescriptions.end() ? column : found->second;
}

std::string described(const std::string& column) {
  return kDescriptions.count(column) ? words(column) + " (" + column + ")" : column;
}

std::string settingText(const Setting& setting) {
  if (setting.kind == 0) return "n/a";
  if (setting.kind == 2) return setting.text;
  return numberText(setting.number);
}

std::string groupLabel(const std::vector<std::string>& by, const GroupKey& key) {
  if (by.empty()) return "all runs";
  std::string label;
  for (std::size_t i = 0; i < by.size(); ++i) label += (i ? " " : "") + by[i] + "=" + settingText(key[i]);
  return label;
}

MeanStd meanStd(const std::vector<double>& values) {
  const Summary summary = summarize(values);
  return {summary.mean, summary.n < 2 ? 0.0 : summary.std, static_cast<std::size_t>(summary.n)};
}

double positiveSpan(const std::vector<double>& values) {
  if (values.empty()) return 0;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *low > 0 ? *high / *low : 0;
}

std::vector<std::string> labelsOf(const PlotData& data, const std::vector<std::size_t>& groups) {
  std::vector<std::string> labels;
  for (const std::size_t group : groups) labels.push_back(data.labels[group]);
  return labels;
}

namespace {

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

// The runs the plots draw: status done (and diverged, when asked) and every
// --where filter, read by report's parseWhere so that plots and tables show
// the same runs. `sql` is a condition on `runs r`, its columns qualified
// because epochs and layer_stats have columns of the same names (lr,
// dead_fraction); the values are bound.
struct Selection {
  RunFilters filters;
  std::string sql;

  Selection(SQLite::Database& db, const std::vector<std::string>& where, bool withDiverged)
      : filters(runFilters(db, where, "r.")),
        sql((withDiverged ? "r.status IN ('done', 'diverged')" : "r.status = 'done'") + filters.sql) {}

  // `query` with the filter values bound: its only ? must be those of `sql`.
  SQLite::Statement bound(SQLite::Database& db, const std::string& query) const {
    SQLite::Statement statement(db, query);
    filters.bind(statement);
    return statement;
  }

  // `query` bound and stepped to its first row: for the one row of an aggregate.
  SQLite::Statement single(SQLite::Database& db, const std::string& query) const {
    SQLite::Statement statement = bound(db, query);
    statement.executeStep();
    return statement;
  }
};

std::vector<std::string> variedColumns(SQLite::Database& db, const Selection& selection) {
  std::vector<std::string> varied;
  for (const auto& column : settingColumns()) {
    // quote() turns NULL into the text NULL, so "absent" counts as a value.
    const auto distinct = selection.single(
        db, "SELECT count(DISTINCT quote(r." + column + ")) FROM runs r WHERE " + selection.sql);
    if (distinct.getColumn(0).getInt() > 1) varied.push_back(column);
  }
  return varied;
}

// Reads the selected runs into data.keys and data.labels (groups in sorted
// order of their settings, so legends read in order) and data.finals.
// Returns each run's group.
std::unordered_map<std::int64_t, std::size_t> readRuns(SQLite::Database& db, const Selection& selection,
                                                       const std::string& metric, PlotData& data) {
  // Column names come from the whitelists (checkOptions), never from the user as such.
  std::string select = "SELECT r.run_id, r." + metric;
  for (const auto& column : data.by)
    select += ", " + (isConfigKey(column) ? configValueSql("r", column) : "r." + column);
  SQLite::Statement runs = selection.bound(db, select + " FROM runs r WHERE " + selection.sql);
  std::map<GroupKey, std::size_t> groupOf;
  std::vector<std::pair<std::int64_t, GroupKey>> runKeys;
  while (runs.executeStep()) {
    GroupKey key;
    for (std::size_t i = 0; i < data.by.size(); ++i) key.push_back(settingOf(runs.getColumn(int(i) + 2)));
    groupOf.emplace(key, 0);
    runKeys.emplace_back(runs.getColumn(0).getInt64(), key);
    // An infinite loss has no mean worth drawing; NULL was not measured.
    if (!runs.getColumn(1).isNull() && std::isfinite(runs.getColumn(1).getDouble()))
      data.finals.emplace_back(key, runs.getColumn(1).getDouble());
  }
  for (auto& [key, index] : groupOf) {
    index = data.keys.size();
    data.keys.push_back(key);
    data.labels.push_back(groupLabel(data.by, key));
  }
  std::unordered_map<std::int64_t, std::size_t> groupOfRun;
  for (const auto& [runId, key] : runKeys) groupOfRun[runId] = groupOf.at(key);
  return groupOfRun;
}

// `query` selects run_id, x, value of the selected runs; each value lands in
// its run's group. NULL (not measured) and non-finite values are left out: an
// infinite loss has no place on a linear axis.
Series readSeries(SQLite::Database& db, const Selection& selection, const std::string& query,
                  const std::unordered_map<std::int64_t, std::size_t>& groupOfRun, std::size_t groups) {
  Series series(groups);
  SQLite::Statement rows = selection.bound(db, query);
  while (rows.executeStep()) {
    if (rows.getColumn(2).isNull()) continue;
    const double value = rows.getColumn(2).getDouble();
    if (std::isfinite(value))
      series[groupOfRun.at(rows.getColumn(0).getInt64())][rows.getColumn(1).getInt()].push_back(value);
  }
  return series;
}

// The learning curves' column: `curve`, or, for an accuracy no selected run
// measured (a regression data set), the loss of the same split.
std::string curveColumn(SQLite::Database& db, const Selection& selection, const std::string& curve) {
  if (!endsWith(curve, "_acc")) return curve;
  const auto measured =
      selection.single(db, "SELECT count(e." + curve +
                               ") FROM epochs e JOIN runs r ON r.run_id = e.run_id WHERE " + selection.sql);
  if (measured.getColumn(0).getInt64() > 0) return curve;
  return curve.substr(0, curve.size() - 4) + "_loss";
}

// A layer epoch no selected run reached would leave the profile empty
// without saying why: refused instead.
void checkLayerEpoch(SQLite::Database& db, const Selection& selection, const std::optional<int>& epoch) {
  if (!epoch) return;
  const auto last = selection.single(
      db, "SELECT max(l.epoch) FROM layer_stats l JOIN runs r ON r.run_id = l.run_id WHERE " + selection.sql);
  if (!last.getColumn(0).isNull() && *epoch > last.getColumn(0).getInt())
    throw ReportError("layer epoch " + std::to_string(*epoch) +
                      ": the selected runs have layer statistics up to epoch " +
                      std::to_string(last.getColumn(0).getInt()));
}

// The layer_stats rows of the profile: one epoch, or each run's last.
std::string layerEpochCondition(const std::optional<int>& epoch) {
  return epoch ? "l.epoch = " + std::to_string(*epoch)
               : "l.epoch = (SELECT max(epoch) FROM layer_stats WHERE run_id = l.run_id)";
}

}  // namespace

PlotData readPlotData(const std::string& database, const PlotOptions& options) {
  if (!fs::exists(database))
    throw ReportError(database + ": no such database (run a sweep first: actsweep run)");

  SQLite::Database db = openForReading(database);
  const Selection selection(db, options.where, options.withDiverged);
  PlotData data;
  data.by = options.by.empty() ? variedColumns(db, selection) : options.by;
  const auto groupOfRun = readRuns(db, selection, options.metric, data);
  if (groupOfRun.empty())
    throw ReportError(database + ": no " + (options.withDiverged ? "done or diverged" : "done") +
                      " runs to plot" + (options.where.empty() ? "" : " that pass --where"));
  for (std::size_t i = 0; i < data.by.size(); ++i) {
    // A misspelt config key would draw every run as one group: refused.
    const bool absent = std::all_of(data.keys.begin(), data.keys.end(),
                                    [&](const GroupKey& key) { return key[i].kind == 0; });
    if (isConfigKey(data.by[i]) && absent)
      throw ReportError("plot column " + data.by[i] +
                        ": no selected run has this config key (see runs.config_json)");
  }

  data.curve = curveColumn(db, selection, options.curve);
  data.curves = readSeries(db, selection,
                           "SELECT e.run_id, e.epoch, e." + data.curve +
                               " FROM epochs e JOIN runs r ON r.run_id = e.run_id WHERE " + selection.sql,
                           groupOfRun, data.keys.size());
  checkLayerEpoch(db, selection, options.layerEpoch);
  data.layers = readSeries(db, selection,
                           "SELECT l.run_id, l.layer, l." + options.layerMetric +
                               " FROM layer_stats l JOIN runs r ON r.run_id = l.run_id WHERE " +
                               selection.sql + " AND " + layerEpochCondition(options.layerEpoch),
                           groupOfRun, data.keys.size());
  return data;
}

}  // namespace actsweep::results::plot
