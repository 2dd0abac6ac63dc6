// The phase units of a tick (one source file each in sim/model/phases/), the lists
// they hand each other within a tick (TickBuffers), and the booking of moves that
// phases 7-9 share. The order is in sim/model/schedule.cpp.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/order_statistics.hpp"
#include "talentsim/model/pending_hires.hpp"
#include "talentsim/model/schedule.hpp"
#include "talentsim/model/world.hpp"

namespace talentsim {

/// A researcher's decision this tick (phases 3-5), applied by phases 6-9.
struct Decision {
  enum class Action : std::uint8_t { kStay, kMove, kAcceptLater, kFound, kIndependent };
  ResearcherId id = 0;
  FirmId employer = kNoFirm;  ///< where the researcher was when deciding
  Action action = Action::kStay;
  FirmId firm = kNoFirm;          ///< destination for kMove / kAcceptLater
  std::uint32_t firm_serial = 0;  ///< startup serial of the destination
  float salary = 0.0F;            ///< new salary (or raised salary after a won counter-offer)
  bool clock_fired = false;       ///< acted because its market clock fired this tick
  bool separation = false;        ///< the clock's events include an exogenous separation
  bool counter_made = false;
  bool counter_won = false;
  bool drop_pending = false;  ///< reneges on an accepted offer that had not started
  // kFound with an accepted offer pending (firm, firm_serial above): given back if no
  // startup slot is left when the founding happens.
  float pending_salary = 0.0F;
  Tick pending_due = 0;
  Tick starts = 0;  ///< kAcceptLater: the week the new job starts
};

/// A hire that would start this tick at a firm with hiring limits (phase 6).
struct HireCandidate {
  float skill;
  ResearcherId id;
  float salary;
  FirmId firm;
  Decision* decision;    ///< a move decided this tick, or
  PendingHire* pending;  ///< an accepted offer due now
  /// For a move: the offer its researcher had accepted and gives up for it (reneged
  /// this tick), and that offer's fate, so that a refused move gets it back.
  PendingHire* dropped = nullptr;
  PendingFate* dropped_fate = nullptr;
};

/// How a researcher changes place: a move they chose, a job lost, or a raise in place.
enum class MoveKind : std::uint8_t { kVoluntary, kInvoluntary, kRaise };

/// What one move changed in a researcher's row: enough to book it into the shared
/// counts afterwards (book_moves, settle_moves).
struct MoveRecord {
  ResearcherId id = 0;
  MoveKind kind = MoveKind::kVoluntary;
  FirmId from = kNoFirm;
  FirmId to = kNoFirm;
  TeamId from_team = kNoTeam;
  TeamId to_team = kNoTeam;
  bool from_independent = false;
  bool to_independent = false;
  bool separates = false;   ///< hired from outside employment and drew this week's separation
  std::uint8_t flags = 0;   ///< top / published
  std::uint8_t groups = 0;  ///< talent_groups() bits
  Tick old_since = 0;       ///< week the spell being left began (hired_tick)
  float old_salary = 0.0F, new_salary = 0.0F;
  float old_burnout = 0.0F, new_burnout = 0.0F;
  float old_faith = 0.0F, new_faith = 0.0F;
};

/// One offer made this tick (phase 3b) and what became of it (phases 4-5).
struct OfferRecord {
  float pay = 0.0F;         ///< as offered, before any bidding
  std::uint16_t group = 0;  ///< the recruiter's reporting group (World::group_of)
  bool accepted = false;    ///< the researcher chose it (after any counter-offer)
  bool countered = false;   ///< the researcher's employer made a counter-offer to it
};

/// What one thread's share of a tick's moves adds to one firm's counts.
struct FirmDelta {
  std::int64_t headcount = 0;
  std::int64_t top = 0;
  std::int64_t published = 0;
  std::int64_t leaders = 0;
  std::int64_t payroll_cents = 0;
  std::uint32_t covered_departures = 0;  ///< departures the reactive-raise policy counts
  bool touched = false;
  FirmTickCounters tick;
};

/// A thread's bookings of moves, added into the shared counts by settle_moves().
/// Every entry is an integer sum, so what the ledgers add up to does not depend on
/// which thread booked which move; the startup joins are sorted before they are used,
/// and the teams with departures are only used in ways their order cannot change.
struct Ledger {
  std::vector<FirmDelta> firms;
  std::vector<FirmId> touched_firms;
  std::vector<GroupSums> groups;
  std::vector<std::int32_t> histogram;  ///< group-major, like World::salary_histogram
  std::vector<std::size_t> touched_bins;
  std::vector<std::int64_t> flows;  ///< like FlowMatrix::counts
  bool flows_touched = false;
  std::int64_t independent = 0;
  std::vector<std::pair<FirmId, ResearcherId>> joined_startups;
  std::vector<TeamId> teams_left;   ///< teams whose first departure of the tick this was
  std::vector<SpellChange> spells;  ///< spells begun and ended at named firms

