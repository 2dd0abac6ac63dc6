// Model state: researcher columns (structure of arrays), firms, teams, startups.
//
// A researcher's stable id is its row: rows are never reordered, so column[i]
// always belongs to researcher i. Columns are as narrow as the model allows;
// the bytes per researcher are what a tick streams (see bench/).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/params.hpp"

namespace talentsim {

using ResearcherId = std::uint32_t;
/// Index into the simulation's firms: named firms first, then startup slots.
using FirmId = std::uint16_t;
using TeamId = std::uint32_t;
/// A tick number (1-based; 0 is the initial state).
using Tick = std::uint16_t;

inline constexpr FirmId kNoFirm = 0xFFFF;
inline constexpr TeamId kNoTeam = 0xFFFFFFFF;
/// Most employers (named firms plus startup slots): employer ids are 16-bit and
/// kNoFirm is reserved, with room to spare.
inline constexpr std::int64_t kMaxEmployers = 65000;
/// Clock value meaning "no event scheduled".
inline constexpr Tick kNever = 0xFFFF;

/// The most any researcher is paid, USD a year. Repeated raises or extreme pay
/// elasticities would otherwise overflow the cents sums (and reach infinity).
inline constexpr double kMaxSalary = 1e9;

/// A salary inside [0, kMaxSalary] (NaN counts as 0), as stored.
inline float bounded_salary(double usd) {
  return static_cast<float>(usd >= 0.0 ? (usd < kMaxSalary ? usd : kMaxSalary) : 0.0);
}

/// Money in exact integer cents, so sums over researchers do not depend on their order.
/// Salaries are never negative, so adding 0.5 and truncating rounds half away from zero,
/// like llround, without a library call in hot loops.
inline std::int64_t cents(float usd) {
  // NOLINTNEXTLINE(bugprone-incorrect-roundings): the value is never negative (see above)
  return static_cast<std::int64_t>(static_cast<double>(usd) * 100.0 + 0.5);
}

/// A value in [0, 1] in 32.32 fixed point, for order-independent exact sums.
inline std::int64_t fixed_point(float x) {
  // NOLINTNEXTLINE(bugprone-incorrect-roundings): x is in [0, 1], so + 0.5 rounds half up
  return static_cast<std::int64_t>(static_cast<double>(x) * 4294967296.0 + 0.5);
}
inline constexpr double kFixedPointOne = 4294967296.0;

/// madvise(MADV_HUGEPAGE) where the system has it; a hint, so failure is ignored.
void advise_huge_pages(void* p, std::size_t bytes);

/// Allocates big columns on 2 MiB boundaries, in whole 2 MiB pages, and asks Linux to
/// back them with transparent huge pages (madvise). Decisions, moves and clock
/// redraws read scattered rows of a dozen columns: with 4 KiB pages nearly every
/// such read also misses the TLB. Small columns use the ordinary allocator.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  HugePageAllocator() = default;
  template <class U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*unused*/) {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().allocate(n);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    advise_huge_pages(p, rounded);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage)
      std::allocator<T>().deallocate(p, n);
    else
      std::free(p);  // it came from aligned_alloc
  }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

/// A contiguous column of one researcher variable.
template <class T>
using Column = std::vector<T, HugePageAllocator<T>>;

/// Bits of ResearcherColumns::flags.
namespace flag {
inline constexpr std::uint8_t kTop = 1;          ///< top talent (by skill; fixed)
inline constexpr std::uint8_t kPublished = 2;    ///< published researcher (by skill; fixed)
inline constexpr std::uint8_t kIndependent = 4;  ///< doing independent research
inline constexpr std::uint8_t kPending = 8;      ///< has accepted an offer that starts later
}  // namespace flag

/// How a column is used, for the bytes a tick streams (bench's memory roofline).
inline constexpr std::uint8_t kStreamed = 1;       ///< read by the weekly pass over everyone
inline constexpr std::uint8_t kWrittenWeekly = 2;  ///< written by it
inline constexpr std::uint8_t kInAgentsCsv = 4;    ///< written to agents.csv as stored

/// A researcher column's name and use, as the column registry lists it.
struct ColumnInfo {
  const char* name;
  std::uint8_t use;
};

