#include "results/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace actsweep::results {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Largest sample (after dropping zero differences) for which the Wilcoxon
// p-value is counted exactly: 2^25 sign assignments fit a double's mantissa
// exactly and the DP table has only 326 entries, so this is cheap.
constexpr long kWilcoxonExactMax = 25;

// Continued fraction for the regularized incomplete beta function, evaluated
// with the modified Lentz method (Numerical Recipes 3rd ed., 6.4, betacf):
//   I_x(a,b) = x^a (1-x)^b / (a B(a,b)) * 1/(1+ d1/(1+ d2/(1+ ...)))
//   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1))
//   d_{2m}   =  m (b-m) x / ((a+2m-1)(a+2m))
// It converges quickly for x < (a+1)/(a+b+2); the caller uses the symmetry
// I_x(a,b) = 1 - I_{1-x}(b,a) to stay in that region.
double betaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 10000;
  constexpr double kEpsilon = 1e-16;
  constexpr double kTiny = 1e-300;  // keeps the Lentz denominators away from zero
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const int m2 = 2 * m;
    // Even step d_{2m}.
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    // Odd step d_{2m+1}.
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a,b) (Numerical Recipes betai). The prefactor
// x^a (1-x)^b / B(a,b) is computed in logs so large a, b do not overflow.
double incompleteBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double logPrefactor =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double prefactor = std::exp(logPrefactor);
  if (x < (a + 1.0) / (a + b + 2.0)) return prefactor * betaContinuedFraction(a, b, x) / a;
  return 1.0 - prefactor * betaContinuedFraction(b, a, 1.0 - x) / b;
}

// Upper tail P(T > t) for t >= 0: with x = v / (v + t^2),
//   P(T > t) = I_x(v/2, 1/2) / 2   (Abramowitz & Stegun 26.7.1 via 26.5.27).
// Computed directly rather than as 1 - cdf so that small tails keep their
// relative precision (the quantile solver works on this tail).
double studentTUpperTail(double t, double degrees) {
  if (std::isinf(t)) return 0.0;
  const double x = degrees / (degrees + t * t);
  return 0.5 * incompleteBeta(0.5 * degrees, 0.5, x);
}

// Density f(t) = Gamma((v+1)/2) / (sqrt(v pi) Gamma(v/2)) (1 + t^2/v)^(-(v+1)/2),
// the derivative of the CDF used by the Newton steps.
double studentTDensity(double t, double degrees) {
  const double logNormalizer = std::lgamma(0.5 * (degrees + 1.0)) - std::lgamma(0.5 * degrees) -
                               0.5 * std::log(degrees * std::numbers::pi);
  return std::exp(logNormalizer - 0.5 * (degrees + 1.0) * std::log1p(t * t / degrees));
}

// The t > 0 with P(T > t) = tail, for 0 < tail < 1/2. The tail is strictly
// decreasing in t, so safeguarded Newton (t += (P(T > t) - tail) / f(t), falling
// back to bisection whenever the step leaves the bracket) converges from any
// start; it stops when the step is below 1e-15 relative, well under the 1e-12
// the callers need.
double studentTUpperQuantile(double tail, double degrees) {
  double low = 0.0, high = 1.0;
  while (studentTUpperTail(high, degrees) > tail) {
    low = high;
    high *= 2.0;
    if (std::isinf(high)) return kInfinity;
  }
  double t = 0.5 * (low + high);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double excess = studentTUpperTail(t, degrees) - tail;
    if (excess == 0.0) return t;
    if (excess > 0.0)
      low = t;
    else
      high = t;  // tail too big -> t too small
    const double density = studentTDensity(t, degrees);
    double next = t + excess / density;
    if (!(density > 0.0) || !(next > low && next < high)) next = 0.5 * (low + high);
    if (std::fabs(next - t) <= 1e-15 * std::max(1.0, std::fabs(t))) return next;
    t = next;
  }
  return t;
}

