// The SQL of report's --where filters and config values (results/report.hpp),
// shared by report, export and plots.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <stdexcept>

#include "results/option_text.hpp"
#include "results/report.hpp"

namespace actsweep::results {
namespace {

using nlohmann::json;

// The columns of runs, and those declared INTEGER or REAL.
struct RunsColumns {
  std::vector<std::string> names, numeric;
};

RunsColumns runsColumns(SQLite::Database& db) {
  RunsColumns columns;
  SQLite::Statement query(
      db, "SELECT name, upper(type) IN ('INTEGER', 'REAL') AS numeric FROM pragma_table_info('runs')");
  while (query.executeStep()) {
    columns.names.push_back(query.getColumn("name").getString());
    if (query.getColumn("numeric").getInt()) columns.numeric.push_back(columns.names.back());
  }
  return columns;
}

// A parsed value as SQLite stores it: booleans as 0/1, integers, reals, text.
void bindValue(SQLite::Statement& statement, int index, const json& value) {
  if (value.is_boolean())
    statement.bind(index, value.get<bool>() ? 1 : 0);  // SQLite stores booleans as 0/1
  else if (value.is_number_integer())
    statement.bind(index, value.get<std::int64_t>());
  else if (value.is_number())
    statement.bind(index, value.get<double>());
  else
    statement.bind(index, value.get<std::string>());
}

}  // namespace

std::string configValueSql(const std::string& alias, const std::string& key) {
  // config_json's keys are flat dotted strings, hence the quoted path step.
  // The key becomes SQL text: only a plain key path (isConfigKey) may.
  if (!isConfigKey(key)) throw std::logic_error("configValueSql: not a config key: " + shownText(key));
  const std::string path = "'$.\"" + key + "\"'";
  const std::string config = alias + ".config_json";
  return "CASE json_type(" + config + ", " + path + ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' " +
         "ELSE json_extract(" + config + ", " + path + ") END";
}

void RunFilters::bind(SQLite::Statement& statement) const {
  for (std::size_t i = 0; i < values.size(); ++i) bindValue(statement, static_cast<int>(i) + 1, values[i]);
}

namespace {

// Config key `key` of `filter` (read from `text`): refused when no run of
// `db` has it (a misspelt key would silently drop every run, or keep every
// one with IS NULL), and, when every run that has it holds a number, with a
// text value (parseWhere's rule for numeric columns).
void checkConfigKey(SQLite::Database& db, const std::string& text, const WhereFilter& filter) {
  SQLite::Statement query(db,
                          "SELECT count(*), coalesce(sum(t IS NOT NULL), 0), "
                          "coalesce(sum(t IN ('integer', 'real')), 0) "
                          "FROM (SELECT json_type(config_json, ?1) AS t FROM runs)");
  query.bind(1, "$.\"" + filter.column + "\"");
  query.executeStep();
  const std::int64_t runs = query.getColumn(0).getInt64(), having = query.getColumn(1).getInt64();
  if (runs > 0 && having == 0)
    throw ReportError("--where " + shownText(text) + ": no run has the config key " + filter.column +
                      " (see runs.config_json)");
  if (having > 0 && query.getColumn(2).getInt64() == having) requireNumbers(text, filter);
}

// configValueSql reads JSON true/false as the texts 'true'/'false'.
json asConfigValue(const json& value) {
  return value.is_boolean() ? json(value.get<bool>() ? "true" : "false") : value;
}

}  // namespace

RunFilters runFilters(SQLite::Database& db, const std::vector<std::string>& where, const std::string& alias) {
  const RunsColumns columns = runsColumns(db);
  RunFilters filters;
  for (const std::string& text : where) {
    const WhereFilter filter = parseWhere(text, columns.names, columns.numeric);
    const bool configKey = isConfigKey(filter.column);
    if (configKey) checkConfigKey(db, text, filter);
    // configValueSql qualifies config_json with a table: `alias` without its dot, or runs.
    const std::string expression =
        configKey ? configValueSql(alias.empty() ? "runs" : alias.substr(0, alias.size() - 1), filter.column)
                  : alias + "\"" + filter.column + "\"";
    const auto parameter = [&](const json& value) {
      filters.values.push_back(configKey ? asConfigValue(value) : value);
      std::string name = "?";  // ?N, not ?: whereExclusions uses the condition twice
      name += std::to_string(filters.values.size());
      return name;
    };
    std::string condition = expression + " " + filter.op;
    if (filter.value.is_array()) {
      condition += " (";
      for (const json& value : filter.value) {
        if (condition.back() != '(') condition += ", ";
        condition += parameter(value);
      }
      condition += ")";
    } else if (!filter.value.is_null()) {
      condition += " ";
      condition += parameter(filter.value);
    }
    if (!filter.value.is_null()) filters.compared.emplace_back(filter.column, expression);
    filters.sql += " AND " + condition;
    filters.condition = (filters.condition == "1" ? "" : filters.condition + " AND ") + "(" + condition + ")";
  }
  return filters;
}

WhereExclusions whereExclusions(SQLite::Database& db, const RunFilters& filters) {
  // SQLite's AND of the conditions is 1, 0 or NULL: excluded unless 1, and
  // only because of a NULL when NULL (no condition false, one unknown).
  WhereExclusions exclusions;
  const std::string condition = "(" + filters.condition + ")";
  SQLite::Statement counts(db, "SELECT coalesce(sum(" + condition + " IS NOT 1), 0), coalesce(sum(" +
                                   condition + " IS NULL), 0) FROM runs");
  filters.bind(counts);
  counts.executeStep();
  exclusions.runs = static_cast<long>(counts.getColumn(0).getInt64());
  exclusions.onlyNull = static_cast<long>(counts.getColumn(1).getInt64());
  if (exclusions.onlyNull == 0) return exclusions;
  for (const auto& [column, expression] : filters.compared) {
    SQLite::Statement nulls(db, "SELECT EXISTS (SELECT 1 FROM runs WHERE " + condition + " IS NULL AND " +
                                    expression + " IS NULL)");
    filters.bind(nulls);
    nulls.executeStep();
    if (nulls.getColumn(0).getInt() != 0 && std::find(exclusions.nullKeys.begin(), exclusions.nullKeys.end(),
                                                      column) == exclusions.nullKeys.end())
      exclusions.nullKeys.push_back(column);
  }
  return exclusions;
}

}  // namespace actsweep::results
