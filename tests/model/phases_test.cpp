// Per-phase tests on small hand-built worlds: each test sets up an exact situation in a
// World (a YAML scenario, then columns and firms edited by hand), runs one phase unit or
// the booking functions, and checks exact outcomes. No statistics: every expected value
// is computed from the inputs the test chose.
#include "talentsim/model/phases.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/model/pending_hires.hpp"
#include "talentsim/model/world.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

// Two named firms of 18 researchers each (rows 0-17 at alpha, 18-35 at beta) and four
// between jobs (rows 36-39). A quarter are top talent, half published, so both firms
// have some of each. Separations and startups are off unless a test turns them on.
constexpr const char* kTwoFirmsYaml = R"(
name: phases
seed: 11
ticks: 20
population:
  {researchers: 40, between_jobs_share: 0.1, team_size: 4, top_share: 0.25, published_share: 0.5}
wellbeing: {fresh_start_relief: 0.25}
market: {separation_rate: 0, between_jobs_income: 20000}
startups: {enabled: false, founder_pay_fraction: 0.5, team_recruit_weeks: 10}
firms:
  - id: alpha
    headcount_share: 0.5
    pay: {median: 300000}
    faith_baseline: 0.6
  - id: beta
    headcount_share: 0.5
    pay: {median: 200000}
    faith_baseline: 0.9
)";

constexpr FirmId kAlpha = 0;
constexpr FirmId kBeta = 1;

/// A world built from kTwoFirmsYaml with `overrides`, at the start of tick 1, and the
/// buffers its phases share.
struct Market {
  explicit Market(const std::vector<std::string>& overrides = {}) {
    w.original = w.scenario = load_scenario(kTwoFirmsYaml, "phases_test.yaml", overrides);
    initialize_world(w);
    t = std::make_unique<TickBuffers>(chunk_count(w.people.size()));
    begin_tick(w);
  }
  World w;
  std::unique_ptr<TickBuffers> t;
};

/// Researchers employed at `firm`, in id order.
std::vector<ResearcherId> staff_of(const World& w, FirmId firm) {
  std::vector<ResearcherId> ids;
  for (std::size_t i = 0; i < w.people.size(); ++i)
    if (w.people.employer[i] == firm) ids.push_back(static_cast<ResearcherId>(i));
  return ids;
}

/// The first researcher at `firm` whose flags include `flags`.
ResearcherId first_with(const World& w, FirmId firm, std::uint8_t flags) {
  for (const ResearcherId id : staff_of(w, firm))
    if ((w.people.flags[id] & flags) == flags) return id;
  ADD_FAILURE() << "no researcher at firm " << firm << " with flags " << int{flags};
  return 0;
}

Decision move_decision(const World& w, ResearcherId id, FirmId to, float salary) {
  Decision d;
  d.id = id;
  d.employer = w.people.employer[id];
  d.action = Decision::Action::kMove;
  d.firm = to;
  d.salary = salary;
  return d;
}

/// Adds an accepted offer to the pending hires, flagged like the decision pass does.
void add_pending(World& w, const PendingHire& p) {
  w.pending.give_back(p);
  w.people.flags[p.id] = static_cast<std::uint8_t>(w.people.flags[p.id] | flag::kPending);
}

/// Files each decision under its researcher's chunk (ids in order within each chunk)
/// and runs phase 6's per-chunk step on every chunk, as the decision pass does.
void prepare_hires(World& w, TickBuffers& t, std::vector<Decision> decisions) {
  std::sort(decisions.begin(), decisions.end(),
            [](const Decision& a, const Decision& b) { return a.id < b.id; });
  for (auto& list : t.decisions) list.clear();
  for (const Decision& d : decisions) t.decisions[d.id / kChunkSize].push_back(d);
  for (std::size_t c = 0; c < t.decisions.size(); ++c) HiringLimitsPhase::prepare_chunk(w, t, c);
}

/// This tick's decision of researcher `id` (after prepare_hires filed it).
const Decision& decision_of(const TickBuffers& t, ResearcherId id) {
  for (const Decision& d : t.decisions[id / kChunkSize])
    if (d.id == id) return d;
  throw ModelError("no decision for researcher " + std::to_string(id));
}

std::vector<ResearcherId> ids_of(const std::vector<HireCandidate>& list) {
  std::vector<ResearcherId> ids;
  for (const HireCandidate& c : list) ids.push_back(c.id);
  return ids;
}

/// The shared counts a move books, to compare before and after.
struct Shared {
  std::vector<std::int64_t> firm_counts;
  std::vector<std::uint32_t> team_sizes;
  std::vector<std::int64_t> flows;
  std::vector<std::int64_t> group_sums;
  std::vector<std::uint32_t> histogram;
  std::int64_t independent = 0;
  bool operator==(const Shared&) const = default;
};
Shared shared_of(const World& w) {
  Shared s;
  for (const FirmState& f : w.firms)
    s.firm_counts.insert(s.firm_counts.end(), {f.headcount, f.top, f.published, f.payroll_cents,
                                               f.tick.hires, f.tick.departures});
  for (const TeamState& team : w.teams) s.team_sizes.push_back(team.size);
  s.flows = w.flows.counts;
  for (const GroupSums& g : w.group_sums)
    s.group_sums.insert(s.group_sums.end(), {g.burnout, g.faith});
  s.histogram = w.salary_histogram;
  s.independent = w.independent_count;
  return s;
}

std::int64_t flow_total(const World& w) {
  return std::accumulate(w.flows.counts.begin(), w.flows.counts.end(), std::int64_t{0});
}

// ---------------------------------------------------------------------------
// Phase 1: wellbeing
// ---------------------------------------------------------------------------

// One of the four in researcher 0's team left voluntarily last week; this week everyone's
// burnout follows b + dt (kappa W (1 - b) - rho b) for their place's workload (0 between
// jobs, the independent workload for independents), the employed's faith drifts to their
// employer's baseline, and the three who stayed lose eta x 1/4. The expected values
// repeat the phase's float arithmetic, so they are exact.
TEST(WellbeingPhase, BurnoutFaithAndContagionFollowTheFormulas) {
  Market m;
  World& w = m.w;
  const TeamId team = w.people.team[0];
  ASSERT_EQ(w.teams[team].size, 4u);
  move_now(w, *m.t, 0, kBeta, 300000.0F, false);
  move_now(w, *m.t, 37, kNoFirm, 150000.0F, true);
  end_tick(w);
  begin_tick(w);  // tick 2
  const std::vector<float> burnout(w.people.burnout.begin(), w.people.burnout.end());
  const std::vector<float> faith(w.people.faith.begin(), w.people.faith.end());

  WellbeingPhase().run(w, *m.t);

  const auto& wb = w.scenario.wellbeing;
  const auto kdt = static_cast<float>(wb.burnout_fill * kDt);
  const auto rdt = static_cast<float>(wb.burnout_recovery * kDt);
  const auto ddt = static_cast<float>(wb.faith_drift * kDt);
  const float shock = static_cast<float>(wb.contagion) * 1.0F / static_cast<float>(3 + 1);
  int shocked = 0;
  for (std::size_t i = 0; i < w.people.size(); ++i) {
    const FirmId f = w.people.employer[i];
    const bool independent = (w.people.flags[i] & flag::kIndependent) != 0;
    const float work = f != kNoFirm  ? static_cast<float>(w.firms[f].params.workload)
                       : independent ? static_cast<float>(w.scenario.independent.workload)
                                     : 0.0F;
    float b = burnout[i];
    b += kdt * work * (1.0F - b) - rdt * b;
    EXPECT_EQ(w.people.burnout[i], std::clamp(b, 0.0F, 1.0F)) << "researcher " << i;
    if (f == kNoFirm) {
      EXPECT_EQ(w.people.faith[i], faith[i]) << "researcher " << i;
      continue;
    }
    float fa = faith[i];
    fa += ddt * (static_cast<float>(w.firms[f].params.faith_baseline) - fa);
    if (w.people.team[i] == team) {
      fa -= shock;
      ++shocked;
    }
    EXPECT_EQ(w.people.faith[i], std::clamp(fa, 0.0F, 1.0F)) << "researcher " << i;
  }
  EXPECT_EQ(shocked, 3);
  EXPECT_EQ(w.teams[team].left_count, 0u);  // read and reset
  EXPECT_EQ(w.team_signals.week[team].shock, shock);
  EXPECT_EQ(w.team_signals.week[team].week, 2);
  EXPECT_TRUE(w.team_signals.left.empty());
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));  // the group sums were rebuilt
}

