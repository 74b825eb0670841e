#include "model/data/synthetic.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "model/random.hpp"

namespace actsweep::data {
namespace {

using model::Rng;

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kSpiralTurns = 1.5;
constexpr double kBlobRadius = 2.0;  // centres on this circle...
constexpr double kBlobSpread = 0.5;  // ...with this std: neighbours overlap from about 10 blobs on
constexpr double kInnerRadius = 0.5, kOuterRadius = 1.0;
constexpr int kBoardSquares = 4;  // per side, on [-1, 1]^2

struct Point {
  double x, y;
};

// Arm k of K: radius t, angle 2 pi k / K + 2 pi turns t, t ~ U[0, 1).
Point spiralPoint(int arm, int arms, Rng& rng) {
  const double t = rng.uniform();
  const double angle = kTwoPi * arm / arms + kTwoPi * kSpiralTurns * t;
  return {t * std::cos(angle), t * std::sin(angle)};
}

Point blobPoint(int blob, int blobs, Rng& rng) {
  const double angle = kTwoPi * blob / blobs;
  return {kBlobRadius * std::cos(angle) + rng.normal(0.0, kBlobSpread),
          kBlobRadius * std::sin(angle) + rng.normal(0.0, kBlobSpread)};
}

// Class 0 in the quadrants (+,+) and (-,-), class 1 in (+,-) and (-,+); the
// j-th point of a class takes its first or second quadrant as j is even or odd.
Point xorPoint(int label, long indexInClass, Rng& rng) {
  const double signX = indexInClass % 2 == 0 ? 1.0 : -1.0;
  const double signY = label == 0 ? signX : -signX;
  return {signX * rng.uniform(), signY * rng.uniform()};
}

Point circlePoint(int label, Rng& rng) {
  const double radius = label == 0 ? kInnerRadius : kOuterRadius;
  const double angle = rng.uniform(0.0, kTwoPi);
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

// Square (col, row) has colour (col + row) % 2; a point of class c lies in
// one of the 8 squares of that colour, uniformly, then uniformly inside it.
Point checkerboardPoint(int label, Rng& rng) {
  constexpr int squaresPerColour = kBoardSquares * kBoardSquares / 2;
  constexpr double side = 2.0 / kBoardSquares;
  const auto square = static_cast<int>(rng.below(squaresPerColour));
  const int row = square / (kBoardSquares / 2);
  const int col = 2 * (square % (kBoardSquares / 2)) + (row + label) % 2;
  return {-1.0 + side * (col + rng.uniform()), -1.0 + side * (row + rng.uniform())};
}

}  // namespace

RawData generateSynthetic(const DataConfig& config) {
  Rng rng = Rng::forStream(config.seed, kGenerateStream);
  const auto count = static_cast<Eigen::Index>(config.samples);

  RawData raw;
  raw.name = std::string(model::nameOf(sourceNames(), config.source));
  if (config.source == Source::Abs) {
    // x ~ U[-sqrt3, sqrt3] has mean 0 and variance (2 sqrt3)^2 / 12 = 1.
    const double limit = std::sqrt(3.0);
    raw.task = Task::Regression;
    raw.train.features.resize(1, count);
    raw.train.targets.resize(1, count);
    for (Eigen::Index i = 0; i < count; ++i) {
      const auto x = static_cast<Scalar>(rng.uniform(-limit, limit));
      raw.train.features(0, i) = x;
      raw.train.targets(0, i) = std::abs(x);
    }
    return raw;
  }

  const bool manyClasses = config.source == Source::Spirals || config.source == Source::Blobs;
  const int classes = manyClasses ? config.classes : 2;
  raw.task = Task::Classification;
  raw.classes = classes;
  raw.train.features.resize(2, count);
  raw.train.targets.resize(1, count);
  for (Eigen::Index i = 0; i < count; ++i) {
    const auto label = static_cast<int>(i % classes);
    const long indexInClass = static_cast<long>(i / classes);
    Point point{};
    switch (config.source) {
      case Source::Spirals:
        point = spiralPoint(label, classes, rng);
        break;
      case Source::Blobs:
        point = blobPoint(label, classes, rng);
        break;
      case Source::Xor:
        point = xorPoint(label, indexInClass, rng);
        break;
      case Source::Circles:
        point = circlePoint(label, rng);
        break;
      case Source::Checkerboard:
        point = checkerboardPoint(label, rng);
        break;
      default:
        throw DataError("generateSynthetic: " + raw.name + " is not a synthetic source");
    }
    raw.train.features(0, i) = static_cast<Scalar>(point.x + rng.normal(0.0, config.noise));
    raw.train.features(1, i) = static_cast<Scalar>(point.y + rng.normal(0.0, config.noise));
    raw.train.targets(0, i) = static_cast<Scalar>(label);
  }
  return raw;
}

}  // namespace actsweep::data
