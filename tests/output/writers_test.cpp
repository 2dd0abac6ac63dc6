// The output writers (sim/output/): flows.csv and summary.json text, a run's folder as
// RunWriter leaves it (finished, or destroyed before finishing), and AtomicFile's
// complete-or-absent guarantee.
#include "talentsim/output/writers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "talentsim/core/error.hpp"
#include "talentsim/model/simulation.hpp"
#include "talentsim/output/atomic_file.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

namespace fs = std::filesystem;

// Small enough that a few weeks take milliseconds, with startups so every group exists.
constexpr const char* kTinyYaml = R"(
name: tiny
seed: 5
ticks: 3
population: {researchers: 2000}
startups: {max_alive: 4}
firms:
  - id: alpha
    headcount_share: 0.6
    pay: {median: 300000}
  - id: beta
    headcount_share: 0.4
    pay: {median: 200000}
)";
constexpr std::size_t kTicks = 3;
constexpr std::size_t kGroups = 3;  // alpha, beta, startups

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

/// Names of the entries in `dir`, sorted.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// A fresh path under the system's temporary folder, removed before and after each test.
class OutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("talentsim-output-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

// ---------------------------------------------------------------------------
// flows.csv
// ---------------------------------------------------------------------------

TEST(FlowsCsv, ListsNonZeroCellsInRowMajorOrder) {
  FlowMatrix flows;
  flows.places = {"a", "b", "startups", "independent", "between_jobs"};
  flows.counts.assign(25, 0);
  flows.counts[0 * 5 + 1] = 3;   // a -> b
  flows.counts[1 * 5 + 4] = 1;   // b -> between_jobs
  flows.counts[2 * 5 + 2] = 2;   // startups -> startups (between two startups)
  flows.counts[4 * 5 + 0] = 12;  // between_jobs -> a
  EXPECT_EQ(flows_csv(flows),
            "from,to,count\n"
            "a,b,3\n"
            "b,between_jobs,1\n"
            "startups,startups,2\n"
            "between_jobs,a,12\n");
  flows.counts.assign(25, 0);
  EXPECT_EQ(flows_csv(flows), "from,to,count\n");
}

// ---------------------------------------------------------------------------
// summary.json
// ---------------------------------------------------------------------------

RunSummary small_summary() {
  RunSummary s;
  s.scenario = "tiny";
  s.description = "a \"quoted\" description, with a comma";
  s.seed = std::numeric_limits<std::uint64_t>::max();  // must stay exact, not a double
  s.version = "9.8.7";
  s.threads = 4;
  s.ticks = 10;
  s.researchers = 500;
  s.wall_seconds = 2.5;
  s.agent_ticks_per_second = 2000.0;
  s.state_hash = 0xabcULL;
  s.market.employed = 450;
  s.market.between_jobs = 50;
  s.market.independent = 7;
  s.market.startups_alive = 2;
  s.market.top_talent_hhi = 0.25;
  s.market.pending_hires = 6;
  s.startups_founded = 3;
  s.startups_failed = 1;
  GroupSummary g;
  g.id = "alpha";
  g.name = "Alpha Labs";
  g.initial.headcount = 100;
  g.final_tick.headcount = 90;
  g.initial.median_salary = 300000.5;
  g.final_tick.mean_burnout = 0.125;
  g.total.departures = 12;
  g.total.rejected_by_limits = 4;
  g.mean_headcount = 95.0;
  g.annualised_attrition = 0.5;
  g.cohort = 100;
  g.cohort_retained = 80;
  g.top_cohort = 0;  // an empty cohort: share null, not a division by zero
  g.weeks_with_3_top_departures = 2;
  g.most_top_departures_in_a_week = 5;
  s.groups.push_back(g);
  return s;
}

TEST(SummaryJson, HoldsTheFieldsAndKeepsMachineFiguresInTheRunBlock) {
  const std::string text = summary_json(small_summary());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"scenario", "description", "seed", "version", "ticks",
                                            "researchers", "state_hash", "market", "firms",
                                            "events_not_reached", "run"}));
  EXPECT_EQ(j["events_not_reached"], nlohmann::ordered_json::array());
  EXPECT_EQ(j["scenario"], "tiny");
  EXPECT_EQ(j["description"], "a \"quoted\" description, with a comma");
  EXPECT_EQ(j["seed"].get<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(j["version"], "9.8.7");
  EXPECT_EQ(j["ticks"], 10);
  EXPECT_EQ(j["researchers"], 500);
  EXPECT_EQ(j["state_hash"], "0000000000000abc");
  EXPECT_TRUE(std::regex_match(j["state_hash"].get<std::string>(), std::regex("[0-9a-f]{16}")));

  const auto& run = j["run"];
  ASSERT_EQ(run.size(), 3u);
  EXPECT_EQ(run["threads"], 4);
  EXPECT_EQ(run["wall_seconds"], 2.5);
  EXPECT_EQ(run["agent_ticks_per_second"], 2000.0);

  const auto& market = j["market"];
  EXPECT_EQ(market["employed"], 450);
  EXPECT_EQ(market["between_jobs"], 50);
  EXPECT_EQ(market["independent"], 7);
  EXPECT_EQ(market["startups_alive"], 2);
  EXPECT_EQ(market["startups_founded"], 3);
  EXPECT_EQ(market["startups_failed"], 1);
  EXPECT_EQ(market["top_talent_hhi"], 0.25);
  EXPECT_EQ(market["pending_hires"], 6);

  ASSERT_EQ(j["firms"].size(), 1u);
  const auto& f = j["firms"][0];
  EXPECT_EQ(f["id"], "alpha");
  EXPECT_EQ(f["name"], "Alpha Labs");
  EXPECT_EQ(f["headcount"]["initial"], 100);
  EXPECT_EQ(f["headcount"]["final"], 90);
  EXPECT_EQ(f["median_salary"]["initial"], 300000.5);
  EXPECT_EQ(f["mean_burnout"], 0.125);
  EXPECT_EQ(f["totals"]["departures"], 12);
  EXPECT_EQ(f["totals"]["rejected_by_limits"], 4);
  EXPECT_EQ(f["totals"].size(), 12u);
  EXPECT_EQ(f["mean_headcount"], 95.0);
  EXPECT_EQ(f["annualised_attrition"], 0.5);
  EXPECT_EQ(f["weeks_with_3_top_departures"], 2);
  EXPECT_EQ(f["most_top_departures_in_a_week"], 5);
  EXPECT_EQ(f["cohort"]["initial"], 100);
  EXPECT_EQ(f["cohort"]["retained"], 80);
  EXPECT_EQ(f["cohort"]["retained_share"], 0.8);
  EXPECT_EQ(f["cohort"]["top_initial"], 0);
  EXPECT_TRUE(f["cohort"]["top_retained_share"].is_null());
}

