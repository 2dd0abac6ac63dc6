// Cross-field rules, checked by load_scenario (with positions) and validate() (without).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "scenario/scenario_test_util.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

using scenario_test::has;
using scenario_test::kOneFirm;
using scenario_test::load_error;
using scenario_test::where;
using scenario_test::with_firm;

/// The ScenarioError validate() throws; fails the test if none.
ScenarioError validate_error(const Scenario& s) {
  try {
    validate(s);
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError from validate()";
  return ScenarioError({}, "", "(no error)");
}

Scenario one_firm() { return load_scenario(kOneFirm, "test.yaml"); }

TEST(Rules, NeedAtLeastOneFirm) {
  const auto absent = load_error("ticks: 5\n");
  EXPECT_EQ(where(absent), "1:1 firms");
  EXPECT_EQ(absent.problem(), "a scenario needs at least one firm");
  EXPECT_EQ(where(load_error("firms: []\n")), "1:8 firms");
}

TEST(Rules, AtMostMaxNamedFirms) {
  Scenario s = one_firm();
  s.firms.resize(kMaxNamedFirms + 1, s.firms[0]);
  const auto e = validate_error(s);
  EXPECT_EQ(e.key_path(), "firms");
  EXPECT_EQ(e.problem(), "has 1001 firms; at most 1000 are allowed");
}

TEST(Rules, FirmIdsAreUnique) {
  const auto e = load_error(R"(firms:
  - {id: meta, headcount_share: 0.5, pay: {median: 1}}
  - {id: meta, headcount_share: 0.5, pay: {median: 1}}
)");
  EXPECT_EQ(where(e), "3:10 firms[1].id");
  EXPECT_EQ(e.problem(), "duplicate firm id 'meta' (also firms[0])");
}

TEST(Rules, ReservedFirmIds) {
  for (const std::string id : {"between_jobs", "startup", "startups", "independent"}) {
    const auto e = load_error("firms: [{id: " + id + ", headcount_share: 1, pay: {median: 1}}]\n");
    EXPECT_EQ(where(e), "1:14 firms[0].id");
    EXPECT_TRUE(has(e.problem(), "'" + id + "' is reserved")) << id;
  }
}

TEST(Rules, HeadcountSharesSumToOne) {
  const auto e = load_error(R"(firms:
  - {id: a, headcount_share: 0.5, pay: {median: 1}}
  - {id: b, headcount_share: 0.4, pay: {median: 1}}
)");
  EXPECT_EQ(where(e), "2:3 firms");
  EXPECT_EQ(e.problem(),
            "headcount_share over the firms sums to 0.9; it must sum to 1; the shares: a 0.5 "
            "(test.yaml:2:30), b 0.4 (test.yaml:3:30)");

  // Within 1e-6 of 1 is close enough.
  EXPECT_NO_THROW(load_scenario(R"(firms:
  - {id: a, headcount_share: 0.3333333, pay: {median: 1}}
  - {id: b, headcount_share: 0.3333333, pay: {median: 1}}
  - {id: c, headcount_share: 0.3333333, pay: {median: 1}}
)",
                                "t"));
}

constexpr std::string_view kTwoFirms = R"(firms:
  - {id: a, headcount_share: 0.6, pay: {median: 1}}
  - {id: b, headcount_share: 0.4, pay: {median: 1}}
)";

TEST(RecruitingShares, DefaultToHeadcountSharesOfWhatStartupsLeave) {
  const Scenario s = load_scenario(kTwoFirms, "t");
  EXPECT_DOUBLE_EQ(*s.firms[0].recruiting.share, 0.6 * 0.95);
  EXPECT_DOUBLE_EQ(*s.firms[1].recruiting.share, 0.4 * 0.95);

  const Scenario custom =
      load_scenario(std::string(kTwoFirms) + "startups: {recruiting_share: 0.2}\n", "t");
  EXPECT_DOUBLE_EQ(*custom.firms[0].recruiting.share, 0.6 * 0.8);

  const Scenario disabled =
      load_scenario(std::string(kTwoFirms) + "startups: {enabled: false}\n", "t");
  EXPECT_EQ(*disabled.firms[0].recruiting.share, 0.6);
  EXPECT_EQ(*disabled.firms[1].recruiting.share, 0.4);
}

