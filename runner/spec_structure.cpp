// SpecParser, the file's structure: each top-level key to its place
// (sections, grid, zip, exclude, random), and what is not a key there.

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "model/format.hpp"
#include "runner/spec_parser.hpp"
#include "runner/spec_yaml.hpp"
#include "runner/suggest.hpp"

namespace actsweep::runner::specparse {

namespace {

const std::vector<std::string> kTopKeys = {"name",  "description", "data", "model",   "train", "diagnostics",
                                           "seeds", "grid",        "zip",  "exclude", "random"};
const std::vector<std::string> kRandomKeys = {"samples", "seed", "axes"};

}  // namespace

using model::joined;
using specyaml::describe;
using specyaml::shortened;

void SpecParser::collect() {
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
      if (mappingOrNothing(entry,
                           "a mapping of setting -> list of values, e.g. grid: {model.alpha: [0.01, 0.1]}") &&
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

bool SpecParser::writtenNull(const Entry& entry) {
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

bool SpecParser::emptyCollection(const Entry& entry, const std::string& message, const std::string& hint) {
  if (entry.value.size() != 0) return false;
  report(entry, entry.key, message, hint + ", or remove " + entry.key + ":");
  return true;
}

bool SpecParser::mappingOrNothing(const Entry& entry, const std::string& expected) {
  if (entry.value.IsMap()) return true;
  if (!entry.value.IsNull())
    report(entry, entry.key, "expected " + expected + ", found " + describe(entry.value));
  return false;
}

void SpecParser::unknownTopKey(const Entry& entry) {
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

void SpecParser::collectSection(const Entry& section) {
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

void SpecParser::collectZips(const Entry& zip) {
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

void SpecParser::collectExcludes(const Entry& exclude) {
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

void SpecParser::collectRandom(const Entry& random) {
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
      report(file_, entry.keyNode, "random." + entry.key, "unknown key '" + shortened(entry.key) + "'", hint);
    }
  }
}

}  // namespace actsweep::runner::specparse
