#include "model/initializers.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "model/format.hpp"

namespace actsweep::model {
namespace {

void fillNormal(Matrix& m, double stddev, Rng& rng) {
  for (Eigen::Index col = 0; col < m.cols(); ++col)
    for (Eigen::Index row = 0; row < m.rows(); ++row)
      m(row, col) = static_cast<Scalar>(rng.normal(0.0, stddev));
}

void fillUniform(Matrix& m, double limit, Rng& rng) {
  for (Eigen::Index col = 0; col < m.cols(); ++col)
    for (Eigen::Index row = 0; row < m.rows(); ++row)
      m(row, col) = static_cast<Scalar>(rng.uniform(-limit, limit));
}

// A (fanOut x fanIn) matrix with orthonormal columns (tall: W^T W = I) or
// orthonormal rows (wide: W W^T = I), times gain.
//
// QR of a Gaussian (tall x narrow) matrix G = Q R gives orthonormal columns Q,
// but Householder QR fixes the signs of diag(R) by convention, which biases Q.
// Multiplying column c of Q by sign(R(c, c)) makes Q Haar-distributed, i.e.
// uniform over matrices with orthonormal columns (Mezzadri 2007, "How to
// generate random matrices from the classical compact groups").
// Computed in double so that the orthonormality survives to float.
void fillOrthogonal(Matrix& weight, double gain, Rng& rng) {
  const Eigen::Index tall = std::max(weight.rows(), weight.cols());
  const Eigen::Index narrow = std::min(weight.rows(), weight.cols());
  if (narrow == 0) return;

  Eigen::MatrixXd gaussian(tall, narrow);
  for (Eigen::Index col = 0; col < narrow; ++col)
    for (Eigen::Index row = 0; row < tall; ++row) gaussian(row, col) = rng.normal();

  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(tall, narrow);  // thin Q
  const Eigen::VectorXd diagonalR = qr.matrixQR().diagonal();
  for (Eigen::Index col = 0; col < narrow; ++col)
    if (diagonalR(col) < 0.0) q.col(col) *= -1.0;
  q *= gain;

  if (weight.rows() >= weight.cols())
    weight = q.cast<Scalar>();
  else
    weight = q.transpose().cast<Scalar>();
}

// The constant c in sigma = c / sqrt(fanIn + 1) for rai with P = Beta(2, 1).
//
// Lu, Shin, Su & Karniadakis, "Dying ReLU and Initialization: Theory and
// Numerical Examples", Commun. Comput. Phys. 28(5):1671-1706, 2020
// (arXiv:1903.06733), take P = Beta(2, 1) and Q = N(0, sigma^2) with
// sigma = 0.6007 / sqrt(N_in + 1), N_in + 1 = fanIn + 1 being the length of a
// row of [W b], the constant coming from a second-moment (He-style) analysis
// that rules out exploding activations. The bound below is a reconstruction
// of that analysis which reproduces the constant. For one unit with input
// x >= 0 (a ReLU output), x~ = [x; 1] and q = |x~|^2 / (fanIn + 1):
//   y = v . x~ = P x~_k + eta,  eta = sum_{j != k} v_j x~_j ~ N(0, <= c^2 q)
//   relu(y) <= P x~_k + relu(eta)                                  (P >= 0)
//   E relu(y)^2 <= E[P^2] q + 2 E[P] sqrt(q) c sqrt(q) / sqrt(2 pi) + c^2 q / 2
// (E over the uniform k gives E[x~_k^2] = q and E[x~_k] <= sqrt(q); for a
// centred Gaussian E relu(eta) = sd / sqrt(2 pi) and E relu(eta)^2 = var / 2).
// Asking the factor of q to be 1:
//   c^2 / 2 + 2 E[P] c / sqrt(2 pi) + E[P^2] = 1,  E[P] = 2/3, E[P^2] = 1/2
// whose positive root is c = 0.60075, the paper's 0.6007. Computed rather
// than hard-coded so that the constant and its derivation cannot drift apart.
double raiGaussianScale() {
  constexpr double meanP = 2.0 / 3.0;
  constexpr double secondMomentP = 0.5;
  // c^2 + b c - d = 0
  const double b = 4.0 * meanP / std::sqrt(2.0 * std::numbers::pi);
  const double d = 2.0 * (1.0 - secondMomentP);
  return (-b + std::sqrt(b * b + 4.0 * d)) / 2.0;
}

// Randomized asymmetric initialization; see the header for the algorithm and
// raiGaussianScale for sigma. Each unit's vector V(s, :) = [W(s, :), b(s)] gets
// one entry from Beta(2, 1) at a uniformly random position, so every unit has a
// positive weight or bias, where a symmetric init leaves it to chance; that
// asymmetry is what lowers the probability of a deep narrow ReLU net being
// born dead (constant output from initialization on).
void fillRai(Matrix& weight, Matrix& bias, Rng& rng) {
  static const double scale = raiGaussianScale();
  const Eigen::Index fanIn = weight.cols();
  const double sigma = scale / std::sqrt(static_cast<double>(fanIn + 1));

  for (Eigen::Index unit = 0; unit < weight.rows(); ++unit) {
    const auto positive = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(fanIn + 1)));
    for (Eigen::Index j = 0; j <= fanIn; ++j) {
      // Beta(2, 1) has CDF p^2, so sqrt of a uniform; 1 - U lies in (0, 1], which
      // keeps the draw strictly positive.
      const double value = j == positive ? std::sqrt(1.0 - rng.uniform()) : rng.normal(0.0, sigma);
      if (j < fanIn)
        weight(unit, j) = static_cast<Scalar>(value);
      else
        bias(unit, 0) = static_cast<Scalar>(value);
    }
  }
}

}  // namespace