// ---------------------------------------------------------------------------
// Phase 6: hiring limits
// ---------------------------------------------------------------------------

// 20,000 researchers in three chunks, so candidates come from several chunks' lists.
// Alpha (cap 1.0) lost 4 people this week: 4 places for 7 candidates, two of them
// pending hires due now. The best 4 by skill are kept; the tie at 2.0 goes to the
// lowest id; the refused moves become stays and the refused pending hire is off.
TEST(HiringLimitsPhase, HeadcountCapKeepsTheBestAndRefusesTheRest) {
  Market m({"population.researchers=20000", "firms.alpha.hiring.headcount_cap=1.0"});
  World& w = m.w;
  ASSERT_EQ(w.firms[kAlpha].initial_headcount, 9000);
  ASSERT_EQ(m.t->decisions.size(), 3u);
  for (const ResearcherId id : {0u, 1u, 2u, 3u}) separate_now(w, *m.t, id);
  ASSERT_EQ(w.firms[kAlpha].headcount, 8996);

  // id: skill; 9050 and 9500 are pending hires at alpha due now, the rest moves.
  const std::vector<std::pair<ResearcherId, float>> skills = {
      {9000, 2.0F},  {9050, 4.0F},  {9100, 5.0F}, {9500, 2.0F},
      {12000, 2.0F}, {17000, 0.5F}, {18500, 3.0F}};
  for (const auto& [id, q] : skills) w.people.skill[id] = q;
  add_pending(w, {9050, kAlpha, 0, 350000.0F, 1});
  add_pending(w, {9500, kAlpha, 0, 360000.0F, 1});
  add_pending(w, {9600, kAlpha, 0, 370000.0F, 5});  // not due: no candidate this week
  prepare_hires(
      w, *m.t,
      {move_decision(w, 9000, kAlpha, 400000.0F), move_decision(w, 9100, kAlpha, 1e6F),
       move_decision(w, 12000, kAlpha, 400000.0F), move_decision(w, 17000, kAlpha, 400000.0F),
       move_decision(w, 18500, kAlpha, 400000.0F),
       // To beta, which has no limits: never a candidate.
       move_decision(w, 100, kBeta, 250000.0F), move_decision(w, 13000, kBeta, 250000.0F)});

  // The per-chunk step lists the candidates in id order, and the pending hires due now.
  EXPECT_TRUE(m.t->limited_hires[0].empty());
  EXPECT_EQ(ids_of(m.t->limited_hires[1]),
            (std::vector<ResearcherId>{9000, 9050, 9100, 9500, 12000}));
  EXPECT_EQ(ids_of(m.t->limited_hires[2]), (std::vector<ResearcherId>{17000, 18500}));
  ASSERT_EQ(m.t->due[1].size(), 2u);
  EXPECT_EQ(m.t->due[1][0]->id, 9050u);
  EXPECT_EQ(m.t->due[1][1]->id, 9500u);
  EXPECT_EQ(m.t->fates[1],
            (std::vector<PendingFate>{PendingFate::kDue, PendingFate::kDue, PendingFate::kWait}));

  HiringLimitsPhase().run(w, *m.t);

  using A = Decision::Action;
  EXPECT_EQ(decision_of(*m.t, 9100).action, A::kMove);   // 5.0
  EXPECT_EQ(decision_of(*m.t, 18500).action, A::kMove);  // 3.0
  EXPECT_EQ(decision_of(*m.t, 9000).action, A::kMove);   // 2.0, lowest id of the tie
  EXPECT_EQ(decision_of(*m.t, 12000).action, A::kStay);  // 2.0, a higher id
  EXPECT_EQ(decision_of(*m.t, 17000).action, A::kStay);  // 0.5
  EXPECT_EQ(decision_of(*m.t, 100).action, A::kMove);
  EXPECT_EQ(decision_of(*m.t, 13000).action, A::kMove);
  EXPECT_EQ(w.pending.find(9050)->due, 1);       // 4.0: kept
  EXPECT_EQ(w.pending.find(9500)->due, kNever);  // 2.0 tie, refused: the hire is off
  EXPECT_EQ(w.pending.find(9600)->due, 5);
  EXPECT_EQ(w.firms[kAlpha].tick.rejected_by_limits, 3);
  EXPECT_EQ(w.firms[kBeta].tick.rejected_by_limits, 0);
}

// Headcount above the cap: no places, every candidate refused; a cap with room for all
// refuses no one.
TEST(HiringLimitsPhase, CapBelowHeadcountRefusesAllAndRoomyCapRefusesNone) {
  for (const double cap : {0.9, 2.0}) {
    Market m({"firms.alpha.hiring.headcount_cap=" + std::to_string(cap)});
    World& w = m.w;
    prepare_hires(w, *m.t,
                  {move_decision(w, 20, kAlpha, 300000.0F), move_decision(w, 21, kAlpha, 300000.0F),
                   move_decision(w, 37, kAlpha, 300000.0F)});
    HiringLimitsPhase().run(w, *m.t);
    const bool room = cap > 1.0;
    for (const ResearcherId id : {20u, 21u, 37u})
      EXPECT_EQ(decision_of(*m.t, id).action,
                room ? Decision::Action::kMove : Decision::Action::kStay)
          << "cap " << cap << ", researcher " << id;
    EXPECT_EQ(w.firms[kAlpha].tick.rejected_by_limits, room ? 0 : 3) << "cap " << cap;
  }
}

// Payroll budget 1.0: alpha's budget this week is the salary of the one person who
// left. Best first: the best candidate asks for more than the budget and is refused,
// the next takes half of it, the third asks for more than what is left, and the
// cheapest, ranked last, still fits.
TEST(HiringLimitsPhase, PayrollBudgetRefusesWhatDoesNotFitAndTakesCheaperLowerRanked) {
  Market m({"firms.alpha.hiring.payroll_budget=1.0"});
  World& w = m.w;
  const float left_salary = w.people.salary[0];
  separate_now(w, *m.t, 0);
  ASSERT_EQ(w.firms[kAlpha].initial_payroll_cents - w.firms[kAlpha].payroll_cents,
            cents(left_salary));
  const float half = left_salary * 0.5F;
  w.people.skill[20] = 3.0F;
  w.people.skill[21] = 2.0F;
  w.people.skill[22] = 1.5F;
  w.people.skill[37] = 1.0F;
  prepare_hires(
      w, *m.t,
      {move_decision(w, 20, kAlpha, left_salary + 100.0F), move_decision(w, 21, kAlpha, half),
       move_decision(w, 22, kAlpha, half + 100.0F), move_decision(w, 37, kAlpha, 1000.0F)});
  HiringLimitsPhase().run(w, *m.t);
  EXPECT_EQ(decision_of(*m.t, 20).action, Decision::Action::kStay);
  EXPECT_EQ(decision_of(*m.t, 21).action, Decision::Action::kMove);
  EXPECT_EQ(decision_of(*m.t, 22).action, Decision::Action::kStay);
  EXPECT_EQ(decision_of(*m.t, 37).action, Decision::Action::kMove);
  EXPECT_EQ(w.firms[kAlpha].tick.rejected_by_limits, 2);
}

// ---------------------------------------------------------------------------
// Phase 7's booking: relocate, book_moves, settle_moves
// ---------------------------------------------------------------------------

