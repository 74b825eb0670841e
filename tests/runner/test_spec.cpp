// The sweep-file parser: every bad file in tests/data/bad-specs/ reports the
// positions and messages written at its top (parsed and expanded); good files give the SweepSpec
// they describe; --set; the error format; name suggestions; and the settings
// tables of docs/sweep-file.md against runner/settings.cpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "runner/expand.hpp"
#include "runner/spec.hpp"
#include "runner/suggest.hpp"

using namespace actsweep::runner;
using actsweep::testing::readText;
using Catch::Matchers::Contains;

namespace {

const std::filesystem::path kSourceDir = ACTSWEEP_SOURCE_DIR;
const std::filesystem::path kBadSpecs = kSourceDir / "tests" / "data" / "bad-specs";

std::vector<std::filesystem::path> badSpecFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kBadSpecs))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

struct Expected {
  int line, column;
  std::string fragment;
};

// The "# expect: LINE:COL: FRAGMENT" lines at the top of a bad spec.
std::vector<Expected> expectations(const std::string& text) {
  static const std::regex pattern(R"(# expect: (\d+):(\d+): (.*))");
  std::vector<Expected> expected;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line) && line.starts_with("# expect:");) {
    std::smatch match;
    if (std::regex_match(line, match, pattern))
      expected.push_back({std::stoi(match[1]), std::stoi(match[2]), match[3]});
  }
  return expected;
}

std::vector<SpecError> errorsOf(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const SpecErrors& e) {
    return e.errors();
  }
  return {};
}

std::vector<SpecError> errorsOfText(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return errorsOf([&] { parseSpecText(text, "sweep.yaml", overrides); });
}

const Axis* axisNamed(const std::vector<Axis>& axes, const std::string& key) {
  const auto it = std::find_if(axes.begin(), axes.end(), [&](const Axis& axis) { return axis.key == key; });
  return it == axes.end() ? nullptr : &*it;
}

const char* const kFullSpec = R"(name: dying-relu
description: Does a leak keep deep narrow nets alive?
data:  {dataset: fashion-mnist, normalize: standard, train_size: 10000, validation: 0.1}
model: {hidden: [64, 64, 64, 64], activation: relu, alpha: 0.01, init: he_normal, norm: none}
train: {epochs: 5, batch_size: 64, optimizer: sgd, lr: 0.05, momentum: 0.9}
diagnostics: {probe_size: 500}
seeds: 3
grid:
  model.activation: [relu, leaky_relu, prelu, elu, selu, tanh]
  model.alpha: [0.01, 0.1, 0.3]
zip:
  - {model.hidden: [[32,32], [64,64,64]], train.lr: [0.1, 0.05]}
exclude:
  - {model.activation: selu, model.norm: [batch, layer]}
  - {model.hidden: [64, 64]}
random:
  samples: 20
  seed: 7
  axes:
    train.weight_decay: {log_uniform: [1.0e-5, 1.0e-2]}
    model.dropout: {uniform: [0, 0.5]}
    model.init: {choice: [he_normal, xavier_uniform]}
)";

}  // namespace

TEST_CASE("every bad sweep file reports exactly the errors written at its top", "[spec]") {
  for (const auto& path : badSpecFiles()) {
    const std::string text = readText(path);
    const std::vector<Expected> expected = expectations(text);
    INFO(path.filename().string());
    REQUIRE_FALSE(expected.empty());

    // Errors that only expansion finds (an exclude that removes every point) count too.
    const std::vector<SpecError> errors = errorsOf([&] { expand(parseSpec(path.string()), 1000); });
    std::string reported;
    for (const SpecError& error : errors) reported += "\n  " + error.format();
    INFO("reported:" + reported);
    REQUIRE(errors.size() == expected.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
      CHECK(errors[i].file == path.string());
      CHECK(errors[i].line == expected[i].line);
      CHECK(errors[i].column == expected[i].column);
      CHECK_THAT(errors[i].format(), Contains(expected[i].fragment));
    }
  }
}

TEST_CASE("the bad-spec folder covers at least 20 kinds of error", "[spec]") {
  CHECK(badSpecFiles().size() >= 20);
}

