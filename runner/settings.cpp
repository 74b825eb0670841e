#include "runner/settings.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "model/activations.hpp"
#include "model/errors.hpp"
#include "model/format.hpp"
#include "model/initializers.hpp"
#include "model/lr_schedule.hpp"
#include "model/memory.hpp"
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

std::string textOf(const Settings& s, const std::string& key) {
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
    return std::find(values.begin(), values.end(), textOf(s, condition.key)) != values.end();
  }
};

// "relu", "relu or elu", "relu, prelu or elu"
std::string alternatives(std::vector<std::string> values) {
  const std::string last = values.back();
  values.pop_back();
  return values.empty() ? last : model::joined(values) + " or " + last;
}

// One entry of the table, declared in a chain:
//   number("model.alpha", 0.01, "leaky_relu slope", setter).allowed("finite").column("alpha")
struct Declare {
  Setting setting;

  Declare& allowed(std::string words) {
    setting.allowed = std::move(words);
    return *this;
  }
  Declare& when(std::string key, std::vector<std::string> values) {
    setting.appliesText = key.substr(key.rfind('.') + 1) + " is " + alternatives(values);
    setting.applies = When{{std::move(key), std::move(values)}};
    return *this;
  }
  Declare& when(std::function<bool(const Settings&)> applies, std::string words) {
    setting.applies = std::move(applies);
    setting.appliesText = std::move(words);
    return *this;
  }
  Declare& column(std::string name) {
    setting.columns.push_back(std::move(name));
    return *this;
  }
  Declare& option(std::string name) {
    setting.option = std::move(name);
    return *this;
  }
  operator Setting() const { return setting; }  // NOLINT: the table is a list of declarations
};

// "--" and the key's last part with dashes (model.rrelu_lower -> --rrelu-lower).
std::string optionOf(std::string_view key) {
  std::string option = "--" + std::string(key.substr(key.rfind('.') + 1));
  std::replace(option.begin(), option.end(), '_', '-');
  return option;
}

Declare declare(std::string key, SettingType type, Value value, std::string help,
                std::function<void(TrainJob&, const Value&)> set) {
  Declare d;
  d.setting.option = optionOf(key);
  d.setting.key = std::move(key);
  d.setting.type = type;
  d.setting.defaultValue = std::move(value);
  d.setting.help = std::move(help);
  d.setting.set = std::move(set);
  return d;
}

// The typed declarations: the setter receives the value as the C++ type the
// job holds (an Integer setting's type also bounds `train`'s option).
template <class T>
Declare integer(std::string key, T value, std::string help, void (*set)(TrainJob&, T)) {
  Declare d = declare(std::move(key), SettingType::Integer, value, std::move(help),
                      [set](TrainJob& job, const Value& v) { set(job, v.get<T>()); });
  d.setting.width = std::is_same_v<T, int>    ? IntegerWidth::Int
                    : std::is_same_v<T, long> ? IntegerWidth::Long
                                              : IntegerWidth::Unsigned64;
  return d;
}

Declare number(std::string key, double value, std::string help, void (*set)(TrainJob&, double)) {
  return declare(std::move(key), SettingType::Number, value, std::move(help),
                 [set](TrainJob& job, const Value& v) { set(job, v.get<double>()); });
}

Declare boolean(std::string key, bool value, std::string help, void (*set)(TrainJob&, bool)) {
  return declare(std::move(key), SettingType::Boolean, value, std::move(help),
                 [set](TrainJob& job, const Value& v) { set(job, v.get<bool>()); });
}

Declare text(std::string key, std::string value, std::string help,
             void (*set)(TrainJob&, const std::string&)) {
  return declare(std::move(key), SettingType::Text, std::move(value), std::move(help),
                 [set](TrainJob& job, const Value& v) { set(job, v.get<std::string>()); });
}

template <class Enum>
Declare choice(std::string key, std::string value, const model::NameTable<Enum>& names, std::string help,
               void (*set)(TrainJob&, const std::string&)) {
  Declare d = text(std::move(key), std::move(value), std::move(help), set);
  d.setting.type = SettingType::Choice;
  d.setting.choices = namesOf(names);
  d.setting.allowed = model::joined(d.setting.choices);
  return d;
}

