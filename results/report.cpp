#include "results/report.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "model/format.hpp"
#include "results/open.hpp"
#include "results/run_columns.hpp"
#include "results/stored_json.hpp"

namespace actsweep::results {
namespace {

using nlohmann::json;

using model::joined;

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Opens the database read-only, recognised as an actsweep database not newer
// than this build (an older one read through a migrated copy in memory);
// nothing in the file is created, converted or migrated (results/open.hpp).
SQLite::Database openChecked(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw ReportError(path + ": no such database (`actsweep run SPEC` creates it)");
  return openForReading(path);
}

json columnJson(const SQLite::Column& column) {
  if (column.isNull()) return nullptr;
  if (column.isInteger()) return column.getInt64();
  if (column.isFloat()) return column.getDouble();
  return column.getString();
}

struct RunRow {
  std::map<std::string, json> values;  // settings, sweep_id, seed, metrics
  json config;
};

struct Selection {
  std::vector<RunRow> runs;  // status 'done', filtered
  long excludedNotDone = 0;
  WhereExclusions excludedByWhere;  // zero without --where
};

Selection selectRuns(SQLite::Database& db, const std::vector<std::string>& where) {
  const RunFilters filters = runFilters(db, where);
  std::vector<std::string> columns = settingColumns();
  columns.insert(columns.end(), {"sweep_id", "seed"});
  columns.insert(columns.end(), reportMetrics().begin(), reportMetrics().end());
  std::string select = "SELECT config_json";
  for (const std::string& column : columns) select += ", " + column;
  SQLite::Statement query(db, select + " FROM runs WHERE status = 'done'" + filters.sql + " ORDER BY run_id");
  filters.bind(query);
  Selection selection;
  while (query.executeStep()) {
    RunRow run;
    run.config = parseStoredJson(query.getColumn("config_json").getString(),
                                 "runs.config_json of a run of " + db.getFilename());
    for (const std::string& column : columns)
      run.values[column] = columnJson(query.getColumn(column.c_str()));
    selection.runs.push_back(std::move(run));
  }
  SQLite::Statement excluded(db, "SELECT count(*) FROM runs WHERE status <> 'done'" + filters.sql);
  filters.bind(excluded);
  excluded.executeStep();
  selection.excludedNotDone = static_cast<long>(excluded.getColumn(0).getInt64());
  if (!where.empty()) selection.excludedByWhere = whereExclusions(db, filters);
  return selection;
}

std::vector<std::string> metricsOf(const ReportOptions& options) {
  std::vector<std::string> metrics =
      options.metrics.empty() ? std::vector<std::string>{"final_test_acc"} : options.metrics;
  for (const std::string& metric : metrics)
    if (!contains(reportMetrics(), metric))
      throw ReportError("unknown metric " + shownText(metric) + ": use one of " + joined(reportMetrics()));
  return metrics;
}

std::vector<double> measured(const std::vector<const RunRow*>& runs, const std::string& metric) {
  std::vector<double> values;
  for (const RunRow* run : runs) {
    const json& value = run->values.at(metric);
    if (value.is_number()) values.push_back(value.get<double>());
  }
  return values;
}

// Text of a value as typed: 0.01, relu.
std::string valueText(const json& value) {
  return value.is_string() ? value.get<std::string>() : jsonText(value);
}

bool sameValue(const json& stored, const json& wanted) {
  if (stored.is_number() && wanted.is_number()) return stored.get<double>() == wanted.get<double>();
  return stored == wanted;
}

// A run's value of a --by column or config key.
const json& groupValue(const RunRow& run, const std::string& column) {
  static const json absent;
  if (!isConfigKey(column)) return run.values.at(column);
  const auto it = run.config.find(column);
  return it != run.config.end() ? *it : absent;
}

// A misspelt config key would group every run under null: refused.
void requireConfigKeysPresent(const std::vector<std::string>& by, const std::vector<RunRow>& runs) {
  for (const std::string& column : by) {
    if (!isConfigKey(column) || runs.empty()) continue;
    if (std::none_of(runs.begin(), runs.end(),
                     [&](const RunRow& run) { return run.config.contains(column); }))
      throw ReportError("--by " + column + ": no selected run has this config key (see runs.config_json)");
  }
}

void requireKnownByColumns(const std::vector<std::string>& by) {
  for (const std::string& column : by)
    if (column != "sweep_id" && !contains(settingColumns(), column) && !isConfigKey(column))
      throw ReportError("unknown --by column " + shownText(column) + ": use sweep_id, one of " +
                        joined(settingColumns()) + ", or a config key such as data.raw_pixels");
}

struct Side {
  std::string column;  // a setting column, or a dotted config key
  json value;
  std::string text;  // as given: "activation=relu"
};

Side parseSide(const std::string& text) {
  const auto assignment = splitAssignment(text);
  const std::optional<json> value = assignment ? parseValue(assignment->second) : std::nullopt;
  if (!value)
    throw ReportError("--vs: cannot read " + shownText(text) +
                      ": use --vs \"column=A,column=B\", e.g. "
                      "--vs activation=relu,activation=leaky_relu");
  const std::string& column = assignment->first;
  if (!isConfigKey(column) && !contains(settingColumns(), column))
    throw ReportError("--vs: unknown setting '" + column + "': use one of " + joined(settingColumns()) +
                      ", or a config key such as train.momentum");
  return {column, *value, column + "=" + valueText(*value)};
}

bool onSide(const RunRow& run, const Side& side) {
  if (const auto it = run.values.find(side.column); it != run.values.end() && !isConfigKey(side.column))
    return sameValue(it->second, side.value);
  const auto it = run.config.find(side.column);
  return it != run.config.end() && sameValue(*it, side.value);
}

std::set<std::string> configKeys(const std::vector<const RunRow*>& runs) {
  std::set<std::string> keys;
  for (const RunRow* run : runs)
    for (const auto& item : run->config.items()) keys.insert(item.key());
  return keys;
}

}  // namespace

const std::vector<std::string>& settingColumns() {
  // Every typed column but seed: the runs of one setting differ in their seeds.
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> names;
    for (const RunColumn& column : runColumns())
      if (column.name != "seed") names.push_back(column.name);
    return names;
  }();
  return columns;
}

