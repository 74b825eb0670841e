#include "runner/spec.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "model/format.hpp"
#include "runner/spec_yaml.hpp"
#include "runner/suggest.hpp"

namespace actsweep::runner {

namespace {

// One line of text: control characters (a quoted "a\nb" is two lines) as
// escapes, and at most `limit` characters of what the user wrote.
std::string printable(std::string_view text, std::size_t limit = 300) {
  std::string result;
  for (const char c : specyaml::shortened(text, limit)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      result += c;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      result += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r";
    } else {
      result += fmt::format("\\x{:02x}", byte);
    }
  }
  return result;
}

}  // namespace

std::string SpecError::format() const {
  std::string text = printable(file);
  if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
  text += ": ";
  if (!keyPath.empty()) text += printable(keyPath, 120) + ": ";
  text += printable(message);
  if (!hint.empty()) text += " (" + printable(hint) + ")";
  return text;
}

namespace {

std::string joinLines(const std::vector<SpecError>& errors) {
  std::string text;
  for (const SpecError& error : errors) text += (text.empty() ? "" : "\n") + error.format();
  return text;
}

}  // namespace

SpecErrors::SpecErrors(std::vector<SpecError> errors)
    : UserError(joinLines(errors)), errors_(std::move(errors)) {}

std::vector<std::string> SpecErrors::lines(const std::string&) const {
  std::vector<std::string> lines;
  for (const SpecError& error : errors_) lines.push_back(error.format());
  return lines;
}

namespace {

const std::vector<std::string> kSections = {"data", "model", "train", "diagnostics"};
const std::vector<std::string> kTopKeys = {"name",  "description", "data", "model",   "train", "diagnostics",
                                           "seeds", "grid",        "zip",  "exclude", "random"};
const std::vector<std::string> kRandomKeys = {"samples", "seed", "axes"};
const std::vector<std::string> kDistributions = {"uniform", "log_uniform", "choice"};

// `seeds: n` and `random.samples` become vectors and runs: a typo of a few
// digits must not ask for a billion of them.
constexpr std::int64_t kMaxCount = 100000;

using model::joined;
using specyaml::allDigits;
using specyaml::describe;
using specyaml::isIntegerText;
using specyaml::isPlain;
using specyaml::parseBoolean;
using specyaml::parseInteger;
using specyaml::parseNumber;
using specyaml::shortened;

std::vector<std::string> settingKeys() {
  std::vector<std::string> keys;
  for (const Setting& s : allSettings()) keys.push_back(s.key);
  return keys;
}

// The keys of one section as written inside it ("alpha" for model.alpha).
std::vector<std::string> sectionKeys(const std::string& section) {
  std::vector<std::string> keys;
  for (const Setting& s : allSettings())
    if (s.key.starts_with(section + ".")) keys.push_back(s.key.substr(section.size() + 1));
  return keys;
}

std::string sectionOf(const std::string& key) { return key.substr(0, key.find('.')); }

std::string indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// ---- where things come from -------------------------------------------------

// The sweep file, whose nodes carry positions, or one --set, whose nodes do not.
struct Source {
  std::string file;
  bool hasPositions = true;
  int order = 0;  // 0 for the file, i + 1 for the i-th --set: errors are listed in this order
};

// One `key: value` of the file or of a --set.
struct Entry {
  std::string key;  // the key path: "model.alpha" in every section, grid, zip, exclude and random
  YAML::Node keyNode, value;
  const Source* source = nullptr;

