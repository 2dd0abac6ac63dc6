// A run's metrics are the same in memory and from its folder: every metric of the
// vocabulary (and every series) is evaluated on record_run()'s record and on
// read_run_folder() of the folder `talentsim run` wrote for the same scenario, and a
// representative set is recomputed by hand from the CSV text. read_run_folder rejects
// malformed files with file:line:column.
//
// Exact or not: counts, and every ratio of counts, are exact in both (the CSV files hold
// integers). Pay is printed in cents (2 decimals), burnout, faith and the HHI with 6
// decimals, so metrics that read them agree within that precision: 0.005 USD (a mean or
// median of values each off by at most half a cent is off by at most half a cent) and
// 5e-7. The rebuilt offer pay sums (mean_offer x offers) keep mean_offer within 0.005.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "model/test_scenarios.hpp"
#include "study/study_test_util.hpp"
#include "talentsim/scenario/scenario.hpp"
#include "talentsim/study/metric.hpp"
#include "talentsim/study/record.hpp"

namespace talentsim {
namespace {

using namespace study_test;

constexpr std::int64_t kTicks = 110;  // past 104 weeks, so every cohort offset is reached

/// The everything scenario, small, long enough for every cohort count; run by the binary
/// into a folder and recorded in memory, once for all tests here.
class RunFolder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("record");
    scenario_ = new Scenario(
        testing::everything({"population.researchers=4000", "ticks=" + std::to_string(kTicks)}));
    spit(dir_->path() / "s.yaml", to_yaml(*scenario_));
    const Result r = talentsim({"run", "s.yaml", "--out", "run", "--quiet"}, dir_->path());
    ASSERT_EQ(r.exit_code, 0) << r;
    memory_ = new RunRecord(record_run(*scenario_));
    folder_ = new RunRecord(read_run_folder(dir_->path() / "run"));
  }
  static void TearDownTestSuite() {
    delete folder_;
    delete memory_;
    delete scenario_;
    delete dir_;
  }
  static fs::path run_dir() { return dir_->path() / "run"; }

  static TempDir* dir_;
  static Scenario* scenario_;
  static RunRecord* memory_;
  static RunRecord* folder_;
};
TempDir* RunFolder::dir_ = nullptr;
Scenario* RunFolder::scenario_ = nullptr;
RunRecord* RunFolder::memory_ = nullptr;
RunRecord* RunFolder::folder_ = nullptr;

/// How closely a metric read from the CSV files must agree (see the top of the file).
double tolerance(const std::string& text) {
  for (const char* money : {"salary", "offer"})
    if (text.find(money) != std::string::npos) return 0.005;
  for (const char* fine : {"burnout", "faith", "hhi"})
    if (text.find(fine) != std::string::npos) return 5e-7;
  return 0.0;  // counts and ratios of counts: exact
}