double meanOf(const std::vector<double>& values) {
  double sum = 0.0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

// Sample standard deviation sqrt(sum (x - mean)^2 / (n - 1)), two-pass so that
// a large common offset (accuracies near 0.98) does not cancel away the spread.
double sampleStd(const std::vector<double>& values, double mean) {
  double sumSquares = 0.0;
  for (double value : values) sumSquares += (value - mean) * (value - mean);
  return std::sqrt(sumSquares / static_cast<double>(values.size() - 1));
}

// Two-sided p-value of the Wilcoxon statistic W+ by exact enumeration of the
// null distribution: each rank 1..m is positive with probability 1/2 on its
// own, so count[w] = number of sign assignments with W+ = w follows from the
// DP count_r[w] = count_{r-1}[w] + count_{r-1}[w - r] over ranks r.
//   p = min(1, 2 min(P(W+ <= w), P(W+ >= w)))
// Needs distinct integer ranks (no ties), which the caller guarantees.
double wilcoxonExactPValue(long m, double wPlus) {
  const long maxSum = m * (m + 1) / 2;
  std::vector<double> count(static_cast<size_t>(maxSum + 1), 0.0);
  count[0] = 1.0;
  for (long rank = 1; rank <= m; ++rank) {
    const long reachable = rank * (rank + 1) / 2;
    for (long w = reachable; w >= rank; --w)
      count[static_cast<size_t>(w)] += count[static_cast<size_t>(w - rank)];
  }
  const long observed = std::lround(wPlus);
  double atOrBelow = 0.0, atOrAbove = 0.0;
  for (long w = 0; w <= maxSum; ++w) {
    if (w <= observed) atOrBelow += count[static_cast<size_t>(w)];
    if (w >= observed) atOrAbove += count[static_cast<size_t>(w)];
  }
  const double total = std::ldexp(1.0, static_cast<int>(m));
  return std::min(1.0, 2.0 * std::min(atOrBelow, atOrAbove) / total);
}

// Normal approximation to W+ with the tie correction and a 0.5 continuity
// correction:
//   E[W+] = m(m+1)/4,  Var[W+] = m(m+1)(2m+1)/24 - sum_ties (t^3 - t)/48
//   z = max(|W+ - E| - 0.5, 0) / sqrt(Var),  p = 2 (1 - Phi(z)) = erfc(z / sqrt 2)
// The max(..., 0) keeps the correction from overshooting past the mean when
// average ranks put W+ within 0.5 of it (p is then 1).
double wilcoxonNormalPValue(long m, double wPlus, double tieCorrection) {
  const double size = static_cast<double>(m);
  const double expected = size * (size + 1.0) / 4.0;
  const double variance = size * (size + 1.0) * (2.0 * size + 1.0) / 24.0 - tieCorrection / 48.0;
  const double z = std::max(std::fabs(wPlus - expected) - 0.5, 0.0) / std::sqrt(variance);
  return std::min(1.0, std::erfc(z / std::numbers::sqrt2));
}

}  // namespace

Summary summarize(const std::vector<double>& values) {
  Summary summary;
  summary.n = static_cast<long>(values.size());
  summary.mean = values.empty() ? kNaN : meanOf(values);
  if (summary.n < 2) {
    summary.std = summary.ciLow = summary.ciHigh = kNaN;
    return summary;
  }
  summary.std = sampleStd(values, summary.mean);
  // mean -+ t(0.975, n-1) s / sqrt(n)
  const double halfWidth = studentTQuantile(0.975, static_cast<double>(summary.n - 1)) * summary.std /
                           std::sqrt(static_cast<double>(summary.n));
  summary.ciLow = summary.mean - halfWidth;
  summary.ciHigh = summary.mean + halfWidth;
  return summary;
}

double studentTCdf(double t, double degrees) {
  if (std::isnan(t) || !(degrees > 0.0)) return kNaN;
  const double upperTail = studentTUpperTail(std::fabs(t), degrees);
  return t >= 0.0 ? 1.0 - upperTail : upperTail;  // symmetry: P(T <= -t) = P(T > t)
}

double studentTQuantile(double probability, double degrees) {
  if (std::isnan(probability) || probability < 0.0 || probability > 1.0 || !(degrees > 0.0)) return kNaN;
  if (probability == 0.0) return -kInfinity;
  if (probability == 1.0) return kInfinity;
  if (probability == 0.5) return 0.0;
  // Work with the smaller tail, which is exact here: for p < 1/2 it is p itself
  // (going through 1 - p would round 1e-10 to 1.00000008e-10), for p > 1/2
  // 1 - p is exact by Sterbenz's lemma. Then t = -+ (solution of P(T > t) = tail).
  if (probability < 0.5) return -studentTUpperQuantile(probability, degrees);
  return studentTUpperQuantile(1.0 - probability, degrees);
}

