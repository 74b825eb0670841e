#pragma once
// Text from the command line (--where, --vs, --by, config keys and values),
// read by hand-written scanners in linear time, never std::regex (libstdc++'s
// recurses once per character: a 28,000-character --where overflowed the
// stack); and user text as an error message shows it.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace actsweep::results {

// Option text longer than this is refused before it is read: no setting,
// value or filter needs more, and an error message echoes it.
inline constexpr std::size_t kMaxOptionText = 1000;
// Throws ReportError when `text`, a value of `option`, is over kMaxOptionText.
void requireShortOption(const char* option, const std::string& text);

// A dotted config key (data.raw_pixels, train.momentum): what --by and --vs
// accept for a setting that has no column of its own. Letters, digits and _
// only, so it can stand in SQL text.
bool isConfigKey(const std::string& name);
// "0.1" -> 0.1, "3" -> 3, "true" -> true, "'a b'" -> "a b", "relu" -> "relu";
// nullopt otherwise (a non-finite number among them). Booleans as in
// config_json (data.raw_pixels=true).
std::optional<nlohmann::json> parseValue(const std::string& text);
// " name = value " -> {"name", "value"}, the name [A-Za-z_][A-Za-z0-9_.]*;
// nullopt when the text is not of that form.
std::optional<std::pair<std::string, std::string>> splitAssignment(const std::string& text);

// One --where filter, checked: `column` is a column of runs or a config key
// (isConfigKey: data.raw_pixels), `op` one of = != < <= > >= (value a number
// or a text), IN or NOT IN (value an array of them), IS NULL or IS NOT NULL
// (value null). Values are bound as parameters, never pasted into SQL.
struct WhereFilter {
  std::string column;
  std::string op;
  nlohmann::json value;  // number or string; array for [NOT] IN; null for IS [NOT] NULL
};
// Parses "column OP value", "column IS [NOT] NULL" or "column [NOT] IN (v1,
// v2, ...)" (IS, NOT, NULL, IN in any case). A value is a number if it parses
// as one, a quoted text ('a b' or "a b", no quote inside), or a bare word of
// letters, digits and _ . : + -; a column of `numericColumns` takes only a
// finite number (or true/false). The column is one of `knownColumns` or a
// config key. Anything else, and text over 1000 characters, throws
// ReportError.
WhereFilter parseWhere(const std::string& text, const std::vector<std::string>& knownColumns,
                       const std::vector<std::string>& numericColumns = {});
// Throws parseWhere's ReportError when `filter` (read from `text`) compares a
// column or key that holds numbers with a text.
void requireNumbers(const std::string& text, const WhereFilter& filter);
// User text as an error message shows it: quoted, control characters
// escaped (\n, \x01: the message stays one line), cut after 60 bytes with
// its length said.
std::string shownText(const std::string& text);
// Text from a database for a terminal: control characters (an escape
// sequence would drive the terminal) as '?'; everything else as it is.
std::string terminalText(std::string text);

}  // namespace actsweep::results