/// Candidate expressions for every metric and series, over subjects, groups, kinds and
/// windows; those check_metric rejects (a median of the market, ...) are left out.
std::vector<std::string> every_metric(const Scenario& s, const RunRecord& memory) {
  const std::vector<std::string> subjects{"meta",     "deepmind", "tesla",
                                          "academia", "startups", "market"};
  const std::vector<std::string> groups{"all", "top", "published", "leaders"};
  std::vector<std::string> out;
  const auto add = [&](const std::string& text) {
    try {
      check_metric(parse_metric(text), s);
      out.push_back(text);
    } catch (const MetricError&) {
    }
  };
  for (const auto& subject : subjects) {
    for (const char* level :
         {"headcount", "top_headcount", "published_headcount", "leader_headcount", "mean_salary",
          "median_salary", "mean_burnout", "mean_faith"})
      for (const int week : {0, 37, 110})
        add(std::string(level) + "(" + subject + ", week=" + std::to_string(week) + ")");
    for (const char* window : {"0..52", "1..110", "53..104", "20..20"}) {
      const std::string w = std::string("weeks=") + window;
      for (const auto& g : groups) {
        for (const char* kind : {"departures", "quits", "separations"}) {
          if (std::string(window) != "20..20")
            add("attrition(" + subject + ", " + w + ", group=" + g + ", kind=" + kind + ")");
          for (const char* n : {"1", "3"})
            add("weeks_with_departures(" + subject + ", at_least=" + n + ", " + w + ", group=" + g +
                ", kind=" + kind + ")");
        }
        add("headcount_growth(" + subject + ", " + w + ", group=" + g + ")");
      }
      for (const char* ratio :
           {"counteroffer_win_share", "withdrawn_share", "median_offer", "mean_offer"})
        add(std::string(ratio) + "(" + subject + ", " + w + ")");
    }
    for (const auto& g : groups) {
      for (const char* window : {"0..26", "0..52", "0..104", "6..110", "40..92"})
        add("cohort_loss(" + subject + ", group=" + g + ", weeks=" + window + ")");
      for (const char* after : {"26", "52", "104"})
        for (const char* hired : {"1..6", "0..0", "2..2"})
          add("hire_retention(" + subject + ", after_weeks=" + after + ", hired=" + hired +
              ", group=" + g + ")");
      add("hire_retention(" + subject + ", after_weeks=52, hired=1..58, group=" + g + ")");
    }
  }
  for (const int week : {0, 1, 55, 110}) {
    add("share_between_jobs(week=" + std::to_string(week) + ")");
    add("top_talent_hhi(week=" + std::to_string(week) + ")");
  }
  // Every series: summed (flows), at a week, and in a condition whose threshold is the
  // series' own value at week 50 (less a margin wider than the files' rounding).
  const std::string series_list = metric_reference();
  for (const MetricDoc& d : series_vocabulary()) {
    const std::string name = d.usage.substr(0, d.usage.find('('));
    for (const auto& subject : subjects) {
      const std::string call = name + "(" + subject + ")";
      add("sum(" + call + ", weeks=0..110)");
      add("sum(" + call + ", weeks=30..31)");
      add("value(" + call + ", week=50)");
      add("value(" + call + ", week=0)");
      add("first_week(" + call + " > 0, weeks=0..110)");
      add("first_week(" + call + " >= 3, weeks=1..110)");
      try {
        const double at50 = evaluate(parse_metric("value(" + call + ", week=50)"), memory);
        if (std::isfinite(at50)) {
          char threshold[64];
          std::snprintf(threshold, sizeof threshold, "%.2f", at50 - 0.01);
          add("first_week(" + call + " >= " + threshold + ", weeks=0..110)");
          add("first_week(" + call + " < " + threshold + ", weeks=0..110)");
        }
      } catch (const MetricError&) {
      }
    }
  }
  return out;
}

TEST_F(RunFolder, RecordShapesAgree) {
  EXPECT_EQ(folder_->groups, memory_->groups);
  EXPECT_EQ(folder_->named, memory_->named);
  EXPECT_EQ(folder_->researchers, memory_->researchers);
  EXPECT_EQ(folder_->last_week(), kTicks);
  EXPECT_EQ(memory_->last_week(), kTicks);
  EXPECT_EQ(folder_->cohorts.weeks, memory_->cohorts.weeks);
  ASSERT_EQ(folder_->cohorts.rows.size(), memory_->cohorts.rows.size());
  for (std::size_t i = 0; i < folder_->cohorts.rows.size(); ++i) {
    EXPECT_EQ(folder_->cohorts.rows[i].size, memory_->cohorts.rows[i].size) << i;
    EXPECT_EQ(folder_->cohorts.rows[i].still, memory_->cohorts.rows[i].still) << i;
  }
  for (std::size_t w = 0; w < memory_->weeks.size(); ++w)
    for (std::size_t g = 0; g < memory_->groups.size(); ++g) {
      EXPECT_EQ(folder_->weeks[w].groups[g].counts, memory_->weeks[w].groups[g].counts) << w;
      EXPECT_EQ(folder_->weeks[w].groups[g].headcount, memory_->weeks[w].groups[g].headcount);
    }
}

TEST_F(RunFolder, EveryMetricIsTheSameInMemoryAndFromTheFolder) {
  const std::vector<std::string> all = every_metric(*scenario_, *memory_);
  // Every metric and every series appears in at least one expression.
  std::set<std::string> names;
  for (const auto& text : all) {
    const Metric m = parse_metric(text);
    names.insert(m.name);
    if (!m.series.empty()) names.insert("series:" + m.series);
  }
  for (const MetricDoc& d : metric_vocabulary())
    EXPECT_TRUE(names.count(d.usage.substr(0, d.usage.find('(')))) << d.usage;
  for (const MetricDoc& d : series_vocabulary())
    EXPECT_TRUE(names.count("series:" + d.usage.substr(0, d.usage.find('(')))) << d.usage;
  std::size_t defined = 0, inexact = 0;
  for (const auto& text : all) {
    const Metric m = parse_metric(text);
    const double a = evaluate(m, *memory_);
    const double b = evaluate(m, *folder_);
    if (std::isnan(a)) {
      EXPECT_TRUE(std::isnan(b)) << text << ": in memory NaN, from the folder " << b;
      continue;
    }
    ++defined;
    const double tol = tolerance(text);
    if (tol == 0.0) {
      EXPECT_EQ(a, b) << text;
    } else {
      ++inexact;
      EXPECT_NEAR(a, b, tol + 1e-12 * std::fabs(a)) << text;
    }
  }
  EXPECT_GT(all.size(), 1500U);
  EXPECT_GT(defined, all.size() * 8 / 10);
  EXPECT_GT(inexact, 100U);
}

