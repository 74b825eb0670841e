#pragma once
// A small, fast, seedable random number generator with distributions of our
// own, so that the same seed gives bit-identical numbers on every platform and
// standard library (std::normal_distribution is implementation-defined).
//
// Generator: xoshiro256** (Blackman & Vigna), state seeded by splitmix64.

#include <cstdint>

namespace actsweep::model {

class Rng {
public:
  explicit Rng(std::uint64_t seed = 0);

  // An independent stream for one purpose of one run (init, shuffle, dropout...):
  // the same (seed, stream) always gives the same sequence.
  static Rng forStream(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next();                 // 64 uniformly random bits
  double uniform();                     // U[0, 1), 53 random bits
  double uniform(double low, double high);  // U[low, high)
  double normal();                      // N(0, 1), Box-Muller
  double normal(double mean, double stddev);
  std::uint64_t below(std::uint64_t n);     // uniform integer in [0, n), unbiased

private:
  std::uint64_t state_[4];
  double spareNormal_ = 0.0;
  bool hasSpareNormal_ = false;
};

}  // namespace actsweep::model
