// results statistics: summaries with t confidence intervals, Student's t CDF
// and quantiles (against tables and closed forms), paired t test, Wilcoxon
// signed-rank test (exact enumeration and normal approximation).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "results/statistics.hpp"

using namespace actsweep::results;

namespace {

// Closed forms of the t CDF for small degrees of freedom (Abramowitz & Stegun
// 26.7.3/26.7.4), independent of the incomplete-beta route:
//   v = 1 (Cauchy): F(t) = 1/2 + atan(t) / pi
//   v = 2:          F(t) = 1/2 + t / (2 sqrt(2 + t^2))
//   v = 4:          F(t) = 1/2 + t / (2 sqrt(4 + t^2)) (1 + 2 / (4 + t^2))
double cdfOneDegree(double t) { return 0.5 + std::atan(t) / std::numbers::pi; }
double cdfTwoDegrees(double t) { return 0.5 + t / (2.0 * std::sqrt(2.0 + t * t)); }
double cdfFourDegrees(double t) {
  const double x = 4.0 + t * t;
  return 0.5 + t / (2.0 * std::sqrt(x)) * (1.0 + 2.0 / x);
}

}  // namespace

TEST_CASE("summarize gives mean, sample std and the 95% t interval", "[stats]") {
  // {1,2,3,4}: mean 2.5, sum of squares 2.25+0.25+0.25+2.25 = 5, s = sqrt(5/3)
  // = 1.2909944; t(0.975, 3) = 3.182446, half-width = 3.182446 * s / 2.
  const Summary summary = summarize({1, 2, 3, 4});
  CHECK(summary.n == 4);
  CHECK(summary.mean == Approx(2.5));
  CHECK(summary.std == Approx(1.2909944).epsilon(1e-7));
  const double halfWidth = 3.18244630528 * std::sqrt(5.0 / 3.0) / 2.0;
  CHECK(summary.ciLow == Approx(2.5 - halfWidth).epsilon(1e-7));
  CHECK(summary.ciHigh == Approx(2.5 + halfWidth).epsilon(1e-7));
}

TEST_CASE("summarize gives NaN where a statistic is undefined", "[stats]") {
  const Summary empty = summarize({});
  CHECK(empty.n == 0);
  CHECK(std::isnan(empty.mean));
  CHECK(std::isnan(empty.std));
  CHECK(std::isnan(empty.ciLow));
  CHECK(std::isnan(empty.ciHigh));

  const Summary single = summarize({0.75});
  CHECK(single.n == 1);
  CHECK(single.mean == 0.75);
  CHECK(std::isnan(single.std));
  CHECK(std::isnan(single.ciLow));
  CHECK(std::isnan(single.ciHigh));

  // Constant values: zero spread, a zero-width interval.
  const Summary constant = summarize({0.5, 0.5, 0.5});
  CHECK(constant.std == 0.0);
  CHECK(constant.ciLow == 0.5);
  CHECK(constant.ciHigh == 0.5);
}

TEST_CASE("summarize keeps the spread of values with a large common offset", "[stats]") {
  // Two-pass variance: 1e9 + {1,2,3,4} has the same std as {1,2,3,4}.
  const Summary summary = summarize({1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4});
  CHECK(summary.std == Approx(1.2909944).epsilon(1e-7));
}

TEST_CASE("studentTQuantile matches the t table", "[stats]") {
  // t(0.975, v) for v = 1, 2, 10, 30 (standard two-sided 95% critical values).
  CHECK(studentTQuantile(0.975, 1) == Approx(12.7062047362).epsilon(1e-10));
  CHECK(studentTQuantile(0.975, 2) == Approx(4.30265272975).epsilon(1e-10));
  CHECK(studentTQuantile(0.975, 10) == Approx(2.22813885196).epsilon(1e-10));
  CHECK(studentTQuantile(0.975, 30) == Approx(2.04227245630).epsilon(1e-10));
  // Lower quantiles by symmetry, the median, the ends.
  CHECK(studentTQuantile(0.025, 10) == Approx(-2.22813885196).epsilon(1e-10));
  CHECK(studentTQuantile(0.5, 7) == 0.0);
  CHECK(studentTQuantile(1.0, 3) == std::numeric_limits<double>::infinity());
  CHECK(studentTQuantile(0.0, 3) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(studentTQuantile(1.5, 3)));
  CHECK(std::isnan(studentTQuantile(0.9, 0)));
}

