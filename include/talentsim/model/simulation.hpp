// One simulation of the talent market: the state and the tick (MODEL.md
// "One tick, in order"). Many simulations can live in one process; nothing
// here is global, and all randomness comes from (seed, entity, tick, purpose).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/order_statistics.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/model/state.hpp"

namespace talentsim {

/// The phases of a tick, in order (MODEL.md phases 1-11). Phases 3-5 run as one
/// parallel pass over the researchers who act this tick; 6-10 are short
/// deterministic passes over that list and the firms.
enum class Phase : std::uint8_t {
  kWellbeing,  ///< 1: burnout, faith, team contagion; startup team offers
  kEvents,     ///< 2: scenario timeline
  kDecisions,  ///< 3-5: offers, choice, counter-offers
  kMoves,      ///< 6-9: hiring limits, moves, startups, separations
  kReactions,  ///< 10: reactive raises, clocks of everyone who acted
  kMetrics,    ///< 11
  kCount
};
inline constexpr std::array<const char*, static_cast<std::size_t>(Phase::kCount)> kPhaseNames{
    "wellbeing", "events", "decisions", "moves", "reactions", "metrics"};

/// A researcher's decision this tick, produced by the parallel decision pass
/// and applied by the move phases (hiring limits and startups in researcher order).
struct Decision {
  enum class Action : std::uint8_t { kStay, kMove, kAcceptLater, kFound, kIndependent };
  ResearcherId id = 0;
  FirmId employer = kNoFirm;      ///< where the researcher was when deciding
  Action action = Action::kStay;
  FirmId firm = kNoFirm;          ///< destination for kMove / kAcceptLater
  std::uint32_t firm_serial = 0;  ///< startup serial of the destination
  float salary = 0.0F;            ///< new salary (or raised salary after a won counter-offer)
  bool clock_fired = false;       ///< acted because its market clock fired this tick
  bool separation = false;        ///< the clock's events include an exogenous separation
  bool counter_made = false;
  bool counter_won = false;
  bool drop_pending = false;      ///< reneges on an accepted offer that had not started
  // kFound with an accepted offer pending (firm, firm_serial above): given back if no
  // startup slot is left when the founding happens.
  float pending_salary = 0.0F;
  Tick pending_due = 0;
};

/// How a researcher changes place: a move they chose, a job lost, or a raise in place.
enum class MoveKind : std::uint8_t { kVoluntary, kInvoluntary, kRaise };

/// What one move changed in a researcher's row: enough to book it into the shared
/// counts afterwards (Simulation::apply_move, Simulation::settle_moves).
struct MoveRecord {
  ResearcherId id = 0;
  MoveKind kind = MoveKind::kVoluntary;
  FirmId from = kNoFirm;
  FirmId to = kNoFirm;
  TeamId from_team = kNoTeam;
  TeamId to_team = kNoTeam;
  bool from_independent = false;
  bool to_independent = false;
  bool separates = false;  ///< hired from outside employment and drew this week's separation
  std::uint8_t flags = 0;  ///< top / published
  float old_salary = 0.0F, new_salary = 0.0F;
  float old_burnout = 0.0F, new_burnout = 0.0F;
  float old_faith = 0.0F, new_faith = 0.0F;
};

class Simulation {
 public:
  /// Builds the initial state (in parallel). The scenario must be valid.
  /// @throws ScenarioError if it is not.
  explicit Simulation(Scenario scenario);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Advances one tick and fills last_report().
  void step();

  /// Ticks completed so far (0 before the first step).
  [[nodiscard]] std::int64_t tick() const { return tick_; }
  /// The scenario as given (market events change a live copy, never this one, so
  /// writing it out reproduces the run).
  [[nodiscard]] const Scenario& scenario() const { return original_; }
  /// Metrics of the last tick; before the first step, of the initial state (tick 0).
  [[nodiscard]] const TickReport& last_report() const { return report_; }
  /// Metrics of the current state, recomputed (at tick 0: the initial state, no flows).
  [[nodiscard]] TickReport initial_report();

  [[nodiscard]] const ResearcherColumns& researchers() const { return people_; }
  [[nodiscard]] std::span<const FirmState> firms() const { return firms_; }
  [[nodiscard]] std::size_t named_firm_count() const { return named_; }
  [[nodiscard]] const FlowMatrix& flows() const { return flows_; }
  [[nodiscard]] std::span<const TeamState> teams() const { return teams_; }
  [[nodiscard]] std::size_t pending_hire_count() const;
  /// Names of the reporting groups: named firm ids, then "startups".
  [[nodiscard]] std::vector<std::string> group_names() const;

  /// Cumulative wall time per phase, nanoseconds.
  [[nodiscard]] const std::array<std::int64_t, static_cast<std::size_t>(Phase::kCount)>&
  phase_nanoseconds() const {
    return phase_ns_;
  }
  /// The part of it spent outside parallel passes: serial code, which more threads
  /// cannot shorten (with one thread, its share of the tick bounds the speedup).
  /// Meaningful when this simulation is stepped outside TBB tasks (parallel_nanoseconds).
  [[nodiscard]] const std::array<std::int64_t, static_cast<std::size_t>(Phase::kCount)>&
  phase_serial_nanoseconds() const {
    return phase_serial_ns_;
  }

