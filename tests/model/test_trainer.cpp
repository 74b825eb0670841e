#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>

#include "model/errors.hpp"
#include "model/memory.hpp"
#include "model/trainer.hpp"

using namespace actsweep::model;
using Catch::Matchers::Contains;

namespace {

// Two Gaussian blobs in 2-D, centres (-1.5, 0) and (1.5, 0), std 0.5: nearly separable.
Split blobs(int samples, std::uint64_t seed) {
  Rng rng(seed);
  Split split;
  split.features.resize(2, samples);
  split.targets.resize(1, samples);
  for (int j = 0; j < samples; ++j) {
    const int label = j % 2;
    split.features(0, j) = static_cast<Scalar>(rng.normal(label ? 1.5 : -1.5, 0.5));
    split.features(1, j) = static_cast<Scalar>(rng.normal(0, 0.5));
    split.targets(0, j) = static_cast<Scalar>(label);
  }
  return split;
}

Dataset blobDataset() {
  Dataset data;
  data.name = "blobs";
  data.classes = 2;
  data.train = blobs(400, 1);
  data.validation = blobs(100, 2);
  data.test = blobs(100, 3);
  return data;
}

// y = |x| on [-sqrt3, sqrt3].
Dataset absDataset() {
  Dataset data;
  data.name = "abs";
  data.task = Task::Regression;
  for (Split* split : {&data.train, &data.validation, &data.test}) {
    split->features = Matrix(RowVector::LinSpaced(64, -1.7320508f, 1.7320508f));
    split->targets = split->features.cwiseAbs();
  }
  return data;
}

NetworkConfig smallNet() {
  NetworkConfig config;
  config.hidden = {16, 16};
  return config;
}

TrainConfig quickTraining(int epochs) {
  TrainConfig config;
  config.epochs = epochs;
  config.batchSize = 32;
  config.schedule.baseLr = 0.05;
  config.optimizer.momentum = 0.9;
  config.probeSize = 100;
  config.seed = 7;
  return config;
}

struct Recorded {
  std::vector<EpochMetrics> epochs;
  std::vector<std::vector<LayerStats>> layers;
  EpochCallback callback() {
    return [this](const EpochMetrics& m, const std::vector<LayerStats>& l) {
      epochs.push_back(m);
      layers.push_back(l);
    };
  }
};

}  // namespace

TEST_CASE("trainer: learns blobs; reports epoch 0 and every epoch, with per-layer stats", "[trainer]") {
  Recorded recorded;
  const RunResult result = train(smallNet(), quickTraining(5), blobDataset(), recorded.callback());
  CHECK(result.outcome == Outcome::Completed);
  CHECK(result.epochsCompleted == 5);
  REQUIRE(recorded.epochs.size() == 6);
  for (int e = 0; e <= 5; ++e) {
    CHECK(recorded.epochs[e].epoch == e);
    REQUIRE(recorded.layers[e].size() == 2);
    CHECK(recorded.layers[e][1].layer == 2);
    CHECK(recorded.layers[e][0].epoch == e);
    CHECK(recorded.layers[e][0].gradientNorm > 0);
    CHECK(recorded.layers[e][0].weightNorm > 0);
  }
  CHECK(std::isnan(recorded.epochs[0].learningRate));
  CHECK(recorded.epochs[1].learningRate == Approx(0.05));
  CHECK(recorded.epochs[5].trainLoss < recorded.epochs[0].trainLoss);
  CHECK(result.final.testAccuracy > 0.95);
  CHECK(result.bestValidationAccuracy >= recorded.epochs[5].validationAccuracy);
  CHECK_FALSE(result.bornDead);
  CHECK(result.finalDeadFraction >= 0);
}

TEST_CASE("trainer: the same seed gives bit-identical metrics, another seed different ones", "[trainer]") {
  NetworkConfig config = smallNet();
  config.dropout = 0.2;  // the noise stream too
  config.activation = {Activation::Rrelu};
  Recorded a, b, c;
  train(config, quickTraining(3), blobDataset(), a.callback());
  train(config, quickTraining(3), blobDataset(), b.callback());
  TrainConfig otherSeed = quickTraining(3);
  otherSeed.seed = 8;
  train(config, otherSeed, blobDataset(), c.callback());
  REQUIRE(a.epochs.size() == 4);  // epochs 0..3: the loop below compares something
  REQUIRE(b.epochs.size() == 4);
  for (std::size_t e = 0; e < a.epochs.size(); ++e) {
    CHECK(a.epochs[e].trainLoss == b.epochs[e].trainLoss);  // exact, not approximate
    CHECK(a.epochs[e].testLoss == b.epochs[e].testLoss);
    CHECK(a.layers[e][0].gradientNorm == b.layers[e][0].gradientNorm);
  }
  CHECK(a.epochs.back().trainLoss != c.epochs.back().trainLoss);
}

TEST_CASE("trainer: a NaN or Inf loss ends the run as diverged, with its epoch", "[trainer]") {
  TrainConfig config = quickTraining(5);
  config.schedule.baseLr = 1e12;
  Recorded recorded;
  const RunResult result = train(smallNet(), config, absDataset(), recorded.callback());
  CHECK(result.outcome == Outcome::Diverged);
  CHECK(result.divergedEpoch >= 1);
  CHECK(result.epochsCompleted == result.divergedEpoch - 1);
  CHECK(recorded.epochs.size() ==
        static_cast<std::size_t>(result.divergedEpoch));  // epoch 0 .. the last good one
}

