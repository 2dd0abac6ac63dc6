#include "talentsim/core/rng.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <limits>

namespace talentsim {

double RandomStream::normal() {
  boost::random::normal_distribution<double> standard;
  return standard(*this);
}

double RandomStream::exponential() {
  boost::random::exponential_distribution<double> standard;
  return std::max(standard(*this), std::numeric_limits<double>::min());
}

std::uint32_t ticks_to_next_event(double rate_per_tick, double exponential, std::uint32_t cap) {
  if (!(rate_per_tick > 0.0)) return cap;
  // P(no event in k ticks) = exp(-rate k); the first tick with an event is the
  // ceiling of an exponential waiting time measured in ticks.
  const double wait = exponential / rate_per_tick;
  if (!(wait < static_cast<double>(cap))) return cap;
  const auto k = static_cast<std::uint32_t>(std::ceil(wait));
  return k == 0 ? 1u : k;
}

std::uint32_t zero_truncated_poisson(double mean, double u, std::uint32_t cap) {
  // P(K = k | K >= 1) = e^-m m^k / k! / (1 - e^-m). Walk the CDF from k = 1.
  const double norm = -std::expm1(-mean);  // 1 - e^-m, accurate for small m
  double pk = std::exp(-mean) * mean / norm;
  double cdf = pk;
  std::uint32_t k = 1;
  while (cdf < u && k < cap) {
    ++k;
    pk *= mean / static_cast<double>(k);
    const double next = cdf + pk;
    if (next == cdf) break;  // u is above the CDF's rounded total: the tail is exhausted
    cdf = next;
  }
  return k;
}

}  // namespace talentsim
