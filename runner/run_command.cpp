#include "runner/run_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <thread>
#include <unordered_map>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "model/format.hpp"
#include "model/trainer.hpp"
#include "results/store.hpp"
#include "runner/exit_codes.hpp"
#include "runner/shard.hpp"
#include "runner/signals.hpp"

#ifndef ACTSWEEP_GIT_REV
#define ACTSWEEP_GIT_REV "unknown"
#endif

namespace actsweep::runner {
namespace {

using Clock = std::chrono::steady_clock;
using results::RunStatus;

// A claim lasts this long unless renewed; renewed every kRenewEvery, so a
// process that is alive never loses its runs, and one killed with -9 holds
// them at most a minute (less on this host: the store checks the pid).
constexpr double kLeaseSeconds = 60;
constexpr auto kRenewEvery = std::chrono::seconds(10);
// How often the coordinating thread wakes without news: to notice a signal,
// and to redraw the live progress line.
constexpr auto kPollEvery = std::chrono::milliseconds(100);
constexpr auto kLiveLineEvery = std::chrono::milliseconds(500);
constexpr auto kLogLineEvery = std::chrono::seconds(10);
// Epoch progress is only for `status`: one write per second is plenty.
constexpr auto kProgressEvery = std::chrono::seconds(1);

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// What a worker hands back to the coordinating thread.
struct Finished {
  bool started = true;  // false: the stop came before training began; the claim is released
  std::string runKey;   // for messages
  results::RunRecord record;
};

struct Progress {
  std::int64_t runId = 0;
  int epoch = 0;
};

// The mailbox between the workers and the coordinating thread. The queues are
// lock-free; the mutex and condition variable only wake the coordinator, so
// that a sweep of millisecond runs does not wait a poll interval per run.
struct Mailbox {
  tbb::concurrent_queue<Finished> finished;
  tbb::concurrent_queue<Progress> progress;
  std::mutex mutex;
  std::condition_variable wake;
  bool news = false;

  void post(Finished&& item) {
    finished.push(std::move(item));
    {
      std::lock_guard lock(mutex);
      news = true;
    }
    wake.notify_one();
  }

  void waitForNews(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    wake.wait_for(lock, timeout, [&] { return news; });
    news = false;
  }
};

// One run on a worker thread: build, train with the stop flag, collect every
// epoch's metrics and layer statistics. Never throws: an exception is the
// run's failure, and the sweep goes on.
Finished trainRun(const results::ClaimedRun& claimed, const RunConfig& run, const std::atomic<bool>& stop,
                  Mailbox& mailbox) {
  Finished finished;
  finished.runKey = claimed.runKey;
  results::RunRecord& record = finished.record;
  record.runId = claimed.runId;
  if (stop.load()) {
    finished.started = false;
    return finished;
  }
  record.startedAt = results::isoUtcNow();
  const auto start = Clock::now();
  try {
    const TrainJob job = toTrainJob(run.settings, run.seed);
    const auto data = data::loadDataset(job.data);  // shared: loaded once per process
    record.result = model::train(
        job.network, job.train, *data,
        [&](const model::EpochMetrics& metrics, const std::vector<model::LayerStats>& layers) {
          record.epochs.push_back(metrics);
          record.layers.insert(record.layers.end(), layers.begin(), layers.end());
          mailbox.progress.push({claimed.runId, metrics.epoch});
        },
        &stop);
    switch (record.result.outcome) {
      case model::Outcome::Completed:
        record.status = RunStatus::Done;
        break;
      case model::Outcome::Diverged:
        record.status = RunStatus::Diverged;
        break;
      case model::Outcome::Interrupted:
        record.status = RunStatus::Interrupted;
        break;
    }
  } catch (const std::exception& e) {
    record.status = RunStatus::Failed;
    record.error = e.what();
  } catch (...) {
    record.status = RunStatus::Failed;
    record.error = "unknown exception";
  }
  record.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  record.finishedAt = results::isoUtcNow();
  return finished;
}

// Counts for the progress line: the store's at the start, plus what this
// process finished since.
struct Tally {
  long total = 0;
  long done = 0, failed = 0, diverged = 0;
  long finishedHere = 0;  // runs this process trained to an end (any status but interrupted)
};

class ProgressPrinter {
 public:
  ProgressPrinter(std::string sweep, std::ostream& err, bool quiet)
      : sweep_(std::move(sweep)),
        err_(err),
        quiet_(quiet),
        live_(!quiet && &err == &std::cerr && isatty(STDERR_FILENO) == 1),
        start_(Clock::now()),
        lastPrint_(start_) {}

