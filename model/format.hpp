#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace actsweep::model {

// The shortest text that reads back as the same double: "0.01", "1e-08",
// "nan" (std::to_string would print "0.010000"). Used in messages and describe().
inline std::string formatNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// "1:05:09" or "4:07" (minutes:seconds under an hour): elapsed times and ETAs.
inline std::string durationText(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
  return buffer;
}

// {"relu", "tanh"} -> "relu, tanh": lists of allowed names in messages.
inline std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

// Untrusted text in a message: at most `limit` bytes, cut before a UTF-8
// continuation byte, with the full length, so that a 30,000-character
// argument or a 1 MB CSV field is not echoed whole: "1111... (30000 bytes)".
inline std::string excerpt(std::string_view text, std::size_t limit = 40) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace actsweep::model