PairedComparison comparePaired(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("comparePaired: sizes differ (a has " + std::to_string(a.size()) +
                                " values, b has " + std::to_string(b.size()) + ")");
  }
  PairedComparison comparison;
  comparison.n = static_cast<long>(a.size());
  std::vector<double> differences(a.size());
  for (size_t i = 0; i < a.size(); ++i) differences[i] = b[i] - a[i];

  // Paired t test on d = b - a: t = mean(d) / (s_d / sqrt(n)) with n - 1 degrees
  // of freedom; two-sided p = 2 (1 - F(|t|)), taken as 2 P(T > |t|) directly.
  comparison.meanDifference = differences.empty() ? kNaN : meanOf(differences);
  const bool allZero = !differences.empty() &&
                       std::all_of(differences.begin(), differences.end(), [](double d) { return d == 0.0; });
  if (comparison.n < 2) {
    comparison.ciLow = comparison.ciHigh = comparison.tStatistic = comparison.tPValue = kNaN;
    comparison.sdDifference = comparison.effectDz = kNaN;
  } else {
    const double degrees = static_cast<double>(comparison.n - 1);
    comparison.sdDifference = sampleStd(differences, comparison.meanDifference);
    // d_z = mean(d) / s_d: the mean difference in units of its own spread
    // (Cohen's d for paired samples); 0/0 and x/0 are left undefined.
    comparison.effectDz =
        comparison.sdDifference > 0.0 ? comparison.meanDifference / comparison.sdDifference : kNaN;
    const double standardError = comparison.sdDifference / std::sqrt(static_cast<double>(comparison.n));
    const double halfWidth = studentTQuantile(0.975, degrees) * standardError;
    comparison.ciLow = comparison.meanDifference - halfWidth;
    comparison.ciHigh = comparison.meanDifference + halfWidth;
    if (allZero) {  // 0/0: no evidence of any difference
      comparison.tStatistic = 0.0;
      comparison.tPValue = 1.0;
    } else {  // a constant nonzero difference gives t = -+inf and p = 0
      comparison.tStatistic = comparison.meanDifference / standardError;
      comparison.tPValue = std::min(1.0, 2.0 * studentTUpperTail(std::fabs(comparison.tStatistic), degrees));
    }
  }

  // Wilcoxon signed-rank test. Zero differences are dropped (Wilcoxon's rule),
  // the rest ranked by |d| with average ranks for ties.
  if (comparison.n == 0) {
    comparison.wilcoxonW = comparison.wilcoxonPValue = kNaN;
    return comparison;
  }
  std::vector<double> nonzero;
  for (double d : differences) {
    if (d != 0.0) nonzero.push_back(d);
  }
  const long m = static_cast<long>(nonzero.size());
  if (m == 0) {
    comparison.wilcoxonW = 0.0;
    comparison.wilcoxonPValue = 1.0;
    return comparison;
  }
  std::sort(nonzero.begin(), nonzero.end(), [](double x, double y) { return std::fabs(x) < std::fabs(y); });
  double wPlus = 0.0;
  double tieCorrection = 0.0;  // sum over tie groups of t^3 - t
  for (long first = 0; first < m;) {
    long last = first;  // one past the tie group [first, last)
    while (last < m &&
           std::fabs(nonzero[static_cast<size_t>(last)]) == std::fabs(nonzero[static_cast<size_t>(first)]))
      ++last;
    // Positions first..last-1 hold ranks first+1..last; their average.
    const double averageRank = 0.5 * static_cast<double>(first + 1 + last);
    for (long i = first; i < last; ++i) {
      if (nonzero[static_cast<size_t>(i)] > 0.0) wPlus += averageRank;
    }
    const double tieSize = static_cast<double>(last - first);
    tieCorrection += tieSize * tieSize * tieSize - tieSize;
    first = last;
  }
  comparison.wilcoxonW = wPlus;
  // Exact only without ties or zeros (as R's wilcox.test): the enumeration
  // assumes the integer ranks 1..m of the full sample.
  const bool exact = m <= kWilcoxonExactMax && m == comparison.n && tieCorrection == 0.0;
  comparison.wilcoxonPValue =
      exact ? wilcoxonExactPValue(m, wPlus) : wilcoxonNormalPValue(m, wPlus, tieCorrection);
  return comparison;
}

std::vector<double> holmAdjusted(std::vector<double> p) {
  std::vector<size_t> order;  // indices of the finite p-values, ascending by p
  for (size_t i = 0; i < p.size(); ++i)
    if (std::isfinite(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
  const double m = static_cast<double>(order.size());
  double runningMax = 0.0;
  for (size_t rank = 0; rank < order.size(); ++rank) {
    // rank is j - 1: the multiplier m - j + 1 is m - rank.
    runningMax = std::max(runningMax, std::min(1.0, (m - static_cast<double>(rank)) * p[order[rank]]));
    p[order[rank]] = runningMax;
  }
  return p;
}

}  // namespace actsweep::results
