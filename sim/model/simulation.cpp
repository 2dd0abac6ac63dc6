// The tick (MODEL.md "One tick, in order") and the wellbeing phase.
#include "talentsim/model/simulation.hpp"

#include <algorithm>
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
  for (FirmState& f : firms_) {
    f.tick = FirmTickCounters{};
    if (!f.covered_departures.empty())
      f.covered_departures[static_cast<std::size_t>(tick_) % f.covered_departures.size()] = 0;
  }
  startups_founded_tick_ = 0;
  startups_failed_tick_ = 0;
  startups_refused_tick_ = 0;
}

void Simulation::end_tick() {
  for (FirmState& f : firms_) f.total += f.tick;
}

void Simulation::step() {
  begin_tick();
  const auto timed = [this](Phase phase, auto&& fn) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    phase_ns_[static_cast<std::size_t>(phase)] +=
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                             start)
            .count();
  };
  timed(Phase::kWellbeing, [this] { run_wellbeing(); });
  timed(Phase::kEvents, [this] { run_events(); });
  timed(Phase::kDecisions, [this] { run_decisions(); });
  timed(Phase::kMoves, [this] { run_moves(); });
  timed(Phase::kReactions, [this] { run_reactions(); });
  timed(Phase::kMetrics, [this] { run_metrics(); });
  end_tick();
}

// Phase 1. b <- b + dt (kappa W (1 - b) - rho b); f drifts to the employer's
// baseline and drops by eta x the share of the team that left last week
// (departures are contagious: Felps et al. 2009). Members of a team whose former
// colleague founded a startup get that startup's offers at team_offer_rate.
void Simulation::run_wellbeing() {
  const auto t = static_cast<std::uint32_t>(tick_);
  const auto last = static_cast<Tick>(tick_ - 1);
  const auto& wb = scenario_.wellbeing;
  const auto& st = scenario_.startups;
  const float kappa_dt = static_cast<float>(wb.burnout_fill * kDt);
  const float rho_dt = static_cast<float>(wb.burnout_recovery * kDt);
  const float drift_dt = static_cast<float>(wb.faith_drift * kDt);
  const float eta = static_cast<float>(wb.contagion);
  const float independent_workload = static_cast<float>(scenario_.independent.workload);
  const double p_team_offer = -std::expm1(-st.team_offer_rate * kDt);
  const std::uint64_t seed = scenario_.seed;

  // Per-firm constants in compact arrays: the pass reads them for every researcher.
  std::vector<float> workload(firms_.size()), baseline(firms_.size());
  for (std::size_t f = 0; f < firms_.size(); ++f) {
    workload[f] = static_cast<float>(firms_[f].params.workload);
    baseline[f] = static_cast<float>(firms_[f].params.faith_baseline);
  }

  // Group sums go to kLanes interleaved copies (by row), so consecutive researchers of
  // the same firm do not wait on each other's store; the copies are added up after.
  constexpr std::size_t kLanes = 4;
  const std::size_t groups = named_ + 1;
  const auto named = static_cast<FirmId>(named_);
  for (auto& sums : work_->wellbeing_sums) std::fill(sums.begin(), sums.end(), GroupSums{});
  FirmId* const employer = people_.employer.data();
  const std::uint8_t* const flags = people_.flags.data();
  float* const burnout = people_.burnout.data();
  float* const faith = people_.faith.data();
  const TeamId* const team_of = people_.team.data();
  const TeamState* const teams = teams_.data();
  for_each_chunk(people_.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& team_offers = work_->team_offers[c];
    team_offers.clear();
    auto& sums = work_->wellbeing_sums.local();
    if (sums.size() != groups * kLanes) sums.assign(groups * kLanes, GroupSums{});
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = employer[i];
      float burn = burnout[i];
      float w = 0.0F;
      if (f != kNoFirm)
        w = workload[f];
      else if (flags[i] & flag::kIndependent)
        w = independent_workload;
      burn += kappa_dt * w * (1.0F - burn) - rho_dt * burn;
      burn = std::clamp(burn, 0.0F, 1.0F);
      burnout[i] = burn;
      if (f == kNoFirm) continue;

      float fa = faith[i];
      fa += drift_dt * (baseline[f] - fa);
      const TeamState& team = teams[team_of[i]];
      if (team.left_tick == last && team.size_before > 0)
        fa -= eta * static_cast<float>(team.left_count) / static_cast<float>(team.size_before);
      fa = std::clamp(fa, 0.0F, 1.0F);
      faith[i] = fa;
      GroupSums& g = sums[(f < named ? f : named) * kLanes + (i & (kLanes - 1))];
      g.burnout += fixed_point(burn);
      g.faith += fixed_point(fa);

      if (team.recruiter != kNoFirm && team.recruiter != f && t <= team.recruit_until) {
        const FirmState& s = firms_[team.recruiter];
        if (s.alive && s.serial == team.recruiter_serial) {
          RandomStream rs(seed, static_cast<ResearcherId>(i), t, Purpose::kTeamRecruit);
          if (rs.uniform() < p_team_offer)
            team_offers.emplace_back(static_cast<ResearcherId>(i), team.recruiter);
        }
      }
    }
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
  for (const PendingHire& p : pending_) {
    const std::uint64_t v[] = {p.id, p.firm, p.firm_serial, p.due};
    h = fnv1a(v, sizeof v, h);
    h = fnv1a(&p.salary, sizeof p.salary, h);
  }
  return h;
}

}  // namespace talentsim
