// docs/MODEL.md phase 2: the scenario's timeline. Events due this week are applied in
// file order:
//   campaign   -- from this week, for `weeks` weeks, a firm's offers to the best
//                 top_share of a target firm's staff (a skill cut fixed now) come
//                 `offer_rate_multiplier` times as often, with `appeal_boost`;
//   pay_change -- covered staff of a firm get (1 + change) x their salary; a
//                 firm-wide change moves the policy for new offers too;
//   policy     -- any firm key (a new pay median rescales the offer policy);
//   workload   -- a firm's workload W;
//   market     -- any market-wide key (startup slots follow the new settings).
// A campaign starting or ending redraws the clocks of the people it targets; a
// policy or market event rebuilds the rate tables and redraws everyone's clock
// from this week (exact: the clocks are memoryless).
//
// Reads:  scenario events; employer, flags, skill (campaign targets, pay changes).
// Writes: salary (pay changes), next_event (clock redraws); campaigns, firms'
//         policies and payroll, the live scenario, rate tables, salary histogram.
#include <algorithm>
#include <cmath>

#include "../clocks.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/model/phases.hpp"
#include "talentsim/model/settings.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{
    "events", "2", "scenario events; employer, flags, skill",
    "campaigns, firm policies and payroll, live scenario, rate tables, salary histogram",
    columns<&ResearcherColumns::salary, &ResearcherColumns::next_event>()};
}  // namespace

const PhaseSpec& EventsPhase::spec() const { return kSpec; }

namespace {

void start_campaign(World& world, const Event& ev) {
  const FirmId firm = world.firm_index(ev.firm);
  const FirmId target = world.firm_index(ev.target);
  const auto staff = static_cast<std::uint64_t>(world.firms[target].headcount);
  Campaign c;
  c.firm = firm;
  c.target = target;
  c.multiplier = ev.offer_rate_multiplier;
  c.appeal_boost = ev.appeal_boost;
  c.end_tick = world.tick + ev.weeks - 1;
  // The best top_share of the target's current staff, by skill, exactly.
  const auto k = std::min<std::uint64_t>(
      staff, static_cast<std::uint64_t>(std::ceil(ev.top_share * static_cast<double>(staff))));
  c.cut = best_by_skill(world, k, target);
  world.campaigns.push_back(c);
}

void change_pay(World& world, const Event& ev) {
  const FirmId firm = world.firm_index(ev.firm);
  const double factor = 1.0 + ev.change;
  const std::size_t chunks = chunk_count(world.people.size());
  std::vector<std::int64_t> delta(chunks, 0);
  for_each_chunk(world.people.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (world.people.employer[i] != firm || !covers(ev.who, world.people.flags[i])) continue;
      const float before = world.people.salary[i];
      const float after = bounded_salary(before * factor);
      world.people.salary[i] = after;
      delta[c] += cents(after) - cents(before);
    }
  });
  for (const auto d : delta) world.firms[firm].payroll_cents += d;
  rebuild_salary_histogram(world);
  // A firm-wide change moves the policy for new offers too.
  if (ev.who == Eligibility::kAll) world.firms[firm].pay_base *= factor;
}

void redraw_campaign_targets(World& world, const std::vector<Campaign>& changed) {
  const auto t = static_cast<std::uint32_t>(world.tick);
  for_each_chunk(world.people.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = world.people.employer[i];
      for (const Campaign& c : changed)
        if (campaign_targets(c, f, world.people.skill[i], static_cast<ResearcherId>(i))) {
          schedule_clock(world, static_cast<ResearcherId>(i), t, 1);
          break;
        }
    }
  });
}

}  // namespace

void EventsPhase::apply(World& world, const Event& ev) {
  switch (ev.type) {
    case EventType::kCampaign:
      start_campaign(world, ev);
      campaigns_changed_.push_back(world.campaigns.back());
      break;
    case EventType::kPayChange:
      change_pay(world, ev);
      break;
    case EventType::kPolicy: {
      FirmState& f = world.firms[world.firm_index(ev.firm)];
      const double old_median = f.params.pay.median;
      const double old_appeal = f.params.founder_appeal;
      const ReactiveRaisePolicy old_raise = f.params.reactive_raise;
      const std::optional<double> old_plan = f.params.hiring.plan_growth;
      for (const Setting& s : ev.settings) apply_firm_setting(f.params, s);
      // The choice reads the firm's live appeal, set from the key at the start.
      if (f.params.founder_appeal != old_appeal) f.appeal = f.params.founder_appeal;
      // A new pay median rescales the policy for new offers (not existing salaries).
      if (f.params.pay.median != old_median) f.pay_base *= f.params.pay.median / old_median;
      // A policy switched on, or with other windows, counts afresh from this tick: its
      // normal is what it sees from now on (departures are counted only while it is on).
      const ReactiveRaisePolicy& rr = f.params.reactive_raise;
      if ((rr.enabled && !old_raise.enabled) || rr.window_weeks != old_raise.window_weeks ||
          rr.baseline_weeks != old_raise.baseline_weeks)
        f.restart_covered_counts(world.tick);
      // A new plan growth continues the plan from where it stands now.
      if (f.params.hiring.plan_growth != old_plan) rebase_hiring_plan(f, world.tick, old_plan);
      rates_changed_ = true;
      break;
    }
    case EventType::kWorkload:
      world.firms[world.firm_index(ev.firm)].params.workload = ev.workload;
      break;
    case EventType::kMarket:
      for (const Setting& s : ev.settings) apply_market_setting(world.scenario, s);
      for (const FirmId slot : world.startups.alive) configure_startup(world, world.firms[slot]);
      rates_changed_ = true;
      break;
  }
}

void EventsPhase::run(World& world, TickBuffers& /*tick*/) {
  // A campaign changes the offer rates of the people it targets only; a policy or
  // market event may change everyone's.
  rates_changed_ = false;
  campaigns_changed_.clear();
  for (const Campaign& c : world.campaigns)
    if (c.end_tick < world.tick) campaigns_changed_.push_back(c);
  std::erase_if(world.campaigns, [&](const Campaign& c) { return c.end_tick < world.tick; });
  // The warm-up weeks before week 0 have no events (warm_start.cpp).
  if (!world.warming_up)
    for (const Event& ev : world.scenario.events)
      if (ev.week == world.tick) apply(world, ev);
  if (rates_changed_) {
    build_rate_tables(world);
    redraw_all_clocks(world, true);
  } else if (!campaigns_changed_.empty()) {
    redraw_campaign_targets(world, campaigns_changed_);
  }
}

}  // namespace talentsim
