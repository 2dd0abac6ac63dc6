// Exact order statistics (medians, top-x% thresholds) of float columns by group,
// in two streaming passes and without copying the column.
//
// Pass 1 counts values in a radix histogram keyed by the float's bits (which
// order positive floats). The bin holding the wanted rank is then known, and
// pass 2 gathers only the values in that bin and selects exactly. Counts are
// integers, so per-thread histograms combine in any order: the result is the
// same for every thread count.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "talentsim/core/parallel.hpp"

namespace talentsim {

/// Bins over positive floats in [2^min_exponent, 2^max_exponent), `mantissa_bits`
/// bits of mantissa each (8 bits: bins 0.4% wide). Values outside fall in the end bins.
struct FloatBins {
  int min_exponent = 10;
  int max_exponent = 28;
  int mantissa_bits = 8;

  [[nodiscard]] std::size_t count() const {
    return static_cast<std::size_t>(max_exponent - min_exponent) << mantissa_bits;
  }
  /// The smallest value of bin b (-infinity for the first bin, which also holds
  /// everything below the range).
  [[nodiscard]] float lower_edge(std::size_t b) const {
    if (b == 0) return -std::numeric_limits<float>::infinity();
    if (b >= count()) return std::numeric_limits<float>::infinity();
    const auto shift = static_cast<unsigned>(23 - mantissa_bits);
    const std::uint32_t lo = static_cast<std::uint32_t>(127 + min_exponent) << 23;
    return std::bit_cast<float>(lo + (static_cast<std::uint32_t>(b) << shift));
  }
  [[nodiscard]] std::size_t bin(float v) const {
    const auto shift = static_cast<unsigned>(23 - mantissa_bits);
    const std::uint32_t lo = static_cast<std::uint32_t>(127 + min_exponent) << 23;
    const std::uint32_t hi = static_cast<std::uint32_t>(127 + max_exponent) << 23;
    std::uint32_t bits = v > 0.0F ? std::bit_cast<std::uint32_t>(v) : 0u;
    bits = std::clamp(bits, lo, hi - 1);
    return (bits - lo) >> shift;
  }
};

/// Exact k-th smallest values per group over a column, two ranks per group at most
/// (enough for a median of an even count).
class GroupedOrderStatistics {
 public:
  GroupedOrderStatistics(std::size_t groups, FloatBins bins)
      : groups_(groups),
        bins_(bins),
        histograms_([this] { return std::vector<std::uint32_t>(groups_ * bins_.count(), 0u); }),
        gathered_([this] { return std::vector<std::vector<float>>(groups_); }) {}

  [[nodiscard]] std::size_t groups() const { return groups_; }

  /// Pass 1: the calling thread's histogram, indexed by index(g, v).
  std::vector<std::uint32_t>& local_histogram() { return histograms_.local(); }
  [[nodiscard]] std::size_t index(std::size_t g, float v) const {
    return g * bins_.count() + bins_.bin(v);
  }

  /// Between the passes: for each group, the 0-based ranks wanted (rank_lo <= rank_hi;
  /// a group with no values is skipped). Returns false if no group needs pass 2.
  bool locate(std::span<const std::uint64_t> rank_lo, std::span<const std::uint64_t> rank_hi);
  /// The same, from a histogram kept elsewhere (group-major, bins().count() per group)
  /// instead of the per-thread counts.
  bool locate(std::span<const std::uint32_t> histogram, std::span<const std::uint64_t> rank_lo,
              std::span<const std::uint64_t> rank_hi);
  [[nodiscard]] const FloatBins& bins() const { return bins_; }

  /// Pass 2 without a bin computation, for non-negative values: group g wants exactly
  /// the v with bits(v) - low < span (bins between the two wanted ones are empty). One
  /// unsigned compare, so the test is a branch that is almost never taken -- two float
  /// compares against the median would mispredict for half the values.
  struct BitRange {
    std::uint32_t low;
    std::uint32_t span;
    [[nodiscard]] bool contains(float v) const {
      return std::bit_cast<std::uint32_t>(v) - low < span;
    }
  };
  [[nodiscard]] BitRange wanted_values(std::size_t g) const {
    if (want_lo_[g] == kNone) return {0u, 0u};  // empty: nothing passes
    const auto bits = [](float x) {
      return x < 0.0F ? 0u : std::bit_cast<std::uint32_t>(x);  // -inf edge: from 0
    };
    const std::uint32_t low = bits(bins_.lower_edge(want_lo_[g]));
    return {low, bits(bins_.lower_edge(want_hi_[g] + 1)) - low};
  }
  /// Records a value already known to be wanted (see wanted_values).
  void gather_wanted(std::size_t g, float v) { gathered_.local()[g].push_back(v); }

