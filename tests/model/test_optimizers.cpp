// Optimizer updates against values worked out by hand, two steps each, so that
// the state carried from step 1 to step 2 (velocity, moments, bias
// correction) is checked, not only the first update.
//
// Every case uses a (2 x 2) weight (role Weight) and a (2 x 1) bias (role
// Bias) and lr = 0.1. Matrices are written row by row.

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/optimizers.hpp"

namespace actsweep::model {
namespace {

// Float state, values of order 1: a few float roundings are ~1e-7, and every
// wrong formula checked here is off by 1e-3 or more.
constexpr double kTolerance = 1e-5;

struct WeightAndBias {
  Matrix weight = Matrix::Zero(2, 2), weightGrad = Matrix::Zero(2, 2);
  Matrix bias = Matrix::Zero(2, 1), biasGrad = Matrix::Zero(2, 1);

  std::vector<Param> params() {
    return {{"dense.weight", &weight, &weightGrad, ParamRole::Weight},
            {"dense.bias", &bias, &biasGrad, ParamRole::Bias}};
  }
};

Eigen::MatrixXd rows2x2(double a, double b, double c, double d) {
  Eigen::MatrixXd m(2, 2);
  m << a, b, c, d;
  return m;
}

Eigen::MatrixXd column2(double a, double b) {
  Eigen::MatrixXd m(2, 1);
  m << a, b;
  return m;
}

void checkNear(const Matrix& actual, const Eigen::MatrixXd& expected) {
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  for (Eigen::Index r = 0; r < expected.rows(); ++r)
    for (Eigen::Index c = 0; c < expected.cols(); ++c) {
      INFO("element (" << r << ", " << c << ")");
      CHECK(actual(r, c) == Approx(expected(r, c)).margin(kTolerance));
    }
}

OptimizerConfig sgdConfig(double momentum, bool nesterov, double weightDecay) {
  OptimizerConfig config;
  config.kind = OptimizerKind::Sgd;
  config.momentum = momentum;
  config.nesterov = nesterov;
  config.weightDecay = weightDecay;
  return config;
}

OptimizerConfig adamConfig(OptimizerKind kind, double weightDecay) {
  OptimizerConfig config;
  config.kind = kind;  // beta1 0.9, beta2 0.999, epsilon 1e-8: the defaults
  config.weightDecay = weightDecay;
  return config;
}

// The SGD cases share one start and one pair of gradients:
//   W0 = [1 2; -1 0.5]   gW1 = [0.5 -1; 2 0]   gW2 = [1 1; -1 0.5]
//   b0 = [1; -2]         gb1 = [1; 0.5]        gb2 = [-1; 2]
struct SgdCase : WeightAndBias {
  SgdCase() {
    weight = rows2x2(1, 2, -1, 0.5).cast<Scalar>();
    bias = column2(1, -2).cast<Scalar>();
  }
  void setFirstGradients() {
    weightGrad = rows2x2(0.5, -1, 2, 0).cast<Scalar>();
    biasGrad = column2(1, 0.5).cast<Scalar>();
  }
  void setSecondGradients() {
    weightGrad = rows2x2(1, 1, -1, 0.5).cast<Scalar>();
    biasGrad = column2(-1, 2).cast<Scalar>();
  }
};

}  // namespace

TEST_CASE("optimizer names parse, and an unknown name lists the allowed ones", "[optim]") {
  CHECK(parseOptimizer("sgd") == OptimizerKind::Sgd);
  CHECK(parseOptimizer("adam") == OptimizerKind::Adam);
  CHECK(parseOptimizer("adamw") == OptimizerKind::AdamW);
  CHECK(nameOf(optimizerNames(), OptimizerKind::AdamW) == "adamw");
  REQUIRE_THROWS_AS(parseOptimizer("adma"), ConfigError);
  REQUIRE_THROWS_WITH(parseOptimizer("adma"),
                      Catch::Contains("adma") && Catch::Contains("allowed") && Catch::Contains("adam"));
}

TEST_CASE("plain sgd: w -= lr * grad", "[optim]") {
  SgdCase p;
  auto optimizer = makeOptimizer(sgdConfig(0.0, false, 0.0), p.params());

  p.setFirstGradients();
  optimizer->step(0.1);
  // W1 = W0 - 0.1 gW1 = [1-0.05  2+0.1; -1-0.2  0.5-0]
  checkNear(p.weight, rows2x2(0.95, 2.1, -1.2, 0.5));
  checkNear(p.bias, column2(0.9, -2.05));  // [1-0.1; -2-0.05]

  p.setSecondGradients();
  optimizer->step(0.1);
  // W2 = W1 - 0.1 gW2 = [0.95-0.1  2.1-0.1; -1.2+0.1  0.5-0.05]
  checkNear(p.weight, rows2x2(0.85, 2.0, -1.1, 0.45));
  checkNear(p.bias, column2(1.0, -2.25));  // [0.9+0.1; -2.05-0.2]
}

TEST_CASE("sgd with momentum: the buffer starts at the first gradient", "[optim]") {
  SgdCase p;
  auto optimizer = makeOptimizer(sgdConfig(0.9, false, 0.0), p.params());

  // Step 1: v = g1, w -= 0.1 v: the same as plain sgd.
  p.setFirstGradients();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(0.95, 2.1, -1.2, 0.5));
  checkNear(p.bias, column2(0.9, -2.05));

