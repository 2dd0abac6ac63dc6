// The tick (MODEL.md "One tick, in order") and the wellbeing phase.
#include "talentsim/model/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "workspace.hpp"

namespace talentsim {

void Simulation::begin_tick() {
  if (tick_ + 1 >= kNever) throw ModelError("a run cannot go past tick " + std::to_string(kNever - 1));
  ++tick_;
  // Last tick's active firms are the only ones with counters to clear.
  for_each_active_firm([&](FirmState& f) {
    f.tick = FirmTickCounters{};
    if (!f.covered_departures.empty())
      f.covered_departures[static_cast<std::size_t>(tick_) % f.covered_departures.size()] = 0;
  });
  work_->startups_in_tick = work_->alive_startups;
  startups_founded_tick_ = 0;
  startups_failed_tick_ = 0;
  startups_refused_tick_ = 0;
}

void Simulation::end_tick() {
  for_each_active_firm([](FirmState& f) { f.total += f.tick; });
}

void Simulation::step() {
  const auto timed = [this](Phase phase, auto&& fn) {
    const std::int64_t parallel_before = parallel_nanoseconds();
    const auto start = std::chrono::steady_clock::now();
    fn();
    const std::int64_t wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
    const auto p = static_cast<std::size_t>(phase);
    phase_ns_[p] += wall;
    const std::int64_t parallel = parallel_nanoseconds() - parallel_before;
    phase_serial_ns_[p] += std::max<std::int64_t>(wall - parallel, 0);
  };
  // The tick's own bookkeeping counts with the first and last phases, so that the
  // phases add up to the whole tick.
  timed(Phase::kWellbeing, [this] {
    begin_tick();
    run_wellbeing();
  });
  timed(Phase::kEvents, [this] { run_events(); });
  timed(Phase::kDecisions, [this] { run_decisions(); });
  timed(Phase::kMoves, [this] { run_moves(); });
  timed(Phase::kReactions, [this] { run_reactions(); });
  timed(Phase::kMetrics, [this] {
    run_metrics();
    end_tick();
  });
}

// The few teams that matter to this week's wellbeing pass, in the compact per-team
// table it reads: a contagion shock for every team with voluntary departures last
// week, and the recruiting startup of every team one of whose members founded one.
// Everything else stays {0, kNoFirm}; last week's entries are cleared first.
void Simulation::prepare_team_week() {
  auto& w = *work_;
  const auto t = static_cast<Tick>(tick_);
  const float eta = static_cast<float>(scenario_.wellbeing.contagion);
  // The share that left: voluntary leavers over everyone in the team during the week
  // (those still there at its end, and the leavers). Integer counts booked in any
  // order, so it does not depend on the order moves were booked in. Thousands of
  // scattered teams a week, so in parallel; a team may be listed twice (a startup
  // slot reset and reused): the exchange gives its count to one entry only. Each
  // shock is stamped with this tick, so last week's need no clearing.
  constexpr std::size_t kGrain = 2048;
  const auto& left = w.teams_left;
  for_each_index(left.size(), kGrain, [&](std::size_t j) {
    const TeamId k = left[j];
    TeamState& team = teams_[k];
    const std::uint32_t leavers =
        std::atomic_ref<std::uint32_t>(team.left_count).exchange(0, std::memory_order_relaxed);
    if (leavers == 0) return;  // the other entry, or the team was reset
    TeamWeek& week = w.team_week[k];
    week.shock = eta * static_cast<float>(leavers) / static_cast<float>(team.size + leavers);
    week.week = t;
  });
  w.teams_left.clear();  // booking refills it with this week's departures

  std::sort(w.recruiting_teams.begin(), w.recruiting_teams.end());
  w.recruiting_teams.erase(std::unique(w.recruiting_teams.begin(), w.recruiting_teams.end()),
                           w.recruiting_teams.end());
  std::erase_if(w.recruiting_teams, [&](TeamId k) {
    const TeamState& team = teams_[k];
    FirmId& recruiter = w.team_week[k].recruiter;
    recruiter = kNoFirm;
    if (team.recruiter == kNoFirm || t > team.recruit_until) return true;  // over for good
    const FirmState& s = firms_[team.recruiter];
    if (!s.alive || s.serial != team.recruiter_serial) return true;  // the startup is gone
    recruiter = team.recruiter;
    return false;
  });
}

// Phase 1. b <- b + dt (kappa W (1 - b) - rho b); f drifts to the employer's
// baseline and drops by eta x the share of the team that left last week
// (departures are contagious: Felps et al. 2009). Members of a team whose former
// colleague founded a startup get that startup's offers at team_offer_rate.
void Simulation::run_wellbeing() {
  prepare_team_week();
  const auto t = static_cast<std::uint32_t>(tick_);
  const auto& wb = scenario_.wellbeing;
  const auto& st = scenario_.startups;
  const float kappa_dt = static_cast<float>(wb.burnout_fill * kDt);
  const float rho_dt = static_cast<float>(wb.burnout_recovery * kDt);
  const float drift_dt = static_cast<float>(wb.faith_drift * kDt);
  const double p_team_offer = -std::expm1(-st.team_offer_rate * kDt);
  const std::uint64_t seed = scenario_.seed;

  // Per-place constants in one compact table the pass reads for every researcher:
  // firms, then "between jobs" and "independent", so the workload needs no branch.
  const std::size_t places = firms_.size();
  std::vector<float> workload(places + 2, 0.0F), baseline(places, 0.0F);
  for (std::size_t f = 0; f < places; ++f) {
    workload[f] = static_cast<float>(firms_[f].params.workload);
    baseline[f] = static_cast<float>(firms_[f].params.faith_baseline);
  }
  workload[places + 1] = static_cast<float>(scenario_.independent.workload);

  // Group sums go to kLanes interleaved copies (by row), so consecutive researchers of
  // the same firm do not wait on each other's store; the copies are added up after.
  constexpr std::size_t kLanes = 4;
  const std::size_t groups = named_ + 1;
  const auto named = static_cast<FirmId>(named_);
  for (auto& sums : work_->wellbeing_sums) std::fill(sums.begin(), sums.end(), GroupSums{});
  const FirmId* const employer = people_.employer.data();
  const std::uint8_t* const flags = people_.flags.data();
  float* const burnout = people_.burnout.data();
  float* const faith = people_.faith.data();
  const TeamId* const team_of = people_.team.data();
  const TeamWeek* const team_week = work_->team_week.data();
  const float* const work_of = workload.data();
  const float* const base_of = baseline.data();
  for_each_chunk(people_.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& team_offers = work_->team_offers[c];
    team_offers.clear();
    auto& local = work_->wellbeing_sums.local();
    if (local.size() != groups * kLanes) local.assign(groups * kLanes, GroupSums{});
    GroupSums* const sums = local.data();
    // Local copies: the compiler cannot keep captured references in registers across
    // the stores below.
    const FirmId* const emp = employer;
    const std::uint8_t* const fl = flags;
    float* const bu = burnout;
    float* const fa_col = faith;
    const TeamId* const tm = team_of;
    const TeamWeek* const tw = team_week;
    const float* const wk = work_of;
    const float* const bs = base_of;
    const float kdt = kappa_dt, rdt = rho_dt, ddt = drift_dt;
    const auto week = static_cast<Tick>(t);
    const std::size_t n_places = places;
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = emp[i];
      const std::size_t place =
          f != kNoFirm ? f : n_places + ((fl[i] & flag::kIndependent) != 0 ? 1 : 0);
      float burn = bu[i];
      burn += kdt * wk[place] * (1.0F - burn) - rdt * burn;
      burn = std::clamp(burn, 0.0F, 1.0F);
      bu[i] = burn;
      if (f == kNoFirm) continue;

      const TeamWeek team = tw[tm[i]];
      float fa = fa_col[i];
      fa += ddt * (bs[f] - fa);
      fa -= team.week == week ? team.shock : 0.0F;  // nobody left last week: unchanged
      fa = std::clamp(fa, 0.0F, 1.0F);
      fa_col[i] = fa;
      GroupSums& g = sums[(f < named ? f : named) * kLanes + (i & (kLanes - 1))];
      g.burnout += fixed_point(burn);
      g.faith += fixed_point(fa);

      // Recruited by a former teammate's startup: drawn after the loop, so that the
      // loop keeps its pointers in registers.
      if (team.recruiter != kNoFirm && team.recruiter != f)
        team_offers.emplace_back(static_cast<ResearcherId>(i), team.recruiter);
    }
    std::erase_if(team_offers, [&](const std::pair<ResearcherId, FirmId>& o) {
      RandomStream rs(seed, o.first, t, Purpose::kTeamRecruit);
      return !(rs.uniform() < p_team_offer);
    });
  });
  // The group sums after this pass; moves keep them up to date for the metrics.
  std::fill(group_sums_.begin(), group_sums_.end(), GroupSums{});
  for (const auto& sums : work_->wellbeing_sums)
    for (std::size_t k = 0; k < sums.size(); ++k) {
      group_sums_[k / kLanes].burnout += sums[k].burnout;
      group_sums_[k / kLanes].faith += sums[k].faith;
    }
}

