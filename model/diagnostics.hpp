#pragma once
// Dying-ReLU diagnostics: how many units are dead, how sparse the layers are,
// whether the network is born dead. Measured on a fixed probe set, in eval mode.
//
// Dead: a unit whose pre-activation is <= 0 on every probe sample. For relu
// this is exactly "outputs 0 on every sample" (no gradient ever flows through
// it); for the leaky family (leaky_relu, prelu, rrelu) it means "would be dead
// without the leak"; for the other activations it is the same region, reported
// for comparison. Sparsity (zeroFraction) is a different thing: the fraction
// of outputs that are exactly 0, which a live relu unit has on about half of
// its inputs.

#include <vector>

#include "model/metrics.hpp"
#include "model/network.hpp"

namespace actsweep::model {

// Runs probe (inputs x P) through the network in eval mode (restoring the
// mode after) and measures every hidden layer. gradientNorm is left 0: the
// trainer fills it.
std::vector<LayerStats> probeLayers(Network& network, const Matrix& probe, int epoch);

// After probeLayers() (or any forward of the probe): true when the last hidden
// layer's output is the same vector for every probe sample, so the network
// computes a constant function. False for a network without hidden layers.
bool isBornDead(const Network& network);

// Dead units over all hidden units.
double overallDeadFraction(const std::vector<LayerStats>& layers, const Network& network);

}  // namespace actsweep::model
