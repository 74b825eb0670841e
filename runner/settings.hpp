#pragma once
// The settings registry: every setting a run has, declared once (settings.cpp).
//
// Each entry says: its key path ("model.alpha"), type, default, allowed names
// (the model's own name tables) or range, help, when it applies, the
// `actsweep train` option that sets it, the typed column of `runs` it fills,
// and how it sets the training job. Everything else is derived from the list:
//   sweep-file parsing and checking, --set        runner/spec*.cpp
//   `actsweep train`'s options and --help           runner/train_command.cpp
//   the trainer's configs                           toTrainJob() below
//   the canonical JSON of a run                     runner/expand.cpp
//   the settings tables of docs/sweep-file.md       settingsMarkdown() (settings_docs.hpp)
// and a test checks the typed columns against results/run_columns.hpp (the
// stored schema owns its columns; a new column takes a schema migration).
//
// Adding a setting is one entry in settings.cpp plus the code that uses it.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/data/dataset.hpp"
#include "model/network.hpp"
#include "model/trainer.hpp"

namespace actsweep::runner {

using Value = nlohmann::json;  // a setting's value: integer, number, boolean, string or list of integers

// key path ("model.alpha") -> value. A std::map, so iteration (and the
// canonical JSON of a run) is in sorted key order.
using Settings = std::map<std::string, Value>;

// What one run trains: the model library's three configs.
struct TrainJob {
  data::DataConfig data;
  model::NetworkConfig network;
  model::TrainConfig train;
};

enum class SettingType {
  Integer,  // JSON integer
  Number,   // JSON number (integers are accepted and stored as doubles)
  Boolean,
  Text,         // free text (paths, csv label)
  Choice,       // one of `choices`
  IntegerList,  // list of integers (model.hidden), may be empty
};

// The C++ type an Integer setting is read into, which bounds what
// `actsweep train` accepts for it ("--epochs 1e10" is out of range).
enum class IntegerWidth { Int, Long, Unsigned64 };

// A setting that applies only when another one takes certain values
// (model.alpha: model.activation is leaky_relu, prelu or elu).
struct SettingCondition {
  std::string key;
  std::vector<std::string> values;
};

struct Setting {
  std::string key;  // "model.alpha"
  SettingType type = SettingType::Text;
  Value defaultValue;
  std::vector<std::string> choices;  // Choice: the allowed names
  std::string help;                  // one line on what the key means; `train` quotes it when it ignores one
  std::string allowed;               // the range in words ("[0, 1)"), for --help and the docs
  IntegerWidth width = IntegerWidth::Int;  // Integer settings
  std::string option;                      // the `actsweep train` option: "--alpha"
  std::vector<std::string> columns;        // the typed columns of `runs` taken from it ("alpha")
  // Whether the setting changes anything, given the others. A setting that
  // does not apply is dropped from a run's config (alpha for relu, momentum
  // for adam, ...), so that grids over it collapse to one run.
  std::function<bool(const Settings&)> applies = [](const Settings&) { return true; };
  std::string appliesText = "always";  // the same in words: "activation is leaky_relu, prelu or elu"
  // Writes the value (of this setting's type) into the job; names are parsed
  // here, throwing model::ConfigError or data::DataError with the allowed ones.
  std::function<void(TrainJob&, const Value&)> set;
};

const std::vector<Setting>& allSettings();
const Setting* findSetting(std::string_view key);
std::string_view settingTypeName(SettingType type);  // "an integer", "a number", ... for messages

// The condition under which `setting` applies, when it is "another setting
// is one of these values"; nullopt for those that always apply and for the
// two with other rules (model.bias_init, model.bias_value: see appliesText).
std::optional<SettingCondition> conditionOf(const Setting& setting);

// The `actsweep train` option that sets a key: model.alpha -> --alpha,
// data.path -> --data-path, diagnostics.probe_size -> --probe-size.
std::string trainOption(std::string_view key);

// Every setting at its default.
Settings defaultSettings();

// Keeps only the settings that apply (given the others), plus "seed".
Settings applicableOnly(const Settings& settings);

// The trainer's configs from a set of settings (missing keys take their
// defaults), without checks: names are parsed (model::ConfigError or
// data::DataError listing the allowed ones), ranges are not.
TrainJob jobOf(const Settings& settings, std::uint64_t seed);

// The checks every job passes before it trains, in two steps so that
// `actsweep train` can refuse ignored options in between:
//   checkRanges:       data and training ranges (data::validate, model::validate)
//   checkNetworkShape: the network with the data's shape where it is known
//                      without loading (784 inputs for mnist, 2 for xor, at
//                      least 1 for csv), and whether this machine can hold it
//                      (model::checkMemory).
void checkRanges(const TrainJob& job);
void checkNetworkShape(TrainJob& job);

// jobOf + both checks: the job a run of a sweep trains. Throws
// model::ConfigError or data::DataError with the library's message.
TrainJob toTrainJob(const Settings& settings, std::uint64_t seed);

}  // namespace actsweep::runner
