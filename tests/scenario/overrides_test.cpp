// --set KEY=VALUE overrides: applied to the YAML tree before it is read and checked.
#include <gtest/gtest.h>

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

constexpr std::string_view kTwoFirms = R"(seed: 5
firms:
  - {id: meta, headcount_share: 0.6, pay: &pay {median: 400000, dispersion: 0.3}}
  - {id: google, headcount_share: 0.4, pay: *pay}
events:
  - {type: workload, week: 2, firm: meta, workload: 0.2}
)";

Scenario load_with(std::string_view yaml, const std::vector<std::string>& overrides) {
  return load_scenario(yaml, "test.yaml", overrides);
}

TEST(Overrides, SetValuesAnywhere) {
  const Scenario s =
      load_with(kTwoFirms, {"population.researchers=5000", "firms.google.pay.median=5e5",
                            "startups.enabled=false", "seed=18446744073709551615", "ticks=104",
                            "name=what_if"});
  EXPECT_EQ(s.population.researchers, 5000);
  EXPECT_EQ(s.firms[1].pay.median, 500000.0);
  EXPECT_FALSE(s.startups.enabled);
  EXPECT_EQ(s.seed, 18446744073709551615u);
  EXPECT_EQ(s.ticks, 104);
  EXPECT_EQ(s.name, "what_if");
}

TEST(Overrides, ChangeOnlyTheAliasedCopyTheyName) {
  const Scenario s = load_with(kTwoFirms, {"firms.google.pay.median=300000"});
  EXPECT_EQ(s.firms[0].pay.median, 400000.0);
  EXPECT_EQ(s.firms[1].pay.median, 300000.0);
  EXPECT_EQ(s.firms[1].pay.dispersion, 0.3);
}

TEST(Overrides, LaterOverridesWin) {
  EXPECT_EQ(load_with(kOneFirm, {"ticks=5", "ticks=6"}).ticks, 6);
}

TEST(Overrides, CreateMissingMaps) {
  const Scenario s =
      load_with(kOneFirm, {"firms.meta.hiring.headcount_cap=1.5", "preferences.money_sigma=0.5"});
  EXPECT_EQ(s.firms[0].hiring.headcount_cap, 1.5);
  EXPECT_EQ(s.preferences.money_sigma, 0.5);
}

TEST(Overrides, ValuesAreYaml) {
  const Scenario s =
      load_with(kOneFirm, {"firms.meta.hiring={interview_free: true, lag_weeks: 2}"});
  EXPECT_TRUE(s.firms[0].hiring.interview_free);
  EXPECT_EQ(s.firms[0].hiring.lag_weeks, 2);
}

TEST(Overrides, ReplaceOrIndexEvents) {
  EXPECT_TRUE(load_with(kTwoFirms, {"events=[]"}).events.empty());
  const Scenario s = load_with(kTwoFirms, {"events.0.week=7"});
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].week, 7);
}

TEST(Overrides, InvalidValueNamesTheFlag) {
  const auto e = load_error(kOneFirm, {"firms.meta.pay.median=-1"});
  EXPECT_EQ(e.where().source, "--set firms.meta.pay.median=-1");
  EXPECT_EQ(where(e), "0:0 firms.meta.pay.median");
  EXPECT_EQ(e.problem(), "must be > 0, got -1");
  EXPECT_TRUE(has(e.what(), "--set firms.meta.pay.median=-1: firms.meta.pay.median: must be"));
}

TEST(Overrides, InvalidValueIsCheckedLikeTheFile) {
  const auto e =
      load_error(kOneFirm, {"events=[{type: workload, week: 0, firm: meta, workload: 1}]"});
  EXPECT_EQ(e.where().source, "--set events=[{type: workload, week: 0, firm: meta, workload: 1}]");
  EXPECT_EQ(where(e), "0:0 events[0].week");
  EXPECT_TRUE(has(e.problem(), "must be")) << e.problem();
}

TEST(Overrides, UnknownKeySuggests) {
  const auto e = load_error(kOneFirm, {"population.reserchers=5"});
  EXPECT_EQ(e.where().source, "--set population.reserchers=5");
  EXPECT_EQ(where(e), "0:0 population.reserchers");
  EXPECT_EQ(e.problem(), "unknown key 'reserchers'");
  EXPECT_EQ(e.suggestion(), "researchers");
}

TEST(Overrides, UnknownFirmIdSuggests) {
  const auto e = load_error(kTwoFirms, {"firms.gogle.pay.median=5"});
  EXPECT_EQ(e.where().source, "--set firms.gogle.pay.median=5");
  EXPECT_EQ(e.key_path(), "firms.gogle");
  EXPECT_EQ(e.problem(), "unknown firm id 'gogle'");
  EXPECT_EQ(e.suggestion(), "google");
}

TEST(Overrides, MalformedArguments) {
  const auto no_equals = load_error(kOneFirm, {"ticks"});
  EXPECT_EQ(no_equals.where().source, "--set ticks");
  EXPECT_TRUE(has(no_equals.problem(), "expected KEY=VALUE"));

  const auto no_key = load_error(kOneFirm, {"=5"});
  EXPECT_EQ(no_key.where().source, "--set =5");
  EXPECT_TRUE(has(no_key.problem(), "the key is empty"));

  const auto empty_part = load_error(kOneFirm, {"population..researchers=5"});
  EXPECT_EQ(empty_part.key_path(), "population..researchers");

  const auto bad_yaml = load_error(kOneFirm, {"name=[1"});
  EXPECT_EQ(where(bad_yaml), "0:0 name");
  EXPECT_TRUE(has(bad_yaml.problem(), "YAML syntax error"));

  const auto through_value = load_error(kTwoFirms, {"seed.x=1"});
  EXPECT_EQ(through_value.key_path(), "seed");
  EXPECT_TRUE(has(through_value.problem(), "not a map"));

  const auto bad_index = load_error(kTwoFirms, {"events.4.week=1"});
  EXPECT_EQ(bad_index.key_path(), "events.4");
}

TEST(Overrides, EmptyValueIsNull) {
  const auto e = load_error(kOneFirm, {"ticks="});
  EXPECT_EQ(where(e), "0:0 ticks");
  EXPECT_EQ(e.problem(), "expected an integer, got null");
}

}  // namespace
}  // namespace talentsim