const NameTable<Init>& initNames() {
  static const NameTable<Init> table{
      {"he_normal", Init::HeNormal},
      {"he_uniform", Init::HeUniform},
      {"xavier_normal", Init::XavierNormal},
      {"xavier_uniform", Init::XavierUniform},
      {"lecun_normal", Init::LecunNormal},
      {"lecun_uniform", Init::LecunUniform},
      {"orthogonal", Init::Orthogonal},
      {"normal", Init::Normal},
      {"uniform", Init::Uniform},
      {"rai", Init::Rai},
  };
  return table;
}

Init parseInit(std::string_view name) { return parseName(initNames(), name, "init"); }

const NameTable<BiasInit>& biasInitNames() {
  static const NameTable<BiasInit> table{{"zero", BiasInit::Zero}, {"constant", BiasInit::Constant}};
  return table;
}

void validate(const InitConfig& config) {
  const std::string kind(nameOf(initNames(), config.kind));
  const std::string got = ", got " + formatNumber(config.scale);
  switch (config.kind) {
    case Init::Normal:
    case Init::Uniform:
      if (!std::isfinite(config.scale) || config.scale <= 0.0)
        throw ConfigError("init: " + kind + " needs scale (the " +
                          (config.kind == Init::Normal ? "std" : "limit") + ") > 0" + got +
                          " (allowed: a finite number > 0)");
      break;
    case Init::Orthogonal:
      if (!std::isfinite(config.scale) || config.scale < 0.0)
        throw ConfigError("init: orthogonal takes scale as the gain" + got +
                          " (allowed: a finite number >= 0, where 0 means gain 1)");
      break;
    default:
      break;  // the other kinds ignore scale
  }
  if (config.bias == BiasInit::Constant && !std::isfinite(config.biasValue))
    throw ConfigError("init: bias constant needs a finite bias value, got " + formatNumber(config.biasValue) +
                      " (allowed: any finite number)");
}

void initializeDense(Matrix& weight, Matrix& bias, const InitConfig& config, Rng& rng) {
  validate(config);
  if (bias.rows() != weight.rows() || bias.cols() != 1)
    throw std::invalid_argument("initializeDense: bias is " + shapeOf(bias) + " but weight " +
                                shapeOf(weight) + " needs a (" + std::to_string(weight.rows()) +
                                " x 1) bias");

  const auto fanIn = static_cast<double>(weight.cols());
  const auto fanOut = static_cast<double>(weight.rows());
  switch (config.kind) {
    case Init::HeNormal:  // N(0, 2/fanIn): E[y^2] stays constant through ReLU layers (He et al. 2015)
      fillNormal(weight, std::sqrt(2.0 / fanIn), rng);
      break;
    case Init::HeUniform:  // U(+-sqrt(6/fanIn)): variance limit^2/3 = 2/fanIn, as he_normal
      fillUniform(weight, std::sqrt(6.0 / fanIn), rng);
      break;
    case Init::XavierNormal:  // N(0, 2/(fanIn+fanOut)): forward/backward compromise (Glorot & Bengio 2010)
      fillNormal(weight, std::sqrt(2.0 / (fanIn + fanOut)), rng);
      break;
    case Init::XavierUniform:  // U(+-sqrt(6/(fanIn+fanOut))): variance 2/(fanIn+fanOut)
      fillUniform(weight, std::sqrt(6.0 / (fanIn + fanOut)), rng);
      break;
    case Init::LecunNormal:  // N(0, 1/fanIn): unit gain for linear and tanh-like units (LeCun et al. 1998)
      fillNormal(weight, std::sqrt(1.0 / fanIn), rng);
      break;
    case Init::LecunUniform:  // U(+-sqrt(3/fanIn)): variance 1/fanIn
      fillUniform(weight, std::sqrt(3.0 / fanIn), rng);
      break;
    case Init::Orthogonal:
      fillOrthogonal(weight, config.scale == 0.0 ? 1.0 : config.scale, rng);
      break;
    case Init::Normal:  // N(0, scale^2)
      fillNormal(weight, config.scale, rng);
      break;
    case Init::Uniform:  // U(-scale, +scale)
      fillUniform(weight, config.scale, rng);
      break;
    case Init::Rai:
      fillRai(weight, bias, rng);
      return;  // rai has drawn the bias too
  }

  if (config.bias == BiasInit::Constant)
    bias.setConstant(static_cast<Scalar>(config.biasValue));
  else
    bias.setZero();
}

}  // namespace actsweep::model
