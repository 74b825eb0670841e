#pragma once
// Setting values as table cells and messages show them (plan's table, the
// runs that do not build): names bare, numbers short, equal widths as [16]*10.

#include <string>

#include "runner/settings.hpp"

namespace actsweep::runner {

// "relu", "0.01", "[16]*10" (three or more equal entries), else the JSON text.
std::string cell(const Value& value);
// The cell of `key` in a run's settings; "-" when the setting does not apply.
std::string cellOf(const Settings& settings, const std::string& key);

}  // namespace actsweep::runner