  // Redraws the live line, or logs a line every kLogLineEvery; `force` for the last one.
  void update(const Tally& tally, long running, bool force = false) {
    if (quiet_) return;
    const auto now = Clock::now();
    if (!force &&
        now - lastPrint_ < (live_ ? Clock::duration(kLiveLineEvery) : Clock::duration(kLogLineEvery)))
      return;
    lastPrint_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double perMinute = elapsed > 0 ? 60.0 * tally.finishedHere / elapsed : 0.0;
    const long remaining = tally.total - tally.done - tally.diverged - tally.failed;
    const std::string eta =
        perMinute > 0 && remaining > 0 ? ", ETA " + model::durationText(60.0 * remaining / perMinute) : "";
    const std::string line =
        fmt::format("{}: {}/{} done, {} running, {} failed, {} diverged, {:.1f} runs/min{}", sweep_,
                    tally.done, tally.total, running, tally.failed, tally.diverged, perMinute, eta);
    if (live_) {
      // \r and clear to the end of the line: the line may have become shorter.
      err_ << '\r' << line << "\x1b[K" << std::flush;
      lineShown_ = true;
    } else if (!force) {
      err_ << line << '\n';
    }
  }

  // A message that must not be overwritten by the live line.
  void message(const std::string& text) {
    endLine();
    err_ << text << '\n';
  }

  void endLine() {
    if (lineShown_) err_ << '\n';
    lineShown_ = false;
  }