/// The rows of `file` for one group (or every row when `firm` is empty), by week.
std::vector<std::vector<std::string>> rows_of(const Csv& csv, const std::string& firm) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : csv.rows())
    if (firm.empty() || csv.at(row, "firm") == firm) out.push_back(row);
  return out;
}

double eval(const std::string& text, const RunRecord& r) { return evaluate(parse_metric(text), r); }

TEST_F(RunFolder, RepresentativeMetricsRecomputedByHandFromTheCsvText) {
  const Csv ts(run_dir() / "timeseries.csv"), market(run_dir() / "market.csv"),
      offers(run_dir() / "offers.csv"), cohorts(run_dir() / "cohorts.csv");
  const auto meta = rows_of(ts, "meta");
  ASSERT_EQ(meta.size(), kTicks + 1);
  ASSERT_EQ(ts.number(meta[0], "tick"), 0);

  EXPECT_EQ(eval("headcount(meta, week=0)", *memory_), ts.number(meta[0], "headcount"));
  EXPECT_NEAR(eval("median_salary(meta, week=37)", *memory_), ts.number(meta[37], "median_salary"),
              0.005);

  double hires = 0;
  for (std::size_t w = 1; w <= 52; ++w) hires += ts.number(meta[w], "hires");
  EXPECT_EQ(eval("sum(hires(meta), weeks=0..52)", *memory_), hires);

  // Market turnover in year 1: every group's departures / their mean headcount.
  double left = 0, present = 0;
  for (const auto& row : ts.rows()) {
    const double w = ts.number(row, "tick");
    if (w < 1 || w > 52) continue;
    left += ts.number(row, "departures");
    present += ts.number(row, "headcount");
  }
  EXPECT_DOUBLE_EQ(eval("attrition(market, weeks=1..52)", *memory_), left / (present / 52));
  // ... and the market's employed column says the same headcount.
  double employed = 0;
  for (const auto& row : market.rows())
    if (market.number(row, "tick") >= 1 && market.number(row, "tick") <= 52)
      employed += market.number(row, "employed");
  EXPECT_EQ(employed, present);

  // Whole-run attrition of a firm is summary.json's annualised attrition.
  const auto summary = nlohmann::json::parse(slurp(run_dir() / "summary.json"));
  for (const auto& firm : summary["firms"]) {
    const std::string id = firm["id"];
    if (id == "startups") continue;
    EXPECT_DOUBLE_EQ(eval("attrition(" + id + ", weeks=0..110)", *memory_),
                     firm["annualised_attrition"].get<double>())
        << id;
  }

  // Weeks with two or more top-talent departures from meta, and the first week with 5
  // or more departures.
  int weeks = 0;
  std::size_t first = 111;
  for (std::size_t w = 1; w <= 110; ++w) {
    if (ts.number(meta[w], "top_departures") >= 2) ++weeks;
    if (first == 111 && ts.number(meta[w], "departures") >= 5) first = w;
  }
  EXPECT_EQ(eval("weeks_with_departures(meta, group=top, at_least=2, weeks=1..110)", *memory_),
            weeks);
  EXPECT_EQ(eval("first_week(departures(meta) >= 5, weeks=1..110)", *memory_),
            static_cast<double>(first));

  // The starting published researchers of meta gone after 52 weeks; hires of weeks 1..26
  // still there 52 weeks on.
  double hired = 0, kept = 0;
  for (const auto& row : cohorts.rows()) {
    if (cohorts.at(row, "firm") != "meta") continue;
    const double week = cohorts.number(row, "week");
    if (cohorts.at(row, "group") == "published" && cohorts.at(row, "kind") == "present" &&
        week == 0) {
      EXPECT_DOUBLE_EQ(eval("cohort_loss(meta, group=published, weeks=0..52)", *memory_),
                       1.0 - cohorts.number(row, "at_52") / cohorts.number(row, "size"));
    }
    if (cohorts.at(row, "group") == "all" && cohorts.at(row, "kind") == "hired" && week >= 1 &&
        week <= 26) {
      hired += cohorts.number(row, "size");
      kept += cohorts.number(row, "at_52");
    }
  }
  ASSERT_GT(hired, 0);
  EXPECT_DOUBLE_EQ(eval("hire_retention(meta, after_weeks=52, hired=1..26)", *memory_),
                   kept / hired);

  // Median offer of meta over weeks 1..52: each week's median repeated per offer made.
  std::vector<double> repeated;
  double pay = 0, made = 0, accepted = 0;
  for (const auto& row : rows_of(offers, "deepmind")) {
    if (offers.number(row, "tick") > 60) continue;
    accepted += offers.number(row, "accepted");
  }
  for (const auto& row : rows_of(offers, "meta")) {
    const double w = offers.number(row, "tick");
    if (w > 52 || offers.number(row, "offers") == 0) continue;
    for (int i = 0; i < static_cast<int>(offers.number(row, "offers")); ++i)
      repeated.push_back(offers.number(row, "median_offer"));
    pay += offers.number(row, "mean_offer") * offers.number(row, "offers");
    made += offers.number(row, "offers");
  }
  ASSERT_FALSE(repeated.empty());
  std::sort(repeated.begin(), repeated.end());
  const std::size_t n = repeated.size();
  EXPECT_NEAR(eval("median_offer(meta, weeks=0..52)", *memory_),
              0.5 * (repeated[(n - 1) / 2] + repeated[n / 2]), 0.005);
  EXPECT_NEAR(eval("mean_offer(meta, weeks=0..52)", *memory_), pay / made, 0.005);

  // Counter-offers won by meta, acceptances deepmind's cap refused, deepmind's growth.
  double won = 0, countered = 0, refused = 0;
  const auto deepmind = rows_of(ts, "deepmind");
  for (std::size_t w = 1; w <= 60; ++w) {
    won += ts.number(meta[w], "counteroffers_won");
    countered += ts.number(meta[w], "counteroffers");
    refused += ts.number(deepmind[w], "rejected_by_limits");
  }
  ASSERT_GT(countered, 0);
  EXPECT_DOUBLE_EQ(eval("counteroffer_win_share(meta, weeks=0..60)", *memory_), won / countered);
  ASSERT_GT(accepted, 0);
  EXPECT_DOUBLE_EQ(eval("withdrawn_share(deepmind, weeks=1..60)", *memory_), refused / accepted);
  EXPECT_DOUBLE_EQ(eval("headcount_growth(deepmind, weeks=0..52)", *memory_),
                   ts.number(deepmind[52], "headcount") / ts.number(deepmind[0], "headcount") - 1);

  const auto& last = market.rows().back();
  EXPECT_DOUBLE_EQ(eval("share_between_jobs(week=110)", *memory_),
                   market.number(last, "between_jobs") /
                       (market.number(last, "employed") + market.number(last, "between_jobs")));
  EXPECT_NEAR(eval("top_talent_hhi(week=110)", *memory_), market.number(last, "top_talent_hhi"),
              5e-7);
}

