#pragma once
// `actsweep run`: trains every run of a sweep file in parallel and stores the
// results (runner/status_command.hpp watches them arrive).
//
// The engine is runner/sweep_runner.hpp; this is the command line around it:
// the arguments, the sweep file, the shard, the database path.
// Resume is the same command again: the store only hands out runs that are
// not done or diverged.

#include <CLI/CLI.hpp>
#include <atomic>
#include <iosfwd>
#include <string>

#include "runner/sweep_arguments.hpp"

namespace actsweep::runner {

struct RunArguments {
  SpecArguments sweep;
  std::string database;      // --db; empty: results/<sweep name>.db
  int jobs = 0;              // --jobs; 0: SLURM_CPUS_PER_TASK, else the CPUs this process may use
  bool retryFailed = false;  // --retry-failed: failed runs are claimable again
  bool failFast = false;     // --fail-fast: the first failed run stops the sweep
  bool quiet = false;        // --quiet: no progress on stderr (the summary line still goes to stdout)
  std::string shard;         // --shard I/K: only the runs assignShards gives shard I (runner/shard.hpp)
};

void addRunOptions(CLI::App& command, RunArguments& arguments);

// The --jobs default: SLURM_CPUS_PER_TASK when set (Slurm's allocation, which
// the affinity mask may not show), else the CPUs in this process's affinity
// mask (taskset, cgroups), at least 1.
int defaultJobs();

// `run` with the process's SIGINT/SIGTERM handlers (installStopHandlers).
// Exit codes: 0 every run done or diverged; 1 some run of the sweep failed;
// 2 bad input (a bad --shard; spec errors are thrown for the command line to print);
// 130 stopped by a signal.
int runSweep(const RunArguments& arguments, std::ostream& out, std::ostream& err);

// The same with the caller's stop flag instead of the signal handlers: once
// `stop` is true no run is claimed, running runs stop after their current
// batch and are stored as interrupted, and the result is 130. Tests use it to
// interrupt a sweep without raising a signal in the test process.
int runSweep(const RunArguments& arguments, std::ostream& out, std::ostream& err,
             const std::atomic<bool>& stop);

}  // namespace actsweep::runner
