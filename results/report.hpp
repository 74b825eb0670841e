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

// --where filters as SQL for report, export and plots alike: " AND <cond>"
// per filter, <cond> one of <expr> OP ?N, <expr> IS [NOT] NULL, <expr> [NOT]
// IN (?N, ...), where <expr> is <alias>"column" (columns checked by
// parseWhere against the runs table of `db`) or configValueSql of a config
// key (one some run of `db` has); the values bound as ?1, ?2, ... (booleans
// as SQLite stores them, 0 and 1; of a config key as the text 'true' or
// 'false', as configValueSql reads them).
//
// NULL: a comparison, IN or NOT IN on a run where the column is NULL or the
// config key absent is neither true nor false (SQL's third value): the run
// is excluded, like one that fails the filter, and whereExclusions counts it.
struct RunFilters {
  std::string sql;
  std::string condition = "1";  // the filters ANDed, without the leading " AND "
  std::vector<nlohmann::json> values;
  // (column or key, its SQL expression) of every comparison and [NOT] IN filter.
  std::vector<std::pair<std::string, std::string>> compared;
  void bind(SQLite::Statement& statement) const;
};
RunFilters runFilters(SQLite::Database& db, const std::vector<std::string>& where,
                      const std::string& alias = "");

// The runs --where excluded, whatever their status (with the runs kept, done
// or not, they are all the runs of the database), and how many of them only
// because a key a filter compares is NULL there (the filters ANDed are NULL,
// not false): `nullKeys` names those keys.
struct WhereExclusions {
  long runs = 0;
  long onlyNull = 0;
  std::vector<std::string> nullKeys;
};
WhereExclusions whereExclusions(SQLite::Database& db, const RunFilters& filters);

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
  WhereExclusions excludedByWhere = {};
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
// With `by` (ReportOptions::by), runs are first split by the values of those
// columns or config keys, and each group is paired on its own: one comparison
// per group, context and metric. Holm's step-down correction runs over every
// row of the report (one family), separately for the t and the Wilcoxon p.
struct PairedRow {
  std::string context;  // "model.alpha=0.01", or "" when no key is one-sided
  std::string metric;
  PairedComparison comparison;        // b - a
  std::vector<nlohmann::json> group;  // one value per `by` column; empty without --by
  double tPHolm = 0;                  // Holm-adjusted comparison.tPValue
  double wilcoxonPHolm = 0;           // Holm-adjusted comparison.wilcoxonPValue
};
// The runs of a group that no run of the other side matches in every other
// setting and the seed (a missing seed, a failed partner, an extra setting).
struct UnpairedRuns {
  std::vector<nlohmann::json> group;  // as PairedRow::group
  long a = 0, b = 0;                  // how many of each side
  std::vector<std::string> runs;      // "activation=relu norm=batch seed=3": its varying settings, its seed
};
struct VsReport {
  std::string a, b;  // "activation=relu", "activation=leaky_relu"
  std::vector<PairedRow> rows;
  std::string noPairs;  // when rows is empty: why, in one line
  long excludedNotDone = 0;
  std::vector<std::string> by;         // the grouping of the rows
  std::vector<UnpairedRuns> unpaired;  // groups with runs that have no partner, in group order
  WhereExclusions excludedByWhere = {};
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