TEST_CASE("a full sweep file parses into its base, seeds, axes, excludes and random draws", "[spec]") {
  const SweepSpec spec = parseSpecText(kFullSpec, "dying_relu.yaml");
  CHECK(spec.file == "dying_relu.yaml");
  CHECK(spec.text == kFullSpec);
  CHECK(spec.name == "dying-relu");
  CHECK(spec.description == "Does a leak keep deep narrow nets alive?");

  CHECK(spec.base.size() == allSettings().size());
  CHECK(spec.base.at("data.dataset") == "fashion-mnist");
  CHECK(spec.base.at("data.train_size") == 10000);
  CHECK(spec.base.at("model.hidden") == Value({64, 64, 64, 64}));
  CHECK(spec.base.at("model.activation") == "relu");
  CHECK(spec.base.at("train.epochs") == 5);
  CHECK(spec.base.at("train.momentum") == 0.9);
  CHECK(spec.base.at("diagnostics.probe_size") == 500);
  CHECK(spec.base.at("train.schedule") == "constant");  // not in the file: the default

  CHECK(spec.seeds == std::vector<std::uint64_t>{0, 1, 2});

  REQUIRE(spec.grid.size() == 2);
  CHECK(spec.grid[0].key == "model.activation");
  CHECK(spec.grid[0].values == std::vector<Value>{"relu", "leaky_relu", "prelu", "elu", "selu", "tanh"});
  CHECK(spec.grid[1].key == "model.alpha");
  CHECK(spec.grid[1].values == std::vector<Value>{0.01, 0.1, 0.3});

  REQUIRE(spec.zips.size() == 1);
  REQUIRE(spec.zips[0].size() == 2);
  CHECK(spec.zips[0][0].key == "model.hidden");
  CHECK(spec.zips[0][0].values == std::vector<Value>{Value({32, 32}), Value({64, 64, 64})});
  CHECK(spec.zips[0][1].key == "train.lr");
  CHECK(spec.zips[0][1].values == std::vector<Value>{0.1, 0.05});

  // Each exclude value is the list of values it matches.
  REQUIRE(spec.excludes.size() == 2);
  CHECK(spec.excludes[0].at("model.activation") == Value({"selu"}));
  CHECK(spec.excludes[0].at("model.norm") == Value({"batch", "layer"}));
  CHECK(spec.excludes[1].at("model.hidden") == Value::array({Value({64, 64})}));

  REQUIRE(spec.random);
  CHECK(spec.random->samples == 20);
  CHECK(spec.random->seed == 7);
  REQUIRE(spec.random->axes.size() == 3);
  CHECK(spec.random->axes[0].key == "train.weight_decay");
  CHECK(spec.random->axes[0].kind == RandomAxis::Kind::LogUniform);
  CHECK(spec.random->axes[0].low == 1.0e-5);
  CHECK(spec.random->axes[0].high == 1.0e-2);
  CHECK(spec.random->axes[1].kind == RandomAxis::Kind::Uniform);
  CHECK(spec.random->axes[1].high == 0.5);
  CHECK(spec.random->axes[2].kind == RandomAxis::Kind::Choice);
  CHECK(spec.random->axes[2].choices == std::vector<Value>{"he_normal", "xavier_uniform"});
}

TEST_CASE("a file with a name only takes every default", "[spec]") {
  const SweepSpec spec = parseSpecText("name: defaults\n", "minimal.yaml");
  CHECK(spec.base == defaultSettings());
  CHECK(spec.seeds == std::vector<std::uint64_t>{0});
  CHECK(spec.description.empty());
  CHECK(spec.grid.empty());
  CHECK(spec.zips.empty());
  CHECK(spec.excludes.empty());
  CHECK_FALSE(spec.random);
  CHECK(spec.overrides.empty());
}

TEST_CASE("integers given for number settings are stored as doubles", "[spec]") {
  const SweepSpec spec = parseSpecText(R"(name: numbers
train: {lr: 1, epochs: 3}
grid: {model.alpha: [0, 1]}
random: {samples: 2, axes: {train.batch_size: {uniform: [16, 65]}}}
)",
                                       "numbers.yaml");
  CHECK(spec.base.at("train.lr").is_number_float());
  CHECK(spec.base.at("train.lr") == 1.0);
  CHECK(spec.base.at("train.epochs").is_number_integer());
  for (const Value& alpha : spec.grid.at(0).values) CHECK(alpha.is_number_float());
  CHECK(spec.grid.at(0).values == std::vector<Value>{0.0, 1.0});
  REQUIRE(spec.random);
  CHECK(spec.random->axes.at(0).low == 16);
}