  // Step 2: v = 0.9 g1 + g2
  //   weight: [0.45+1  -0.9+1; 1.8-1  0+0.5] = [1.45 0.1; 0.8 0.5]
  //   bias:   [0.9-1; 0.45+2]                = [-0.1; 2.45]
  p.setSecondGradients();
  optimizer->step(0.1);
  // W2 = W1 - 0.1 v = [0.95-0.145  2.1-0.01; -1.2-0.08  0.5-0.05]
  checkNear(p.weight, rows2x2(0.805, 2.09, -1.28, 0.45));
  checkNear(p.bias, column2(0.91, -2.295));  // [0.9+0.01; -2.05-0.245]
}

TEST_CASE("sgd with nesterov momentum: the step uses g + mu v", "[optim]") {
  SgdCase p;
  auto optimizer = makeOptimizer(sgdConfig(0.9, true, 0.0), p.params());

  // Step 1: v = g1, step g1 + 0.9 v = 1.9 g1, w -= 0.19 g1.
  p.setFirstGradients();
  optimizer->step(0.1);
  // [1-0.095  2+0.19; -1-0.38  0.5-0]
  checkNear(p.weight, rows2x2(0.905, 2.19, -1.38, 0.5));
  checkNear(p.bias, column2(0.81, -2.095));  // [1-0.19; -2-0.095]

  // Step 2: v = 0.9 g1 + g2 = [1.45 0.1; 0.8 0.5] and [-0.1; 2.45] (as above),
  //   step g2 + 0.9 v:
  //   weight: [1+1.305  1+0.09; -1+0.72  0.5+0.45] = [2.305 1.09; -0.28 0.95]
  //   bias:   [-1-0.09; 2+2.205]                   = [-1.09; 4.205]
  p.setSecondGradients();
  optimizer->step(0.1);
  // [0.905-0.2305  2.19-0.109; -1.38+0.028  0.5-0.095]
  checkNear(p.weight, rows2x2(0.6745, 2.081, -1.352, 0.405));
  checkNear(p.bias, column2(0.919, -2.5155));  // [0.81+0.109; -2.095-0.4205]
}

TEST_CASE("sgd with L2 decay: g = grad + wd w, on the weight only", "[optim]") {
  SgdCase p;
  auto optimizer = makeOptimizer(sgdConfig(0.0, false, 0.5), p.params());

  // Step 1: g = gW1 + 0.5 W0 = [0.5+0.5  -1+1; 2-0.5  0+0.25] = [1 0; 1.5 0.25]
  p.setFirstGradients();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(0.9, 2.0, -1.15, 0.475));
  checkNear(p.bias, column2(0.9, -2.05));  // as plain sgd: no decay on a bias

  // Step 2: g = gW2 + 0.5 W1 = [1+0.45  1+1; -1-0.575  0.5+0.2375]
  //                         = [1.45 2; -1.575 0.7375]
  p.setSecondGradients();
  optimizer->step(0.1);
  // [0.9-0.145  2-0.2; -1.15+0.1575  0.475-0.07375]
  checkNear(p.weight, rows2x2(0.755, 1.8, -0.9925, 0.40125));
  checkNear(p.bias, column2(1.0, -2.25));
}