// Phases 3-5: everyone whose clock fires this tick, or who got a startup team
// offer, decides. Decisions land in per-chunk lists, in researcher order.
void Simulation::run_decisions() {
  const auto t = static_cast<Tick>(tick_);
  // The logs of named firms' pay terms, and which firms limit hiring, once a tick
  // (events may change them).
  work_->offer_logs.resize(named_);
  work_->limits_hiring.assign(named_, 0);
  for (std::size_t j = 0; j < named_; ++j) {
    const FirmState& f = firms_[j];
    work_->offer_logs[j] = {std::log(f.pay_base), std::log(f.params.pay.ceiling),
                            std::log1p(f.params.recruiting.offer_premium)};
    work_->limits_hiring[j] = f.params.hiring.headcount_cap || f.params.hiring.payroll_budget;
  }
  for_each_chunk(people_.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& out = work_->decisions[c];
    out.clear();
    std::int64_t offers = 0;
    std::int64_t choices = 0;
    const auto& team_offers = work_->team_offers[c];
    std::size_t k = 0;
    const Tick* clock = people_.next_event.data();
    for (std::size_t i = b; i < e; ++i) {
      const bool fired = clock[i] == t;
      FirmId from = kNoFirm;
      if (k < team_offers.size() && team_offers[k].first == i) from = team_offers[k++].second;
      if (fired || from != kNoFirm)
        decide(static_cast<ResearcherId>(i), fired, from, out, offers, choices);
    }
    work_->offers_per_chunk[c] = offers;
    work_->choices_per_chunk[c] = choices;
    prepare_chunk_hires(c);
  });
}

