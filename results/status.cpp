#include "results/status.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace actsweep::results {
namespace {

// "coalesce(sum(r.status = 'pending'), 0) AS pending, ...": one column per
// status of runs `r`, named after it.
std::string countColumns() {
  std::string columns;
  for (const RunStatusEntry& entry : runStatuses()) {
    const std::string name = entry.name;
    columns += (columns.empty() ? "" : ", ") + ("coalesce(sum(r.status = '" + name + "'), 0) AS " + name);
  }
  return columns;
}

void readCounts(SQLite::Statement& query, StatusCounts& counts) {
  for (const RunStatusEntry& entry : runStatuses())
    counts.*entry.count = query.getColumn(entry.name).getInt64();
}

std::string textOrEmpty(const SQLite::Column& column) {
  return column.isNull() ? std::string() : column.getString();
}

std::optional<int> optionalInt(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional<int>(column.getInt());
}

// Adds the running runs to their sweeps (`index`: sweep_id -> position).
void readRunning(SQLite::Database& db, const std::map<std::int64_t, std::size_t>& index,
                 std::vector<SweepStatus>& sweeps) {
  SQLite::Statement running(
      db,
      "SELECT sweep_id, run_key, progress_epoch, epochs, host, pid, started_at FROM runs "
      "WHERE status = 'running' ORDER BY sweep_id, started_at, run_id");
  while (running.executeStep()) {
    const auto it = index.find(running.getColumn("sweep_id").getInt64());
    if (it == index.end()) continue;
    RunningRun run;
    run.runKey = running.getColumn("run_key").getString();
    run.epoch = optionalInt(running.getColumn("progress_epoch"));
    run.epochs = optionalInt(running.getColumn("epochs"));
    run.host = textOrEmpty(running.getColumn("host"));
    const SQLite::Column pid = running.getColumn("pid");
    run.pid = pid.isNull() ? 0 : static_cast<long>(pid.getInt64());
    run.startedAt = textOrEmpty(running.getColumn("started_at"));
    sweeps[it->second].running.push_back(std::move(run));
  }
}

// The finish rate of each sweep over the last `windowMinutes`, and the ETA
// of the runs it has still to train.
void readRates(SQLite::Database& db, double windowMinutes, const std::map<std::int64_t, std::size_t>& index,
               std::vector<SweepStatus>& sweeps) {
  // The rate's denominator is the window, or less when the first of these
  // runs started inside it: a sweep one minute old that finished 60 runs
  // runs at 60 a minute, not 6.
  SQLite::Statement recent(db,
                           "SELECT sweep_id, count(*) AS finished, "
                           "(julianday('now') - min(julianday(started_at))) * 1440.0 AS minutes FROM runs "
                           "WHERE status IN ('done', 'diverged', 'failed') AND finished_at IS NOT NULL "
                           "AND julianday(finished_at) >= julianday('now', :window) GROUP BY sweep_id");
  std::ostringstream window;
  window << '-' << windowMinutes << " minutes";  // "-10 minutes"
  recent.bind(":window", window.str());
  while (recent.executeStep()) {
    const auto it = index.find(recent.getColumn("sweep_id").getInt64());
    if (it == index.end()) continue;
    SweepStatus& sweep = sweeps[it->second];
    sweep.finishedRecently = static_cast<long>(recent.getColumn("finished").getInt64());
    const SQLite::Column minutesColumn = recent.getColumn("minutes");
    const double minutes = minutesColumn.isNull()
                               ? windowMinutes
                               : std::clamp(minutesColumn.getDouble(), 1.0 / 60, windowMinutes);
    sweep.runsPerMinute = sweep.finishedRecently / minutes;
    if (sweep.runsPerMinute > 0 && sweep.toTrain() > 0)
      sweep.etaSeconds = 60.0 * sweep.toTrain() / sweep.runsPerMinute;
  }
}

}  // namespace

std::vector<StatusCounts> statusCountsOf(SQLite::Database& db) {
  SQLite::Statement query(db, "SELECT s.sweep_id AS sweep_id, s.name AS name, " + countColumns() +
                                  " FROM sweeps s JOIN runs r ON r.sweep_id = s.sweep_id "
                                  "GROUP BY s.sweep_id ORDER BY s.sweep_id");
  std::vector<StatusCounts> all;
  while (query.executeStep()) {
    StatusCounts counts;
    counts.sweepId = query.getColumn("sweep_id").getInt64();
    counts.sweepName = query.getColumn("name").getString();
    readCounts(query, counts);
    all.push_back(counts);
  }
  return all;
}

StatusCounts statusCountsOfCountedKeys(SQLite::Database& db) {
  StatusCounts counts;
  SQLite::Statement query(
      db, "SELECT " + countColumns() + " FROM temp.counted_keys k JOIN runs r ON r.run_key = k.run_key");
  if (query.executeStep()) readCounts(query, counts);
  return counts;
}

std::vector<SweepStatus> sweepStatuses(SQLite::Database& db, double rateWindowMinutes) {
  std::vector<SweepStatus> sweeps;
  std::map<std::int64_t, std::size_t> index;
  for (const StatusCounts& counts : statusCountsOf(db)) {
    index[counts.sweepId] = sweeps.size();
    sweeps.push_back({counts, {}, 0, 0, std::nullopt});
  }
  readRunning(db, index, sweeps);
  readRates(db, rateWindowMinutes, index, sweeps);
  return sweeps;
}

}  // namespace actsweep::results
