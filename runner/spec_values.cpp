// SpecParser, values: each value checked against its setting's type, the
// axes that sweep them, the counts and seeds, the sweep's name.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "model/format.hpp"
#include "runner/spec_parser.hpp"
#include "runner/spec_yaml.hpp"
#include "runner/suggest.hpp"

namespace actsweep::runner::specparse {

namespace {

// `seeds: n` and `random.samples` become vectors and runs: a typo of a few
// digits must not ask for a billion of them.
constexpr std::int64_t kMaxCount = 100000;

}  // namespace

using model::joined;
using specyaml::allDigits;
using specyaml::describe;
using specyaml::isIntegerText;
using specyaml::isPlain;
using specyaml::parseBoolean;
using specyaml::parseInteger;
using specyaml::parseNumber;
using specyaml::shortened;

std::optional<Value> SpecParser::convert(const Setting& setting, const YAML::Node& node, const Source& source,
                                         const YAML::Node& at, const std::string& keyPath,
                                         const YAML::Node& use, bool fixed) {
  const auto fail = [&](std::string message, std::string hint = {}) -> std::optional<Value> {
    report(source, at, keyPath, std::move(message), std::move(hint), use);
    return std::nullopt;
  };
  const auto wrong = [&](std::string hint = {}) {
    return fail("expected " + std::string(settingTypeName(setting.type)) + ", got " + describe(node),
                std::move(hint));
  };
  if (node.IsNull())
    return fail("no value",
                "write a value, or leave the key out for the default, " + setting.defaultValue.dump());

  if (setting.type == SettingType::IntegerList) return convertWidths(setting, node, source, at, keyPath, use);

  if (!node.IsScalar()) {
    if (fixed && node.IsSequence())
      return wrong("to sweep several values, list them under grid: as " + setting.key + ": [...]");
    return wrong();
  }
  return convertScalar(setting, node, source, at, keyPath, use);
}

std::optional<Value> SpecParser::convertWidths(const Setting& setting, const YAML::Node& node,
                                               const Source& source, const YAML::Node& at,
                                               const std::string& keyPath, const YAML::Node& use) {
  if (!node.IsSequence()) {
    report(source, at, keyPath,
           "expected " + std::string(settingTypeName(setting.type)) + ", got " + describe(node),
           isPlain(node) && parseInteger(node.Scalar()) ? "write [" + node.Scalar() + "] for one layer"
                                                        : "e.g. [64, 64]",
           use);
    return std::nullopt;
  }
  Value widths = Value::array();
  std::size_t index = 0;
  for (const YAML::Node& item : node) {
    const auto width = isPlain(item) ? parseInteger(item.Scalar()) : std::nullopt;
    if (!width || *width < 1 || *width > std::numeric_limits<int>::max()) {
      report(source, item, indexed(keyPath, index),
             "expected a positive integer (a layer width), got " + describe(item), {}, use);
      widths = nullptr;
    } else if (widths.is_array()) {
      widths.push_back(*width);
    }
    ++index;
  }
  if (widths.is_null()) return std::nullopt;
  return widths;
}

std::optional<Value> SpecParser::convertScalar(const Setting& setting, const YAML::Node& node,
                                               const Source& source, const YAML::Node& at,
                                               const std::string& keyPath, const YAML::Node& use) {
  const auto fail = [&](std::string message, std::string hint = {}) -> std::optional<Value> {
    report(source, at, keyPath, std::move(message), std::move(hint), use);
    return std::nullopt;
  };
  const auto wrong = [&](std::string hint = {}) {
    return fail("expected " + std::string(settingTypeName(setting.type)) + ", got " + describe(node),
                std::move(hint));
  };
  const std::string& text = node.Scalar();
  const std::string quotes = specyaml::unplainHint(node);
  switch (setting.type) {
    case SettingType::Integer: {
      const auto value = isPlain(node) ? parseInteger(text) : std::nullopt;
      if (!value && isPlain(node) && isIntegerText(text)) return fail("integer out of range, got " + text);
      if (!value) return wrong(quotes);
      // data.seed is unsigned in the library: a negative one would wrap around silently.
      if (setting.key == "data.seed" && *value < 0) return fail("a seed must be >= 0, got " + text);
      if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max())
        return fail("integer out of range, got " + text, "at most 2147483647 in size");
      return Value(*value);
    }
    case SettingType::Number: {
      const auto value = isPlain(node) ? parseNumber(text) : std::nullopt;
      if (!value) return wrong(quotes);
      return Value(*value);
    }
    case SettingType::Boolean: {
      const auto value = isPlain(node) ? parseBoolean(text) : std::nullopt;
      if (!value) return wrong(quotes.empty() ? "write true or false" : quotes);
      return Value(*value);
    }
    case SettingType::Text:
      return Value(text);
    case SettingType::Choice: {
      if (std::find(setting.choices.begin(), setting.choices.end(), text) != setting.choices.end())
        return Value(text);
      std::string hint = didYouMean(text, setting.choices);
      if (hint.empty()) hint = "allowed: " + joined(setting.choices);
      return fail("unknown value '" + shortened(text) + "'", hint);
    }
    case SettingType::IntegerList:  // convertWidths
      break;
  }
  return std::nullopt;
}

