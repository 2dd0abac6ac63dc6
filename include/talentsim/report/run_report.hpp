// The run-folder adapter: reads what `talentsim run` wrote (timeseries.csv, market.csv,
// flows.csv, summary.json, scenario.yaml, and cohorts.csv and offers.csv where present)
// and turns it into a Report.
//
// CSVs are read by header name. Columns and files that newer runs add (a tick-0 row,
// leader_headcount, the quits/separations split, cohorts.csv, offers.csv) are used when
// present; without them the report leaves the chart out and says why.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/report/charts.hpp"
#include "talentsim/report/report.hpp"

namespace talentsim::report {

/// Columns of one group (or of the market) by week, in file order.
struct WeeklyTable {
  std::vector<double> week;
  std::map<std::string, std::vector<double>, std::less<>> values;
  /// The column, or nullptr when the file did not have it.
  [[nodiscard]] const std::vector<double>* column(std::string_view name) const;
};

/// A reporting group of timeseries.csv: a firm, or `startups`.
struct RunGroup {
  std::string id;
  std::string name;  ///< display name from summary.json; the id when it has none
  WeeklyTable weekly;
  double annualised_attrition = kNoValue;
  /// The starting cohort still there at the end (summary.json), shares 0..1.
  double cohort_kept = kNoValue, top_cohort_kept = kNoValue, published_cohort_kept = kNoValue;
};

struct RunEvent {
  std::int64_t week = 0;
  std::string type;
  std::string firm;    ///< empty for market events
  std::string detail;  ///< what it does, in words
};

struct Flow {
  std::string from, to;
  double count = 0.0;
};

/// A row of cohorts.csv: a group of researchers at a firm and how many stayed.
struct CohortRow {
  std::string firm, group, kind;
  double week = 0.0, size = 0.0;
  std::map<int, double> kept;  ///< weeks later -> still there (at_<N> columns, empty skipped)
};

struct RunData {
  std::string scenario, description, version, state_hash;
  std::uint64_t seed = 0;
  std::int64_t ticks = 0, researchers = 0;
  std::vector<RunGroup> groups;  ///< summary.json's order, then any others in timeseries.csv
  std::vector<RunEvent> events;
  WeeklyTable market;
  std::vector<Flow> flows;
  bool has_cohorts = false, has_offers = false;
  std::vector<CohortRow> cohorts;
  std::map<std::string, WeeklyTable, std::less<>> offers;  ///< by firm
};

/// Reads a run folder. @throws InputError naming the file (and line) on a missing
/// folder or file, a missing column, or a malformed row or value.
RunData load_run(const std::filesystem::path& dir);

/// The report of a run: overview, events, headcounts, pay, attrition and retention,
/// flows, market, offers.
Report run_report(const RunData& run, ChartRenderer& charts);

}  // namespace talentsim::report
