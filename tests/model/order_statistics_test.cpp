#include "talentsim/model/order_statistics.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "talentsim/core/rng.hpp"

namespace talentsim {
namespace {

std::vector<float> lognormal_values(std::size_t n, double median, double sigma,
                                    std::uint64_t seed) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream rs(seed, static_cast<std::uint32_t>(i), 0, Purpose::kSynthetic);
    v[i] = static_cast<float>(median * std::exp(sigma * rs.normal()));
  }
  return v;
}

double exact_median(std::vector<float> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return 0.5 * (static_cast<double>(v[(n - 1) / 2]) + static_cast<double>(v[n / 2]));
}

TEST(GroupedMedians, EqualSortingForOddAndEvenGroups) {
  const auto values = lognormal_values(100001, 400000, 0.3, 11);
  // Three groups by id modulo 3, one ignored group (id % 7 == 0 goes to group 5 >= groups).
  const std::size_t groups = 3;
  const auto group = [](std::size_t i) { return i % 7 == 0 ? std::size_t{5} : i % 3; };
  const auto medians = grouped_medians(values.size(), groups, FloatBins{10, 26, 8}, group,
                                       [&](std::size_t i) { return values[i]; });
  for (std::size_t g = 0; g < groups; ++g) {
    std::vector<float> mine;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (group(i) == g) mine.push_back(values[i]);
    EXPECT_EQ(medians[g], exact_median(mine)) << "group " << g;
  }
}

TEST(GroupedMedians, ValuesOutsideTheBinRangeStayExact) {
  // Bins cover [2^10, 2^26); put most mass below and above it.
  std::vector<float> v{1.0F, 2.0F, 3.0F, 5e9F, 6e9F, 7e9F, 8e9F};
  const auto m = grouped_medians(
      v.size(), 1, FloatBins{10, 26, 8}, [](std::size_t) { return std::size_t{0}; },
      [&](std::size_t i) { return v[i]; });
  EXPECT_EQ(m[0], 5e9F);
}

TEST(GroupedMedians, EmptyGroupGivesZero) {
  std::vector<float> v{10.0F, 20.0F};
  const auto m = grouped_medians(
      v.size(), 2, FloatBins{0, 26, 8}, [](std::size_t) { return std::size_t{0}; },
      [&](std::size_t i) { return v[i]; });
  EXPECT_EQ(m[0], 15.0);
  EXPECT_EQ(m[1], 0.0);
}

TEST(SelectRank, FindsTheExactOrderStatisticForAnyThreadCount) {
  const auto values = lognormal_values(50000, 1.0, 0.6, 3);
  std::vector<float> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    for (const std::uint64_t rank : {0ULL, 1ULL, 24999ULL, 47500ULL, 49999ULL}) {
      const float got = select_rank(
          values.size(), rank, FloatBins{-32, 32, 8}, [](std::size_t) { return true; },
          [&](std::size_t i) { return values[i]; });
      EXPECT_EQ(got, sorted[rank]) << "rank " << rank << " threads " << threads;
    }
  }
}

}  // namespace
}  // namespace talentsim
