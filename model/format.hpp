#pragma once
#include <charconv>
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