  double elapsedSeconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  std::string sweep_;
  std::ostream& err_;
  bool quiet_;
  bool live_;
  bool lineShown_ = false;
  Clock::time_point start_, lastPrint_;
};

// The runs whose configuration does not build: one line each on err, like
// `validate`; the sweep does not start (exit 2). Data that cannot be loaded
// (a missing CSV file) is not caught here: that run fails, the others train.
long reportBrokenRuns(const RunArguments& arguments, const Expansion& expansion, std::ostream& err) {
  long broken = 0;
  for (const RunConfig& run : expansion.runs) {
    try {
      toTrainJob(run.settings, run.seed);
    } catch (const std::exception& e) {
      if (++broken <= 20) fmt::print(err, "{}: run {}: {}\n", arguments.sweep.spec, run.runKey, e.what());
    }
  }
  if (broken > 20)
    fmt::print(err, "{}: ... and {} more runs whose configuration does not build\n", arguments.sweep.spec,
               broken - 20);
  return broken;
}

// FLOPs of one run as `plan` estimates them, for longest-first scheduling;
// 0 when its data cannot be loaded (the run will fail with the reason).
double flopsOrZero(const RunConfig& run) {
  try {
    return estimatedFlops(run);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string joinedOverrides(const std::vector<std::string>& overrides) {
  std::string text;
  for (const std::string& o : overrides) text += "\n--set " + o;
  return text;
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
  if (reportBrokenRuns(arguments, expansion, err) > 0) return kExitBadInput;
  // A stop asked for while the sweep file was read: nothing is stored yet.
  if (signalStop.load()) {
    fmt::print(err, "actsweep run: stopped before the first run; nothing was written\n");
    return kExitInterrupted;
  }

  // Each run's estimated cost: the claim order, and the balance of shards.
  std::vector<double> costs;
  costs.reserve(expansion.runs.size());
  for (const RunConfig& run : expansion.runs) costs.push_back(flopsOrZero(run));
  if (shard) {
    // Only this shard's runs enter its database: merged shards then hold
    // every run exactly once, and no pending rows of other shards.
    const std::vector<int> shardOf = assignShards(expansion.runs, costs, shard->count);
    std::vector<RunConfig> mine;
    std::vector<double> myCosts;
    for (std::size_t i = 0; i < expansion.runs.size(); ++i) {
      if (shardOf[i] != shard->index) continue;
      mine.push_back(std::move(expansion.runs[i]));
      myCosts.push_back(costs[i]);
    }
    expansion.runs = std::move(mine);
    costs = std::move(myCosts);
  }

  const std::string database = !arguments.database.empty() ? arguments.database
                               : shard                     ? shardDatabase(spec.name, *shard)
                                                           : "results/" + spec.name + ".db";
  if (const auto folder = std::filesystem::path(database).parent_path(); !folder.empty()) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
      fmt::print(err, "actsweep run: --db {}: cannot create the directory {}: {}\n", database,
                 folder.string(), error.message());
      return kExitBadInput;
    }
  }

  results::Store store(database);
  const std::string host = hostName();
  const std::int64_t sweepId =
      store.recordSweep({spec.name, spec.text, runKeyOf(spec.text + joinedOverrides(spec.overrides)),
                         nlohmann::json(spec.overrides).dump(), host, ACTSWEEP_VERSION, ACTSWEEP_GIT_REV});

  std::vector<results::RunToAdd> toAdd;
  std::vector<std::string> keys;
  std::unordered_map<std::string, const RunConfig*> runByKey;
  toAdd.reserve(expansion.runs.size());
  for (std::size_t i = 0; i < expansion.runs.size(); ++i) {
    const RunConfig& run = expansion.runs[i];
    toAdd.push_back({run.runKey, nlohmann::json::parse(run.canonicalJson), costs[i]});
    keys.push_back(run.runKey);
    runByKey.emplace(run.runKey, &run);
  }
  store.addRuns(sweepId, toAdd);
  toAdd.clear();

  const results::StatusCounts before = store.countsFor(keys);
  Tally tally;
  tally.total = static_cast<long>(keys.size());
  tally.done = before.done;
  tally.diverged = before.diverged;
  tally.failed = arguments.retryFailed ? 0 : before.failed;  // retried ones count again when they end

  const int jobs = arguments.jobs > 0 ? arguments.jobs : defaultJobs();
  ProgressPrinter printer(spec.name, err, arguments.quiet);
  if (!arguments.quiet)
    printer.message(fmt::format("{}: {} runs{}, {} done before; {} job{}; results in {}", spec.name,
                                tally.total,
                                shard ? fmt::format(" (shard {}/{})", shard->index, shard->count) : "",
                                before.done + before.diverged, jobs, jobs == 1 ? "" : "s", database));

  // TBB's pool has hardware_concurrency - 1 workers by default: too few for
  // --jobs above that (and for --jobs 2 on two CPUs). No slot is reserved for
  // this thread: it coordinates and never trains, so all `jobs` slots go to
  // workers, and enqueue() does not need it to join the arena.
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(jobs) + 1);
  tbb::task_arena arena(jobs, 0);
  tbb::task_group group;
  Mailbox mailbox;
  // What the workers poll: set on a signal or, with --fail-fast, a failure.
  std::atomic<bool> stop{false};

  const results::Owner owner{host, static_cast<long>(getpid()), kLeaseSeconds};
  // Claims choose from the whole sweep, less the runs that failed here when
  // --retry-failed would otherwise hand them out again and again. Done and
  // diverged runs are never claimable.
  store.setClaimableKeys(keys);
  bool exhausted = false;  // the store had nothing more to give
  bool interrupted = false, failedFast = false;
  long inFlight = 0;
  std::map<std::int64_t, int> latestEpoch;  // progress not yet written
  auto lastRenew = Clock::now(), lastProgressWrite = Clock::now();

