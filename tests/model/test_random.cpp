#include <catch2/catch.hpp>
#include <cmath>

#include "model/random.hpp"

using actsweep::model::Rng;

TEST_CASE("rng: the same seed gives the same numbers, streams differ", "[random]") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    CHECK(x == b.next());
    CHECK(x != c.next());
  }
  Rng s1 = Rng::forStream(1, 0), s2 = Rng::forStream(1, 1), s1again = Rng::forStream(1, 0);
  const auto first = s1.next();
  CHECK(first == s1again.next());
  CHECK(first != s2.next());
}

TEST_CASE("rng: known outputs pin the generator across platforms", "[random]") {
  // Every stored run depends on these numbers: change them only on purpose,
  // knowing that every run key's metrics change with them.
  Rng rng(0);
  CHECK(rng.next() == 11091344671253066420ull);
  CHECK(rng.next() == 13793997310169335082ull);
  CHECK(rng.next() == 1900383378846508768ull);
  CHECK(Rng(0).normal() == Approx(-0.01896499060631051).epsilon(1e-12));
}

TEST_CASE("rng: uniform and normal moments", "[random]") {
  Rng rng(7);
  const int n = 200000;
  double sum = 0, sumSquares = 0, minimum = 1, maximum = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    sum += u;
    minimum = std::min(minimum, u);
    maximum = std::max(maximum, u);
  }
  CHECK(sum / n == Approx(0.5).margin(0.005));  // std of the mean: 0.29/sqrt(2e5) = 6.5e-4
  CHECK(minimum >= 0);
  CHECK(maximum < 1);
  sum = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sumSquares += z * z;
  }
  CHECK(sum / n == Approx(0).margin(0.01));         // std of the mean: 1/sqrt(2e5) = 2.2e-3
  CHECK(sumSquares / n == Approx(1).margin(0.02));  // std of the variance: sqrt(2/2e5) = 3.2e-3
  for (int i = 0; i < 1000; ++i) CHECK(rng.below(7) < 7);
}