  /// Per named firm: its researchers at the start, and how many of them are still
  /// there and never left (all, top talent, published researchers).
  struct Cohort {
    std::int64_t initial = 0, retained = 0;
    std::int64_t top = 0, top_retained = 0;
    std::int64_t published = 0, published_retained = 0;
  };
  [[nodiscard]] std::vector<Cohort> cohorts() const;

  /// A 64-bit hash of the whole researcher and firm state: equal hashes for
  /// equal states, whatever the thread count.
  [[nodiscard]] std::uint64_t state_hash() const;

  /// Preferences of researcher `id`, drawn at the start from its own random stream.
  struct Preferences {
    double money;             ///< alpha
    double appeal;            ///< gamma
    double entrepreneurship;  ///< d
  };
  [[nodiscard]] Preferences preferences(ResearcherId id) const;

  /// Yearly rate of market events for researcher `id` now (offers + founding and
  /// independence hazards + separation), and the offer part alone.
  [[nodiscard]] double event_rate(ResearcherId id) const;
  [[nodiscard]] double offer_rate(ResearcherId id) const;

  /// The pieces of step(), exposed for benchmarks: begin_tick(), the phases in Phase
  /// order, end_tick().
  void begin_tick();
  void end_tick();
  void run_wellbeing();
  void run_events();
  void run_decisions();
  void run_moves();
  void run_reactions();
  void run_metrics();

 private:
  struct Workspace;

  // Initialisation (initialize.cpp).
  void initialize();
  void setup_firms();
  void draw_population();
  void calibrate_pay();
  void setup_teams();
  void setup_rate_tables();
  /// Fills the compact per-team table the wellbeing pass reads (simulation.cpp).
  void prepare_team_week();
  void configure_startup(FirmState& f) const;
  [[nodiscard]] Preferences draw_preferences(ResearcherId id) const;
  void redraw_all_clocks(bool from_this_tick);

  // Rates and offers (market.cpp).
  [[nodiscard]] double market_pay(double skill) const;
  /// q^theta for each distinct skill-targeting exponent, computed once per researcher.
  struct SkillPowers {
    static constexpr std::size_t kCached = 16;
    double log_skill = 0.0;
    std::array<double, kCached> power{};
  };
  [[nodiscard]] SkillPowers skill_powers(double skill) const;
  /// q^theta_k for the k-th distinct exponent (cached in p for the first kCached).
  [[nodiscard]] double theta_power(const SkillPowers& p, std::size_t k) const;
  /// q^theta of a recruiter's skill targeting.
  [[nodiscard]] double skill_power(const SkillPowers& p, std::size_t recruiter) const;
  [[nodiscard]] double offer_rate_of(FirmId employer, bool employed, float skill, ResearcherId id,
                                     const SkillPowers& powers) const;
  /// A researcher's yearly event rates by kind; the clock runs at their total.
  struct EventRates {
    double offer = 0.0;
    double found = 0.0;
    double independent = 0.0;
    double separation = 0.0;
    [[nodiscard]] double total() const { return offer + found + independent + separation; }
  };
  [[nodiscard]] EventRates event_rates(ResearcherId id, const SkillPowers& powers) const;
  void schedule_clock(ResearcherId id, std::uint32_t from_tick, std::uint32_t draw);
  /// The same with the researcher's event rate (per year) already known.
  void schedule_clock_at_rate(ResearcherId id, std::uint32_t from_tick, std::uint32_t draw,
                              double rate);
  /// Redraws, from this tick, the clocks of everyone a campaign targets.
  void redraw_campaign_targets(const std::vector<Campaign>& changed);
  void decide(ResearcherId id, bool clock_fired, FirmId team_offer_from,
              std::vector<Decision>& out, std::int64_t& offers_made, std::int64_t& choices_made);
  [[nodiscard]] const PendingHire* find_pending(ResearcherId id) const;
  /// The end of the decision pass for chunk c: what becomes of its pending hires this
  /// tick, and its hires that a firm's hiring limits must rank (reads only the chunk's
  /// rows and decisions, and the firms).
  void prepare_chunk_hires(std::size_t chunk);
  [[nodiscard]] bool campaign_targets(const Campaign& c, FirmId employer, float skill,
                                      ResearcherId id) const;
  /// The best k researchers by skill: of everyone, or of one firm's staff.
  [[nodiscard]] SkillCut best_by_skill(std::uint64_t k, std::optional<FirmId> staff_of) const;

