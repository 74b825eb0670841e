#pragma once
// Plots of a results database, drawn by gnuplot: learning curves, a per-layer
// profile (dead fraction, activation std, ...), a heatmap of a final metric
// over two settings, and a final metric against a numeric setting.
//
// The data are read (read-only) and aggregated over seeds here; gnuplot only
// draws. Each plot's data (.dat) and the script (plots.gp) stay in the output
// directory beside the SVG and PNG, so a plot can be restyled by editing the
// script and running `gnuplot plots.gp` there.

#include <optional>
#include <string>
#include <vector>

#include "results/plot_options.hpp"

namespace actsweep::results {

// The layer_stats columns a layer profile may show: dead_fraction,
// zero_fraction, act_mean, act_std, grad_norm, weight_norm, prelu_alpha.
const std::vector<std::string>& layerMetrics();
// The epochs columns learning curves may show: test_acc, test_loss,
// train_loss, train_acc, val_acc, val_loss.
const std::vector<std::string>& curveMetrics();
// "last" -> nullopt (each run's last epoch), "0", "12" -> that epoch. Throws
// std::invalid_argument (one line) for anything else.
std::optional<int> parseLayerEpoch(const std::string& text);

// Writes into `directory` (created if missing), from the runs whose status is
// `done` and that pass options.where:
//   learning_curves.{svg,png}: options.curve per epoch (an accuracy no run
//     measured falls back to the loss of the same split: regression), per
//     group: mean line, band of +-1 std;
//   <layerMetric>_by_layer.{svg,png}: options.layerMetric of each hidden layer
//     at options.layerEpoch, per group: mean over runs, bars +-1 std; a log y
//     axis for act_std, grad_norm and weight_norm when the means are positive
//     and span more than a factor of 100; no plot when nothing was measured;
//   heatmap.{svg,png}: mean of options.metric over the first two `by`
//     columns, when there are two or more and the metric was measured;
//   <metric>_vs_<by[0]>.{svg,png}: when the first `by` column is numeric
//     (alpha, lr, depth, width, batch_size, epochs): mean of options.metric
//     against its value, bars the 95% t confidence interval, one line per
//     combination of the other `by` columns; log x axis when the values are
//     positive and span a factor of 100 or more.
// Returns the image files written. Throws std::invalid_argument for an
// unknown column, metric, layer metric or curve, or a layer epoch beyond the
// selected runs' last; results::ReportError for a --where it cannot read;
// std::runtime_error when gnuplot is missing or fails, or the database has no
// done run (one-line messages).
std::vector<std::string> writePlots(const std::string& database, const PlotOptions& options,
                                    const std::string& directory);

// Whether a `gnuplot` executable is on PATH.
bool gnuplotAvailable();

}  // namespace actsweep::results
