#include "runner/sweep_runner.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <unordered_map>

#include "results/store.hpp"
#include "runner/exit_codes.hpp"
#include "runner/sweep_progress.hpp"
#include "runner/sweep_worker.hpp"

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
// Epoch progress is only for `status`: one write per second is plenty.
constexpr auto kProgressEvery = std::chrono::seconds(1);

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string joinedOverrides(const std::vector<std::string>& overrides) {
  std::string text;
  for (const std::string& o : overrides) text += "\n--set " + o;
  return text;
}

// Records the sweep and adds its runs as pending (runs already in the
// database keep their rows); returns the runs' keys, in the job's order.
std::vector<std::string> recordRuns(results::Store& store, const SweepSpec& spec, const SweepJob& job,
                                    const std::string& host) {
  const std::int64_t sweepId =
      store.recordSweep({spec.name, spec.text, runKeyOf(spec.text + joinedOverrides(spec.overrides)),
                         nlohmann::json(spec.overrides).dump(), host, ACTSWEEP_VERSION, ACTSWEEP_GIT_REV});
  std::vector<results::RunToAdd> toAdd;
  std::vector<std::string> keys;
  toAdd.reserve(job.runs.size());
  for (std::size_t i = 0; i < job.runs.size(); ++i) {
    const RunConfig& run = job.runs[i];
    toAdd.push_back({run.runKey, nlohmann::json::parse(run.canonicalJson), job.costs[i]});
    keys.push_back(run.runKey);
  }
  store.addRuns(sweepId, toAdd);
  return keys;
}

// The coordinating thread of one sweep, the only one that touches the store.
// run() reads as a story:
//   announce -> until nothing is left to claim, or a stop: take in the
//   finished runs -> claim runs for the free slots -> write progress, renew
//   the leases, redraw the progress line -> wait for news;
//   then join the workers and print the summary.
class SweepRunner {
 public:
  SweepRunner(const SweepSpec& spec, const SweepJob& job, results::Store& store,
              std::vector<std::string> keys, const std::string& host, std::ostream& out, std::ostream& err)
      : spec_(spec),
        job_(job),
        store_(store),
        out_(out),
        keys_(std::move(keys)),
        before_(store.countsFor(keys_)),
        printer_(spec.name, err, job.quiet),
        parallelism_(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(job.jobs) + 1),
        arena_(job.jobs, 0),
        owner_{host, static_cast<long>(getpid()), kLeaseSeconds} {
    for (const RunConfig& run : job.runs) runByKey_.emplace(run.runKey, &run);
    tally_.total = static_cast<long>(keys_.size());
    tally_.done = before_.done;
    tally_.diverged = before_.diverged;
    tally_.failed = job.retryFailed ? 0 : before_.failed;  // retried ones count again when they end
  }

  int run(const std::atomic<bool>& signalStop) {
    announce();
    // Claims choose from the whole sweep, less the runs that failed here when
    // --retry-failed would otherwise hand them out again and again. Done and
    // diverged runs are never claimable.
    store_.setClaimableKeys(keys_);
    try {
      coordinate(signalStop);
    } catch (...) {
      // The store failed: the workers hold references to this object, so stop
      // them and wait before unwinding. Their claims expire with the lease.
      stop_ = true;
      joinWorkers();
      printer_.endLine();
      throw;
    }
    joinWorkers();  // every task has posted; this only joins them
    printer_.update(tally_, 0, true);
    printer_.endLine();
    return summarize();
  }

 private:
  void announce() {
    if (job_.quiet) return;
    printer_.message(fmt::format("{}: {} runs{}, {} done before; {} job{}; results in {}", spec_.name,
                                 tally_.total, job_.shardText, before_.done + before_.diverged, job_.jobs,
                                 job_.jobs == 1 ? "" : "s", job_.database));
  }

  void coordinate(const std::atomic<bool>& signalStop) {
    for (;;) {
      if (signalStop.load() && !interrupted_) stopOnSignal();
      drainFinished();
      claimMore();
      if (inFlight_ == 0 && (exhausted_ || stop_)) return;
      writeProgress();
      if (Clock::now() - lastRenew_ >= kRenewEvery) {
        store_.renewLeases(owner_);
        lastRenew_ = Clock::now();
      }
      printer_.update(tally_, inFlight_);
      mailbox_.waitForNews(kPollEvery);
    }
  }

  void stopOnSignal() {
    interrupted_ = true;
    stop_ = true;
    printer_.message(
        fmt::format("{}: stopping: the running runs end after their current batch "
                    "(a second Ctrl-C quits at once)",
                    spec_.name));
  }

