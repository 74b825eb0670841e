// The SQL of report's --where filters and config values (results/report.hpp),
// shared by report, export and plots.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

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

RunFilters runFilters(SQLite::Database& db, const std::vector<std::string>& where, const std::string& alias) {
  const RunsColumns columns = runsColumns(db);
  RunFilters filters;
  for (const std::string& text : where) {
    const WhereFilter filter = parseWhere(text, columns.names, columns.numeric);
    filters.sql += " AND " + alias + "\"" + filter.column + "\" " + filter.op + " ?";
    filters.values.push_back(filter.value);
  }
  return filters;
}

}  // namespace actsweep::results