  FirmDelta& firm(FirmId f) {
    FirmDelta& d = firms[f];
    if (!d.touched) {
      d.touched = true;
      touched_firms.push_back(f);
    }
    return d;
  }
  [[nodiscard]] bool empty() const {
    return touched_firms.empty() && touched_bins.empty() && !flows_touched && independent == 0 &&
           joined_startups.empty() && teams_left.empty() && spells.empty();
  }
};

/// What the phases of one tick hand each other, per chunk of researchers (kChunkSize
/// rows; lists in researcher order). Kept between ticks only for their capacity.
struct TickBuffers {
  explicit TickBuffers(std::size_t chunks)
      : team_offers(chunks),
        decisions(chunks),
        offers(chunks, 0),
        offer_records(chunks),
        choices(chunks, 0),
        due(chunks),
        fates(chunks),
        limited_hires(chunks),
        founders(chunks),
        separations(chunks),
        redraw(chunks) {}

  // Phase 1 -> 3: startup offers to a founder's former team (researcher, startup).
  std::vector<std::vector<std::pair<ResearcherId, FirmId>>> team_offers;
  // Phases 3-5 -> 6-11.
  std::vector<std::vector<Decision>> decisions;
  std::vector<std::int64_t> offers;                     ///< offers made this tick
  std::vector<std::vector<OfferRecord>> offer_records;  ///< each offer, in researcher order
  std::vector<std::int64_t> choices;                    ///< researchers who chose among options
  // Phase 6's per-chunk step (run at the end of each decision chunk) -> 6, 7.
  std::vector<std::vector<PendingHire*>> due;             ///< pending hires due now
  std::vector<std::vector<PendingFate>> fates;            ///< per pending hire of the chunk
  std::vector<std::vector<HireCandidate>> limited_hires;  ///< in id order
  // Phase 7 -> 8.
  std::vector<std::vector<const Decision*>> founders;
  // Phases 7 -> 9: hires from outside employment who drew this week's separation.
  std::vector<std::vector<ResearcherId>> separations;
  // Phases 3, 7-9 -> 10: everyone whose clock is drawn again.
  std::vector<std::vector<ResearcherId>> redraw;
  // Phases 7-9: per-thread bookings of moves (see ledger(), settle_moves).
  tbb::enumerable_thread_specific<Ledger> ledgers;
  std::vector<std::pair<FirmId, ResearcherId>> joined_startups;  ///< settle_moves scratch
  // Phase 11.
  TickReport report;  ///< the last tick's metrics (the initial state's before the first)
};

// ---------------------------------------------------------------------------
// Booking moves (sim/model/phases/moves.cpp), shared by phases 7-9.
// A move is done in two steps: relocate() changes the researcher's own row and
// returns what changed, touching nothing shared (so moves run in parallel); then
// book_moves() books the records into the calling thread's ledger, and
// settle_moves() adds the ledgers into the shared counts.
// ---------------------------------------------------------------------------

/// The columns a move writes (relocate), for the declarations of the phases that move people.
inline constexpr ColumnSet kMoveColumns =
    columns<&ResearcherColumns::employer, &ResearcherColumns::flags, &ResearcherColumns::team,
            &ResearcherColumns::burnout, &ResearcherColumns::faith, &ResearcherColumns::salary,
            &ResearcherColumns::hired_tick, &ResearcherColumns::moves>();

/// Changes researcher `id`'s own row for a move (safe in parallel: nothing shared).
MoveRecord relocate(World& w, ResearcherId id, FirmId to, float salary, bool independent,
                    MoveKind kind);
/// Books records into the calling thread's ledger (any thread; team sizes atomically).
void book_moves(World& w, TickBuffers& t, const std::vector<MoveRecord>& records);
/// Adds every ledger into the shared counts (serial) and empties them.
void settle_moves(World& w, TickBuffers& t);
/// Relocates, books and settles one voluntary move (serial phases).
void move_now(World& w, TickBuffers& t, ResearcherId id, FirmId to, float salary, bool independent);
/// Exogenous job loss (or a failed startup): to between jobs, booked and settled.
void separate_now(World& w, TickBuffers& t, ResearcherId id);

// ---------------------------------------------------------------------------
// The units, in tick order.
// ---------------------------------------------------------------------------

/// Phase 1 (wellbeing.cpp): burnout, faith, contagion; startup team offers.
class WellbeingPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;

 private:
  void prepare_team_week(World& world);
  /// Burnout and faith sums of the pass, per thread (integers: any order).
  tbb::enumerable_thread_specific<std::vector<GroupSums>> sums_;
};

/// Phase 2 (events.cpp): the scenario's timeline.
class EventsPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;

 private:
  void apply(World& world, const Event& event);
  bool rates_changed_ = false;               ///< an event may have changed everyone's rates
  std::vector<Campaign> campaigns_changed_;  ///< campaigns that started or ended
};

/// A step run at the end of each chunk of the decision pass, while its rows are in
/// cache (a measured fusion); the schedule declares which.
using ChunkStep = void (*)(World& world, TickBuffers& tick, std::size_t chunk);