// model.hidden: each width a positive int, checked with the messages of
// `train --hidden` (the widths' text is checked the same way there).
void setHidden(TrainJob& job, const Value& widths) {
  job.network.hidden.clear();
  for (const Value& width : widths) {
    const std::string shown =
        width.is_number_integer() ? std::to_string(width.get<long long>()) : width.dump();
    if (width.is_number_integer() && width.get<long long>() > std::numeric_limits<int>::max())
      throw model::ConfigError("--hidden: width " + shown + " is too large (at most " +
                               std::to_string(std::numeric_limits<int>::max()) + " units)");
    if (!width.is_number_integer() || width.get<long long>() < 1)
      throw model::ConfigError(
          "--hidden: '" + model::excerpt(shown) +
          "' is not a positive width (expected widths separated by commas, e.g. 256,256)");
    job.network.hidden.push_back(width.get<int>());
  }
}

const std::vector<std::string> kSynthetic = {"spirals", "blobs", "xor", "circles", "checkerboard", "abs"};

std::vector<Setting> dataSettings() {
  return {
      choice("data.dataset", "fashion-mnist", data::sourceNames(), "the data set",
             [](TrainJob& j, const std::string& v) { j.data.source = data::parseSource(v); })
          .column("dataset"),
      text("data.path", "", "IDX directory or CSV file (empty: the default location)",
           [](TrainJob& j, const std::string& v) { j.data.path = v; })
          .allowed("mnist and csv need one")
          .when("data.dataset", {"fashion-mnist", "mnist", "csv"})
          .option("--data-path"),
      text("data.test_path", "", "CSV test file (empty: cut from the data)",
           [](TrainJob& j, const std::string& v) { j.data.testPath = v; })
          .when("data.dataset", {"csv"}),
      text("data.csv_label", "", "CSV label column, name or 0-based index (empty: last)",
           [](TrainJob& j, const std::string& v) { j.data.csvLabel = v; })
          .when("data.dataset", {"csv"}),
      boolean("data.regression", false, "CSV: the label is a value to regress",
              [](TrainJob& j, bool v) { j.data.csvRegression = v; })
          .when("data.dataset", {"csv"}),
      boolean("data.raw_pixels", false, "IDX: pixels 0..255 instead of [0, 1]",
              [](TrainJob& j, bool v) { j.data.rawPixels = v; })
          .when("data.dataset", {"fashion-mnist", "mnist"}),
      choice("data.normalize", "standard", data::normalizeNames(),
             "input normalization, statistics from the training split",
             [](TrainJob& j, const std::string& v) { j.data.normalize = data::parseNormalize(v); }),
      integer<long>("data.train_size", 0, "training samples used (0: all)",
                    [](TrainJob& j, long v) { j.data.trainSize = v; })
          .allowed(">= 0"),
      number("data.validation", 0.1, "fraction of training samples held out for validation",
             [](TrainJob& j, double v) { j.data.validation = v; })
          .allowed("[0, 1)"),
      integer<long>("data.samples", 2000, "synthetic: samples generated",
                    [](TrainJob& j, long v) { j.data.samples = v; })
          .allowed("2 .. 100000000 (abs: from 1; blobs, spirals: from classes)")
          .when("data.dataset", kSynthetic),
      number("data.noise", 0.1, "synthetic: noise std", [](TrainJob& j, double v) { j.data.noise = v; })
          .allowed("finite, >= 0")
          .when("data.dataset", {"spirals", "blobs", "xor", "circles", "checkerboard"}),
      integer<int>("data.classes", 3, "blobs: classes; spirals: arms",
                   [](TrainJob& j, int v) { j.data.classes = v; })
          .allowed("2 .. 1000")
          .when("data.dataset", {"blobs", "spirals"}),
      integer<std::uint64_t>("data.seed", 0, "data seed: generation, subset and split (not the run seed)",
                             [](TrainJob& j, std::uint64_t v) { j.data.seed = v; })
          .allowed(">= 0")
          .option("--data-seed"),
  };
}

