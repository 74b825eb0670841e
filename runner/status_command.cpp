#include "runner/status_command.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "model/format.hpp"
#include "results/open.hpp"
#include "results/option_text.hpp"
#include "results/store.hpp"
#include "results/stored_json.hpp"
#include "runner/exit_codes.hpp"

namespace actsweep::runner {
namespace {

// The window of the finish rate: long enough to smooth over slow runs, short
// enough that the ETA follows a change of pace (another process joining).
constexpr double kRateWindowMinutes = 10;

struct RunningRun {
  std::string runKey;
  std::optional<int> epoch;  // progress_epoch: the last epoch reported, none before epoch 0 ends
  std::optional<int> epochs;
  std::string host;
  long pid = 0;
  std::string startedAt;
};

struct SweepStatus {
  results::StatusCounts counts;
  std::vector<RunningRun> running;
  long finishedRecently = 0;         // done, diverged or failed in the window
  double runsPerMinute = 0;          // finishedRecently over the part of the window the sweep was running
  std::optional<double> etaSeconds;  // the runs still to train at that rate

  long total() const {
    return counts.pending + counts.running + counts.done + counts.failed + counts.diverged +
           counts.interrupted;
  }
  long toTrain() const { return counts.pending + counts.running + counts.interrupted; }
};

std::string textOrEmpty(const SQLite::Column& column) {
  return column.isNull() ? std::string() : column.getString();
}

// Everything `status` shows, read through one read-only connection that
// never creates, converts or migrates anything (results/open.hpp).
std::vector<SweepStatus> readStatus(const std::string& path) {
  std::vector<SweepStatus> sweeps;
  std::map<std::int64_t, std::size_t> index;
  SQLite::Database db = results::openForReading(path);
  for (const results::StatusCounts& counts : results::statusCountsOf(db)) {
    index[counts.sweepId] = sweeps.size();
    sweeps.push_back({counts, {}, 0, 0, std::nullopt});
  }
  SQLite::Statement running(
      db,
      "SELECT sweep_id, run_key, progress_epoch, epochs, host, pid, started_at FROM runs "
      "WHERE status = 'running' ORDER BY sweep_id, started_at, run_id");
  while (running.executeStep()) {
    const auto it = index.find(running.getColumn(0).getInt64());
    if (it == index.end()) continue;
    RunningRun run;
    run.runKey = running.getColumn(1).getString();
    if (!running.getColumn(2).isNull()) run.epoch = running.getColumn(2).getInt();
    if (!running.getColumn(3).isNull()) run.epochs = running.getColumn(3).getInt();
    run.host = textOrEmpty(running.getColumn(4));
    run.pid = running.getColumn(5).isNull() ? 0 : static_cast<long>(running.getColumn(5).getInt64());
    run.startedAt = textOrEmpty(running.getColumn(6));
    sweeps[it->second].running.push_back(std::move(run));
  }
  // The rate's denominator is the window, or less when the first of these
  // runs started inside it: a sweep one minute old that finished 60 runs
  // runs at 60 a minute, not 6.
  SQLite::Statement recent(
      db,
      "SELECT sweep_id, count(*), (julianday('now') - min(julianday(started_at))) * 1440.0 FROM runs "
      "WHERE status IN ('done', 'diverged', 'failed') AND finished_at IS NOT NULL "
      "AND julianday(finished_at) >= julianday('now', ?) GROUP BY sweep_id");
  recent.bind(1, fmt::format("-{} minutes", kRateWindowMinutes));
  while (recent.executeStep()) {
    const auto it = index.find(recent.getColumn(0).getInt64());
    if (it == index.end()) continue;
    SweepStatus& sweep = sweeps[it->second];
    sweep.finishedRecently = static_cast<long>(recent.getColumn(1).getInt64());
    const double minutes = recent.getColumn(2).isNull()
                               ? kRateWindowMinutes
                               : std::clamp(recent.getColumn(2).getDouble(), 1.0 / 60, kRateWindowMinutes);
    sweep.runsPerMinute = sweep.finishedRecently / minutes;
    if (sweep.runsPerMinute > 0 && sweep.toTrain() > 0)
      sweep.etaSeconds = 60.0 * sweep.toTrain() / sweep.runsPerMinute;
  }
  return sweeps;
}

nlohmann::json optionalJson(const std::optional<int>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json statusJson(const std::string& path, const std::vector<SweepStatus>& sweeps) {
  nlohmann::json json = {{"database", path}, {"sweeps", nlohmann::json::array()}};
  for (const SweepStatus& sweep : sweeps) {
    const results::StatusCounts& c = sweep.counts;
    nlohmann::json running = nlohmann::json::array();
    for (const RunningRun& run : sweep.running)
      running.push_back({{"run_key", run.runKey},
                         {"progress_epoch", optionalJson(run.epoch)},
                         {"epochs", optionalJson(run.epochs)},
                         {"host", run.host},
                         {"pid", run.pid},
                         {"started_at", run.startedAt}});
    json["sweeps"].push_back(
        {{"sweep_id", c.sweepId},
         {"name", c.sweepName},
         {"runs", sweep.total()},
         {"pending", c.pending},
         {"running", c.running},
         {"done", c.done},
         {"failed", c.failed},
         {"diverged", c.diverged},
         {"interrupted", c.interrupted},
         {"in_flight", running},
         {"finished_last_10_min", sweep.finishedRecently},
         {"runs_per_minute", sweep.runsPerMinute},
         {"eta_seconds", sweep.etaSeconds ? nlohmann::json(*sweep.etaSeconds) : nlohmann::json(nullptr)}});
  }
  return json;
}

void printStatus(const std::string& path, const std::vector<SweepStatus>& sweeps, std::ostream& out) {
  if (sweeps.empty()) {
    fmt::print(out, "{}: no runs yet\n", path);
    return;
  }
  for (const SweepStatus& sweep : sweeps) {
    const results::StatusCounts& c = sweep.counts;
    fmt::print(out,
               "sweep {} '{}' in {}: {} runs: {} done, {} running, {} pending, {} failed, {} diverged, "
               "{} interrupted\n",
               c.sweepId, results::terminalText(c.sweepName), path, sweep.total(), c.done, c.running,
               c.pending, c.failed, c.diverged, c.interrupted);
    fmt::print(out, "  last {:g} min: {} finished, {:.1f} runs/min{}\n", kRateWindowMinutes,
               sweep.finishedRecently, sweep.runsPerMinute,
               sweep.etaSeconds ? ", ETA " + model::durationText(*sweep.etaSeconds) : "");
    for (const RunningRun& run : sweep.running)
      fmt::print(out, "  running {}: epoch {} of {}, on {} pid {}, since {}\n", run.runKey,
                 run.epoch ? std::to_string(*run.epoch) : "-", run.epochs ? std::to_string(*run.epochs) : "?",
                 run.host.empty() ? "?" : run.host, run.pid, run.startedAt);
  }
}

}  // namespace

void addStatusOptions(CLI::App& command, StatusArguments& a) {
  command.add_option("db", a.database, "the results database, or a directory: every *.db in it")->required();
  command.add_flag("--json", a.json, "one JSON object: {\"database\", \"sweeps\": [...]}");
}

namespace {

// readStatus, or the reason on err and nothing.
std::optional<std::vector<SweepStatus>> tryReadStatus(const std::string& path, std::ostream& err) {
  try {
    return readStatus(path);
  } catch (const results::StoreError& e) {
    fmt::print(err, "actsweep status: {}\n", e.what());
  } catch (const SQLite::Exception& e) {
    fmt::print(err, "actsweep status: {}: {}\n", path, e.what());
  }
  return std::nullopt;
}

// `status DIR`: every *.db in it (the shards of a sweep, say), in name
// order, one block each, then the runs of all of them by status. 2 when a
// file cannot be read (the others are still reported) or there is none.
int runStatusOfDirectory(const StatusArguments& arguments, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(arguments.database))
    if (entry.is_regular_file() && entry.path().extension() == ".db") paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    fmt::print(err, "actsweep status: {}: no *.db files in this directory\n", arguments.database);
    return kExitBadInput;
  }
  bool unreadable = false;
  results::StatusCounts total;
  long runs = 0;
  nlohmann::json databases = nlohmann::json::array();
  for (const std::string& path : paths) {
    const auto sweeps = tryReadStatus(path, err);
    if (!sweeps) {
      unreadable = true;
      continue;
    }
    for (const SweepStatus& sweep : *sweeps) {
      const results::StatusCounts& c = sweep.counts;
      total.pending += c.pending;
      total.running += c.running;
      total.done += c.done;
      total.failed += c.failed;
      total.diverged += c.diverged;
      total.interrupted += c.interrupted;
      runs += sweep.total();
    }
    if (arguments.json)
      databases.push_back(statusJson(path, *sweeps));
    else
      printStatus(path, *sweeps, out);
  }
  if (arguments.json) {
    out << results::jsonText(nlohmann::json{{"directory", arguments.database},
                                            {"databases", databases},
                                            {"total",
                                             {{"runs", runs},
                                              {"pending", total.pending},
                                              {"running", total.running},
                                              {"done", total.done},
                                              {"failed", total.failed},
                                              {"diverged", total.diverged},
                                              {"interrupted", total.interrupted}}}})
        << '\n';
  } else {
    fmt::print(
        out,
        "total of {} databases in {}: {} runs: {} done, {} running, {} pending, {} failed, {} diverged, "
        "{} interrupted\n",
        paths.size(), arguments.database, runs, total.done, total.running, total.pending, total.failed,
        total.diverged, total.interrupted);
  }
  return unreadable ? kExitBadInput : kExitOk;
}

}  // namespace

int runStatus(const StatusArguments& arguments, std::ostream& out, std::ostream& err) {
  if (std::filesystem::is_directory(arguments.database)) return runStatusOfDirectory(arguments, out, err);
  // Said here for a missing file, with the command that creates one.
  if (!std::filesystem::is_regular_file(arguments.database)) {
    fmt::print(err, "actsweep status: {}: no such database (`actsweep run SPEC` creates it)\n",
               arguments.database);
    return kExitBadInput;
  }
  const auto sweeps = tryReadStatus(arguments.database, err);
  if (!sweeps) return kExitBadInput;
  if (arguments.json) {
    out << results::jsonText(statusJson(arguments.database, *sweeps)) << '\n';
  } else {
    printStatus(arguments.database, *sweeps, out);
  }
  return kExitOk;
}

}  // namespace actsweep::runner
