// Scenarios shared by the model tests, written as YAML so they go through the
// same reader users do.
#pragma once

#include <string>

#include "talentsim/scenario/scenario.hpp"

namespace talentsim::testing {

/// A small market with every mechanism switched on: counter-offers, hiring lags
/// and interview-free offers, a headcount cap, a payroll budget, hiring to openings
/// (academia), reactive raises,
/// startups (founding, team recruiting, failures), independent research, and all
/// five kinds of events.
inline const char* const kEverythingYaml = R"(
name: everything
seed: 4242
ticks: 60
population: {researchers: 30000, between_jobs_share: 0.05, team_size: 6}
choice: {noise: 0.2}
market: {separation_rate: 0.08, offer_rate_employed: 1.5, offer_rate_between_jobs: 8}
startups: {founding_rate: 0.4, funding_climate: 0.5, failure_rate: 0.8, team_offer_rate: 6, max_alive: 40}
independent: {consider_rate: 0.3, value: 0.3}
firms:
  - id: meta
    headcount_share: 0.4
    pay: {median: 400000}
    workload: 0.8
    retention: {counter_offers: all, probability: 0.8, max_raise: 0.3}
    hiring: {lag_weeks: 3}
  - id: deepmind
    headcount_share: 0.3
    skill_shift: 0.3
    pay: {median: 450000, ceiling: 1.5}
    hiring: {interview_free: true, headcount_cap: 1.02}
    retention: {counter_offers: top, probability: 1}
  - id: tesla
    headcount_share: 0.2
    pay: {median: 350000}
    hiring: {payroll_budget: 1.01, lag_weeks: 2}
    reactive_raise: {enabled: true, trigger_departures: 4, window_weeks: 4, raise: 0.1, cooldown_weeks: 10}
  - id: academia
    kind: academia
    headcount_share: 0.1
    pay: {median: 90000, skill_elasticity: 0.2}
    workload: 0.4
    hiring: {plan_growth: 0.1, fill_weeks: 4}
events:
  - {week: 5, type: campaign, firm: meta, target: deepmind, top_share: 0.2, offer_rate_multiplier: 10, appeal_boost: 0.5, weeks: 20}
  - {week: 8, type: policy, firm: meta, set: {hiring.interview_free: true}}
  - {week: 12, type: pay_change, firm: academia, change: 0.05, who: all}
  - {week: 15, type: workload, firm: meta, workload: 0.5}
  - {week: 20, type: market, set: {startups.funding_climate: -1, market.offer_rate_employed: 1.0}}
)";

inline Scenario everything(const std::vector<std::string>& overrides = {}) {
  return load_scenario(kEverythingYaml, "everything.yaml", overrides);
}

}  // namespace talentsim::testing