/// Researcher state, one column per variable (docs/MODEL.md "Researchers").
struct ResearcherColumns {
  // Read every tick.
  Column<FirmId> employer;  ///< kNoFirm while between jobs or independent
  Column<std::uint8_t> flags;
  Column<TeamId> team;      ///< kNoTeam when not employed
  Column<float> burnout;    ///< b in [0, 1]
  Column<float> faith;      ///< f in [0, 1]
  Column<float> salary;     ///< USD/year
  Column<Tick> next_event;  ///< tick of the next offer/hazard/separation event
  // Read when a researcher acts.
  Column<float> skill;      ///< q, lognormal, median 1
  Column<Tick> hired_tick;  ///< tenure = tick - hired_tick
  Column<FirmId> initial_employer;
  Column<std::uint16_t> moves;  ///< voluntary moves so far (saturates)
  // Heterogeneous tastes, drawn once at the start (docs/MODEL.md "preferences").
  Column<float> money;   ///< alpha: weight on log pay
  Column<float> appeal;  ///< gamma: weight on founder appeal
  Column<float> drive;   ///< d: entrepreneurial drive

  [[nodiscard]] std::size_t size() const { return employer.size(); }
  void resize(std::size_t n);

  /// The column registry: calls fn(info, member pointer) for every column, in a fixed
  /// order (the state hash's). Resizing, bytes per researcher, the state hash, the
  /// bytes a tick streams, the checked builds' phase declarations and the raw columns
  /// of agents.csv all go through it, so a new column is its member above and one
  /// line here.
  template <class Fn>
  static constexpr void for_each_column(Fn&& fn) {
    using R = ResearcherColumns;
    fn(ColumnInfo{"employer", kStreamed}, &R::employer);
    fn(ColumnInfo{"flags", kStreamed}, &R::flags);
    fn(ColumnInfo{"team", kStreamed}, &R::team);
    fn(ColumnInfo{"burnout", kStreamed | kWrittenWeekly}, &R::burnout);
    fn(ColumnInfo{"faith", kStreamed | kWrittenWeekly}, &R::faith);
    fn(ColumnInfo{"salary", kStreamed}, &R::salary);
    fn(ColumnInfo{"next_event", kStreamed}, &R::next_event);
    fn(ColumnInfo{"skill", 0}, &R::skill);
    fn(ColumnInfo{"hired_tick", 0}, &R::hired_tick);
    fn(ColumnInfo{"initial_employer", 0}, &R::initial_employer);
    fn(ColumnInfo{"moves", 0}, &R::moves);
    fn(ColumnInfo{"money", kInAgentsCsv}, &R::money);
    fn(ColumnInfo{"appeal", kInAgentsCsv}, &R::appeal);
    fn(ColumnInfo{"drive", kInAgentsCsv}, &R::drive);
  }
};

/// Bytes per researcher of the column a registry member pointer names.
template <class MemberPtr>
inline constexpr std::size_t kColumnWidth =
    sizeof(typename std::remove_cvref_t<decltype(std::declval<ResearcherColumns&>().*
                                                 std::declval<MemberPtr>())>::value_type);

/// Number of researcher columns.
inline constexpr std::size_t kColumnCount = [] {
  std::size_t n = 0;
  ResearcherColumns::for_each_column([&](const ColumnInfo&, auto) { ++n; });
  return n;
}();

/// Bytes of column state per researcher (the sum of the column widths).
inline constexpr std::size_t kColumnBytesPerResearcher = [] {
  std::size_t bytes = 0;
  ResearcherColumns::for_each_column(
      [&](const ColumnInfo&, auto member) { bytes += kColumnWidth<decltype(member)>; });
  return bytes;
}();

/// A set of researcher columns, by registry index (for phase declarations).
using ColumnSet = std::uint32_t;
static_assert(kColumnCount <= 32, "ColumnSet holds one bit per column");

/// The registry index of a column.
template <auto Member>
constexpr std::size_t column_index() {
  std::size_t i = 0, found = kColumnCount;
  ResearcherColumns::for_each_column([&](const ColumnInfo&, auto member) {
    if constexpr (std::is_same_v<decltype(member), decltype(Member)>)
      if (member == Member) found = i;
    ++i;
  });
  return found;
}

/// The set of the given columns, e.g. columns<&ResearcherColumns::burnout>().
template <auto... Members>
constexpr ColumnSet columns() {
  static_assert(((column_index<Members>() < kColumnCount) && ...), "not a registered column");
  return ((ColumnSet{1} << column_index<Members>()) | ... | ColumnSet{0});
}
inline constexpr ColumnSet kAllColumns =
    kColumnCount == 32 ? ~ColumnSet{0} : (ColumnSet{1} << kColumnCount) - 1;

