// docs/MODEL.md "A warm start": a scenario with warmup_weeks runs that many weeks
// before week 0 -- the same phases, no events, plans held at their starting level,
// random streams keyed by a seed of their own so the run's weeks draw afresh -- and
// then makes the state it reached week 0: every week number in the state moves back by
// the warm-up's length, the run's counters, flows and cohorts start empty, and the
// starting staff, headcounts and payrolls (what caps, budgets, cohorts and retention
// are measured against) are those at week 0. What the warm-up leaves in motion stays:
// hires accepted and waiting to start, event clocks, burnout and faith, startups,
// team shocks, cooldowns and the firms' record of their normal outflow.
//
// Reads and writes: the whole World.
#include <algorithm>

#include "talentsim/core/parallel.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

std::uint64_t warmup_seed(std::uint64_t seed) {
  // SplitMix64's finaliser of the seed plus a constant: a key no run's seed maps to by
  // chance, fixed for a given seed.
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * 0x5741524DULL;  // "WARM"
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void end_warmup(World& w) {
  const std::int64_t weeks = w.tick;
  const auto back = [weeks](Tick v) -> Tick {
    return v > weeks ? static_cast<Tick>(v - weeks) : Tick{0};
  };
  ResearcherColumns& p = w.people;
  for_each_chunk(p.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      // Clocks are always in the future between ticks; kNever stays never.
      if (p.next_event[i] != kNever) p.next_event[i] = std::max<Tick>(back(p.next_event[i]), 1);
      // A spell that began during the warm-up began, as far as the run knows, by week 0.
      p.hired_tick[i] = back(p.hired_tick[i]);
      // The starting employer, for a named firm; a startup's slot may be reused by a
      // later startup, so those at startups at week 0 have none on record.
      p.initial_employer[i] = p.employer[i] < w.named ? p.employer[i] : kNoFirm;
      p.moves[i] = 0;
    }
  });
  for (TeamState& team : w.teams) team.recruit_until = back(team.recruit_until);
  for (TeamWeek& tw : w.team_signals.week) tw.week = back(tw.week);
  for (std::size_t c = 0; c < w.pending.chunks().size(); ++c)
    for (PendingHire& h : w.pending.chunk(c)) h.due = back(h.due);
  for (Campaign& c : w.campaigns) c.end_tick -= weeks;
  for (FirmState& f : w.firms) {
    // Rings indexed by tick modulo their length: what was at week u is now at u - weeks.
    const auto rotate = [weeks](std::vector<std::uint32_t>& ring) {
      if (ring.empty()) return;
      const auto n = static_cast<std::int64_t>(ring.size());
      std::rotate(ring.begin(), ring.begin() + (weeks % n), ring.end());
    };
    rotate(f.covered_departures);
    rotate(f.covered_weekly);
    f.covered_since -= weeks;
    f.cooldown_until -= weeks;
    f.founded_tick -= weeks;
    f.initial_headcount = f.headcount;
    f.initial_payroll_cents = f.payroll_cents;
    f.plan_since = 0;  // plan_level held still through the warm-up
    f.openings = 0;
    f.tick = FirmTickCounters{};
    f.total = FirmTickCounters{};
  }
  std::fill(w.flows.counts.begin(), w.flows.counts.end(), 0);
  w.startups.founded_tick = 0;
  w.startups.failed_tick = 0;
  w.startups.refused_tick = 0;
  w.tick = 0;
  start_cohort_book(w);
}

}  // namespace talentsim
