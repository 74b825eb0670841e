#pragma once
// `actsweep validate` and `actsweep plan`: what a sweep file would run,
// without running it.

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "runner/expand.hpp"

namespace actsweep::runner {

// What every command that reads a sweep file takes.
struct SpecArguments {
  std::string spec;                    // the sweep file
  std::vector<std::string> overrides;  // --set key=value, in order
  long maxRuns = kDefaultMaxRuns;      // --max-runs: refuse larger sweeps before building them
};

struct PlanArguments {
  SpecArguments sweep;
  bool json = false;  // one JSON object per run instead of the table
  bool all = false;   // every run in the table, not only the first kPlanRows
};

inline constexpr long kPlanRows = 50;

void addSpecOptions(CLI::App& command, SpecArguments& arguments);  // SPEC, --set, --max-runs
void addPlanOptions(CLI::App& command, PlanArguments& arguments);

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

// `validate`: "SPEC: ok: N runs (P points, C collapsed)" and 0, or one line per
// run whose configuration does not build on err and 2. Spec errors are thrown
// (SpecErrors, SweepTooLarge) for the command line to print.
int runValidate(const SpecArguments& arguments, std::ostream& out, std::ostream& err);

// `plan`: the table of runs, the counts per swept value and the cost estimate;
// with --json one JSON object per run and nothing else. Runs that do not build
// are reported on err as by validate, and give 2.
int runPlan(const PlanArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
