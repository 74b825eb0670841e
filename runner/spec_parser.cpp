// SpecParser's core (runner/spec_parser.hpp): the four passes of parse(),
// and where each error points and in what order they are listed.

#include "runner/spec_parser.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <tuple>

#include "runner/spec.hpp"
#include "runner/spec_yaml.hpp"

namespace actsweep::runner {

namespace specparse {

using specyaml::shortened;

std::vector<std::string> settingKeys() {
  std::vector<std::string> keys;
  for (const Setting& s : allSettings()) keys.push_back(s.key);
  return keys;
}

std::vector<std::string> sectionKeys(const std::string& section) {
  std::vector<std::string> keys;
  for (const Setting& s : allSettings())
    if (s.key.starts_with(section + ".")) keys.push_back(s.key.substr(section.size() + 1));
  return keys;
}

const Setting* settingNamed(const std::string& name) {
  for (const Setting& s : allSettings())
    if (s.key.substr(s.key.find('.') + 1) == name) return &s;
  return nullptr;
}

SpecParser::SpecParser(std::string text, std::string file, std::vector<std::string> overrides)
    : text_(std::move(text)), overrides_(std::move(overrides)) {
  file_.file = std::move(file);
}

SweepSpec SpecParser::parse() {
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

void SpecParser::report(const Source& source, const YAML::Node& at, std::string keyPath, std::string message,
                        std::string hint, const YAML::Node& use) {
  SpecError error = placeOf(source, at, std::move(keyPath), use);
  error.message = std::move(message);
  if (!hint.empty() && !error.hint.empty()) hint += "; ";
  error.hint = hint + error.hint;
  errors_.emplace_back(source.order, std::move(error));
}

void SpecParser::report(const Entry& entry, std::string keyPath, std::string message, std::string hint) {
  report(*entry.source, entry.at(), std::move(keyPath), std::move(message), std::move(hint), entry.keyNode);
}

SpecError SpecParser::placeOf(const Source& source, const YAML::Node& at, std::string keyPath,
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

std::size_t SpecParser::floorOf(const std::string& keyPath, const YAML::Node& use) const {
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

void SpecParser::stop() {
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

}  // namespace specparse

SweepSpec parseSpecText(const std::string& text, const std::string& file,
                        const std::vector<std::string>& overrides) {
  return specparse::SpecParser(text, file, overrides).parse();
}

}  // namespace actsweep::runner