TEST_CASE("adam: bias correction makes the first steps lr * sign(g)", "[optim]") {
  // Per element of the weight, (g1, g2):
  //   (0,0): (1, 1)   (0,1): (-2, -2)   (1,0): (1, 0)   (1,1): (0.5, -0.5)
  // Step 1: mhat = m/(1-0.9) = g1 and vhat = v/(1-0.999) = g1^2, so every
  // element moves by lr * g1/|g1| = 0.1 against its gradient (without the
  // correction it would be 0.1 * 0.1/sqrt(0.001) = 0.316).
  // Step 2: mhat = (0.9 g1 + g2)/1.9, vhat = (0.999 g1^2 + g2^2)/1.999, i.e.
  //   m = 0.1 (0.9 g1 + g2) over 1 - 0.81 = 0.19, v = 0.001 (0.999 g1^2 + g2^2)
  //   over 1 - 0.998001 = 0.001999.
  WeightAndBias p;
  p.weight = rows2x2(1, 2, -1, 0.5).cast<Scalar>();
  p.bias = column2(1, -2).cast<Scalar>();
  auto optimizer = makeOptimizer(adamConfig(OptimizerKind::Adam, 0.0), p.params());

  p.weightGrad = rows2x2(1, -2, 1, 0.5).cast<Scalar>();
  p.biasGrad = column2(2, -1).cast<Scalar>();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(0.9, 2.1, -1.1, 0.4));
  checkNear(p.bias, column2(0.9, -1.9));

  p.weightGrad = rows2x2(1, -2, 0, -0.5).cast<Scalar>();
  p.biasGrad = column2(2, -1).cast<Scalar>();
  optimizer->step(0.1);
  // (0,0), (0,1) and the bias: g2 = g1, so mhat = g1, vhat = g1^2: 0.1 again.
  // (1,0): mhat = 0.9/1.9 = 0.4736842, vhat = 0.999/1.999 = 0.4997499,
  //        sqrt(vhat) = 0.7069299, step 0.1 * 0.4736842/0.7069299 = 0.0670058
  // (1,1): mhat = (0.45-0.5)/1.9 = -0.0263158, vhat = 0.25*1.999/1.999 = 0.25,
  //        step 0.1 * -0.0263158/0.5 = -0.0052632
  checkNear(p.weight, rows2x2(0.8, 2.2, -1.1670058, 0.4052632));
  checkNear(p.bias, column2(0.8, -1.8));
}

TEST_CASE("adam with L2 decay: g = grad + wd w enters the moments", "[optim]") {
  // wd = 0.5. Per element of the weight, (w0, grad1, grad2):
  //   (0,0): (2, 0, 0.05)   (0,1): (-1, -0.5, 0)   (1,0): (0, 1, 1.05)   (1,1): (4, -2, -2)
  // The bias has grads [0; -2] then [0.05; -2], like (0,0) and (1,1) of the
  // weight, and must move as if wd were 0.
  WeightAndBias p;
  p.weight = rows2x2(2, -1, 0, 4).cast<Scalar>();
  p.bias = column2(2, 4).cast<Scalar>();
  auto optimizer = makeOptimizer(adamConfig(OptimizerKind::Adam, 0.5), p.params());

  // Step 1: g = grad1 + 0.5 w0 = [0+1  -0.5-0.5; 1+0  -2+2] = [1 -1; 1 0].
  // A step of 0.1 against the sign of g; (1,1) has g = 0 and stays.
  p.weightGrad = rows2x2(0, -0.5, 1, -2).cast<Scalar>();
  p.biasGrad = column2(0, -2).cast<Scalar>();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(1.9, -0.9, -0.1, 4.0));
  // Bias g = grad: [0; -2] -> [2 (no gradient, no move); 4+0.1].
  checkNear(p.bias, column2(2.0, 4.1));

  // Step 2: g = grad2 + 0.5 w1 = [0.05+0.95  0-0.45; 1.05-0.05  -2+2] = [1 -0.45; 1 0].
  //   (0,0), (1,0): g2 = g1 = 1, so another 0.1.
  //   (0,1): mhat = (0.9*-1 - 0.45)/1.9 = -0.7105263,
  //          vhat = (0.999*1 + 0.2025)/1.999 = 0.6010505, sqrt = 0.7752745,
  //          step 0.1 * -0.7105263/0.7752745 = -0.0916484
  p.weightGrad = rows2x2(0.05, 0, 1.05, -2).cast<Scalar>();
  p.biasGrad = column2(0.05, -2).cast<Scalar>();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(1.8, -0.8083516, -0.2, 4.0));
  // Bias (0): g = 0 then 0.05: mhat = 0.1*0.05/0.19 = 0.05/1.9,
  //   vhat = 0.001*0.0025/0.001999 = 0.0025/1.999, so the step is
  //   0.1 * (0.05/1.9)/(0.05/sqrt(1.999)) = 0.1 * 1.4138600/1.9 = 0.0744137.
  // Bias (1): g = -2 twice: +0.1 again.
  checkNear(p.bias, column2(1.9255863, 4.2));
}

