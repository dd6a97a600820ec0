#include "kmc/RateTree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kmc/Rng.hpp"

using ionhop::kmc::RateTree;
using ionhop::kmc::Rng;

TEST(RateTree, TotalsFollowUpdatesExactly) {
  RateTree t(1000);
  for (int i = 0; i < 1000; ++i) t.set(i, 0.5 * (i % 7));
  t.flush();
  double expected = 0.0;
  for (int i = 0; i < 1000; ++i) expected += 0.5 * (i % 7);
  EXPECT_DOUBLE_EQ(t.total(), expected);
  t.set(3, 0.0);
  t.set(999, 10.0);
  t.flush();
  EXPECT_DOUBLE_EQ(t.total(), expected - 1.5 + 10.0 - 0.5 * (999 % 7));
}

TEST(RateTree, OneNonZeroRateIsAlwaysChosen) {
  RateTree t(777);
  t.set(555, 3.0);
  t.flush();
  Rng rng(1, 0);
  for (int k = 0; k < 1000; ++k) EXPECT_EQ(t.select(rng.uniform() * t.total()), 555);
  // Even a target at the very top of the range never lands on a zero leaf.
  EXPECT_EQ(t.select(std::nextafter(t.total(), 0.0)), 555);
}

TEST(RateTree, SelectionFrequenciesAreProportionalToRates) {
  // χ² test of the selection frequencies (5 leaves across block boundaries).
  RateTree t(200);
  const int leaves[5] = {0, 31, 32, 100, 199};
  const double rates[5] = {1, 2, 3, 4, 10};
  for (int k = 0; k < 5; ++k) t.set(leaves[k], rates[k]);
  t.flush();
  Rng rng(7, 3);
  const int n = 200000;
  int counts[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < n; ++i) {
    const auto j = t.select(rng.uniform() * t.total());
    for (int k = 0; k < 5; ++k) counts[k] += (j == leaves[k]);
  }
  double chi2 = 0.0;
  for (int k = 0; k < 5; ++k) {
    const double e = n * rates[k] / 20.0;
    chi2 += (counts[k] - e) * (counts[k] - e) / e;
  }
  EXPECT_LT(chi2, 18.47);  // 99.9% quantile of χ² with 4 degrees of freedom
}

TEST(Rng, OpenIntervalNeverGivesZeroAndStreamsDiffer) {
  Rng a(42, 0), b(42, 1), c(42, 0);
  bool differ = false;
  for (int i = 0; i < 100000; ++i) {
    const double u = a.uniform_open0();
    ASSERT_GT(u, 0.0);
    ASSERT_LE(u, 1.0);
    differ |= b.next() != c.next();
  }
  EXPECT_TRUE(differ);
}

TEST(Rng, MeanWaitingTimeIsOneOverTotalRate) {
  // −ln(u)/R has mean 1/R and standard deviation 1/R: check the mean to 5 standard errors.
  Rng rng(2024, 9);
  const int n = 400000;
  const double R = 3.5;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += -std::log(rng.uniform_open0()) / R;
  EXPECT_NEAR(sum / n, 1.0 / R, 5.0 / (R * std::sqrt(n)));
}

TEST(Rng, BelowIsUniform) {
  Rng rng(5, 5);
  int counts[6] = {};
  const int n = 600000;
  for (int i = 0; i < n; ++i) counts[rng.below(6)]++;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
  EXPECT_LT(chi2, 20.5);  // 99.9% quantile, 5 degrees of freedom
}

TEST(RateTree, SelectionMatchesBruteForcePrefixSumsAcrossManyLevels) {
  // 300 000 leaves span several tree levels; after random updates the selected leaf is the one
  // a linear scan of the prefix sums finds, except where the target is within rounding of a
  // boundary (the tree sums in another order).
  const std::int64_t n = 300000;
  RateTree t(n);
  std::vector<double> r(n, 0.0);
  Rng rng(77, 1);
  for (std::int64_t i = 0; i < n; ++i)
    if (rng.uniform() < 0.5) t.set(i, r[i] = rng.uniform());
  t.flush();
  for (int k = 0; k < 5000; ++k) {
    const std::int64_t i = static_cast<std::int64_t>(rng.below(n));
    t.set(i, r[i] = (rng.uniform() < 0.3 ? 0.0 : 2.0 * rng.uniform()));
  }
  t.flush();
  std::vector<double> prefix(n + 1, 0.0);
  for (std::int64_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + r[i];
  EXPECT_NEAR(t.total(), prefix[n], 1e-9 * prefix[n]);
  int agree = 0;
  for (int k = 0; k < 2000; ++k) {
    const double target = rng.uniform() * t.total();
    const std::int64_t got = t.select(target);
    ASSERT_GT(r[got], 0.0);
    const auto it = std::upper_bound(prefix.begin(), prefix.end(), target);
    const std::int64_t expected = (it - prefix.begin()) - 1;
    if (got == expected) {
      ++agree;
    } else {
      EXPECT_NEAR(target, prefix[std::max(got, expected)], 1e-9 * prefix[n]) << "leaf " << got << " vs " << expected;
    }
  }
  EXPECT_GT(agree, 1990);
}
