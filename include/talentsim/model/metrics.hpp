// What a tick reports (docs/MODEL.md phase 11): one row per reporting group (each
// named firm, and all startups together), one market row, and the run's flows.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
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
  std::int64_t leader_departures = 0;
  /// Of the departures, the voluntary ones (to a firm, a startup or independent
  /// research); the rest are separations (to between jobs, involuntary).
  std::int64_t quits = 0;
  std::int64_t top_quits = 0;
  std::int64_t published_quits = 0;
  std::int64_t leader_quits = 0;

  FirmTickCounters& operator+=(const FirmTickCounters& o);
  bool operator==(const FirmTickCounters&) const = default;
};

/// Offers a firm (or all startups) made in one tick, and what became of them.
struct OfferStats {
  std::int64_t made = 0;
  std::int64_t accepted = 0;   ///< chosen by the researcher this tick
  std::int64_t countered = 0;  ///< met by a counter-offer from the researcher's employer
  double pay_sum = 0.0;        ///< sum of the offered pay, USD/year (exact in cents)
  double median_pay = 0.0;     ///< exact median of the offered pay; NaN when none were made

  [[nodiscard]] double mean_pay() const {
    return made > 0 ? pay_sum / static_cast<double>(made)
                    : std::numeric_limits<double>::quiet_NaN();
  }
  bool operator==(const OfferStats&) const = default;
};

/// One tick of one reporting group (a named firm, or all startups).
struct GroupMetrics {
  std::int64_t headcount = 0;
  std::int64_t top_headcount = 0;
  std::int64_t published_headcount = 0;
  std::int64_t leader_headcount = 0;
  /// Open positions this week under a hiring plan (planned headcount less staff and
  /// accepted hires waiting to start); 0 without a plan, and for startups.
  std::int64_t openings = 0;
  double mean_salary = 0.0;
  double median_salary = 0.0;
  double mean_burnout = 0.0;
  double mean_faith = 0.0;
  FirmTickCounters counts;  ///< this tick's hires, departures by destination, ...
  OfferStats offers;        ///< this tick's offers made by the group
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

/// Groups of researchers a cohort or a headcount can be about.
enum class TalentGroup : std::uint8_t { kAll, kTop, kPublished, kLeaders };
inline constexpr std::size_t kTalentGroups = 4;
inline constexpr std::array<const char*, kTalentGroups> kTalentGroupNames{"all", "top", "published",
                                                                          "leaders"};

/// Cohort kinds: those who joined a firm in a week, and those there at a week's end.
enum class CohortKind : std::uint8_t { kHired, kPresent };
inline constexpr std::array<const char*, 2> kCohortKindNames{"hired", "present"};

/// Offsets, in weeks, at which a cohort's survivors are counted.
inline constexpr std::array<int, 3> kCohortOffsets{26, 52, 104};

/// One cohort: its size, and how many of it are still at the firm, without a break,
/// kCohortOffsets[k] weeks later (-1 where the run ended first).
struct CohortRow {
  std::int64_t size = 0;
  std::array<std::int64_t, kCohortOffsets.size()> still{-1, -1, -1};
};

/// Cohorts of the named firms, week by week: index [week][firm][group][kind].
struct CohortTable {
  std::size_t firms = 0;
  std::int64_t weeks = 0;  ///< weeks 0 .. weeks-1 are held
  std::vector<CohortRow> rows;

  [[nodiscard]] std::size_t index(std::size_t firm, TalentGroup g, CohortKind k,
                                  std::int64_t week) const {
    return ((static_cast<std::size_t>(week) * firms + firm) * kTalentGroups +
            static_cast<std::size_t>(g)) *
               2 +
           static_cast<std::size_t>(k);
  }
  [[nodiscard]] CohortRow& at(std::size_t firm, TalentGroup g, CohortKind k, std::int64_t week) {
    return rows[index(firm, g, k, week)];
  }
  [[nodiscard]] const CohortRow& at(std::size_t firm, TalentGroup g, CohortKind k,
                                    std::int64_t week) const {
    return rows[index(firm, g, k, week)];
  }
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
