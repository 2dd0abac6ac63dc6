// Scratch state of a Simulation that lives across ticks so that a tick does not
// allocate per researcher: per-chunk lists that parallel passes fill and serial
// passes read in chunk (= researcher) order.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "talentsim/model/order_statistics.hpp"
#include "talentsim/model/simulation.hpp"

namespace talentsim {

struct Simulation::Workspace {
  Workspace(std::size_t chunks, std::size_t groups)
      : decisions(chunks),
        team_offers(chunks),
        offers_per_chunk(chunks, 0),
        choices_per_chunk(chunks, 0),
        records(chunks),
        due(chunks),
        accepted(chunks),
        founders(chunks),
        redraw(chunks),
        salary_stats(groups, FloatBins{10, 26, 8}) {}

  // Per chunk, filled in parallel.
  std::vector<std::vector<Decision>> decisions;
  std::vector<std::vector<std::pair<ResearcherId, FirmId>>> team_offers;  ///< startup offers
  std::vector<std::int64_t> offers_per_chunk;
  std::vector<std::int64_t> choices_per_chunk;  ///< researchers who chose among options
  std::vector<std::vector<MoveRecord>> records;     ///< moves to book
  std::vector<std::vector<PendingHire*>> due;       ///< pending hires starting now
  std::vector<std::vector<PendingHire>> accepted;   ///< new pending hires
  std::vector<std::vector<const Decision*>> founders;
  /// Burnout and faith sums of the wellbeing pass, per thread (integers: any order).
  tbb::enumerable_thread_specific<std::vector<GroupSums>> wellbeing_sums;

  // Per team, set only for the few teams that had departures or recruit (see
  // prepare_team_week); the lists say which entries to clear next week.
  std::vector<TeamWeek> team_week;
  std::vector<TeamId> teams_left;       ///< teams with voluntary departures this tick
  std::vector<TeamId> teams_shocked;    ///< entries of team_week with a shock set
  std::vector<TeamId> recruiting_teams; ///< teams a startup recruits from (pruned weekly)

  std::vector<std::vector<ResearcherId>> redraw;  ///< per chunk: clocks to redraw at the end
  GroupedOrderStatistics salary_stats;      ///< the median's gather
  std::vector<ResearcherId> separations;    ///< who loses the job in phase 9
  std::vector<FirmId> alive_startups;       ///< sorted slots of live startups
  std::priority_queue<FirmId, std::vector<FirmId>, std::greater<>> free_slots;
  bool rates_changed = false;               ///< an event may have changed everyone's rates
  std::vector<Campaign> campaigns_changed;  ///< campaigns that started or ended this tick
};

}  // namespace talentsim