std::vector<Setting> modelSettings() {
  const auto notRai = [](const Settings& s) { return textOf(s, "model.init") != "rai"; };
  return {
      declare("model.hidden", SettingType::IntegerList, Value(std::vector<int>{256, 256}),
              "hidden layer widths", setHidden)
          .allowed("widths >= 1; [] (train: --hidden '') for no hidden layer")
          .column("depth")
          .column("width"),
      choice("model.activation", "relu", model::activationNames(), "activation of the hidden layers",
             [](TrainJob& j, const std::string& v) { j.network.activation.kind = model::parseActivation(v); })
          .column("activation"),
      number("model.alpha", 0.01, "leaky_relu slope, prelu initial slope, elu alpha",
             [](TrainJob& j, double v) { j.network.activation.alpha = v; })
          .allowed("finite; elu: >= 0")
          .when("model.activation", {"leaky_relu", "prelu", "elu"})
          .column("alpha"),
      number("model.rrelu_lower", 1.0 / 8, "rrelu slope range, lower",
             [](TrainJob& j, double v) { j.network.activation.rreluLower = v; })
          .allowed("0 <= lower <= upper")
          .when("model.activation", {"rrelu"}),
      number("model.rrelu_upper", 1.0 / 3, "rrelu slope range, upper",
             [](TrainJob& j, double v) { j.network.activation.rreluUpper = v; })
          .allowed("0 <= lower <= upper")
          .when("model.activation", {"rrelu"}),
      choice("model.init", "he_normal", model::initNames(), "weight initialization",
             [](TrainJob& j, const std::string& v) { j.network.init.kind = model::parseInit(v); })
          .column("init"),
      number("model.init_scale", 0, "normal: std; uniform: limit; orthogonal: gain (0 = 1)",
             [](TrainJob& j, double v) { j.network.init.scale = v; })
          .allowed("normal, uniform: > 0 (so they need it set); orthogonal: >= 0")
          .when("model.init", {"normal", "uniform", "orthogonal"}),
      choice("model.bias_init", "zero", model::biasInitNames(), "bias initialization (rai draws its own)",
             [](TrainJob& j, const std::string& v) {
               j.network.init.bias = model::parseName(model::biasInitNames(), v, "bias init");
             })
          .when(notRai, "init is not rai"),
      number("model.bias_value", 0, "the constant of bias_init: constant",
             [](TrainJob& j, double v) { j.network.init.biasValue = v; })
          .allowed("finite")
          .when(
              [notRai](const Settings& s) { return notRai(s) && textOf(s, "model.bias_init") == "constant"; },
              "init is not rai and bias_init is constant"),
      choice("model.norm", "none", model::normNames(), "normalization after each hidden dense layer",
             [](TrainJob& j, const std::string& v) { j.network.norm.kind = model::parseNorm(v); })
          .column("norm"),
      number("model.norm_momentum", 0.1, "batch norm running-statistics momentum",
             [](TrainJob& j, double v) { j.network.norm.momentum = v; })
          .allowed("[0, 1]")
          .when("model.norm", {"batch"}),
      number("model.dropout", 0, "drop probability after each hidden activation",
             [](TrainJob& j, double v) { j.network.dropout = v; })
          .allowed("[0, 1)"),
  };
}

