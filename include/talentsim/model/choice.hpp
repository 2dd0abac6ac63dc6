// Random-utility choice (docs/MODEL.md phase 4; McFadden 1974).
//
// Each option's utility gets a taste shock tau x Gumbel, drawn in option order
// from the decision's own stream, and the best option wins. That is exactly the
// multinomial logit: P(k) = softmax(V / tau)_k. Options added at the end never
// change the shocks of the ones before, so independence of irrelevant
// alternatives holds draw by draw, not only on average. tau = 0 is the
// deterministic argmax; ties go to the lowest index (index 0 is "stay").
#pragma once

#include <cstddef>
#include <limits>
#include <span>

#include "talentsim/core/rng.hpp"

namespace talentsim {

/// Adds tau x standard Gumbel to each value, in order. No draws when tau == 0.
inline void add_taste_shocks(std::span<double> values, double tau, RandomStream& stream) {
  if (tau <= 0.0) return;
  for (double& v : values) v += tau * stream.gumbel();
}

/// Index of the largest value, skipping `skip` (pass values.size() to skip none).
/// Ties go to the lowest index. Returns values.size() when nothing is left.
inline std::size_t best_option(std::span<const double> values, std::size_t skip) {
  std::size_t best = values.size();
  double best_value = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < values.size(); ++k)
    if (k != skip && (best == values.size() || values[k] > best_value)) {
      best = k;
      best_value = values[k];
    }
  return best;
}

}  // namespace talentsim
