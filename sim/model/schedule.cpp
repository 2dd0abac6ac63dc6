// The tick, as data (docs/MODEL.md "One tick, in order"): the phase units in order, and
// the per-chunk steps fused into the decision pass. Simulation::step and the phase
// micro benchmarks run this list.
#include "talentsim/model/schedule.hpp"

#include <memory>
#include <string>

#include "talentsim/core/error.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

Schedule make_schedule() {
  Schedule s;
  s.push_back(std::make_unique<WellbeingPhase>());     // 1
  s.push_back(std::make_unique<EventsPhase>());        // 2
  auto decisions = std::make_unique<DecisionPhase>();  // 3-5
  // Phase 6's preparation runs at the end of each decision chunk, while the chunk's
  // decisions and pending hires are in cache (measured: it was three serial loops).
  decisions->then_per_chunk(&HiringLimitsPhase::prepare_chunk);
  s.push_back(std::move(decisions));
  s.push_back(std::make_unique<HiringLimitsPhase>());  // 6
  s.push_back(std::make_unique<MovesPhase>());         // 7
  s.push_back(std::make_unique<StartupsPhase>());      // 8
  s.push_back(std::make_unique<SeparationsPhase>());   // 9
  s.push_back(std::make_unique<ReactionsPhase>());     // 10
  s.push_back(std::make_unique<MetricsPhase>());       // 11
  return s;
}

void begin_tick(World& w) {
  if (w.tick + 1 >= kNever)
    throw ModelError("a run cannot go past tick " + std::to_string(kNever - 1));
  ++w.tick;
  // Last tick's active firms are the only ones with counters to clear.
  w.for_each_active_firm([&](FirmState& f) {
    f.tick = FirmTickCounters{};
    if (!f.covered_departures.empty())
      f.covered_departures[static_cast<std::size_t>(w.tick) % f.covered_departures.size()] = 0;
    if (!f.covered_weekly.empty())
      f.covered_weekly[static_cast<std::size_t>(w.tick) % f.covered_weekly.size()] = 0;
  });
  w.startups.in_tick = w.startups.alive;
  w.startups.founded_tick = 0;
  w.startups.failed_tick = 0;
  w.startups.refused_tick = 0;
  open_cohort_week(w);
}

void end_tick(World& w) {
  w.for_each_active_firm([](FirmState& f) { f.total += f.tick; });
}

}  // namespace talentsim
