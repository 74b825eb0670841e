#pragma once
// The worker side of `run` (runner/sweep_runner.hpp): a worker thread trains
// one claimed run and posts its record, and per-epoch progress, to the
// mailbox that the coordinating thread (the only one that touches SQLite) reads.

#include <oneapi/tbb/concurrent_queue.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "results/store.hpp"
#include "runner/expand.hpp"

namespace actsweep::runner {

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
                  Mailbox& mailbox);

}  // namespace actsweep::runner
