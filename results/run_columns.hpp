#pragma once
// The typed setting columns of `runs` (docs/schema.md), in one table: which
// config key each is taken from and how. Store::addRuns fills them from a
// run's canonical config (runner/expand.hpp); `report --vs` takes a column's
// config key from here; the runner's settings registry is checked against it.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace SQLite {
class Statement;
}

namespace actsweep::results {

// How a column's value is taken from the config's value at its key.
enum class ColumnKind {
  Text,     // a string
  Real,     // a number
  Integer,  // an integer (one beyond int64, a 64-bit seed, kept exact as text)
  Depth,    // the number of hidden layers: the size of the model.hidden list
  Width,    // the units of the first hidden layer: model.hidden's first entry
};

struct RunColumn {
  std::string name;       // the column of runs: "activation"
  std::string configKey;  // the canonical config key it is taken from: "model.activation"
  ColumnKind kind;
};

// activation, alpha, init, norm, depth, width, dataset, optimizer, lr,
// batch_size, epochs, seed: in schema order.
const std::vector<RunColumn>& runColumns();
// The column called `name`; nullptr for none.
const RunColumn* findRunColumn(const std::string& name);

// Binds ":<name>" of `statement` for every column, from `config`; a setting
// absent from it (it does not apply, or an older config) or of another JSON
// type is NULL.
void bindRunColumns(SQLite::Statement& statement, const nlohmann::json& config);

}  // namespace actsweep::results
