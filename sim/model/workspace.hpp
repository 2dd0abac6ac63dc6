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

/// Logs of a named firm's pay terms, for offers worked out in logs (decide()).
struct OfferLogs {
  double pay_base = 0.0;  ///< log pay_base
  double ceiling = 0.0;   ///< log of the ceiling factor
  double premium = 0.0;   ///< log (1 + offer premium)
};

/// What one thread's share of a tick's moves adds to one firm's counts.
struct FirmDelta {
  std::int64_t headcount = 0;
  std::int64_t top = 0;
  std::int64_t published = 0;
  std::int64_t payroll_cents = 0;
  std::uint32_t covered_departures = 0;  ///< departures the reactive-raise policy counts
  bool touched = false;
  FirmTickCounters tick;
};

/// A thread's bookings of moves, added into the shared counts by settle_moves().
/// Every entry is an integer sum, so what the ledgers add up to does not depend on
/// which thread booked which move; the startup joins are sorted before they are used,
/// and the teams with departures are only used in ways their order cannot change.
struct Simulation::Ledger {
  std::vector<FirmDelta> firms;
  std::vector<FirmId> touched_firms;
  std::vector<GroupSums> groups;
  std::vector<std::int32_t> histogram;  ///< group-major, like salary_histogram_
  std::vector<std::size_t> touched_bins;
  std::vector<std::int64_t> flows;      ///< like FlowMatrix::counts
  bool flows_touched = false;
  std::int64_t independent = 0;
  std::vector<std::pair<FirmId, ResearcherId>> joined_startups;
  std::vector<TeamId> teams_left;       ///< teams whose first departure of the tick this was

  FirmDelta& firm(FirmId f) {
    FirmDelta& d = firms[f];
    if (!d.touched) {
      d.touched = true;
      touched_firms.push_back(f);
    }
    return d;
  }
};

/// What becomes of a pending hire this tick.
enum class PendingFate : std::uint8_t {
  kWait,     ///< not due yet
  kReneged,  ///< the researcher chose otherwise this tick
  kDue,      ///< starts this tick, unless a hiring limit refuses it (due = kNever)
  kGone,     ///< due, but the startup that made the offer has died
};

/// A hire that would start this tick at a firm with hiring limits (phase 6).
struct HireCandidate {
  float skill;
  ResearcherId id;
  float salary;
  FirmId firm;
  Decision* decision;    ///< a move decided this tick, or
  PendingHire* pending;  ///< an accepted offer due now
};

struct Simulation::Workspace {
  Workspace(std::size_t chunks, std::size_t groups)
      : decisions(chunks),
        team_offers(chunks),
        offers_per_chunk(chunks, 0),
        choices_per_chunk(chunks, 0),
        records(chunks),
        due(chunks),
        fates(chunks),
        limited_hires(chunks),
        accepted(chunks),
        founders(chunks),
        redraw(chunks),
        salary_stats(groups, FloatBins{10, 26, 8}),
        separations(chunks) {}

  // Per chunk, filled in parallel.
  std::vector<std::vector<Decision>> decisions;
  std::vector<std::vector<std::pair<ResearcherId, FirmId>>> team_offers;  ///< startup offers
  std::vector<std::int64_t> offers_per_chunk;
  std::vector<std::int64_t> choices_per_chunk;  ///< researchers who chose among options
  std::vector<std::vector<MoveRecord>> records;     ///< moves to book
  std::vector<std::vector<PendingHire*>> due;       ///< pending hires due now
  std::vector<std::vector<PendingFate>> fates;      ///< per pending hire of the chunk
  std::vector<std::vector<HireCandidate>> limited_hires;  ///< in id order
  std::vector<char> limits_hiring;                  ///< per named firm, this tick
  std::vector<std::vector<PendingHire>> accepted;   ///< new pending hires
  std::vector<std::vector<const Decision*>> founders;
  /// Burnout and faith sums of the wellbeing pass, per thread (integers: any order).
  tbb::enumerable_thread_specific<std::vector<GroupSums>> wellbeing_sums;

  // Per team, set only for the few teams that had departures or recruit (see
  // prepare_team_week); a shock counts only in the week it is stamped with.
  std::vector<TeamWeek> team_week;
  /// Teams with voluntary departures this tick. Between ticks it lists every team with
  /// left_count > 0 (checked builds verify it; it may also hold repeats or teams reset
  /// since, which prepare_team_week skips), so a restored state can rebuild it.
  std::vector<TeamId> teams_left;
  std::vector<TeamId> recruiting_teams; ///< teams a startup recruits from (pruned weekly)

  std::vector<OfferLogs> offer_logs;  ///< per named firm, filled by run_decisions
  std::vector<std::vector<ResearcherId>> redraw;  ///< per chunk: clocks to redraw at the end
  GroupedOrderStatistics salary_stats;      ///< the median's gather
  /// Per chunk: hires from outside employment who drew this week's separation; phase 9
  /// adds the chunk's other leavers.
  std::vector<std::vector<ResearcherId>> separations;
  tbb::enumerable_thread_specific<Ledger> ledgers;  ///< see Simulation::ledger()
  std::vector<std::pair<FirmId, ResearcherId>> joined_startups;  ///< settle_moves scratch
  std::vector<FirmId> alive_startups;       ///< sorted slots of live startups
  /// Sorted slots of the startups alive at some time this tick: with the named firms,
  /// the only firms whose tick counters or counts can be non-zero (see active_firms).
  std::vector<FirmId> startups_in_tick;
  std::priority_queue<FirmId, std::vector<FirmId>, std::greater<>> free_slots;
  bool rates_changed = false;               ///< an event may have changed everyone's rates
  std::vector<Campaign> campaigns_changed;  ///< campaigns that started or ended this tick
};

template <class Fn>
void Simulation::for_each_active_firm(Fn&& fn) {
  for (std::size_t f = 0; f < named_; ++f) fn(firms_[f]);
  for (const FirmId f : work_->startups_in_tick) fn(firms_[f]);
}

}  // namespace talentsim