// What is undefined -- the pay, burnout and faith of nobody, the retention of an empty
// cohort, the attrition of a group that never had anyone, the concentration of no top
// talent -- is null, not 0.
TEST(SummaryJson, UndefinedFiguresAreNull) {
  RunSummary s = small_summary();
  GroupSummary empty;
  empty.id = "startups";
  empty.name = "startups";
  s.groups.push_back(empty);
  s.market.top_talent_hhi = 0.0;
  s.events_not_reached.push_back({2, 12, "pay_change", "meta"});
  s.events_not_reached.push_back({3, 14, "market", ""});
  const auto j = nlohmann::json::parse(summary_json(s));
  const auto& f = j["firms"][1];
  for (const char* key : {"median_salary", "mean_salary"}) {
    EXPECT_TRUE(f[key]["initial"].is_null()) << key;
    EXPECT_TRUE(f[key]["final"].is_null()) << key;
  }
  EXPECT_TRUE(f["mean_burnout"].is_null());
  EXPECT_TRUE(f["mean_faith"].is_null());
  EXPECT_TRUE(f["annualised_attrition"].is_null());
  for (const char* key : {"retained_share", "top_retained_share", "published_retained_share"})
    EXPECT_TRUE(f["cohort"][key].is_null()) << key;
  EXPECT_EQ(f["cohort"]["initial"], 0);
  EXPECT_TRUE(j["market"]["top_talent_hhi"].is_null());
  // A group with people keeps its figures, zeros included.
  EXPECT_EQ(j["firms"][0]["median_salary"]["initial"], 300000.5);
  EXPECT_EQ(j["firms"][0]["mean_faith"], 0.0);
  EXPECT_EQ(j["events_not_reached"],
            nlohmann::json::parse(R"([{"event": "events[2]", "week": 12, "type": "pay_change",
                                       "firm": "meta"},
                                      {"event": "events[3]", "week": 14, "type": "market"}])"));
}

