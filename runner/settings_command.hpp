#pragma once
// `actsweep settings`: every setting a sweep file, --set or `actsweep train`
// can name, as the Markdown tables of docs/sweep-file.md.
#include <CLI/CLI.hpp>
#include <iosfwd>

namespace actsweep::runner {

struct SettingsArguments {};

void addSettingsOptions(CLI::App& command, SettingsArguments& arguments);

// Prints settingsMarkdown() (runner/settings_docs.hpp); returns 0.
int runSettings(const SettingsArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