TEST(RecordRun, RunningOnLeavesEarlierWeeksAsTheyWere) {
  // check runs past `ticks` for targets that read later weeks: the model never reads ticks.
  const RunRecord short_run =
      record_run(testing::everything({"population.researchers=3000", "ticks=20"}));
  const RunRecord long_run =
      record_run(testing::everything({"population.researchers=3000", "ticks=30"}));
  for (std::size_t w = 0; w <= 20; ++w)
    for (std::size_t g = 0; g < short_run.groups.size(); ++g) {
      EXPECT_EQ(short_run.weeks[w].groups[g].counts, long_run.weeks[w].groups[g].counts);
      EXPECT_EQ(short_run.weeks[w].groups[g].median_salary,
                long_run.weeks[w].groups[g].median_salary);
    }
}

// ---------------------------------------------------------------------------
// Malformed run folders
// ---------------------------------------------------------------------------

class BrokenFolder : public RunFolder {
 protected:
  /// A copy of the run folder with `file` changed by `edit`; the error reading it.
  static ScenarioError error_after(const std::string& file,
                                   const std::function<std::string(std::string)>& edit) {
    const fs::path copy = dir_->path() / "broken";
    fs::remove_all(copy);
    fs::copy(run_dir(), copy);
    spit(copy / file, edit(slurp(copy / file)));
    try {
      read_run_folder(copy);
    } catch (const ScenarioError& e) {
      return e;
    }
    ADD_FAILURE() << "expected an error after editing " << file;
    return {{}, "", "(none)"};
  }
  static std::string replace_line(std::string text, int line, const std::string& with) {
    std::size_t start = 0;
    for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
    const std::size_t end = text.find('\n', start);
    return text.replace(start, end - start, with);
  }
  static std::string line_of(const std::string& text, int line) {
    std::size_t start = 0;
    for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
    return text.substr(start, text.find('\n', start) - start);
  }
};

