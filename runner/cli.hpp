#pragma once
#include <iosfwd>
#include <string>

#include "runner/exit_codes.hpp"

namespace actsweep::runner {

// The whole command line: parses argv, runs the subcommand, turns every
// error into one line on err and an exit code. Never throws.
int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
int runCli(int argc, char** argv);  // with std::cout and std::cerr

}  // namespace actsweep::runner
