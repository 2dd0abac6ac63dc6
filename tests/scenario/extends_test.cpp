// `extends:`: a scenario laid over a base scenario.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/scenario_test_util.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

using scenario_test::file_error;
using scenario_test::has;
namespace fs = std::filesystem;

class ExtendsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("talentsim_extends_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_ / "what_if");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, std::string_view content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  fs::path dir_;
};

constexpr std::string_view kBase = R"(name: base
ticks: 20
market: {separation_rate: 0.1, offer_rate_employed: 2}
firms:
  - {id: meta, headcount_share: 0.6, pay: {median: 400000, dispersion: 0.3}, workload: 0.8}
  - {id: lab, headcount_share: 0.4, pay: {median: 500000}}
events:
  - {week: 3, type: workload, firm: meta, workload: 0.5}
)";

TEST_F(ExtendsTest, MergesMapsKeyByKeyAndFirmsById) {
  write("base.yaml", kBase);
  const auto path = write("what_if/child.yaml", R"(extends: ../base.yaml
name: child
market: {offer_rate_employed: 3}
firms:
  - {id: meta, pay: {median: 450000}}
)");
  const Scenario s = load_scenario_file(path);
  EXPECT_EQ(s.name, "child");
  EXPECT_EQ(s.ticks, 20);                        // from the base
  EXPECT_EQ(s.market.separation_rate, 0.1);      // base key kept beside ...
  EXPECT_EQ(s.market.offer_rate_employed, 3.0);  // ... the child's
  ASSERT_EQ(s.firms.size(), 2u);
  EXPECT_EQ(s.firms[0].pay.median, 450000.0);  // merged by id
  EXPECT_EQ(s.firms[0].pay.dispersion, 0.3);
  EXPECT_EQ(s.firms[0].workload, 0.8);
  EXPECT_EQ(s.firms[1].pay.median, 500000.0);
  ASSERT_EQ(s.events.size(), 1u);  // not given: inherited
}

TEST_F(ExtendsTest, OtherListsReplaceTheBase) {
  write("base.yaml", kBase);
  const auto path = write("child.yaml", "extends: base.yaml\nevents: []\n");
  EXPECT_TRUE(load_scenario_file(path).events.empty());
}

TEST_F(ExtendsTest, EventsPlusAppendsToTheBasesEvents) {
  write("base.yaml", kBase);
  const auto path = write("child.yaml", R"(extends: base.yaml
events+:
  - {week: 5, type: workload, firm: lab, workload: 0.7}
  - {week: 6, type: pay_change, firm: meta, change: 0.1}
)");
  const Scenario s = load_scenario_file(path);
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_EQ(s.events[0].week, 3);  // the base's first
  EXPECT_EQ(s.events[0].firm, "meta");
  EXPECT_EQ(s.events[1].week, 5);
  EXPECT_EQ(s.events[1].firm, "lab");
  EXPECT_EQ(s.events[2].type, EventType::kPayChange);
}

TEST_F(ExtendsTest, AnAppendedEventsErrorsPointIntoTheFileThatAddedIt) {
  write("base.yaml", kBase);
  const auto path = write("child.yaml", R"(extends: base.yaml
events+:
  - {week: 5, type: workload, firm: labb, workload: 0.7}
)");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.key_path(), "events[1].firm");
  EXPECT_EQ(e.suggestion(), "lab");
}

TEST_F(ExtendsTest, EventsReplacesThenEventsPlusAppends) {
  write("base.yaml", kBase);
  const auto path = write("child.yaml", R"(extends: base.yaml
events+: [{week: 7, type: workload, firm: lab, workload: 0.7}]
events: [{week: 2, type: workload, firm: meta, workload: 0.6}]
)");
  const Scenario s = load_scenario_file(path);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].week, 2);
  EXPECT_EQ(s.events[1].week, 7);
}

TEST_F(ExtendsTest, EventsPlusWorksInAStandaloneFileAndWithSet) {
  const auto path = write("alone.yaml", std::string(kBase) +
                                            "events+: [{week: 4, type: workload, firm: lab, "
                                            "workload: 0.7}]\n");
  const Scenario s = load_scenario_file(path);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[1].week, 4);

  const Scenario set =
      load_scenario_file(path, {"events+=[{week: 9, type: pay_change, firm: meta, change: 0.05}]"});
  ASSERT_EQ(set.events.size(), 3u);
  EXPECT_EQ(set.events[2].week, 9);

  // Without any `events:`, events+ starts the list.
  const Scenario fresh =
      load_scenario(std::string(scenario_test::kOneFirm) +
                        "events+: [{week: 1, type: workload, firm: meta, workload: 0.5}]\n",
                    "test.yaml");
  ASSERT_EQ(fresh.events.size(), 1u);
}