  // Move phases (market.cpp).
  void apply_hiring_limits();
  /// Changes researcher `id`'s own row for a move (safe in parallel: nothing shared).
  MoveRecord relocate(ResearcherId id, FirmId to, float salary, bool independent, MoveKind kind);
  /// Books a move into a ledger (any thread; team sizes are booked atomically).
  struct Ledger;
  void apply_move(const MoveRecord& r, Ledger& ledger);
  /// Books a chunk's moves into the calling thread's ledger.
  void book_moves(const std::vector<MoveRecord>& records);
  /// The calling thread's ledger, sized for this simulation.
  Ledger& ledger();
  /// Adds every ledger into the shared counts (serial) and empties them.
  void settle_moves();
  void move_researcher(ResearcherId id, FirmId to, float salary, bool independent);
  /// Exogenous job loss (or a failed startup): to between jobs.
  void separate(ResearcherId id);
  FirmId found_startup(ResearcherId founder);
  void fail_startups();
  void fire_reactive_raises();
  void apply_event(const Event& e);
  void start_campaign(const Event& e);
  void change_pay(const Event& e);

  // Metrics (metrics.cpp). Per reporting group, fixed-point sums of burnout and faith
  // and a histogram of salaries are kept exact by every move (apply_move, book_group),
  // so a tick's metrics need no pass over all researchers but the median's gather.
  struct GroupSums {
    std::int64_t burnout = 0;  ///< sum of fixed_point(burnout)
    std::int64_t faith = 0;
  };
  void compute_metrics(TickReport& out);
  /// Adds (sign +1) or removes (-1) one researcher's values in a group's sums and histogram.
  void book_group(Ledger& ledger, FirmId firm, float burnout, float faith, float salary,
                  std::int64_t sign) const;
  void recount_group_state(std::vector<GroupSums>& sums,
                           std::vector<std::uint32_t>& histogram) const;
  void rebuild_salary_histogram();
  /// Checked builds: recount everything kept incrementally and compare exactly.
  void verify_incremental_state() const;
  [[nodiscard]] std::size_t group_of(FirmId firm) const {
    return firm < named_ ? firm : named_;
  }
  [[nodiscard]] std::size_t place_of(FirmId firm, bool independent) const;
  /// Row of the offer-rate tables for an employee of `firm` (all startups share one).
  [[nodiscard]] std::size_t employer_row(FirmId firm) const {
    return firm < named_ ? firm : named_;
  }
  /// Calls fn(firm) for the named firms, then the startups alive at some time this
  /// tick, in id order: the other startup slots have nothing to count this tick.
  template <class Fn>
  void for_each_active_firm(Fn&& fn);
  /// Index of the named firm with this id. @throws ModelError if there is none.
  [[nodiscard]] FirmId firm_index(const std::string& id) const;

  Scenario original_;  ///< as given
  Scenario scenario_;  ///< live: market events change it
  std::int64_t tick_ = 0;
  std::size_t named_ = 0;  ///< named firms; startup slots follow
  ResearcherColumns people_;
  std::vector<FirmState> firms_;
  std::vector<TeamState> teams_;
  std::vector<Campaign> campaigns_;
  /// Accepted offers not yet started, per chunk of researchers (kChunkSize ids), each
  /// list sorted by id: a chunk's pass keeps its own list, so no pass gathers them all.
  std::vector<std::vector<PendingHire>> pending_;
  FlowMatrix flows_;
  TickReport report_;
  std::int64_t startups_founded_tick_ = 0;
  std::int64_t startups_failed_tick_ = 0;
  std::int64_t startups_refused_tick_ = 0;
  std::uint32_t startup_serial_ = 0;
  std::int64_t independent_count_ = 0;

  // Derived constants.
  SkillCut top_cut_;
  SkillCut published_cut_;
  double market_base_ = 0.0;       ///< reference pay for skill 1
  double market_elasticity_ = 0.0;
  double market_dispersion_ = 0.0;
  std::size_t max_startups_ = 0;
  std::uint32_t teams_per_startup_ = 4;

  /// Offer-rate table: rate(employer e, skill q) = lambda1 * sum_u coef(e, u) q^theta_u,
  /// rows: named firms, then one row shared by every startup.
  std::vector<double> thetas_;            ///< distinct skill-targeting exponents
  std::vector<std::uint32_t> recruiter_theta_;  ///< index into thetas_ of each recruiter
  /// thetas_[k] x 4 where that is a whole number in [-kMaxQuarters, kMaxQuarters],
  /// else kNotQuarters (see skill_powers).
  std::vector<int> theta_quarters_;
  static constexpr int kMaxQuarters = 16;
  static constexpr int kNotQuarters = 1 << 30;
  std::vector<double> rate_coef_;         ///< (named_ + 1) x thetas_.size()
  std::vector<double> recruit_weight_;    ///< (named_ + 1) x (named_ + 1): weight of j given e
  std::vector<double> recruit_norm_;      ///< 1 / E[q^theta_j] for j in named firms + sector
  std::vector<double> between_jobs_weight_;  ///< recruiting shares for offers to non-employed

  std::vector<GroupSums> group_sums_;
  std::vector<std::uint32_t> salary_histogram_;  ///< group-major, salary_bins_.count() each
  FloatBins salary_bins_{10, 26, 8};

  std::unique_ptr<Workspace> work_;
  std::array<std::int64_t, static_cast<std::size_t>(Phase::kCount)> phase_ns_{};
  std::array<std::int64_t, static_cast<std::size_t>(Phase::kCount)> phase_serial_ns_{};
};

}  // namespace talentsim
