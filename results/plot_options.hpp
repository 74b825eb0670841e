#pragma once
// What results/plots.hpp draws (its own header, so that the parts of plots
// take it without including plots.hpp).

#include <optional>
#include <string>
#include <vector>

namespace actsweep::results {

struct PlotOptions {
  // Grouping columns of `runs`: sweep_id or a setting (activation, alpha,
  // init, norm, depth, width, dataset, optimizer, lr, batch_size, epochs),
  // or config keys of settings without a column (data.raw_pixels).
  // Empty: every setting with more than one distinct value (NULL counts as a
  // value) among the selected runs. Runs of a group differ only in the other
  // columns, usually the seed: the plots show their mean and spread.
  std::vector<std::string> by;
  // A final metric of `runs`, one of those `report --metric` takes
  // (results::reportMetrics()): the heatmap's and the vs-plot's quantity.
  // born_dead is 0 or 1 per run, so its mean is the fraction born dead.
  std::string metric = "final_test_acc";
  // `report --where` filters ("column OP value", ANDed): plots draw the same
  // runs as the tables.
  std::vector<std::string> where;
  // The layer_stats column of the layer profile (layerMetrics()).
  std::string layerMetric = "dead_fraction";
  // The layer profile's epoch: 0 is the initial network; nullopt: each run's
  // last epoch.
  std::optional<int> layerEpoch;
  // The epochs column of the learning curves (curveMetrics()).
  std::string curve = "test_acc";
  // Also draw diverged runs, not only done ones: their epochs before the
  // divergence and their layers (the initial network of a run that blew up).
  // Their final metrics, those of the last epoch before it, count too.
  bool withDiverged = false;
};

}  // namespace actsweep::results
