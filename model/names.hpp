#pragma once
// Name <-> enum tables for the settings a sweep file names (activation, init,
// norm, ...). One table per enum; parsing an unknown name throws ConfigError
// listing what is allowed, so every caller gets the same helpful message.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/errors.hpp"
#include "model/format.hpp"

namespace actsweep::model {

template <class Enum>
using NameTable = std::vector<std::pair<std::string_view, Enum>>;

// "relu, leaky_relu, prelu"
template <class Enum>
std::string joinNames(const NameTable<Enum>& table) {
  std::string joined;
  for (const auto& [name, value] : table) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

// what: the setting, for the message ("activation").
template <class Enum>
Enum parseName(const NameTable<Enum>& table, std::string_view text, std::string_view what) {
  for (const auto& [name, value] : table)
    if (name == text) return value;
  throw ConfigError(std::string(what) + ": unknown value '" + excerpt(text) +
                    "' (allowed: " + joinNames(table) + ")");
}

template <class Enum>
std::string_view nameOf(const NameTable<Enum>& table, Enum value) {
  for (const auto& [name, candidate] : table)
    if (candidate == value) return name;
  return "?";
}

}  // namespace actsweep::model
