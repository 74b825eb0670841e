#pragma once
#include <iosfwd>
#include <string>

namespace actsweep::runner {

// Exit codes (docs: README "Exit codes").
inline constexpr int kExitOk = 0;
inline constexpr int kExitRunsFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitOutputFailed = 3;  // stdout could not be written (disk full): what it got is cut
inline constexpr int kExitInterrupted = 130;

// The whole command line: parses argv, runs the subcommand, turns every
// error into one line on err and an exit code. Never throws.
int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
int runCli(int argc, char** argv);  // with std::cout and std::cerr

// "1:05:09" or "4:07" (minutes:seconds under an hour): elapsed times and ETAs.
std::string durationText(double seconds);

}  // namespace actsweep::runner