TEST_CASE("seeds as a list, and YAML forms of values", "[spec]") {
  const SweepSpec spec = parseSpecText(R"(name: forms.v2
seeds: [5, 7, 0]
data: {csv_label: 3, dataset: spirals, noise: .5e-1}
train: {nesterov: True, lr: 1e-3}
model: {hidden: []}
)",
                                       "forms.yaml");
  CHECK(spec.seeds == std::vector<std::uint64_t>{5, 7, 0});
  CHECK(spec.base.at("data.csv_label") == "3");
  CHECK(spec.base.at("data.noise") == 0.05);
  CHECK(spec.base.at("train.nesterov") == true);
  CHECK(spec.base.at("train.lr") == 1e-3);
  CHECK(spec.base.at("model.hidden") == Value::array());
}

TEST_CASE("a value that fails with the fixed settings stands when another axis makes it valid", "[spec]") {
  // rrelu_lower 0.4 is above the default upper bound 1/3, but every run sweeps upper to 0.5 or 0.6.
  const std::string text = R"(name: rrelu-range
model: {activation: rrelu, rrelu_lower: 0.4}
grid: {model.rrelu_upper: [0.5, 0.6]}
)";
  CHECK_NOTHROW(parseSpecText(text, "rrelu.yaml"));
  const auto errors = errorsOfText(text, {"grid.model.rrelu_upper=[0.3]"});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].keyPath == "model.rrelu_lower");
  CHECK(errors[0].line == 2);
  CHECK_THAT(errors[0].message, Contains("rrelu: need 0 <= lower <= upper"));
}

TEST_CASE("overrides (--set) set fixed values, grid axes, seeds and the name", "[spec]") {
  SECTION("a fixed value pins the setting: it leaves the grid") {
    const SweepSpec spec = parseSpecText(kFullSpec, "f.yaml", {"model.alpha=0.2", "train.lr=1e-3"});
    CHECK(spec.base.at("model.alpha") == 0.2);
    CHECK(spec.base.at("train.lr") == 1e-3);
    CHECK(axisNamed(spec.grid, "model.alpha") == nullptr);
    CHECK(axisNamed(spec.grid, "model.activation") != nullptr);
    // train.lr was zipped with model.hidden; the group keeps model.hidden alone.
    REQUIRE(spec.zips.size() == 1);
    REQUIRE(spec.zips[0].size() == 1);
    CHECK(spec.zips[0][0].key == "model.hidden");
    CHECK(spec.overrides == std::vector<std::string>{"model.alpha=0.2", "train.lr=1e-3"});
  }
  SECTION("a grid axis is replaced in place, or added at the end") {
    const SweepSpec spec = parseSpecText(kFullSpec, "f.yaml",
                                         {"grid.model.alpha=[0.01,0.2]", "grid.train.batch_size=[32, 128]"});
    REQUIRE(spec.grid.size() == 3);
    CHECK(spec.grid[1].key == "model.alpha");
    CHECK(spec.grid[1].values == std::vector<Value>{0.01, 0.2});
    CHECK(spec.grid[2].key == "train.batch_size");
    CHECK(spec.grid[2].values == std::vector<Value>{32, 128});
  }
  SECTION("a grid override takes the setting out of random") {
    const SweepSpec spec = parseSpecText(kFullSpec, "f.yaml", {"grid.model.dropout=[0, 0.2]"});
    REQUIRE(spec.random);
    CHECK(spec.random->axes.size() == 2);
    CHECK(axisNamed(spec.grid, "model.dropout") != nullptr);
  }
  SECTION("pinning the only random axis drops the random section") {
    const std::string text = "name: r\nrandom: {samples: 3, axes: {model.dropout: {uniform: [0, 0.5]}}}\n";
    const SweepSpec spec = parseSpecText(text, "r.yaml", {"model.dropout=0.1"});
    CHECK_FALSE(spec.random);
    CHECK(spec.base.at("model.dropout") == 0.1);
  }
  SECTION("seeds, name and description") {
    CHECK(parseSpecText(kFullSpec, "f.yaml", {"seeds=5"}).seeds == std::vector<std::uint64_t>{0, 1, 2, 3, 4});
    CHECK(parseSpecText(kFullSpec, "f.yaml", {"seeds=[1,2]"}).seeds == std::vector<std::uint64_t>{1, 2});
    const SweepSpec spec = parseSpecText(kFullSpec, "f.yaml", {"name=other", "description='a: b'"});
    CHECK(spec.name == "other");
    CHECK(spec.description == "a: b");
  }
  SECTION("a name from --set satisfies a file without one") {
    CHECK(parseSpecText("model: {activation: elu}\n", "f.yaml", {"name=from-cli"}).name == "from-cli");
  }
  SECTION("the later of two overrides of one key wins") {
    CHECK(
        parseSpecText(kFullSpec, "f.yaml", {"train.epochs=abc", "train.epochs=2"}).base.at("train.epochs") ==
        2);
  }
}

