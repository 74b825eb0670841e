// Store's writes of finished runs (results/store.hpp): finish().
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>

#include "results/store.hpp"
#include "results/store_impl.hpp"

namespace actsweep::results {

void StoreImpl::prepareWrites() {
  deleteEpochs_.emplace(db_, "DELETE FROM epochs WHERE run_id = :run_id");
  deleteLayers_.emplace(db_, "DELETE FROM layer_stats WHERE run_id = :run_id");
  insertEpoch_.emplace(
      db_,
      "INSERT INTO epochs (run_id, epoch, train_loss, train_acc, val_loss, val_acc, test_loss, "
      "test_acc, lr, seconds) VALUES (:run_id, :epoch, :train_loss, :train_acc, :val_loss, "
      ":val_acc, :test_loss, :test_acc, :lr, :seconds)");
  insertLayer_.emplace(
      db_,
      "INSERT INTO layer_stats (run_id, epoch, layer, dead_fraction, zero_fraction, act_mean, "
      "act_std, grad_norm, weight_norm, prelu_alpha) VALUES (:run_id, :epoch, :layer, "
      ":dead_fraction, :zero_fraction, :act_mean, :act_std, :grad_norm, :weight_norm, "
      ":prelu_alpha)");
  updateFinished_.emplace(
      db_,
      "UPDATE runs SET status = :status, error = :error, started_at = COALESCE(:started_at, started_at), "
      "finished_at = :finished_at, wall_seconds = :wall_seconds, final_train_loss = :final_train_loss, "
      "final_test_loss = :final_test_loss, final_test_acc = :final_test_acc, best_val_acc = :best_val_acc, "
      "dead_fraction = :dead_fraction, born_dead = :born_dead, diverged_epoch = :diverged_epoch, "
      "progress_epoch = :progress_epoch, lease_until = NULL WHERE run_id = :run_id");
}

namespace {

void insertEpoch(SQLite::Statement& epoch, std::int64_t runId, const model::EpochMetrics& metrics) {
  epoch.tryReset();
  epoch.bind(":run_id", runId);
  epoch.bind(":epoch", metrics.epoch);
  bindMeasured(epoch, ":train_loss", metrics.trainLoss);
  bindMeasured(epoch, ":train_acc", metrics.trainAccuracy);
  bindMeasured(epoch, ":val_loss", metrics.validationLoss);
  bindMeasured(epoch, ":val_acc", metrics.validationAccuracy);
  bindMeasured(epoch, ":test_loss", metrics.testLoss);
  bindMeasured(epoch, ":test_acc", metrics.testAccuracy);
  bindMeasured(epoch, ":lr", metrics.learningRate);
  bindMeasured(epoch, ":seconds", metrics.seconds);
  epoch.exec();
}

void insertLayer(SQLite::Statement& layer, std::int64_t runId, const model::LayerStats& stats) {
  layer.tryReset();
  layer.bind(":run_id", runId);
  layer.bind(":epoch", stats.epoch);
  layer.bind(":layer", stats.layer);
  bindMeasured(layer, ":dead_fraction", stats.deadFraction);
  bindMeasured(layer, ":zero_fraction", stats.zeroFraction);
  bindMeasured(layer, ":act_mean", stats.activationMean);
  bindMeasured(layer, ":act_std", stats.activationStd);
  bindMeasured(layer, ":grad_norm", stats.gradientNorm);
  bindMeasured(layer, ":weight_norm", stats.weightNorm);
  bindMeasured(layer, ":prelu_alpha", stats.preluSlope);
  layer.exec();
}

// The runs row of a finished run: its status and final metrics.
void updateFinished(SQLite::Statement& update, const RunRecord& record) {
  const auto& result = record.result;
  update.tryReset();
  update.bind(":status", statusName(record.status));
  bindTextOrNull(update, ":error", record.error);
  bindTextOrNull(update, ":started_at", record.startedAt);
  update.bind(":finished_at", record.finishedAt.empty() ? isoUtcNow() : record.finishedAt);
  update.bind(":wall_seconds", record.wallSeconds);
  bindMeasured(update, ":final_train_loss", result.final.trainLoss);
  bindMeasured(update, ":final_test_loss", result.final.testLoss);
  bindMeasured(update, ":final_test_acc", result.final.testAccuracy);
  bindMeasured(update, ":best_val_acc", result.bestValidationAccuracy);
  bindMeasured(update, ":dead_fraction", result.finalDeadFraction);
  update.bind(":born_dead", result.bornDead ? 1 : 0);
  if (result.divergedEpoch > 0)
    update.bind(":diverged_epoch", result.divergedEpoch);
  else
    update.bind(":diverged_epoch");
  update.bind(":progress_epoch", result.epochsCompleted);
  update.bind(":run_id", record.runId);
  update.exec();
}

}  // namespace

void StoreImpl::writeRecord(const RunRecord& record) {
  if (record.status == RunStatus::Pending || record.status == RunStatus::Running)
    throw std::invalid_argument(
        std::string("Store::finish: a record's status must be done, failed, diverged or "
                    "interrupted, not ") +
        statusName(record.status));
  // One transaction per run: its epochs, layers and final status land
  // together or not at all. IMMEDIATE takes the write lock up front, so
  // waiting for another writer goes through the busy timeout.
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);

  // A retried run replaces the rows of its earlier attempt.
  for (auto* deletion : {&*deleteLayers_, &*deleteEpochs_}) {
    deletion->tryReset();
    deletion->bind(":run_id", record.runId);
    deletion->exec();
  }
  for (const auto& metrics : record.epochs) insertEpoch(*insertEpoch_, record.runId, metrics);
  for (const auto& stats : record.layers) insertLayer(*insertLayer_, record.runId, stats);
  updateFinished(*updateFinished_, record);

  transaction.commit();
}

void Store::finish(const std::vector<RunRecord>& records) {
  impl_->guarded("cannot write finished runs", [&] {
    for (const auto& record : records) impl_->writeRecord(record);
  });
}

}  // namespace actsweep::results
