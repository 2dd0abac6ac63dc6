// Event clocks (docs/MODEL.md phase 3), inline because the decision pass and the clock
// redraws call them for every researcher who acts.
//
// Each researcher's offers, founding and independence hazards and (while employed)
// separations are independent Poisson processes; their superposition has rate R,
// and the tick of its next event is geometric with success probability
// 1 - exp(-R dt). The clock stores that tick, so a tick only touches researchers with
// something to do. When R changes (a move, an event), the clock is drawn again:
// exact, because the process is memoryless. On a tick where the clock fires, the
// number of events is Poisson(R dt) conditioned on at least one, and each event's
// kind is drawn in proportion to its rate -- exactly the per-tick Bernoulli/Poisson
// model, without a draw per researcher per tick.
#pragma once

#include <cstdint>

#include "talentsim/core/rng.hpp"
#include "talentsim/model/choice.hpp"
#include "talentsim/model/world.hpp"

namespace talentsim {

/// Whether a campaign targets a researcher employed at `employer`.
inline bool campaign_targets(const Campaign& c, FirmId employer, float skill, ResearcherId id) {
  return employer == c.target && c.cut.takes(skill, id);
}

/// Yearly offer rate of a researcher: lambda1 * sum_j w_j(e) q^theta_j / E[q^theta_j]
/// over recruiters j (grouped by distinct theta), plus each campaign targeting them,
/// (multiplier - 1) x the campaigning firm's weight. Lambda0 when not employed.
inline double offer_rate_of(const World& w, FirmId employer, bool employed, float skill,
                            ResearcherId id, const SkillPowers& powers) {
  const auto& m = w.scenario.market;
  if (!employed) return m.offer_rate_between_jobs;
  const std::size_t row = w.employer_row(employer);
  double sum = w.rates.weight_sum(row, powers);
  for (const Campaign& c : w.campaigns) {
    if (!campaign_targets(c, employer, skill, id)) continue;
    sum += w.rates.recruiter_weight(row, c.firm, powers) * (c.multiplier - 1.0);
  }
  return m.offer_rate_employed * sum;
}

/// A researcher's yearly event rates by kind.
inline EventRates event_rates(const World& w, ResearcherId id, const SkillPowers& powers) {
  const FirmId e = w.people.employer[id];
  const bool employed = e != kNoFirm;
  EventRates r;
  r.offer = offer_rate_of(w, e, employed, w.people.skill[id], id, powers);
  r.found = w.scenario.startups.enabled ? w.scenario.startups.founding_rate : 0.0;
  r.independent =
      (w.people.flags[id] & flag::kIndependent) != 0 ? 0.0 : w.scenario.independent.consider_rate;
  r.separation = employed ? w.scenario.market.separation_rate : 0.0;
  return r;
}

/// Total yearly event rate of researcher `id` now. Skill powers only matter to the
/// offers of the employed.
inline double event_rate_of(const World& w, ResearcherId id) {
  const bool employed = w.people.employer[id] != kNoFirm;
  return event_rates(w, id, employed ? w.rates.skill_powers(w.people.skill[id]) : SkillPowers{})
      .total();
}

/// Draws researcher `id`'s clock from `from_tick` on at a known yearly `rate`: the
/// first tick with an event is from_tick - 1 + G, G geometric on {1, 2, ...}.
inline void schedule_clock_at_rate(World& w, ResearcherId id, std::uint32_t from_tick,
                                   std::uint32_t draw, double rate) {
  RandomStream rs(w.scenario.seed, id, from_tick, Purpose::kClock, draw);
  const std::uint32_t g = ticks_to_next_event(rate * kDt, rs.exponential(), kNever);
  const std::uint64_t next = std::uint64_t{from_tick} - 1 + g;
  w.people.next_event[id] = next >= kNever ? kNever : static_cast<Tick>(next);
}

/// The same at the researcher's current rate.
inline void schedule_clock(World& w, ResearcherId id, std::uint32_t from_tick, std::uint32_t draw) {
  schedule_clock_at_rate(w, id, from_tick, draw, event_rate_of(w, id));
}

/// Builds the rate tables from the firms' recruiting settings (rates.cpp).
void build_rate_tables(World& w);
/// Draws everyone's clock: at the start from tick 1, or after an event changed rates
/// at tick t from t itself (rates.cpp).
void redraw_all_clocks(World& w, bool from_this_tick);

}  // namespace talentsim