std::vector<Assignment> SpecParser::convertList(const Setting& setting, const Entry& entry,
                                                const std::string& keyPath) {
  std::vector<Assignment> values;
  const bool widths = setting.type == SettingType::IntegerList;
  if (widths && entry.value.IsSequence() && entry.value.size() > 0 && entry.value.begin()->IsScalar()) {
    report(entry, keyPath, "each value of " + setting.key + " is a list of widths, found a list of numbers",
           "write [[64, 64]] for one value, [[64], [64, 64]] for two");
    return values;
  }
  if (!entry.value.IsSequence()) {
    report(entry, keyPath, "expected a list of values, found " + describe(entry.value),
           widths ? "write [[64], [64, 64]]"
                  : "write [" + (entry.value.IsScalar() ? entry.value.Scalar() : std::string("value")) +
                        "] for a single value");
    return values;
  }
  if (entry.value.size() == 0) {
    report(entry, keyPath, "an empty list: nothing to sweep", "list at least one value, or remove the key");
    return values;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : entry.value) {
    const std::string path = indexed(keyPath, index++);
    if (auto value = convert(setting, item, *entry.source, item, path, entry.keyNode))
      values.push_back({setting.key, std::move(*value), entry.source, item, path, entry.keyNode});
  }
  return values;
}

const Setting* SpecParser::axisSetting(const Entry& entry, const std::string& where) {
  const std::string& key = entry.key;
  if (const Setting* setting = findSetting(key)) return setting;
  std::string message = "unknown setting '" + shortened(key) + "'", hint;
  if (std::find(kSections.begin(), kSections.end(), key) != kSections.end()) {
    message = "'" + key + "' is a section, not a setting";
    hint = "name one setting, e.g. " + key + "." + (key == "model" ? "activation" : sectionKeys(key).front());
  } else if (key == "seeds" || key == "seed") {
    hint = "seeds are not an axis: list them as seeds: [0, 1, 2]";
  } else if (const Setting* named = settingNamed(key)) {
    hint = "did you mean '" + named->key + "'?";
  } else {
    hint = didYouMean(key, settingKeys());
    if (hint.empty()) hint = "a key path such as model.activation; docs/sweep-file.md lists them";
  }
  report(*entry.source, entry.keyNode, where + "." + key, message, hint);
  return nullptr;
}

bool SpecParser::claimAxis(const Entry& entry, const std::string& where) {
  const auto [owner, inserted] = owners_.emplace(entry.key, Owner{where, entry.keyNode, entry.source});
  if (inserted) return true;
  std::string first = owner->second.where;
  const YAML::Mark mark = owner->second.keyNode.Mark();
  if (owner->second.source->hasPositions && !mark.is_null())
    first += " at line " + std::to_string(mark.line + 1);
  report(*entry.source, entry.keyNode, where + "." + entry.key,
         "'" + shortened(entry.key) + "' is swept twice",
         "it is already swept by " + first + "; an axis belongs to one of grid, zip and random");
  return false;
}

