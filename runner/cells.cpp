#include "runner/cells.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/format.hpp"

namespace actsweep::runner {

std::string cell(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return model::formatNumber(value.get<double>());
  if (value.is_array() && value.size() >= 3 &&
      std::all_of(value.begin(), value.end(), [&](const Value& entry) { return entry == value.front(); }))
    return fmt::format("[{}]*{}", cell(value.front()), value.size());
  return value.dump();
}

std::string cellOf(const Settings& settings, const std::string& key) {
  const auto it = settings.find(key);
  return it == settings.end() ? std::string("-") : cell(it->second);  // "-": the setting does not apply
}

}  // namespace actsweep::runner
