// Counter-based randomness (docs/MODEL.md "Determinism").
//
// Every draw is a pure function of (scenario seed, entity, tick, purpose, draw):
// Random123's Philox4x32-10 keyed by the seed, with the counter
// (entity, tick, purpose << 24 | draw, 0). The last counter word belongs to
// r123::MicroURNG, which lets Boost.Random distributions pull as many 32-bit
// words as they need. No generator state survives between draws, so results
// cannot depend on which thread runs which researcher, and two scenarios that
// differ in one parameter consume the same stream (common random numbers).
#pragma once

// philox.h defines the feature macros MicroURNG.hpp relies on: keep this order.
// clang-format off
#include <Random123/philox.h>
#include <Random123/MicroURNG.hpp>
// clang-format on

#include <array>
#include <cmath>
#include <cstdint>

namespace talentsim {

/// What a draw is for. Each purpose owns a disjoint part of the counter space;
/// values are part of the reproducibility contract: never renumber them.
enum class Purpose : std::uint32_t {
  kInitSkill = 1,        ///< a researcher's skill q (tick 0)
  kInitEmployment = 2,   ///< reserved: unused (initial employers are blocks of rows)
  kInitSalary = 3,       ///< a researcher's starting salary (tick 0)
  kPreferences = 4,      ///< alpha, gamma, d of a researcher (tick 0; kept in columns)
  kClock = 5,            ///< time to the researcher's next market event
  kEventKinds = 6,       ///< how many events fall in a tick and what each is
  kOfferFirm = 7,        ///< which recruiter an offer comes from (and which live startup)
  kOfferWage = 8,        ///< dispersion of an offer's wage (draw 0xFFFF: a team offer's)
  kChoiceNoise = 9,      ///< Gumbel taste shocks of a decision
  kCounterOffer = 10,    ///< whether the employer counters
  kTeamAssign = 11,      ///< which team of its new employer a hire joins
  kSeparation = 12,      ///< this week's separation of someone hired from outside employment
  kStartupFailure = 13,  ///< whether a startup fails this week (entity: its serial)
  kTeamRecruit = 14,     ///< whether a startup makes an offer to a former teammate this week
  kStartupPick = 15,     ///< reserved: unused (the live startup is drawn on kOfferFirm)
  kSynthetic = 16,       ///< benchmarks and tests
  kOfferKept = 17,       ///< whether a firm hiring to openings makes an offer drawn for it
};

/// The Philox block cipher this project uses everywhere.
using Philox = r123::Philox4x32;

/// A Boost/C++11 uniform random bit generator for one (seed, entity, tick, purpose, draw)
/// tuple. Cheap to construct; never stored in model state.
class RandomStream {
 public:
  using result_type = std::uint32_t;

  RandomStream(std::uint64_t seed, std::uint32_t entity, std::uint32_t tick, Purpose purpose,
               std::uint32_t draw = 0)
      : urng_(make_counter(entity, tick, purpose, draw), make_key(seed)) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return urng_(); }

  /// Uniform on the open interval (0, 1) with 53 random bits.
  double uniform() {
    const std::uint64_t hi = urng_() >> 5;  // 27 bits
    const std::uint64_t lo = urng_() >> 6;  // 26 bits
    return (static_cast<double>((hi << 26) | lo) + 0.5) * 0x1.0p-53;
  }

  /// Standard normal, by Boost.Random's ziggurat.
  double normal();

  /// Standard exponential (rate 1), by Boost.Random's ziggurat: no logarithm on
  /// almost every draw. Never 0 (a zero draw becomes the smallest normal double).
  double exponential();

  /// Standard Gumbel variate, for random-utility taste shocks: -log E, E exponential.
  double gumbel() { return -std::log(exponential()); }

  static Philox::ukey_type make_key(std::uint64_t seed) {
    return {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  }
  static Philox::ctr_type make_counter(std::uint32_t entity, std::uint32_t tick, Purpose purpose,
                                       std::uint32_t draw) {
    return {{entity, tick, (static_cast<std::uint32_t>(purpose) << 24) | (draw & 0xFFFFFFu), 0u}};
  }

 private:
  r123::MicroURNG<Philox> urng_;
};

/// Number of whole ticks until the next event of a Poisson process with
/// `rate_per_tick` (= yearly rate x dt): geometric on {1, 2, ...} with success
/// probability 1 - exp(-rate_per_tick), as the ceiling of the waiting time
/// `exponential` / rate_per_tick, where `exponential` is a standard exponential draw.
/// Returns `cap` when the event falls beyond it (or the rate is zero).
std::uint32_t ticks_to_next_event(double rate_per_tick, double exponential, std::uint32_t cap);

/// Draw from a Poisson(mean) conditioned on being at least 1, by inversion of one uniform.
/// Exact for any mean > 0; the count is capped at `cap`.
std::uint32_t zero_truncated_poisson(double mean, double u, std::uint32_t cap);

}  // namespace talentsim