void Simulation::run_metrics() { compute_metrics(report_); }

TickReport Simulation::initial_report() {
  TickReport r;
  compute_metrics(r);
  return r;
}

std::vector<std::string> Simulation::group_names() const {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < named_; ++j) names.push_back(scenario_.firms[j].id);
  names.emplace_back(kStartupsGroup);
  return names;
}

FirmId Simulation::firm_index(const std::string& id) const {
  for (std::size_t j = 0; j < named_; ++j)
    if (scenario_.firms[j].id == id) return static_cast<FirmId>(j);
  throw ModelError("no firm with id '" + id + "'");
}

namespace {
/// FNV-1a over bytes, 64-bit.
std::uint64_t fnv1a(const void* data, std::size_t bytes, std::uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

template <class T>
std::uint64_t hash_column(const Column<T>& col, std::uint64_t h) {
  // Hash fixed chunks in parallel, then fold the chunk hashes in order.
  std::vector<std::uint64_t> part(chunk_count(col.size()));
  for_each_chunk(col.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    part[c] = fnv1a(col.data() + b, (e - b) * sizeof(T), kFnvOffset);
  });
  return fnv1a(part.data(), part.size() * sizeof(std::uint64_t), h);
}
}  // namespace

std::uint64_t Simulation::state_hash() const {
  std::uint64_t h = kFnvOffset;
  h = hash_column(people_.employer, h);
  h = hash_column(people_.flags, h);
  h = hash_column(people_.team, h);
  h = hash_column(people_.burnout, h);
  h = hash_column(people_.faith, h);
  h = hash_column(people_.salary, h);
  h = hash_column(people_.next_event, h);
  h = hash_column(people_.skill, h);
  h = hash_column(people_.hired_tick, h);
  h = hash_column(people_.initial_employer, h);
  h = hash_column(people_.moves, h);
  h = hash_column(people_.money, h);
  h = hash_column(people_.appeal, h);
  h = hash_column(people_.drive, h);
  for (const FirmState& f : firms_) {
    const std::int64_t v[] = {f.headcount, f.top, f.published, f.payroll_cents, f.alive ? 1 : 0,
                              static_cast<std::int64_t>(f.serial)};
    h = fnv1a(v, sizeof v, h);
    h = fnv1a(&f.pay_base, sizeof f.pay_base, h);
  }
  for (const auto& chunk : pending_)  // in researcher order
    for (const PendingHire& p : chunk) {
      const std::uint64_t v[] = {p.id, p.firm, p.firm_serial, p.due};
      h = fnv1a(v, sizeof v, h);
      h = fnv1a(&p.salary, sizeof p.salary, h);
    }
  return h;
}

}  // namespace talentsim