TEST_F(ExtendsTest, EventsPlusMustBeAListAndGivenOnce) {
  write("base.yaml", kBase);
  const ScenarioError not_list =
      file_error(write("a.yaml", "extends: base.yaml\nevents+: {week: 1}\n"));
  EXPECT_EQ(not_list.where().line, 2);
  EXPECT_EQ(not_list.key_path(), "events+");
  EXPECT_TRUE(has(not_list.problem(), "expected a list of events")) << not_list.what();

  const ScenarioError twice =
      file_error(write("b.yaml", "extends: base.yaml\nevents+: []\nevents+: []\n"));
  EXPECT_EQ(twice.where().line, 3);
  EXPECT_EQ(twice.problem(), "duplicate key 'events+' (first at line 2)");

  const ScenarioError alone = scenario_test::load_error(std::string(scenario_test::kOneFirm) +
                                                        "events+: []\nevents+: []\n");
  EXPECT_EQ(alone.where().line, 3);
  EXPECT_EQ(alone.problem(), "duplicate key 'events+' (first at line 2)");
}

TEST_F(ExtendsTest, NewFirmsAreAddedAndStillChecked) {
  write("base.yaml", kBase);
  const auto path = write("child.yaml", R"(extends: base.yaml
firms:
  - {id: newco, headcount_share: 0.1, pay: {median: 100000}}
)");
  // Three firms now, with shares summing to 1.1: the merged scenario is validated, and the
  // error points at the new firm's share, in the file that added it.
  const ScenarioError e = file_error(path);
  EXPECT_TRUE(has(e.problem(), "sum")) << e.what();
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.key_path(), "firms.newco.headcount_share");
}

TEST_F(ExtendsTest, ErrorsPointIntoTheFileTheValueCameFrom) {
  write("base.yaml", std::string(kBase) + "choice: {noise: -1}\n");
  const auto path = write("child.yaml", "extends: base.yaml\nname: child\n");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.where().source, (dir_ / "base.yaml").string());
  EXPECT_EQ(e.where().line, 9);
  EXPECT_EQ(e.key_path(), "choice.noise");
}

constexpr std::string_view kBaseWithShares = R"(name: base
firms:
  - {id: meta, headcount_share: 0.6, pay: {median: 400000}, recruiting: {share: 0.5}}
  - {id: lab, headcount_share: 0.4, pay: {median: 500000}, recruiting: {share: 0.45}}
)";

TEST_F(ExtendsTest, ASumMadeWrongByTheExtendingFileIsReportedThereWithEveryShare) {
  write("base.yaml", kBaseWithShares);
  const auto path = write("child.yaml", R"(extends: base.yaml
firms:
  - id: meta
    recruiting: {share: 0.55}
)");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.where().line, 4);
  EXPECT_EQ(e.key_path(), "firms.meta.recruiting.share");
  const std::string base = (dir_ / "base.yaml").string();
  EXPECT_EQ(e.problem(),
            "recruiting.share over the firms plus 0.05 for startups sums to 1.05; it must sum to "
            "1; the shares: meta 0.55 (" +
                path.string() + ":4:25), lab 0.45 (" + base +
                ":4:80), startups 0.05 (the default startups.recruiting_share)");
}

TEST_F(ExtendsTest, ASumMadeWrongByASetIsReportedAtTheSet) {
  write("base.yaml", kBaseWithShares);
  const auto path = write("child.yaml", "extends: base.yaml\nname: child\n");
  try {
    load_scenario_file(path, {"firms.lab.recruiting.share=0.5"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.where().source, "--set firms.lab.recruiting.share=0.5");
    EXPECT_EQ(e.key_path(), "firms.lab.recruiting.share");
    EXPECT_TRUE(has(e.problem(), "sums to 1.05")) << e.what();
    EXPECT_TRUE(has(e.problem(), "lab 0.5 (--set firms.lab.recruiting.share=0.5)")) << e.what();
  }
  // The embedded default, as `talentsim run --set ...` reads it.
  try {
    load_scenario(default_scenario_text(), std::string(kDefaultScenarioSource),
                  {"firms.meta.recruiting.share=0.5"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.where().source, "--set firms.meta.recruiting.share=0.5");
    EXPECT_EQ(e.key_path(), "firms.meta.recruiting.share");
  }
}

TEST_F(ExtendsTest, ASumMadeWrongByAStartupShareIsReportedThere) {
  write("base.yaml", kBaseWithShares);
  const auto path = write("child.yaml", "extends: base.yaml\nstartups: {recruiting_share: 0.1}\n");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.key_path(), "startups.recruiting_share");
}

TEST_F(ExtendsTest, AMissingBaseIsReportedAtTheExtendsKey) {
  const auto path = write("child.yaml", "name: child\nextends: nowhere.yaml\n");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.key_path(), "extends");
  EXPECT_TRUE(has(e.problem(), "nowhere.yaml"));
}

