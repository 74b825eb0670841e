#pragma once
// The plots of a final metric (internal to results/plots.hpp): a heatmap over
// two settings, and the metric against a numeric setting. Each writes its
// .dat file into `directory` and returns the body of its gnuplot script, ""
// when there is nothing to draw.

#include <filesystem>
#include <string>

#include "results/plot_data.hpp"

namespace actsweep::results::plot {

// heatmap.dat: block 0 "x y mean runs" for every (by[0], by[1]) pair with a
// value, block 1 "x y" for the pairs of the grid no run has (grey cells).
std::string heatmap(const PlotData& data, const std::string& metric, const std::filesystem::path& directory);
// The vs-plot's file name without extension, "" when there is none: the
// first `by` column must hold numbers to be an x axis.
std::string vsPlotName(const PlotData& data, const std::string& metric);
// <metric>_vs_<column>.dat: one block per combination of the other `by`
// columns ("x mean ci_low ci_high runs"), the 95% t CI of the mean over runs
// (results::summarize); one run has no interval: ci_low = ci_high = mean.
// Runs whose x is NULL (alpha of relu) have no place on the axis.
std::string metricVsSetting(const PlotData& data, const std::string& metric, const std::string& name,
                            const std::filesystem::path& directory);

}  // namespace actsweep::results::plot
