#include "runner/settings_command.hpp"

#include <ostream>

#include "runner/exit_codes.hpp"
#include "runner/settings_docs.hpp"

namespace actsweep::runner {

void addSettingsOptions(CLI::App&, SettingsArguments&) {}

int runSettings(const SettingsArguments&, std::ostream& out, std::ostream&) {
  out << settingsMarkdown();
  out.flush();
  return kExitOk;
}

}  // namespace actsweep::runner
