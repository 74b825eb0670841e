#pragma once
// A small, fast, seedable random number generator with distributions of our
// own, so that the same seed gives bit-identical numbers on every platform and
// standard library (std::normal_distribution is implementation-defined).
//
// Generator: xoshiro256** (Blackman & Vigna), state seeded by splitmix64.

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace actsweep::model {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  // An independent stream for one purpose of one run (init, shuffle, dropout...):
  // the same (seed, stream) always gives the same sequence.
  static Rng forStream(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next();                     // 64 uniformly random bits
  double uniform();                         // U[0, 1), 53 random bits
  double uniform(double low, double high);  // U[low, high)
  double normal();                          // N(0, 1), Box-Muller
  double normal(double mean, double stddev);
  std::uint64_t below(std::uint64_t n);  // uniform integer in [0, n), unbiased

 private:
  std::uint64_t state_[4];
  double spareNormal_ = 0.0;
  bool hasSpareNormal_ = false;
};

// Sets `order` to a uniformly random permutation of 0 .. size-1
// (Fisher-Yates, each swap drawn by below()): the same stream, the same order.
template <typename Index>
void randomPermutation(std::vector<Index>& order, Rng& rng) {
  std::iota(order.begin(), order.end(), Index{0});
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
}

}  // namespace actsweep::model
