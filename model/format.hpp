#pragma once
#include <charconv>
#include <string>
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

}  // namespace actsweep::model