/// Phases 3-5 (decisions.cpp): offers, choice, counter-offers of everyone whose clock
/// fires or who got a team offer.
class DecisionPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;
  /// Runs `step` after each chunk's decisions.
  void then_per_chunk(ChunkStep step) { chunk_steps_.push_back(step); }

  /// Logs of a named firm's pay terms, for offers worked out in logs.
  struct OfferLogs {
    double pay_base = 0.0;  ///< log pay_base
    double ceiling = 0.0;   ///< log of the ceiling factor
    double premium = 0.0;   ///< log (1 + offer premium)
  };

 private:
  std::vector<ChunkStep> chunk_steps_;
  std::vector<OfferLogs> offer_logs_;  ///< per named firm, this tick
};

/// Phase 6 (hiring_limits.cpp): headcount caps and payroll budgets.
class HiringLimitsPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;
  /// The end of the decision pass for chunk c: the fates of its pending hires this tick,
  /// and its hires that a firm's hiring limits must rank.
  static void prepare_chunk(World& world, TickBuffers& tick, std::size_t chunk);
};

/// Phase 7 (moves.cpp): moves, pending hires, counter-offer counts.
class MovesPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;

 private:
  std::vector<std::vector<MoveRecord>> records_;    ///< per chunk
  std::vector<std::vector<PendingHire>> accepted_;  ///< per chunk: offers accepted now
};

/// Phase 8 (startups.cpp): startups founded, then failures.
class StartupsPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;
};

/// Phase 9 (separations.cpp): exogenous separations.
class SeparationsPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;

 private:
  std::vector<std::vector<MoveRecord>> records_;  ///< per chunk
};

/// Phase 10 (reactions.cpp): reactive raises, then the clocks of everyone who acted.
class ReactionsPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;
};

/// Phase 11 (metrics.cpp): the tick's report, from state every move keeps exact.
class MetricsPhase final : public PhaseUnit {
 public:
  [[nodiscard]] const PhaseSpec& spec() const override;
  void run(World& world, TickBuffers& tick) override;
  /// The report of the current state (at tick 0: the initial state, no flows).
  void compute(const World& world, const TickBuffers& tick, TickReport& out);

 private:
  /// Exact median salary of each group with these headcounts.
  std::vector<double> exact_medians(const World& world, const std::vector<std::int64_t>& headcount);
  /// Each group's offers this tick: counts, exact pay sum and median.
  void offer_stats(const TickBuffers& tick, std::vector<GroupMetrics>& groups);
  std::unique_ptr<GroupedOrderStatistics> salary_stats_;  ///< the median's gather
  std::vector<std::vector<float>> offer_pay_;             ///< per group, the median's scratch
};

// Helpers phases share (defined with the phase they belong to).

/// Startup slot settings from the live startup settings (startups.cpp).
void configure_startup(const World& w, FirmState& f);
/// Recounts the group sums and salary histogram from the researchers (metrics.cpp).
void recount_group_state(const World& w, std::vector<GroupSums>& sums,
                         std::vector<std::uint32_t>& histogram);
/// Rebuilds the salary histogram after salaries changed outside moves (metrics.cpp).
void rebuild_salary_histogram(World& w);

/// Hiring to openings (sim/model/hiring_plan.cpp): plans and recruiting reach at the
/// start, each week's openings and the share of offer draws kept (before phase 3),
/// the reach's update from the week's draws (after it), and a plan's new base when an
/// event changes its growth (`old_growth`: the growth before; none if it had no plan).
double planned_headcount(const FirmState& f, std::int64_t tick);
void start_hiring_plans(World& w);
void open_positions(World& w);
void update_offer_reach(World& w);
void rebase_hiring_plan(FirmState& f, std::int64_t tick, std::optional<double> old_growth);

/// A warm start (sim/model/warm_start.cpp): the random key of the warm-up weeks, and
/// the state they reached made week 0.
std::uint64_t warmup_seed(std::uint64_t seed);
void end_warmup(World& w);

/// Cohorts (sim/model/cohorts.cpp): the book at week 0 (and week 0's cohorts), room
/// for this week's spells (begin_tick), spells booked by moves added in (settle_moves),
/// and the cohort table's rows for the week just ended (metrics).
void start_cohort_book(World& w);
void open_cohort_week(World& w);
void settle_spells(World& w, std::vector<SpellChange>& changes);
void record_cohort_week(World& w);
/// Checked builds: recounts everything kept incrementally and compares (metrics.cpp).
void verify_incremental_state(const World& w, const TickBuffers& t);
/// Per named firm: its starting staff and how many never left (metrics.cpp).
struct Cohort {
  std::int64_t initial = 0, retained = 0;
  std::int64_t top = 0, top_retained = 0;
  std::int64_t published = 0, published_retained = 0;
};
std::vector<Cohort> cohorts_of(const World& w);
/// The thread's ledger, sized for the world (moves.cpp).
Ledger& ledger(const World& w, TickBuffers& t);

}  // namespace talentsim
