// docs/MODEL.md phase 1: wellbeing.
//
//   b <- clamp(b + dt (kappa W (1 - b) - rho b), 0, 1)       burnout, everyone
//   f <- clamp(f + dt drift (f_0 - f) - shock, 0, 1)        faith, the employed
//
// with W the workload of the researcher's place (0 between jobs) and f_0 the
// employer's faith baseline. The shock is eta x the share of the researcher's team
// that left voluntarily last week (departures are contagious: Felps et al. 2009).
// Members of a team whose former colleague founded a startup that still recruits
// draw that startup's offers here, at team_offer_rate.
//
// Reads:  employer, flags, team, burnout, faith; teams (size, left_count, recruiter);
//         team_signals; firms' workload and faith baseline.
// Writes: burnout, faith; team_signals (this week's shocks; pruned recruiting list);
//         teams' left_count (reset); the group sums of burnout and faith (World,
//         for phase 11: built here in the same pass, a measured fusion);
//         TickBuffers::team_offers (for phase 3).
#include <algorithm>
#include <atomic>
#include <cmath>

#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{"wellbeing", "1",
                          "employer, flags, team, burnout, faith; team signals; firms' workload",
                          "team signals; group sums; team offers",
                          columns<&ResearcherColumns::burnout, &ResearcherColumns::faith>()};
}  // namespace

const PhaseSpec& WellbeingPhase::spec() const { return kSpec; }

void WellbeingPhase::prepare_team_week(World& world) {
  TeamSignals& signals = world.team_signals;
  const auto t = static_cast<Tick>(world.tick);
  const float eta = static_cast<float>(world.scenario.wellbeing.contagion);
  // The share that left: voluntary leavers over everyone in the team during the week
  // (those still there at its end, and the leavers). Integer counts booked in any
  // order, so it does not depend on the order moves were booked in. Thousands of
  // scattered teams a week, so in parallel; a team may be listed twice (a startup
  // slot reset and reused): the exchange gives its count to one entry only. Each
  // shock is stamped with this tick, so last week's need no clearing.
  constexpr std::size_t kGrain = 2048;
  const auto& left = signals.left;
  for_each_index(left.size(), kGrain, [&](std::size_t j) {
    const TeamId k = left[j];
    TeamState& team = world.teams[k];
    const std::uint32_t leavers =
        std::atomic_ref<std::uint32_t>(team.left_count).exchange(0, std::memory_order_relaxed);
    if (leavers == 0) return;  // the other entry, or the team was reset
    TeamWeek& week = signals.week[k];
    week.shock = eta * static_cast<float>(leavers) / static_cast<float>(team.size + leavers);
    week.week = t;
  });
  signals.left.clear();  // booking refills it with this week's departures

  std::sort(signals.recruiting.begin(), signals.recruiting.end());
  signals.recruiting.erase(std::unique(signals.recruiting.begin(), signals.recruiting.end()),
                           signals.recruiting.end());
  std::erase_if(signals.recruiting, [&](TeamId k) {
    const TeamState& team = world.teams[k];
    FirmId& recruiter = signals.week[k].recruiter;
    recruiter = kNoFirm;
    if (team.recruiter == kNoFirm || t > team.recruit_until) return true;  // over for good
    const FirmState& s = world.firms[team.recruiter];
    if (!s.alive || s.serial != team.recruiter_serial) return true;  // the startup is gone
    recruiter = team.recruiter;
    return false;
  });
}

namespace {

/// Group sums go to kLanes interleaved copies (by row), so consecutive researchers of
/// the same firm do not wait on each other's store; the copies are added up after.
constexpr std::size_t kLanes = 4;

/// Per-place constants in one compact table the pass reads for every researcher:
/// firms, then "between jobs" and "independent", so the workload needs no branch.
struct PlaceTables {
  std::vector<float> workload;
  std::vector<float> baseline;
};

PlaceTables place_tables(const World& world) {
  const std::size_t places = world.firms.size();
  PlaceTables t{std::vector<float>(places + 2, 0.0F), std::vector<float>(places, 0.0F)};
  for (std::size_t f = 0; f < places; ++f) {
    t.workload[f] = static_cast<float>(world.firms[f].params.workload);
    t.baseline[f] = static_cast<float>(world.firms[f].params.faith_baseline);
  }
  t.workload[places + 1] = static_cast<float>(world.scenario.independent.workload);
  return t;
}

/// Adds the threads' lane copies of the group sums into `out`.
void fold_lanes(const tbb::enumerable_thread_specific<std::vector<GroupSums>>& lanes,
                std::vector<GroupSums>& out) {
  std::fill(out.begin(), out.end(), GroupSums{});
  for (const auto& sums : lanes)
    for (std::size_t k = 0; k < sums.size(); ++k) {
      out[k / kLanes].burnout += sums[k].burnout;
      out[k / kLanes].faith += sums[k].faith;
    }
}

}  // namespace

// Phase 1. b <- b + dt (kappa W (1 - b) - rho b); f drifts to the employer's
// baseline and drops by eta x the share of the team that left last week
// (departures are contagious: Felps et al. 2009). Members of a team whose former
// colleague founded a startup get that startup's offers at team_offer_rate.
void WellbeingPhase::run(World& world, TickBuffers& tick) {
  prepare_team_week(world);
  const auto t = static_cast<std::uint32_t>(world.tick);
  const auto& wb = world.scenario.wellbeing;
  const auto& st = world.scenario.startups;
  const float kappa_dt = static_cast<float>(wb.burnout_fill * kDt);
  const float rho_dt = static_cast<float>(wb.burnout_recovery * kDt);
  const float drift_dt = static_cast<float>(wb.faith_drift * kDt);
  const double p_team_offer = -std::expm1(-st.team_offer_rate * kDt);
  const std::uint64_t seed = world.scenario.seed;

  const std::size_t places = world.firms.size();
  const PlaceTables tables = place_tables(world);
  const std::size_t groups = world.named + 1;
  const auto named = static_cast<FirmId>(world.named);
  for (auto& sums : sums_) std::fill(sums.begin(), sums.end(), GroupSums{});
  const FirmId* const employer = world.people.employer.data();
  const std::uint8_t* const flags = world.people.flags.data();
  float* const burnout = world.people.burnout.data();
  float* const faith = world.people.faith.data();
  const TeamId* const team_of = world.people.team.data();
  const TeamWeek* const team_week = world.team_signals.week.data();
  const float* const work_of = tables.workload.data();
  const float* const base_of = tables.baseline.data();
  for_each_chunk(world.people.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& team_offers = tick.team_offers[c];
    team_offers.clear();
    auto& local = sums_.local();
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
  fold_lanes(sums_, world.group_sums);
}

}  // namespace talentsim