TEST_CASE("adamw: w -= lr wd w before an adam step on the raw gradient", "[optim]") {
  // wd = 0.5, lr = 0.1: each step first multiplies the weight by 1 - 0.05 = 0.95.
  // Per element of the weight, (w0, grad1, grad2):
  //   (0,0): (2, 1, 1)   (0,1): (-1, 0, 0)   (1,0): (0, -1, -1)   (1,1): (4, 2, -2)
  WeightAndBias p;
  p.weight = rows2x2(2, -1, 0, 4).cast<Scalar>();
  p.bias = column2(2, -1).cast<Scalar>();
  auto optimizer = makeOptimizer(adamConfig(OptimizerKind::AdamW, 0.5), p.params());

  // Step 1: decay [1.9 -0.95; 0 3.8], then 0.1 against the sign of the gradient
  // ((0,1) has no gradient: m = v = 0, no adam step).
  p.weightGrad = rows2x2(1, 0, -1, 2).cast<Scalar>();
  p.biasGrad = column2(1, 0).cast<Scalar>();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(1.8, -0.95, 0.1, 3.7));
  checkNear(p.bias, column2(1.9, -1.0));  // no decay: only the adam step

  // Step 2: decay [1.8*0.95  -0.95*0.95; 0.1*0.95  3.7*0.95] = [1.71 -0.9025; 0.095 3.515]
  //   (0,0), (1,0): g2 = g1, another 0.1 against the sign.
  //   (1,1): mhat = (0.9*2 - 2)/1.9 = -0.1052632, vhat = 4*1.999/1.999 = 4,
  //          step 0.1 * -0.1052632/2 = -0.0052632
  p.weightGrad = rows2x2(1, 0, -1, -2).cast<Scalar>();
  p.biasGrad = column2(1, 0).cast<Scalar>();
  optimizer->step(0.1);
  checkNear(p.weight, rows2x2(1.61, -0.9025, 0.195, 3.5202632));
  checkNear(p.bias, column2(1.8, -1.0));
}

TEST_CASE("weight decay never touches biases, slopes or norm parameters", "[optim]") {
  // With zero gradients, only decay can move a parameter: the weight must
  // move, every other role must stay exactly where it is.
  Matrix weight = Matrix::Constant(2, 2, 1), weightGrad = Matrix::Zero(2, 2);
  Matrix bias = Matrix::Constant(2, 1, 1), biasGrad = Matrix::Zero(2, 1);
  Matrix slope = Matrix::Constant(3, 1, 0.25), slopeGrad = Matrix::Zero(3, 1);
  Matrix scale = Matrix::Constant(2, 1, 1), scaleGrad = Matrix::Zero(2, 1);
  Matrix shift = Matrix::Constant(2, 1, 0.5), shiftGrad = Matrix::Zero(2, 1);
  auto kind = GENERATE(OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::AdamW);
  INFO("optimizer " << nameOf(optimizerNames(), kind));
  OptimizerConfig config;
  config.kind = kind;
  config.weightDecay = 0.5;
  if (kind == OptimizerKind::Sgd) config.momentum = 0.9;
  auto optimizer = makeOptimizer(config, {{"d.weight", &weight, &weightGrad, ParamRole::Weight},
                                          {"d.bias", &bias, &biasGrad, ParamRole::Bias},
                                          {"p.slope", &slope, &slopeGrad, ParamRole::Slope},
                                          {"n.scale", &scale, &scaleGrad, ParamRole::NormScale},
                                          {"n.shift", &shift, &shiftGrad, ParamRole::NormShift}});
  optimizer->step(0.1);
  optimizer->step(0.1);
  CHECK(weight(0, 0) < 1.0f);
  CHECK(bias == Matrix::Constant(2, 1, 1));
  CHECK(slope == Matrix::Constant(3, 1, 0.25));
  CHECK(scale == Matrix::Constant(2, 1, 1));
  CHECK(shift == Matrix::Constant(2, 1, 0.5));
}

TEST_CASE("zeroGrad sets every gradient to 0 and leaves the values", "[optim]") {
  WeightAndBias p;
  p.weight = rows2x2(1, 2, 3, 4).cast<Scalar>();
  p.weightGrad = rows2x2(5, -6, 7, 8).cast<Scalar>();
  p.biasGrad = column2(-1, 9).cast<Scalar>();
  auto optimizer = makeOptimizer(OptimizerConfig{}, p.params());
  CHECK(optimizer->params().size() == 2);
  CHECK(optimizer->params()[1].name == "dense.bias");
  optimizer->zeroGrad();
  CHECK(p.weightGrad.isZero(0));
  CHECK(p.biasGrad.isZero(0));
  checkNear(p.weight, rows2x2(1, 2, 3, 4));
}

