#pragma once
#include <charconv>
#include <string>

namespace actsweep::model {

// The shortest text that reads back as the same double: "0.01", "1e-08",
// "nan" (std::to_string would print "0.010000"). Used in messages and describe().
inline std::string formatNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace actsweep::model
