// The model's persistent state: everything a tick starts from and leaves behind
// (docs/MODEL.md "State"). Phases (sim/model/phases/) read and change it; scratch that
// lives only within a tick belongs to the phase that uses it, and the lists one phase
// hands to the next within a tick are in TickBuffers (schedule.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/order_statistics.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/model/pending_hires.hpp"
#include "talentsim/model/rates.hpp"
#include "talentsim/model/state.hpp"

namespace talentsim {

/// Per reporting group, exact fixed-point sums of burnout and faith (see fixed_point).
struct GroupSums {
  std::int64_t burnout = 0;
  std::int64_t faith = 0;
};

/// Whether a policy covering `who` covers a researcher with these flags.
inline bool covers(Eligibility who, std::uint8_t flags) {
  switch (who) {
    case Eligibility::kNone:
      return false;
    case Eligibility::kTop:
      return (flags & flag::kTop) != 0;
    case Eligibility::kPublished:
      return (flags & flag::kPublished) != 0;
    case Eligibility::kAll:
      return true;
  }
  return false;
}

/// Startup slots (docs/MODEL.md phase 8): which are in use, which are free, and this tick's
/// foundings and failures.
struct StartupSlots {
  std::vector<FirmId> alive;  ///< sorted slots of live startups
  /// Sorted slots of the startups alive at some time this tick: with the named firms,
  /// the only firms whose tick counters or counts can be non-zero.
  std::vector<FirmId> in_tick;
  std::priority_queue<FirmId, std::vector<FirmId>, std::greater<>> free;
  std::uint32_t last_serial = 0;  ///< serials are 1, 2, ... in founding order
  std::uint32_t teams_per_startup = 4;
  std::int64_t founded_tick = 0;  ///< this tick's counts
  std::int64_t failed_tick = 0;
  std::int64_t refused_tick = 0;
};

/// What a team's week means for the next wellbeing pass: written by moves and
/// foundings, read (and pruned) by phase 1.
struct TeamSignals {
  /// Per team, set only for the few teams that had departures or recruit; a shock
  /// counts only in the week it is stamped with.
  std::vector<TeamWeek> week;
  /// Teams with voluntary departures this tick. Between ticks it lists every team with
  /// left_count > 0 (checked builds verify it; it may also hold repeats or teams reset
  /// since, which phase 1 skips), so a restored state can rebuild it.
  std::vector<TeamId> left;
  std::vector<TeamId> recruiting;  ///< teams a startup recruits from (pruned weekly)
};

/// Spells at the named firms by the week they began, kept exact by every move, and
/// the cohort table built from them (docs/MODEL.md phase 11, "Cohorts"). Row
/// f * kTalentGroups + g of `present` counts, per start week s, the researchers of
/// group g at firm f now whose spell there began in week s (the initial staff: week
/// 0); `joined` counts everyone who joined in week s, whether still there or not.
struct CohortBook {
  std::vector<std::vector<std::int64_t>> present;
  std::vector<std::vector<std::int64_t>> joined;
  CohortTable table;
};

/// A change to the spells: a researcher of `groups` (talent_groups bits) who began a
/// spell at named firm `firm` in week `since` joined (+1) or left (-1).
struct SpellChange {
  FirmId firm = 0;
  Tick since = 0;
  std::int8_t sign = 0;
  std::uint8_t groups = 0;
};

/// The market's reference pay for skill q (startups' pay policy): base * q^elasticity,
/// the headcount-weighted geometric mean of the named firms' policies.
struct MarketPay {
  double base = 0.0;
  double elasticity = 0.0;
  double dispersion = 0.0;
};

struct World {
  Scenario original;  ///< as given (writing it out reproduces the run)
  Scenario scenario;  ///< live: market events change it
  std::int64_t tick = 0;
  bool warming_up = false;  ///< the weeks before week 0 (warm_start.cpp): no events
  std::size_t named = 0;    ///< named firms; startup slots follow
  ResearcherColumns people;
  std::vector<FirmState> firms;
  std::vector<TeamState> teams;
  std::vector<Campaign> campaigns;
  PendingHires pending;
  StartupSlots startups;
  TeamSignals team_signals;
  FlowMatrix flows;
  /// Per reporting group (named firms, then all startups): sums and a histogram of
  /// salaries kept exact by every move, so metrics need no pass but the median's.
  std::vector<GroupSums> group_sums;
  std::vector<std::uint32_t> salary_histogram;  ///< group-major, salary_bins.count() each
  FloatBins salary_bins{10, 26, 8};
  std::int64_t independent_count = 0;
  RateTable rates;
  CohortBook cohort_book;
  // Fixed at the start.
  SkillCut top_cut;
  SkillCut published_cut;
  SkillCut leader_cut;  ///< leaders are reported only, so they need no flag
  MarketPay market_pay;

