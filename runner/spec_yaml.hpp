#pragma once
// The YAML layer of the sweep-file reader (runner/spec*.cpp): scalars read by
// the YAML 1.2 core schema, and what yaml-cpp's nodes do not say about the
// text they came from (positions in characters, the alias a value was reached
// through, a `null` written out) or about their cost (aliases expand).

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace actsweep::runner::specyaml {

// A sweep file is a few kilobytes; anything over this is not one (a log, a
// data file) and would only cost time to parse (yaml-cpp: about 1 s per MiB).
inline constexpr std::size_t kMaxFileBytes = 256 << 10;
// Nodes of the document with every alias expanded where it is used. yaml-cpp
// shares an aliased node, so loading is cheap, but any walk of the tree pays
// the expanded size: 9 aliases of 9 aliases ... 9 levels deep is 9^9 nodes.
inline constexpr long kMaxExpandedNodes = 100000;

// ---- scalars, by the YAML 1.2 core schema ----

// yaml-cpp tags plain scalars "?", quoted ones "!" and explicitly tagged ones
// with their tag: only a plain "0.1" is a number.
bool isPlain(const YAML::Node& node);
bool allDigits(std::string_view text);
bool isIntegerText(std::string_view text);
std::optional<std::int64_t> parseInteger(std::string_view text);
// [-+]? (.digits | digits (.digits?)?) ([eE] [-+]? digits)?, or .inf / .nan.
std::optional<double> parseNumber(std::string_view text);
std::optional<bool> parseBoolean(std::string_view text);

// For "expected a number, got ...": "a list", "'abc'", "the string '0.1'".
std::string describe(const YAML::Node& node);
// `text` cut to `limit` characters (whole UTF-8 sequences) with "..." after:
// a message quotes what the user wrote, never 100k characters of it.
std::string shortened(std::string_view text, std::size_t limit = 60);
// The length of the well-formed UTF-8 character at text[at] (1 to 4), or 0
// when it is not one: a stray continuation byte, an overlong form, a
// surrogate, past U+10FFFF, or cut short. (JSON output refuses all of these.)
std::size_t utf8Length(std::string_view text, std::size_t at);
bool isUtf8(std::string_view text);
// What to do about a scalar that is not plain: "remove the quotes" for
// "0.1" or '0.1', "remove the tag !!str" for a tagged one; "" when plain.
std::string unplainHint(const YAML::Node& node);

// The number of nodes under `node` (itself included) with aliases expanded,
// counted until it passes `limit`: the walk stops there, so it costs at most
// `limit` steps whatever the document.
long expandedNodes(const YAML::Node& node, long limit);

// ---- the text a document came from ----

class SpecText {
 public:
  explicit SpecText(const std::string& text);

  // 1-based line and column of a byte offset; the column counts characters
  // (UTF-8 code points), as an editor does, where yaml-cpp counts bytes.
  std::pair<int, int> position(std::size_t offset) const;
  // The same from yaml-cpp's 0-based line and byte column.
  std::pair<int, int> position(int line, int byteColumn) const;
  std::size_t offsetOf(int line, int byteColumn) const;

  // A node reached through an alias (`*a`) carries the position of its
  // anchor (`&a`), which precedes every use. For a node at `node` met under
  // a key at `key` (node < key: it came through an alias), the offset of the
  // alias after the key that names the anchor enclosing `node`, else of the
  // first alias after the key. Nothing when there is none.
  std::optional<std::size_t> aliasUse(std::size_t node, std::size_t key) const;
  // The anchor's name, without '&', of the anchor nearest before `offset`.
  std::string anchorBefore(std::size_t offset) const;

  // Whether a null node at `offset` is written out (`null`, `~`), not an
  // empty value (`model:` with nothing after it).
  bool explicitNull(std::size_t offset) const;

  // The first byte that cannot be in a YAML text file: a NUL, a control
  // character other than tab/newline/return, or bad UTF-8. Its offset and value.
  std::optional<std::pair<std::size_t, unsigned char>> binaryByte() const;
  // yaml-cpp reports a tab in the indentation as whatever it could not parse
  // next ("illegal map value"): the tab itself, at or before 0-based line
  // `lastLine`, as a 0-based line and byte column.
  std::optional<std::pair<int, int>> tabIndentation(int lastLine) const;

 private:
  std::string_view line(std::size_t index) const;

  const std::string& text_;
  std::vector<std::size_t> lineStarts_;  // byte offset of each line's first byte
};

}  // namespace actsweep::runner::specyaml
