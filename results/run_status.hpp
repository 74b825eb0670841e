#pragma once
// The statuses of a run, in one table: statusName(), the count queries
// (results/status.hpp, Store::countsFor) and `actsweep status` read it. The
// CHECK list of runs.status in results/schema.cpp names the same statuses in
// the same order (a test compares them; the stored schema text never changes).

#include <array>
#include <cstdint>
#include <string>

namespace actsweep::results {

enum class RunStatus { Pending, Running, Done, Failed, Diverged, Interrupted };
const char* statusName(RunStatus status);  // "pending", "running", ...

// The runs of a sweep (or of a list of run keys) by status.
struct StatusCounts {
  std::int64_t sweepId = 0;
  std::string sweepName;
  std::int64_t pending = 0, running = 0, done = 0, failed = 0, diverged = 0, interrupted = 0;

  std::int64_t& operator[](RunStatus status);
  std::int64_t operator[](RunStatus status) const;
  std::int64_t total() const;  // every status
};

// A status, its name in runs.status, and its field of StatusCounts.
struct RunStatusEntry {
  RunStatus status;
  const char* name;
  std::int64_t StatusCounts::*count;
};

// Every status, in the order of the enum and of the schema's CHECK list.
const std::array<RunStatusEntry, 6>& runStatuses();

}  // namespace actsweep::results