TEST_CASE("studentTQuantile inverts the closed-form CDFs", "[stats]") {
  // v = 1: t = tan(pi (p - 1/2)) = -cot(pi q) for the smaller tail q (taken
  // as p or 1 - p so the reference keeps its precision far out in the tails);
  // v = 2: t = (2p - 1) sqrt(2 / (4 p (1 - p))).
  for (double p : {1e-10, 1e-4, 0.01, 0.2, 0.6, 0.9, 0.995, 1 - 1e-8}) {
    CAPTURE(p);
    const double cauchy =
        p < 0.5 ? -1.0 / std::tan(std::numbers::pi * p) : 1.0 / std::tan(std::numbers::pi * (1 - p));
    CHECK(studentTQuantile(p, 1) == Approx(cauchy).epsilon(1e-12));
    CHECK(studentTQuantile(p, 2) == Approx((2 * p - 1) * std::sqrt(2.0 / (4 * p * (1 - p)))).epsilon(1e-12));
  }
  // Round trip at fractional and large degrees of freedom.
  for (double degrees : {0.5, 3.5, 17.0, 250.0, 1e5}) {
    for (double p : {0.001, 0.3, 0.9, 0.999}) {
      CAPTURE(degrees, p);
      CHECK(studentTCdf(studentTQuantile(p, degrees), degrees) == Approx(p).epsilon(1e-11));
    }
  }
}

TEST_CASE("studentTCdf matches known values and closed forms", "[stats]") {
  CHECK(studentTCdf(2.0, 5) == Approx(0.9490302606).epsilon(1e-9));
  CHECK(studentTCdf(-2.0, 5) == Approx(1 - 0.9490302606).epsilon(1e-9));
  CHECK(studentTCdf(0.0, 5) == 0.5);
  // The closed forms cancel (1/2 - 0.4999...) in the far lower tail, hence the
  // absolute margin next to the relative tolerance.
  for (double t : {-40.0, -3.0, -0.7, 0.1, 1.0, 2.5, 12.0}) {
    CAPTURE(t);
    CHECK(studentTCdf(t, 1) == Approx(cdfOneDegree(t)).epsilon(1e-12).margin(1e-15));
    CHECK(studentTCdf(t, 2) == Approx(cdfTwoDegrees(t)).epsilon(1e-12).margin(1e-15));
    CHECK(studentTCdf(t, 4) == Approx(cdfFourDegrees(t)).epsilon(1e-12).margin(1e-15));
  }
  // Large degrees of freedom approach the normal: Phi(1.96) = 0.9750021.
  CHECK(studentTCdf(1.96, 1e7) == Approx(0.9750021049).epsilon(1e-7));
  CHECK(studentTCdf(std::numeric_limits<double>::infinity(), 3) == 1.0);
  CHECK(studentTCdf(-std::numeric_limits<double>::infinity(), 3) == 0.0);
  CHECK(std::isnan(studentTCdf(1.0, 0)));
  CHECK(std::isnan(studentTCdf(std::nan(""), 3)));
}

TEST_CASE("comparePaired: paired t test worked by hand", "[stats]") {
  // a = {1,2,3,4,5}, b = {2,4,5,4,7}: d = {1,2,2,0,2}, mean 7/5 = 1.4.
  // Deviations -0.4, 0.6, 0.6, -1.4, 0.6; squares sum to 3.2; s^2 = 3.2/4 = 0.8,
  // s = 0.894427, standard error s / sqrt(5) = sqrt(0.16) = 0.4, t = 1.4/0.4 = 3.5.
  // df 4: F(3.5) from the v = 4 closed form, p = 2 (1 - F(3.5)) = 0.02489616346.
  // CI: 1.4 -+ t(0.975, 4) * 0.4 = 1.4 -+ 2.7764451 * 0.4.
  const PairedComparison comparison = comparePaired({1, 2, 3, 4, 5}, {2, 4, 5, 4, 7});
  CHECK(comparison.n == 5);
  CHECK(comparison.meanDifference == Approx(1.4));
  CHECK(comparison.tStatistic == Approx(3.5).epsilon(1e-12));
  CHECK(comparison.tPValue == Approx(2 * (1 - cdfFourDegrees(3.5))).epsilon(1e-10));
  CHECK(comparison.tPValue == Approx(0.02489616346).epsilon(1e-9));
  CHECK(comparison.ciLow == Approx(1.4 - 2.7764451052 * 0.4).epsilon(1e-9));
  CHECK(comparison.ciHigh == Approx(1.4 + 2.7764451052 * 0.4).epsilon(1e-9));
  // Wilcoxon on the same data: the zero is dropped, |d| = {1,2,2,2} ranks
  // 1, 3, 3, 3 (ties -> normal approximation), all positive: W+ = 10.
  CHECK(comparison.wilcoxonW == Approx(10.0));
}