TEST(RecruitingShares, GivenSharesPlusStartupsSumToOne) {
  const Scenario s = load_scenario(R"(firms:
  - {id: a, headcount_share: 0.6, pay: {median: 1}, recruiting: {share: 0.5}}
  - {id: b, headcount_share: 0.4, pay: {median: 1}, recruiting: {share: 0.45}}
)",
                                   "t");
  EXPECT_EQ(*s.firms[0].recruiting.share, 0.5);
  EXPECT_EQ(*s.firms[1].recruiting.share, 0.45);

  const auto e = load_error(R"(firms:
  - {id: a, headcount_share: 0.6, pay: {median: 1}, recruiting: {share: 0.5}}
  - {id: b, headcount_share: 0.4, pay: {median: 1}, recruiting: {share: 0.5}}
)");
  EXPECT_EQ(where(e), "2:3 firms");
  EXPECT_EQ(e.problem(),
            "recruiting.share over the firms plus 0.05 for startups sums to 1.05; it must sum to "
            "1; the shares: a 0.5 (test.yaml:2:73), b 0.5 (test.yaml:3:73), startups 0.05 (the "
            "default startups.recruiting_share)");
}

TEST(RecruitingShares, AllOrNone) {
  const auto e = load_error(R"(firms:
  - {id: a, headcount_share: 0.6, pay: {median: 1}, recruiting: {share: 0.95}}
  - {id: b, headcount_share: 0.4, pay: {median: 1}}
)");
  EXPECT_EQ(where(e), "3:5 firms.b.recruiting.share");
  EXPECT_EQ(e.problem(),
            "is missing here but given for firm 'a'; give recruiting.share for every firm or for "
            "none");
}

TEST(Rules, UniformOfferWagesNeedMinBelowMax) {
  const auto e =
      load_error(with_firm("market: {offer_wages: {source: uniform, min: 5e5, max: 4e5}}\n"));
  EXPECT_EQ(where(e), "2:56 market.offer_wages.max");
  EXPECT_EQ(e.problem(),
            "must be greater than market.offer_wages.min (500000) when source is uniform, got "
            "400000");
  // The same wages are fine when offers follow pay policies.
  EXPECT_NO_THROW(load_scenario(
      with_firm("market: {offer_wages: {source: pay_policy, min: 5e5, max: 4e5}}\n"), "t"));
}

TEST(Rules, PopulationMustFitInMemory) {
  const double memory =
      static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  if (4e9 * 64.0 <= 0.8 * memory) GTEST_SKIP() << "this machine has room for 4e9 researchers";
  const auto e = load_error(with_firm("population: {researchers: 4e9}\n"));
  EXPECT_EQ(where(e), "2:27 population.researchers");
  EXPECT_TRUE(has(e.problem(), "needs 238 GiB but this machine has "));
}

// An event after the last week is not an error: a shorter run (--ticks) does not reach it.
TEST(EventRules, EventsAfterTheLastWeekAreNotReached) {
  const std::string events =
      "events:\n"
      "  - {type: workload, week: 11, firm: meta, workload: 0.5}\n"
      "  - {type: workload, week: 10, firm: meta, workload: 0.6}\n"
      "  - {type: market, week: 12, set: {market.separation_rate: 0.2}}\n";
  const Scenario s = load_scenario(with_firm("ticks: 10\n" + events), "t");
  EXPECT_EQ(events_not_reached(s), (std::vector<std::size_t>{0, 2}));
  EXPECT_NO_THROW(validate(s));
  const Scenario longer = load_scenario(with_firm("ticks: 10\n" + events), "t", {"ticks=12"});
  EXPECT_TRUE(events_not_reached(longer).empty());
  // Weeks are still checked: at least 1.
  const auto e = load_error(
      with_firm("ticks: 10\nevents: [{type: workload, week: 0, firm: meta, workload: 0.5}]\n"));
  EXPECT_EQ(where(e), "3:33 events[0].week");
}

TEST(EventRules, FirmsMustBeKnown) {
  const auto firm =
      load_error(with_firm("events: [{type: workload, week: 1, firm: mata, workload: 0.5}]\n"));
  EXPECT_EQ(where(firm), "2:42 events[0].firm");
  EXPECT_EQ(firm.problem(), "unknown firm 'mata'");
  EXPECT_EQ(firm.suggestion(), "meta");

  const auto target =
      load_error(with_firm("events: [{type: campaign, week: 1, firm: meta, target: googl}]\n"));
  EXPECT_EQ(target.key_path(), "events[0].target");
  EXPECT_EQ(target.problem(), "unknown firm 'googl'");
}