TEST_CASE("a bad --set value is reported at the override, without a position", "[spec]") {
  const auto errors = errorsOfText(kFullSpec, {"model.alpha=abc", "seeds=-1"});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].file == "--set model.alpha=abc");
  CHECK(errors[0].line == 0);
  CHECK(errors[0].column == 0);
  CHECK(errors[0].keyPath == "model.alpha");
  CHECK(errors[0].format() == "--set model.alpha=abc: model.alpha: expected a number, got 'abc'");
  CHECK(errors[1].file == "--set seeds=-1");
  CHECK(errors[1].keyPath == "seeds");
}

TEST_CASE("a malformed --set is an error", "[spec]") {
  SECTION("no '='") {
    const auto errors = errorsOfText(kFullSpec, {"model.alpha"});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == "--set model.alpha");
    CHECK_THAT(errors[0].message, Contains("expected key=value"));
  }
  SECTION("an unknown key, with a suggestion") {
    const auto errors = errorsOfText(kFullSpec, {"model.alpah=0.1"});
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Contains("unknown key 'model.alpah'"));
    CHECK(errors[0].hint == "did you mean 'model.alpha'?");
  }
  SECTION("a key that --set cannot change") {
    const auto errors = errorsOfText(kFullSpec, {"zip=[]"});
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Contains("unknown key 'zip'"));
  }
  SECTION("a grid axis naming no setting") {
    const auto errors = errorsOfText(kFullSpec, {"grid.model.activaton=[relu]"});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == "--set grid.model.activaton=[relu]");
    CHECK(errors[0].hint == "did you mean 'model.activation'?");
  }
  SECTION("a value that is not YAML") {
    const auto errors = errorsOfText(kFullSpec, {"grid.model.alpha=[0.1,"});
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Contains("not a YAML value"));
  }
  SECTION("a range error in an override") {
    const auto errors = errorsOfText(kFullSpec, {"train.lr=-1"});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].format() ==
          "--set train.lr=-1: train.lr: lr schedule: base lr -1 is out of range (allowed: finite and > 0)");
  }
}

TEST_CASE("a file that cannot be read is one error naming it", "[spec]") {
  const std::string missing = (kBadSpecs / "no-such-file.yaml").string();
  const auto errors = errorsOf([&] { parseSpec(missing); });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == missing);
  CHECK(errors[0].line == 0);
  CHECK_THAT(errors[0].message, Contains("cannot read"));

  const auto directory = errorsOf([&] { parseSpec(kBadSpecs.string()); });
  REQUIRE(directory.size() == 1);
  CHECK_THAT(directory[0].message, Contains("cannot read: it is a directory"));
}

TEST_CASE("an empty text is an error without a position", "[spec]") {
  const auto errors = errorsOfText("");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 0);
  CHECK_THAT(errors[0].format(), Contains("sweep.yaml: the file is empty"));
}

TEST_CASE("every shipped experiment parses", "[spec]") {
  const auto folder = kSourceDir / "experiments";
  REQUIRE(std::filesystem::exists(folder));
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    std::string reported;
    for (const SpecError& error : errorsOf([&] { parseSpec(entry.path().string()); }))
      reported += "\n  " + error.format();
    CHECK(reported.empty());
  }
}

TEST_CASE("SpecError::format prints file:line:col: key.path: message (hint)", "[spec]") {
  const SpecError full{"dying_relu.yaml",           12, 5, "model.activation", "unknown value 'lreLU'",
                       "did you mean 'leaky_relu'?"};
  CHECK(full.format() ==
        "dying_relu.yaml:12:5: model.activation: unknown value 'lreLU' (did you mean 'leaky_relu'?)");
  CHECK(SpecError{"a.yaml", 0, 0, "name", "missing", ""}.format() == "a.yaml: name: missing");
  CHECK(SpecError{"a.yaml", 3, 1, "", "a tab in the indentation", "use spaces"}.format() ==
        "a.yaml:3:1: a tab in the indentation (use spaces)");

  const SpecErrors errors({full, SpecError{"a.yaml", 0, 0, "", "the file is empty", ""}});
  CHECK(std::string(errors.what()) == full.format() + "\na.yaml: the file is empty");
  CHECK(errors.errors().size() == 2);
}

