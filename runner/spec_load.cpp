// SpecParser, text -> one YAML mapping: the size and text checks before
// yaml-cpp sees the text, its errors said in the file's terms, one document
// of one mapping, the node budget, and duplicate keys anywhere.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <limits>
#include <map>
#include <set>

#include "runner/spec_parser.hpp"
#include "runner/spec_yaml.hpp"

namespace actsweep::runner::specparse {

using specyaml::describe;
using specyaml::shortened;

std::optional<YAML::Node> SpecParser::load() {
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
    reportYamlError(e);
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

// What yaml-cpp could not parse, at its position, with a hint for the usual causes.
void SpecParser::reportYamlError(const YAML::Exception& e) {
  const auto reportAt = [&](std::pair<int, int> position, std::string message, std::string hint) {
    errors_.emplace_back(
        0, SpecError{file_.file, position.first, position.second, "", std::move(message), std::move(hint)});
  };
  const int line = e.mark.is_null() ? -1 : e.mark.line;
  if (const auto tab = where_.tabIndentation(line >= 0 ? line : std::numeric_limits<int>::max())) {
    reportAt(where_.position(tab->first, tab->second), "a tab in the indentation",
             "YAML does not allow tabs for indentation; use spaces");
    return;
  }
  std::string hint;
  if (e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) hint = "a '[' is not closed by ']'";
  if (e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) hint = "a '{' is not closed by '}'";
  if (e.msg == YAML::ErrorMsg::FLOW_END) hint = "a ']' or '}' does not match the bracket it closes";
  if (e.msg == YAML::ErrorMsg::MAP_VALUE) hint = "check the indentation, and quote values that contain ': '";
  // yaml-cpp's DeepRecursion (nesting beyond its depth limit) says "bad file".
  const bool deep = e.msg == YAML::ErrorMsg::BAD_FILE;
  if (deep) hint = "a sweep file needs a few levels; write the values out flat";
  reportAt(e.mark.is_null() ? std::pair{0, 0} : where_.position(e.mark.line, e.mark.column),
           "not valid YAML: " + (deep ? std::string("nested too deeply") : e.msg), hint);
}

bool SpecParser::withinNodeBudget(const YAML::Node& root) {
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

void SpecParser::checkMappings(const YAML::Node& node, const std::string& path) {
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

std::vector<Entry> SpecParser::entries(const YAML::Node& map, const std::string& prefix,
                                       const Source& source) const {
  std::vector<Entry> result;
  std::set<std::string> seen;
  for (const auto& pair : map) {
    if (!pair.first.IsScalar() || !seen.insert(pair.first.Scalar()).second) continue;
    result.push_back({prefix + pair.first.Scalar(), pair.first, pair.second, &source});
  }
  return result;
}

}  // namespace actsweep::runner::specparse