  /// Pass 2, from any thread: offer value v of group g.
  void gather(std::size_t g, float v) {
    const std::size_t b = bins_.bin(v);
    if (b == want_lo_[g] || b == want_hi_[g]) gathered_.local()[g].push_back(v);
  }
  /// Whether pass 2 wants values of group g at all.
  [[nodiscard]] bool wants(std::size_t g) const { return want_lo_[g] != kNone; }

  /// After pass 2: the two wanted values of group g (NaN for empty groups).
  struct Pair {
    float lo;
    float hi;
  };
  [[nodiscard]] std::vector<Pair> finish();

  /// Clears counts for the next use.
  void reset();

 private:
  static constexpr std::size_t kNone = ~std::size_t{0};
  std::size_t groups_;
  FloatBins bins_;
  tbb::enumerable_thread_specific<std::vector<std::uint32_t>> histograms_;
  tbb::enumerable_thread_specific<std::vector<std::vector<float>>> gathered_;
  std::vector<std::size_t> want_lo_, want_hi_;      // bins holding the ranks
  std::vector<std::uint64_t> below_lo_, below_hi_;  // values below those bins
  std::vector<std::uint64_t> rank_lo_, rank_hi_;
};

/// Exact medians of value(i) for rows grouped by group(i) (ignored when >= groups).
/// Two parallel passes over [0, rows). Empty groups give 0.
template <class GroupFn, class ValueFn>
std::vector<double> grouped_medians(std::size_t rows, std::size_t groups, FloatBins bins,
                                    GroupFn group, ValueFn value) {
  GroupedOrderStatistics stats(groups, bins);
  tbb::enumerable_thread_specific<std::vector<std::uint64_t>> counts(
      [groups] { return std::vector<std::uint64_t>(groups, 0); });
  for_each_chunk(rows, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& hist = stats.local_histogram();
    auto& n = counts.local();
    for (std::size_t i = b; i < e; ++i) {
      const std::size_t g = group(i);
      if (g >= groups) continue;
      ++n[g];
      ++hist[stats.index(g, value(i))];
    }
  });
  std::vector<std::uint64_t> total(groups, 0), lo(groups), hi(groups);
  for (const auto& n : counts)
    for (std::size_t g = 0; g < groups; ++g) total[g] += n[g];
  for (std::size_t g = 0; g < groups; ++g) {
    lo[g] = total[g] == 0 ? 0 : (total[g] - 1) / 2;
    hi[g] = total[g] / 2;
  }
  std::vector<double> out(groups, 0.0);
  if (!stats.locate(lo, hi)) return out;
  for_each_chunk(rows, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const std::size_t g = group(i);
      if (g < groups && stats.wants(g)) stats.gather(g, value(i));
    }
  });
  const auto pairs = stats.finish();
  for (std::size_t g = 0; g < groups; ++g)
    if (total[g] > 0) out[g] = 0.5 * (static_cast<double>(pairs[g].lo) + pairs[g].hi);
  return out;
}

/// Exact value of the given 0-based rank among value(i) over rows with keep(i).
template <class KeepFn, class ValueFn>
float select_rank(std::size_t rows, std::uint64_t rank, FloatBins bins, KeepFn keep,
                  ValueFn value) {
  GroupedOrderStatistics stats(1, bins);
  for_each_chunk(rows, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& hist = stats.local_histogram();
    for (std::size_t i = b; i < e; ++i)
      if (keep(i)) ++hist[stats.index(0, value(i))];
  });
  const std::uint64_t r[1] = {rank};
  if (!stats.locate(r, r)) return 0.0F;
  for_each_chunk(rows, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i)
      if (keep(i)) stats.gather(0, value(i));
  });
  return stats.finish()[0].lo;
}

}  // namespace talentsim
