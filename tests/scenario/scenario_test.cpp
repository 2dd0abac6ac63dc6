// Reading scenarios: strict errors with file:line:column and key paths, the embedded default.
#include "talentsim/scenario/scenario.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "scenario/scenario_test_util.hpp"

namespace talentsim {
namespace {

using scenario_test::has;
using scenario_test::kOneFirm;
using scenario_test::load_error;
using scenario_test::where;
using scenario_test::with_firm;

TEST(LoadScenario, EmbeddedDefaultLoads) {
  const Scenario s = load_scenario(default_scenario_text(), std::string(kDefaultScenarioSource));
  EXPECT_EQ(s.name, "meta_2024");
}

TEST(LoadScenario, FillsInDefaults) {
  const Scenario s = load_scenario(kOneFirm, "test.yaml");
  ASSERT_EQ(s.firms.size(), 1u);
  EXPECT_EQ(s.firms[0].id, "meta");
  EXPECT_EQ(s.firms[0].pay.median, 400000.0);
  EXPECT_EQ(s.firms[0].hiring.lag_weeks, HiringPolicy{}.lag_weeks);
  EXPECT_EQ(s.population.researchers, PopulationParams{}.researchers);
  EXPECT_TRUE(s.events.empty());
}

TEST(ReadErrors, UnknownKeyPointsAtTheKeyAndSuggests) {
  const auto e = load_error(with_firm("population: {reserchers: 5000}\n"));
  EXPECT_EQ(where(e), "2:14 population.reserchers");
  EXPECT_EQ(e.where().source, "test.yaml");
  EXPECT_EQ(e.problem(), "unknown key 'reserchers'");
  EXPECT_EQ(e.suggestion(), "researchers");
  EXPECT_TRUE(has(e.what(), "test.yaml:2:14: population.reserchers: unknown key"));
}

TEST(ReadErrors, UnknownKeyInAFirmIsAddressedByItsId) {
  // The misspelt key also leaves `median` missing; the unknown key is the better report.
  const auto e = load_error(R"(firms:
  - id: meta
    headcount_share: 1
    pay: {medain: 400000}
)");
  EXPECT_EQ(where(e), "4:11 firms.meta.pay.medain");
  EXPECT_EQ(e.suggestion(), "median");
}

TEST(ReadErrors, UnknownTopLevelKeySuggestsFirms) {
  const auto e = load_error(with_firm("firm: []\n"));
  EXPECT_EQ(where(e), "2:1 firm");
  EXPECT_EQ(e.suggestion(), "firms");
}

TEST(ReadErrors, MissingRequiredKeyPointsAtTheEnclosingMap) {
  const auto e = load_error(R"(firms:
  - id: meta
    headcount_share: 1
    pay: {dispersion: 0.3}
)");
  EXPECT_EQ(where(e), "4:10 firms.meta.pay.median");
  EXPECT_EQ(e.problem(), "missing required key 'median'");
}

TEST(ReadErrors, MissingSectionReportsItsRequiredKeyAtTheFirm) {
  const auto e = load_error(R"(firms:
  - id: meta
    headcount_share: 1
)");
  EXPECT_EQ(where(e), "2:5 firms.meta.pay.median");
  EXPECT_EQ(e.problem(), "missing required key 'median'");
}

TEST(ReadErrors, FirmWithoutAValidIdIsAddressedByIndex) {
  const auto missing = load_error("firms: [{headcount_share: 1, pay: {median: 1}}]\n");
  EXPECT_EQ(where(missing), "1:9 firms[0].id");
  EXPECT_EQ(missing.problem(), "missing required key 'id'");

  const auto invalid = load_error("firms: [{id: Meta, headcount_share: 1, pay: {median: 1}}]\n");
  EXPECT_EQ(where(invalid), "1:14 firms[0].id");
  EXPECT_TRUE(has(invalid.problem(), "expected an identifier"));
}

TEST(ReadErrors, WrongTypes) {
  const auto map = load_error(with_firm("ticks: {weeks: 5}\n"));
  EXPECT_EQ(where(map), "2:8 ticks");
  EXPECT_EQ(map.problem(), "expected an integer, got a map");

  const auto list = load_error(with_firm("name: [a, b]\n"));
  EXPECT_EQ(where(list), "2:7 name");
  EXPECT_EQ(list.problem(), "expected an identifier, got a list");

  const auto text = load_error(with_firm("choice: {noise: fast}\n"));
  EXPECT_EQ(where(text), "2:17 choice.noise");
  EXPECT_EQ(text.problem(), "expected a finite number, got 'fast'");

  const auto section = load_error(with_firm("choice: 5\n"));
  EXPECT_EQ(where(section), "2:9 choice");
  EXPECT_EQ(section.problem(), "expected a map of keys, got '5'");
}

TEST(ReadErrors, IntegersMustBeIntegral) {
  const auto e = load_error(with_firm("population: {researchers: 1.5}\n"));
  EXPECT_EQ(where(e), "2:27 population.researchers");
  EXPECT_EQ(e.problem(), "expected an integer, got '1.5'");
}

TEST(LoadScenario, AcceptsIntegralFloatsForIntegers) {
  const Scenario s =
      load_scenario(with_firm("population: {researchers: 1e6, team_size: 100.0}\n"), "t");
  EXPECT_EQ(s.population.researchers, 1'000'000);
  EXPECT_EQ(s.population.team_size, 100);
}

TEST(ReadErrors, NonFiniteNumbers) {
  for (const char* value : {".nan", ".inf", "-.inf", "1e999"}) {
    const auto e = load_error(with_firm(std::string("wellbeing: {contagion: ") + value + "}\n"));
    EXPECT_EQ(where(e), "2:24 wellbeing.contagion") << value;
    EXPECT_EQ(e.problem(), std::string("expected a finite number, got '") + value + "'");
  }
}

TEST(ReadErrors, OutOfRange) {
  const auto e = load_error(with_firm("wellbeing: {fresh_start_relief: 1.5}\n"));
  EXPECT_EQ(where(e), "2:33 wellbeing.fresh_start_relief");
  EXPECT_EQ(e.problem(), "must be in [0, 1], got 1.5");

  const auto i = load_error(with_firm("ticks: 0\n"));
  EXPECT_EQ(i.problem(), "must be an integer in [1, 60000], got 0");
}

TEST(ReadErrors, Booleans) {
  const auto e = load_error(with_firm("startups: {enabled: maybe}\n"));
  EXPECT_EQ(where(e), "2:21 startups.enabled");
  EXPECT_EQ(e.problem(), "expected true or false, got 'maybe'");

  const Scenario s = load_scenario(with_firm("startups: {enabled: off}\n"), "t");
  EXPECT_FALSE(s.startups.enabled);
  EXPECT_TRUE(load_scenario(with_firm("startups: {enabled: yes}\n"), "t").startups.enabled);
}

TEST(ReadErrors, Identifiers) {
  const auto e = load_error(with_firm("name: Meta 2024\n"));
  EXPECT_EQ(where(e), "2:7 name");
  EXPECT_TRUE(has(e.problem(), "expected an identifier ([a-z][a-z0-9_]*"));
  EXPECT_TRUE(has(e.problem(), "got 'Meta 2024'"));
}

TEST(ReadErrors, EnumsSuggestTheClosestName) {
  const auto e = load_error(with_firm("market: {offer_wages: {source: unifrom}}\n"));
  EXPECT_EQ(where(e), "2:32 market.offer_wages.source");
  EXPECT_EQ(e.problem(), "expected one of pay_policy, uniform, got 'unifrom'");
  EXPECT_EQ(e.suggestion(), "uniform");
}

TEST(ReadErrors, NullWhereAValueIsNeeded) {
  const auto e = load_error(with_firm("ticks: null\n"));
  EXPECT_EQ(where(e), "2:8 ticks");
  EXPECT_EQ(e.problem(), "expected an integer, got null");
}

TEST(LoadScenario, OptionalNumbersAcceptNull) {
  EXPECT_FALSE(load_scenario(with_firm("wellbeing: {initial_burnout: null}\n"), "t")
                   .wellbeing.initial_burnout.has_value());
  EXPECT_EQ(load_scenario(with_firm("wellbeing: {initial_burnout: 0.25}\n"), "t")
                .wellbeing.initial_burnout,
            0.25);
}

TEST(ReadErrors, DuplicateKeys) {
  const auto e = load_error(with_firm("seed: 1\nticks: 10\nseed: 2\n"));
  EXPECT_EQ(where(e), "4:1 seed");
  EXPECT_EQ(e.problem(), "duplicate key 'seed' (first at line 2)");

  const auto nested =
      load_error("firms: [{id: meta, headcount_share: 1, pay: {median: 1, median: 2}}]\n");
  EXPECT_EQ(where(nested), "1:57 firms.meta.pay.median");
  EXPECT_EQ(nested.problem(), "duplicate key 'median' (first at line 1)");
}

TEST(ReadErrors, KeysAreText) {
  const auto e = load_error(with_firm("? [a, b]\n: 1\n"));
  EXPECT_EQ(where(e), "2:3 ");
  EXPECT_EQ(e.problem(), "a key must be plain text, got a list");
}

TEST(ReadErrors, YamlSyntaxError) {
  const auto e = load_error(with_firm("ticks: [1, 2\nname: x\n"));
  EXPECT_EQ(e.where().source, "test.yaml");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_GT(e.where().column, 0);
  EXPECT_TRUE(has(e.problem(), "YAML syntax error: "));
}

TEST(ReadErrors, DeepNestingIsASyntaxError) {
  const auto e = load_error("ticks: " + std::string(600, '[') + std::string(600, ']') + "\n");
  EXPECT_EQ(e.where().line, 1);
  EXPECT_TRUE(has(e.problem(), "YAML syntax error: nested more than"));
}

TEST(ReadErrors, EmptyScenarios) {
  for (const char* yaml : {"", "# only\n# comments\n", "---\n", "~\n"}) {
    const auto e = load_error(yaml);
    EXPECT_EQ(e.problem(), "the scenario is empty") << yaml;
    EXPECT_EQ(e.where().source, "test.yaml");
    EXPECT_GE(e.where().line, 1);
  }
}

TEST(ReadErrors, TopLevelMustBeAMap) {
  const auto list = load_error("- a\n- b\n");
  EXPECT_EQ(where(list), "1:1 ");
  EXPECT_EQ(list.problem(), "a scenario is a map of keys, got a list");
  EXPECT_EQ(load_error("hello\n").problem(), "a scenario is a map of keys, got 'hello'");
}

TEST(ReadErrors, OnlyOneDocument) {
  const auto e = load_error(with_firm("---\nticks: 5\n"));
  EXPECT_EQ(e.where().line, 2);
  EXPECT_TRUE(has(e.problem(), "a second YAML document"));
}

TEST(ReadErrors, EventsNeedAType) {
  const auto e = load_error(with_firm("events:\n  - {week: 3, firm: meta}\n"));
  EXPECT_EQ(where(e), "3:5 events[0].type");
  EXPECT_EQ(e.problem(), "missing required key 'type'");
}

TEST(ReadErrors, EventKeysOfAnotherTypeAreUnknown) {
  const auto e = load_error(with_firm(
      "events:\n  - {type: pay_change, week: 3, firm: meta, change: 0.1, target: meta}\n"));
  EXPECT_EQ(where(e), "3:58 events[0].target");
  EXPECT_EQ(e.problem(), "unknown key 'target'");
}

TEST(LoadScenario, EventSettingsFlattenNestedMaps) {
  const Scenario s = load_scenario(with_firm(R"(events:
  - type: policy
    week: 3
    firm: meta
    set:
      hiring: {interview_free: true, headcount_cap: null}
      retention.counter_offers: top
)"),
                                   "t");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].type, EventType::kPolicy);
  ASSERT_EQ(s.events[0].settings.size(), 3u);
  EXPECT_EQ(s.events[0].settings[0].key, "hiring.interview_free");
  EXPECT_EQ(s.events[0].settings[0].value, "true");
  EXPECT_EQ(s.events[0].settings[1].key, "hiring.headcount_cap");
  EXPECT_EQ(s.events[0].settings[1].value, "null");
  EXPECT_EQ(s.events[0].settings[2].key, "retention.counter_offers");
  EXPECT_EQ(s.events[0].settings[2].value, "top");
}

