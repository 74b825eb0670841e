#pragma once
// The engine of `actsweep run` (runner/run_command.hpp): trains one
// process's runs of a sweep in parallel and stores the results.
//
// The data flow (docs/design.md, "The data flow of one sweep"):
//   spec -> expand (runner/run_command.cpp) -> Store (record the sweep, add
//   the runs as pending) -> the coordinating thread claims runs, most
//   expensive first, and hands each to a tbb::task_arena of `jobs` threads
//   -> a worker trains it and pushes its record (and per-epoch progress) onto
//   a concurrent queue (runner/sweep_worker.hpp) -> the coordinating thread,
//   the only one that touches SQLite, writes them.
// Resume is the same call again: the store only hands out runs that are not
// done or diverged.

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

#include "runner/expand.hpp"
#include "runner/spec.hpp"

namespace actsweep::runner {

// One process's part of a sweep, as `run` hands it over.
struct SweepJob {
  std::vector<RunConfig> runs;  // the runs this process may train (one shard's with --shard)
  std::vector<double> costs;    // costs[i]: runs[i]'s estimated FLOPs, the claim order (most first)
  std::string database;         // its folder exists
  std::string shardText;        // " (shard I/K)" for the first message, or empty
  int jobs = 1;                 // runs trained at once
  bool retryFailed = false;     // failed runs are claimable again
  bool failFast = false;        // the first failed run stops the sweep
  bool quiet = false;           // no progress on err (the summary line still goes to out)
};

// Records the sweep and its runs in job.database, trains every claimable run,
// and prints the summary line on out. Once `stop` is true no run is claimed,
// running runs stop after their current batch and are stored as interrupted.
// Returns 0 every run done or diverged, 1 some run failed, 130 stopped
// (runner/exit_codes.hpp). Throws what the store throws, once the workers ended.
int trainSweep(const SweepSpec& spec, const SweepJob& job, std::ostream& out, std::ostream& err,
               const std::atomic<bool>& stop);

}  // namespace actsweep::runner
