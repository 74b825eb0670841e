// Forward values of every activation at hand-computed points, the
// derivatives at the kink, and the alpha edge cases.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "model/activations.hpp"
#include "model/errors.hpp"

using namespace actsweep::model;
using Catch::Matchers::Contains;

namespace {

// f at each point of xs, through the layer's forward().
std::vector<double> apply(ActivationConfig config, const std::vector<double>& xs, Rng* noise = nullptr) {
  auto layer = makeActivation(config, 1, noise);
  Matrix x(1, static_cast<Eigen::Index>(xs.size()));
  for (std::size_t i = 0; i < xs.size(); ++i) x(0, static_cast<Eigen::Index>(i)) = static_cast<Scalar>(xs[i]);
  Matrix y;
  layer->forward(x, y);
  return {y.data(), y.data() + y.size()};
}

// f'(x) at each point: backward() of dy = 1.
std::vector<double> derivative(ActivationConfig config, const std::vector<double>& xs) {
  auto layer = makeActivation(config, 1, nullptr);
  Matrix x(1, static_cast<Eigen::Index>(xs.size()));
  for (std::size_t i = 0; i < xs.size(); ++i) x(0, static_cast<Eigen::Index>(i)) = static_cast<Scalar>(xs[i]);
  Matrix y, dx;
  layer->forward(x, y);
  layer->backward(Matrix::Ones(1, x.cols()), &dx);
  return {dx.data(), dx.data() + dx.size()};
}

void requireValues(const std::vector<double>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("point " << i);
    CHECK(got[i] == Approx(expected[i]).margin(1e-6).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("relu: max(x, 0), derivative 0 at the kink", "[activation]") {
  requireValues(apply({Activation::Relu}, {-2, 0, 3}), {0, 0, 3});
  requireValues(derivative({Activation::Relu}, {-2, 0, 3}), {0, 0, 1});
}

TEST_CASE("leaky_relu: negative slope alpha; alpha 0 is relu, alpha 1 is identity", "[activation]") {
  requireValues(apply({Activation::LeakyRelu, 0.1}, {-2, 0, 3}), {-0.2, 0, 3});
  requireValues(derivative({Activation::LeakyRelu, 0.1}, {-2, 0, 3}), {0.1, 0.1, 1});
  requireValues(apply({Activation::LeakyRelu, 0.0}, {-2, 0, 3}), apply({Activation::Relu}, {-2, 0, 3}));
  requireValues(apply({Activation::LeakyRelu, 1.0}, {-2, 0, 3}), {-2, 0, 3});
  requireValues(derivative({Activation::LeakyRelu, 1.0}, {-2, 0, 3}), {1, 1, 1});
}

TEST_CASE("elu: alpha (e^x - 1) below zero", "[activation]") {
  requireValues(apply({Activation::Elu, 1.0}, {-1, 0, 2}), {std::exp(-1.0) - 1, 0, 2});
  requireValues(apply({Activation::Elu, 0.5}, {-1}), {0.5 * (std::exp(-1.0) - 1)});
  requireValues(derivative({Activation::Elu, 1.0}, {-1, 2}), {std::exp(-1.0), 1});
  requireValues(apply({Activation::Elu, 1.0}, {-50}), {-1});  // saturates at -alpha
}

TEST_CASE("selu: lambda and alpha of Klambauer et al.", "[activation]") {
  const double lambda = 1.0507009873554805, alpha = 1.6732632423543772;
  requireValues(apply({Activation::Selu}, {1, 0, -1}), {lambda, 0, lambda * alpha * (std::exp(-1.0) - 1)});
}

TEST_CASE("gelu, silu: smooth gates", "[activation]") {
  // gelu(x) = x Phi(x): Phi(1) = 0.8413447460685429
  requireValues(apply({Activation::Gelu}, {1, 0, -1}), {0.8413447460685429, 0, -0.15865525393145707});
  // silu(x) = x / (1 + e^-x)
  requireValues(apply({Activation::Silu}, {1, 0, -1}), {0.7310585786300049, 0, -0.2689414213699951});
  requireValues(derivative({Activation::Gelu}, {0}), {0.5});
  requireValues(derivative({Activation::Silu}, {0}), {0.5});
}

TEST_CASE("tanh, sigmoid, softplus: values and no overflow at the extremes", "[activation]") {
  requireValues(apply({Activation::Tanh}, {1, 0, -1}), {0.7615941559557649, 0, -0.7615941559557649});
  requireValues(apply({Activation::Sigmoid}, {0, 2, -1000, 1000}), {0.5, 0.8807970779778823, 0, 1});
  requireValues(apply({Activation::Softplus}, {0, 1, -1000, 1000}),
                {0.6931471805599453, 1.3132616875182228, 0, 1000});
  requireValues(derivative({Activation::Sigmoid}, {0}), {0.25});
  requireValues(derivative({Activation::Tanh}, {0}), {1});
}

TEST_CASE("prelu: the initial slope is alpha", "[activation]") {
  requireValues(apply({Activation::Prelu, 0.25}, {-2, 0, 3}), {-0.5, 0, 3});
}

TEST_CASE("rrelu: random slope in [lower, upper] while training, the mean in eval", "[activation]") {
  Rng noise(3);
  ActivationConfig config{Activation::Rrelu};
  config.rreluLower = 0.1;
  config.rreluUpper = 0.3;
  auto layer = makeActivation(config, 1, &noise);
  Matrix x = Matrix::Constant(1, 1000, -1);
  Matrix y;
  layer->forward(x, y);
  CHECK(y.minCoeff() >= -0.3);
  CHECK(y.maxCoeff() <= -0.1);
  CHECK(y.mean() == Approx(-0.2).margin(0.01));  // std of the mean: 0.2/sqrt(12)/sqrt(1000) = 0.0018
  layer->setTraining(false);
  layer->forward(x, y);
  CHECK(y.minCoeff() == Approx(-0.2));
  CHECK(y.maxCoeff() == Approx(-0.2));
}

TEST_CASE("activation names and bad settings", "[activation][config]") {
  CHECK(parseActivation("leaky_relu") == Activation::LeakyRelu);
  CHECK(activationName(Activation::Softplus) == "softplus");
  CHECK_THROWS_WITH(parseActivation("lrelu"),
                    Contains("unknown value 'lrelu'") && Contains("allowed: relu, leaky_relu"));
  CHECK_THROWS_AS(makeActivation({Activation::LeakyRelu, std::nan("")}, 3, nullptr), ConfigError);
  CHECK_THROWS_WITH(makeActivation({Activation::LeakyRelu, std::nan("")}, 3, nullptr),
                    Contains("alpha must be a finite number"));
  CHECK_THROWS_WITH(makeActivation({Activation::Elu, -1.0}, 3, nullptr), Contains("alpha must be >= 0"));
  ActivationConfig badRange{Activation::Rrelu};
  badRange.rreluLower = 0.5;
  badRange.rreluUpper = 0.1;
  Rng noise(1);
  CHECK_THROWS_WITH(makeActivation(badRange, 3, &noise), Contains("0 <= lower <= upper"));
  CHECK(usesAlpha(Activation::Elu));
  CHECK_FALSE(usesAlpha(Activation::Relu));
  CHECK(isLeakyFamily(Activation::Prelu));
  CHECK_FALSE(isLeakyFamily(Activation::Relu));
}
