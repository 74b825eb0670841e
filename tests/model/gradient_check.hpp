#pragma once
// Finite-difference checks of backward(), in the spirit of mlpack's
// CheckGradient: every analytic gradient is compared with central differences
//   dL/dv ~ (L(v + h) - L(v - h)) / (2h)
// of a scalar L. For a layer, L = sum_ij w_ij y_ij with a fixed random w, so
// dL/dy = w is what backward receives.
//
// The error reported is the relative error of the whole gradient,
//   |analytic - numeric| / max(|analytic| + |numeric|, 1e-2)   (Frobenius norms),
// scale-free for gradients of norm >= 1e-2; below that it turns into an
// absolute error (x 100), so a gradient that is exactly zero in theory (a
// dense bias followed by batch norm) is not judged by its rounding noise.
//
// Tolerances (the test is compiled against the double and the float library):
//  - double: h = 1e-6. Truncation error ~ h^2 |L'''| ~ 1e-12, rounding
//    ~ eps |L| / h ~ 1e-16 * 10 / 1e-6 = 1e-9; errors seen are ~1e-9..1e-8,
//    so 1e-6 leaves room while a wrong formula (errors >= 1e-2) cannot pass.
//  - float: h = 1e-2 (rounding ~ 6e-8 * 10 / 1e-2 = 6e-5, truncation ~ 1e-4),
//    and in a whole network a +-h step can move a hidden pre-activation across
//    a kink; errors seen are 1e-5..2e-2; the tolerance is 5e-2. This run only
//    shows the float build computes the same thing; the double run, whose
//    worst error seen is 1e-9, checks the algebra.
// Inputs are kept at least 0.05 away from 0 so that no difference straddles
// the kink of relu-like functions.

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "model/layer.hpp"
#include "model/random.hpp"

namespace actsweep::testing {

using model::Matrix;
using model::Scalar;

constexpr bool kDouble = sizeof(Scalar) == sizeof(double);
constexpr double kStep = kDouble ? 1e-6 : 1e-2;
constexpr double kTolerance = kDouble ? 1e-6 : 5e-2;

inline Matrix randomMatrix(Eigen::Index rows, Eigen::Index cols, model::Rng& rng, double scale = 1.0) {
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(rng.normal(0, scale));
  return m;
}

// Moves entries closer than `margin` to zero out to +-margin (away from kinks).
inline Matrix awayFromZero(Matrix m, double margin = 0.05) {
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    Scalar& v = m.data()[i];
    if (std::abs(v) < margin) v = static_cast<Scalar>(v < 0 ? -margin : margin);
  }
  return m;
}

inline double relativeError(const Matrix& analytic, const Matrix& numeric) {
  const Eigen::MatrixXd a = analytic.cast<double>(), n = numeric.cast<double>();
  return (a - n).norm() / std::max(a.norm() + n.norm(), 1e-2);
}

// Central differences of loss() with respect to every entry of `values`.
inline Matrix numericalGradient(Matrix& values, const std::function<double()>& loss) {
  Matrix numeric(values.rows(), values.cols());
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const Scalar saved = values.data()[i];
    values.data()[i] = static_cast<Scalar>(saved + kStep);
    const double plus = loss();
    values.data()[i] = static_cast<Scalar>(saved - kStep);
    const double minus = loss();
    values.data()[i] = saved;
    numeric.data()[i] = static_cast<Scalar>((plus - minus) / (2 * kStep));
  }
  return numeric;
}

struct GradientErrors {
  double input = 0;                                    // dL/dx
  std::vector<std::pair<std::string, double>> params;  // dL/dparam, by name
  double worst() const {
    double w = input;
    for (const auto& [name, e] : params) w = std::max(w, e);
    return w;
  }
};

// beforeForward runs before every forward pass: layers that draw random
// numbers (dropout, rrelu) get their RNG reset there, so every pass sees the
// same mask or slopes.
inline GradientErrors checkLayer(
    model::Layer& layer, Matrix x, model::Rng& rng, const std::function<void()>& beforeForward = [] {}) {
  Matrix y;
  beforeForward();
  layer.forward(x, y);
  const Matrix weights = randomMatrix(y.rows(), y.cols(), rng);
  auto loss = [&] {
    Matrix out;
    beforeForward();
    layer.forward(x, out);
    return (out.cast<double>().array() * weights.cast<double>().array()).sum();
  };

  beforeForward();
  layer.forward(x, y);
  for (auto& p : layer.params()) p.grad->setZero();
  Matrix dx;
  layer.backward(weights, &dx);

  GradientErrors errors;
  std::vector<Matrix> analyticParams;
  for (auto& p : layer.params()) analyticParams.push_back(*p.grad);
  errors.input = relativeError(dx, numericalGradient(x, loss));
  auto params = layer.params();
  for (std::size_t k = 0; k < params.size(); ++k)
    errors.params.emplace_back(params[k].name,
                               relativeError(analyticParams[k], numericalGradient(*params[k].value, loss)));
  return errors;
}

}  // namespace actsweep::testing