TEST(SummaryJson, StateHashIsSixteenHexDigitsWhateverItsValue) {
  const std::vector<std::uint64_t> hashes = {0, 0x1, 0xfedcba9876543210ULL,
                                             std::numeric_limits<std::uint64_t>::max()};
  for (const std::uint64_t hash : hashes) {
    RunSummary s;
    s.state_hash = hash;
    const auto j = nlohmann::json::parse(summary_json(s));
    const auto text = j["state_hash"].get<std::string>();
    EXPECT_TRUE(std::regex_match(text, std::regex("[0-9a-f]{16}"))) << text;
    EXPECT_EQ(std::stoull(text, nullptr, 16), hash);
  }
}

// ---------------------------------------------------------------------------
// RunWriter
// ---------------------------------------------------------------------------

class RunWriterTest : public OutputTest {
 protected:
  RunWriterTest() : sim_(load_scenario(kTinyYaml, "tiny.yaml")) {}

  /// Steps the simulation to its end, recording week 0 and every tick.
  void run_all(RunWriter& writer, SummaryBuilder& summary) {
    writer.record(sim_.initial_report());
    for (std::size_t t = 0; t < kTicks; ++t) {
      sim_.step();
      writer.record(sim_.last_report());
      summary.record(sim_.last_report());
    }
  }

  Simulation sim_;
};

TEST_F(RunWriterTest, FinishedRunHoldsExactlyTheExpectedFiles) {
  const fs::path dir = root_ / "run";
  std::vector<std::string> expected;
  {
    SummaryBuilder summary(sim_, sim_.initial_report());
    RunWriter writer(dir, sim_, true);
    run_all(writer, summary);
    // Until finish, nothing is visible under a final name.
    for (const std::string& name : files_in(dir))
      EXPECT_NE(name.find(".tmp-"), std::string::npos) << name;
    writer.finish(sim_, summary.build(sim_, 1, 0.5));
    expected = writer.files();
  }  // the finished writer's destructor keeps everything
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(expected, (std::vector<std::string>{"agents.csv", "cohorts.csv", "flows.csv",
                                                "market.csv", "offers.csv", "scenario.yaml",
                                                "summary.json", "timeseries.csv"}));
  EXPECT_EQ(files_in(dir), expected);

  // timeseries.csv: the pinned header, then one row per week (0 .. kTicks) and group.
  const std::string header(kTimeseriesHeader);
  const auto ts = lines_of(read_text(dir / "timeseries.csv"));
  ASSERT_EQ(ts.size(), 1 + (kTicks + 1) * kGroups);
  EXPECT_EQ(ts[0] + "\n", header);
  const std::size_t ts_fields = fields_of(ts[0]).size();
  const std::vector<std::string> groups = {"alpha", "beta", "startups"};
  for (std::size_t t = 0; t <= kTicks; ++t)
    for (std::size_t g = 0; g < kGroups; ++g) {
      const auto fields = fields_of(ts[1 + t * kGroups + g]);
      ASSERT_EQ(fields.size(), ts_fields) << ts[1 + t * kGroups + g];
      EXPECT_EQ(fields[0], std::to_string(t));
      EXPECT_EQ(fields[1], groups[g]);
    }

  // market.csv: the pinned header, then one row per week (0 .. kTicks).
  const auto market = lines_of(read_text(dir / "market.csv"));
  ASSERT_EQ(market.size(), 1 + kTicks + 1);
  EXPECT_EQ(market[0] + "\n", std::string(kMarketHeader));
  for (std::size_t t = 0; t <= kTicks; ++t) {
    const auto fields = fields_of(market[1 + t]);
    EXPECT_EQ(fields.size(), fields_of(market[0]).size());
    EXPECT_EQ(fields[0], std::to_string(t));
  }

  // offers.csv: one row per week with flows (1 .. kTicks) and group.
  const auto offers = lines_of(read_text(dir / "offers.csv"));
  ASSERT_EQ(offers.size(), 1 + kTicks * kGroups);
  EXPECT_EQ(offers[0] + "\n", std::string(kOffersHeader));
  EXPECT_EQ(fields_of(offers[1])[0], "1");

  // cohorts.csv: exactly the engine's cohort table.
  EXPECT_EQ(read_text(dir / "cohorts.csv"),
            cohorts_csv(sim_.world().cohort_book.table, {"alpha", "beta"}));

  // agents.csv: the pinned header and the registry's columns marked for it, then every
  // researcher in id order.
  const auto agents = lines_of(read_text(dir / "agents.csv"));
  ASSERT_EQ(agents.size(), 1 + sim_.researchers().size());
  EXPECT_EQ(agents[0], std::string(kAgentsHeader) + ",money,appeal,drive");
  for (std::size_t i = 0; i < sim_.researchers().size(); ++i) {
    const auto fields = fields_of(agents[1 + i]);
    ASSERT_EQ(fields.size(), fields_of(agents[0]).size()) << agents[1 + i];
    ASSERT_EQ(fields[0], std::to_string(i));
  }

  EXPECT_EQ(read_text(dir / "flows.csv"), flows_csv(sim_.flows()));
  const auto summary = nlohmann::json::parse(read_text(dir / "summary.json"));
  EXPECT_EQ(summary["ticks"], kTicks);
  EXPECT_EQ(std::stoull(summary["state_hash"].get<std::string>(), nullptr, 16), sim_.state_hash());
  EXPECT_EQ(summary["firms"].size(), kGroups);
  EXPECT_EQ(summary["run"]["threads"], 1);
  // scenario.yaml reproduces the run: it loads back to the same resolved scenario.
  EXPECT_EQ(to_yaml(load_scenario(read_text(dir / "scenario.yaml"), "scenario.yaml")),
            to_yaml(sim_.scenario()));
}

