// docs/MODEL.md phase 8: startups. Each founder this week (in researcher order) takes
// the lowest free slot: a new startup with serial n, appeal
// clamp(appeal_base + appeal_per_log_skill ln q, 0, 1), pay a fraction of the market's,
// and the founder paid founder_pay_fraction x market pay. The founder's former team
// becomes its recruiting ground for team_recruit_weeks (offers drawn in phase 1).
// A founder who finds every slot taken stays, and gets back an offer they had
// accepted. Then each live startup (not founded this week) fails with weekly
// probability 1 - exp(-h dt), h = failure_rate (1 + small_size / headcount), at once
// if empty; its people go between jobs and the slot is freed.
//
// Reads:  TickBuffers::founders; startup slots; skill, team, employer.
// Writes: the founders' and failed startups' people's rows (as moves); startup slots,
//         firms, teams, team signals, pending hires (given back), flags.
#include <algorithm>
#include <cmath>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{"startups", "8",
                          "founders (TickBuffers); startup slots; skill, team, employer",
                          "startup slots, firms, teams, team signals, pending hires", kMoveColumns};
}  // namespace

const PhaseSpec& StartupsPhase::spec() const { return kSpec; }

void configure_startup(const World& w, FirmState& f) {
  // From the live startup settings, so market events reach startups too.
  const auto& st = w.scenario.startups;
  f.params.workload = st.workload;
  f.params.faith_baseline = st.faith_baseline;
  f.params.prestige = st.prestige;
  f.params.recruiting.skill_targeting = st.skill_targeting;
  f.params.recruiting.offer_premium = 0.0;
  f.params.hiring.interview_free = true;  // small teams hire on the spot
  f.params.hiring.lag_weeks = 0;
  f.params.retention.counter_offers = Eligibility::kNone;
  f.params.pay.skill_elasticity = w.market_pay.elasticity;
  f.params.pay.dispersion = w.market_pay.dispersion;
  f.params.pay.ceiling = 2.0;
  f.pay_base = w.market_pay.base * st.pay_fraction;
  f.params.pay.median = f.pay_base;
}

namespace {

FirmId found_startup(World& w, TickBuffers& t, ResearcherId founder) {
  if (w.startups.free.empty()) return kNoFirm;  // every slot is taken: the idea waits
  const FirmId slot = w.startups.free.top();
  w.startups.free.pop();
  const auto& st = w.scenario.startups;
  FirmState& s = w.firms[slot];
  configure_startup(w, s);
  s.alive = true;
  s.serial = ++w.startups.last_serial;
  s.founded_tick = w.tick;
  s.founder = founder;
  s.headcount = s.top = s.published = s.payroll_cents = 0;
  s.members.clear();
  const double q = w.people.skill[founder];
  s.appeal = std::clamp(st.appeal_base + st.appeal_per_log_skill * std::log(q), 0.0, 1.0);
  for (std::uint32_t k = 0; k < s.team_count; ++k) w.teams[s.team_begin + k] = TeamState{};
  auto& alive = w.startups.alive;
  alive.insert(std::lower_bound(alive.begin(), alive.end(), slot), slot);
  // Free until now, so not listed yet: slots are freed only after this tick's
  // foundings (fail_startups), so none is founded twice in a tick.
  auto& in_tick = w.startups.in_tick;
  const auto at = std::lower_bound(in_tick.begin(), in_tick.end(), slot);
  TALENTSIM_ASSERT(at == in_tick.end() || *at != slot, "a startup slot founded twice in a tick");
  in_tick.insert(at, slot);

  // The founder's former team becomes the startup's first recruiting ground.
  const TeamId old_team = w.people.team[founder];
  if (old_team != kNoTeam) {
    TeamState& team = w.teams[old_team];
    team.recruiter = slot;
    team.recruiter_serial = s.serial;
    team.recruit_until =
        static_cast<Tick>(std::min<std::int64_t>(kNever - 1, w.tick + st.team_recruit_weeks));
    w.team_signals.recruiting.push_back(old_team);
  }
  const auto salary = static_cast<float>(st.founder_pay_fraction * w.market_pay_of(q));
  move_now(w, t, founder, slot, salary, false);
  ++w.startups.founded_tick;
  return slot;
}

void fail_startups(World& w, TickBuffers& tick) {
  const auto& st = w.scenario.startups;
  const auto t = static_cast<std::uint32_t>(w.tick);
  const std::vector<FirmId> alive = w.startups.alive;  // copy: failures edit the list
  for (const FirmId slot : alive) {
    FirmState& s = w.firms[slot];
    if (s.founded_tick == w.tick) continue;
    bool fails = s.headcount == 0;
    if (!fails) {
      const double hazard =
          st.failure_rate * (1.0 + st.small_size / static_cast<double>(s.headcount));
      RandomStream rs(w.scenario.seed, s.serial, t, Purpose::kStartupFailure);
      fails = rs.uniform() < -std::expm1(-hazard * kDt);
    }
    if (!fails) continue;
    for (const ResearcherId id : s.members)
      if (w.people.employer[id] == slot) separate_now(w, tick, id);
    settle_moves(w, tick);
    TALENTSIM_ASSERT(s.headcount == 0, "a failed startup keeps no one");
    s.members.clear();
    s.alive = false;
    w.startups.free.push(slot);
    auto& list = w.startups.alive;
    list.erase(std::lower_bound(list.begin(), list.end(), slot));
    ++w.startups.failed_tick;
  }
}

}  // namespace

void StartupsPhase::run(World& world, TickBuffers& tick) {
  const auto t = static_cast<Tick>(world.tick);
  for (const auto& list : tick.founders)
    for (const Decision* d : list) {
      if (found_startup(world, tick, d->id) != kNoFirm) continue;
      ++world.startups.refused_tick;
      if (d->drop_pending && d->firm != kNoFirm) {
        world.pending.give_back({d->id, d->firm, d->firm_serial, d->pending_salary,
                                 std::max<Tick>(d->pending_due, static_cast<Tick>(t + 1))});
        world.people.flags[d->id] =
            static_cast<std::uint8_t>(world.people.flags[d->id] | flag::kPending);
      }
    }
  fail_startups(world, tick);
}

}  // namespace talentsim
