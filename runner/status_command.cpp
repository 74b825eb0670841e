#include "runner/status_command.hpp"

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "model/format.hpp"
#include "results/errors.hpp"
#include "results/open.hpp"
#include "results/option_text.hpp"
#include "results/status.hpp"
#include "results/stored_json.hpp"
#include "runner/exit_codes.hpp"

namespace actsweep::runner {
namespace {

// The window of the finish rate: long enough to smooth over slow runs, short
// enough that the ETA follows a change of pace (another process joining).
constexpr double kRateWindowMinutes = 10;

using results::RunningRun;
using results::SweepStatus;

// Everything `status` shows, read through one read-only connection that
// never creates, converts or migrates anything (results/open.hpp).
std::vector<SweepStatus> readStatus(const std::string& path) {
  SQLite::Database db = results::openForReading(path);
  return results::sweepStatuses(db, kRateWindowMinutes);
}

// The runs of each status as JSON fields: {"pending": 3, "running": 1, ...}.
void addCounts(nlohmann::json& json, const results::StatusCounts& counts) {
  for (const results::RunStatusEntry& entry : results::runStatuses()) json[entry.name] = counts.*entry.count;
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
    nlohmann::json entry = {
        {"sweep_id", c.sweepId},
        {"name", c.sweepName},
        {"runs", sweep.total()},
        {"in_flight", running},
        {"finished_last_10_min", sweep.finishedRecently},
        {"runs_per_minute", sweep.runsPerMinute},
        {"eta_seconds", sweep.etaSeconds ? nlohmann::json(*sweep.etaSeconds) : nlohmann::json(nullptr)}};
    addCounts(entry, c);
    json["sweeps"].push_back(std::move(entry));
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
      for (const results::RunStatusEntry& entry : results::runStatuses())
        total.*entry.count += sweep.counts.*entry.count;
      runs += sweep.total();
    }
    if (arguments.json)
      databases.push_back(statusJson(path, *sweeps));
    else
      printStatus(path, *sweeps, out);
  }
  if (arguments.json) {
    nlohmann::json totalJson = {{"runs", runs}};
    addCounts(totalJson, total);
    out << results::jsonText(nlohmann::json{
               {"directory", arguments.database}, {"databases", databases}, {"total", totalJson}})
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