std::vector<Setting> trainSettings() {
  return {
      integer<int>("train.epochs", 10, "epochs (0: measure the initial network only)",
                   [](TrainJob& j, int v) {
                     j.train.epochs = v;
                     j.train.schedule.totalEpochs = std::max(1, v);  // what a schedule spans
                   })
          .allowed(">= 0")
          .column("epochs"),
      integer<int>("train.batch_size", 64, "samples per step",
                   [](TrainJob& j, int v) { j.train.batchSize = v; })
          .allowed(">= 1")
          .column("batch_size"),
      choice("train.optimizer", "sgd", model::optimizerNames(), "optimizer",
             [](TrainJob& j, const std::string& v) { j.train.optimizer.kind = model::parseOptimizer(v); })
          .column("optimizer"),
      number("train.lr", 0.05, "learning rate", [](TrainJob& j, double v) { j.train.schedule.baseLr = v; })
          .allowed("finite, > 0")
          .column("lr"),
      number("train.momentum", 0.9, "sgd momentum",
             [](TrainJob& j, double v) { j.train.optimizer.momentum = v; })
          .allowed("[0, 1); > 0 with nesterov")
          .when("train.optimizer", {"sgd"}),
      boolean("train.nesterov", false, "sgd: Nesterov momentum",
              [](TrainJob& j, bool v) { j.train.optimizer.nesterov = v; })
          .when("train.optimizer", {"sgd"}),
      number("train.beta1", 0.9, "adam/adamw first-moment decay",
             [](TrainJob& j, double v) { j.train.optimizer.beta1 = v; })
          .allowed("[0, 1)")
          .when("train.optimizer", {"adam", "adamw"}),
      number("train.beta2", 0.999, "adam/adamw second-moment decay",
             [](TrainJob& j, double v) { j.train.optimizer.beta2 = v; })
          .allowed("[0, 1)")
          .when("train.optimizer", {"adam", "adamw"}),
      number("train.weight_decay", 0, "weight decay, on dense weights only",
             [](TrainJob& j, double v) { j.train.optimizer.weightDecay = v; })
          .allowed("finite, >= 0"),
      choice("train.schedule", "constant", model::scheduleNames(), "learning-rate schedule",
             [](TrainJob& j, const std::string& v) { j.train.schedule.kind = model::parseSchedule(v); }),
      integer<int>("train.step_epochs", 10, "step schedule: epochs per step",
                   [](TrainJob& j, int v) { j.train.schedule.stepEpochs = v; })
          .allowed(">= 1")
          .when("train.schedule", {"step"}),
      number("train.gamma", 0.1, "step schedule: factor per step",
             [](TrainJob& j, double v) { j.train.schedule.gamma = v; })
          .allowed("(0, 1]")
          .when("train.schedule", {"step"}),
      number("train.min_lr", 0, "cosine schedule: final rate",
             [](TrainJob& j, double v) { j.train.schedule.minLr = v; })
          .allowed("0 <= min_lr <= lr")
          .when("train.schedule", {"cosine"}),
      number("train.clip", 0, "global gradient-norm clipping (0: off)",
             [](TrainJob& j, double v) { j.train.clipNorm = v; })
          .allowed(">= 0"),
      integer<int>("diagnostics.probe_size", 1000, "probe samples for the layer diagnostics",
                   [](TrainJob& j, int v) { j.train.probeSize = v; })
          .allowed(">= 1"),
  };
}

std::vector<Setting> buildTable() {
  std::vector<Setting> table = dataSettings();
  for (std::vector<Setting> part : {modelSettings(), trainSettings()})
    table.insert(table.end(), part.begin(), part.end());
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
  const Setting* setting = findSetting(key);
  return setting ? setting->option : optionOf(key);
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

TrainJob jobOf(const Settings& given, std::uint64_t seed) {
  TrainJob job;
  // In the table's order, each setting given or at its default: names are
  // parsed in that order, so the first bad one is the one reported.
  for (const Setting& setting : allSettings()) {
    const auto it = given.find(setting.key);
    setting.set(job, it != given.end() ? it->second : setting.defaultValue);
  }
  // Momentum means nothing to adam and adamw: 0, as their header shows it.
  if (job.train.optimizer.kind != model::OptimizerKind::Sgd) job.train.optimizer.momentum = 0;
  job.train.seed = seed;
  return job;
}

void checkRanges(const TrainJob& job) {
  data::validate(job.data);
  model::validate(job.train);
}

void checkNetworkShape(TrainJob& job) {
  const data::ShapeHint shape = data::shapeHint(job.data);
  job.network.inputs = shape.inputs;
  job.network.outputs = shape.outputs;
  model::validate(job.network);
  // Unknown sample counts (csv) count as 1: only what surely cannot fit is
  // refused here; model::train checks again with the data's real counts.
  model::checkMemory(job.network, job.train, shape.samples > 0 ? shape.samples : 1);
}

TrainJob toTrainJob(const Settings& settings, std::uint64_t seed) {
  TrainJob job = jobOf(settings, seed);
  checkRanges(job);
  checkNetworkShape(job);
  return job;
}

}  // namespace actsweep::runner
