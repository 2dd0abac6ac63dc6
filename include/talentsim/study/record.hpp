// What a finished run leaves for measuring it (docs/MODEL.md "Measuring a run"): every
// week's report (week 0 is the initial state), and the hire and stock cohorts, kept
// exactly by the engine. The metric vocabulary (metric.hpp) reads only this, so a
// metric gives the same number inside the engine and from a run folder's CSV files.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/params.hpp"

namespace talentsim {

class Simulation;

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

/// Cohorts of the named firms: index [firm][group][kind][week].
struct CohortTable {
  std::size_t firms = 0;
  std::int64_t weeks = 0;  ///< weeks 0 .. weeks-1 are held
  std::vector<CohortRow> rows;

  [[nodiscard]] std::size_t index(std::size_t firm, TalentGroup g, CohortKind k,
                                  std::int64_t week) const {
    return ((firm * kTalentGroups + static_cast<std::size_t>(g)) * 2 + static_cast<std::size_t>(k)) *
               static_cast<std::size_t>(weeks) +
           static_cast<std::size_t>(week);
  }
  [[nodiscard]] const CohortRow& at(std::size_t firm, TalentGroup g, CohortKind k,
                                    std::int64_t week) const {
    return rows[index(firm, g, k, week)];
  }
};

/// Everything a metric can read about one run.
struct RunRecord {
  std::vector<std::string> groups;  ///< reporting groups: named firm ids, then "startups"
  std::size_t named = 0;            ///< named firms (the first `named` groups)
  std::int64_t researchers = 0;
  std::vector<TickReport> weeks;  ///< weeks[w].tick == w; weeks[0] is the initial state
  CohortTable cohorts;

  [[nodiscard]] std::int64_t last_week() const {
    return static_cast<std::int64_t>(weeks.size()) - 1;
  }
};

/// Builds a RunRecord while a simulation runs: construct it before the first step
/// (it takes week 0), call record() after every step, take() at the end.
class RunRecorder {
 public:
  explicit RunRecorder(Simulation& sim);
  void record(const Simulation& sim);
  [[nodiscard]] RunRecord take(const Simulation& sim);

 private:
  RunRecord record_;
};

/// Runs a scenario to its end (with the threads TBB allows) and records it.
RunRecord record_run(const Scenario& scenario);

/// Reads a run folder's timeseries.csv, market.csv and cohorts.csv back into a record.
/// @throws ScenarioError naming the file, line and column of anything malformed.
RunRecord read_run_folder(const std::filesystem::path& dir);
}  // namespace talentsim