  // A missing value (`lr:`) carries the position of whatever follows it: point at the key instead.
  const YAML::Node& at() const { return value.IsNull() && keyNode.IsDefined() ? keyNode : value; }
};

// One value bound for the library's range checks, with where to blame it.
struct Assignment {
  std::string key;
  Value value;
  const Source* source = nullptr;
  YAML::Node at;
  std::string keyPath;
  YAML::Node use;  // the key it was met under (report's `use`)
};

// The library's own range checks: a message, or nothing when the settings
// make a valid job. No data is loaded, so a path that does not exist is fine.
std::optional<std::string> libraryProblem(const Settings& settings) {
  try {
    toTrainJob(settings, 0);
  } catch (const model::ConfigError& e) {
    return std::string(e.what());
  } catch (const data::DataError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

// ---- the parser -------------------------------------------------------------

class SpecParser {
 public:
  SpecParser(std::string text, std::string file, std::vector<std::string> overrides)
      : text_(std::move(text)), overrides_(std::move(overrides)) {
    file_.file = std::move(file);
  }

  SweepSpec parse() {
    const std::optional<YAML::Node> root = load();
    if (!root) stop();
    root_ = *root;
    checkMappings(root_, "");
    collect();
    applyOverrides();
    SweepSpec spec = build();
    if (!errors_.empty()) stop();
    return spec;
  }

 private:
  struct ZipGroup {
    std::string path;  // "zip[0]"
    std::vector<Entry> axes;
  };
  struct Exclude {
    std::string path;  // "exclude[0]"
    std::vector<Entry> keys;
    YAML::Node node;  // the mapping
  };
  struct Random {
    Entry entry;
    std::optional<Entry> samples, seed, axes;
    std::vector<Entry> axisEntries;
  };
  // Where an axis key is already swept, for "swept twice".
  struct Owner {
    std::string where;
    YAML::Node keyNode;
    const Source* source;
  };

  // `at` is the node to blame; `use`, when given, the key under which it was
  // met. A node reached through an alias carries its anchor's position: the
  // error is put at the alias, and the hint says where the value is.
  void report(const Source& source, const YAML::Node& at, std::string keyPath, std::string message,
              std::string hint = {}, const YAML::Node& use = YAML::Node(YAML::NodeType::Undefined)) {
    SpecError error = placeOf(source, at, std::move(keyPath), use);
    error.message = std::move(message);
    if (!hint.empty() && !error.hint.empty()) hint += "; ";
    error.hint = hint + error.hint;
    errors_.emplace_back(source.order, std::move(error));
  }

  // Where `at` is: file, line, column (in characters) and key path, with a
  // hint when it came through an alias.
  SpecError placeOf(const Source& source, const YAML::Node& at, std::string keyPath,
                    const YAML::Node& use) const {
    SpecError error{source.file, 0, 0, std::move(keyPath), "", ""};
    if (source.hasPositions && at.IsDefined() && !at.Mark().is_null()) {
      const YAML::Mark mark = at.Mark();
      const std::size_t offset = where_.offsetOf(mark.line, mark.column);
      std::tie(error.line, error.column) = where_.position(offset);
      if (const auto alias = where_.aliasUse(offset, floorOf(error.keyPath, use))) {
        const std::string anchor = where_.anchorBefore(offset);
        error.hint = std::string("the value comes from the anchor") +
                     (anchor.empty() ? "" : " &" + shortened(anchor, 40)) + " at line " +
                     std::to_string(error.line) + ", column " + std::to_string(error.column);
        std::tie(error.line, error.column) = where_.position(*alias);
      }
    }
    return error;
  }
  void report(const Entry& entry, std::string keyPath, std::string message, std::string hint = {}) {
    report(*entry.source, entry.at(), std::move(keyPath), std::move(message), std::move(hint), entry.keyNode);
  }

  // The offset nothing met under `keyPath` can precede unless it came through
  // an alias: its key (`use`) or else its top-level key (anchors come before
  // their aliases, and a value after its key).
  std::size_t floorOf(const std::string& keyPath, const YAML::Node& use) const {
    std::size_t floor = 0;
    const auto offsetOf = [&](const YAML::Node& key) {
      const YAML::Mark mark = key.Mark();
      return mark.is_null() ? std::size_t{0} : where_.offsetOf(mark.line, mark.column);
    };
    const auto top = topKeys_.find(keyPath.substr(0, keyPath.find_first_of(".[")));
    if (top != topKeys_.end()) floor = offsetOf(top->second);
    if (use.IsDefined()) floor = std::max(floor, offsetOf(use));
    return floor;
  }

  // Throws what was found: the file first, in line order, then the --set values in order.
  [[noreturn]] void stop() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first, a.second.line, a.second.column) <
             std::tie(b.first, b.second.line, b.second.column);
    });
    std::vector<SpecError> errors;
    for (auto& [order, error] : errors_) {
      // An alias reaches the same node twice; say each thing once.
      if (!errors.empty() && errors.back().format() == error.format()) continue;
      errors.push_back(std::move(error));
    }
    throw SpecErrors(std::move(errors));
  }

  // ---- text -> one YAML mapping ----

  std::optional<YAML::Node> load() {
    const auto reportAt = [&](std::pair<int, int> position, std::string message, std::string hint) {
      errors_.emplace_back(
          0, SpecError{file_.file, position.first, position.second, "", std::move(message), std::move(hint)});
    };
    if (text_.size() > specyaml::kMaxFileBytes) {
      reportAt({0, 0},
               fmt::format("{} bytes, more than the {} a sweep file may have: is it a sweep file?",
                           text_.size(), specyaml::kMaxFileBytes),
               "a sweep file is a few kilobytes of YAML; see docs/sweep-file.md");
      return std::nullopt;
    }
    if (const auto binary = where_.binaryByte()) {
      reportAt(where_.position(binary->first),
               fmt::format("not a YAML text file: byte 0x{:02X} is not text", binary->second),
               "a sweep file is YAML text; see docs/sweep-file.md");
      return std::nullopt;
    }

    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(text_);
    } catch (const YAML::Exception& e) {
      const int line = e.mark.is_null() ? -1 : e.mark.line;
      if (const auto tab = where_.tabIndentation(line >= 0 ? line : std::numeric_limits<int>::max())) {
        reportAt(where_.position(tab->first, tab->second), "a tab in the indentation",
                 "YAML does not allow tabs for indentation; use spaces");
      } else {
        std::string hint;
        if (e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) hint = "a '[' is not closed by ']'";
        if (e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) hint = "a '{' is not closed by '}'";
        if (e.msg == YAML::ErrorMsg::FLOW_END) hint = "a ']' or '}' does not match the bracket it closes";
        if (e.msg == YAML::ErrorMsg::MAP_VALUE)
          hint = "check the indentation, and quote values that contain ': '";
        // yaml-cpp's DeepRecursion (nesting beyond its depth limit) says "bad file".
        const bool deep = e.msg == YAML::ErrorMsg::BAD_FILE;
        if (deep) hint = "a sweep file needs a few levels; write the values out flat";
        reportAt(e.mark.is_null() ? std::pair{0, 0} : where_.position(e.mark.line, e.mark.column),
                 "not valid YAML: " + (deep ? std::string("nested too deeply") : e.msg), hint);
      }
      return std::nullopt;
    }

    if (documents.empty() || documents.front().IsNull()) {
      reportAt({0, 0}, "the file is empty: nothing but comments and blank lines",
               "a sweep file needs at least a name and a model; see docs/sweep-file.md");
      return std::nullopt;
    }
    for (std::size_t d = 1; d < documents.size(); ++d) {
      if (documents[d].IsNull()) continue;
      report(file_, documents[d], "", "a second YAML document",
             "a sweep file holds one document: remove the '---' line, or split the file");
      return std::nullopt;
    }
    const YAML::Node& root = documents.front();
    if (!root.IsMap()) {
      report(file_, root, "",
             "the top level must be a mapping of keys (name:, model:, grid:, ...), found " + describe(root),
             "see docs/sweep-file.md");
      return std::nullopt;
    }
    return withinNodeBudget(root) ? std::optional(root) : std::nullopt;
  }

  // Every later walk of the tree (duplicate keys, values) pays the expanded
  // size of its aliases: refuse a document that expands past the budget,
  // naming the top-level key where it does.
  bool withinNodeBudget(const YAML::Node& root) {
    long left = specyaml::kMaxExpandedNodes;
    for (const auto& pair : root) {
      left -= specyaml::expandedNodes(pair.first, left) + specyaml::expandedNodes(pair.second, left);
      if (left >= 0) continue;
      const bool aliases = !where_.anchorBefore(text_.size()).empty();
      report(file_, pair.first, pair.first.IsScalar() ? pair.first.Scalar() : "",
             fmt::format("{} to more than {} nodes", aliases ? "aliases expand" : "the file comes",
                         specyaml::kMaxExpandedNodes),
             aliases ? "write the values out, or use fewer aliases"
                     : "a sweep lists tens of values, not thousands: is it a sweep file?");
      return false;
    }
    return true;
  }

  // Duplicate keys (which yaml-cpp keeps without a word) and keys that are not
  // plain names, anywhere in the file.
  void checkMappings(const YAML::Node& node, const std::string& path) {
    if (node.IsSequence()) {
      std::size_t index = 0;
      for (const YAML::Node& item : node) checkMappings(item, indexed(path, index++));
      return;
    }
    if (!node.IsMap()) return;
    std::map<std::string, YAML::Node> seen;
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      if (!key.IsScalar()) {
        report(file_, key, path, "a key must be a name, found " + describe(key));
        continue;
      }
      const std::string keyPath = path.empty() ? key.Scalar() : path + "." + key.Scalar();
      const auto [first, inserted] = seen.emplace(key.Scalar(), key);
      if (!inserted) {
        const YAML::Mark mark = first->second.Mark();
        report(file_, key, keyPath, "duplicate key '" + shortened(key.Scalar()) + "'",
               "it is already at line " + std::to_string(mark.line + 1) + ", column " +
                   std::to_string(mark.column + 1) + "; keep one");
        continue;
      }
      checkMappings(pair.second, keyPath);
    }
  }

  // The pairs of a mapping, each key once (checkMappings reported the rest).
  std::vector<Entry> entries(const YAML::Node& map, const std::string& prefix, const Source& source) const {
    std::vector<Entry> result;
    std::set<std::string> seen;
    for (const auto& pair : map) {
      if (!pair.first.IsScalar() || !seen.insert(pair.first.Scalar()).second) continue;
      result.push_back({prefix + pair.first.Scalar(), pair.first, pair.second, &source});
    }
    return result;
  }

  // ---- the file's structure ----

  void collect() {
    for (Entry& entry : entries(root_, "", file_)) {
      const std::string& key = entry.key;
      topKeys_.emplace(key, entry.keyNode);
      if (writtenNull(entry)) continue;
      if (key == "name") {
        name_ = entry;
      } else if (key == "description") {
        description_ = entry;
      } else if (key == "seeds") {
        seeds_ = entry;
      } else if (std::find(kSections.begin(), kSections.end(), key) != kSections.end()) {
        collectSection(entry);
      } else if (key == "grid") {
        if (mappingOrNothing(
                entry, "a mapping of setting -> list of values, e.g. grid: {model.alpha: [0.01, 0.1]}") &&
            !emptyCollection(entry, "an empty grid sweeps nothing",
                             "list an axis, e.g. model.alpha: [0.01, 0.1]"))
          for (Entry& axis : entries(entry.value, "", file_)) grid_.push_back(axis);
      } else if (key == "zip") {
        collectZips(entry);
      } else if (key == "exclude") {
        collectExcludes(entry);
      } else if (key == "random") {
        collectRandom(entry);
      } else {
        unknownTopKey(entry);
      }
    }
  }

  // `model: null`, `grid: ~`: a key written with the YAML null says nothing,
  // and looks like a switch ("no model") it is not. A key left empty
  // (`model:` and nothing) is a mapping not filled in yet, and allowed.
  bool writtenNull(const Entry& entry) {
    const bool section = std::find(kSections.begin(), kSections.end(), entry.key) != kSections.end();
    const bool listed = entry.key == "zip" || entry.key == "exclude";
    if (!section && !listed && entry.key != "grid" && entry.key != "random") return false;
    if (!entry.value.IsNull() || entry.value.Mark().is_null()) return false;
    const YAML::Mark value = entry.value.Mark(), key = entry.keyNode.Mark();
    // An empty value carries the position of the next key: null there is a key of its own.
    if (value.line != key.line && value.column <= key.column) return false;
    if (!where_.explicitNull(where_.offsetOf(value.line, value.column))) return false;
    const std::string what = listed ? "items" : section ? "settings" : "keys";
    report(entry, entry.key,
           "null sets nothing: " + entry.key + " takes " + (listed ? "a list" : "a mapping") +
               (section ? " of settings" : ""),
           "write the " + what + " under " + entry.key + ":, or remove the line" +
               (section ? " for the defaults" : ""));
    return true;
  }

  // `grid: {}`, `zip: []`, `exclude: []`: written out, and empty.
  bool emptyCollection(const Entry& entry, const std::string& message, const std::string& hint) {
    if (entry.value.size() != 0) return false;
    report(entry, entry.key, message, hint + ", or remove " + entry.key + ":");
    return true;
  }

  // A section may be left empty (`model:`); anything but a mapping is wrong.
  bool mappingOrNothing(const Entry& entry, const std::string& expected) {
    if (entry.value.IsMap()) return true;
    if (!entry.value.IsNull())
      report(entry, entry.key, "expected " + expected + ", found " + describe(entry.value));
    return false;
  }

  void unknownTopKey(const Entry& entry) {
    const std::string& key = entry.key;
    std::string hint;
    if (key == "<<") {
      hint = "YAML merge keys (<<) are not supported; write the keys out";
    } else if (findSetting(key)) {
      hint = "a setting goes under its section, " + sectionOf(key) + ": {" + key.substr(key.find('.') + 1) +
             ": ...}, or under grid: to sweep it";
    } else if (const Setting* setting = settingNamed(key)) {
      hint = "'" + key + "' goes under " + sectionOf(setting->key) + ":";
    } else {
      hint = didYouMean(key, kTopKeys);
      if (hint.empty()) hint = "allowed: " + joined(kTopKeys);
    }
    report(file_, entry.keyNode, key, "unknown key '" + shortened(key) + "'", hint);
  }

  // The setting a bare name ("lr") stands for in some section, if one does.
  static const Setting* settingNamed(const std::string& name) {
    for (const Setting& s : allSettings())
      if (s.key.substr(s.key.find('.') + 1) == name) return &s;
    return nullptr;
  }

  void collectSection(const Entry& section) {
    if (!mappingOrNothing(section, "a mapping of settings, e.g. " + section.key + ": {" +
                                       sectionKeys(section.key).front() + ": ...}"))
      return;
    for (Entry& entry : entries(section.value, section.key + ".", file_)) {
      if (findSetting(entry.key)) {
        fixed_.push_back(entry);
        continue;
      }
      const std::string name = entry.keyNode.Scalar();
      std::string hint;
      const Setting* elsewhere = settingNamed(name);
      if (elsewhere && sectionOf(elsewhere->key) != section.key) {
        hint = "'" + name + "' goes under " + sectionOf(elsewhere->key) + ":";
      } else if (const Setting* full = findSetting(name)) {
        hint =
            "inside " + sectionOf(full->key) + ":, write '" + full->key.substr(full->key.find('.') + 1) + "'";
      } else {
        hint = didYouMean(name, sectionKeys(section.key));
        if (hint.empty()) hint = "allowed: " + joined(sectionKeys(section.key));
      }
      report(file_, entry.keyNode, entry.key, "unknown key '" + shortened(name) + "'", hint);
    }
  }

  void collectZips(const Entry& zip) {
    if (zip.value.IsNull()) return;
    if (!zip.value.IsSequence()) {
      report(zip, "zip", "expected a list of groups, found " + describe(zip.value),
             "write zip: [{model.hidden: [[32], [64]], train.lr: [0.1, 0.05]}]");
      return;
    }
    if (emptyCollection(zip, "an empty zip sweeps nothing",
                        "add a group, e.g. - {model.hidden: [[32], [64]], train.lr: [0.1, 0.05]}"))
      return;
    std::size_t index = 0;
    for (const YAML::Node& group : zip.value) {
      const std::string path = indexed("zip", index++);
      if (!group.IsMap() || group.size() == 0) {
        report(file_, group, path,
               "expected a group: a mapping of setting -> list of values, found " +
                   (group.IsMap() ? std::string("an empty mapping") : describe(group)),
               "write - {model.hidden: [[32], [64]], train.lr: [0.1, 0.05]}");
        continue;
      }
      zips_.push_back({path, entries(group, "", file_)});
    }
  }

  void collectExcludes(const Entry& exclude) {
    if (exclude.value.IsNull()) return;
    if (!exclude.value.IsSequence()) {
      report(exclude, "exclude", "expected a list of mappings, found " + describe(exclude.value),
             "write exclude: [{model.activation: selu, model.norm: batch}]");
      return;
    }
    if (emptyCollection(exclude, "an empty exclude list removes nothing",
                        "add one, e.g. - {model.activation: selu, model.norm: batch}"))
      return;
    std::size_t index = 0;
    for (const YAML::Node& item : exclude.value) {
      const std::string path = indexed("exclude", index++);
      if (!item.IsMap()) {
        report(file_, item, path, "expected a mapping of setting -> value, found " + describe(item),
               "write - {model.activation: selu, model.norm: batch}");
      } else if (item.size() == 0) {
        report(file_, item, path, "an empty exclude would remove every run", "name at least one setting");
      } else {
        excludes_.push_back({path, entries(item, "", file_), item});
      }
    }
  }

  void collectRandom(const Entry& random) {
    if (!mappingOrNothing(random, "a mapping with samples:, seed: and axes:")) return;
    random_ = Random{random, {}, {}, {}, {}};
    for (Entry& entry : entries(random.value, "", file_)) {
      if (entry.key == "samples") {
        random_->samples = entry;
      } else if (entry.key == "seed") {
        random_->seed = entry;
      } else if (entry.key == "axes") {
        random_->axes = entry;
        if (entry.value.IsMap()) {
          random_->axisEntries = entries(entry.value, "", file_);
        } else {
          report(entry, "random.axes",
                 "expected a mapping of setting -> distribution, found " + describe(entry.value),
                 "write axes: {train.lr: {log_uniform: [1.0e-4, 1.0e-1]}}");
        }
      } else {
        std::string hint = didYouMean(entry.key, kRandomKeys);
        if (hint.empty()) hint = "allowed: " + joined(kRandomKeys);
        report(file_, entry.keyNode, "random." + entry.key, "unknown key '" + shortened(entry.key) + "'",
               hint);
      }
    }
  }

  // ---- --set ----

  // key=value, the value read as YAML. A fixed setting pins it: it leaves
  // grid, zip and random, so `--set model.alpha=0.2` means one alpha.
  void applyOverrides() {
    for (const std::string& text : overrides_) {
      const Source& source = overrideSources_.emplace_back(
          Source{"--set " + text, false, static_cast<int>(overrideSources_.size()) + 1});
      const std::size_t equals = text.find('=');
      if (equals == std::string::npos) {
        report(source, {}, "", "expected key=value",
               "e.g. --set model.alpha=0.2 or --set grid.model.alpha=[0.01,0.2]");
        continue;
      }
      if (!specyaml::isUtf8(text)) {
        report(source, {}, "", "not UTF-8 text", "write the override in UTF-8");
        continue;
      }
      std::string key = text.substr(0, equals);
      key.erase(key.find_last_not_of(" ") + 1);
      key.erase(0, key.find_first_not_of(" "));
      Entry entry{key, YAML::Node(), YAML::Node(), &source};
      try {
        entry.value = YAML::Load(text.substr(equals + 1));
      } catch (const YAML::Exception& e) {
        report(source, {}, key, "not a YAML value: " + e.msg,
               "write lists as [a, b]; quote text that has ': '");
        continue;
      }
      if (key == "name") {
        name_ = entry;
      } else if (key == "description") {
        description_ = entry;
      } else if (key == "seeds") {
        seeds_ = entry;
      } else if (findSetting(key)) {
        unsweep(key, true);
        replace(fixed_, entry);
      } else if (key.starts_with("grid.") && key.size() > 5) {
        entry.key = key.substr(5);
        unsweep(entry.key, false);
        replace(grid_, entry);
      } else {
        std::vector<std::string> settable = settingKeys();
        settable.insert(settable.end(), {"name", "description", "seeds"});
        for (const std::string& k : settingKeys()) settable.push_back("grid." + k);
        std::string hint = didYouMean(key, settable);
        if (hint.empty())
          hint =
              "--set takes name, description, seeds, a setting such as model.alpha, or a grid axis such as "
              "grid.model.alpha";
        report(source, {}, key, "unknown key '" + shortened(key) + "'", hint);
      }
    }
  }

  static void replace(std::vector<Entry>& list, const Entry& entry) {
    const auto same =
        std::find_if(list.begin(), list.end(), [&](const Entry& e) { return e.key == entry.key; });
    if (same != list.end()) {
      *same = entry;
    } else {
      list.push_back(entry);
    }
  }

  void unsweep(const std::string& key, bool fromGrid) {
    const auto named = [&](const Entry& e) { return e.key == key; };
    if (fromGrid) std::erase_if(grid_, named);
    for (ZipGroup& group : zips_) std::erase_if(group.axes, named);
    std::erase_if(zips_, [](const ZipGroup& group) { return group.axes.empty(); });
    // A random section whose every axis is pinned draws nothing: it goes too.
    if (random_ && std::erase_if(random_->axisEntries, named) > 0 && random_->axisEntries.empty())
      random_.reset();
  }

  // ---- values ----

  // One value of a setting, type-checked; nothing (and an error) when wrong.
  // `fixed`: a value under its section, where a list means "put it in grid".
  std::optional<Value> convert(const Setting& setting, const YAML::Node& node, const Source& source,
                               const YAML::Node& at, const std::string& keyPath, const YAML::Node& use,
                               bool fixed = false) {
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

    if (setting.type == SettingType::IntegerList) {
      if (!node.IsSequence())
        return wrong(isPlain(node) && parseInteger(node.Scalar())
                         ? "write [" + node.Scalar() + "] for one layer"
                         : "e.g. [64, 64]");
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

    if (!node.IsScalar()) {
      if (fixed && node.IsSequence())
        return wrong("to sweep several values, list them under grid: as " + setting.key + ": [...]");
      return wrong();
    }
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
      case SettingType::IntegerList:
        break;
    }
    return std::nullopt;
  }

  // A non-empty list of values of one setting: each value with its node, for
  // the range checks.
  std::vector<Assignment> convertList(const Setting& setting, const Entry& entry,
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

  // The setting an axis (grid, zip, exclude, random) names, or an error.
  const Setting* axisSetting(const Entry& entry, const std::string& where) {
    const std::string& key = entry.key;
    if (const Setting* setting = findSetting(key)) return setting;
    std::string message = "unknown setting '" + shortened(key) + "'", hint;
    if (std::find(kSections.begin(), kSections.end(), key) != kSections.end()) {
      message = "'" + key + "' is a section, not a setting";
      hint =
          "name one setting, e.g. " + key + "." + (key == "model" ? "activation" : sectionKeys(key).front());
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

  // An axis key may be swept by one of grid, zip and random only.
  bool claimAxis(const Entry& entry, const std::string& where) {
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

  std::optional<std::int64_t> count(const Entry& entry, const std::string& keyPath, const std::string& what) {
    const auto value = isPlain(entry.value) ? parseInteger(entry.value.Scalar()) : std::nullopt;
    if (!value) {
      report(entry, keyPath, "expected " + what + ", got " + describe(entry.value));
    } else if (*value < 1 || *value > kMaxCount) {
      report(
          entry, keyPath,
          "expected " + what + " from 1 to " + std::to_string(kMaxCount) + ", got " + entry.value.Scalar());
    } else {
      return value;
    }
    return std::nullopt;
  }

  std::optional<std::uint64_t> seed(const YAML::Node& node, const Source& source, const YAML::Node& at,
                                    const std::string& keyPath) {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    std::uint64_t value = 0;
    if (isPlain(node) && allDigits(text)) {
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error == std::errc() && end == text.data() + text.size()) return value;
    }
    report(source, at, keyPath, "expected a seed (an integer >= 0), got " + describe(node));
    return std::nullopt;
  }

  std::vector<std::uint64_t> seeds() {
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

  void nameAndDescription(SweepSpec& spec) {
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
        report(*name_, "name",
               fmt::format("a name of {} characters, more than {}", spec.name.size(), kMaxName),
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

  // The values other axes offer (checkTogether's `alternatives`): each once,
  // and at most kMaxAlternatives per setting, spread over its sorted values.
  // A failing value tries each, so their number bounds the cost of a file
  // whose long lists all fail.
  static std::vector<Assignment> distinctAlternatives(const std::vector<Assignment>& all) {
    constexpr std::size_t kMaxAlternatives = 64;
    std::map<std::string, std::vector<const Assignment*>> byKey;
    for (const Assignment& item : all) byKey[item.key].push_back(&item);
    std::vector<Assignment> result;
    for (auto& [key, list] : byKey) {
      const auto less = [](const Assignment* a, const Assignment* b) { return a->value < b->value; };
      const auto same = [](const Assignment* a, const Assignment* b) { return a->value == b->value; };
      std::stable_sort(list.begin(), list.end(), less);
      list.erase(std::unique(list.begin(), list.end(), same), list.end());
      const std::size_t n = list.size(), kept = std::min(n, kMaxAlternatives);
      // `kept` evenly spaced indices from 0 to n - 1, the extremes included.
      for (std::size_t k = 0; k < kept; ++k)
        result.push_back(*list[kept == 1 ? 0 : k * (n - 1) / (kept - 1)]);
    }
    return result;
  }

  // Whether setting items[i] back to its context value makes another item's
  // setting stop applying (Setting::applies).
  static bool enablesOthers(const std::vector<Assignment>& items, std::size_t i, const Settings& settings,
                            const Settings& context) {
    Settings reverted = settings;
    reverted[items[i].key] = context.at(items[i].key);
    return std::any_of(items.begin(), items.end(), [&](const Assignment& other) {
      const Setting* setting = findSetting(other.key);
      return other.key != items[i].key && setting && setting->applies(settings) &&
             !setting->applies(reverted);
    });
  }

  // A swept value that switches fixed values on (activation: [relu, rrelu]
  // with rrelu_lower > rrelu_upper fixed) makes their error appear: blame the
  // fixed value it enabled whose default clears the error, not the switch.
  bool blameEnabled(const Settings& base, const std::vector<Assignment>& fixed,
                    const std::vector<Assignment>& items) {
    Settings settings = base;
    for (const Assignment& item : items) settings[item.key] = item.value;
    const auto problem = libraryProblem(settings);
    if (!problem) return false;
    for (auto f = fixed.rbegin(); f != fixed.rend(); ++f) {
      const Setting* setting = findSetting(f->key);
      if (!setting || base.at(f->key) != f->value || setting->applies(base) || !setting->applies(settings))
        continue;
      Settings trial = settings;
      trial[f->key] = defaultSettings().at(f->key);
      if (libraryProblem(trial)) continue;
      report(*f->source, f->at, f->keyPath, *problem, {}, f->use);
      return true;
    }
    return false;
  }

  // The library's range checks of values that go into one run together (the
  // fixed settings; one swept value; one zip row), over `context`. Each error
  // is blamed on the value whose removal (back to the context) clears it.
  // A blamed value still stands when one value of another axis makes it valid
  // (rrelu_lower: 0.4 fixed, rrelu_upper: [0.5, 0.6] swept): such runs exist.
  // Returns the context with the values that stand.
  Settings checkTogether(const Settings& context, const std::vector<Assignment>& items,
                         const std::vector<Assignment>& alternatives) {
    Settings settings = context;
    for (const Assignment& item : items) settings[item.key] = item.value;
    std::vector<std::optional<std::string>> problems(items.size());
    while (const auto problem = libraryProblem(settings)) {
      const auto revert = [&](std::size_t i) {
        Settings trial = settings;
        trial[items[i].key] = context.at(items[i].key);
        return libraryProblem(trial);
      };
      // Later values first: in `lr: 0.001 ... min_lr: 0.01` the later, more
      // specific one is at fault. Else one whose removal changes the message.
      // A value that decides whether others apply (dataset: blobs for
      // samples, activation: rrelu for rrelu_lower) comes last: reverting it
      // hides every error of the values it enables, which are at fault.
      std::optional<std::size_t> culprit;
      for (const bool gates : {false, true}) {
        std::vector<std::size_t> order;
        for (std::size_t i = items.size(); i-- > 0;)
          if (!problems[i] && enablesOthers(items, i, settings, context) == gates) order.push_back(i);
        for (auto i = order.begin(); i != order.end() && !culprit; ++i)
          if (!revert(*i)) culprit = *i;
        for (auto i = order.begin(); i != order.end() && !culprit; ++i)
          if (revert(*i) != problem) culprit = *i;
      }
      for (std::size_t i = items.size(); i-- > 0 && !culprit;)
        if (!problems[i]) culprit = i;
      if (!culprit) break;
      problems[*culprit] = problem;
      settings[items[*culprit].key] = context.at(items[*culprit].key);
    }

    const Settings valid = settings;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!problems[i]) continue;
      const Assignment& item = items[i];
      const bool rescued =
          std::any_of(alternatives.begin(), alternatives.end(), [&](const Assignment& other) {
            if (other.key == item.key) return false;
            Settings trial = valid;
            trial[item.key] = item.value;
            trial[other.key] = other.value;
            return !libraryProblem(trial);
          });
      if (rescued) {
        settings[item.key] = item.value;
      } else {
        report(*item.source, item.at, item.keyPath, *problems[i], {}, item.use);
      }
    }
    return settings;
  }

  std::optional<RandomSpec> random(std::vector<Assignment>& bounds, std::vector<Assignment>& choices) {
    if (!random_) return std::nullopt;
    RandomSpec spec;
    const Entry& entry = random_->entry;
    if (!random_->samples) {
      report(file_, entry.keyNode, "random.samples", "missing: how many points to draw", "add samples: 20");
    } else if (const auto samples = count(*random_->samples, "random.samples", "a number of samples")) {
      spec.samples = static_cast<int>(*samples);
    }
    if (random_->seed)
      if (const auto value =
              seed(random_->seed->value, *random_->seed->source, random_->seed->at(), "random.seed"))
        spec.seed = *value;
    if (!random_->axes) {
      report(file_, entry.keyNode, "random.axes", "missing: the settings to draw",
             "add axes: {train.lr: {log_uniform: [1.0e-4, 1.0e-1]}}");
    } else if (random_->axes->value.IsMap() && random_->axisEntries.empty()) {
      report(*random_->axes, "random.axes", "no axes: nothing to draw",
             "add one, e.g. train.lr: {log_uniform: [1.0e-4, 1.0e-1]}");
    }

    for (const Entry& axis : random_->axisEntries) {
      const Setting* setting = axisSetting(axis, "random.axes");
      if (!setting || !claimAxis(axis, "random")) continue;
      const std::string path = "random.axes." + axis.key;
      const std::string example =
          setting->type == SettingType::Number ? "{uniform: [0, 0.5]}" : "{choice: [a, b]}";
      if (!axis.value.IsMap() || axis.value.size() != 1) {
        report(axis, path,
               "expected one distribution (uniform, log_uniform or choice), found " +
                   (axis.value.IsMap() ? std::to_string(axis.value.size()) + " keys" : describe(axis.value)),
               "write " + axis.key + ": " + example);
        continue;
      }
      const std::vector<Entry> kinds = entries(axis.value, "", *axis.source);
      if (kinds.empty()) continue;  // a key that is not a name: checkMappings said so
      const Entry& distribution = kinds.front();
      const std::string& kind = distribution.key;
      if (kind == "choice") {
        RandomAxis randomAxis{setting->key, RandomAxis::Kind::Choice, 0, 1, {}};
        for (Assignment& value : convertList(*setting, distribution, path + ".choice")) {
          randomAxis.choices.push_back(value.value);
          choices.push_back(std::move(value));
        }
        if (!randomAxis.choices.empty()) spec.axes.push_back(std::move(randomAxis));
        continue;
      }
      if (kind != "uniform" && kind != "log_uniform") {
        std::string hint = didYouMean(kind, kDistributions);
        if (hint.empty()) hint = "allowed: " + joined(kDistributions);
        report(*axis.source, distribution.keyNode, path, "unknown distribution '" + shortened(kind) + "'",
               hint);
        continue;
      }
      const std::string distributionPath = path + "." + kind;
      const bool integer = setting->type == SettingType::Integer;
      if (setting->type != SettingType::Number && !integer) {
        report(*axis.source, distribution.keyNode, distributionPath,
               kind + " draws numbers, but " + setting->key + " is " +
                   std::string(settingTypeName(setting->type)),
               "list the values to draw from: " + axis.key + ": {choice: [...]}");
        continue;
      }
      const YAML::Node& range = distribution.value;
      std::vector<std::optional<double>> bound;
      if (range.IsSequence() && range.size() == 2)
        for (const YAML::Node& item : range)
          bound.push_back(isPlain(item) ? parseNumber(item.Scalar()) : std::nullopt);
      const double limit = integer ? std::numeric_limits<int>::max() : std::numeric_limits<double>::max();
      if (bound.size() != 2 || !bound[0] || !bound[1] || !(std::abs(*bound[0]) <= limit) ||
          !(std::abs(*bound[1]) <= limit)) {
        report(distribution, distributionPath,
               "expected [low, high], two " + std::string(integer ? "32-bit" : "finite") + " numbers, got " +
                   describe(range),
               "e.g. " + kind + (integer ? ": [16, 257]" : ": [0.001, 0.1]"));
        continue;
      }
      const double low = *bound[0], high = *bound[1];
      if (kind == "log_uniform" && !(low > 0)) {
        report(*axis.source, range[0], indexed(distributionPath, 0),
               "log_uniform needs low > 0, got " + range[0].Scalar(),
               "it draws log(value) uniformly; use uniform for a range that reaches 0");
        continue;
      }
      if (!(low < high)) {
        report(*axis.source, range[1], indexed(distributionPath, 1),
               "high must be above low, got [" + range[0].Scalar() + ", " + range[1].Scalar() + "]");
        continue;
      }
      spec.axes.push_back({setting->key,
                           kind == "uniform" ? RandomAxis::Kind::Uniform : RandomAxis::Kind::LogUniform,
                           low,
                           high,
                           {}});
      // The extremes a run can get: an integer setting takes floor(draw) of
      // a draw in [low, high); a number is rounded, so it may reach high.
      const std::array<Value, 2> extremes =
          integer ? std::array<Value, 2>{Value(static_cast<std::int64_t>(std::floor(low))),
                                         Value(static_cast<std::int64_t>(std::ceil(high)) - 1)}
                  : std::array<Value, 2>{Value(low), Value(high)};
      for (std::size_t i = 0; i < 2; ++i)
        bounds.push_back(
            {setting->key, extremes[i], axis.source, range[i], indexed(distributionPath, i), axis.keyNode});
    }
    return spec;
  }

  SweepSpec build() {
    SweepSpec spec;
    nameAndDescription(spec);

    std::vector<Assignment> fixed;
    for (const Entry& entry : fixed_) {
      const Setting& setting = *findSetting(entry.key);
      if (auto value =
              convert(setting, entry.value, *entry.source, entry.at(), entry.key, entry.keyNode, true))
        fixed.push_back({entry.key, std::move(*value), entry.source, entry.at(), entry.key, entry.keyNode});
    }
    spec.seeds = seeds();

    // Every swept value, kept for the range checks at the end.
    std::vector<Assignment> swept;
    for (const Entry& entry : grid_) {
      const Setting* setting = axisSetting(entry, "grid");
      if (!setting || !claimAxis(entry, "grid")) continue;
      std::vector<Assignment> values = convertList(*setting, entry, "grid." + entry.key);
      if (values.empty()) continue;
      Axis axis{setting->key, {}};
      for (Assignment& value : values) axis.values.push_back(value.value), swept.push_back(std::move(value));
      spec.grid.push_back(std::move(axis));
    }

    std::vector<std::vector<std::vector<Assignment>>> zipValues;  // group -> axis -> values
    for (const ZipGroup& group : zips_) {
      std::vector<Axis> axes;
      std::vector<std::vector<Assignment>> values;
      const Entry* first = nullptr;
      bool good = true;
      for (const Entry& entry : group.axes) {
        const Setting* setting = axisSetting(entry, group.path);
        if (!setting || !claimAxis(entry, group.path)) {
          good = false;
          continue;
        }
        std::vector<Assignment> list = convertList(*setting, entry, group.path + "." + entry.key);
        if (list.size() != entry.value.size() || list.empty()) {
          good = false;
          continue;
        }
        if (first && list.size() != values.front().size()) {
          report(entry, group.path + "." + entry.key,
                 "has " + std::to_string(list.size()) + " values but " + first->key + " has " +
                     std::to_string(values.front().size()),
                 "the lists of a zip group advance together, so they need the same length");
          good = false;
          continue;
        }
        if (!first) first = &entry;
        Axis axis{setting->key, {}};
        for (const Assignment& value : list) axis.values.push_back(value.value);
        axes.push_back(std::move(axis));
        values.push_back(std::move(list));
      }
      if (!good) continue;
      spec.zips.push_back(std::move(axes));
      zipValues.push_back(std::move(values));
    }

    for (const Exclude& exclude : excludes_) {
      Settings match;
      for (const Entry& entry : exclude.keys) {
        const Setting* setting = axisSetting(entry, exclude.path);
        if (!setting) continue;
        const std::string path = exclude.path + "." + entry.key;
        // Stored as the list of values that match, so that a list of widths
        // (model.hidden: [64, 64]) is never taken for "any of".
        const bool anyOf =
            entry.value.IsSequence() && (setting->type != SettingType::IntegerList ||
                                         (entry.value.size() > 0 && entry.value.begin()->IsSequence()));
        Value alternatives = Value::array();
        if (anyOf) {
          for (const Assignment& value : convertList(*setting, entry, path))
            alternatives.push_back(value.value);
        } else if (auto value =
                       convert(*setting, entry.value, *entry.source, entry.at(), path, entry.keyNode)) {
          alternatives.push_back(std::move(*value));
        }
        if (!alternatives.empty()) match[setting->key] = std::move(alternatives);
      }
      if (match.size() != exclude.keys.size()) continue;
      spec.excludes.push_back(std::move(match));
      spec.excludePlaces.push_back(placeOf(file_, exclude.node, exclude.path, exclude.node));
    }

    std::vector<Assignment> bounds, choices;
    spec.random = random(bounds, choices);

    // The range checks, once every value has its type: the fixed settings
    // first, then each swept value over them.
    std::vector<Assignment> others = swept;
    others.insert(others.end(), choices.begin(), choices.end());
    others.insert(others.end(), bounds.begin(), bounds.end());
    for (const auto& group : zipValues)
      for (const auto& axis : group) others.insert(others.end(), axis.begin(), axis.end());
    others = distinctAlternatives(others);
    spec.base = checkTogether(defaultSettings(), fixed, others);
    for (const auto* list : {&swept, &choices, &bounds})
      for (const Assignment& item : *list)
        if (!blameEnabled(spec.base, fixed, {item})) checkTogether(spec.base, {item}, others);
    // A zip row is one set of values together, never mixed with other rows.
    for (const auto& group : zipValues) {
      std::vector<Assignment> outside;
      std::copy_if(others.begin(), others.end(), std::back_inserter(outside), [&](const Assignment& other) {
        return std::none_of(group.begin(), group.end(),
                            [&](const auto& axis) { return axis.front().key == other.key; });
      });
      for (std::size_t row = 0; row < group.front().size(); ++row) {
        std::vector<Assignment> items;
        for (const auto& axis : group) items.push_back(axis[row]);
        if (!blameEnabled(spec.base, fixed, items)) checkTogether(spec.base, items, outside);
      }
    }

    spec.file = file_.file;
    spec.text = text_;
    spec.overrides = overrides_;
    return spec;
  }

  std::string text_;
  specyaml::SpecText where_{text_};  // positions in text_
  std::vector<std::string> overrides_;
  Source file_;
  std::deque<Source> overrideSources_;             // a deque: entries point at their source
  std::vector<std::pair<int, SpecError>> errors_;  // with the source's order

  YAML::Node root_;
  std::optional<Entry> name_, description_, seeds_;
  std::vector<Entry> fixed_, grid_;
  std::vector<ZipGroup> zips_;
  std::vector<Exclude> excludes_;
  std::optional<Random> random_;
  std::map<std::string, Owner> owners_;
  std::map<std::string, YAML::Node> topKeys_;  // each top-level key of the file, for floorOf
};

}  // namespace

SweepSpec parseSpecText(const std::string& text, const std::string& file,
                        const std::vector<std::string>& overrides) {
  return SpecParser(text, file, overrides).parse();
}

SweepSpec parseSpec(const std::string& path, const std::vector<std::string>& overrides) {
  const auto cannotRead = [&](const std::string& why) {
    return SpecErrors(
        {SpecError{path, 0, 0, "", "cannot read: " + why, "give the path of a .yaml sweep file"}});
  };
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw cannotRead("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannotRead(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannotRead(std::strerror(errno));
  return parseSpecText(text.str(), path, overrides);
}

}  // namespace actsweep::runner
