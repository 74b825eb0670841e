// Finite-difference checks of every layer, activation, norm and loss.
// See gradient_check.hpp for the error measure and the tolerances.
#include <catch2/catch.hpp>

#include "gradient_check.hpp"
#include "model/activations.hpp"
#include "model/dense.hpp"
#include "model/dropout.hpp"
#include "model/loss.hpp"
#include "model/network.hpp"
#include "model/norms.hpp"
#include "model/prelu.hpp"
#include "model/rrelu.hpp"

using namespace actsweep::model;
using namespace actsweep::testing;

namespace {

void requireSmall(const GradientErrors& errors) {
  INFO("precision: " << (kDouble ? "double" : "float") << ", tolerance " << kTolerance);
  INFO("input gradient relative error " << errors.input);
  CHECK(errors.input < kTolerance);
  for (const auto& [name, error] : errors.params) {
    INFO(name << " gradient relative error " << error);
    CHECK(error < kTolerance);
  }
}

}  // namespace

TEST_CASE("dense: backward matches finite differences", "[gradient][layer]") {
  Rng rng(1);
  Dense dense(5, 4);
  dense.weight() = randomMatrix(4, 5, rng);
  dense.bias() = randomMatrix(4, 1, rng);
  requireSmall(checkLayer(dense, randomMatrix(5, 3, rng), rng));
}

TEST_CASE("activations: backward matches finite differences", "[gradient][activation]") {
  const auto& [name, kind] = GENERATE(from_range(activationNames()));
  const double alpha = GENERATE(0.0, 0.01, 0.3, 1.0);
  if (!usesAlpha(kind) && alpha != 0.01) return;  // one run is enough for those without alpha
  if (kind == Activation::Rrelu) return;          // random slopes: its own test below
  INFO(name << " alpha=" << alpha);
  Rng rng(2);
  ActivationConfig config{kind, alpha};
  auto layer = makeActivation(config, 4, nullptr);
  // Scale 2 so that the saturating regions of tanh/sigmoid/elu are visited.
  requireSmall(checkLayer(*layer, awayFromZero(randomMatrix(4, 6, rng, 2.0)), rng));
}

TEST_CASE("prelu: input and slope gradients match finite differences", "[gradient][activation]") {
  Rng rng(3);
  Prelu prelu(4, 0.25);
  requireSmall(checkLayer(prelu, awayFromZero(randomMatrix(4, 6, rng)), rng));
}

TEST_CASE("rrelu: backward matches finite differences with fixed slopes", "[gradient][activation]") {
  Rng rng(4);
  Rng noise(99);
  Rrelu rrelu(0.1, 0.4, noise);
  const Matrix x = awayFromZero(randomMatrix(4, 6, rng));
  SECTION("training: random slopes, the same on every pass") {
    requireSmall(checkLayer(rrelu, x, rng, [&] { noise = Rng(99); }));
  }
  SECTION("eval: the mean slope") {
    rrelu.setTraining(false);
    requireSmall(checkLayer(rrelu, x, rng));
  }
}

TEST_CASE("dropout: backward matches finite differences with a fixed mask", "[gradient][layer]") {
  Rng rng(5);
  Rng noise(7);
  Dropout dropout(0.4, noise);
  requireSmall(checkLayer(dropout, randomMatrix(5, 6, rng), rng, [&] { noise = Rng(7); }));
}

TEST_CASE("batch norm: gradients match finite differences", "[gradient][norm]") {
  Rng rng(6);
  BatchNorm norm(4, 0.1, 1e-5);
  auto params = norm.params();
  *params[0].value = randomMatrix(4, 1, rng);  // gamma away from 1
  *params[1].value = randomMatrix(4, 1, rng);  // beta away from 0
  const Matrix x = randomMatrix(4, 8, rng, 3.0);
  SECTION("training: batch statistics") { requireSmall(checkLayer(norm, x, rng)); }
  SECTION("eval: running statistics") {
    Matrix y;
    norm.forward(x, y);  // move the running statistics away from (0, 1)
    norm.setTraining(false);
    requireSmall(checkLayer(norm, x, rng));
  }
}

TEST_CASE("layer norm: gradients match finite differences", "[gradient][norm]") {
  Rng rng(8);
  LayerNorm norm(5, 1e-5);
  auto params = norm.params();
  *params[0].value = randomMatrix(5, 1, rng);
  *params[1].value = randomMatrix(5, 1, rng);
  requireSmall(checkLayer(norm, randomMatrix(5, 4, rng, 3.0), rng));
}

TEST_CASE("losses: gradients match finite differences", "[gradient][loss]") {
  Rng rng(9);
  SECTION("softmax cross-entropy") {
    Matrix logits = randomMatrix(5, 7, rng, 3.0);
    Matrix labels(1, 7);
    labels << 0, 4, 2, 2, 1, 3, 0;
    SoftmaxCrossEntropy loss;
    Matrix analytic;
    loss.evaluate(logits, labels, &analytic);
    const double error = relativeError(
        analytic, numericalGradient(logits, [&] { return loss.evaluate(logits, labels, nullptr); }));
    INFO("relative error " << error);
    CHECK(error < kTolerance);
  }
  SECTION("mean squared error") {
    Matrix predictions = randomMatrix(3, 6, rng);
    const Matrix targets = randomMatrix(3, 6, rng);
    MeanSquaredError loss;
    Matrix analytic;
    loss.evaluate(predictions, targets, &analytic);
    const double error = relativeError(analytic, numericalGradient(predictions, [&] {
                                         return loss.evaluate(predictions, targets, nullptr);
                                       }));
    INFO("relative error " << error);
    CHECK(error < kTolerance);
  }
}

TEST_CASE("network: every parameter gradient of a whole net through the loss", "[gradient][network]") {
  // Dense -> batch norm -> prelu -> dropout, twice, -> dense -> cross-entropy:
  // checks that the network chains the layers' backward passes correctly.
  NetworkConfig config;
  config.inputs = 4;
  config.hidden = {6, 5};
  config.outputs = 3;
  config.activation = {Activation::Prelu, 0.2};
  config.init.kind = Init::XavierNormal;
  config.norm.kind = GENERATE(Norm::None, Norm::Batch, Norm::Layer);
  config.dropout = 0.2;
  Rng initRng(10), noise(11), rng(12);
  Network network(config, initRng, noise);
  const Matrix x = randomMatrix(4, 9, rng);
  Matrix labels(1, 9);
  labels << 0, 1, 2, 0, 1, 2, 0, 1, 2;
  SoftmaxCrossEntropy loss;
  auto lossValue = [&] {
    noise = Rng(11);
    return loss.evaluate(network.forward(x), labels, nullptr);
  };
  noise = Rng(11);
  Matrix dOutput;
  loss.evaluate(network.forward(x), labels, &dOutput);
  network.zeroGrad();
  network.backward(dOutput);
  for (auto& param : network.params()) {
    const Matrix analytic = *param.grad;
    const double error = relativeError(analytic, numericalGradient(*param.value, lossValue));
    INFO(param.name << " relative error " << error << " (norm " << normName(config.norm.kind) << ")");
    CHECK(error < kTolerance);
  }
}
