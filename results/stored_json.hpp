#pragma once
// JSON that comes out of a database, which may be anyone's: read with a depth
// limit (nlohmann's dump and destructor recurse per level; a 300,000-deep
// config_json overflowed the stack), a parse error a StoreError, and written
// back out with invalid UTF-8 replaced (U+FFFD) instead of a thrown
// type_error.

#include <nlohmann/json.hpp>
#include <string>

namespace actsweep::results {

// Levels of nesting a stored JSON value may have: a run's config is flat
// (one level, lists of widths two).
inline constexpr int kMaxStoredJsonDepth = 32;

// Parses `text`, the JSON of `what` (e.g. "runs.config_json of run 12" of
// file F); throws StoreError naming it when it is not JSON or nests deeper
// than kMaxStoredJsonDepth.
nlohmann::json parseStoredJson(const std::string& text, const std::string& what);

// value.dump(), with bytes that are not UTF-8 replaced by U+FFFD: text from a
// database never makes JSON output throw.
std::string jsonText(const nlohmann::json& value);

}  // namespace actsweep::results