TEST_CASE("comparePaired: Wilcoxon exact p for all-positive differences", "[stats]") {
  // n = 5 all positive: W+ = 15 is the maximum, reached by 1 of 2^5 sign
  // assignments; two-sided p = 2 * 1/32 = 0.0625.
  const PairedComparison five = comparePaired({0, 0, 0, 0, 0}, {1, 2, 3, 4, 5});
  CHECK(five.wilcoxonW == 15.0);
  CHECK(five.wilcoxonPValue == Approx(2.0 / 32.0).epsilon(1e-14));

  // n = 8 all positive: p = 2/256. Same with b < a everywhere (W+ = 0).
  const std::vector<double> zeros(8, 0.0);
  const std::vector<double> positive{0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5};
  const PairedComparison up = comparePaired(zeros, positive);
  CHECK(up.wilcoxonW == 36.0);
  CHECK(up.wilcoxonPValue == Approx(2.0 / 256.0).epsilon(1e-14));
  const PairedComparison down = comparePaired(positive, zeros);
  CHECK(down.wilcoxonW == 0.0);
  CHECK(down.wilcoxonPValue == Approx(2.0 / 256.0).epsilon(1e-14));
}

TEST_CASE("comparePaired: Wilcoxon exact p for mixed signs", "[stats]") {
  // d = {-1, 2, 3, -4, 5, 6}: no ties, ranks = |d|; W+ = 2+3+5+6 = 16 of a
  // maximum 21. By symmetry P(W+ >= 16) = P(W+ <= 5); subsets of {1..6} with
  // sum <= 5: {}, {1}, {2}, {3}, {1,2}, {4}, {1,3}, {5}, {1,4}, {2,3} = 10 of 64.
  // p = 2 * 10/64 = 0.3125.
  const PairedComparison comparison = comparePaired({0, 0, 0, 0, 0, 0}, {-1, 2, 3, -4, 5, 6});
  CHECK(comparison.wilcoxonW == 16.0);
  CHECK(comparison.wilcoxonPValue == Approx(20.0 / 64.0).epsilon(1e-14));

  // W+ at the centre of the distribution: p is capped at 1.
  // d = {1, -2, -3, 4}: W+ = 5 = 4*5/4; P(W+ <= 5) > 1/2.
  const PairedComparison centre = comparePaired({0, 0, 0, 0}, {1, -2, -3, 4});
  CHECK(centre.wilcoxonW == 5.0);
  CHECK(centre.wilcoxonPValue == 1.0);
}

TEST_CASE("comparePaired: Wilcoxon normal approximation with ties", "[stats]") {
  // d = {1, 1, -1, 2, 2, 3}: |d| = 1 (x3) ranks 1..3 -> 2; 2 (x2) ranks 4,5 ->
  // 4.5; 3 -> 6. W+ = 2 + 2 + 4.5 + 4.5 + 6 = 19. m = 6: E = 6*7/4 = 10.5,
  // Var = 6*7*13/24 - ((27 - 3) + (8 - 2))/48 = 22.75 - 0.625 = 22.125.
  // z = (19 - 10.5 - 0.5) / sqrt(22.125) = 1.700779, p = erfc(z / sqrt 2) = 0.0889842.
  const PairedComparison comparison = comparePaired({0, 0, 0, 0, 0, 0}, {1, 1, -1, 2, 2, 3});
  CHECK(comparison.wilcoxonW == Approx(19.0));
  CHECK(comparison.wilcoxonPValue == Approx(0.0889841538).epsilon(1e-8));
}

