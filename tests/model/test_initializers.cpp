#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/initializers.hpp"

using namespace actsweep::model;

namespace {

using MatrixD = Eigen::MatrixXd;

struct Moments {
  double mean;
  double variance;  // unbiased
};

Moments momentsOf(const Matrix& m) {
  const MatrixD values = m.cast<double>();
  const double mean = values.mean();
  const double variance = (values.array() - mean).square().sum() / static_cast<double>(values.size() - 1);
  return {mean, variance};
}

InitConfig configFor(Init kind, double scale = 0.0) {
  InitConfig config;
  config.kind = kind;
  config.scale = scale;
  return config;
}

// [W b]: (fanOut x (fanIn + 1)), the per-unit vectors rai draws.
MatrixD augmented(const Matrix& weight, const Matrix& bias) {
  MatrixD v(weight.rows(), weight.cols() + 1);
  v << weight.cast<double>(), bias.cast<double>();
  return v;
}

// The rai constant, recomputed here from its defining equation
// c^2/2 + 2 E[P] c / sqrt(2 pi) + E[P^2] = 1 with P = Beta(2, 1).
double raiConstant() {
  const double b = 4.0 * (2.0 / 3.0) / std::sqrt(2.0 * std::numbers::pi);
  return (-b + std::sqrt(b * b + 4.0)) / 2.0;
}

struct RowStats {
  double mean;
  double standardError;
};

RowStats rowStats(const Eigen::VectorXd& perRow) {
  const double n = static_cast<double>(perRow.size());
  const double mean = perRow.mean();
  const double variance = (perRow.array() - mean).square().sum() / (n - 1.0);
  return {mean, std::sqrt(variance / n)};
}

}  // namespace

TEST_CASE("each random initializer matches its formula's mean and variance", "[init]") {
  // 400 x 500 = 200000 draws. Tolerances are 5 standard errors: the mean's is
  // sqrt(var / n); the sample variance's is var * sqrt((kurtosis - 1) / n),
  // kurtosis 3 for a normal and 1.8 for a uniform, so var * sqrt(2 / n) covers
  // both. The seed is fixed, so the test is deterministic; 5 SE means a
  // different seed would fail with probability below 1e-6.
  const Eigen::Index fanOut = 400, fanIn = 500;
  struct Case {
    Init kind;
    double scale;
    double variance;
    double limit;  // bound on |w| for the uniform kinds, 0 for the normal ones
  };
  const double in = fanIn, both = fanIn + fanOut;
  const std::vector<Case> cases{
      {Init::HeNormal, 0.0, 2.0 / in, 0.0},
      {Init::HeUniform, 0.0, 2.0 / in, std::sqrt(6.0 / in)},
      {Init::XavierNormal, 0.0, 2.0 / both, 0.0},
      {Init::XavierUniform, 0.0, 2.0 / both, std::sqrt(6.0 / both)},
      {Init::LecunNormal, 0.0, 1.0 / in, 0.0},
      {Init::LecunUniform, 0.0, 1.0 / in, std::sqrt(3.0 / in)},
      {Init::Normal, 0.05, 0.05 * 0.05, 0.0},
      {Init::Uniform, 0.2, 0.2 * 0.2 / 3.0, 0.2},  // U(-a, a) has variance a^2 / 3
  };

  for (const Case& c : cases) {
    CAPTURE(std::string(nameOf(initNames(), c.kind)));
    Matrix weight(fanOut, fanIn), bias(fanOut, 1);
    Rng rng(7);
    initializeDense(weight, bias, configFor(c.kind, c.scale), rng);

    const double n = static_cast<double>(weight.size());
    const Moments m = momentsOf(weight);
    CHECK(std::abs(m.mean) < 5.0 * std::sqrt(c.variance / n));
    CHECK(m.variance == Approx(c.variance).margin(5.0 * c.variance * std::sqrt(2.0 / n)));
    if (c.limit > 0.0) CHECK(weight.cwiseAbs().maxCoeff() <= static_cast<Scalar>(c.limit));
    CHECK(bias.isZero(0));
  }
}

