#include "results/option_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

#include "model/format.hpp"
#include "results/errors.hpp"

namespace actsweep::results {
namespace {

using model::joined;
using nlohmann::json;

// Hand-written scanners, not std::regex: libstdc++'s regex recurses once per
// character and overflowed the stack on a 28,000-character --where.
bool isWordCharacter(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// [A-Za-z_][A-Za-z0-9_]* at text[at...]: its length (0 when none).
std::size_t identifierLength(const std::string& text, std::size_t at) {
  if (at >= text.size() || std::isdigit(static_cast<unsigned char>(text[at])) || !isWordCharacter(text[at]))
    return 0;
  std::size_t end = at;
  while (end < text.size() && isWordCharacter(text[end])) ++end;
  return end - at;
}

std::string trimmed(const std::string& text) {
  const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  const auto first = std::find_if_not(text.begin(), text.end(), isSpace);
  const auto last = std::find_if_not(text.rbegin(), text.rend(), isSpace).base();
  return first < last ? std::string(first, last) : std::string();
}

}  // namespace

void requireShortOption(const char* option, const std::string& text) {
  if (text.size() > kMaxOptionText)
    throw ReportError(std::string(option) + " " + shownText(text) + ": " + std::to_string(text.size()) +
                      " characters; one value of " + option + " has at most " +
                      std::to_string(kMaxOptionText));
}

std::optional<json> parseValue(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text == "true" || text == "false") return json(text == "true");
  std::int64_t integer = 0;
  const char* end = text.data() + text.size();
  if (auto [last, error] = std::from_chars(text.data(), end, integer); error == std::errc() && last == end)
    return json(integer);
  double number = 0;
  if (auto [last, error] = std::from_chars(text.data(), end, number);
      error == std::errc() && last == end && std::isfinite(number))
    return json(number);
  const char quote = text.front();
  if ((quote == '\'' || quote == '"') && text.size() >= 2 && text.back() == quote) {
    const std::string inner = text.substr(1, text.size() - 2);
    if (inner.find(quote) == std::string::npos) return json(inner);
    return std::nullopt;
  }
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return isWordCharacter(c) || std::strchr(".:+-", c); }))
    return json(text);
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> splitAssignment(const std::string& text) {
  // name = value, the name [A-Za-z_][A-Za-z0-9_.]* (a config key has dots).
  const std::string assignment = trimmed(text);
  std::size_t nameEnd = identifierLength(assignment, 0);
  while (nameEnd > 0 && nameEnd < assignment.size() &&
         (isWordCharacter(assignment[nameEnd]) || assignment[nameEnd] == '.'))
    ++nameEnd;
  const std::size_t equals = assignment.find('=', nameEnd);
  if (nameEnd == 0 || equals == std::string::npos ||
      !trimmed(assignment.substr(nameEnd, equals - nameEnd)).empty())
    return std::nullopt;
  return std::pair{assignment.substr(0, nameEnd), trimmed(assignment.substr(equals + 1))};
}

bool isConfigKey(const std::string& name) {
  // [A-Za-z_][A-Za-z0-9_]* then one or more .[A-Za-z0-9_]+
  std::size_t at = identifierLength(name, 0);
  if (at == 0 || at == name.size()) return false;
  while (at < name.size()) {
    if (name[at] != '.') return false;
    const std::size_t start = ++at;
    while (at < name.size() && isWordCharacter(name[at])) ++at;
    if (at == start) return false;
  }
  return true;
}

