// Scratch state of a Simulation that lives across ticks so that a tick does not
// allocate per researcher: per-chunk output lists, per-chunk partial sums.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "talentsim/model/order_statistics.hpp"
#include "talentsim/model/simulation.hpp"

namespace talentsim {

/// Per-chunk, per-group partial sums of the metrics pass.
struct GroupPartial {
  std::int64_t headcount = 0;
  std::int64_t top = 0;
  std::int64_t published = 0;
  double salary = 0.0;
  double burnout = 0.0;
  double faith = 0.0;
};

struct Simulation::Workspace {
  explicit Workspace(std::size_t chunks, std::size_t groups)
      : decisions(chunks),
        team_offers(chunks),
        partials(chunks * groups),
        salary_stats(groups, FloatBins{10, 26, 8}) {}

  std::vector<std::vector<Decision>> decisions;                            ///< per chunk
  std::vector<std::vector<std::pair<ResearcherId, FirmId>>> team_offers;   ///< per chunk
  std::vector<std::int64_t> offers_per_chunk;
  /// Burnout and faith sums of the wellbeing pass, per thread (integers: any order).
  tbb::enumerable_thread_specific<std::vector<GroupSums>> wellbeing_sums;
  std::vector<GroupPartial> partials;  ///< chunk-major: partials[chunk * groups + g]
  GroupedOrderStatistics salary_stats;

  std::vector<const Decision*> moves;       ///< this tick's decisions, in id order
  std::vector<ResearcherId> redraw;         ///< clocks to redraw at the end of the tick
  std::vector<ResearcherId> fresh_hires;    ///< hired this tick from outside employment
  std::vector<PendingHire> due;             ///< pending hires starting this tick
  std::vector<FirmId> alive_startups;       ///< sorted slots of live startups
  std::priority_queue<FirmId, std::vector<FirmId>, std::greater<>> free_slots;
  bool rates_changed = false;               ///< an event may have changed everyone's rates
  std::vector<Campaign> campaigns_changed;  ///< campaigns that started or ended this tick
};

}  // namespace talentsim
