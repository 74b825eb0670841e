#include "runner/settings.hpp"

#include <algorithm>

#include "model/activations.hpp"
#include "model/data/dataset.hpp"
#include "model/initializers.hpp"
#include "model/lr_schedule.hpp"
#include "model/norms.hpp"
#include "model/optimizers.hpp"

namespace actsweep::runner {
namespace {

template <class Enum>
std::vector<std::string> namesOf(const model::NameTable<Enum>& table) {
  std::vector<std::string> names;
  for (const auto& [name, value] : table) names.emplace_back(name);
  return names;
}

std::string text(const Settings& s, const std::string& key) {
  const auto it = s.find(key);
  return it == s.end() || !it->second.is_string() ? std::string() : it->second.get<std::string>();
}

// applies(): the setting matters when `key` is one of `values`. A named type
// rather than a lambda, so that conditionOf() can read the condition back
// (std::function::target) for messages.
struct When {
  SettingCondition condition;
  bool operator()(const Settings& s) const {
    const auto& values = condition.values;
    return std::find(values.begin(), values.end(), text(s, condition.key)) != values.end();
  }
};

std::function<bool(const Settings&)> when(std::string key, std::vector<std::string> values) {
  return When{{std::move(key), std::move(values)}};
}

const std::vector<std::string> kSynthetic = {"spirals", "blobs", "xor", "circles", "checkerboard", "abs"};

std::vector<Setting> buildTable() {
  using T = SettingType;
  const TrainArguments d;  // the defaults of `actsweep train` are the defaults of a sweep
  const auto isCsv = when("data.dataset", {"csv"});
  std::vector<Setting> table = {
      {"data.dataset", T::Choice, d.dataset, namesOf(data::sourceNames()), "the data set"},
      {"data.path",
       T::Text,
       d.dataPath,
       {},
       "IDX directory or CSV file (empty: the default location)",
       when("data.dataset", {"fashion-mnist", "mnist", "csv"})},
      {"data.test_path", T::Text, d.testPath, {}, "CSV test file (empty: cut from the data)", isCsv},
      {"data.csv_label",
       T::Text,
       d.csvLabel,
       {},
       "CSV label column, name or 0-based index (empty: last)",
       isCsv},
      {"data.regression", T::Boolean, d.regression, {}, "CSV: the label is a value to regress", isCsv},
      {"data.raw_pixels",
       T::Boolean,
       d.rawPixels,
       {},
       "IDX: pixels 0..255 instead of [0, 1]",
       when("data.dataset", {"fashion-mnist", "mnist"})},
      {"data.normalize", T::Choice, d.normalize, namesOf(data::normalizeNames()),
       "input normalization, statistics from the training split"},
      {"data.train_size", T::Integer, d.trainSize, {}, "training samples used (0: all)"},
      {"data.validation",
       T::Number,
       d.validation,
       {},
       "fraction of training samples held out for validation"},
      {"data.samples",
       T::Integer,
       d.samples,
       {},
       "synthetic: samples generated",
       when("data.dataset", kSynthetic)},
      {"data.noise",
       T::Number,
       d.noise,
       {},
       "synthetic: noise std",
       when("data.dataset", {"spirals", "blobs", "xor", "circles", "checkerboard"})},
      {"data.classes",
       T::Integer,
       d.classes,
       {},
       "blobs: classes; spirals: arms",
       when("data.dataset", {"blobs", "spirals"})},
      {"data.seed", T::Integer, d.dataSeed, {}, "data seed: generation, subset and split (not the run seed)"},

      {"model.hidden", T::IntegerList, Value(std::vector<int>{256, 256}), {}, "hidden layer widths"},
      {"model.activation", T::Choice, d.activation, namesOf(model::activationNames()),
       "activation of the hidden layers"},
      {"model.alpha",
       T::Number,
       d.alpha,
       {},
       "leaky_relu slope, prelu initial slope, elu alpha",
       when("model.activation", {"leaky_relu", "prelu", "elu"})},
      {"model.rrelu_lower",
       T::Number,
       d.rreluLower,
       {},
       "rrelu slope range, lower",
       when("model.activation", {"rrelu"})},
      {"model.rrelu_upper",
       T::Number,
       d.rreluUpper,
       {},
       "rrelu slope range, upper",
       when("model.activation", {"rrelu"})},
      {"model.init", T::Choice, d.init, namesOf(model::initNames()), "weight initialization"},
      {"model.init_scale",
       T::Number,
       d.initScale,
       {},
       "normal: std; uniform: limit; orthogonal: gain (0 = 1)",
       when("model.init", {"normal", "uniform", "orthogonal"})},
      {"model.bias_init", T::Choice, d.biasInit, namesOf(model::biasInitNames()),
       "bias initialization (rai draws its own)",
       [](const Settings& s) { return text(s, "model.init") != "rai"; }},
      {"model.bias_value",
       T::Number,
       d.biasValue,
       {},
       "the constant of bias_init: constant",
       [](const Settings& s) {
         return text(s, "model.init") != "rai" && text(s, "model.bias_init") == "constant";
       }},
      {"model.norm", T::Choice, d.norm, namesOf(model::normNames()),
       "normalization after each hidden dense layer"},
      {"model.norm_momentum",
       T::Number,
       d.normMomentum,
       {},
       "batch norm running-statistics momentum",
       when("model.norm", {"batch"})},
      {"model.dropout", T::Number, d.dropout, {}, "drop probability after each hidden activation"},

      {"train.epochs", T::Integer, d.epochs, {}, "epochs (0: measure the initial network only)"},
      {"train.batch_size", T::Integer, d.batchSize, {}, "samples per step"},
      {"train.optimizer", T::Choice, d.optimizer, namesOf(model::optimizerNames()), "optimizer"},
      {"train.lr", T::Number, d.lr, {}, "learning rate"},
      {"train.momentum", T::Number, d.momentum, {}, "sgd momentum", when("train.optimizer", {"sgd"})},
      {"train.nesterov",
       T::Boolean,
       d.nesterov,
       {},
       "sgd: Nesterov momentum",
       when("train.optimizer", {"sgd"})},
      {"train.beta1",
       T::Number,
       d.beta1,
       {},
       "adam/adamw first-moment decay",
       when("train.optimizer", {"adam", "adamw"})},
      {"train.beta2",
       T::Number,
       d.beta2,
       {},
       "adam/adamw second-moment decay",
       when("train.optimizer", {"adam", "adamw"})},
      {"train.weight_decay", T::Number, d.weightDecay, {}, "weight decay, on dense weights only"},
      {"train.schedule", T::Choice, d.schedule, namesOf(model::scheduleNames()), "learning-rate schedule"},
      {"train.step_epochs",
       T::Integer,
       d.stepEpochs,
       {},
       "step schedule: epochs per step",
       when("train.schedule", {"step"})},
      {"train.gamma",
       T::Number,
       d.gamma,
       {},
       "step schedule: factor per step",
       when("train.schedule", {"step"})},
      {"train.min_lr",
       T::Number,
       d.minLr,
       {},
       "cosine schedule: final rate",
       when("train.schedule", {"cosine"})},
      {"train.clip", T::Number, d.clip, {}, "global gradient-norm clipping (0: off)"},

      {"diagnostics.probe_size", T::Integer, d.probeSize, {}, "probe samples for the layer diagnostics"},
  };
  for (Setting& s : table)
    if (s.type == T::Number) s.defaultValue = s.defaultValue.get<double>();
  return table;
}

}  // namespace

const std::vector<Setting>& allSettings() {
  static const std::vector<Setting> table = buildTable();
  return table;
}

const Setting* findSetting(std::string_view key) {
  for (const Setting& s : allSettings())
    if (s.key == key) return &s;
  return nullptr;
}

std::string_view settingTypeName(SettingType type) {
  switch (type) {
    case SettingType::Integer:
      return "an integer";
    case SettingType::Number:
      return "a number";
    case SettingType::Boolean:
      return "true or false";
    case SettingType::Text:
      return "a string";
    case SettingType::Choice:
      return "a name";
    case SettingType::IntegerList:
      return "a list of integers";
  }
  return "?";
}

std::optional<SettingCondition> conditionOf(const Setting& setting) {
  const When* when = setting.applies.target<When>();
  return when ? std::optional<SettingCondition>(when->condition) : std::nullopt;
}

std::string trainOption(std::string_view key) {
  // "--" and the last part with dashes (model.rrelu_lower -> --rrelu-lower),
  // except where the last part alone would be ambiguous.
  if (key == "data.path") return "--data-path";
  if (key == "data.seed") return "--data-seed";
  std::string option = "--" + std::string(key.substr(key.rfind('.') + 1));
  std::replace(option.begin(), option.end(), '_', '-');
  return option;
}

Settings defaultSettings() {
  Settings settings;
  for (const Setting& s : allSettings()) settings[s.key] = s.defaultValue;
  return settings;
}

Settings applicableOnly(const Settings& settings) {
  Settings kept;
  for (const auto& [key, value] : settings) {
    const Setting* setting = findSetting(key);
    if (!setting || setting->applies(settings)) kept[key] = value;  // unknown keys ("seed") are kept
  }
  return kept;
}

TrainJob toTrainJob(const Settings& given, std::uint64_t seed) {
  Settings s = defaultSettings();
  for (const auto& [key, value] : given) s[key] = value;
  TrainArguments a;
  a.dataset = s["data.dataset"];
  a.dataPath = s["data.path"];
  a.testPath = s["data.test_path"];
  a.csvLabel = s["data.csv_label"];
  a.regression = s["data.regression"];
  a.rawPixels = s["data.raw_pixels"];
  a.normalize = s["data.normalize"];
  a.trainSize = s["data.train_size"];
  a.validation = s["data.validation"];
  a.samples = s["data.samples"];
  a.noise = s["data.noise"];
  a.classes = s["data.classes"];
  a.dataSeed = s["data.seed"];
  a.hidden.clear();
  for (const Value& width : s["model.hidden"])
    a.hidden += (a.hidden.empty() ? "" : ",") + std::to_string(width.get<long>());
  a.activation = s["model.activation"];
  a.alpha = s["model.alpha"];
  a.rreluLower = s["model.rrelu_lower"];
  a.rreluUpper = s["model.rrelu_upper"];
  a.init = s["model.init"];
  a.initScale = s["model.init_scale"];
  a.biasInit = s["model.bias_init"];
  a.biasValue = s["model.bias_value"];
  a.norm = s["model.norm"];
  a.normMomentum = s["model.norm_momentum"];
  a.dropout = s["model.dropout"];
  a.epochs = s["train.epochs"];
  a.batchSize = s["train.batch_size"];
  a.optimizer = s["train.optimizer"];
  a.lr = s["train.lr"];
  a.momentum = s["train.momentum"];
  a.nesterov = s["train.nesterov"];
  a.beta1 = s["train.beta1"];
  a.beta2 = s["train.beta2"];
  a.weightDecay = s["train.weight_decay"];
  a.schedule = s["train.schedule"];
  a.stepEpochs = s["train.step_epochs"];
  a.gamma = s["train.gamma"];
  a.minLr = s["train.min_lr"];
  a.clip = s["train.clip"];
  a.probeSize = s["diagnostics.probe_size"];
  a.seed = seed;
  return resolve(a);
}

}  // namespace actsweep::runner
