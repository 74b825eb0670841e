#pragma once
// The training loop of one run. It reads as a story:
//   for each epoch: shuffle -> for each batch: forward -> loss -> zero grad ->
//   backward -> clip -> step; then evaluate (validation, test) and diagnose
//   the hidden layers on the probe set; report the epoch.
// Epoch 0 is the initial network, measured before any step.
//
// Everything random derives from TrainConfig::seed through separate streams
// (initialization, shuffling, dropout/rrelu noise), so the same configuration
// and seed give bit-identical metrics. The same seed gives the same initial
// weights to networks of the same shapes whatever their activation, so
// comparisons between activations are paired.

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "model/dataset.hpp"
#include "model/metrics.hpp"
#include "model/network.hpp"
#include "model/train_config.hpp"

namespace actsweep::model {

// Called after every epoch, epoch 0 included, with the epoch's metrics and one
// LayerStats per hidden layer.
using EpochCallback = std::function<void(const EpochMetrics&, const std::vector<LayerStats>&)>;

// Trains network (its inputs and outputs are taken from the dataset) on
// dataset. Cross-entropy for classification, mean squared error for
// regression. A NaN or Inf training loss ends the run with Outcome::Diverged;
// *stop becoming true ends it after the current batch with Outcome::Interrupted.
RunResult train(NetworkConfig network, const TrainConfig& config, const Dataset& dataset,
                const EpochCallback& onEpoch = {}, const std::atomic<bool>* stop = nullptr);

}  // namespace actsweep::model
