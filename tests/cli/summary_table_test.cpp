// The summary table `talentsim run` prints (cli::print_summary): aligned whatever the
// sizes, with thousands separators, "-" for what is undefined, every retention figure, and
// the events a shorter run did not reach.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace talentsim {
namespace {

/// The bench market's size at ten years: 1M researchers, 520 weeks, big counts.
RunSummary big_summary() {
  RunSummary s;
  s.scenario = "bench";
  s.version = "1.2.3";
  s.seed = 1;
  s.threads = 2;
  s.ticks = 520;
  s.researchers = 1'000'000;
  s.wall_seconds = 12.5;
  s.agent_ticks_per_second = 4.16e7;
  s.market.employed = 990'000;
  s.market.between_jobs = 10'000;
  s.market.independent = 1'234;
  s.market.startups_alive = 1'989;
  s.startups_founded = 23'456;
  s.startups_failed = 21'467;
  s.market.top_talent_hhi = 0.125;
  GroupSummary big;
  big.id = "firm_with_a_long_id_01";
  big.initial.headcount = 1'000'000;
  big.final_tick.headcount = 999'999;
  big.initial.top_headcount = 100'000;
  big.final_tick.top_headcount = 99'999;
  big.final_tick.median_salary = 1'234'567'890.0;
  big.total.hires = 12'345'678;
  big.total.departures = 12'345'679;
  big.total.counteroffers = 2'000'000;
  big.total.counteroffers_won = 1'000'000;
  big.mean_headcount = 999'999.5;
  big.annualised_attrition = 1.2345;
  big.cohort = 1'000'000;
  big.cohort_retained = 123'456;
  big.top_cohort = 100'000;
  big.top_cohort_retained = 12'345;
  big.published_cohort = 50'000;
  big.published_cohort_retained = 25'000;
  s.groups.push_back(big);
  GroupSummary empty;  // all startups, none at the start and none at the end
  empty.id = "startups";
  s.groups.push_back(empty);
  return s;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(SummaryTable, StaysAlignedAtAMillionResearchersAndTenYears) {
  std::ostringstream out;
  cli::print_summary(out, big_summary(), "runs/bench", {"summary.json"});
  const auto text = out.str();
  const auto all = lines(text);
  ASSERT_GE(all.size(), 6u) << text;
  // The header and the two rows: equally long, and every header's right edge is a
  // cell's right edge in each row (all but the first column are right-aligned).
  const std::string& header = all[3];
  ASSERT_TRUE(header.starts_with("firm")) << text;
  const std::vector<std::string> rows{all[4], all[5]};
  for (const auto& row : rows) EXPECT_EQ(row.size(), header.size()) << text;
  for (const char* column : {"headcount", "top talent", "median pay", "hires", "departures",
                             "attrition", "kept", "top kept", "published kept", "counters won"}) {
    const std::size_t end = header.find(column) + std::string(column).size();
    ASSERT_NE(header.find(column), std::string::npos) << column;
    for (const auto& row : rows) {
      EXPECT_NE(row[end - 1], ' ') << column << " in\n" << text;
      if (end < row.size()) {
        EXPECT_EQ(row[end], ' ') << column << " in\n" << text;
      }
    }
  }
  EXPECT_NE(all[4].find("1,000,000 -> 999,999"), std::string::npos) << text;
  EXPECT_NE(all[4].find("$1,234,568k"), std::string::npos) << text;
  EXPECT_NE(all[4].find("12,345,678"), std::string::npos) << text;
  EXPECT_NE(text.find("1,000,000 researchers, 520 weeks (10 years)"), std::string::npos) << text;
  EXPECT_NE(text.find("startups alive 1,989 (founded 23,456, failed 21,467)"), std::string::npos)
      << text;
}

TEST(SummaryTable, ShowsEveryRetentionFigureAndDashesForWhatIsUndefined) {
  std::ostringstream out;
  cli::print_summary(out, big_summary(), "runs/bench", {"summary.json"});
  const auto all = lines(out.str());
  // kept 12.3%, top kept 12.3%, published kept 50.0%
  EXPECT_TRUE(
      std::regex_search(all[4], std::regex(R"(12\.3% +12\.3% +50\.0% +1,000,000/2,000,000$)")))
      << out.str();
  // The empty group: no median pay, attrition or retention.
  const std::string& empty = all[5];
  EXPECT_TRUE(empty.starts_with("startups")) << empty;
  EXPECT_EQ(empty.find('$'), std::string::npos) << empty;
  EXPECT_EQ(empty.find('%'), std::string::npos) << empty;
  // median pay ... attrition, kept, top kept, published kept
  EXPECT_TRUE(std::regex_search(empty, std::regex(R"( - +0 +0 +- +- +- +- +0/0$)"))) << empty;
}

TEST(SummaryTable, ListsTheEventsNotReached) {
  RunSummary s = big_summary();
  std::ostringstream without;
  cli::print_summary(without, s, "runs/bench", {});
  EXPECT_EQ(without.str().find("not reached"), std::string::npos);
  s.ticks = 10;
  s.events_not_reached = {{1, 12, "pay_change", "meta"}, {4, 14, "market", ""}};
  std::ostringstream with;
  cli::print_summary(with, s, "runs/bench", {});
  EXPECT_NE(with.str().find("events not reached (the run ends at week 10):\n"
                            "  events[1] pay_change by meta in week 12\n"
                            "  events[4] market in week 14\n"),
            std::string::npos)
      << with.str();
}

}  // namespace
}  // namespace talentsim
