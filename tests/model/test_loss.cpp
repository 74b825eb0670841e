#include <catch2/catch.hpp>
#include <cmath>

#include "model/loss.hpp"

using namespace actsweep::model;
using Catch::Matchers::Contains;

TEST_CASE("cross-entropy: values by hand, stable for huge logits", "[loss]") {
  SoftmaxCrossEntropy loss;
  Matrix logits(2, 2);
  logits << 0, 1000,  //
      0, 0;
  Matrix labels(1, 2);
  labels << 0, 1;
  // sample 1: log 2; sample 2: logsumexp(1000, 0) - 0 = 1000 (no overflow)
  Matrix gradient;
  CHECK(loss.evaluate(logits, labels, &gradient) == Approx((std::log(2.0) + 1000) / 2));
  // dz = (softmax - onehot) / B
  CHECK(gradient(0, 0) == Approx(-0.25));
  CHECK(gradient(1, 0) == Approx(0.25));
  CHECK(gradient(0, 1) == Approx(0.5));
  CHECK(gradient(1, 1) == Approx(-0.5));
  CHECK(gradient.allFinite());
}

TEST_CASE("cross-entropy: rejects labels that are not class indices", "[loss]") {
  SoftmaxCrossEntropy loss;
  Matrix logits = Matrix::Zero(3, 1);
  Matrix labels(1, 1);
  labels << 3;
  CHECK_THROWS_WITH(loss.evaluate(logits, labels, nullptr), Contains("not a class index in [0, 3)"));
  labels << 1.5;
  CHECK_THROWS_AS(loss.evaluate(logits, labels, nullptr), std::invalid_argument);
}

TEST_CASE("mse: mean over all elements", "[loss]") {
  MeanSquaredError loss;
  Matrix predictions(2, 1), targets(2, 1);
  predictions << 1, 3;
  targets << 0, 1;
  Matrix gradient;
  CHECK(loss.evaluate(predictions, targets, &gradient) == Approx((1 + 4) / 2.0));
  CHECK(gradient(0, 0) == Approx(1));  // 2 (1 - 0) / 2
  CHECK(gradient(1, 0) == Approx(2));
  CHECK_THROWS_WITH(loss.evaluate(predictions, Matrix::Zero(3, 1), nullptr), Contains("values per sample"));
}

TEST_CASE("countCorrect and loss names", "[loss]") {
  Matrix logits(3, 3);
  logits << 1, 0, 0,  //
      0, 1, 0,        //
      0, 0, 1;
  Matrix labels(1, 3);
  labels << 0, 1, 0;
  CHECK(countCorrect(logits, labels) == 2);
  CHECK(parseLoss("mse") == LossKind::MeanSquaredError);
  CHECK_THROWS_WITH(parseLoss("hinge"), Contains("allowed: cross_entropy, mse"));
}