TEST_CASE("orthogonal has orthonormal rows or columns, scaled by the gain", "[init]") {
  const auto checkOrthonormal = [](Eigen::Index rows, Eigen::Index cols, double gain) {
    CAPTURE(rows, cols, gain);
    Matrix weight(rows, cols), bias(rows, 1);
    Rng rng(11);
    initializeDense(weight, bias, configFor(Init::Orthogonal, gain), rng);

    const double g = gain == 0.0 ? 1.0 : gain;  // scale 0 means gain 1
    const MatrixD w = weight.cast<double>();
    // Wide: rows orthonormal, W W^T = g^2 I. Tall: columns, W^T W = g^2 I.
    const MatrixD gram = rows <= cols ? MatrixD(w * w.transpose()) : MatrixD(w.transpose() * w);
    const MatrixD identity = MatrixD::Identity(gram.rows(), gram.cols());
    CHECK((gram / (g * g) - identity).cwiseAbs().maxCoeff() < 1e-5);
  };
  checkOrthonormal(64, 256, 0.0);
  checkOrthonormal(256, 64, 0.0);
  checkOrthonormal(100, 100, 1.0);
  checkOrthonormal(64, 256, 2.5);
  checkOrthonormal(256, 64, 0.5);

  // Same seed, gain g: exactly g times the gain-1 matrix (up to float rounding).
  Matrix unit(40, 30), scaled(40, 30), bias(40, 1);
  Rng rngUnit(5), rngScaled(5);
  initializeDense(unit, bias, configFor(Init::Orthogonal, 1.0), rngUnit);
  initializeDense(scaled, bias, configFor(Init::Orthogonal, 3.0), rngScaled);
  CHECK((scaled.cast<double>() - 3.0 * unit.cast<double>()).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("orthogonal is uniformly distributed, not biased by the QR sign convention", "[init]") {
  // Householder QR alone makes Q(0, 0) = G(0, 0) / R(0, 0) always negative;
  // with the sign(diag(R)) correction, W(0, 0) of a Haar matrix is symmetric
  // about 0. Over 2000 draws the positive fraction has SE 0.011; allow 5 SE.
  Rng rng(3);
  int positive = 0;
  const int draws = 2000;
  for (int i = 0; i < draws; ++i) {
    Matrix weight(4, 4), bias(4, 1);
    initializeDense(weight, bias, configFor(Init::Orthogonal), rng);
    if (weight(0, 0) > 0) ++positive;
  }
  CHECK(static_cast<double>(positive) / draws == Approx(0.5).margin(5.0 * 0.5 / std::sqrt(draws)));
}

TEST_CASE("rai gives every unit a positive entry in [W b]", "[init]") {
  // Width 2: under a symmetric init with zero bias a unit has no positive
  // entry with probability 1/4 (both weights negative); rai never allows it.
  const Eigen::Index units = 10000, fanIn = 2;
  const auto rowsWithoutPositive = [&](Init kind) {
    Matrix weight(units, fanIn), bias(units, 1);
    Rng rng(17);
    initializeDense(weight, bias, configFor(kind), rng);
    const Eigen::Array<bool, Eigen::Dynamic, 1> hasPositive =
        (augmented(weight, bias).array() > 0.0).rowwise().any();
    return units - hasPositive.count();
  };
  CHECK(rowsWithoutPositive(Init::Rai) == 0);
  CHECK(rowsWithoutPositive(Init::HeNormal) > 0);  // the check can fail
}

TEST_CASE("rai draws one Beta(2,1) entry per unit and N(0, sigma^2) for the rest", "[init]") {
  // Lu et al. 2020: sigma = c / sqrt(fanIn + 1), c = 0.6007.
  const double c = raiConstant();
  REQUIRE(c == Approx(0.6007).margin(1e-4));

  const Eigen::Index units = 2000, fanIn = 500;
  const double sigma2 = c * c / (fanIn + 1.0);
  Matrix weight(units, fanIn), bias(units, 1);
  Rng rng(23);
  initializeDense(weight, bias, configFor(Init::Rai), rng);
  const MatrixD v = augmented(weight, bias);

  // Per-unit statistics are independent across units, so each mean below is
  // checked to 5 standard errors of the per-unit values.
  Eigen::VectorXd secondMoment(units), largest(units), restSecondMoment(units);
  for (Eigen::Index s = 0; s < units; ++s) {
    Eigen::Index k = 0;
    largest(s) = v.row(s).maxCoeff(&k);
    secondMoment(s) = v.row(s).squaredNorm();
    restSecondMoment(s) = secondMoment(s) - largest(s) * largest(s);
  }

  // The whole vector: E|v|^2 = E[P^2] + fanIn sigma^2 = 1/2 + fanIn sigma^2.
  const RowStats total = rowStats(secondMoment);
  CHECK(total.mean == Approx(0.5 + fanIn * sigma2).margin(5.0 * total.standardError));

  // The largest entry is the Beta(2, 1) one unless that draw is below the
  // Gaussians' max (~0.08, probability < 1%): mean 2/3.
  const RowStats positive = rowStats(largest);
  CHECK(positive.mean == Approx(2.0 / 3.0).margin(5.0 * positive.standardError));

  // The others: fanIn draws of N(0, sigma^2), so their sum of squares has mean
  // fanIn sigma^2 (0.360). This pins sigma to within ~1%.
  const RowStats rest = rowStats(restSecondMoment);
  CHECK(rest.mean == Approx(fanIn * sigma2).margin(5.0 * rest.standardError));
}

TEST_CASE("rai draws the bias itself and ignores the bias setting", "[init]") {
  Matrix weight(50, 8), bias(50, 1);
  InitConfig config = configFor(Init::Rai);
  config.bias = BiasInit::Constant;
  config.biasValue = 3.0;
  Rng rng(1);
  initializeDense(weight, bias, config, rng);
  CHECK((bias.array() != Scalar(3)).all());
  CHECK((bias.array() != Scalar(0)).all());
}

TEST_CASE("same seed gives identical weights, another seed different ones", "[init]") {
  for (const auto& [name, kind] : initNames()) {
    CAPTURE(std::string(name));
    const InitConfig config = configFor(kind, kind == Init::Normal || kind == Init::Uniform ? 0.1 : 0.0);
    const auto draw = [&](std::uint64_t seed, Matrix& weight, Matrix& bias) {
      weight.resize(30, 20);
      bias.resize(30, 1);
      Rng rng(seed);
      initializeDense(weight, bias, config, rng);
    };
    Matrix w1, b1, w2, b2, w3, b3;
    draw(42, w1, b1);
    draw(42, w2, b2);
    draw(43, w3, b3);
    CHECK(w1 == w2);
    CHECK(b1 == b2);
    CHECK(w1 != w3);
  }
}

TEST_CASE("bias is zero or the configured constant", "[init]") {
  Matrix weight(20, 10), bias(20, 1);
  bias.setConstant(7);
  Rng rng(2);
  InitConfig config;  // he_normal, zero bias
  initializeDense(weight, bias, config, rng);
  CHECK(bias.isZero(0));

  config.bias = BiasInit::Constant;
  config.biasValue = 0.25;
  initializeDense(weight, bias, config, rng);
  CHECK((bias.array() == Scalar(0.25)).all());

  Matrix wrongBias(10, 1);
  CHECK_THROWS_AS(initializeDense(weight, wrongBias, config, rng), std::invalid_argument);
}

TEST_CASE("init names parse, and an unknown one lists what is allowed", "[init]") {
  for (const auto& [name, kind] : initNames()) CHECK(parseInit(name) == kind);
  CHECK(initNames().size() == 10);
  CHECK(nameOf(biasInitNames(), BiasInit::Zero) == "zero");
  CHECK(nameOf(biasInitNames(), BiasInit::Constant) == "constant");

  CHECK_THROWS_AS(parseInit("he_norml"), ConfigError);
  CHECK_THROWS_WITH(parseInit("he_norml"), Catch::Contains("he_normal") && Catch::Contains("allowed"));
}

TEST_CASE("validate rejects scales and bias values the chosen init cannot use", "[init]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();

  CHECK_THROWS_WITH(validate(configFor(Init::Normal, 0.0)),
                    Catch::Contains("normal") && Catch::Contains("allowed"));
  CHECK_THROWS_AS(validate(configFor(Init::Normal, nan)), ConfigError);
  CHECK_THROWS_AS(validate(configFor(Init::Normal, -0.1)), ConfigError);
  CHECK_THROWS_AS(validate(configFor(Init::Uniform, 0.0)), ConfigError);
  CHECK_THROWS_AS(validate(configFor(Init::Uniform, inf)), ConfigError);
  CHECK_THROWS_AS(validate(configFor(Init::Orthogonal, -1.0)), ConfigError);
  CHECK_THROWS_AS(validate(configFor(Init::Orthogonal, nan)), ConfigError);

  CHECK_NOTHROW(validate(configFor(Init::Normal, 0.01)));
  CHECK_NOTHROW(validate(configFor(Init::Orthogonal, 0.0)));  // gain 1
  CHECK_NOTHROW(validate(configFor(Init::HeNormal, 0.0)));    // scale unused

  InitConfig badBias;
  badBias.bias = BiasInit::Constant;
  badBias.biasValue = nan;
  CHECK_THROWS_WITH(validate(badBias), Catch::Contains("bias") && Catch::Contains("allowed"));

  Matrix weight(3, 2), bias(3, 1);
  Rng rng(0);
  CHECK_THROWS_AS(initializeDense(weight, bias, configFor(Init::Normal, 0.0), rng), ConfigError);
}