  /// Reporting group of a firm: itself if named, else the startups group.
  [[nodiscard]] std::size_t group_of(FirmId firm) const { return firm < named ? firm : named; }
  /// Row of the rate tables for an employee of `firm` (all startups share one).
  [[nodiscard]] std::size_t employer_row(FirmId firm) const { return firm < named ? firm : named; }
  /// Place in the flow matrix: named firms, startup, independent, between jobs.
  [[nodiscard]] std::size_t place_of(FirmId firm, bool independent) const {
    if (firm == kNoFirm) return independent ? named + 1 : named + 2;
    return firm < named ? firm : named;
  }
  /// Whether a firm (or startup slot) still is the one with this serial.
  [[nodiscard]] bool firm_alive(FirmId firm, std::uint32_t serial) const {
    return firms[firm].alive && firms[firm].serial == serial;
  }
  /// Index of the named firm with this id. @throws ModelError if there is none.
  [[nodiscard]] FirmId firm_index(const std::string& id) const;
  /// The market's reference pay for skill q.
  [[nodiscard]] double market_pay_of(double skill) const;

  /// Calls fn(firm) for the named firms, then the startups alive at some time this
  /// tick, in id order: the other startup slots have nothing to count this tick.
  template <class Fn>
  void for_each_active_firm(Fn&& fn) {
    for (std::size_t f = 0; f < named; ++f) fn(firms[f]);
    for (const FirmId f : startups.in_tick) fn(firms[f]);
  }
  template <class Fn>
  void for_each_active_firm(Fn&& fn) const {
    for (std::size_t f = 0; f < named; ++f) fn(firms[f]);
    for (const FirmId f : startups.in_tick) fn(firms[f]);
  }
};

/// The talent groups a researcher belongs to, as a bit per TalentGroup (kAll always).
[[nodiscard]] inline std::uint8_t talent_groups(const World& w, ResearcherId id) {
  const std::uint8_t fl = w.people.flags[id];
  std::uint8_t g = 1U << static_cast<unsigned>(TalentGroup::kAll);
  if ((fl & flag::kTop) != 0) g |= 1U << static_cast<unsigned>(TalentGroup::kTop);
  if ((fl & flag::kPublished) != 0) g |= 1U << static_cast<unsigned>(TalentGroup::kPublished);
  if (w.leader_cut.takes(w.people.skill[id], id))
    g |= 1U << static_cast<unsigned>(TalentGroup::kLeaders);
  return g;
}

/// Preferences of a researcher (docs/MODEL.md "preferences"), drawn once at the start
/// from its own random stream and kept in the money, appeal and drive columns.
struct Preferences {
  double money;             ///< alpha
  double appeal;            ///< gamma
  double entrepreneurship;  ///< d
};
Preferences draw_preferences(const Scenario& scenario, ResearcherId id);

/// Builds the initial state of `w` from w.scenario (sim/model/initialize.cpp).
void initialize_world(World& w);

/// The best k researchers by skill, exactly: of everyone, or of one firm's staff
/// (ties at the cut go to the lower ids).
SkillCut best_by_skill(const World& w, std::uint64_t k, std::optional<FirmId> staff_of);

/// A 64-bit hash of the whole researcher and firm state (every registered column, the
/// firms' counts and the pending hires): equal for equal states, any thread count.
std::uint64_t state_hash(const World& w);

/// A fast digest of a column's bytes (8 at a time; chunks in parallel, folded in
/// order), for checked builds' comparisons; not the state hash.
std::uint64_t column_digest(const void* data, std::size_t bytes);
template <class T>
std::uint64_t column_digest(const Column<T>& col) {
  return column_digest(col.data(), col.size() * sizeof(T));
}

}  // namespace talentsim