TEST(EventRules, CampaignTargetsAnotherFirm) {
  const auto e =
      load_error(with_firm("events: [{type: campaign, week: 1, firm: meta, target: meta}]\n"));
  EXPECT_EQ(where(e), "2:56 events[0].target");
  EXPECT_TRUE(has(e.problem(), "must target another firm"));
}

TEST(EventRules, PolicySettingsAreCheckedAgainstTheFirm) {
  const auto value = load_error(with_firm(R"(events:
  - type: policy
    week: 3
    firm: meta
    set:
      hiring: {interview_free: perhaps}
)"));
  EXPECT_EQ(where(value), "7:32 events[0].set.hiring.interview_free");
  EXPECT_EQ(value.problem(), "expected true or false, got 'perhaps'");

  const auto key = load_error(with_firm(
      "events: [{type: policy, week: 3, firm: meta, set: {hiring.intervew_free: true}}]\n"));
  EXPECT_EQ(key.key_path(), "events[0].set.hiring.intervew_free");
  EXPECT_EQ(key.suggestion(), "interview_free");

  const auto fixed = load_error(
      with_firm("events: [{type: policy, week: 3, firm: meta, set: {headcount_share: 0.5}}]\n"));
  EXPECT_TRUE(has(fixed.problem(), "is fixed at the start"));
}

TEST(EventRules, MarketSettingsAreCheckedAgainstTheMarket) {
  const auto e = load_error(
      with_firm("events: [{type: market, week: 3, set: {market.offer_rate_employed: -1}}]\n"));
  EXPECT_EQ(where(e), "2:68 events[0].set.market.offer_rate_employed");
  EXPECT_EQ(e.problem(), "must be in [0, 520], got -1");

  const Scenario s = load_scenario(
      with_firm("events: [{type: market, week: 3, set: {startups: {funding_climate: -1}}}]\n"),
      "t");
  ASSERT_EQ(s.events.at(0).settings.size(), 1u);
  EXPECT_EQ(s.events[0].settings[0].key, "startups.funding_climate");
}

TEST(Validate, AcceptsALoadedScenario) {
  const Scenario s = load_scenario(default_scenario_text(), "default");
  EXPECT_NO_THROW(validate(s));
}

TEST(Validate, ChecksFieldRangesWithoutPositions) {
  Scenario s = one_firm();
  s.wellbeing.fresh_start_relief = 2.0;
  const auto e = validate_error(s);
  EXPECT_EQ(e.where().source, "");
  EXPECT_EQ(e.where().line, 0);
  EXPECT_EQ(e.key_path(), "wellbeing.fresh_start_relief");
  EXPECT_EQ(e.problem(), "must be in [0, 1], got 2");
}

TEST(Validate, AddressesFirmsById) {
  Scenario s = one_firm();
  s.firms[0].pay.median = std::numeric_limits<double>::quiet_NaN();
  const auto e = validate_error(s);
  EXPECT_EQ(e.key_path(), "firms.meta.pay.median");
  EXPECT_TRUE(has(e.problem(), "must be a finite number"));
}

TEST(Validate, ChecksEventSettings) {
  Scenario s = one_firm();
  Event event;
  event.type = EventType::kPolicy;
  event.firm = "meta";
  event.settings = {{"hiring.lag_weeks", "-2"}};
  s.events.push_back(event);
  const auto e = validate_error(s);
  EXPECT_EQ(e.key_path(), "events[0].set.hiring.lag_weeks");
  EXPECT_TRUE(has(e.problem(), "must be an integer in [0, 520]"));
}

}  // namespace
}  // namespace talentsim

namespace talentsim {
namespace {

TEST(Rules, AFirmWithNoStartingStaffCannotHaveRelativeLimits) {
  const auto e = scenario_test::load_error(R"(firms:
  - {id: a, headcount_share: 1, pay: {median: 1}}
  - {id: b, headcount_share: 0, pay: {median: 1}, hiring: {headcount_cap: 2}}
)");
  EXPECT_EQ(e.key_path(), "firms.b.hiring.headcount_cap");
  EXPECT_TRUE(scenario_test::has(e.problem(), "never hire"));
}

}  // namespace
}  // namespace talentsim