TEST_CASE("trainer: regression reports losses and no accuracy; epochs 0 measures only the initial net",
          "[trainer]") {
  Recorded recorded;
  const RunResult result = train(smallNet(), quickTraining(0), absDataset(), recorded.callback());
  CHECK(result.outcome == Outcome::Completed);
  CHECK(result.epochsCompleted == 0);
  REQUIRE(recorded.epochs.size() == 1);
  CHECK(std::isfinite(recorded.epochs[0].trainLoss));
  CHECK(std::isnan(recorded.epochs[0].testAccuracy));
  CHECK(std::isnan(result.bestValidationAccuracy));
}

TEST_CASE("trainer: with epochs 0 the final dead fraction is the initial network's", "[trainer]") {
  NetworkConfig config = smallNet();
  config.init.bias = BiasInit::Constant;
  config.init.biasValue = -100;  // every relu unit negative on every input: all dead
  const RunResult dead = train(config, quickTraining(0), absDataset());
  CHECK(dead.finalDeadFraction == 1.0);
  CHECK(dead.bornDead);
  config.hidden = {16};
  config.init.biasValue = 100;  // one layer on inputs |x| <= 1.8: every unit positive, none dead
  CHECK(train(config, quickTraining(0), absDataset()).finalDeadFraction == 0.0);
}

TEST_CASE("trainer: a stop request ends the run as interrupted", "[trainer]") {
  std::atomic<bool> stop{true};
  const RunResult result = train(smallNet(), quickTraining(5), blobDataset(), {}, &stop);
  CHECK(result.outcome == Outcome::Interrupted);
  CHECK(result.epochsCompleted == 0);
}

TEST_CASE("trainer: bad settings are ConfigErrors", "[trainer][config]") {
  TrainConfig config = quickTraining(1);
  config.batchSize = 0;
  CHECK_THROWS_WITH(train(smallNet(), config, blobDataset()), Contains("batch size must be >= 1"));
  config = quickTraining(1);
  config.epochs = -1;
  CHECK_THROWS_AS(train(smallNet(), config, blobDataset()), ConfigError);
  config = quickTraining(1);
  config.schedule.baseLr = std::nan("");
  CHECK_THROWS_AS(train(smallNet(), config, blobDataset()), ConfigError);
}

TEST_CASE("memory: the estimate is the documented arithmetic", "[trainer][memory]") {
  NetworkConfig network;
  network.inputs = 10;
  network.hidden = {20};
  network.outputs = 3;
  TrainConfig train = quickTraining(1);  // sgd with momentum 0.9, batch 32, probe 100
  MemoryEstimate e = estimateMemory(network, train);
  CHECK(e.parameters == 10 * 20 + 20 + 20 * 3 + 3);
  CHECK(e.parameterCopies == 3);  // value, gradient, velocity
  CHECK(e.samples == 1000);       // the evaluation chunk is the largest
  CHECK(e.valuesPerSample == 3 * 2 * 20 + 3 * 3 + 10);
  CHECK(e.bytes == sizeof(Scalar) * (283.0 * 3 + 1000.0 * 139));
  CHECK(estimateMemory(network, train, 500).samples == 500);  // no split holds more

  network.norm.kind = Norm::Batch;
  network.dropout = 0.5;
  train.optimizer.kind = OptimizerKind::Adam;
  e = estimateMemory(network, train);
  CHECK(e.parameters == 283 + 4 * 20);
  CHECK(e.parameterCopies == 4);
  CHECK(e.valuesPerSample == 3 * 4 * 20 + 3 * 3 + 10);

  // Widths near 2^31 in a deep net: no integer overflow, just a large number.
  network.hidden.assign(100, 2'000'000'000);
  CHECK(estimateMemory(network, train).bytes > 1e20);
}

TEST_CASE("memory: a network larger than the memory is refused with the arithmetic", "[trainer][memory]") {
  NetworkConfig network;
  network.inputs = 784;
  network.hidden = {1'000'000'000};
  network.outputs = 10;
  const TrainConfig train = quickTraining(1);
  try {
    checkMemory(network, train, 0, std::uint64_t{24} << 30);
    FAIL("a 10^9-unit layer fitted in 24 GiB");
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK_THAT(message,
               Contains("network 784 -> 1000000000 -> 10 needs about 31 TiB, over this machine's 24 GiB") &&
                   Contains("(8.0e11 parameters x 3 (value, gradient, velocity) + 1000 samples x") &&
                   Contains("x " + std::to_string(sizeof(Scalar)) + " bytes"));
    CHECK(message.size() < 250);
  }
  network.hidden = {256, 256};
  CHECK_NOTHROW(checkMemory(network, train, 0, std::uint64_t{24} << 30));
  CHECK_NOTHROW(checkMemory(network, train, 0, 0));  // unknown memory: no check
  CHECK(physicalMemoryBytes() > 0);
  CHECK(formatBytes(512) == "512 bytes");
  CHECK(formatBytes(1.5 * 1024 * 1024) == "1.5 MiB");
}

TEST_CASE("trainer: a network this machine cannot hold is a ConfigError before anything is allocated",
          "[trainer][memory]") {
  NetworkConfig network;
  network.hidden = {2'000'000'000, 2'000'000'000};  // 4e18 weights: no machine holds them
  CHECK_THROWS_WITH(
      train(network, quickTraining(1), blobDataset()),
      Contains("network 2 -> 2000000000 -> 2000000000 -> 2 needs about") && Contains("parameters"));
}