TEST_F(ExtendsTest, CyclesAreRejected) {
  write("a.yaml", "extends: b.yaml\n");
  const auto path = write("b.yaml", "extends: a.yaml\n");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.key_path(), "extends");
  EXPECT_TRUE(has(e.problem(), "cycle"));
}

TEST_F(ExtendsTest, DefaultMeansTheEmbeddedScenario) {
  const auto path = write("child.yaml", "extends: default\nname: mine\nticks: 30\n");
  const Scenario s = load_scenario_file(path);
  const Scenario d = load_scenario(default_scenario_text(), "default.yaml");
  EXPECT_EQ(s.name, "mine");
  EXPECT_EQ(s.ticks, 30);
  EXPECT_EQ(s.firms.size(), d.firms.size());
  EXPECT_EQ(s.events.size(), d.events.size());
}

TEST_F(ExtendsTest, OverridesApplyToTheMergedTree) {
  write("base.yaml", kBase);
  const auto path = write("child.yaml", "extends: base.yaml\n");
  const Scenario s = load_scenario_file(path, {"firms.lab.pay.median=600000"});
  EXPECT_EQ(s.firms[1].pay.median, 600000.0);
}

// Duplicates are errors in every file, as in a standalone one: merging must not hide them
// by letting the last value win.
TEST_F(ExtendsTest, DuplicateKeysInTheExtendingFileAreErrors) {
  write("base.yaml", kBase);
  struct Case {
    const char* text;
    const char* key_path;
    int line;
    const char* problem;
  };
  const Case cases[] = {
      {"extends: base.yaml\nticks: 30\nticks: 40\n", "ticks", 3,
       "duplicate key 'ticks' (first at line 2)"},
      {"extends: base.yaml\nmarket:\n  separation_rate: 0.2\n  separation_rate: 0.3\n",
       "market.separation_rate", 4, "duplicate key 'separation_rate' (first at line 3)"},
      {"extends: base.yaml\nfirms:\n  - {id: meta, workload: 0.5}\n  - {id: meta, workload: "
       "0.6}\n",
       "firms[1].id", 4, "duplicate firm id 'meta' (also firms[0])"},
      {"extends: base.yaml\nfirms:\n  - id: lab\n    pay: {median: 1, median: 2}\n",
       "firms.lab.pay.median", 4, "duplicate key 'median' (first at line 4)"},
      {"extends: base.yaml\nextends: base.yaml\n", "extends", 2,
       "duplicate key 'extends' (first at line 1)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto path = write("child.yaml", c.text);
    const ScenarioError e = file_error(path);
    EXPECT_EQ(e.where().source, path.string());
    EXPECT_EQ(e.where().line, c.line);
    EXPECT_EQ(e.key_path(), c.key_path);
    EXPECT_EQ(e.problem(), c.problem);
  }
}

TEST_F(ExtendsTest, DuplicateKeysInTheBaseAreErrorsEvenWhereTheExtendingFileSetsThem) {
  const std::string base = std::string(kBase) + "ticks: 30\n";  // ticks twice (lines 2, 9)
  write("base.yaml", base);
  const auto path = write("child.yaml", "extends: base.yaml\nticks: 40\n");
  const ScenarioError e = file_error(path);
  EXPECT_EQ(e.where().source, (dir_ / "base.yaml").string());
  EXPECT_EQ(e.where().line, 9);
  EXPECT_EQ(e.key_path(), "ticks");
  EXPECT_EQ(e.problem(), "duplicate key 'ticks' (first at line 2)");

  write("base.yaml", R"(name: base
market: {separation_rate: 0.1, separation_rate: 0.2}
firms:
  - {id: meta, headcount_share: 0.6, pay: {median: 400000}}
  - {id: meta, headcount_share: 0.4, pay: {median: 500000}}
)");
  const auto market = write("market.yaml", "extends: base.yaml\nmarket: {separation_rate: 0.3}\n");
  const ScenarioError m = file_error(market);
  EXPECT_EQ(m.where().source, (dir_ / "base.yaml").string());
  EXPECT_EQ(m.key_path(), "market.separation_rate");
  EXPECT_EQ(m.problem(), "duplicate key 'separation_rate' (first at line 2)");
}

TEST_F(ExtendsTest, DuplicatesGiveTheSameErrorAsInAStandaloneFile) {
  const std::string text = std::string(kBase) + "market: {separation_rate: 0.2}\n";
  const auto standalone = write("standalone.yaml", text);
  write("base.yaml", text);
  const auto child = write("child.yaml", "extends: base.yaml\n");
  const ScenarioError a = file_error(standalone);
  const ScenarioError b = file_error(child);
  EXPECT_EQ(a.key_path(), b.key_path());
  EXPECT_EQ(a.problem(), b.problem());
  EXPECT_EQ(a.where().line, b.where().line);
}

}  // namespace
}  // namespace talentsim
