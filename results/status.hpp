#pragma once
// The queries behind `actsweep status` (runner/status_command.cpp formats
// them): per sweep, its runs by status, the runs in flight and the rate at
// which runs finish. Through any connection: `status` reads through a
// read-only one (results/open.hpp), the runner through its Store.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/run_status.hpp"

namespace actsweep::results {

// The runs of each sweep by status, in sweep order. A run belongs to the
// sweep that first added it; sweeps that added no run (a resume invocation)
// have no row.
std::vector<StatusCounts> statusCountsOf(SQLite::Database& db);
// The runs whose keys the connection's temp.counted_keys (run_key column,
// filled by Store::countsFor) holds, by status.
StatusCounts statusCountsOfCountedKeys(SQLite::Database& db);

// A run with status running.
struct RunningRun {
  std::string runKey;
  std::optional<int> epoch;  // progress_epoch: the last epoch reported, none before epoch 0 ends
  std::optional<int> epochs;
  std::string host;
  long pid = 0;
  std::string startedAt;
};

struct SweepStatus {
  StatusCounts counts;
  std::vector<RunningRun> running;   // by started_at, then run_id
  long finishedRecently = 0;         // done, diverged or failed in the window
  double runsPerMinute = 0;          // finishedRecently over the part of the window the sweep was running
  std::optional<double> etaSeconds;  // the runs still to train at that rate

  long total() const { return static_cast<long>(counts.total()); }
  long toTrain() const { return counts.pending + counts.running + counts.interrupted; }
};

// Every sweep of statusCountsOf with its running runs and its finish rate
// over the last `rateWindowMinutes`.
std::vector<SweepStatus> sweepStatuses(SQLite::Database& db, double rateWindowMinutes);

}  // namespace actsweep::results
