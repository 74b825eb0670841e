#include "model/diagnostics.hpp"

#include <cmath>

#include "model/prelu.hpp"

namespace actsweep::model {

std::vector<LayerStats> probeLayers(Network& network, const Matrix& probe, int epoch) {
  const bool wasTraining = network.training();
  network.setTraining(false);
  network.forward(probe);
  std::vector<LayerStats> layers;
  for (int k = 0; k < network.hiddenCount(); ++k) {
    const Matrix& pre = network.preActivation(k);  // (width x P)
    const Matrix& out = network.activation(k);
    LayerStats stats;
    stats.epoch = epoch;
    stats.layer = k + 1;
    stats.deadFraction = (pre.rowwise().maxCoeff().array() <= 0).cast<double>().mean();
    stats.zeroFraction = (out.array() == 0).cast<double>().mean();
    const Eigen::ArrayXXd values = out.cast<double>().array();
    stats.activationMean = values.mean();
    stats.activationStd = std::sqrt((values - stats.activationMean).square().mean());
    stats.weightNorm = network.dense(k).weight().cast<double>().norm();
    if (const auto* prelu = dynamic_cast<const Prelu*>(&network.activationLayer(k)))
      stats.preluSlope = prelu->meanSlope();
    layers.push_back(stats);
  }
  network.setTraining(wasTraining);
  return layers;
}

bool isBornDead(const Network& network) {
  if (network.hiddenCount() == 0) return false;
  const Matrix& last = network.activation(network.hiddenCount() - 1);  // (width x P)
  if (last.cols() == 0) return false;
  // Exact equality: a dead relu layer outputs exact zeros, and a layer fed by
  // a constant is exactly constant; no tolerance is needed or wanted.
  return ((last.colwise() - last.col(0)).array() == 0).all();
}

double overallDeadFraction(const std::vector<LayerStats>& layers, const Network& network) {
  double dead = 0, units = 0;
  for (const LayerStats& stats : layers) {
    const double width = network.config().hidden.at(stats.layer - 1);
    dead += stats.deadFraction * width;
    units += width;
  }
  return units > 0 ? dead / units : kNotMeasured;
}

}  // namespace actsweep::model