// Without agents, a stale agents.csv from an earlier run in the same folder is removed
// (it would not match this run); other files there are left alone.
TEST_F(RunWriterTest, WithoutAgentsRemovesAStaleAgentsFile) {
  const fs::path dir = root_ / "run";
  fs::create_directories(dir);
  write_text(dir / "agents.csv", "stale\n");
  write_text(dir / "notes.txt", "mine\n");
  SummaryBuilder summary(sim_, sim_.initial_report());
  RunWriter writer(dir, sim_, false);
  run_all(writer, summary);
  writer.finish(sim_, summary.build(sim_, 1, 0.5));
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"cohorts.csv", "flows.csv", "market.csv",
                                                     "notes.txt", "offers.csv", "scenario.yaml",
                                                     "summary.json", "timeseries.csv"}));
  EXPECT_EQ(read_text(dir / "notes.txt"), "mine\n");
}

// Destroyed before finish: no file is left behind, and the folder the writer created
// is removed.
TEST_F(RunWriterTest, DestroyedBeforeFinishLeavesNothing) {
  const fs::path dir = root_ / "nested" / "run";
  {
    SummaryBuilder summary(sim_, sim_.initial_report());
    RunWriter writer(dir, sim_, true);
    ASSERT_TRUE(fs::is_directory(dir));
    run_all(writer, summary);
    EXPECT_EQ(files_in(dir).size(), 3u);  // the three temporaries written tick by tick
  }
  EXPECT_FALSE(fs::exists(dir));
}

// Every folder the writer made for DIR goes when it is left empty; those that were there
// before stay.
TEST_F(RunWriterTest, DiscardRemovesTheParentFoldersItCreated) {
  const fs::path dir = root_ / "runs" / "deeper" / "run";
  fs::create_directories(root_ / "kept");
  {
    SummaryBuilder summary(sim_, sim_.initial_report());
    RunWriter writer(dir, sim_, false);
    run_all(writer, summary);
  }
  EXPECT_FALSE(fs::exists(root_ / "runs"));
  EXPECT_TRUE(fs::exists(root_ / "kept"));

  // A parent that gained other files meanwhile stays.
  {
    SummaryBuilder summary(sim_, sim_.initial_report());
    RunWriter writer(dir, sim_, false);
    write_text(root_ / "runs" / "other.txt", "x\n");
    writer.discard();
  }
  EXPECT_FALSE(fs::exists(root_ / "runs" / "deeper"));
  EXPECT_EQ(files_in(root_ / "runs"), std::vector<std::string>{"other.txt"});
}