// A voluntary move of a top, published researcher from alpha to beta: relocate changes
// the row and nothing shared; booking and settling then change every count exactly.
TEST(MoveBooking, VoluntaryMoveChangesTheRowThenTheCounts) {
  Market m;
  World& w = m.w;
  const ResearcherId id = first_with(w, kAlpha, flag::kTop | flag::kPublished);
  const float old_salary = w.people.salary[id];
  const float old_burnout = w.people.burnout[id];
  const float old_faith = w.people.faith[id];
  const TeamId old_team = w.people.team[id];
  const FirmState alpha = w.firms[kAlpha];
  const FirmState beta = w.firms[kBeta];
  const std::vector<GroupSums> sums = w.group_sums;
  const Shared before = shared_of(w);
  ASSERT_GT(old_burnout, 0.0F);

  const float salary = 412345.25F;
  const MoveRecord r = relocate(w, id, kBeta, salary, false, MoveKind::kVoluntary);
  EXPECT_EQ(w.people.employer[id], kBeta);
  EXPECT_GE(w.people.team[id], beta.team_begin);
  EXPECT_LT(w.people.team[id], beta.team_begin + beta.team_count);
  EXPECT_EQ(w.people.salary[id], salary);
  EXPECT_EQ(w.people.hired_tick[id], 1);
  EXPECT_EQ(w.people.moves[id], 1);
  EXPECT_EQ(w.people.faith[id], static_cast<float>(0.9));
  EXPECT_EQ(w.people.burnout[id], static_cast<float>(old_burnout * (1.0 - 0.25)));
  EXPECT_EQ(w.people.flags[id], r.flags);
  EXPECT_EQ(r.from, kAlpha);
  EXPECT_EQ(r.to, kBeta);
  EXPECT_EQ(r.from_team, old_team);
  EXPECT_EQ(r.to_team, w.people.team[id]);
  EXPECT_FALSE(r.separates);  // hired from employment: the week's draw was the clock's
  EXPECT_TRUE(shared_of(w) == before) << "relocate touched shared state";

  book_moves(w, *m.t, {r});
  settle_moves(w, *m.t);
  const FirmState& a = w.firms[kAlpha];
  const FirmState& b = w.firms[kBeta];
  EXPECT_EQ(a.headcount, alpha.headcount - 1);
  EXPECT_EQ(a.top, alpha.top - 1);
  EXPECT_EQ(a.published, alpha.published - 1);
  EXPECT_EQ(a.payroll_cents, alpha.payroll_cents - cents(old_salary));
  EXPECT_EQ(a.tick.departures, 1);
  EXPECT_EQ(a.tick.departures_to_firm, 1);
  EXPECT_EQ(a.tick.top_departures, 1);
  EXPECT_EQ(a.tick.published_departures, 1);
  EXPECT_EQ(a.tick.hires, 0);
  EXPECT_EQ(b.headcount, beta.headcount + 1);
  EXPECT_EQ(b.top, beta.top + 1);
  EXPECT_EQ(b.published, beta.published + 1);
  EXPECT_EQ(b.payroll_cents, beta.payroll_cents + cents(salary));
  EXPECT_EQ(b.tick.hires, 1);
  EXPECT_EQ(b.tick.departures, 0);
  EXPECT_EQ(w.flows.at(kAlpha, kBeta), 1);
  EXPECT_EQ(flow_total(w), 1);
  EXPECT_EQ(w.teams[old_team].size, before.team_sizes[old_team] - 1);
  EXPECT_EQ(w.teams[old_team].left_count, 1u);
  EXPECT_EQ(w.teams[r.to_team].size, before.team_sizes[r.to_team] + 1);
  EXPECT_EQ(w.teams[r.to_team].left_count, 0u);
  EXPECT_EQ(w.team_signals.left, std::vector<TeamId>{old_team});
  EXPECT_EQ(w.group_sums[kAlpha].burnout, sums[kAlpha].burnout - fixed_point(old_burnout));
  EXPECT_EQ(w.group_sums[kAlpha].faith, sums[kAlpha].faith - fixed_point(old_faith));
  EXPECT_EQ(w.group_sums[kBeta].burnout, sums[kBeta].burnout + fixed_point(r.new_burnout));
  EXPECT_EQ(w.group_sums[kBeta].faith, sums[kBeta].faith + fixed_point(r.new_faith));
  EXPECT_EQ(m.t->redraw[0], std::vector<ResearcherId>{id});
  EXPECT_TRUE(m.t->separations[0].empty());
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// A raise in place (a won counter-offer): only the salary and the payroll change; no
// flow, no departure or hire, and the researcher's clock is not redrawn for it.
TEST(MoveBooking, RaiseChangesOnlySalaryAndPayroll) {
  Market m;
  World& w = m.w;
  const ResearcherId id = 5;
  const float old_salary = w.people.salary[id];
  const float raised = old_salary * 1.2F;
  const FirmState alpha = w.firms[kAlpha];
  const TeamId team = w.people.team[id];
  const float burnout = w.people.burnout[id];
  const float faith = w.people.faith[id];
  const Shared before = shared_of(w);

  const MoveRecord r = relocate(w, id, kAlpha, raised, false, MoveKind::kRaise);
  EXPECT_EQ(w.people.salary[id], raised);
  EXPECT_EQ(w.people.employer[id], kAlpha);
  EXPECT_EQ(w.people.team[id], team);
  EXPECT_EQ(w.people.hired_tick[id], 0);
  EXPECT_EQ(w.people.moves[id], 0);
  EXPECT_EQ(w.people.burnout[id], burnout);
  EXPECT_EQ(w.people.faith[id], faith);
  EXPECT_EQ(r.to, kAlpha);
  EXPECT_EQ(r.to_team, team);
  EXPECT_TRUE(shared_of(w) == before);

  book_moves(w, *m.t, {r});
  settle_moves(w, *m.t);
  EXPECT_EQ(w.firms[kAlpha].payroll_cents, alpha.payroll_cents + cents(raised) - cents(old_salary));
  EXPECT_EQ(w.firms[kAlpha].headcount, alpha.headcount);
  EXPECT_EQ(w.firms[kAlpha].tick, FirmTickCounters{});
  EXPECT_EQ(flow_total(w), 0);
  EXPECT_EQ(w.teams[team].size, before.team_sizes[team]);
  EXPECT_EQ(w.teams[team].left_count, 0u);
  EXPECT_TRUE(m.t->redraw[0].empty());
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// A job lost: to between jobs at the between-jobs income, burnout, faith and the move
// count kept; a departure to between jobs, but no contagion (not voluntary).
TEST(MoveBooking, InvoluntaryMoveGoesBetweenJobsWithoutContagion) {
  Market m;
  World& w = m.w;
  const ResearcherId id = 7;
  const float old_salary = w.people.salary[id];
  const float burnout = w.people.burnout[id];
  const float faith = w.people.faith[id];
  const TeamId team = w.people.team[id];
  const FirmState alpha = w.firms[kAlpha];
  const std::uint32_t team_size = w.teams[team].size;

  const MoveRecord r = relocate(w, id, kNoFirm, 20000.0F, false, MoveKind::kInvoluntary);
  EXPECT_EQ(w.people.employer[id], kNoFirm);
  EXPECT_EQ(w.people.team[id], kNoTeam);
  EXPECT_EQ(w.people.salary[id], 20000.0F);
  EXPECT_EQ(w.people.burnout[id], burnout);
  EXPECT_EQ(w.people.faith[id], faith);
  EXPECT_EQ(w.people.moves[id], 0);
  EXPECT_EQ(w.people.hired_tick[id], 1);
  EXPECT_EQ(w.people.flags[id] & flag::kIndependent, 0);
  EXPECT_FALSE(r.to_independent);

  book_moves(w, *m.t, {r});
  settle_moves(w, *m.t);
  const std::size_t between_jobs = w.named + 2;
  EXPECT_EQ(w.firms[kAlpha].headcount, alpha.headcount - 1);
  EXPECT_EQ(w.firms[kAlpha].payroll_cents, alpha.payroll_cents - cents(old_salary));
  EXPECT_EQ(w.firms[kAlpha].tick.departures, 1);
  EXPECT_EQ(w.firms[kAlpha].tick.departures_to_between_jobs, 1);
  EXPECT_EQ(w.flows.at(kAlpha, between_jobs), 1);
  EXPECT_EQ(flow_total(w), 1);
  EXPECT_EQ(w.teams[team].size, team_size - 1);
  EXPECT_EQ(w.teams[team].left_count, 0u);
  EXPECT_TRUE(w.team_signals.left.empty());
  EXPECT_EQ(w.independent_count, 0);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// Leaving for independent research (voluntary, no employer): flagged independent and
// counted, a flow to "independent"; then separate_now on them does nothing.
TEST(MoveBooking, MoveToIndependentResearchIsCountedAndNotSeparated) {
  Market m;
  World& w = m.w;
  const ResearcherId id = 8;
  move_now(w, *m.t, id, kNoFirm, 150000.0F, true);
  EXPECT_EQ(w.people.employer[id], kNoFirm);
  EXPECT_NE(w.people.flags[id] & flag::kIndependent, 0);
  EXPECT_EQ(w.people.salary[id], 150000.0F);
  EXPECT_EQ(w.people.moves[id], 1);
  EXPECT_EQ(w.independent_count, 1);
  EXPECT_EQ(w.flows.at(kAlpha, w.named + 1), 1);
  EXPECT_EQ(w.firms[kAlpha].tick.departures_to_independent, 1);
  const Shared before = shared_of(w);
  separate_now(w, *m.t, id);  // not employed: nothing to lose
  EXPECT_TRUE(shared_of(w) == before);
  EXPECT_NE(w.people.flags[id] & flag::kIndependent, 0);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// Many moves booked in one ledger and settled once equal the same moves booked one by
// one: the counts are integer sums.
TEST(MoveBooking, BatchBookingEqualsOneByOne) {
  Market one;
  Market batch;
  const std::vector<std::pair<ResearcherId, FirmId>> moves = {
      {1, kBeta}, {2, kBeta}, {20, kAlpha}, {37, kAlpha}, {38, kBeta}, {3, kNoFirm}};
  std::vector<MoveRecord> records;
  for (const auto& [id, to] : moves) {
    move_now(one.w, *one.t, id, to, 123456.0F, false);
    records.push_back(relocate(batch.w, id, to, 123456.0F, false, MoveKind::kVoluntary));
  }
  book_moves(batch.w, *batch.t, records);
  settle_moves(batch.w, *batch.t);
  EXPECT_TRUE(shared_of(one.w) == shared_of(batch.w));
  EXPECT_EQ(state_hash(one.w), state_hash(batch.w));
  EXPECT_NO_THROW(verify_incremental_state(batch.w, *batch.t));
}

// verify_incremental_state catches a count that no move booked.
TEST(MoveBooking, VerifyCatchesDrift) {
  Market m;
  EXPECT_NO_THROW(verify_incremental_state(m.w, *m.t));
  m.w.people.salary[3] += 1.0F;  // a salary changed outside any move
  EXPECT_THROW(verify_incremental_state(m.w, *m.t), ModelError);
}

// Phase 7 applies phase 6's verdicts: alpha (cap 1.0) has one place, which the best of
// three goes to, a pending hire due now; the refused pending hire is dropped and
// unflagged, the refused move is a stay; a move to beta (no limits) happens, an offer
// accepted for later waits out alpha's 4-week lag, and a hire due later keeps waiting.
TEST(MovesPhase, AppliesHiringLimitVerdictsAndPendingHires) {
  Market m({"firms.alpha.hiring.headcount_cap=1.0"});
  World& w = m.w;
  separate_now(w, *m.t, 0);
  w.people.skill[36] = 3.0F;
  w.people.skill[37] = 1.0F;
  w.people.skill[20] = 2.0F;
  add_pending(w, {36, kAlpha, 0, 310000.0F, 1});
  add_pending(w, {37, kAlpha, 0, 320000.0F, 1});
  add_pending(w, {38, kBeta, 0, 210000.0F, 4});
  Decision later = move_decision(w, 21, kAlpha, 330000.0F);
  later.action = Decision::Action::kAcceptLater;
  later.starts = static_cast<Tick>(w.tick + w.firms[kAlpha].params.hiring.lag_weeks);  // 1 + 4
  prepare_hires(
      w, *m.t,
      {move_decision(w, 5, kBeta, 220000.0F), move_decision(w, 20, kAlpha, 340000.0F), later});
  for (auto& list : m.t->redraw) list.clear();
  HiringLimitsPhase().run(w, *m.t);
  ASSERT_EQ(w.firms[kAlpha].tick.rejected_by_limits, 2);
  MovesPhase().run(w, *m.t);

  EXPECT_EQ(w.people.employer[36], kAlpha);
  EXPECT_EQ(w.people.salary[36], 310000.0F);
  EXPECT_EQ(w.people.hired_tick[36], 1);
  EXPECT_EQ(w.people.flags[36] & flag::kPending, 0);
  EXPECT_EQ(w.pending.find(36), nullptr);
  EXPECT_EQ(w.people.employer[37], kNoFirm);
  EXPECT_EQ(w.people.flags[37] & flag::kPending, 0);
  EXPECT_EQ(w.pending.find(37), nullptr);
  EXPECT_EQ(w.people.employer[20], kBeta);
  EXPECT_EQ(w.people.employer[5], kBeta);
  EXPECT_EQ(w.people.employer[21], kBeta);
  ASSERT_NE(w.pending.find(21), nullptr);
  EXPECT_EQ(w.pending.find(21)->firm, kAlpha);
  EXPECT_EQ(w.pending.find(21)->salary, 330000.0F);
  EXPECT_EQ(w.pending.find(21)->due, 1 + 4);
  EXPECT_NE(w.people.flags[21] & flag::kPending, 0);
  ASSERT_NE(w.pending.find(38), nullptr);
  EXPECT_EQ(w.pending.find(38)->due, 4);
  EXPECT_EQ(w.pending.size(), 2u);
  EXPECT_EQ(w.firms[kAlpha].tick.hires, 1);
  EXPECT_EQ(w.firms[kBeta].tick.hires, 1);
  EXPECT_EQ(m.t->redraw[0], (std::vector<ResearcherId>{5, 36}));
  EXPECT_TRUE(m.t->founders[0].empty());
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// A move refused by a hiring limit becomes a stay, and the accepted offer the researcher
// gave up for it stands again, as for a founder refused a startup slot (StartupsPhase).
TEST(MovesPhase, RefusedMoveGivesBackTheDroppedPendingHire) {
  Market m({"firms.alpha.hiring.headcount_cap=1.0"});  // alpha is full: no places
  World& w = m.w;
  add_pending(w, {37, kBeta, 0, 210000.0F, 5});
  Decision d = move_decision(w, 37, kAlpha, 400000.0F);
  d.drop_pending = true;  // the decision pass sets it when a researcher with a pending hire moves
  prepare_hires(w, *m.t, {d});
  HiringLimitsPhase().run(w, *m.t);
  ASSERT_EQ(decision_of(*m.t, 37).action, Decision::Action::kStay);
  MovesPhase().run(w, *m.t);
  EXPECT_EQ(w.people.employer[37], kNoFirm);
  ASSERT_NE(w.pending.find(37), nullptr) << "the refused mover lost the offer they had accepted";
  EXPECT_EQ(w.pending.find(37)->due, 5);
  EXPECT_NE(w.people.flags[37] & flag::kPending, 0);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// ---------------------------------------------------------------------------
// Pending hires (pure unit tests on the class)
// ---------------------------------------------------------------------------

std::vector<ResearcherId> pending_ids(const PendingHires& p, std::size_t c) {
  std::vector<ResearcherId> ids;
  for (const PendingHire& h : p.chunks()[c]) ids.push_back(h.id);
  return ids;
}

Decision decision_for(ResearcherId id, bool drop_pending = false) {
  Decision d;
  d.id = id;
  d.drop_pending = drop_pending;
  return d;
}

TEST(PendingHires, GiveBackInsertsInIdOrderIntoTheResearchersChunk) {
  PendingHires p;
  p.reset(2);
  constexpr auto kSecond = static_cast<ResearcherId>(kChunkSize);  // chunk 1's first row
  for (const ResearcherId id : {9u, 2u, kSecond + 3, 5u, kSecond + 1, 7u})
    p.give_back({id, 0, 0, static_cast<float>(id), 3});
  EXPECT_EQ(pending_ids(p, 0), (std::vector<ResearcherId>{2, 5, 7, 9}));
  EXPECT_EQ(pending_ids(p, 1), (std::vector<ResearcherId>{kSecond + 1, kSecond + 3}));
  EXPECT_EQ(p.size(), 6u);
  ASSERT_NE(p.find(7), nullptr);
  EXPECT_EQ(p.find(7)->salary, 7.0F);
  EXPECT_EQ(p.find(6), nullptr);
  EXPECT_EQ(p.find(kSecond + 2), nullptr);
}

// At tick 3: hire 2 is due (kDue), 3 is due too, 5 is due but its researcher reneges
// (kReneged), 7 is due next week (kWait), 9 is due at a dead startup (kGone). The
// callbacks come in id order, a hire before the decision of the same researcher.
TEST(PendingHires, ClassifyGivesEachHireItsFateInIdOrder) {
  PendingHires p;
  p.reset(1);
  constexpr FirmId kDeadStartup = 4;
  p.give_back({2, 0, 0, 200.0F, 3});
  p.give_back({3, 1, 0, 300.0F, 3});
  p.give_back({5, 0, 0, 500.0F, 3});
  p.give_back({7, 1, 0, 700.0F, 4});
  p.give_back({9, kDeadStartup, 1, 900.0F, 3});
  std::vector<Decision> decisions = {decision_for(1), decision_for(2), decision_for(5, true),
                                     decision_for(7), decision_for(10)};
  std::vector<PendingFate> fates;
  std::vector<std::string> log;
  p.classify(
      0, 3, decisions, fates, [&](const PendingHire& h) { return h.firm != kDeadStartup; },
      [&](Decision& d) { log.push_back("d" + std::to_string(d.id)); },
      [&](PendingHire& h) { log.push_back("p" + std::to_string(h.id)); });
  EXPECT_EQ(fates,
            (std::vector<PendingFate>{PendingFate::kDue, PendingFate::kDue, PendingFate::kReneged,
                                      PendingFate::kWait, PendingFate::kGone}));
  EXPECT_EQ(log, (std::vector<std::string>{"d1", "p2", "d2", "p3", "d5", "d7", "d10"}));
}

// After the moves: the waiting hire stays, those gone or refused by a hiring limit
// (due moved to kNever) lose their flag, started and reneged ones just leave the list
// (the move and the decision unflag those), and this week's acceptances merge in by id.
TEST(PendingHires, SettleKeepsWaitingMergesAcceptedAndUnflagsGoneOrRefused) {
  PendingHires p;
  p.reset(1);
  p.give_back({2, 0, 0, 200.0F, 3});  // due, starts
  p.give_back({3, 1, 0, 300.0F, 3});  // due, refused by a limit below
  p.give_back({5, 0, 0, 500.0F, 3});  // reneged
  p.give_back({7, 1, 0, 700.0F, 4});  // waits
  p.give_back({9, 4, 1, 900.0F, 3});  // gone
  const std::vector<PendingFate> fates = {PendingFate::kDue, PendingFate::kDue,
                                          PendingFate::kReneged, PendingFate::kWait,
                                          PendingFate::kGone};
  p.chunk(0)[1].due = kNever;
  const std::vector<PendingHire> accepted = {
      {1, 0, 0, 100.0F, 6}, {6, 1, 0, 600.0F, 6}, {11, 0, 0, 1100.0F, 7}};
  std::vector<ResearcherId> unflagged;
  p.settle(0, 3, fates, accepted, [&](const PendingHire& h) { unflagged.push_back(h.id); });
  EXPECT_EQ(pending_ids(p, 0), (std::vector<ResearcherId>{1, 6, 7, 11}));
  EXPECT_EQ(unflagged, (std::vector<ResearcherId>{3, 9}));
  EXPECT_EQ(p.find(7)->due, 4);
  EXPECT_EQ(p.find(11)->salary, 1100.0F);
}

TEST(PendingHires, SettleMergesAcceptedAroundWaitingOnes) {
  PendingHires p;
  p.reset(1);
  for (const ResearcherId id : {4u, 8u, 12u}) p.give_back({id, 0, 0, 1.0F, 9});
  const std::vector<PendingFate> wait(3, PendingFate::kWait);
  std::vector<PendingHire> accepted;
  for (const ResearcherId id : {1u, 6u, 10u, 14u}) accepted.push_back({id, 1, 0, 2.0F, 9});
  int unflags = 0;
  p.settle(0, 3, wait, accepted, [&](const PendingHire&) { ++unflags; });
  EXPECT_EQ(pending_ids(p, 0), (std::vector<ResearcherId>{1, 4, 6, 8, 10, 12, 14}));
  EXPECT_EQ(p.find(4)->firm, 0);
  EXPECT_EQ(p.find(6)->firm, 1);
  EXPECT_EQ(unflags, 0);
}

// ---------------------------------------------------------------------------
// Phase 10: reactive raises
// ---------------------------------------------------------------------------

constexpr const char* kReactiveRaise =
    "firms.alpha.reactive_raise={enabled: true, who: top, trigger_departures: 3, "
    "window_weeks: 4, raise: 0.1, cooldown_weeks: 5}";

/// Runs phase 10 and returns how many salaries changed.
int run_reactions(Market& m) {
  const std::vector<float> before(m.w.people.salary.begin(), m.w.people.salary.end());
  ReactionsPhase().run(m.w, *m.t);
  int changed = 0;
  for (std::size_t i = 0; i < before.size(); ++i) changed += m.w.people.salary[i] != before[i];
  return changed;
}

// Three covered departures in the window: every top researcher still at alpha gets
// exactly bounded_salary(salary x 1.1); no one else changes; the payroll follows to
// the cent; the window is cleared and the policy rests until tick 1 + 5.
TEST(ReactionsPhase, TriggerRaisesCoveredSalariesExactly) {
  Market m({kReactiveRaise});
  World& w = m.w;
  FirmState& alpha = w.firms[kAlpha];
  ASSERT_EQ(alpha.covered_departures.size(), 4u);
  alpha.covered_departures = {1, 0, 2, 0};
  const std::vector<float> before(w.people.salary.begin(), w.people.salary.end());
  const std::int64_t alpha_payroll = alpha.payroll_cents;
  const std::int64_t beta_payroll = w.firms[kBeta].payroll_cents;

  ReactionsPhase().run(w, *m.t);

  std::int64_t covered = 0, delta = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const bool is_covered = w.people.employer[i] == kAlpha && (w.people.flags[i] & flag::kTop);
    const float expected =
        is_covered ? bounded_salary(static_cast<double>(before[i]) * (1.0 + 0.1)) : before[i];
    EXPECT_EQ(w.people.salary[i], expected) << "researcher " << i;
    if (is_covered) {
      ++covered;
      delta += cents(expected) - cents(before[i]);
    }
  }
  ASSERT_GT(covered, 0);
  EXPECT_EQ(covered, alpha.top);
  EXPECT_EQ(alpha.tick.reactive_raises, covered);
  EXPECT_EQ(alpha.payroll_cents, alpha_payroll + delta);
  EXPECT_EQ(w.firms[kBeta].payroll_cents, beta_payroll);
  EXPECT_EQ(w.firms[kBeta].tick.reactive_raises, 0);
  EXPECT_EQ(alpha.cooldown_until, 1 + 5);
  EXPECT_EQ(alpha.covered_departures, (std::vector<std::uint32_t>{0, 0, 0, 0}));
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));  // the histogram was rebuilt
}

// Inside the cooldown (ticks 2 to 6) the policy does nothing however many leave; at
// tick 7 it fires again.
TEST(ReactionsPhase, CooldownHoldsThePolicyUntilItEnds) {
  Market m({kReactiveRaise});
  World& w = m.w;
  w.firms[kAlpha].covered_departures = {3, 0, 0, 0};
  ASSERT_GT(run_reactions(m), 0);
  ASSERT_EQ(w.firms[kAlpha].cooldown_until, 6);
  for (std::int64_t tick = 2; tick <= 7; ++tick) {
    end_tick(w);
    begin_tick(w);
    ASSERT_EQ(w.tick, tick);
    w.firms[kAlpha].covered_departures = {3, 0, 0, 0};
    const int changed = run_reactions(m);
    if (tick <= 6) {
      EXPECT_EQ(changed, 0) << "tick " << tick;
      EXPECT_EQ(w.firms[kAlpha].tick.reactive_raises, 0) << "tick " << tick;
      EXPECT_EQ(w.firms[kAlpha].covered_departures[0], 3u) << "tick " << tick;
    } else {
      EXPECT_EQ(changed, w.firms[kAlpha].top) << "tick " << tick;
      EXPECT_EQ(w.firms[kAlpha].cooldown_until, 7 + 5);
    }
  }
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

TEST(ReactionsPhase, BelowTheTriggerNothingHappens) {
  Market m({kReactiveRaise});
  World& w = m.w;
  w.firms[kAlpha].covered_departures = {1, 0, 1, 0};
  EXPECT_EQ(run_reactions(m), 0);
  EXPECT_EQ(w.firms[kAlpha].tick.reactive_raises, 0);
  EXPECT_EQ(w.firms[kAlpha].cooldown_until, 0);
  EXPECT_EQ(w.firms[kAlpha].covered_departures, (std::vector<std::uint32_t>{1, 0, 1, 0}));
}

// The window counts voluntary departures of covered (top) researchers only, in this
// tick's slot; three of them, booked by real moves, trigger the raise.
TEST(ReactionsPhase, CoveredVoluntaryDeparturesFillTheWindowAndTrigger) {
  Market m({kReactiveRaise});
  World& w = m.w;
  std::vector<ResearcherId> top, other;
  for (const ResearcherId id : staff_of(w, kAlpha))
    ((w.people.flags[id] & flag::kTop) ? top : other).push_back(id);
  ASSERT_GE(top.size(), 4u);
  ASSERT_FALSE(other.empty());
  const std::size_t slot = 1;                            // tick 1 of a 4-week window
  move_now(w, *m.t, other[0], kBeta, 100000.0F, false);  // not covered
  separate_now(w, *m.t, top[0]);                         // covered, but not voluntary
  EXPECT_EQ(w.firms[kAlpha].covered_departures, (std::vector<std::uint32_t>{0, 0, 0, 0}));
  move_now(w, *m.t, top[1], kBeta, 100000.0F, false);
  move_now(w, *m.t, top[2], kNoFirm, 100000.0F, true);
  EXPECT_EQ(w.firms[kAlpha].covered_departures[slot], 2u);
  EXPECT_EQ(run_reactions(m), 0);
  move_now(w, *m.t, top[3], kBeta, 100000.0F, false);
  EXPECT_EQ(w.firms[kAlpha].covered_departures[slot], 3u);
  EXPECT_EQ(w.firms[kBeta].covered_departures, (std::vector<std::uint32_t>(8, 0)));
  const std::int64_t remaining = w.firms[kAlpha].top;
  ASSERT_GT(remaining, 0);
  EXPECT_EQ(run_reactions(m), remaining);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// Departures are counted toward a reactive raise only while the policy is on, so a
// policy event that switches it on starts from an empty window.
TEST(ReactionsPhase, DisabledPolicyCountsNoDepartures) {
  Market m({"firms.alpha.reactive_raise={enabled: false, who: top, window_weeks: 4}"});
  World& w = m.w;
  const ResearcherId top = first_with(w, kAlpha, flag::kTop);
  move_now(w, *m.t, top, kBeta, 100000.0F, false);
  EXPECT_EQ(w.firms[kAlpha].tick.departures, 1);
  EXPECT_EQ(w.firms[kAlpha].covered_departures, (std::vector<std::uint32_t>(4, 0)));
}

// A relative trigger: alpha's normal is 1 covered departure a week (the 8 baseline
// weeks 1..8 before the window 9..12), so 4 per 4-week window; at twice the normal
// the window must hold more than 8. Eight is ordinary for this firm, nine fires.
TEST(ReactionsPhase, RelativeTriggerAnswersDeparturesAboveTheFirmsNormal) {
  for (const std::uint32_t last_week : {5U, 6U}) {
    Market m(
        {"firms.alpha.reactive_raise={enabled: true, who: top, trigger_departures: 1, "
         "window_weeks: 4, baseline_weeks: 8, trigger_multiple: 2, raise: 0.1}"});
    World& w = m.w;
    FirmState& alpha = w.firms[kAlpha];
    ASSERT_EQ(alpha.covered_weekly.size(), 12U);
    w.tick = 12;
    for (std::size_t u = 1; u <= 12; ++u) alpha.covered_weekly[u % 12] = 1;
    alpha.covered_departures = {1, 1, 1, last_week};  // weeks 12, 9, 10, 11
    for (std::size_t u = 9; u <= 12; ++u)
      alpha.covered_weekly[u % 12] = alpha.covered_departures[u % 4];
    const int changed = run_reactions(m);
    if (last_week == 5U) {
      EXPECT_EQ(changed, 0) << "8 departures are twice the normal, not more";
      EXPECT_EQ(alpha.cooldown_until, 0);
    } else {
      EXPECT_EQ(changed, alpha.top) << "9 departures exceed twice the normal";
      EXPECT_EQ(alpha.covered_departures, (std::vector<std::uint32_t>(4, 0)));
      // The firm's record of its normal is not emptied by the raise.
      EXPECT_EQ(alpha.covered_weekly[11 % 12], 6U);
    }
  }
}

// With fewer baseline weeks than a window the firm does not know its normal yet: no
// raise, however many leave; counting starts again when an event switches the policy on.
TEST(ReactionsPhase, RelativeTriggerWaitsForAWindowOfHistory) {
  Market m(
      {"firms.alpha.reactive_raise={enabled: true, who: top, trigger_departures: 1, "
       "window_weeks: 4, baseline_weeks: 8, trigger_multiple: 2, raise: 0.1}"});
  World& w = m.w;
  FirmState& alpha = w.firms[kAlpha];
  w.tick = 7;  // baseline weeks 1..3 only
  alpha.covered_departures = {10, 10, 10, 10};
  EXPECT_EQ(run_reactions(m), 0);
  w.tick = 8;  // baseline weeks 1..4: all zero, so 40 departures fire
  EXPECT_EQ(run_reactions(m), alpha.top);

  Market off(
      {"firms.alpha.reactive_raise={enabled: false, trigger_multiple: 2}",
       "events=[{week: 1, type: policy, firm: alpha, set: {reactive_raise.enabled: true}}]"});
  off.w.firms[kAlpha].covered_weekly.assign(off.w.firms[kAlpha].covered_weekly.size(), 9U);
  EventsPhase().run(off.w, *off.t);
  EXPECT_EQ(off.w.firms[kAlpha].covered_since, 1);
  EXPECT_EQ(off.w.firms[kAlpha].covered_weekly,
            std::vector<std::uint32_t>(off.w.firms[kAlpha].covered_weekly.size(), 0U));
}

// ---------------------------------------------------------------------------
// Hiring to openings (hiring_plan.cpp)
// ---------------------------------------------------------------------------

constexpr const char* kAlphaPlan =
    "firms.alpha.hiring={plan_growth: 0, offers_per_opening: 4, fill_weeks: 2}";

// Openings are the plan (18, no growth) less staff and accepted hires waiting to start;
// the firm makes offers_per_opening x openings / fill_weeks offers a week, so it keeps
// that share of the draws its recruiting reach brings, at most all. A firm without a
// plan keeps every draw.
TEST(HiringPlan, OpeningsAreThePlanLessStaffAndWaitingHires) {
  Market m({kAlphaPlan});
  World& w = m.w;
  FirmState& alpha = w.firms[kAlpha];
  ASSERT_EQ(alpha.headcount, 18);
  open_positions(w);
  EXPECT_EQ(alpha.openings, 0);
  EXPECT_EQ(alpha.offer_keep, 0.0) << "a firm at its plan makes no offers";
  alpha.offer_reach = 0.0;
  open_positions(w);
  EXPECT_EQ(alpha.offer_keep, 0.0) << "nor does one with no reach on record";
  EXPECT_EQ(w.firms[kBeta].offer_keep, 1.0);

  for (const ResearcherId id : {0U, 1U, 2U, 3U}) separate_now(w, *m.t, id);
  add_pending(w, {36, kAlpha, 0, 310000.0F, 5});
  alpha.offer_reach = 12.0;
  open_positions(w);
  EXPECT_EQ(alpha.openings, 18 - 14 - 1);
  EXPECT_DOUBLE_EQ(alpha.offer_keep, 3.0 * 4.0 / 2.0 / 12.0);
  alpha.offer_reach = 5.0;
  open_positions(w);
  EXPECT_EQ(alpha.offer_keep, 1.0) << "wanting more than its reach, it makes every offer drawn";

  // The reach follows the draws: a moving average weighting the latest week 1/4.
  alpha.offer_draws = 9;
  update_offer_reach(w);
  EXPECT_DOUBLE_EQ(alpha.offer_reach, 5.0 + 0.25 * (9.0 - 5.0));
}

// The plan grows at plan_growth a year; an event that changes the growth continues the
// plan from where it stands, and one that gives a firm a plan starts it from its staff.
TEST(HiringPlan, PlanGrowsAndAnEventContinuesItFromWhereItStands) {
  Market m({"firms.alpha.hiring={plan_growth: 1.0}",
            "events=[{week: 1, type: policy, firm: alpha, set: {hiring.plan_growth: 0.5}}, "
            "{week: 1, type: policy, firm: beta, set: {hiring.plan_growth: 0}}]"});
  World& w = m.w;
  FirmState& alpha = w.firms[kAlpha];
  EXPECT_DOUBLE_EQ(planned_headcount(alpha, 52), 36.0);
  separate_now(w, *m.t, 20);  // beta: 17 left
  EventsPhase().run(w, *m.t);
  EXPECT_EQ(alpha.plan_since, 1);
  EXPECT_DOUBLE_EQ(alpha.plan_level, 18.0 * std::pow(2.0, 1.0 / 52.0));
  EXPECT_DOUBLE_EQ(planned_headcount(alpha, 53), alpha.plan_level * 1.5);
  EXPECT_DOUBLE_EQ(w.firms[kBeta].plan_level, 17.0);
  EXPECT_DOUBLE_EQ(planned_headcount(w.firms[kBeta], 40), 17.0);
}

// A firm at its plan, losing no one, makes no offers however many draws come its way;
// the draws still count toward its reach.
TEST(HiringPlan, AFirmWithoutOpeningsMakesNoOffers) {
  Market m({kAlphaPlan, "market.offer_rate_employed=50", "market.offer_rate_between_jobs=50"});
  World& w = m.w;
  for (std::size_t i = 0; i < w.people.size(); ++i) w.people.next_event[i] = 1;  // all fire
  DecisionPhase phase;
  phase.run(w, *m.t);
  std::int64_t from_alpha = 0, from_beta = 0;
  for (const auto& list : m.t->offer_records)
    for (const OfferRecord& r : list) (r.group == kAlpha ? from_alpha : from_beta) += 1;
  EXPECT_EQ(from_alpha, 0);
  EXPECT_GT(from_beta, 0);
  EXPECT_GT(w.firms[kAlpha].offer_draws, 0);
}

// ---------------------------------------------------------------------------
// Phase 2: events
// ---------------------------------------------------------------------------

// A policy event reaches every firm key it sets: a new founder appeal is the appeal the
// choice reads from then on, and a new pay median rescales the offer policy.
TEST(EventsPhase, PolicyEventSetsTheLiveAppealAndPayPolicy) {
  Market m(
      {"events=[{week: 1, type: policy, firm: alpha, set: {founder_appeal: 0.9, "
       "pay.median: 600000}}]"});
  World& w = m.w;
  const double pay_base = w.firms[kAlpha].pay_base;
  ASSERT_NE(w.firms[kAlpha].appeal, 0.9);
  EventsPhase().run(w, *m.t);
  EXPECT_EQ(w.firms[kAlpha].appeal, 0.9);
  EXPECT_DOUBLE_EQ(w.firms[kAlpha].pay_base, pay_base * 2.0);
  EXPECT_EQ(w.firms[kBeta].appeal, w.firms[kBeta].params.founder_appeal);
}

// Phase 10 also draws a new clock, from next week on, for everyone listed to redraw.
TEST(ReactionsPhase, RedrawsTheClocksOfThoseWhoActed) {
  Market m;
  World& w = m.w;
  w.people.next_event[12] = 0;
  w.people.next_event[13] = 0;
  m.t->redraw[0] = {12, 12};
  ReactionsPhase().run(w, *m.t);
  EXPECT_GT(w.people.next_event[12], 1);
  EXPECT_EQ(w.people.next_event[13], 0);
  EXPECT_EQ(m.t->redraw[0], std::vector<ResearcherId>{12});  // sorted, duplicates gone
}

// ---------------------------------------------------------------------------
// Phase 8: startups
// ---------------------------------------------------------------------------

const std::vector<std::string> kOneStartupSlot = {"startups.enabled=true", "startups.max_alive=1"};

Decision found_decision(const World& w, ResearcherId id) {
  Decision d;
  d.id = id;
  d.employer = w.people.employer[id];
  d.action = Decision::Action::kFound;
  return d;
}

/// Runs phase 8 with these founders (in id order, as the moves phase lists them).
void run_startups(Market& m, std::vector<Decision>& founders) {
  for (auto& list : m.t->founders) list.clear();
  for (const Decision& d : founders) m.t->founders[d.id / kChunkSize].push_back(&d);
  StartupsPhase().run(m.w, *m.t);
}

// A founder takes the lowest free slot as startup serial 1, moves there paid
// founder_pay_fraction x the market's pay for their skill, and their former team becomes
// the startup's recruiting ground.
TEST(StartupsPhase, FounderTakesTheLowestFreeSlot) {
  Market m({"startups.enabled=true", "startups.max_alive=3"});
  World& w = m.w;
  const FirmId slot = static_cast<FirmId>(w.named);
  ASSERT_EQ(w.firms.size(), w.named + 3);
  const ResearcherId id = 3;
  const TeamId old_team = w.people.team[id];
  const double q = w.people.skill[id];
  std::vector<Decision> founders = {found_decision(w, id)};
  run_startups(m, founders);

  const FirmState& s = w.firms[slot];
  EXPECT_TRUE(s.alive);
  EXPECT_EQ(s.serial, 1u);
  EXPECT_EQ(s.founded_tick, 1);
  EXPECT_EQ(s.founder, id);
  EXPECT_EQ(s.headcount, 1);
  EXPECT_EQ(s.members, std::vector<ResearcherId>{id});
  EXPECT_EQ(s.appeal, std::clamp(0.5 + 0.2 * std::log(q), 0.0, 1.0));
  const auto pay = static_cast<float>(0.5 * w.market_pay_of(q));
  EXPECT_EQ(w.people.employer[id], slot);
  EXPECT_EQ(w.people.salary[id], pay);
  EXPECT_EQ(s.payroll_cents, cents(pay));
  EXPECT_GE(w.people.team[id], s.team_begin);
  EXPECT_LT(w.people.team[id], s.team_begin + s.team_count);
  EXPECT_EQ(w.startups.alive, std::vector<FirmId>{slot});
  EXPECT_EQ(w.startups.in_tick, std::vector<FirmId>{slot});
  EXPECT_EQ(w.startups.free.top(), slot + 1);
  EXPECT_EQ(w.startups.last_serial, 1u);
  EXPECT_EQ(w.startups.founded_tick, 1);
  EXPECT_EQ(w.startups.refused_tick, 0);
  EXPECT_EQ(w.teams[old_team].recruiter, slot);
  EXPECT_EQ(w.teams[old_team].recruiter_serial, 1u);
  EXPECT_EQ(w.teams[old_team].recruit_until, 1 + 10);
  EXPECT_EQ(w.team_signals.recruiting, std::vector<TeamId>{old_team});
  EXPECT_EQ(w.flows.at(kAlpha, w.named), 1);
  EXPECT_EQ(w.firms[kAlpha].tick.departures_to_startup, 1);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// One slot, three founders: the first gets it; the others are refused and stay where
// they are; the one who had dropped an accepted offer to found gets it back, due no
// earlier than next week.
TEST(StartupsPhase, RefusedFounderStaysAndGetsBackTheDroppedHire) {
  Market m(kOneStartupSlot);
  World& w = m.w;
  const FirmId slot = static_cast<FirmId>(w.named);
  const float salary_20 = w.people.salary[20];
  std::vector<Decision> founders = {found_decision(w, 3), found_decision(w, 20),
                                    found_decision(w, 21)};
  founders[1].drop_pending = true;
  founders[1].firm = kAlpha;
  founders[1].firm_serial = 0;
  founders[1].pending_salary = 333000.0F;
  founders[1].pending_due = 1;  // it was due this week
  run_startups(m, founders);

  EXPECT_EQ(w.people.employer[3], slot);
  EXPECT_EQ(w.startups.founded_tick, 1);
  EXPECT_EQ(w.startups.refused_tick, 2);
  EXPECT_EQ(w.people.employer[20], kBeta);
  EXPECT_EQ(w.people.salary[20], salary_20);
  EXPECT_EQ(w.people.employer[21], kBeta);
  const PendingHire* back = w.pending.find(20);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->firm, kAlpha);
  EXPECT_EQ(back->firm_serial, 0u);
  EXPECT_EQ(back->salary, 333000.0F);
  EXPECT_EQ(back->due, 2);
  EXPECT_NE(w.people.flags[20] & flag::kPending, 0);
  EXPECT_EQ(w.pending.find(21), nullptr);
  EXPECT_EQ(w.people.flags[21] & flag::kPending, 0);
  EXPECT_EQ(w.pending.size(), 1u);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// A startup left empty does not fail the week it was founded, fails at the next week's
// run even with no failure hazard, and frees its slot; the next founder gets the slot
// with serial 2, and an offer the first startup made is gone.
TEST(StartupsPhase, EmptyStartupFailsNextWeekAndItsSlotIsReused) {
  Market m({"startups.enabled=true", "startups.max_alive=1", "startups.failure_rate=0"});
  World& w = m.w;
  const FirmId slot = static_cast<FirmId>(w.named);
  std::vector<Decision> founders = {found_decision(w, 3)};
  run_startups(m, founders);
  ASSERT_EQ(w.people.employer[3], slot);
  move_now(w, *m.t, 3, kAlpha, 300000.0F, false);  // the founder leaves at once
  ASSERT_EQ(w.firms[slot].headcount, 0);
  founders.clear();
  run_startups(m, founders);
  EXPECT_TRUE(w.firms[slot].alive) << "failed in its founding week";
  EXPECT_EQ(w.startups.failed_tick, 0);
  add_pending(w, {25, slot, 1, 150000.0F, 3});  // an offer of startup 1, due at tick 3

  end_tick(w);
  begin_tick(w);  // tick 2
  run_startups(m, founders);
  EXPECT_FALSE(w.firms[slot].alive);
  EXPECT_EQ(w.startups.failed_tick, 1);
  EXPECT_TRUE(w.startups.alive.empty());
  EXPECT_EQ(w.startups.in_tick, std::vector<FirmId>{slot});  // alive at some time this tick
  ASSERT_FALSE(w.startups.free.empty());
  EXPECT_EQ(w.startups.free.top(), slot);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));

  end_tick(w);
  begin_tick(w);  // tick 3
  founders = {found_decision(w, 4)};
  run_startups(m, founders);
  EXPECT_EQ(w.people.employer[4], slot);
  EXPECT_EQ(w.firms[slot].serial, 2u);
  EXPECT_EQ(w.firms[slot].members, std::vector<ResearcherId>{4});
  EXPECT_EQ(w.startups.founded_tick, 1);
  // Startup 1's offer, due now, finds serial 2 in the slot: gone.
  prepare_hires(w, *m.t, {});
  EXPECT_EQ(m.t->fates[0], std::vector<PendingFate>{PendingFate::kGone});
  EXPECT_TRUE(m.t->due[0].empty());
}

// A failing startup's people all go between jobs (at the between-jobs income), the
// founder included; the flows and the slot's counters say so. A hazard of 52 x (1 +
// 1e6 / 3) a year makes the weekly failure probability 1 - exp(-333334), which is 1.0
// in double: the failure is certain, not likely.
TEST(StartupsPhase, FailingStartupSendsEveryoneBetweenJobs) {
  Market m({"startups.enabled=true", "startups.max_alive=1", "startups.failure_rate=52",
            "startups.small_size=1000000"});
  World& w = m.w;
  const FirmId slot = static_cast<FirmId>(w.named);
  std::vector<Decision> founders = {found_decision(w, 3)};
  run_startups(m, founders);
  move_now(w, *m.t, 20, slot, 150000.0F, false);
  move_now(w, *m.t, 37, slot, 150000.0F, false);
  ASSERT_EQ(w.firms[slot].headcount, 3);
  EXPECT_EQ(w.firms[slot].members, (std::vector<ResearcherId>{3, 20, 37}));
  EXPECT_TRUE(w.firms[slot].alive);  // founded this week: not at risk yet

  end_tick(w);
  begin_tick(w);  // tick 2
  founders.clear();
  run_startups(m, founders);
  EXPECT_FALSE(w.firms[slot].alive);
  EXPECT_EQ(w.startups.failed_tick, 1);
  EXPECT_EQ(w.firms[slot].headcount, 0);
  EXPECT_EQ(w.firms[slot].payroll_cents, 0);
  EXPECT_TRUE(w.firms[slot].members.empty());
  for (const ResearcherId id : {3u, 20u, 37u}) {
    EXPECT_EQ(w.people.employer[id], kNoFirm) << id;
    EXPECT_EQ(w.people.team[id], kNoTeam) << id;
    EXPECT_EQ(w.people.salary[id], 20000.0F) << id;
    EXPECT_EQ(w.people.hired_tick[id], 2) << id;
  }
  EXPECT_EQ(w.flows.at(w.named, w.named + 2), 3);
  EXPECT_EQ(w.firms[slot].tick.departures_to_between_jobs, 3);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));

  // Next week the dead slot is no longer active and its counters are cleared.
  end_tick(w);
  begin_tick(w);
  EXPECT_TRUE(w.startups.in_tick.empty());
  EXPECT_EQ(w.firms[slot].tick, FirmTickCounters{});
  EXPECT_EQ(w.firms[slot].total.departures_to_between_jobs, 3);
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// ---------------------------------------------------------------------------
// Phase 9: separations
// ---------------------------------------------------------------------------

// Separation draws (from the decisions and from hires out of employment) send the
// employed between jobs, once each; a founder is not laid off by their own startup,
// and someone already between jobs has nothing to lose.
TEST(SeparationsPhase, SeparatesTheEmployedButNotFounders) {
  Market m({"startups.enabled=true", "startups.max_alive=1"});
  World& w = m.w;
  const FirmId slot = static_cast<FirmId>(w.named);
  std::vector<Decision> founders = {found_decision(w, 3)};
  run_startups(m, founders);
  ASSERT_EQ(w.people.employer[3], slot);
  for (auto& list : m.t->decisions) list.clear();
  for (const ResearcherId id : {3u, 5u, 22u, 38u}) {
    Decision d;
    d.id = id;
    d.employer = w.people.employer[id];
    d.separation = true;
    m.t->decisions[0].push_back(d);
  }
  m.t->separations[0] = {22};  // listed twice: separated once
  m.t->redraw[0].clear();
  const FirmState alpha = w.firms[kAlpha];
  const FirmState beta = w.firms[kBeta];
  SeparationsPhase().run(w, *m.t);
  EXPECT_EQ(w.people.employer[3], slot);
  EXPECT_EQ(w.people.employer[5], kNoFirm);
  EXPECT_EQ(w.people.employer[22], kNoFirm);
  EXPECT_EQ(w.people.employer[38], kNoFirm);
  EXPECT_EQ(w.firms[kAlpha].headcount, alpha.headcount - 1);
  EXPECT_EQ(w.firms[kBeta].headcount, beta.headcount - 1);
  EXPECT_EQ(w.firms[kBeta].tick.departures_to_between_jobs, 1);
  EXPECT_EQ(w.flows.at(kAlpha, w.named + 2), 1);
  EXPECT_EQ(w.flows.at(kBeta, w.named + 2), 1);
  EXPECT_EQ(m.t->redraw[0], (std::vector<ResearcherId>{5, 22}));
  EXPECT_NO_THROW(verify_incremental_state(w, *m.t));
}

// ---------------------------------------------------------------------------
// Phase 11: metrics
// ---------------------------------------------------------------------------

// The tick's report from the kept state: counts, mean salary from the cents, the exact
// median from the salaries themselves, burnout and faith means from the fixed-point
// sums, this tick's counters, and the market row.
TEST(MetricsPhase, ReportMatchesTheStateExactly) {
  Market m;
  World& w = m.w;
  move_now(w, *m.t, 0, kBeta, 300000.0F, false);
  move_now(w, *m.t, 37, kNoFirm, 150000.0F, true);  // from between jobs
  MetricsPhase().run(w, *m.t);
  const TickReport& r = m.t->report;
  EXPECT_EQ(r.tick, 1);
  ASSERT_EQ(r.groups.size(), 3u);
  for (const FirmId f : {kAlpha, kBeta}) {
    const FirmState& firm = w.firms[f];
    const GroupMetrics& g = r.groups[f];
    const auto h = static_cast<double>(firm.headcount);
    std::vector<float> salaries;
    for (const ResearcherId id : staff_of(w, f)) salaries.push_back(w.people.salary[id]);
    std::sort(salaries.begin(), salaries.end());
    const std::size_t n = salaries.size();
    ASSERT_EQ(static_cast<std::int64_t>(n), firm.headcount);
    EXPECT_EQ(g.headcount, firm.headcount);
    EXPECT_EQ(g.top_headcount, firm.top);
    EXPECT_EQ(g.published_headcount, firm.published);
    EXPECT_EQ(g.mean_salary, static_cast<double>(firm.payroll_cents) / 100.0 / h);
    EXPECT_EQ(g.median_salary, 0.5 * (static_cast<double>(salaries[(n - 1) / 2]) +
                                      static_cast<double>(salaries[n / 2])));
    EXPECT_EQ(g.mean_burnout, static_cast<double>(w.group_sums[f].burnout) / kFixedPointOne / h);
    EXPECT_EQ(g.mean_faith, static_cast<double>(w.group_sums[f].faith) / kFixedPointOne / h);
    EXPECT_EQ(g.counts, firm.tick);
  }
  EXPECT_EQ(r.groups[kAlpha].headcount, 17);
  EXPECT_EQ(r.groups[kBeta].headcount, 19);
  EXPECT_EQ(r.groups[kAlpha].counts.departures, 1);
  EXPECT_EQ(r.groups[kBeta].counts.hires, 1);
  EXPECT_EQ(r.groups[2].headcount, 0);
  EXPECT_EQ(r.groups[2].median_salary, 0.0);
  EXPECT_EQ(r.market.employed, 36);
  EXPECT_EQ(r.market.between_jobs, 4);  // independents count as between jobs
  EXPECT_EQ(r.market.independent, 1);
  const auto top = static_cast<double>(w.firms[kAlpha].top + w.firms[kBeta].top);
  const double a = static_cast<double>(w.firms[kAlpha].top) / top;
  const double b = static_cast<double>(w.firms[kBeta].top) / top;
  EXPECT_EQ(r.market.top_talent_hhi, a * a + b * b);
}

}  // namespace
}  // namespace talentsim