std::string located(const ScenarioError& e) {
  return fs::path(e.where().source).filename().string() + ":" + std::to_string(e.where().line) +
         ":" + std::to_string(e.where().column);
}

TEST_F(BrokenFolder, NamesFileLineAndColumn) {
  // A headcount that is not a number: line 3 (week 0, the second group), column 3.
  ScenarioError e = error_after("timeseries.csv", [](std::string t) {
    std::string row = line_of(t, 3);
    const std::size_t first = row.find(',', row.find(',') + 1) + 1;
    row.replace(first, row.find(',', first) - first, "x1");
    return replace_line(t, 3, row);
  });
  EXPECT_EQ(e.key_path(), "headcount");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().column, static_cast<int>(std::string("0,deepmind,").size()) + 1);
  EXPECT_TRUE(e.problem().find("expected an integer, got 'x1'") != std::string::npos) << e.what();

  e = error_after("timeseries.csv",
                  [](std::string t) { return t.replace(t.find(",hires,"), 7, ",hire,"); });
  EXPECT_EQ(located(e), "timeseries.csv:1:1");
  EXPECT_TRUE(e.problem().find("no column 'hires'") != std::string::npos);

  e = error_after("timeseries.csv", [](std::string t) {
    return replace_line(t, 7, "1,academia" + line_of(t, 7).substr(line_of(t, 7).find(',', 2)));
  });
  EXPECT_EQ(e.where().line, 7);
  EXPECT_TRUE(e.problem().find("expected 'meta'") != std::string::npos) << e.what();

  e = error_after("market.csv",
                  [](std::string t) { return t.substr(0, t.rfind('\n', t.size() - 2) + 1); });
  EXPECT_TRUE(std::string(e.what()).find("market.csv") != std::string::npos);
  EXPECT_TRUE(e.problem().find("has 110 weeks") != std::string::npos) << e.what();

  e = error_after("offers.csv",
                  [](std::string t) { return replace_line(t, 2, "2" + line_of(t, 2).substr(1)); });
  EXPECT_EQ(located(e), "offers.csv:2:1");

  e = error_after("offers.csv",
                  [](std::string t) { return replace_line(t, 2, line_of(t, 2) + ",9"); });
  EXPECT_TRUE(e.problem().find("fields as in the header") != std::string::npos);

  e = error_after("cohorts.csv",
                  [](std::string t) { return replace_line(t, 2, "meta,all,hired,1,0,0,0,0"); });
  EXPECT_TRUE(e.problem().find("no row for meta,all,hired,0") != std::string::npos ||
              e.problem().find("the same cohort") != std::string::npos)
      << e.what();

  // A count past the run's end must be empty.
  e = error_after("cohorts.csv", [](std::string t) {
    const std::size_t at = t.find("meta,all,hired,100,");
    const std::size_t end = t.find('\n', at);
    return t.replace(end, 0, "9");
  });
  EXPECT_TRUE(e.problem().find("the run ended first") != std::string::npos) << e.what();

  e = error_after("cohorts.csv", [](std::string) { return std::string(); });
  EXPECT_TRUE(e.problem().find("empty file") != std::string::npos);

  fs::remove(dir_->path() / "broken" / "offers.csv");
  try {
    read_run_folder(dir_->path() / "broken");
    FAIL();
  } catch (const ScenarioError& err) {
    EXPECT_TRUE(std::string(err.what()).find("offers.csv: missing") != std::string::npos)
        << err.what();
  }
  EXPECT_THROW(read_run_folder(dir_->path() / "nowhere"), ScenarioError);
}

}  // namespace
}  // namespace talentsim