const std::vector<std::string>& reportMetrics() {
  static const std::vector<std::string> metrics = {"final_test_acc", "final_test_loss", "final_train_loss",
                                                   "best_val_acc",   "dead_fraction",   "born_dead",
                                                   "wall_seconds",   "diverged_epoch"};
  return metrics;
}

const std::vector<std::string>& exportableTables() {
  static const std::vector<std::string> tables = {"meta", "sweeps", "runs", "epochs", "layer_stats"};
  return tables;
}

const std::vector<std::string>& exportableViews() {
  static const std::vector<std::string> views = {"run_summary", "group_summary", "layer_summary"};
  return views;
}

GroupReport summarizeGroups(const std::string& database, const ReportOptions& options) {
  GroupReport report;
  report.metrics = metricsOf(options);
  requireKnownByColumns(options.by);
  SQLite::Database db = openChecked(database);
  const Selection selection = selectRuns(db, options.where);
  requireConfigKeysPresent(options.by, selection.runs);
  report.doneRuns = static_cast<long>(selection.runs.size());
  report.excludedNotDone = selection.excludedNotDone;
  report.excludedByWhere = selection.excludedByWhere;

  report.by = options.by;
  if (report.by.empty())
    for (const std::string& column : settingColumns()) {
      std::set<json> values;
      for (const RunRow& run : selection.runs) values.insert(run.values.at(column));
      if (values.size() > 1) report.by.push_back(column);
    }

  std::map<std::vector<json>, std::vector<const RunRow*>> groups;
  for (const RunRow& run : selection.runs) {
    std::vector<json> key;
    for (const std::string& column : report.by) key.push_back(groupValue(run, column));
    groups[key].push_back(&run);
  }
  for (const auto& [key, runs] : groups) {
    GroupRow row{key, static_cast<long>(runs.size()), {}};
    for (const std::string& metric : report.metrics) row.metrics.push_back(summarize(measured(runs, metric)));
    report.rows.push_back(std::move(row));
  }
  return report;
}

