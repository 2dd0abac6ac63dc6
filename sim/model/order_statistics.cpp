#include "talentsim/model/order_statistics.hpp"

#include "talentsim/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace talentsim {

bool GroupedOrderStatistics::locate(std::span<const std::uint64_t> rank_lo,
                                    std::span<const std::uint64_t> rank_hi) {
  std::vector<std::uint32_t> merged(groups_ * bins_.count(), 0);
  for (const auto& h : histograms_)
    for (std::size_t k = 0; k < merged.size(); ++k) merged[k] += h[k];
  return locate(merged, rank_lo, rank_hi);
}

bool GroupedOrderStatistics::locate(std::span<const std::uint32_t> merged,
                                    std::span<const std::uint64_t> rank_lo,
                                    std::span<const std::uint64_t> rank_hi) {
  const std::size_t nb = bins_.count();
  want_lo_.assign(groups_, kNone);
  want_hi_.assign(groups_, kNone);
  below_lo_.assign(groups_, 0);
  below_hi_.assign(groups_, 0);
  rank_lo_.assign(rank_lo.begin(), rank_lo.end());
  rank_hi_.assign(rank_hi.begin(), rank_hi.end());
  bool any = false;
  for (std::size_t g = 0; g < groups_; ++g) {
    std::uint64_t below = 0;
    for (std::size_t b = 0; b < nb; ++b) {
      const std::uint64_t c = merged[g * nb + b];
      if (want_lo_[g] == kNone && rank_lo_[g] < below + c) {
        want_lo_[g] = b;
        below_lo_[g] = below;
      }
      if (rank_hi_[g] < below + c) {
        want_hi_[g] = b;
        below_hi_[g] = below;
        break;
      }
      below += c;
    }
    if (want_hi_[g] == kNone) want_lo_[g] = kNone;  // fewer values than the rank: empty
    any = any || want_lo_[g] != kNone;
  }
  for (auto& per_thread : gathered_)
    for (auto& v : per_thread) v.clear();
  return any;
}

std::vector<GroupedOrderStatistics::Pair> GroupedOrderStatistics::finish() {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<Pair> out(groups_, Pair{nan, nan});
  std::vector<float> values;
  for (std::size_t g = 0; g < groups_; ++g) {
    if (want_lo_[g] == kNone) continue;
    values.clear();
    for (auto& per_thread : gathered_) {
      auto& v = per_thread[g];
      values.insert(values.end(), v.begin(), v.end());
    }
    // In sorted order the low bin's values come first and the high bin's (if another)
    // follow, so the wanted ranks are these indices of the gathered values.
    const std::size_t n_lo =
        want_hi_[g] == want_lo_[g]
            ? 0
            : static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [&](float v) {
                return bins_.bin(v) == want_lo_[g];
              }));
    const std::size_t hi_index = want_hi_[g] == want_lo_[g]
                                     ? static_cast<std::size_t>(rank_hi_[g] - below_lo_[g])
                                     : n_lo + static_cast<std::size_t>(rank_hi_[g] - below_hi_[g]);
    const auto lo_index = static_cast<std::size_t>(rank_lo_[g] - below_lo_[g]);
    // The histogram and the gathered values must agree (e.g. no NaN or infinity slipped in).
    if (lo_index >= values.size() || hi_index >= values.size() || hi_index < lo_index)
      throw ModelError("order statistics: the gathered values do not match the histogram");
    // Select instead of sorting: the values at those sorted indices do not depend on
    // the order the threads gathered them in.
    const auto lo_at = values.begin() + static_cast<std::ptrdiff_t>(lo_index);
    std::nth_element(values.begin(), lo_at, values.end());
    out[g].lo = *lo_at;
    if (hi_index > lo_index) {
      const auto hi_at = values.begin() + static_cast<std::ptrdiff_t>(hi_index);
      std::nth_element(lo_at + 1, hi_at, values.end());
    }
    out[g].hi = values[hi_index];
  }
  return out;
}

void GroupedOrderStatistics::reset() {
  for (auto& h : histograms_) std::fill(h.begin(), h.end(), 0u);
  for (auto& per_thread : gathered_)
    for (auto& v : per_thread) v.clear();
}

}  // namespace talentsim