// Replacing a finished run: its summary.json goes before anything else is renamed, so a
// folder that holds one holds one complete run.
TEST_F(RunWriterTest, FinishReplacesAnEarlierRunsSummaryLast) {
  const fs::path dir = root_ / "run";
  fs::create_directories(dir);
  write_text(dir / "summary.json", "stale\n");
  write_text(dir / "agents.csv", "stale\n");
  SummaryBuilder summary(sim_, sim_.initial_report());
  RunWriter writer(dir, sim_, false);
  run_all(writer, summary);
  writer.finish(sim_, summary.build(sim_, 1, 0.5));
  EXPECT_NE(read_text(dir / "summary.json"), "stale\n");
  EXPECT_FALSE(fs::exists(dir / "agents.csv"));
}

TEST_F(RunWriterTest, AFinishThatFailsLeavesNoSummary) {
  const fs::path dir = root_ / "run";
  fs::create_directories(dir / "timeseries.csv" / "in_the_way");  // its rename will fail
  write_text(dir / "summary.json", "an earlier run\n");
  SummaryBuilder summary(sim_, sim_.initial_report());
  RunWriter writer(dir, sim_, false);
  run_all(writer, summary);
  EXPECT_THROW(writer.finish(sim_, summary.build(sim_, 1, 0.5)), IoError);
  writer.discard();
  EXPECT_FALSE(fs::exists(dir / "summary.json"));
  for (const std::string& name : files_in(dir))
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
}

// A folder that was there before the writer stays, with only what it held before.
TEST_F(RunWriterTest, DiscardKeepsAFolderItDidNotCreate) {
  const fs::path dir = root_ / "run";
  fs::create_directories(dir);
  write_text(dir / "notes.txt", "mine\n");
  SummaryBuilder summary(sim_, sim_.initial_report());
  RunWriter writer(dir, sim_, true);
  run_all(writer, summary);
  writer.discard();
  EXPECT_EQ(files_in(dir), std::vector<std::string>{"notes.txt"});
  writer.discard();  // twice is harmless (the destructor does it again)
  EXPECT_EQ(files_in(dir), std::vector<std::string>{"notes.txt"});
}

// ---------------------------------------------------------------------------
// AtomicFile
// ---------------------------------------------------------------------------

using AtomicFileTest = OutputTest;

TEST_F(AtomicFileTest, ContentIsInvisibleUntilCommit) {
  const fs::path path = root_ / "out.txt";
  AtomicFile f(path);
  EXPECT_EQ(f.path(), path);
  EXPECT_EQ(f.temp_path().parent_path(), root_);  // same folder: the rename is atomic
  EXPECT_EQ(f.temp_path().filename().string().rfind("out.txt.tmp-", 0), 0u);
  f.write("hello ");
  f.write("world");
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(f.temp_path()));
  const fs::path temp = f.temp_path();
  f.commit();
  EXPECT_EQ(read_text(path), "hello world");
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(files_in(root_), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicFileTest, ReplacesAnExistingFileOnlyOnCommit) {
  const fs::path path = root_ / "out.txt";
  write_text(path, "old");
  AtomicFile f(path);
  f.write("new");
  EXPECT_EQ(read_text(path), "old");
  f.commit();
  EXPECT_EQ(read_text(path), "new");
  EXPECT_EQ(files_in(root_), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicFileTest, DiscardRemovesTheTemporaryAndKeepsTheOldFile) {
  const fs::path path = root_ / "out.txt";
  write_text(path, "old");
  AtomicFile f(path);
  f.write("new");
  const fs::path temp = f.temp_path();
  ASSERT_TRUE(fs::exists(temp));
  f.discard();
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(read_text(path), "old");
  EXPECT_EQ(files_in(root_), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicFileTest, DestructorRemovesTheTemporary) {
  const fs::path path = root_ / "out.txt";
  fs::path temp;
  {
    AtomicFile f(path);
    f.write("never committed");
    temp = f.temp_path();
    ASSERT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(files_in(root_).empty());
}

TEST_F(AtomicFileTest, WriteOrCommitAfterCommitThrows) {
  AtomicFile f(root_ / "out.txt");
  f.write("x");
  f.commit();
  EXPECT_THROW(f.write("y"), IoError);
  EXPECT_THROW(f.commit(), IoError);
  EXPECT_EQ(read_text(root_ / "out.txt"), "x");
}

TEST_F(AtomicFileTest, MissingFolderThrows) {
  EXPECT_THROW({ AtomicFile f(root_ / "no_such_folder" / "out.txt"); }, IoError);
}

}  // namespace
}  // namespace talentsim
