#pragma once
// `actsweep status DB [--json]`: what a results database holds and how fast it
// fills, read while a `run` (or several, or a Slurm array) writes it.

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

namespace actsweep::runner {

struct StatusArguments {
  std::string database;
  bool json = false;  // one JSON object instead of the text
};

void addStatusOptions(CLI::App& command, StatusArguments& arguments);

// Per sweep: the runs by status; the runs in flight (status running) with the
// epoch they reached and their owner (host, pid); runs finished per minute
// over the last 10 minutes and, when that rate is not zero, an ETA for the
// pending ones. 2 when the file does not exist or is not a results database.
// Read-only: the file is never created, converted or migrated (an older
// schema is read through a copy in memory; results/open.hpp).
// A directory: each *.db in it, one block per file, and a total line.
int runStatus(const StatusArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