namespace {

// --vs "A,B": two sides that name the same setting with different values.
std::pair<Side, Side> parseVs(const std::string& vs) {
  requireShortOption("--vs", vs);
  const std::size_t comma = vs.find(',');
  if (comma == std::string::npos || vs.find(',', comma + 1) != std::string::npos)
    throw ReportError("--vs " + shownText(vs) +
                      ": name two sides, e.g. --vs activation=relu,activation=leaky_relu");
  Side a = parseSide(vs.substr(0, comma));
  Side b = parseSide(vs.substr(comma + 1));
  if (a.column != b.column)
    throw ReportError("--vs " + shownText(vs) + ": both sides must name the same setting ('" + a.column +
                      "' and '" + b.column + "')");
  if (a.text == b.text) throw ReportError("--vs " + shownText(vs) + ": the two sides are the same");
  return {std::move(a), std::move(b)};
}

using RunPairs = std::vector<std::pair<const RunRow*, const RunRow*>>;

// What pairsByContext found: the pairs by context, and the runs of either
// side that no run of the other side matched.
struct Pairing {
  std::map<std::string, RunPairs> byContext;
  std::vector<const RunRow*> unpairedA, unpairedB;
};

// Pairs (a, b) of runs equal in every config key but `comparedKey` and the
// keys only one side has, by context: the values of those one-sided keys.
Pairing pairsByContext(const std::vector<const RunRow*>& runsA, const std::vector<const RunRow*>& runsB,
                       const std::string& comparedKey) {
  // Match on the config without the compared key and without the keys only
  // one side has (they do not apply to the other: model.alpha for relu).
  const std::set<std::string> keysA = configKeys(runsA), keysB = configKeys(runsB);
  std::set<std::string> oneSided;
  std::set_symmetric_difference(keysA.begin(), keysA.end(), keysB.begin(), keysB.end(),
                                std::inserter(oneSided, oneSided.end()));
  oneSided.erase(comparedKey);
  const auto matchKey = [&](const RunRow* run) {
    json rest = run->config;
    rest.erase(comparedKey);
    for (const std::string& key : oneSided) rest.erase(key);
    return jsonText(rest);
  };
  const auto context = [&](const RunRow* run) {
    std::string text;
    for (const std::string& key : oneSided)
      if (const auto it = run->config.find(key); it != run->config.end())
        text += (text.empty() ? "" : " ") + key + "=" + valueText(*it);
    return text;
  };

  std::multimap<std::string, const RunRow*> byMatchKey;
  for (const RunRow* run : runsA) byMatchKey.emplace(matchKey(run), run);
  Pairing pairing;
  std::set<const RunRow*> matchedA;
  for (const RunRow* runB : runsB) {
    const auto [first, last] = byMatchKey.equal_range(matchKey(runB));
    if (first == last) pairing.unpairedB.push_back(runB);
    for (auto it = first; it != last; ++it) {
      matchedA.insert(it->second);
      const std::string contextA = context(it->second), contextB = context(runB);
      pairing.byContext[contextA + (contextA.empty() || contextB.empty() ? "" : " ") + contextB].emplace_back(
          it->second, runB);
    }
  }
  for (const RunRow* runA : runsA)
    if (!matchedA.count(runA)) pairing.unpairedA.push_back(runA);
  return pairing;
}

// Per context and metric, the paired comparison b - a over the pairs where
// both runs measured the metric; none where no pair did.
std::vector<PairedRow> pairedRows(const std::map<std::string, RunPairs>& pairsByContext,
                                  const std::vector<std::string>& metrics, const std::vector<json>& group) {
  std::vector<PairedRow> rows;
  for (const auto& [contextText, pairs] : pairsByContext)
    for (const std::string& metric : metrics) {
      std::vector<double> valuesA, valuesB;
      for (const auto& [runA, runB] : pairs) {
        const json &valueA = runA->values.at(metric), &valueB = runB->values.at(metric);
        if (!valueA.is_number() || !valueB.is_number()) continue;
        valuesA.push_back(valueA.get<double>());
        valuesB.push_back(valueB.get<double>());
      }
      if (valuesA.empty()) continue;
      rows.push_back({contextText, metric, comparePaired(valuesA, valuesB), group, 0, 0});
    }
  return rows;
}

// Holm over every row of the report, the t and the Wilcoxon p separately.
void applyHolm(std::vector<PairedRow>& rows) {
  std::vector<double> t, wilcoxon;
  for (const PairedRow& row : rows) {
    t.push_back(row.comparison.tPValue);
    wilcoxon.push_back(row.comparison.wilcoxonPValue);
  }
  t = holmAdjusted(t);
  wilcoxon = holmAdjusted(wilcoxon);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].tPHolm = t[i];
    rows[i].wilcoxonPHolm = wilcoxon[i];
  }
}

// "activation=relu norm=batch seed=3": the setting columns that vary among
// `all` (NULLs left out), then the seed.
std::string describeRun(const RunRow& run, const std::vector<const RunRow*>& all) {
  std::string text;
  for (const std::string& column : settingColumns()) {
    std::set<json> values;
    for (const RunRow* other : all) values.insert(other->values.at(column));
    if (const json& value = run.values.at(column); values.size() > 1 && !value.is_null())
      text += column + "=" + valueText(value) + " ";
  }
  return text + "seed=" + valueText(run.values.at("seed"));
}

// --by with --vs: not the compared setting (it would split the sides), and
// not a key only one side has (its values are the comparisons' context).
void requireVsGrouping(const std::vector<std::string>& by, const Side& a, const Side& b,
                       const std::string& comparedKey, const std::vector<const RunRow*>& runsA,
                       const std::vector<const RunRow*>& runsB) {
  const auto allNull = [](const std::vector<const RunRow*>& runs, const std::string& column) {
    return std::all_of(runs.begin(), runs.end(),
                       [&](const RunRow* run) { return groupValue(*run, column).is_null(); });
  };
  for (const std::string& column : by) {
    const RunColumn* byColumn = findRunColumn(column);
    if (column == a.column || (byColumn ? byColumn->configKey : column) == comparedKey)
      throw ReportError("--by " + column + ": cannot group by the setting --vs compares");
    if (allNull(runsA, column) != allNull(runsB, column))
      throw ReportError("--by " + column + ": only the runs with " +
                        (allNull(runsA, column) ? b.text : a.text) +
                        " have it; --vs already compares each of its values apart (the context column)");
  }
}

}  // namespace

