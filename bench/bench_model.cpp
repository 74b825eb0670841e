// bench_model: how fast one run trains, on one thread, next to the machine's
// single-thread GEMM peak measured in the same process.
//
//   build/bench/bench_model [--epochs E] [--seconds S] [--only NAME_PART] [--json]
//
// For each of the four networks of issue 8:
//   * steps: training steps on random data of the right shape (784 inputs,
//     10 classes, batch 64), repeated for S seconds: compute only;
//   * epoch: E real epochs on Fashion-MNIST (Debian's dataset-fashion-mnist)
//     through the trainer, as a sweep runs them: shuffling, the training
//     steps, evaluation of the 6000 validation and 10000 test samples, and
//     the probe diagnostics. The figure is the median epoch.
// The recipe is the one bench/pytorch_reference.py reproduces: He normal,
// zero bias, SGD momentum 0.9, lr 0.01, batch 64, standardized input,
// seed 1; leaky_relu alpha 0.01, prelu initial slope 0.25 (PyTorch's).
// --only 32x10 runs the networks whose name contains 32x10 (for perf).
// --json prints one JSON object per line instead of the table (scripts/bench).

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
  for (Eigen::Index i = 0; i < a.size(); ++i)
    a.data()[i] = Scalar(rng.normal()), b.data()[i] = Scalar(rng.normal());
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
  double alpha;
  Norm norm;
};

NetworkConfig networkOf(const Case& c) {
  NetworkConfig config;
  config.inputs = 784;
  config.hidden = c.hidden;
  config.outputs = 10;
  config.activation.kind = c.activation;
  config.activation.alpha = c.alpha;
  config.norm.kind = c.norm;
  return config;
}

constexpr int kBatch = 64;

TrainConfig recipe(int epochs) {
  TrainConfig train;
  train.epochs = epochs;
  train.batchSize = kBatch;
  train.optimizer.momentum = 0.9;
  train.schedule.baseLr = 0.01;
  train.seed = 1;
  return train;
}

// Floating-point operations of one training step: 2 per multiply-add of the
// forward W x of every layer, and of dW and dx in backward, except dx of the
// first layer (the input needs no gradient). Activations, norms, loss and
// optimizer are not counted: they are the part of the time that is not GEMM.
double flopsPerStep(const Case& c, int batch) {
  std::vector<int> widths = {784};
  widths.insert(widths.end(), c.hidden.begin(), c.hidden.end());
  widths.push_back(10);
  double forward = 0, first = widths[0] * double(widths[1]);
  for (std::size_t k = 0; k + 1 < widths.size(); ++k) forward += widths[k] * double(widths[k + 1]);
  return 2.0 * batch * (3 * forward - first);
}

// Seconds per training step on random data of the right shape.
double stepSeconds(const Case& c, double budget) {
  const TrainConfig train = recipe(1);
  Rng init(1), noise(2), data(3);
  Network network(networkOf(c), init, noise);
  Matrix x(784, train.batchSize), labels(1, train.batchSize), dOutput;
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = Scalar(data.normal());
  for (int j = 0; j < train.batchSize; ++j) labels(0, j) = Scalar(data.below(10));
  SoftmaxCrossEntropy loss;
  auto optimizer = makeOptimizer(train.optimizer, network.params());
  return timePerCall(budget, [&] {
    loss.evaluate(network.forward(x), labels, &dOutput);
    optimizer->zeroGrad();
    network.backward(dOutput);
    optimizer->step(train.schedule.baseLr);
  });
}

struct EpochResult {
  double medianSeconds = NAN, finalTestAccuracy = NAN;
};

