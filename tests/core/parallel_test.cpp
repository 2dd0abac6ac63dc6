#include "talentsim/core/parallel.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace talentsim {
namespace {

/// Spins for about `ns` nanoseconds of wall time.
void spin(std::int64_t ns) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::nanoseconds(ns);
  while (std::chrono::steady_clock::now() < until) {
  }
}

TEST(ParallelNanoseconds, CountsEachOutermostPassOnceFromTheThreadThatStartsIt) {
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  // One thread: the outer pass runs its nested passes inline, so its wall time holds
  // them. Counted twice, the total would be about twice the outer wall time.
  const std::int64_t before = parallel_nanoseconds();
  const auto start = std::chrono::steady_clock::now();
  for_each_chunk(2 * kChunkSize, [](std::size_t, std::size_t, std::size_t) {
    for_each_index(4, 1, [](std::size_t) { spin(2'000'000); });
  });
  const auto wall =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  const std::int64_t counted = parallel_nanoseconds() - before;
  EXPECT_GE(counted, 16'000'000);  // 2 chunks x 4 spins of 2 ms
  EXPECT_LE(counted, wall);
}

TEST(ParallelPasses, CountsOutermostPassesOnly) {
  const std::int64_t before = parallel_passes();
  for_each_chunk(3 * kChunkSize, [](std::size_t, std::size_t, std::size_t) {
    for_each_index(2, 1, [](std::size_t) {});  // nested: not a pass of its own
  });
  for_each_index(5, 1, [](std::size_t) {});
  EXPECT_EQ(parallel_passes() - before, 2);
}

TEST(PassUtilisation, IsFullOnOneThreadAndShowsAnUnevenPass) {
  measure_utilisation(true);
  const auto share = [](auto&& pass) {
    const std::int64_t busy = parallel_busy_nanoseconds();
    const std::int64_t capacity = parallel_capacity_nanoseconds();
    pass();
    return static_cast<double>(parallel_busy_nanoseconds() - busy) /
           static_cast<double>(parallel_capacity_nanoseconds() - capacity);
  };
  {
    // One thread: its tasks work the whole pass but for the fork and join.
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    // The best of five passes: on a loaded machine the thread may be descheduled
    // between tasks (time that counts as idle), but not in all five.
    double full = 0.0;
    for (int attempt = 0; attempt < 5; ++attempt)
      full =
          std::max(full, share([] { for_each_index(4, 1, [](std::size_t) { spin(3'000'000); }); }));
    EXPECT_GT(full, 0.9);
    EXPECT_LE(full, 1.0);
  }
  {
    // Two threads, one task of work: at most half their time is busy, whether or not
    // the second thread ever runs.
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    const double uneven =
        share([] { for_each_index(2, 1, [](std::size_t i) { spin(i == 0 ? 10'000'000 : 0); }); });
    EXPECT_LE(uneven, 0.6);
  }
  measure_utilisation(false);
}

TEST(ParallelNanoseconds, LeavesSerialCodeOut) {
  const std::int64_t before = parallel_nanoseconds();
  spin(5'000'000);
  EXPECT_EQ(parallel_nanoseconds(), before);
  std::atomic<int> calls{0};
  for_each_index(3, 1, [&](std::size_t) { ++calls; });
  EXPECT_EQ(calls.load(), 3);
  EXPECT_GT(parallel_nanoseconds(), before);
}

}  // namespace
}  // namespace talentsim
