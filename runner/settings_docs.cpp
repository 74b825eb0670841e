#include "runner/settings_docs.hpp"

#include <fmt/format.h>

#include "runner/settings.hpp"

namespace actsweep::runner {
namespace {

// The words of the docs' "Types" table.
std::string_view typeWord(SettingType type) {
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
}

// The default as YAML writes it: "" for empty text, 0.0 for a number that is
// whole (it is stored as a double), 0.3333 (four digits) for 1/3.
std::string defaultCell(const Value& value) {
  if (value.is_string()) return value.get<std::string>().empty() ? "\"\"" : value.get<std::string>();
  if (value.is_number_float()) {
    std::string shown = fmt::format("{:.4g}", value.get<double>());
    if (shown.find_first_of(".e") == std::string::npos) shown += ".0";
    return shown;
  }
  if (!value.is_array()) return value.dump();
  std::string list;
  for (const Value& item : value) list += (list.empty() ? "" : ", ") + item.dump();
  return "[" + list + "]";
}

}  // namespace

std::string settingsMarkdown() {
  std::string out, section;
  for (const Setting& s : allSettings()) {
    const std::string prefix = s.key.substr(0, s.key.find('.'));
    if (prefix != section) {
      section = prefix;
      out += fmt::format("{}### {}\n\n", out.empty() ? "" : "\n", section);
      out += "| key | type | default | allowed | applies when | meaning |\n";
      out += "|---|---|---|---|---|---|\n";
    }
    out += fmt::format("| `{}` | {} | `{}` | {} | {} | {} |\n", s.key, typeWord(s.type),
                       defaultCell(s.defaultValue), s.allowed, s.appliesText, s.help);
  }
  return out;
}

}  // namespace actsweep::runner