EpochResult realEpochs(const Case& c, const Dataset& data, int epochs) {
  std::vector<double> seconds;
  EpochResult result;
  train(networkOf(c), recipe(epochs), data, [&](const EpochMetrics& m, const std::vector<LayerStats>&) {
    if (m.epoch > 0) seconds.push_back(m.seconds);
    result.finalTestAccuracy = m.testAccuracy;
  });
  std::sort(seconds.begin(), seconds.end());
  result.medianSeconds = seconds[seconds.size() / 2];
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  double budget = 1.0;
  int epochs = 3;
  bool json = false;
  const char* only = "";  // run only the networks whose name contains this
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc)
      budget = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--epochs") && i + 1 < argc)
      epochs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else if (!std::strcmp(argv[i], "--json"))
      json = true;
    else {
      std::fprintf(stderr,
                   "usage: bench_model [--epochs E >= 1] [--seconds S] [--only NAME_PART] [--json]\n");
      return 2;
    }
  }
  if (epochs < 1 || !(budget > 0)) {
    std::fprintf(stderr, "bench_model: --epochs must be >= 1 and --seconds > 0\n");
    return 2;
  }

  const auto loadStart = Clock::now();
  std::shared_ptr<const Dataset> data;
  try {
    data = actsweep::data::loadDataset(actsweep::data::DataConfig{});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_model: %s (apt-get install dataset-fashion-mnist)\n", e.what());
    return 2;
  }
  const double loadSeconds = secondsSince(loadStart);
  const double steps = std::ceil(double(data->train.size()) / kBatch);
  const double peak = gemmPeakGflops(budget);

  if (json) {
    std::printf(
        "{\"gemm_peak_gflops\": %.2f, \"load_seconds\": %.3f, \"train_samples\": %ld, \"steps_per_epoch\": "
        "%.0f, "
        "\"scalar\": \"%s\"}\n",
        peak, loadSeconds, long(data->train.size()), steps, sizeof(Scalar) == 4 ? "float" : "double");
  } else {
    std::printf(
        "bench_model: one thread, %s, batch 64, Fashion-MNIST (%ld training samples, loaded in %.2f s)\n",
        sizeof(Scalar) == 4 ? "float" : "double", long(data->train.size()), loadSeconds);
    std::printf("GEMM peak (fastest 1024^3 Eigen product): %.1f GFLOP/s\n\n", peak);
    std::printf("%-34s %9s %9s %8s | %9s %9s %8s %9s\n", "network", "ms/step", "GFLOP/s", "of peak",
                "s/epoch", "GFLOP/s", "of peak", "test acc");
  }
  const std::vector<Case> cases = {
      {"784-256-256-10 relu", {256, 256}, Activation::Relu, 0.01, Norm::None},
      {"784-128-128-10 leaky_relu", {128, 128}, Activation::LeakyRelu, 0.01, Norm::None},
      {"784-32x10-10 relu", std::vector<int>(10, 32), Activation::Relu, 0.01, Norm::None},
      {"784-256-256-10 prelu batch norm", {256, 256}, Activation::Prelu, 0.25, Norm::Batch},
  };
  for (const Case& c : cases) {
    if (c.name.find(only) == std::string::npos) continue;
    const double flops = flopsPerStep(c, kBatch);
    const double step = stepSeconds(c, budget);
    const EpochResult epoch = realEpochs(c, *data, epochs);
    const double stepGflops = flops / step / 1e9, epochGflops = flops * steps / epoch.medianSeconds / 1e9;
    if (json)
      std::printf(
          "{\"network\": \"%s\", \"step_seconds\": %.6g, \"step_gflops\": %.2f, \"epoch_seconds\": %.4f, "
          "\"epoch_gflops\": %.2f, \"epochs\": %d, \"final_test_acc\": %.4f}\n",
          c.name.c_str(), step, stepGflops, epoch.medianSeconds, epochGflops, epochs,
          epoch.finalTestAccuracy);
    else
      std::printf("%-34s %9.3f %9.1f %7.0f%% | %9.3f %9.1f %7.0f%% %9.4f\n", c.name.c_str(), step * 1e3,
                  stepGflops, 100 * stepGflops / peak, epoch.medianSeconds, epochGflops,
                  100 * epochGflops / peak, epoch.finalTestAccuracy);
    std::fflush(stdout);
  }
  if (!json)
    std::printf(
        "\nms/step: training steps alone on random data. s/epoch: the median of %d real epochs through the\n"
        "trainer (%.0f steps, shuffling, evaluation of validation and test, diagnostics); its GFLOP/s\n"
        "counts the training steps' work only. test acc: after epoch %d.\n",
        epochs, steps, epochs);
  return 0;
}
