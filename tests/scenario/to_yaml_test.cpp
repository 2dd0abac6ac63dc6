// to_yaml: every key written, and load_scenario(to_yaml(s)) gives back s exactly.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <string>

#include "scenario/scenario_test_util.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

using scenario_test::has;
using scenario_test::kOneFirm;

/// Every event type, optional values set and unset, awkward text and numbers.
constexpr std::string_view kRich = R"(name: rich_test
description: "Meta's \"superintelligence\" push: null, true & 1e5 — ünïcode
  on two lines"
seed: 18446744073709551615
ticks: 104
population: {researchers: 250000, between_jobs_share: 0.1, skill_sigma: 0.7071067811865476}
wellbeing: {initial_burnout: 0.30000000000000004}
market:
  offer_rate_employed: 0.8333333333333334
  offer_wages: {source: uniform, min: 123456.789, max: 1e6}
startups: {enabled: false, max_alive: 500, small_size: 1e-300}
firms:
  - id: meta
    name: Meta Superintelligence Labs
    kind: big_tech
    headcount_share: 0.6
    skill_shift: -0.25
    pay: {median: 1.5e6, ceiling: 3}
    recruiting: {share: 0.55, skill_targeting: 2.5}
    hiring: {interview_free: true, headcount_cap: 1.25}
    retention: {counter_offers: top}
    reactive_raise: {enabled: true, who: published}
  - id: openai
    name: "null"
    kind: lab
    headcount_share: 0.4
    pay: {median: 900000}
    recruiting: {share: 0.45}
events:
  - {type: campaign, week: 10, firm: meta, target: openai, top_share: 0.05}
  - {type: pay_change, week: 20, firm: openai, change: -0.05, who: top}
  - type: policy
    week: 30
    firm: meta
    set:
      hiring: {interview_free: false, headcount_cap: null}
      retention.counter_offers: all
  - {type: workload, week: 40, firm: openai, workload: 0.9}
  - type: market
    week: 50
    set: {market.offer_rate_employed: 1.5, startups.funding_climate: "-1"}
)";

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

TEST(ToYaml, DefaultScenarioRoundTrips) {
  const Scenario s = load_scenario(default_scenario_text(), "default");
  const std::string yaml = to_yaml(s);
  EXPECT_EQ(to_yaml(load_scenario(yaml, "resolved")), yaml);
}

TEST(ToYaml, RichScenarioRoundTrips) {
  const Scenario s = load_scenario(kRich, "rich");
  const std::string yaml = to_yaml(s);
  const Scenario back = load_scenario(yaml, "resolved");
  EXPECT_EQ(to_yaml(back), yaml);
  EXPECT_EQ(back.description, s.description);
  EXPECT_EQ(back.firms[1].name, "null");
  EXPECT_EQ(back.seed, 18446744073709551615u);
  EXPECT_EQ(bits(back.population.skill_sigma), bits(0.7071067811865476));
  EXPECT_EQ(bits(*back.wellbeing.initial_burnout), bits(0.30000000000000004));
  EXPECT_EQ(bits(back.startups.small_size), bits(1e-300));
  EXPECT_FALSE(back.firms[1].hiring.headcount_cap.has_value());
  ASSERT_EQ(back.events.size(), 5u);
  EXPECT_EQ(back.events[2].settings.size(), 3u);
  EXPECT_EQ(back.events[4].settings[1].value, "-1");
}

TEST(ToYaml, NumbersRoundTripBitForBit) {
  for (const double x : {0.1, 1.0 / 3.0, 5e-324, 1e-300, 2.2250738585072014e-308, 123456789.123,
                         1.7976931348623157e308, 9007199254740993.0, 400000.0}) {
    Scenario s = load_scenario(kOneFirm, "t");
    s.firms[0].pay.median = x;
    const Scenario back = load_scenario(to_yaml(s), "resolved");
    EXPECT_EQ(bits(back.firms[0].pay.median), bits(x)) << x;
  }
  Scenario s = load_scenario(kOneFirm, "t");
  s.firms[0].skill_shift = -0.0;
  EXPECT_EQ(bits(load_scenario(to_yaml(s), "t").firms[0].skill_shift), bits(-0.0));
}

TEST(ToYaml, WritesEveryKeyInVisitOrder) {
  const std::string yaml = to_yaml(load_scenario(kOneFirm, "t"));
  EXPECT_EQ(
      yaml.rfind("# Resolved talentsim scenario: every key with its value; run it with talentsim "
                 "run FILE\nname: scenario\ndescription: \"\"\nseed: 1\nticks: 52\n",
                 0),
      0u)
      << yaml;
  EXPECT_TRUE(has(yaml, "\n  initial_burnout: null\n"));
  EXPECT_TRUE(has(yaml, "\n    kind: big_tech\n"));
  EXPECT_TRUE(has(yaml, "\n      median: 400000\n"));
  EXPECT_TRUE(has(yaml, "\n      share: 0.95\n"));
  EXPECT_TRUE(has(yaml, "\nevents: []\n"));
  EXPECT_LT(yaml.find("\npopulation:"), yaml.find("\npreferences:"));
  EXPECT_LT(yaml.find("\nindependent:"), yaml.find("\nfirms:"));
}

TEST(ToYaml, EventsWriteTypeAndWeekThenOnlyTheirKeys) {
  const Scenario s = load_scenario(kRich, "rich");
  const std::string yaml = to_yaml(s);
  EXPECT_TRUE(
      has(yaml, "  - type: workload\n    week: 40\n    firm: openai\n    workload: 0.9\n  - "));
  EXPECT_TRUE(has(yaml,
                  "  - type: market\n    week: 50\n    set:\n"
                  "      market.offer_rate_employed: 1.5\n"));
}

}  // namespace
}  // namespace talentsim
