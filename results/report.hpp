#pragma once
// The queries behind `actsweep report` and `actsweep export`: runs grouped by
// settings and summarized over seeds, paired comparisons of two values of one
// setting, and whole tables or views. Read-only; formatting is the caller's
// (runner/report_command.cpp).
//
// Everything a user types that reaches SQL is checked against a whitelist
// (column, table and view names) or bound as a parameter (values): a filter
// like "norm='none'; drop table runs" is refused, never executed.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/errors.hpp"
#include "results/option_text.hpp"
#include "results/statistics.hpp"

namespace actsweep::results {

// What `actsweep report` was asked; also what results/plots.hpp draws.
struct ReportOptions {
  std::vector<std::string> by;       // grouping columns or config keys; empty: the swept settings
  std::vector<std::string> metrics;  // empty: {"final_test_acc"}
  std::vector<std::string> where;    // "column OP value", ANDed
  std::string vs;                    // "activation=relu,activation=leaky_relu"; empty: no comparison
  std::string format = "table";      // table, csv, json, markdown (the caller's business)
};

// The typed setting columns of runs, in schema order (seed excluded).
const std::vector<std::string>& settingColumns();
// The SQL value of config key `key` of the runs row `alias` (JSON true/false
// as the text 'true'/'false', like a report prints them; NULL when absent).
std::string configValueSql(const std::string& alias, const std::string& key);
// The metrics a report summarizes: final_test_acc, final_test_loss,
// final_train_loss, best_val_acc, dead_fraction, born_dead, wall_seconds,
// diverged_epoch.
const std::vector<std::string>& reportMetrics();

// --where filters as SQL for report, export and plots alike: " AND
// <alias>"column" OP ?" per filter (columns checked by parseWhere against the
// runs table of `db`), and the values, bound as ?1, ?2, ... (booleans as
// SQLite stores them, 0 and 1).
struct RunFilters {
  std::string sql;
  std::vector<nlohmann::json> values;
  void bind(SQLite::Statement& statement) const;
};
RunFilters runFilters(SQLite::Database& db, const std::vector<std::string>& where,
                      const std::string& alias = "");

// Runs grouped by `by`, one Summary per metric (results::summarize over the
// runs' non-NULL values).
struct GroupRow {
  std::vector<nlohmann::json> key;  // one value per `by` column: string, number or null
  long runs = 0;
  std::vector<Summary> metrics;  // one per ReportOptions metric
};
struct GroupReport {
  std::vector<std::string> by, metrics;
  std::vector<GroupRow> rows;  // ordered by key
  long doneRuns = 0;           // status 'done' runs that pass the filters
  long excludedNotDone = 0;    // runs that pass the filters but are not 'done'
};
// Opens `database` read-only. Only status 'done' runs are summarized.
// Default `by`: every setting column with more than one distinct value (NULL
// counts as a value) among the selected runs. A config key in `by` groups by
// its value in config_json (null where a run has no such key).
GroupReport summarizeGroups(const std::string& database, const ReportOptions& options);

// --vs A,B: pairs of runs equal in every setting but the compared one. Keys
// present in the configs of only one side (model.alpha for relu vs
// leaky_relu) are left out of the match; each combination of their values is
// a comparison of its own (`context`), so relu is compared with leaky_relu at
// alpha 0.01 and, separately, at alpha 0.1. Seeds are matched.
struct PairedRow {
  std::string context;  // "model.alpha=0.01", or "" when no key is one-sided
  std::string metric;
  PairedComparison comparison;  // b - a
};
struct VsReport {
  std::string a, b;  // "activation=relu", "activation=leaky_relu"
  std::vector<PairedRow> rows;
  std::string noPairs;  // when rows is empty: why, in one line
  long excludedNotDone = 0;
};
VsReport compareSides(const std::string& database, const ReportOptions& options);

// A whole table (meta, sweeps, runs, epochs, layer_stats) or view
// (run_summary, group_summary, layer_summary). Other names throw ReportError.
struct Relation {
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;  // SQL NULL -> null, INTEGER/REAL -> number, TEXT -> string
};
Relation readRelation(const std::string& database, const std::string& name);
const std::vector<std::string>& exportableTables();
const std::vector<std::string>& exportableViews();

}  // namespace actsweep::results