VsReport compareSides(const std::string& database, const ReportOptions& options) {
  const std::vector<std::string> metrics = metricsOf(options);
  const auto [a, b] = parseVs(options.vs);
  requireKnownByColumns(options.by);
  // A setting column compares the config key it is taken from (results/run_columns.hpp).
  const RunColumn* column = findRunColumn(a.column);
  const std::string comparedKey = column ? column->configKey : a.column;

  SQLite::Database db = openChecked(database);
  const Selection selection = selectRuns(db, options.where);
  requireConfigKeysPresent(options.by, selection.runs);
  VsReport report{a.text, b.text, {}, {}, selection.excludedNotDone, options.by, {}};
  report.excludedByWhere = selection.excludedByWhere;
  std::vector<const RunRow*> runsA, runsB;
  // Per value of --by (one empty key without it): the runs of side a, of side b.
  std::map<std::vector<json>, std::pair<std::vector<const RunRow*>, std::vector<const RunRow*>>> groups;
  for (const RunRow& run : selection.runs) {
    std::vector<json> key;
    for (const std::string& byColumn : options.by) key.push_back(groupValue(run, byColumn));
    if (onSide(run, a)) {
      runsA.push_back(&run);
      groups[key].first.push_back(&run);
    }
    if (onSide(run, b)) {
      runsB.push_back(&run);
      groups[key].second.push_back(&run);
    }
  }
  if (runsA.empty() || runsB.empty()) {
    report.noPairs = "no pairs: no done run with " + (runsA.empty() ? a.text : b.text) + " among the " +
                     std::to_string(selection.runs.size()) + " selected done runs";
    return report;
  }
  requireVsGrouping(options.by, a, b, comparedKey, runsA, runsB);

  std::vector<const RunRow*> both = runsA;
  both.insert(both.end(), runsB.begin(), runsB.end());
  bool anyPair = false;
  for (const auto& [key, sides] : groups) {
    const Pairing pairing = pairsByContext(sides.first, sides.second, comparedKey);
    anyPair = anyPair || !pairing.byContext.empty();
    for (PairedRow& row : pairedRows(pairing.byContext, metrics, key)) report.rows.push_back(std::move(row));
    if (pairing.unpairedA.empty() && pairing.unpairedB.empty()) continue;
    UnpairedRuns unpaired{
        key, static_cast<long>(pairing.unpairedA.size()), static_cast<long>(pairing.unpairedB.size()), {}};
    for (const auto* side : {&pairing.unpairedA, &pairing.unpairedB})
      for (const RunRow* run : *side) unpaired.runs.push_back(describeRun(*run, both));
    report.unpaired.push_back(std::move(unpaired));
  }
  applyHolm(report.rows);
  if (report.rows.empty())
    report.noPairs = "no pairs: none of the " + std::to_string(runsA.size()) + " runs with " + a.text +
                     " equals one of the " + std::to_string(runsB.size()) + " runs with " + b.text +
                     " in every other setting and the seed (or " + (anyPair ? "they" : "the pairs") +
                     " have no measured " + joined(metrics) + ")";
  return report;
}

Relation readRelation(const std::string& database, const std::string& name) {
  // The whitelist is what makes splicing the name into SQL safe.
  static const std::map<std::string, std::string> orderOf = {{"meta", "key"},
                                                             {"sweeps", "sweep_id"},
                                                             {"runs", "run_id"},
                                                             {"epochs", "run_id, epoch"},
                                                             {"layer_stats", "run_id, epoch, layer"},
                                                             {"run_summary", "run_id"},
                                                             {"group_summary", "group_key"},
                                                             {"layer_summary", "group_key, epoch, layer"}};
  const auto order = orderOf.find(name);
  if (order == orderOf.end())
    throw ReportError("cannot export " + shownText(name) + ": tables " + joined(exportableTables()) +
                      "; views " + joined(exportableViews()));
  SQLite::Database db = openChecked(database);
  SQLite::Statement query(db, "SELECT * FROM " + name + " ORDER BY " + order->second);
  Relation relation;
  for (int i = 0; i < query.getColumnCount(); ++i) relation.columns.emplace_back(query.getColumnName(i));
  while (query.executeStep()) {
    std::vector<json> row;
    for (int i = 0; i < query.getColumnCount(); ++i) row.push_back(columnJson(query.getColumn(i)));
    relation.rows.push_back(std::move(row));
  }
  return relation;
}

}  // namespace actsweep::results
