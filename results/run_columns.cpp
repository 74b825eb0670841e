#include "results/run_columns.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <limits>

namespace actsweep::results {
namespace {

void bindText(SQLite::Statement& statement, const char* parameter, const nlohmann::json* value) {
  if (value && value->is_string())
    statement.bind(parameter, value->get<std::string>());
  else
    statement.bind(parameter);
}

void bindReal(SQLite::Statement& statement, const char* parameter, const nlohmann::json* value) {
  if (value && value->is_number())
    statement.bind(parameter, value->get<double>());
  else
    statement.bind(parameter);
}

void bindInteger(SQLite::Statement& statement, const char* parameter, const nlohmann::json* value) {
  if (!value || !value->is_number_integer()) {
    statement.bind(parameter);
  } else if (value->is_number_unsigned() &&
             value->get<std::uint64_t>() >
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    // A 64-bit seed beyond int64: kept exact as text (config_json has it too).
    statement.bind(parameter, std::to_string(value->get<std::uint64_t>()));
  } else {
    statement.bind(parameter, value->get<std::int64_t>());
  }
}

// depth = number of hidden layers; width = the first one's units.
void bindLayers(SQLite::Statement& statement, const char* parameter, ColumnKind kind,
                const nlohmann::json* hidden) {
  if (!hidden || !hidden->is_array())
    statement.bind(parameter);
  else if (kind == ColumnKind::Depth)
    statement.bind(parameter, static_cast<std::int64_t>(hidden->size()));
  else if (!hidden->empty() && hidden->front().is_number_integer())
    statement.bind(parameter, hidden->front().get<std::int64_t>());
  else
    statement.bind(parameter);
}

}  // namespace

const std::vector<RunColumn>& runColumns() {
  static const std::vector<RunColumn> columns = {
      {"activation", "model.activation", ColumnKind::Text},
      {"alpha", "model.alpha", ColumnKind::Real},
      {"init", "model.init", ColumnKind::Text},
      {"norm", "model.norm", ColumnKind::Text},
      {"depth", "model.hidden", ColumnKind::Depth},
      {"width", "model.hidden", ColumnKind::Width},
      {"dataset", "data.dataset", ColumnKind::Text},
      {"optimizer", "train.optimizer", ColumnKind::Text},
      {"lr", "train.lr", ColumnKind::Real},
      {"batch_size", "train.batch_size", ColumnKind::Integer},
      {"epochs", "train.epochs", ColumnKind::Integer},
      {"seed", "seed", ColumnKind::Integer},
  };
  return columns;
}

const RunColumn* findRunColumn(const std::string& name) {
  for (const RunColumn& column : runColumns())
    if (column.name == name) return &column;
  return nullptr;
}

void bindRunColumns(SQLite::Statement& statement, const nlohmann::json& config) {
  for (const RunColumn& column : runColumns()) {
    const std::string parameter = ":" + column.name;
    const auto found = config.find(column.configKey);
    const nlohmann::json* value = found != config.end() ? &*found : nullptr;
    switch (column.kind) {
      case ColumnKind::Text:
        bindText(statement, parameter.c_str(), value);
        break;
      case ColumnKind::Real:
        bindReal(statement, parameter.c_str(), value);
        break;
      case ColumnKind::Integer:
        bindInteger(statement, parameter.c_str(), value);
        break;
      case ColumnKind::Depth:
      case ColumnKind::Width:
        bindLayers(statement, parameter.c_str(), column.kind, value);
        break;
    }
  }
}

}  // namespace actsweep::results