TEST_CASE("clipGradientNorm scales all gradients to the max global norm", "[optim]") {
  // Gradients (3) and (4) in two params: global norm sqrt(9 + 16) = 5.
  Matrix a = Matrix::Zero(1, 1), aGrad = Matrix::Constant(1, 1, 3);
  Matrix b = Matrix::Zero(1, 1), bGrad = Matrix::Constant(1, 1, 4);
  const std::vector<Param> params = {{"a", &a, &aGrad, ParamRole::Weight},
                                     {"b", &b, &bGrad, ParamRole::Bias}};

  SECTION("over the limit: scaled by 1/5") {
    CHECK(clipGradientNorm(params, 1.0) == Approx(5.0));
    CHECK(aGrad(0, 0) == Approx(0.6));
    CHECK(bGrad(0, 0) == Approx(0.8));
    CHECK(clipGradientNorm(params, 1.0) == Approx(1.0));  // now at the limit
  }
  SECTION("under the limit: unchanged") {
    CHECK(clipGradientNorm(params, 10.0) == Approx(5.0));
    CHECK(aGrad(0, 0) == 3.0f);
    CHECK(bGrad(0, 0) == 4.0f);
  }
  SECTION("maxNorm 0 only measures") {
    CHECK(clipGradientNorm(params, 0.0) == Approx(5.0));
    CHECK(aGrad(0, 0) == 3.0f);
    CHECK(bGrad(0, 0) == 4.0f);
  }
}

TEST_CASE("validate rejects optimizer settings out of range", "[optim]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_NOTHROW(validate(OptimizerConfig{}));
  CHECK_NOTHROW(validate(sgdConfig(0.9, true, 1e-4)));
  CHECK_NOTHROW(validate(adamConfig(OptimizerKind::AdamW, 0.01)));

  CHECK_THROWS_WITH(validate(sgdConfig(1.0, false, 0.0)),
                    Catch::Contains("momentum") && Catch::Contains("allowed"));
  CHECK_THROWS_AS(validate(sgdConfig(-0.1, false, 0.0)), ConfigError);
  CHECK_THROWS_AS(validate(sgdConfig(nan, false, 0.0)), ConfigError);
  CHECK_THROWS_WITH(validate(sgdConfig(0.0, true, 0.0)), Catch::Contains("nesterov"));
  CHECK_THROWS_WITH(validate(sgdConfig(0.0, false, -0.1)),
                    Catch::Contains("weight decay") && Catch::Contains(">= 0"));
  CHECK_THROWS_AS(validate(sgdConfig(0.0, false, nan)), ConfigError);
  CHECK_THROWS_AS(validate(sgdConfig(0.0, false, inf)), ConfigError);

  OptimizerConfig config = adamConfig(OptimizerKind::Adam, 0.0);
  config.beta1 = 1.0;
  CHECK_THROWS_WITH(validate(config), Catch::Contains("beta1"));
  config = adamConfig(OptimizerKind::Adam, 0.0);
  config.beta2 = -0.5;
  CHECK_THROWS_WITH(validate(config), Catch::Contains("beta2"));
  config = adamConfig(OptimizerKind::Adam, 0.0);
  config.beta2 = nan;
  CHECK_THROWS_AS(validate(config), ConfigError);
  for (double epsilon : {0.0, -1e-8, nan, inf}) {
    config = adamConfig(OptimizerKind::Adam, 0.0);
    config.epsilon = epsilon;
    CHECK_THROWS_WITH(validate(config), Catch::Contains("epsilon"));
  }

  // makeOptimizer validates before building.
  Matrix w = Matrix::Zero(1, 1), wGrad = Matrix::Zero(1, 1);
  CHECK_THROWS_AS(makeOptimizer(sgdConfig(0.0, true, 0.0), {{"w", &w, &wGrad, ParamRole::Weight}}),
                  ConfigError);
}

TEST_CASE("an optimizer rejects a gradient of another shape than its value", "[optim]") {
  Matrix w = Matrix::Zero(2, 3), wGrad = Matrix::Zero(3, 2);
  CHECK_THROWS_WITH(makeOptimizer(OptimizerConfig{}, {{"d.weight", &w, &wGrad, ParamRole::Weight}}),
                    Catch::Contains("d.weight") && Catch::Contains("(2 x 3)") && Catch::Contains("(3 x 2)"));
}

}  // namespace actsweep::model
