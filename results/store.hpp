#pragma once
// The SQLite store of a sweep's results (schema: docs/schema.md).
//
// One Store is one connection, used by one thread: the runner's coordinating
// thread claims runs and writes finished ones; worker threads never touch it.
// Several processes may open the same database file (on one host: WAL mode):
// claiming is atomic (BEGIN IMMEDIATE), so two processes never train the
// same run, and a run whose owner stopped renewing its lease is reclaimed.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/metrics.hpp"
#include "results/errors.hpp"
#include "results/run_status.hpp"
#include "results/schema_version.hpp"

namespace actsweep::results {

struct StoreImpl;  // the connection and its statements: results/store_impl.hpp

// Now as ISO 8601 UTC to the second, "2024-05-01T12:34:56Z": the format of
// every *_at column (sorts as text; SQLite's date functions read it).
std::string isoUtcNow();

struct SweepRecord {
  std::string name;
  std::string specText;       // the sweep file as read
  std::string specHash;       // hash of specText + overrides (16 hex digits)
  std::string overridesJson;  // JSON array of the --set strings
  std::string host, version, gitRevision;
};

struct RunToAdd {
  std::string runKey;
  nlohmann::json config;     // the canonical config (runner/expand.hpp); typed columns are taken from it
                             // (results/run_columns.hpp)
  double estimatedCost = 0;  // FLOPs, for longest-first scheduling
};

// Who is claiming: a process on a host. A claim lasts leaseSeconds unless renewed.
struct Owner {
  std::string host;
  long pid = 0;
  double leaseSeconds = 60;
};

struct ClaimedRun {
  std::int64_t runId = 0;
  std::string runKey;
  nlohmann::json config;
  int attempts = 0;  // including this one
  double estimatedCost = 0;
};

// Everything a finished (or stopped) run produced; written in one transaction.
struct RunRecord {
  std::int64_t runId = 0;
  RunStatus status = RunStatus::Done;  // Done, Failed, Diverged or Interrupted
  std::string error;                   // Failed: the message
  model::RunResult result;
  std::vector<model::EpochMetrics> epochs;
  std::vector<model::LayerStats> layers;  // every epoch's, in order
  double wallSeconds = 0;
  std::string startedAt, finishedAt;  // ISO 8601 UTC
};

class Store {
 public:
  // Opens or creates the database (":memory:" for tests): WAL, a busy
  // timeout, the schema created or migrated to kSchemaVersion. A missing or
  // empty file is new; any other is first recognised as an actsweep database
  // (results/open.hpp). Throws StoreError, having written nothing, for a file
  // that is not SQLite, another program's database, a damaged or
  // write-protected one, or one with a newer schema.
  explicit Store(const std::string& path, int busyTimeoutMs = 10000);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A new sweeps row per invocation; returns its sweep_id.
  std::int64_t recordSweep(const SweepRecord& sweep);
  // INSERT OR IGNORE by run key; returns how many were new.
  int addRuns(std::int64_t sweepId, const std::vector<RunToAdd>& runs);

  // The run keys claim() chooses from (a sweep's; a database may hold other
  // sweeps' runs), kept until set again. None at first.
  void setClaimableKeys(const std::vector<std::string>& runKeys);
  // Takes one key out of them (a run that failed here, which --retry-failed
  // would otherwise hand out again and again).
  void removeClaimableKey(const std::string& runKey);
  // Atomically claims up to maxCount of the claimable keys' runs, most
  // expensive first, that are claimable: pending or interrupted; failed when
  // retryFailed; running but with an expired lease, or owned by a process of
  // this host that no longer exists. Sets them running with this owner,
  // attempts + 1, started_at. Never claims done or diverged runs.
  std::vector<ClaimedRun> claim(int maxCount, const Owner& owner, bool retryFailed);
  // Extends the lease of every running run this owner holds.
  void renewLeases(const Owner& owner);
  // Records the epoch a running run has reached (for status; not its metrics).
  void setProgress(std::int64_t runId, int epoch);
  // Each record in its own transaction (a run is all done or not at all),
  // several records per call so that tiny runs are cheap.
  void finish(const std::vector<RunRecord>& records);
  // Claimed runs that never started go back to pending (e.g. after Ctrl-C).
  void release(const std::vector<std::int64_t>& runIds);

  // The runs of each sweep by status (results/status.hpp, statusCountsOf).
  std::vector<StatusCounts> statusCounts();
  // Runs of `runKeys` by status, for the runner's summary.
  StatusCounts countsFor(const std::vector<std::string>& runKeys);

 private:
  std::unique_ptr<StoreImpl> impl_;
};

}  // namespace actsweep::results
