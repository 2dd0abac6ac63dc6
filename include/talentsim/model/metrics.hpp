// What a tick reports (docs/MODEL.md phase 11): one row per reporting group (each
// named firm, and all startups together), one market row, and the run's flows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace talentsim {

/// Name of the group that aggregates every founded startup, and of the places
/// researchers can be in besides named firms. All startups together are `startups`
/// everywhere (timeseries.csv, flows.csv, summary.json); agents.csv names one startup
/// `startups.<n>`, n its founding serial (a dot, which no firm id can hold).
inline constexpr std::string_view kStartupsGroup = "startups";
inline constexpr std::string_view kPlaceStartup = kStartupsGroup;
inline constexpr std::string_view kPlaceIndependent = "independent";
inline constexpr std::string_view kPlaceBetweenJobs = "between_jobs";

/// What happened to a firm (or a group of firms) in one tick: moves, counter-offers,
/// raises. A firm keeps one for the current tick and one for the whole run.
struct FirmTickCounters {
  std::int64_t hires = 0;
  std::int64_t departures = 0;
  std::int64_t departures_to_firm = 0;
  std::int64_t departures_to_startup = 0;
  std::int64_t departures_to_independent = 0;
  std::int64_t departures_to_between_jobs = 0;
  std::int64_t counteroffers = 0;
  std::int64_t counteroffers_won = 0;
  std::int64_t reactive_raises = 0;     ///< researchers whose pay the reactive policy raised
  std::int64_t rejected_by_limits = 0;  ///< acceptances refused by a headcount cap or budget
  std::int64_t top_departures = 0;      ///< departures of top talent (any destination)
  std::int64_t published_departures = 0;

  FirmTickCounters& operator+=(const FirmTickCounters& o);
  bool operator==(const FirmTickCounters&) const = default;
};

/// One tick of one reporting group (a named firm, or all startups).
struct GroupMetrics {
  std::int64_t headcount = 0;
  std::int64_t top_headcount = 0;
  std::int64_t published_headcount = 0;
  double mean_salary = 0.0;
  double median_salary = 0.0;
  double mean_burnout = 0.0;
  double mean_faith = 0.0;
  FirmTickCounters counts;  ///< this tick's hires, departures by destination, ...
};

/// The market in one tick.
struct MarketMetrics {
  std::int64_t employed = 0;
  std::int64_t between_jobs = 0;  ///< not employed (includes independent researchers)
  std::int64_t independent = 0;   ///< of which doing independent research
  std::int64_t startups_alive = 0;
  std::int64_t startups_founded = 0;
  std::int64_t startups_failed = 0;
  double top_talent_hhi = 0.0;        ///< sum over employers of squared top-talent shares, 0..1
  std::int64_t pending_hires = 0;     ///< accepted offers waiting for their start date
  std::int64_t offers = 0;            ///< offers made this tick
  std::int64_t decisions = 0;         ///< researchers who chose among options this tick
  std::int64_t startups_refused = 0;  ///< foundings that found every startup slot taken
};

/// Everything tick t reports.
struct TickReport {
  std::int64_t tick = 0;
  std::vector<GroupMetrics> groups;  ///< named firms in scenario order, then "startups"
  MarketMetrics market;
};

/// Counts of moves between places over the whole run. Places are the named
/// firms (in order), then startup, independent, between_jobs.
struct FlowMatrix {
  std::vector<std::string> places;
  std::vector<std::int64_t> counts;  ///< row-major: counts[from * places + to]

  [[nodiscard]] std::int64_t at(std::size_t from, std::size_t to) const {
    return counts[from * places.size() + to];
  }
};

}  // namespace talentsim
