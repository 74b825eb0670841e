// Forward behaviour of the layers with state: dense, dropout, batch norm, layer norm.
#include <catch2/catch.hpp>

#include "model/dense.hpp"
#include "model/dropout.hpp"
#include "model/errors.hpp"
#include "model/norms.hpp"

using namespace actsweep::model;
using Catch::Matchers::Contains;

TEST_CASE("dense: y = W x + b by hand", "[layer]") {
  Dense dense(2, 2);
  dense.weight() << 1, 2, 3, 4;
  dense.bias() << 0.5, -1;
  Matrix x(2, 2);  // two samples as columns: (1, 1) and (0, 2)
  x << 1, 0, 1, 2;
  Matrix y;
  dense.forward(x, y);
  Matrix expected(2, 2);
  expected << 3.5, 4.5, 6, 7;  // (1+2+0.5, 0+4+0.5), (3+4-1, 0+8-1)
  CHECK(y.isApprox(expected));
  CHECK(dense.describe() == "dense(2 -> 2)");
  CHECK_THROWS_AS(Dense(0, 3), ConfigError);
  CHECK_THROWS_WITH(Dense(3, -1), Contains("sizes must be >= 1"));
}

TEST_CASE("dense: backward accumulates parameter gradients", "[layer]") {
  Dense dense(2, 1);
  dense.weight() << 1, 1;
  Matrix x(2, 1);
  x << 2, 3;
  Matrix y, dy = Matrix::Ones(1, 1);
  dense.forward(x, y);
  dense.backward(dy, nullptr);
  dense.backward(dy, nullptr);
  CHECK(dense.weightGrad()(0, 0) == Approx(4));  // 2 x (dy x_0) = 2 x 2
  CHECK(dense.weightGrad()(0, 1) == Approx(6));
}

TEST_CASE("dropout: inverted scaling in training, identity in eval", "[layer]") {
  Rng noise(5);
  Dropout dropout(0.25, noise);
  const Matrix x = Matrix::Ones(100, 100);
  Matrix y;
  dropout.forward(x, y);
  const double dropped = (y.array() == 0).cast<double>().mean();
  CHECK(dropped == Approx(0.25).margin(0.02));  // binomial std: sqrt(.25 .75 / 1e4) = 0.0043
  CHECK(((y.array() == 0) || (y.array() == Scalar(1 / 0.75))).all());
  CHECK(y.mean() == Approx(1).margin(0.03));  // E[y] = x
  dropout.setTraining(false);
  dropout.forward(x, y);
  CHECK(y == x);
  CHECK_THROWS_WITH(Dropout(1.0, noise), Contains("[0, 1)"));
}

TEST_CASE("batch norm: normalizes each unit over the batch; eval uses running statistics", "[layer][norm]") {
  BatchNorm norm(2, 0.5, 1e-5);
  Matrix x(2, 4);
  x << 1, 2, 3, 4,  //
      10, 10, 10, 10;
  Matrix y;
  norm.forward(x, y);
  CHECK(y.row(0).mean() == Approx(0).margin(1e-6));
  CHECK(y.row(0).array().square().mean() == Approx(1).epsilon(1e-4));  // biased variance 1 after normalizing
  CHECK(y.row(1).isZero(1e-6));                                        // a constant unit becomes 0
  // running = (1 - 0.5) * initial + 0.5 * batch; the running variance is unbiased:
  // row 0 has mean 2.5, biased var 1.25, unbiased 1.25 * 4/3.
  CHECK(norm.runningMean()(0) == Approx(1.25));
  CHECK(norm.runningMean()(1) == Approx(5));
  CHECK(norm.runningVar()(0) == Approx(0.5 + 0.5 * 1.25 * 4 / 3));
  CHECK(norm.runningVar()(1) == Approx(0.5));
  norm.setTraining(false);
  Matrix one(2, 1);
  one << 1.25, 5;  // exactly the running means: normalized to 0 = beta
  norm.forward(one, y);
  CHECK(y.isZero(1e-6));
}

TEST_CASE("layer norm: normalizes each sample over its units", "[layer][norm]") {
  LayerNorm norm(3, 1e-5);
  Matrix x(3, 2);
  x << 1, -5, 2, 0, 3, 5;
  Matrix y;
  norm.forward(x, y);
  for (int j = 0; j < 2; ++j) {
    CHECK(y.col(j).mean() == Approx(0).margin(1e-6));
    CHECK(y.col(j).array().square().mean() == Approx(1).epsilon(1e-4));
  }
  CHECK(parseNorm("layer") == Norm::Layer);
  CHECK(makeNorm({Norm::None}, 3, "n") == nullptr);
  CHECK_THROWS_WITH(parseNorm("group"), Contains("allowed: none, batch, layer"));
  CHECK_THROWS_WITH(makeNorm({Norm::Batch, 1.5}, 3, "n"), Contains("momentum must be in [0, 1]"));
}
