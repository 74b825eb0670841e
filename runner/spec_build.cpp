// SpecParser, build(): the SweepSpec from what the file and the --set values
// say, each value checked, in the order its errors are listed for one line.

#include <yaml-cpp/yaml.h>

#include "runner/spec_parser.hpp"

namespace actsweep::runner::specparse {

SweepSpec SpecParser::build() {
  SweepSpec spec;
  nameAndDescription(spec);
  const std::vector<Assignment> fixed = fixedValues();
  spec.seeds = seeds();

  // Every swept value, kept for the range checks at the end.
  std::vector<Assignment> swept;
  buildGrid(spec, swept);
  const ZipValues zipValues = buildZips(spec);
  buildExcludes(spec);

  std::vector<Assignment> bounds, choices;
  spec.random = random(bounds, choices);

  rangeChecks(spec, fixed, swept, choices, bounds, zipValues);

  spec.file = file_.file;
  spec.text = text_;
  spec.overrides = overrides_;
  return spec;
}

std::vector<Assignment> SpecParser::fixedValues() {
  std::vector<Assignment> fixed;
  for (const Entry& entry : fixed_) {
    const Setting& setting = *findSetting(entry.key);
    if (auto value = convert(setting, entry.value, *entry.source, entry.at(), entry.key, entry.keyNode, true))
      fixed.push_back({entry.key, std::move(*value), entry.source, entry.at(), entry.key, entry.keyNode});
  }
  return fixed;
}

void SpecParser::buildGrid(SweepSpec& spec, std::vector<Assignment>& swept) {
  for (const Entry& entry : grid_) {
    const Setting* setting = axisSetting(entry, "grid");
    if (!setting || !claimAxis(entry, "grid")) continue;
    std::vector<Assignment> values = convertList(*setting, entry, "grid." + entry.key);
    if (values.empty()) continue;
    Axis axis{setting->key, {}};
    for (Assignment& value : values) axis.values.push_back(value.value), swept.push_back(std::move(value));
    spec.grid.push_back(std::move(axis));
  }
}

SpecParser::ZipValues SpecParser::buildZips(SweepSpec& spec) {
  ZipValues zipValues;
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
  return zipValues;
}

void SpecParser::buildExcludes(SweepSpec& spec) {
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
}

}  // namespace actsweep::runner::specparse
