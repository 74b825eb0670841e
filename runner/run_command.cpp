#include "runner/run_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <thread>

#include "runner/build_check.hpp"
#include "runner/cost.hpp"
#include "runner/exit_codes.hpp"
#include "runner/shard.hpp"
#include "runner/signals.hpp"
#include "runner/sweep_runner.hpp"

namespace actsweep::runner {
namespace {

// --db, else the shard's default, else results/<sweep name>.db.
std::string databaseOf(const RunArguments& arguments, const SweepSpec& spec,
                       const std::optional<Shard>& shard) {
  if (!arguments.database.empty()) return arguments.database;
  return shard ? shardDatabase(spec.name, *shard) : "results/" + spec.name + ".db";
}

// The database's folder, created if missing; false (with the message on err) when it cannot be.
bool createFolderOf(const std::string& database, std::ostream& err) {
  const auto folder = std::filesystem::path(database).parent_path();
  if (folder.empty()) return true;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (!error) return true;
  fmt::print(err, "actsweep run: --db {}: cannot create the directory {}: {}\n", database, folder.string(),
             error.message());
  return false;
}

}  // namespace

void addRunOptions(CLI::App& command, RunArguments& a) {
  addSpecOptions(command, a.sweep);
  command.add_option("--db", a.database, "results database (default: results/<sweep name>.db)");
  command
      .add_option("--jobs,-j", a.jobs,
                  "runs trained at once (default: SLURM_CPUS_PER_TASK, else the CPUs "
                  "this process may use)")
      ->check(CLI::PositiveNumber);
  command.add_flag("--retry-failed", a.retryFailed, "train runs that failed before again");
  command.add_flag("--fail-fast", a.failFast, "stop the sweep at the first failed run");
  command.add_flag("--quiet,-q", a.quiet, "no progress on stderr");
  command.add_option("--shard", a.shard,
                     "I/K: train only shard I of K (0 <= I < K), balanced by estimated cost; "
                     "default database results/<sweep name>.shard-I-of-K.db");
}

int defaultJobs() {
  if (const char* slurm = std::getenv("SLURM_CPUS_PER_TASK")) {
    const int cpus = std::atoi(slurm);
    if (cpus > 0) return cpus;
  }
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return std::max(1, CPU_COUNT(&cpus));
  return std::max(1u, std::thread::hardware_concurrency());
}

int runSweep(const RunArguments& arguments, std::ostream& out, std::ostream& err) {
  return runSweep(arguments, out, err, installStopHandlers());
}

int runSweep(const RunArguments& arguments, std::ostream& out, std::ostream& err,
             const std::atomic<bool>& signalStop) {
  std::optional<Shard> shard;
  if (!arguments.shard.empty()) shard = parseShard(arguments.shard);
  const SweepSpec spec = parseSpec(arguments.sweep.spec, arguments.sweep.overrides);
  Expansion expansion = expand(spec, arguments.sweep.maxRuns);
  printWarnings(expansion, err);
  if (reportBrokenRuns(arguments.sweep.spec, expansion, err) > 0) return kExitBadInput;
  // A stop asked for while the sweep file was read: nothing is stored yet.
  if (signalStop.load()) {
    fmt::print(err, "actsweep run: stopped before the first run; nothing was written\n");
    return kExitInterrupted;
  }

  SweepJob job;
  job.runs = std::move(expansion.runs);
  // Each run's estimated cost: the claim order, and the balance of shards.
  job.costs.reserve(job.runs.size());
  for (const RunConfig& run : job.runs) job.costs.push_back(estimatedFlopsOrZero(run));
  if (shard) {
    keepShard(*shard, job.runs, job.costs);
    job.shardText = fmt::format(" (shard {}/{})", shard->index, shard->count);
  }
  job.database = databaseOf(arguments, spec, shard);
  if (!createFolderOf(job.database, err)) return kExitBadInput;
  job.jobs = arguments.jobs > 0 ? arguments.jobs : defaultJobs();
  job.retryFailed = arguments.retryFailed;
  job.failFast = arguments.failFast;
  job.quiet = arguments.quiet;
  return trainSweep(spec, job, out, err, signalStop);
}

}  // namespace actsweep::runner
