#include "runner/sweep_worker.hpp"

#include <exception>

#include "model/data/dataset.hpp"
#include "model/trainer.hpp"
#include "runner/settings.hpp"

namespace actsweep::runner {
namespace {

using Clock = std::chrono::steady_clock;
using results::RunStatus;

RunStatus statusOf(model::Outcome outcome) {
  switch (outcome) {
    case model::Outcome::Completed:
      return RunStatus::Done;
    case model::Outcome::Diverged:
      return RunStatus::Diverged;
    case model::Outcome::Interrupted:
      return RunStatus::Interrupted;
  }
  return RunStatus::Done;
}

}  // namespace

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
    record.status = statusOf(record.result.outcome);
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

}  // namespace actsweep::runner