TEST(ReadErrors, EventSettingWrittenTwoWaysIsADuplicate) {
  const auto e = load_error(with_firm(R"(events:
  - type: policy
    week: 3
    firm: meta
    set:
      hiring.lag_weeks: 2
      hiring: {lag_weeks: 3}
)"));
  EXPECT_EQ(where(e), "8:16 events[0].set.hiring.lag_weeks");
  EXPECT_EQ(e.problem(), "duplicate key 'hiring.lag_weeks' (first at line 7)");
}

TEST(ReadErrors, EventSettingValuesAreScalars) {
  const auto e = load_error(
      with_firm("events: [{type: policy, week: 3, firm: meta, set: {hiring.lag_weeks: [1]}}]\n"));
  EXPECT_EQ(e.key_path(), "events[0].set.hiring.lag_weeks");
  EXPECT_EQ(e.problem(), "expected a single value, got a list");
}

// --- aliases ---------------------------------------------------------------

TEST(Aliases, BillionLaughsIsRejectedQuickly) {
  std::string yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  const std::string names = "abcdefghi";
  for (std::size_t level = 1; level < names.size(); ++level) {
    const std::string alias = "*" + names.substr(level - 1, 1);
    yaml += names.substr(level, 1) + ": &" + names.substr(level, 1) + " [";
    for (int i = 0; i < 9; ++i) yaml += (i > 0 ? ", " : "") + alias;
    yaml += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto e = load_error(yaml);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.problem(), "alias expansion too large (an alias bomb?)");
  // 9^7 nodes first exceed the limit, at line 7 ("g: &g [*f, ...").
  EXPECT_EQ(e.where().line, 7);
  EXPECT_GT(e.where().column, 7);
  EXPECT_LT(elapsed.count(), 1.0);
}

TEST(Aliases, HarmlessAliasesWork) {
  const Scenario s = load_scenario(R"(firms:
  - {id: meta, headcount_share: 0.5, pay: &pay {median: 400000, dispersion: 0.3}}
  - {id: google, headcount_share: 0.5, pay: *pay}
)",
                                   "t");
  ASSERT_EQ(s.firms.size(), 2u);
  EXPECT_EQ(s.firms[1].pay.median, 400000.0);
  EXPECT_EQ(s.firms[1].pay.dispersion, 0.3);
}

TEST(Aliases, AnAliasCannotContainItself) {
  const auto e = load_error(with_firm("ticks: &a [*a]\n"));
  EXPECT_EQ(where(e), "2:12 ");
  EXPECT_TRUE(has(e.problem(), "cannot refer to a node that contains it"));
}

}  // namespace
}  // namespace talentsim
