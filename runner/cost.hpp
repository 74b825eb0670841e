#pragma once
// The compute a sweep needs: plan's cost table, and the estimate by which
// `run` claims the most expensive runs first and --shard balances shards.

#include <string>
#include <vector>

#include "runner/expand.hpp"

namespace actsweep::runner {

// The compute a sweep needs, per distinct network and data.
//   W = number of dense weights (sum over layers of inputs x outputs)
//   per epoch:  forward 2*W*n_train + backward 4*W*n_train + evaluation 2*W*(n_val + n_test)
//   per run:    epochs x per epoch + the initial evaluation (epoch 0) 2*W*(n_train + n_val + n_test)
// Biases, activations, norms and the probe diagnostics are left out: they are
// O(units), not O(weights), per sample.
struct NetworkCost {
  std::string network;  // "784 -> 128 -> 128 -> 10", with ", batch norm" / ", prelu" when they add parameters
  std::string data;     // "fashion-mnist 4500/500/10000" (train/validation/test samples)
  long runs = 0;
  long parameters = 0;  // everything trained: weights, biases, norm scales and shifts, prelu slopes
  long weights = 0;     // W
  double flopsPerEpoch = 0;
  double flops = 0;  // all the runs of this row together
};

struct CostEstimate {
  std::vector<NetworkCost> networks;  // in order of first use
  double flops = 0;                   // the whole sweep
};

// Loads each distinct data configuration once (data::loadDataset caches) to
// learn the input and output widths and the split sizes. Throws
// model::ConfigError or data::DataError when a run cannot be built.
CostEstimate estimateCost(const std::vector<RunConfig>& runs);
// One run's FLOPs as estimateCost counts them (no network is built): the
// runner's longest-first order and the shards' balance. Throws as above.
double estimatedFlops(const RunConfig& run);
// The same, 0 when its data cannot be loaded (the run will fail with the reason).
double estimatedFlopsOrZero(const RunConfig& run);

}  // namespace actsweep::runner