TEST_CASE("comparePaired: Wilcoxon with zero differences drops them and approximates", "[stats]") {
  // d = {0, 1, 2, 3, 4, 5}: the zero is dropped, m = 5, W+ = 15; zeros rule
  // out the exact test. E = 7.5, Var = 5*6*11/24 = 13.75,
  // z = (15 - 7.5 - 0.5) / sqrt(13.75) = 1.887710, p = 0.0590582.
  const PairedComparison comparison = comparePaired({0, 0, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5});
  CHECK(comparison.n == 6);
  CHECK(comparison.wilcoxonW == 15.0);
  CHECK(comparison.wilcoxonPValue == Approx(0.0590582291).epsilon(1e-8));
}

TEST_CASE("comparePaired: Wilcoxon normal approximation for n = 30", "[stats]") {
  // d_i = i for i = 1..30, negated when i is a multiple of 3. Ranks = |d|;
  // W+ = 465 - 3 (1 + ... + 10) = 465 - 165 = 300. E = 30*31/4 = 232.5,
  // Var = 30*31*61/24 = 2363.75, z = (300 - 232.5 - 0.5) / sqrt(2363.75)
  // = 67 / 48.61841 = 1.378079, p = erfc(z / sqrt 2) = 0.1681790.
  std::vector<double> a(30, 0.0), b(30);
  for (int i = 1; i <= 30; ++i) b[static_cast<size_t>(i - 1)] = (i % 3 == 0) ? -i : i;
  const PairedComparison comparison = comparePaired(a, b);
  CHECK(comparison.wilcoxonW == 300.0);
  CHECK(comparison.wilcoxonPValue == Approx(0.1681789797).epsilon(1e-8));
}

TEST_CASE("comparePaired: exact and normal agree roughly at n = 25", "[stats]") {
  // n = 25 (exact) and the same pattern's normal approximation should be close:
  // both test d_i = i with every third negated. W+ = 325 - 3 (1 + ... + 8) = 217.
  // Normal: E = 162.5, Var = 25*26*51/24 = 1381.25, z = 54 / 37.165 = 1.45298,
  // p ~= 0.1462; the exact p must be within a few thousandths of it.
  std::vector<double> a(25, 0.0), b(25);
  for (int i = 1; i <= 25; ++i) b[static_cast<size_t>(i - 1)] = (i % 3 == 0) ? -i : i;
  const PairedComparison comparison = comparePaired(a, b);
  CHECK(comparison.wilcoxonW == 217.0);
  CHECK(comparison.wilcoxonPValue ==
        Approx(std::erfc(54.0 / std::sqrt(1381.25) / std::sqrt(2.0))).margin(5e-3));
}

TEST_CASE("comparePaired: edge cases", "[stats]") {
  CHECK_THROWS_AS(comparePaired({1, 2}, {1}), std::invalid_argument);

  // All differences zero: no evidence either way, p = 1 for both tests.
  const PairedComparison same = comparePaired({0.9, 0.8, 0.7}, {0.9, 0.8, 0.7});
  CHECK(same.meanDifference == 0.0);
  CHECK(same.tStatistic == 0.0);
  CHECK(same.tPValue == 1.0);
  CHECK(same.ciLow == 0.0);
  CHECK(same.ciHigh == 0.0);
  CHECK(same.wilcoxonW == 0.0);
  CHECK(same.wilcoxonPValue == 1.0);

  // One pair: mean defined, everything needing a spread is NaN.
  const PairedComparison one = comparePaired({1.0}, {3.0});
  CHECK(one.n == 1);
  CHECK(one.meanDifference == 2.0);
  CHECK(std::isnan(one.ciLow));
  CHECK(std::isnan(one.ciHigh));
  CHECK(std::isnan(one.tStatistic));
  CHECK(std::isnan(one.tPValue));
  CHECK(one.wilcoxonW == 1.0);
  CHECK(one.wilcoxonPValue == 1.0);  // exact: W+ in {0, 1}, each 1/2

  // No pairs at all.
  const PairedComparison none = comparePaired({}, {});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.meanDifference));
  CHECK(std::isnan(none.tPValue));
  CHECK(std::isnan(none.wilcoxonPValue));

  // A constant nonzero difference: s = 0, t infinite, p = 0.
  const PairedComparison shifted = comparePaired({1, 2, 3}, {2, 3, 4});
  CHECK(std::isinf(shifted.tStatistic));
  CHECK(shifted.tPValue == 0.0);
}
