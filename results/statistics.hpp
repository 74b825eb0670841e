#pragma once
// Statistics over seeds: summaries with t confidence intervals, and paired
// comparisons (paired t test, Wilcoxon signed-rank test). Plain functions on
// vectors of doubles; NaN inputs are the caller's to filter out.

#include <vector>

namespace actsweep::results {

struct Summary {
  long n = 0;
  double mean = 0;               // NaN when n == 0
  double std = 0;                // sample standard deviation (n - 1); NaN when n < 2
  double ciLow = 0, ciHigh = 0;  // 95% CI of the mean: mean -+ t(0.975, n-1) std / sqrt(n); NaN when n < 2
};
Summary summarize(const std::vector<double>& values);

// Student's t distribution with `degrees` degrees of freedom (> 0).
double studentTCdf(double t, double degrees);
double studentTQuantile(double probability, double degrees);  // inverse of studentTCdf

struct PairedComparison {
  long n = 0;                          // pairs
  double meanDifference = 0;           // mean of (b - a)
  double ciLow = 0, ciHigh = 0;        // 95% t CI of the mean difference
  double sdDifference = 0;             // sample sd of (b - a); NaN when n < 2
  double effectDz = 0;                 // Cohen's d_z = meanDifference / sdDifference; NaN when n < 2 or sd 0
  double tStatistic = 0, tPValue = 0;  // paired t test, two-sided
  double wilcoxonW = 0;                // signed-rank statistic: sum of the ranks of the positive differences
  double wilcoxonPValue = 0;           // two-sided; exact for n <= 25 without ties or zeros, else normal
                              // approximation with tie correction; zero differences dropped (Wilcoxon's rule)
};
// a[i] and b[i] are one pair (the same seed and other settings). Throws
// std::invalid_argument when the sizes differ.
PairedComparison comparePaired(const std::vector<double>& a, const std::vector<double>& b);

// Holm's step-down adjustment of a family of p-values, in the input order.
// With the m finite p-values sorted p_(1) <= ... <= p_(m):
//   adjusted p_(i) = max over j <= i of min(1, (m - j + 1) p_(j))
// (the running max keeps the order of the raw p-values). NaN entries (a
// comparison of one pair) are no member of the family and stay NaN.
std::vector<double> holmAdjusted(std::vector<double> p);

}  // namespace actsweep::results