namespace {

std::size_t skipSpaces(const std::string& text, std::size_t at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  return at;
}

// `word` (upper case) at text[at...] in any case, then a non-word character or the end.
bool keywordAt(const std::string& text, std::size_t at, const char* word) {
  const std::size_t length = std::strlen(word);
  if (text.size() < at + length) return false;
  for (std::size_t i = 0; i < length; ++i)
    if (std::toupper(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  return at + length == text.size() || !isWordCharacter(text[at + length]);
}

// The name at the start of a filter: an identifier, then [A-Za-z0-9_.]* (a
// config key has dots; isConfigKey decides whether they are well placed).
std::size_t nameLength(const std::string& filter) {
  std::size_t end = identifierLength(filter, 0);
  while (end > 0 && end < filter.size() && (isWordCharacter(filter[end]) || filter[end] == '.')) ++end;
  return end;
}

// The operator at filter[at...]: = != < <= > >=, IS NULL, IS NOT NULL, IN or
// NOT IN, and where it ends; {"", at} when there is none.
std::pair<std::string, std::size_t> readOperator(const std::string& filter, std::size_t at) {
  for (const char* candidate : {"!=", "<=", ">=", "=", "<", ">"})
    if (filter.compare(at, std::strlen(candidate), candidate) == 0)
      return {candidate, at + std::strlen(candidate)};
  if (keywordAt(filter, at, "IS")) {
    std::size_t next = skipSpaces(filter, at + 2);
    const bool negated = keywordAt(filter, next, "NOT");
    if (negated) next = skipSpaces(filter, next + 3);
    if (keywordAt(filter, next, "NULL")) return {negated ? "IS NOT NULL" : "IS NULL", next + 4};
  } else if (keywordAt(filter, at, "NOT")) {
    const std::size_t next = skipSpaces(filter, at + 3);
    if (keywordAt(filter, next, "IN")) return {"NOT IN", next + 2};
  } else if (keywordAt(filter, at, "IN")) {
    return {"IN", at + 2};
  }
  return {"", at};
}

// "(v1, v2, ...)", the whole of `list`: the values (parseValue each; a quoted
// one may hold commas and parentheses); nullopt when malformed or empty.
std::optional<json> parseList(const std::string& list) {
  if (list.size() < 2 || list.front() != '(' || list.back() != ')') return std::nullopt;
  const std::size_t end = list.size() - 1;  // the closing parenthesis
  json values = json::array();
  for (std::size_t at = 1;;) {
    at = skipSpaces(list, at);
    std::size_t stop = at;
    if (stop < end && (list[stop] == '\'' || list[stop] == '"')) {
      const std::size_t close = list.find(list[stop], stop + 1);
      if (close >= end) return std::nullopt;
      stop = close + 1;
    }
    stop = std::min(list.find(',', stop), end);
    const std::optional<json> value = parseValue(trimmed(list.substr(at, stop - at)));
    if (!value) return std::nullopt;
    values.push_back(*value);
    if (stop == end) return values;
    at = stop + 1;
  }
}

}  // namespace

void requireNumbers(const std::string& text, const WhereFilter& filter) {
  const json values = filter.value.is_array() ? filter.value : json::array({filter.value});
  for (const json& value : values)
    if (value.is_string())
      throw ReportError("--where " + shownText(text) + ": " + filter.column + " holds numbers, and " +
                        shownText(value.get<std::string>()) + " is not a finite number; e.g. --where \"" +
                        filter.column + " < 0.1\"");
}

WhereFilter parseWhere(const std::string& text, const std::vector<std::string>& knownColumns,
                       const std::vector<std::string>& numericColumns) {
  requireShortOption("--where", text);
  const std::string usage =
      "write --where \"column OP value\" with OP one of = != < <= > >=, e.g. "
      "--where \"norm = none\" or --where \"lr < 0.1\"; or \"column IS [NOT] NULL\", "
      "\"column [NOT] IN (a, b)\"";
  const std::string filter = trimmed(text);
  const std::size_t nameEnd = nameLength(filter);
  const std::string name = filter.substr(0, nameEnd);
  const bool configKey = isConfigKey(name);
  const auto [op, opEnd] = readOperator(filter, skipSpaces(filter, nameEnd));
  if (nameEnd == 0 || op.empty() || (!configKey && name.find('.') != std::string::npos))
    throw ReportError("--where " + shownText(text) + ": cannot read it; " + usage);
  const std::string valueText = trimmed(filter.substr(opEnd));
  const auto column = std::find(knownColumns.begin(), knownColumns.end(), name);
  if (!configKey && column == knownColumns.end())
    throw ReportError("--where " + shownText(text) + ": unknown column '" + name +
                      "' (columns of runs: " + joined(knownColumns) + ")");
  const bool numeric = std::find(numericColumns.begin(), numericColumns.end(), name) != numericColumns.end();
  if (op == "IS NULL" || op == "IS NOT NULL") {
    if (!valueText.empty())
      throw ReportError("--where " + shownText(text) + ": nothing may follow " + op + "; " + usage);
    return {name, op, nullptr};
  }
  if (op == "IN" || op == "NOT IN") {
    const std::optional<json> values = parseList(valueText);
    if (!values)
      throw ReportError("--where " + shownText(text) + ": cannot read the list " + shownText(valueText) +
                        "; write e.g. --where \"activation IN (relu, elu)\" (numbers, words or quoted "
                        "texts without quotes inside)");
    WhereFilter parsed{name, op, *values};
    if (numeric) requireNumbers(text, parsed);
    return parsed;
  }
  const std::optional<json> value = parseValue(valueText);
  if (!value)
    throw ReportError("--where " + shownText(text) + ": the value " + shownText(valueText) +
                      " is not a number, a word or a quoted text without quotes inside; " + usage);
  // SQLite orders every number before every text, so "lr < fast" would keep
  // every run and "lr > nan" none, silently.
  if (numeric && value->is_string())
    throw ReportError("--where " + shownText(text) + ": " + name + " holds numbers, and " +
                      shownText(valueText) + " is not a finite number; e.g. --where \"" + name + " < 0.1\"");
  return {name, op, *value};
}

std::string terminalText(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return text;
}

std::string shownText(const std::string& text) {
  constexpr std::size_t kShown = 60;
  const char* const hex = "0123456789abcdef";
  std::string shown = "'";
  std::size_t i = 0;
  // Up to kShown bytes, then to the end of a UTF-8 character (continuation
  // bytes are 10xxxxxx; a character has at most 3).
  const auto continues = [&](std::size_t at) {
    return (static_cast<unsigned char>(text[at]) & 0xc0) == 0x80;
  };
  for (; i < text.size() && (i < kShown || (i < kShown + 3 && continues(i))); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n')
      shown += "\\n";
    else if (byte < 0x20 || byte == 0x7f)
      shown += std::string("\\x") + hex[byte >> 4] + hex[byte & 0xf];
    else
      shown += text[i];
  }
  shown += "'";
  if (i < text.size()) shown += " (" + std::to_string(text.size()) + " characters, cut)";
  return shown;
}

}  // namespace actsweep::results