TEST_CASE("suggestions: nearest names by spelling", "[spec]") {
  const std::vector<std::string> activations = {"relu", "leaky_relu", "prelu",   "elu",      "selu", "gelu",
                                                "silu", "tanh",       "sigmoid", "softplus", "rrelu"};
  CHECK(editDistance("sedes", "seeds") == 1);
  CHECK(editDistance("kitten", "sitting") == 3);
  CHECK(editDistance("", "abc") == 3);
  CHECK(editDistance("same", "same") == 0);

  CHECK(nearestName("lrelu", activations) == "leaky_relu");
  CHECK(nearestName("lreLU", activations) == "leaky_relu");
  CHECK(nearestName("Leaky-ReLU", activations) == "leaky_relu");
  CHECK(nearestName("sigmod", activations) == "sigmoid");
  CHECK(nearestName("tahn", activations) == "tanh");
  CHECK(nearestName("relu6", activations) == "relu");
  CHECK_FALSE(nearestName("swish", activations));
  CHECK_FALSE(nearestName("", activations));

  CHECK(nearestName("sedes", {"name", "seeds", "grid"}) == "seeds");
  CHECK(nearestName("batchsize", {"batch_size", "epochs"}) == "batch_size");
  CHECK(nearestName("model.nrom", {"model.norm", "model.norm_momentum"}) == "model.norm");
  CHECK(nearestName("xavier", {"he_normal", "xavier_normal", "xavier_uniform"}) == "xavier_normal");
  CHECK_FALSE(nearestName("model.foo", {"model.norm", "model.init"}));

  CHECK(didYouMean("btach", {"none", "batch", "layer"}) == "did you mean 'batch'?");
  CHECK(didYouMean("xyz", {"none", "batch", "layer"}).empty());
}

TEST_CASE("docs/sweep-file.md lists every setting with its type, default and names", "[spec]") {
  // Rows of the settings tables: | `key.path` | type | `default` | allowed | applies when | meaning |
  static const std::regex row(
      R"(\| `([a-z0-9_]+\.[a-z0-9_]+)` \| ([a-z ]+) \| `([^`]*)`[^|]*\|\s*([^|]*?)\s*\|.*)");
  std::map<std::string, std::vector<std::string>> documented;
  std::istringstream lines(readText(kSourceDir / "docs" / "sweep-file.md"));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, row)) documented[match[1]] = {match[2], match[3], match[4]};
  }
  const auto typeWord = [](SettingType type) {
    switch (type) {
      case SettingType::Integer:
        return "integer";
      case SettingType::Number:
        return "number";
      case SettingType::Boolean:
        return "boolean";
      case SettingType::Text:
        return "text";
      case SettingType::Choice:
        return "name";
      case SettingType::IntegerList:
        return "list of integers";
    }
    return "?";
  };

  CHECK(documented.size() == allSettings().size());
  for (const Setting& setting : allSettings()) {
    INFO(setting.key);
    REQUIRE(documented.count(setting.key) == 1);
    const auto& cells = documented.at(setting.key);
    CHECK(cells[0] == typeWord(setting.type));
    const std::string& shown = cells[1];
    const Value& value = setting.defaultValue;
    if (value.is_string()) {
      CHECK(shown == (value.get<std::string>().empty() ? "\"\"" : value.get<std::string>()));
    } else if (value.is_boolean()) {
      CHECK(shown == (value.get<bool>() ? "true" : "false"));
    } else if (value.is_number_float()) {
      CHECK(std::abs(std::stod(shown) - value.get<double>()) <=
            1e-4 * std::max(1.0, std::abs(value.get<double>())));
    } else if (value.is_number()) {
      CHECK(shown == value.dump());
    } else {
      std::string list;
      for (const Value& item : value) list += (list.empty() ? "" : ", ") + item.dump();
      CHECK(shown == "[" + list + "]");
    }
    if (setting.type == SettingType::Choice) {
      std::string names;
      for (const std::string& choice : setting.choices) names += (names.empty() ? "" : ", ") + choice;
      CHECK(cells[2] == names);
    }
  }
}
