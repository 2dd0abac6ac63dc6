#include "talentsim/core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace talentsim {
namespace {

TEST(RandomStream, SameTupleSameNumbers) {
  RandomStream a(42, 7, 3, Purpose::kClock);
  RandomStream b(42, 7, 3, Purpose::kClock);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a(), b());
}

TEST(RandomStream, EveryKeyPartChangesTheStream) {
  const auto first = [](std::uint64_t seed, std::uint32_t entity, std::uint32_t tick, Purpose p,
                        std::uint32_t draw) { return RandomStream(seed, entity, tick, p, draw)(); };
  const auto base = first(42, 7, 3, Purpose::kClock, 0);
  EXPECT_NE(base, first(43, 7, 3, Purpose::kClock, 0));
  EXPECT_NE(base, first(42, 8, 3, Purpose::kClock, 0));
  EXPECT_NE(base, first(42, 7, 4, Purpose::kClock, 0));
  EXPECT_NE(base, first(42, 7, 3, Purpose::kOfferFirm, 0));
  EXPECT_NE(base, first(42, 7, 3, Purpose::kClock, 1));
  // The high half of the seed matters too.
  EXPECT_NE(base, first(42 + (std::uint64_t{1} << 40), 7, 3, Purpose::kClock, 0));
}

TEST(RandomStream, UniformIsInsideTheOpenIntervalWithTheRightMean) {
  // 100,000 draws: the mean's sd is sqrt(1/12/1e5) = 0.00091; 5 sd = 0.0046.
  double sum = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    RandomStream s(1, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.0046);
}

TEST(RandomStream, NormalHasUnitVariance) {
  // 100,000 draws: the variance estimate's sd is sqrt(2/1e5) = 0.0045; 5 sd = 0.022.
  double sum = 0.0;
  double sum2 = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    RandomStream s(9, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    const double z = s.normal();
    sum += z;
    sum2 += z * z;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.016);  // 5 sd of the mean
  EXPECT_NEAR(sum2 / n - mean * mean, 1.0, 0.022);
}

TEST(TicksToNextEvent, IsGeometricWithTheTickProbability) {
  // P(first event at tick 1) = 1 - exp(-r); at tick k: (1-p)^(k-1) p.
  const double r = 0.3;
  const double p = 1.0 - std::exp(-r);
  const int n = 200000;
  int at1 = 0;
  int at2 = 0;
  for (int i = 0; i < n; ++i) {
    RandomStream s(5, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    const auto k = ticks_to_next_event(r, s.exponential(), 1000);
    ASSERT_GE(k, 1u);
    at1 += k == 1;
    at2 += k == 2;
  }
  // Binomial sd of a share near 0.26 with n = 2e5 is 0.001; allow 5 sd.
  EXPECT_NEAR(static_cast<double>(at1) / n, p, 0.005);
  EXPECT_NEAR(static_cast<double>(at2) / n, (1 - p) * p, 0.005);
}

TEST(TicksToNextEvent, ZeroRateNeverFires) {
  EXPECT_EQ(ticks_to_next_event(0.0, 0.7, 777), 777u);
  EXPECT_EQ(ticks_to_next_event(1e-12, 0.7, 777), 777u);
}

TEST(RandomStream, ExponentialAndGumbelFollowTheirLaws) {
  // 200,000 draws each, fixed seeds; every tolerance is 5 sd of its estimate.
  // Exponential(1): mean 1 (sd of the mean 1/sqrt(2e5) = 0.0022), variance 1 (sd of the
  // estimate sqrt(8/2e5) = 0.0063). Gumbel: mean 0.5772 (Euler's gamma; sd 0.0029),
  // variance pi^2/6 = 1.645 (sd of the estimate about 0.0077).
  // Tails, the ziggurat's hard part: P(E > x) = exp(-x), P(G <= x) = exp(-exp(-x)); a
  // share p over n draws has sd sqrt(p (1 - p) / n) <= 0.0012.
  const int n = 200000;
  double e1 = 0, e2 = 0, g1 = 0, g2 = 0;
  const double e_cut[] = {0.1, 1.0, 3.0, 6.0};
  const double g_cut[] = {-1.0, 0.0, 2.0, 5.0};
  int e_above[4] = {}, g_below[4] = {};
  for (int i = 0; i < n; ++i) {
    RandomStream a(11, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    const double e = a.exponential();
    ASSERT_GT(e, 0.0);
    e1 += e;
    e2 += e * e;
    RandomStream b(12, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    const double g = b.gumbel();
    g1 += g;
    g2 += g * g;
    for (int k = 0; k < 4; ++k) {
      e_above[k] += e > e_cut[k];
      g_below[k] += g <= g_cut[k];
    }
  }
  EXPECT_NEAR(e1 / n, 1.0, 0.011);
  EXPECT_NEAR(e2 / n - (e1 / n) * (e1 / n), 1.0, 0.032);
  EXPECT_NEAR(g1 / n, 0.5772156649, 0.015);
  EXPECT_NEAR(g2 / n - (g1 / n) * (g1 / n), 3.14159265358979 * 3.14159265358979 / 6, 0.039);
  for (int k = 0; k < 4; ++k) {
    const double pe = std::exp(-e_cut[k]);
    const double pg = std::exp(-std::exp(-g_cut[k]));
    EXPECT_NEAR(static_cast<double>(e_above[k]) / n, pe, 5 * std::sqrt(pe * (1 - pe) / n) + 1e-12)
        << "P(E > " << e_cut[k] << ")";
    EXPECT_NEAR(static_cast<double>(g_below[k]) / n, pg, 5 * std::sqrt(pg * (1 - pg) / n) + 1e-12)
        << "P(G <= " << g_cut[k] << ")";
  }
}

TEST(ZeroTruncatedPoisson, MatchesTheConditionalLaw) {
  const double m = 1.5;
  const double norm = 1.0 - std::exp(-m);
  const int n = 200000;
  int ones = 0;
  int twos = 0;
  for (int i = 0; i < n; ++i) {
    RandomStream s(6, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    const auto k = zero_truncated_poisson(m, s.uniform(), 64);
    ASSERT_GE(k, 1u);
    ones += k == 1;
    twos += k == 2;
  }
  EXPECT_NEAR(static_cast<double>(ones) / n, std::exp(-m) * m / norm, 0.005);
  EXPECT_NEAR(static_cast<double>(twos) / n, std::exp(-m) * m * m / 2 / norm, 0.005);
}

}  // namespace
}  // namespace talentsim