/// A team inside a firm (docs/MODEL.md phase 1 contagion, phase 8 team recruiting).
/// Moves book size and left_count from many threads at once (std::atomic_ref):
/// integer counts, so their final values do not depend on the order.
struct TeamState {
  std::uint32_t size = 0;
  std::uint32_t left_count = 0;  ///< voluntary departures this tick (read and reset next tick)
  Tick recruit_until = 0;        ///< a startup founded by a former member recruits until then
  FirmId recruiter = kNoFirm;    ///< that startup's slot ...
  std::uint32_t recruiter_serial = 0;  ///< ... and serial, so a reused slot does not count
};

/// What a researcher's team means for the wellbeing pass this week, packed so the pass
/// reads 8 bytes per researcher's team instead of the whole TeamState.
struct TeamWeek {
  float shock = 0.0F;          ///< eta x share of the team that left the week before `week`
  FirmId recruiter = kNoFirm;  ///< a live startup founded from this team, still recruiting
  Tick week = 0;               ///< the tick the shock is for; at any other tick it is spent
};

/// A firm at run time: its current policy (events change it) and exact counts
/// kept up to date by every move.
struct FirmState {
  FirmParams params;
  bool is_startup = false;
  bool alive = true;      ///< startup slots: in use
  double pay_base = 0.0;  ///< pay(q) = pay_base * q^beta (before dispersion)
  double appeal = 0.0;    ///< founder appeal A
  // Exact counts.
  std::int64_t headcount = 0;
  std::int64_t top = 0;
  std::int64_t published = 0;
  std::int64_t leaders = 0;
  std::int64_t payroll_cents = 0;  ///< sum of salaries, exact (see cents())
  std::int64_t initial_headcount = 0;
  std::int64_t initial_payroll_cents = 0;
  // Teams.
  TeamId team_begin = 0;
  std::uint32_t team_count = 0;
  // Reactive raises: covered departures per tick in a ring over the window.
  std::vector<std::uint32_t> covered_departures;
  // ... and per tick over the window and the baseline weeks before it (never emptied
  // by a raise), counted since tick covered_since: the firm's normal.
  std::vector<std::uint32_t> covered_weekly;
  std::int64_t covered_since = 1;
  std::int64_t cooldown_until = 0;
  // Hiring to openings (sim/model/hiring_plan.cpp): the plan is plan_level at tick
  // plan_since, growing at the policy's plan_growth; this tick's openings and the
  // share of offer draws kept; offer_reach is the firm's recruiting reach, a moving
  // average of the offer draws it gets a week, offer_draws this tick's.
  double plan_level = 0.0;
  std::int64_t plan_since = 0;
  std::int64_t openings = 0;
  double offer_keep = 1.0;
  double offer_reach = 0.0;
  std::int64_t offer_draws = 0;

  /// (Re)starts the reactive-raise counts, empty, from tick `since`, sized for the
  /// current policy.
  void restart_covered_counts(std::int64_t since) {
    const auto window = static_cast<std::size_t>(params.reactive_raise.window_weeks);
    const auto baseline = static_cast<std::size_t>(params.reactive_raise.baseline_weeks);
    covered_departures.assign(window, 0U);
    covered_weekly.assign(window + baseline, 0U);
    covered_since = since;
  }
  // Startups.
  std::uint32_t serial = 0;  ///< 1, 2, ... in founding order; 0 for named firms
  std::int64_t founded_tick = 0;
  ResearcherId founder = 0;
  std::vector<ResearcherId> members;  ///< everyone who joined; pruned lazily
  FirmTickCounters tick;
  FirmTickCounters total;
};

/// The best k of a set of researchers by skill, exactly: those above `threshold`,
/// and those at it with an id below `tie_limit` (ties go to the lower ids).
struct SkillCut {
  float threshold = 0.0F;
  ResearcherId tie_limit = 0;
  [[nodiscard]] bool takes(float skill, ResearcherId id) const {
    return skill > threshold || (skill == threshold && id < tie_limit);
  }
};

/// A recruiting campaign in progress (docs/MODEL.md phase 2).
struct Campaign {
  FirmId firm = kNoFirm;    ///< recruiter
  FirmId target = kNoFirm;  ///< firm whose best people are targeted
  SkillCut cut;             ///< targeted: employed at target and taken by the cut
  double multiplier = 1.0;
  double appeal_boost = 0.0;
  std::int64_t end_tick = 0;  ///< last tick it runs
};

/// An accepted offer that starts after the hiring lag.
struct PendingHire {
  ResearcherId id = 0;
  FirmId firm = kNoFirm;
  std::uint32_t firm_serial = 0;  ///< for startups: the offer dies with the startup
  float salary = 0.0F;
  Tick due = 0;
};

}  // namespace talentsim
