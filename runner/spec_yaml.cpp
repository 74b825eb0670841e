#include "runner/spec_yaml.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace actsweep::runner::specyaml {

// ---- scalars ----------------------------------------------------------------

bool isPlain(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isIntegerText(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return allDigits(text);
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
  if (!isIntegerText(text)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parseNumber(std::string_view text) {
  std::string_view body = text;
  const bool negative = !body.empty() && body.front() == '-';
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) body.remove_prefix(1);
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return std::numeric_limits<double>::quiet_NaN();

  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i;
    return i - start;
  };
  std::size_t mantissa = digits();
  if (i < body.size() && body[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (error != std::errc() || end != body.data() + body.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<bool> parseBoolean(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

std::string shortened(std::string_view text, std::size_t limit) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (characters++ == limit) {
      std::string cut(text.substr(0, i));
      cut += "...";
      return cut;
    }
  }
  return std::string(text);
}

namespace {

// A tag as written: yaml-cpp resolves "!!str" to "tag:yaml.org,2002:str".
std::string shortTag(const YAML::Node& node) {
  const std::string prefix = "tag:yaml.org,2002:";
  const std::string& tag = node.Tag();
  return shortened(tag.starts_with(prefix) ? "!!" + tag.substr(prefix.size()) : tag, 40);
}

}  // namespace

std::string describe(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (node.IsNull()) return "nothing";
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, bug 105329) about "literal" + std::string.
  std::string text = "'";
  text += shortened(node.Scalar());
  text += "'";
  if (isPlain(node)) return text;
  if (node.Tag() == "!") return "the string " + text;
  return text + " tagged " + shortTag(node);
}

std::string unplainHint(const YAML::Node& node) {
  if (!node.IsScalar() || isPlain(node)) return "";
  // yaml-cpp gives a quoted scalar the tag "!"; an explicit tag keeps its
  // name, "!!str" as "tag:yaml.org,2002:str".
  if (node.Tag() == "!") return "remove the quotes";
  return "remove the tag " + shortTag(node);
}

long expandedNodes(const YAML::Node& node, long limit) {
  // An explicit stack: a deep document must not overflow the thread's own.
  long count = 0;
  std::vector<YAML::Node> pending = {node};
  while (!pending.empty() && count <= limit) {
    const YAML::Node current = pending.back();
    pending.pop_back();
    ++count;
    if (current.IsSequence()) {
      for (const YAML::Node& item : current) pending.push_back(item);
    } else if (current.IsMap()) {
      for (const auto& pair : current) pending.push_back(pair.first), pending.push_back(pair.second);
    }
  }
  return count;
}

// ---- the text ---------------------------------------------------------------

SpecText::SpecText(const std::string& text) : text_(text) {
  lineStarts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') lineStarts_.push_back(i + 1);
}

std::string_view SpecText::line(std::size_t index) const {
  const std::size_t start = lineStarts_[index];
  const std::size_t end = index + 1 < lineStarts_.size() ? lineStarts_[index + 1] : text_.size();
  return std::string_view(text_).substr(start, end - start);
}

std::pair<int, int> SpecText::position(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto next = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  const std::size_t index = static_cast<std::size_t>(next - lineStarts_.begin()) - 1;
  int column = 1;
  for (std::size_t i = lineStarts_[index]; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // not a continuation byte
  return {static_cast<int>(index) + 1, column};
}

std::size_t SpecText::offsetOf(int line, int byteColumn) const {
  const std::size_t index = std::min(static_cast<std::size_t>(std::max(line, 0)), lineStarts_.size() - 1);
  return std::min(lineStarts_[index] + static_cast<std::size_t>(std::max(byteColumn, 0)), text_.size());
}

std::pair<int, int> SpecText::position(int line, int byteColumn) const {
  return position(offsetOf(line, byteColumn));
}

namespace {

// Characters that end an anchor or alias name: white space and flow indicators.
bool endsName(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '[' || c == ']' || c == '{' ||
         c == '}';
}

// A '&' or '*' that starts a token: after white space or a flow indicator.
bool startsToken(const std::string& text, std::size_t i) {
  return i == 0 || endsName(text[i - 1]) || text[i - 1] == ':' || text[i - 1] == '-';
}

std::string nameAt(const std::string& text, std::size_t start) {
  std::size_t end = start;
  while (end < text.size() && !endsName(text[end])) ++end;
  return text.substr(start, end - start);
}

}  // namespace

std::string SpecText::anchorBefore(std::size_t offset) const {
  for (std::size_t i = std::min(offset + 1, text_.size()); i-- > 0;)
    if (text_[i] == '&' && startsToken(text_, i)) return nameAt(text_, i + 1);
  return "";
}

std::optional<std::size_t> SpecText::aliasUse(std::size_t node, std::size_t key) const {
  if (node >= key) return std::nullopt;  // written where it is used
  const std::string anchor = anchorBefore(node);
  std::optional<std::size_t> first;
  for (std::size_t i = key; i < text_.size(); ++i) {
    if (text_[i] != '*' || !startsToken(text_, i)) continue;
    if (!anchor.empty() && nameAt(text_, i + 1) == anchor) return i;
    if (!first) first = i;
  }
  return first;
}

bool SpecText::explicitNull(std::size_t offset) const {
  const std::string_view rest = std::string_view(text_).substr(std::min(offset, text_.size()));
  for (const std::string_view word : {"~", "null", "Null", "NULL"})
    if (rest.starts_with(word) &&
        (rest.size() == word.size() || endsName(rest[word.size()]) || rest[word.size()] == '#'))
      return true;
  return false;
}

std::size_t utf8Length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  // Lead byte -> length and the range of its first continuation byte, which
  // rules out overlong forms (E0 80..9F, F0 80..8F), the surrogates D800..DFFF
  // (ED A0..BF) and code points past U+10FFFF (F4 90.., F5..FF).
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  }
  if (length == 0 || at + length > text.size() || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((byte(k) & 0xC0) != 0x80) return 0;
  return length;
}

bool isUtf8(std::string_view text) {
  for (std::size_t at = 0, length = 0; at < text.size(); at += length)
    if ((length = utf8Length(text, at)) == 0) return false;
  return true;
}

std::optional<std::pair<std::size_t, unsigned char>> SpecText::binaryByte() const {
  for (std::size_t i = 0; i < text_.size();) {
    const auto c = static_cast<unsigned char>(text_[i]);
    const std::size_t length = utf8Length(text_, i);
    if (length == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return std::pair{i, c};
    i += length;
  }
  return std::nullopt;
}

std::optional<std::pair<int, int>> SpecText::tabIndentation(int lastLine) const {
  for (std::size_t index = 0; index < lineStarts_.size() && static_cast<long>(index) <= lastLine; ++index) {
    const std::string_view text = line(index);
    const std::size_t content = text.find_first_not_of(" \t");
    if (content == std::string_view::npos || text[content] == '#' || text[content] == '\r' ||
        text[content] == '\n')
      continue;
    const std::size_t tab = text.find('\t');
    if (tab < content) return std::pair{static_cast<int>(index), static_cast<int>(tab)};
  }
  return std::nullopt;
}

}  // namespace actsweep::runner::specyaml