  const auto drainFinished = [&] {
    std::vector<results::RunRecord> records;
    std::vector<std::int64_t> unstarted;
    for (Finished item; mailbox.finished.try_pop(item);) {
      --inFlight;
      latestEpoch.erase(item.record.runId);
      if (!item.started) {
        unstarted.push_back(item.record.runId);
        continue;
      }
      switch (item.record.status) {
        case RunStatus::Done:
          ++tally.done;
          break;
        case RunStatus::Diverged:
          ++tally.diverged;
          break;
        case RunStatus::Failed:
          ++tally.failed;
          if (arguments.retryFailed) store.removeClaimableKey(item.runKey);
          printer.message(fmt::format("{}: run {} failed: {}", spec.name, item.runKey, item.record.error));
          if (arguments.failFast) {
            failedFast = true;
            stop = true;
          }
          break;
        default:
          break;
      }
      if (item.record.status != RunStatus::Interrupted) ++tally.finishedHere;
      records.push_back(std::move(item.record));
    }
    if (!records.empty()) store.finish(records);
    if (!unstarted.empty()) store.release(unstarted);
  };

  const auto claimMore = [&] {
    const int freeSlots = jobs - static_cast<int>(inFlight);
    if (freeSlots <= 0 || exhausted || stop) return;
    std::vector<results::ClaimedRun> claimed = store.claim(freeSlots, owner, arguments.retryFailed);
    if (static_cast<int>(claimed.size()) < freeSlots) exhausted = true;
    for (results::ClaimedRun& run : claimed) {
      const RunConfig& config = *runByKey.at(run.runKey);
      ++inFlight;
      arena.enqueue(group.defer([run = std::move(run), &config, &stop, &mailbox] {
        mailbox.post(trainRun(run, config, stop, mailbox));
      }));
    }
  };

  const auto writeProgress = [&] {
    for (Progress p; mailbox.progress.try_pop(p);) {
      int& epoch = latestEpoch[p.runId];
      epoch = std::max(epoch, p.epoch);
    }
    if (Clock::now() - lastProgressWrite < kProgressEvery) return;
    lastProgressWrite = Clock::now();
    for (const auto& [runId, epoch] : latestEpoch) store.setProgress(runId, epoch);
    latestEpoch.clear();
  };

  try {
    for (;;) {
      if (signalStop.load() && !interrupted) {
        interrupted = true;
        stop = true;
        printer.message(
            fmt::format("{}: stopping: the running runs end after their current batch "
                        "(a second Ctrl-C quits at once)",
                        spec.name));
      }
      drainFinished();
      claimMore();
      if (inFlight == 0 && (exhausted || stop)) break;
      writeProgress();
      if (Clock::now() - lastRenew >= kRenewEvery) {
        store.renewLeases(owner);
        lastRenew = Clock::now();
      }
      printer.update(tally, inFlight);
      mailbox.waitForNews(kPollEvery);
    }
  } catch (...) {
    // The store failed: the workers hold references to this frame, so stop
    // them and wait before unwinding. Their claims expire with the lease.
    stop = true;
    arena.execute([&] { group.wait(); });
    printer.endLine();
    throw;
  }
  arena.execute([&] { group.wait(); });  // every task has posted; this only joins them
  printer.update(tally, 0, true);
  printer.endLine();

  const results::StatusCounts counts = store.countsFor(keys);
  const double seconds = printer.elapsedSeconds();
  fmt::print(out,
             "{}: {} done, {} failed, {} diverged, {} interrupted of {} runs in {:.1f} s ({:.2f} runs/s); "
             "results in {}\n",
             spec.name, counts.done, counts.failed, counts.diverged, counts.interrupted, keys.size(), seconds,
             seconds > 0 ? tally.finishedHere / seconds : 0.0, database);
  if (interrupted) return kExitInterrupted;
  if (counts.failed > 0 || failedFast) return kExitRunsFailed;
  return kExitOk;
}

}  // namespace actsweep::runner
