// bench_model: how fast one training step of an MLP runs on one thread,
// next to the machine's single-thread GEMM peak measured in the same run.
//
//   build/bench/bench_model [--seconds S]
//
// Data are random (shape-accurate: 784 inputs, 10 classes, batch 64), so the
// numbers are about compute, not data loading. An "epoch" below is 60000/64
// = 938 steps, the size of a Fashion-MNIST epoch.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "model/data/dataset.hpp"
#include "model/loss.hpp"
#include "model/network.hpp"
#include "model/optimizers.hpp"
#include "model/trainer.hpp"

using namespace actsweep::model;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Repeats body until `budget` seconds have passed; returns seconds per call.
template <class Body>
double timePerCall(double budget, Body body) {
  body();  // warm up: first-touch allocations
  int calls = 0;
  const auto start = Clock::now();
  do {
    body();
    ++calls;
  } while (secondsSince(start) < budget);
  return secondsSince(start) / calls;
}

// The peak is the best of many products (the fastest call), not their mean:
// a peak is what the machine can do, and the mean would count interruptions.
double gemmPeakGflops(double budget) {
  const int n = 1024;
  Rng rng(1);
  Matrix a(n, n), b(n, n), c(n, n);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = Scalar(rng.normal()), b.data()[i] = Scalar(rng.normal());
  c.noalias() = a * b;  // warm up
  double best = 1e30;
  const auto start = Clock::now();
  do {
    const auto callStart = Clock::now();
    c.noalias() = a * b;
    best = std::min(best, secondsSince(callStart));
  } while (secondsSince(start) < budget);
  return 2.0 * n * n * n / best / 1e9;
}

struct Case {
  std::string name;
  std::vector<int> hidden;
  Activation activation;
  Norm norm;
};

// Multiply-adds of one training step: forward W x per layer, backward dW and
// dx per layer except dx of the first (the input needs no gradient).
double flopsPerStep(const std::vector<int>& widths, int batch) {
  double forward = 0, first = widths[0] * double(widths[1]);
  for (std::size_t k = 0; k + 1 < widths.size(); ++k) forward += widths[k] * double(widths[k + 1]);
  return 2.0 * batch * (3 * forward - first);
}

// One real epoch through the trainer on Fashion-MNIST (Debian's
// dataset-fashion-mnist): 784-256-256-10 relu, He normal, SGD momentum 0.9,
// lr 0.05, batch 64, standardized input, 54000 training samples; the epoch's
// time includes shuffling, evaluation of 6000 validation and 10000 test
// samples, and the probe diagnostics.
void realEpoch(double peak) {
  actsweep::data::DataConfig dataConfig;
  std::shared_ptr<const Dataset> data;
  const auto loadStart = Clock::now();
  try {
    data = actsweep::data::loadDataset(dataConfig);
  } catch (const std::exception& e) {
    std::printf("\nFashion-MNIST epoch: skipped (%s)\n", e.what());
    return;
  }
  const double loadSeconds = secondsSince(loadStart);
  NetworkConfig network;
  network.hidden = {256, 256};
  TrainConfig train;
  train.epochs = 2;
  train.batchSize = 64;
  train.optimizer.momentum = 0.9;
  train.schedule.baseLr = 0.05;
  train.seed = 1;
  std::vector<EpochMetrics> epochs;
  actsweep::model::train(network, train, *data,
                         [&](const EpochMetrics& m, const std::vector<LayerStats>&) { epochs.push_back(m); });
  const double steps = std::ceil(double(data->train.size()) / train.batchSize);
  const double trainFlops = steps * flopsPerStep({784, 256, 256, 10}, train.batchSize);
  std::printf("\nFashion-MNIST through the trainer (%ld train samples, loaded in %.2f s):\n",
              long(data->train.size()), loadSeconds);
  for (std::size_t e = 1; e < epochs.size(); ++e)
    std::printf("  epoch %zu: %.3f s (training, evaluation and diagnostics), %.1f GFLOP/s of training work "
                "(%.0f%% of peak), test acc %.4f\n",
                e, epochs[e].seconds, trainFlops / epochs[e].seconds / 1e9,
                100 * trainFlops / epochs[e].seconds / 1e9 / peak, epochs[e].testAccuracy);
}

}  // namespace

int main(int argc, char** argv) {
  double budget = 2.0;
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) budget = std::atof(argv[++i]);

  const int batch = 64, stepsPerEpoch = 60000 / batch;
  std::printf("actsweep bench_model: one thread, batch %d, %s\n", batch,
              sizeof(Scalar) == 4 ? "float" : "double");
  const double peak = gemmPeakGflops(budget);
  std::printf("GEMM peak (fastest 1024^3 Eigen product): %.1f GFLOP/s\n\n", peak);
  std::printf("%-34s %12s %12s %10s %8s\n", "network", "ms/step", "s/epoch*", "GFLOP/s", "of peak");

  const std::vector<Case> cases = {
      {"784-256-256-10 relu", {256, 256}, Activation::Relu, Norm::None},
      {"784-128-128-10 leaky_relu", {128, 128}, Activation::LeakyRelu, Norm::None},
      {"784-32x10-10 relu", std::vector<int>(10, 32), Activation::Relu, Norm::None},
      {"784-256-256-10 prelu + batch norm", {256, 256}, Activation::Prelu, Norm::Batch},
  };
  for (const Case& c : cases) {
    NetworkConfig config;
    config.inputs = 784;
    config.hidden = c.hidden;
    config.outputs = 10;
    config.activation.kind = c.activation;
    config.norm.kind = c.norm;
    Rng init(1), noise(2), data(3);
    Network network(config, init, noise);
    Matrix x(784, batch), labels(1, batch), dOutput;
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = Scalar(data.normal());
    for (int j = 0; j < batch; ++j) labels(0, j) = Scalar(data.below(10));
    SoftmaxCrossEntropy loss;
    OptimizerConfig sgd;
    sgd.momentum = 0.9;
    auto optimizer = makeOptimizer(sgd, network.params());
    const double seconds = timePerCall(budget, [&] {
      loss.evaluate(network.forward(x), labels, &dOutput);
      optimizer->zeroGrad();
      network.backward(dOutput);
      optimizer->step(0.01);
    });
    std::vector<int> widths = {784};
    widths.insert(widths.end(), c.hidden.begin(), c.hidden.end());
    widths.push_back(10);
    const double gflops = flopsPerStep(widths, batch) / seconds / 1e9;
    std::printf("%-34s %12.3f %12.3f %10.1f %7.0f%%\n", c.name.c_str(), seconds * 1e3, seconds * stepsPerEpoch,
                gflops, 100 * gflops / peak);
  }
  std::printf("\n* s/epoch = %d steps; training steps only (no evaluation, no data shuffling).\n", stepsPerEpoch);
  realEpoch(peak);
  return 0;
}
