// docs/MODEL.md phase 10: firm reactions. A firm with a reactive-raise policy (Tesla's,
// April 2024) counts the covered researchers who left voluntarily over the last
// window_weeks; when they reach trigger_departures (and, with a relative trigger,
// exceed a multiple of the firm's own normal outflow), every covered researcher still
// there gets (1 + raise) x their salary, the window is cleared, and the policy rests
// for cooldown_weeks. Then everyone who acted or moved this week draws a new event
// clock from next week on (their rates may have changed).
//
// Reads:  firms' covered departures and policies; employer, flags, salary;
//         TickBuffers::redraw.
// Writes: salary (raises), next_event (redraws); firms' payroll, cooldowns and
//         reactive_raises; the salary histogram.
#include <algorithm>

#include "../clocks.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{"reactions", "10",
                          "covered departures, policies; employer, flags, salary; redraw",
                          "firms' payroll, cooldowns, reactive_raises; salary histogram",
                          columns<&ResearcherColumns::salary, &ResearcherColumns::next_event>()};
}  // namespace

const PhaseSpec& ReactionsPhase::spec() const { return kSpec; }

namespace {

// The relative trigger: the firm's normal is its mean weekly covered departures over
// the (up to) baseline_weeks weeks before the window, counted since the policy began
// counting; with fewer than window_weeks of them it does not know its normal yet and
// does not fire. It fires when the window's departures exceed trigger_multiple x the
// normal x window_weeks.
bool above_normal(const FirmState& f, std::int64_t tick, std::int64_t recent) {
  const auto& rr = f.params.reactive_raise;
  const std::int64_t first =
      std::max(f.covered_since, tick - rr.window_weeks - rr.baseline_weeks + 1);
  const std::int64_t last = tick - rr.window_weeks;
  if (last - first + 1 < rr.window_weeks) return false;
  std::int64_t sum = 0;
  for (std::int64_t u = first; u <= last; ++u)
    sum += f.covered_weekly[static_cast<std::size_t>(u) % f.covered_weekly.size()];
  const double normal = static_cast<double>(sum) / static_cast<double>(last - first + 1) *
                        static_cast<double>(rr.window_weeks);
  return static_cast<double>(recent) > rr.trigger_multiple * normal;
}

void fire_reactive_raises(World& w) {
  std::vector<double> factor(w.named, 1.0);
  std::vector<Eligibility> who(w.named, Eligibility::kNone);
  bool any = false;
  for (std::size_t j = 0; j < w.named; ++j) {
    FirmState& f = w.firms[j];
    const auto& rr = f.params.reactive_raise;
    if (!rr.enabled || f.covered_departures.empty() || w.tick <= f.cooldown_until) continue;
    std::int64_t recent = 0;
    for (const auto c : f.covered_departures) recent += c;
    if (recent < rr.trigger_departures) continue;
    if (rr.trigger_multiple > 0.0 && !above_normal(f, w.tick, recent)) continue;
    factor[j] = 1.0 + rr.raise;
    who[j] = rr.who;
    f.cooldown_until = w.tick + rr.cooldown_weeks;
    std::fill(f.covered_departures.begin(), f.covered_departures.end(), 0u);
    any = true;
  }
  if (!any) return;
  const std::size_t chunks = chunk_count(w.people.size());
  std::vector<std::int64_t> raised(chunks * w.named, 0), delta(chunks * w.named, 0);
  for_each_chunk(w.people.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = w.people.employer[i];
      if (f >= w.named || factor[f] == 1.0 || !covers(who[f], w.people.flags[i])) continue;
      const float before = w.people.salary[i];
      const float after = bounded_salary(before * factor[f]);
      w.people.salary[i] = after;
      raised[c * w.named + f] += 1;
      delta[c * w.named + f] += cents(after) - cents(before);
    }
  });
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t j = 0; j < w.named; ++j) {
      w.firms[j].tick.reactive_raises += raised[c * w.named + j];
      w.firms[j].payroll_cents += delta[c * w.named + j];
    }
  rebuild_salary_histogram(w);
}

}  // namespace

void ReactionsPhase::run(World& world, TickBuffers& tick) {
  fire_reactive_raises(world);
  // Everyone who acted or moved this tick draws a new clock from the next tick on.
  const auto from = static_cast<std::uint32_t>(world.tick + 1);
  for_each_index(tick.redraw.size(), 1, [&](std::size_t c) {
    auto& list = tick.redraw[c];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    for (const ResearcherId id : list) schedule_clock(world, id, from, 0);
  });
}

}  // namespace talentsim
