// Diagnostics on cases with a known answer.
#include <catch2/catch.hpp>

#include "model/diagnostics.hpp"
#include "model/loss.hpp"

using namespace actsweep::model;

namespace {

// 1 input -> one hidden layer of 5 -> 1 output; probe inputs spread over [-1, 1].
Network oneHiddenLayer(Activation activation, double bias, Rng& init, Rng& noise) {
  NetworkConfig config;
  config.inputs = 1;
  config.hidden = {5};
  config.outputs = 1;
  config.activation = {activation, 0.1};
  config.init.kind = Init::Normal;
  config.init.scale = 0.5;
  config.init.bias = BiasInit::Constant;
  config.init.biasValue = bias;
  return Network(config, init, noise);
}

Matrix spreadProbe() { return Matrix(RowVector::LinSpaced(101, -1, 1)); }

}  // namespace

TEST_CASE("diagnostics: a layer forced dead by a large negative bias is 100% dead", "[diagnostics]") {
  Rng init(1), noise(2);
  Network network = oneHiddenLayer(Activation::Relu, -100, init, noise);
  const auto layers = probeLayers(network, spreadProbe(), 0);
  REQUIRE(layers.size() == 1);
  CHECK(layers[0].deadFraction == 1.0);
  CHECK(layers[0].zeroFraction == 1.0);
  CHECK(layers[0].activationMean == 0.0);
  CHECK(isBornDead(network));
  CHECK(overallDeadFraction(layers, network) == 1.0);
}

TEST_CASE("diagnostics: leaky_relu under the same bias is dead by the pre-activation rule, yet has gradients",
          "[diagnostics]") {
  Rng init(1), noise(2);
  Network network = oneHiddenLayer(Activation::LeakyRelu, -100, init, noise);
  const Matrix probe = spreadProbe();
  const auto layers = probeLayers(network, probe, 0);
  CHECK(layers[0].deadFraction == 1.0);  // "would be dead without the leak"
  CHECK(layers[0].zeroFraction == 0.0);  // but no output is zero
  CHECK_FALSE(isBornDead(network));      // the leak keeps the output varying
  // Gradients still flow to the dense weights through the leak.
  MeanSquaredError loss;
  Matrix dOutput;
  network.setTraining(false);
  loss.evaluate(network.forward(probe), Matrix::Ones(1, probe.cols()), &dOutput);
  network.zeroGrad();
  network.backward(dOutput);
  CHECK(network.dense(0).weightGrad().norm() > 0);
}

TEST_CASE("diagnostics: a large positive bias keeps every unit alive", "[diagnostics]") {
  Rng init(1), noise(2);
  Network network = oneHiddenLayer(Activation::Relu, 100, init, noise);
  const auto layers = probeLayers(network, spreadProbe(), 0);
  CHECK(layers[0].deadFraction == 0.0);
  CHECK(layers[0].zeroFraction == 0.0);
  CHECK(layers[0].activationMean == Approx(100).margin(1));
  CHECK_FALSE(isBornDead(network));
}

TEST_CASE("diagnostics: prelu reports its mean slope, others NaN", "[diagnostics]") {
  Rng init(1), noise(2);
  Network prelu = oneHiddenLayer(Activation::Prelu, 0, init, noise);
  CHECK(probeLayers(prelu, spreadProbe(), 0)[0].preluSlope == Approx(0.1));
  Network relu = oneHiddenLayer(Activation::Relu, 0, init, noise);
  CHECK(std::isnan(probeLayers(relu, spreadProbe(), 0)[0].preluSlope));
}

TEST_CASE("diagnostics: a deep He-initialized relu net is about half sparse in every layer",
          "[diagnostics]") {
  NetworkConfig config;
  config.inputs = 50;
  config.hidden = std::vector<int>(10, 256);
  config.outputs = 10;
  Rng init(3), noise(4), data(5);
  Network network(config, init, noise);
  Matrix probe(50, 500);
  for (Eigen::Index i = 0; i < probe.size(); ++i) probe.data()[i] = static_cast<Scalar>(data.normal());
  const std::vector<LayerStats> layers = probeLayers(network, probe, 0);
  REQUIRE(layers.size() == 10);
  for (const LayerStats& layer : layers) {
    INFO("layer " << layer.layer);
    // Symmetric weights, zero bias: each pre-activation is positive half the time.
    CHECK(layer.zeroFraction == Approx(0.5).margin(0.1));
    // Death accumulates with depth even at initialization (Lu et al. 2020):
    // none in the first layer (a Gaussian input cannot keep w.x <= 0 on 500
    // samples), a few percent to ~12% by layer 10 in this seed.
    if (layer.layer == 1) CHECK(layer.deadFraction == 0.0);
    CHECK(layer.deadFraction < 0.25);
  }
  CHECK_FALSE(isBornDead(network));
}

TEST_CASE("diagnostics: deep narrow relu nets on 1-D input are often born dead, wide ones are not",
          "[diagnostics]") {
  // Lu et al. (2020): a ReLU net of width 3 and depth 10 with symmetric
  // initialization and zero bias is born dead with high probability.
  auto bornDeadFraction = [](int width, int depth, Init init) {
    NetworkConfig config;
    config.inputs = 1;
    config.hidden = std::vector<int>(static_cast<std::size_t>(depth), width);
    config.outputs = 1;
    config.init.kind = init;
    const Matrix probe = Matrix(RowVector::LinSpaced(200, -1.7320508, 1.7320508));
    int dead = 0;
    const int seeds = 200;
    for (int seed = 0; seed < seeds; ++seed) {
      Rng initRng = Rng::forStream(static_cast<std::uint64_t>(seed), 1), noise(0);
      Network network(config, initRng, noise);
      probeLayers(network, probe, 0);
      dead += isBornDead(network);
    }
    return static_cast<double>(dead) / seeds;
  };
  const double narrow = bornDeadFraction(3, 10, Init::HeNormal);
  const double wide = bornDeadFraction(50, 10, Init::HeNormal);
  const double narrowRai = bornDeadFraction(3, 10, Init::Rai);
  INFO("born dead: width 3 he " << narrow << ", width 50 he " << wide << ", width 3 rai " << narrowRai);
  CHECK(narrow > 0.2);
  CHECK(wide == 0.0);
  CHECK(narrowRai < narrow);
}
