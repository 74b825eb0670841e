#pragma once
// The plots over epochs and layers (internal to results/plots.hpp): learning
// curves and a layer profile. Each writes its .dat file into `directory` and
// returns the body of its gnuplot script, "" when there is nothing to draw.

#include <filesystem>
#include <string>

#include "results/plot_data.hpp"
#include "results/plot_options.hpp"

namespace actsweep::results::plot {

// learning_curves.dat: one block per plotted group ("epoch mean std runs").
// Returns the plot body, or "" when no group has a value.
std::string learningCurves(const PlotData& data, const std::filesystem::path& directory);
// <metric>_by_layer.dat: one block per plotted group ("layer mean std runs").
std::string layerProfile(const PlotData& data, const PlotOptions& options, const std::string& name,
                         const std::filesystem::path& directory);

}  // namespace actsweep::results::plot