std::optional<std::int64_t> SpecParser::count(const Entry& entry, const std::string& keyPath,
                                              const std::string& what) {
  const auto value = isPlain(entry.value) ? parseInteger(entry.value.Scalar()) : std::nullopt;
  if (!value) {
    report(entry, keyPath, "expected " + what + ", got " + describe(entry.value));
  } else if (*value < 1 || *value > kMaxCount) {
    report(entry, keyPath,
           "expected " + what + " from 1 to " + std::to_string(kMaxCount) + ", got " + entry.value.Scalar());
  } else {
    return value;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> SpecParser::seed(const YAML::Node& node, const Source& source,
                                              const YAML::Node& at, const std::string& keyPath) {
  const std::string text = node.IsScalar() ? node.Scalar() : "";
  std::uint64_t value = 0;
  if (isPlain(node) && allDigits(text)) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
  }
  report(source, at, keyPath, "expected a seed (an integer >= 0), got " + describe(node));
  return std::nullopt;
}

std::vector<std::uint64_t> SpecParser::seeds() {
  if (!seeds_) return {0};
  const Entry& entry = *seeds_;
  const std::string hint = "seeds: 3 runs seeds 0, 1, 2; seeds: [5, 7] runs those";
  if (entry.value.IsSequence()) {
    std::vector<std::uint64_t> list;
    if (entry.value.size() == 0) report(entry, "seeds", "an empty list: no runs", hint);
    std::size_t index = 0;
    for (const YAML::Node& item : entry.value) {
      const std::string path = indexed("seeds", index++);
      const auto value = seed(item, *entry.source, item, path);
      if (!value) continue;
      if (std::find(list.begin(), list.end(), *value) != list.end()) {
        report(*entry.source, item, path, "seed " + std::to_string(*value) + " is listed twice");
        continue;
      }
      list.push_back(*value);
    }
    return list;
  }
  const auto value = isPlain(entry.value) ? parseInteger(entry.value.Scalar()) : std::nullopt;
  if (!value || *value < 1 || *value > kMaxCount) {
    report(entry, "seeds",
           "expected a count from 1 to " + std::to_string(kMaxCount) + " or a list of seeds, got " +
               describe(entry.value),
           hint);
    return {};
  }
  std::vector<std::uint64_t> list(static_cast<std::size_t>(*value));
  for (std::size_t s = 0; s < list.size(); ++s) list[s] = s;
  return list;
}

void SpecParser::nameAndDescription(SweepSpec& spec) {
  // The name becomes a file name, results/<name>.db (and .shard-I-of-K.db):
  // portable file-name characters only (no '/', no control characters), and
  // short enough for every file system's 255-byte limit with the suffixes.
  constexpr std::size_t kMaxName = 100;
  const std::string nameHint = "letters, digits, '-', '_' and '.', e.g. name: dying-relu";
  if (!name_) {
    report(file_, root_, "name", "missing: every sweep needs a name", "add one: " + nameHint);
  } else if (!name_->value.IsScalar() || name_->value.Scalar().empty()) {
    report(*name_, "name", "expected a name, got " + describe(name_->value), nameHint);
  } else {
    spec.name = name_->value.Scalar();
    const bool good = std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '_' || c == '.';
    });
    if (!good) {
      report(*name_, "name", "'" + shortened(spec.name) + "' is not a valid name",
             "it names the results file results/<name>.db: " + nameHint);
    } else if (spec.name.size() > kMaxName) {
      report(*name_, "name", fmt::format("a name of {} characters, more than {}", spec.name.size(), kMaxName),
             "it names the results file results/<name>.db; shorten it, and say more in description:");
    }
  }
  if (description_ && !description_->value.IsNull()) {
    if (description_->value.IsScalar()) {
      spec.description = description_->value.Scalar();
    } else {
      report(*description_, "description", "expected text, got " + describe(description_->value));
    }
  }
}

}  // namespace actsweep::runner::specparse
