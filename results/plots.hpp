#pragma once
// Plots of a results database, drawn by gnuplot: learning curves, dead
// fraction by hidden layer, and a heatmap of a final metric over two settings.
//
// The data are read (read-only) and aggregated over seeds here; gnuplot only
// draws. Each plot's data (.dat) and the script (plots.gp) stay in the output
// directory beside the SVG and PNG, so a plot can be restyled by editing the
// script and running `gnuplot plots.gp` there.

#include <string>
#include <vector>

namespace actsweep::results {

struct PlotOptions {
  // Grouping columns of `runs` (activation, alpha, init, norm, depth, width,
  // dataset, optimizer, lr, batch_size, epochs). Empty: every one of them with
  // more than one distinct value (NULL counts as a value) among done runs.
  // Runs of a group differ only in the other columns, usually the seed: the
  // plots show their mean (and +-1 sample standard deviation).
  std::vector<std::string> by;
  // A final-metric column of `runs` for the heatmap: final_test_acc,
  // final_test_loss, final_train_loss, best_val_acc, dead_fraction or
  // wall_seconds.
  std::string metric = "final_test_acc";
};

// Writes into `directory` (created if missing), from the runs whose status is
// `done`:
//   learning_curves.{svg,png}: test accuracy per epoch (test loss when no run
//     measured accuracy: regression), per group: mean line, band of +-1 std;
//   dead_fraction_by_layer.{svg,png}: dead fraction of each hidden layer at
//     the last epoch, per group, mean over runs;
//   heatmap.{svg,png}: mean of options.metric over the first two `by`
//     columns, when there are two or more and the metric was measured.
// Returns the image files written. Throws std::invalid_argument for an
// unknown column or metric, std::runtime_error when gnuplot is missing or
// fails, or the database has no done run (one-line messages).
std::vector<std::string> writePlots(const std::string& database, const PlotOptions& options,
                                    const std::string& directory);

// Whether a `gnuplot` executable is on PATH.
bool gnuplotAvailable();

}  // namespace actsweep::results
