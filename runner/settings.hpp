#pragma once
// Every setting a sweep file (or --set) can name: its key path, type, default,
// allowed values and when it applies. One table, used by the spec parser
// (types, names, suggestions), by expansion (dropping settings that do not
// apply, so duplicate runs collapse), by the run config (to build the
// trainer's configs) and by docs/sweep-file.md, which lists the same keys.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/train_command.hpp"

namespace actsweep::runner {

using Value = nlohmann::json;  // a setting's value: integer, number, boolean, string or list of integers

// key path ("model.alpha") -> value. A std::map, so iteration (and the
// canonical JSON of a run) is in sorted key order.
using Settings = std::map<std::string, Value>;

enum class SettingType {
  Integer,  // JSON integer
  Number,   // JSON number (integers are accepted and stored as doubles)
  Boolean,
  Text,         // free text (paths, csv label)
  Choice,       // one of `choices`
  IntegerList,  // list of integers (model.hidden), may be empty
};

// A setting that applies only when another one takes certain values
// (model.alpha: model.activation is leaky_relu, prelu or elu).
struct SettingCondition {
  std::string key;
  std::vector<std::string> values;
};

struct Setting {
  std::string key;  // "model.alpha"
  SettingType type;
  Value defaultValue;
  std::vector<std::string> choices;  // Choice: the allowed names
  std::string help;                  // one line on what the key means; `train` quotes it when it ignores one
  // Whether the setting changes anything, given the others. A setting that
  // does not apply is dropped from a run's config (alpha for relu, momentum
  // for adam, ...), so that grids over it collapse to one run.
  std::function<bool(const Settings&)> applies = [](const Settings&) { return true; };
};

const std::vector<Setting>& allSettings();
const Setting* findSetting(std::string_view key);
std::string_view settingTypeName(SettingType type);  // "integer", "number", ... for messages

// The condition under which `setting` applies, when it is "another setting
// is one of these values"; nullopt for those that always apply and for the
// two with other rules (model.bias_init, model.bias_value: see their help).
std::optional<SettingCondition> conditionOf(const Setting& setting);

// The `actsweep train` option that sets a key: model.alpha -> --alpha,
// data.path -> --data-path, diagnostics.probe_size -> --probe-size.
std::string trainOption(std::string_view key);

// Every setting at its default.
Settings defaultSettings();

// Keeps only the settings that apply (given the others), plus "seed".
Settings applicableOnly(const Settings& settings);

// The trainer's configs from a full set of settings (missing keys take their
// defaults); names are parsed and every range checked: throws
// model::ConfigError or data::DataError with the library's message.
TrainJob toTrainJob(const Settings& settings, std::uint64_t seed);

}  // namespace actsweep::runner
