#include <catch2/catch.hpp>
#include <cmath>

#include "model/errors.hpp"
#include "model/loss.hpp"
#include "model/network.hpp"
#include "model/optimizers.hpp"

using namespace actsweep::model;
using Catch::Matchers::Contains;

namespace {

NetworkConfig smallConfig() {
  NetworkConfig config;
  config.inputs = 2;
  config.hidden = {8, 8};
  config.outputs = 2;
  return config;
}

}  // namespace

TEST_CASE("network: layers in order, one hidden block per width", "[network]") {
  NetworkConfig config = smallConfig();
  config.norm.kind = Norm::Batch;
  config.dropout = 0.1;
  config.activation = {Activation::LeakyRelu, 0.1};
  Rng init(1), noise(2);
  Network network(config, init, noise);
  CHECK(network.hiddenCount() == 2);
  CHECK_THAT(network.describe(), Contains("dense1(2 -> 8) -> batch_norm(units=8") &&
                                     Contains("leaky_relu(alpha=0.1") && Contains("dropout(p=0.1") &&
                                     Contains("output(8 -> 2)"));
  // dense, bias, gamma, beta per hidden layer, then the output dense and bias
  CHECK(network.params().size() == 2 * 4 + 2);
  Matrix x = Matrix::Ones(2, 5);
  const Matrix& y = network.forward(x);
  CHECK(y.rows() == 2);
  CHECK(y.cols() == 5);
  CHECK(network.preActivation(1).rows() == 8);
  CHECK_THROWS_WITH(network.forward(Matrix::Ones(3, 5)), Contains("input has 3 features, expected 2"));
}

TEST_CASE("network: the same seed builds the same weights", "[network]") {
  Rng initA(5), noiseA(0), initB(5), noiseB(0), initC(6), noiseC(0);
  Network a(smallConfig(), initA, noiseA), b(smallConfig(), initB, noiseB), c(smallConfig(), initC, noiseC);
  CHECK(a.dense(0).weight() == b.dense(0).weight());
  CHECK(a.outputLayer().weight() == b.outputLayer().weight());
  CHECK(a.dense(0).weight() != c.dense(0).weight());
}

TEST_CASE("network: bad configurations throw ConfigError saying what is allowed", "[network][config]") {
  Rng init(1), noise(2);
  NetworkConfig config = smallConfig();
  config.hidden = {8, -3};
  CHECK_THROWS_AS(Network(config, init, noise), ConfigError);
  CHECK_THROWS_WITH(Network(config, init, noise), Contains("hidden layer 2 width must be >= 1, got -3"));
  config = smallConfig();
  config.activation = {Activation::LeakyRelu, std::nan("")};
  CHECK_THROWS_WITH(Network(config, init, noise), Contains("leaky_relu: alpha must be a finite number"));
  config = smallConfig();
  config.dropout = 1.5;
  CHECK_THROWS_WITH(Network(config, init, noise), Contains("dropout must be in [0, 1)"));
  config = smallConfig();
  config.outputs = 0;
  CHECK_THROWS_WITH(Network(config, init, noise), Contains("outputs must be >= 1"));
  CHECK_THROWS_WITH(parseActivation("lreLU"), Contains("unknown value 'lreLU'") && Contains("leaky_relu"));
}

TEST_CASE("network: more than 1000 hidden layers, or a 30,000-character name, are refused briefly",
          "[network][config]") {
  Rng init(1), noise(2);
  NetworkConfig config = smallConfig();
  config.hidden.assign(1001, 1);
  CHECK_THROWS_WITH(Network(config, init, noise), Contains("1001 hidden layers; at most 1000"));
  config.hidden.assign(1000, 1);
  CHECK_NOTHROW(validate(config));
  try {
    parseActivation(std::string(30000, 'x'));
    FAIL("a 30,000-character activation was accepted");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Contains("(30000 bytes)") && Contains("allowed: relu"));
    CHECK(std::string(e.what()).size() < 300);
  }
}

TEST_CASE("network: learns XOR to 100% training accuracy", "[network][train]") {
  // The loop of the trainer in miniature: forward -> loss -> zero grad -> backward -> step.
  const auto activation =
      GENERATE(Activation::Relu, Activation::LeakyRelu, Activation::Tanh, Activation::Prelu);
  INFO(activationName(activation));
  NetworkConfig config = smallConfig();
  config.activation = {activation, 0.1};
  Rng init(3), noise(4);
  Network network(config, init, noise);
  Matrix x(2, 4);
  x << 0, 0, 1, 1,  //
      0, 1, 0, 1;
  Matrix labels(1, 4);
  labels << 0, 1, 1, 0;
  SoftmaxCrossEntropy loss;
  OptimizerConfig adam;
  adam.kind = OptimizerKind::Adam;
  auto optimizer = makeOptimizer(adam, network.params());
  Matrix dOutput;
  double lastLoss = 0;
  for (int step = 0; step < 500; ++step) {
    lastLoss = loss.evaluate(network.forward(x), labels, &dOutput);
    optimizer->zeroGrad();
    network.backward(dOutput);
    optimizer->step(0.05);
  }
  network.setTraining(false);
  CHECK(countCorrect(network.forward(x), labels) == 4);
  CHECK(lastLoss < 0.05);
}