  // The records the workers posted, written in one transaction; the runs
  // whose stop came before they started go back to pending.
  void drainFinished() {
    std::vector<results::RunRecord> records;
    std::vector<std::int64_t> unstarted;
    for (Finished item; mailbox_.finished.try_pop(item);) {
      --inFlight_;
      latestEpoch_.erase(item.record.runId);
      if (!item.started) {
        unstarted.push_back(item.record.runId);
        continue;
      }
      count(item);
      records.push_back(std::move(item.record));
    }
    if (!records.empty()) store_.finish(records);
    if (!unstarted.empty()) store_.release(unstarted);
  }

  // A run that ended here, in the tally; a failure is a message, and with
  // --fail-fast the stop of the sweep.
  void count(const Finished& item) {
    switch (item.record.status) {
      case RunStatus::Done:
        ++tally_.done;
        break;
      case RunStatus::Diverged:
        ++tally_.diverged;
        break;
      case RunStatus::Failed:
        ++tally_.failed;
        if (job_.retryFailed) store_.removeClaimableKey(item.runKey);
        printer_.message(fmt::format("{}: run {} failed: {}", spec_.name, item.runKey, item.record.error));
        if (job_.failFast) {
          failedFast_ = true;
          stop_ = true;
        }
        break;
      default:
        break;
    }
    if (item.record.status != RunStatus::Interrupted) ++tally_.finishedHere;
  }

  void claimMore() {
    const int freeSlots = job_.jobs - static_cast<int>(inFlight_);
    if (freeSlots <= 0 || exhausted_ || stop_) return;
    std::vector<results::ClaimedRun> claimed = store_.claim(freeSlots, owner_, job_.retryFailed);
    if (static_cast<int>(claimed.size()) < freeSlots) exhausted_ = true;
    for (results::ClaimedRun& run : claimed) {
      const RunConfig& config = *runByKey_.at(run.runKey);
      ++inFlight_;
      arena_.enqueue(group_.defer([run = std::move(run), &config, &stop = stop_, &mailbox = mailbox_] {
        mailbox.post(trainRun(run, config, stop, mailbox));
      }));
    }
  }

  // The latest epoch of each running run, written at most every kProgressEvery.
  void writeProgress() {
    for (Progress p; mailbox_.progress.try_pop(p);) {
      int& epoch = latestEpoch_[p.runId];
      epoch = std::max(epoch, p.epoch);
    }
    if (Clock::now() - lastProgressWrite_ < kProgressEvery) return;
    lastProgressWrite_ = Clock::now();
    for (const auto& [runId, epoch] : latestEpoch_) store_.setProgress(runId, epoch);
    latestEpoch_.clear();
  }

  void joinWorkers() {
    arena_.execute([&] { group_.wait(); });
  }

  int summarize() {
    const results::StatusCounts counts = store_.countsFor(keys_);
    const double seconds = printer_.elapsedSeconds();
    fmt::print(out_,
               "{}: {} done, {} failed, {} diverged, {} interrupted of {} runs in {:.1f} s ({:.2f} runs/s); "
               "results in {}\n",
               spec_.name, counts.done, counts.failed, counts.diverged, counts.interrupted, keys_.size(),
               seconds, seconds > 0 ? tally_.finishedHere / seconds : 0.0, job_.database);
    if (interrupted_) return kExitInterrupted;
    if (counts.failed > 0 || failedFast_) return kExitRunsFailed;
    return kExitOk;
  }

  const SweepSpec& spec_;
  const SweepJob& job_;
  results::Store& store_;
  std::ostream& out_;
  const std::vector<std::string> keys_;  // of job_.runs, in order
  const results::StatusCounts before_;   // the store's counts before this process trained
  std::unordered_map<std::string, const RunConfig*> runByKey_;
  Tally tally_;
  ProgressPrinter printer_;
  // TBB's pool has hardware_concurrency - 1 workers by default: too few for
  // --jobs above that (and for --jobs 2 on two CPUs). No slot is reserved for
  // this thread: it coordinates and never trains, so all `jobs` slots go to
  // workers, and enqueue() does not need it to join the arena.
  tbb::global_control parallelism_;
  tbb::task_arena arena_;
  tbb::task_group group_;
  Mailbox mailbox_;
  // What the workers poll: set on a signal or, with --fail-fast, a failure.
  std::atomic<bool> stop_{false};
  const results::Owner owner_;
  bool exhausted_ = false;  // the store had nothing more to give
  bool interrupted_ = false, failedFast_ = false;
  long inFlight_ = 0;
  std::map<std::int64_t, int> latestEpoch_;  // progress not yet written
  Clock::time_point lastRenew_ = Clock::now(), lastProgressWrite_ = Clock::now();
};

}  // namespace

int trainSweep(const SweepSpec& spec, const SweepJob& job, std::ostream& out, std::ostream& err,
               const std::atomic<bool>& stop) {
  results::Store store(job.database);
  const std::string host = hostName();
  SweepRunner runner(spec, job, store, recordRuns(store, spec, job, host), host, out, err);
  return runner.run(stop);
}

}  // namespace actsweep::runner
