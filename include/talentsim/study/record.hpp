// What a finished run leaves for measuring it (docs/MODEL.md "Measuring a run"): every
// week's report (week 0 is the initial state), and the hire and stock cohorts, kept
// exactly by the engine. The metric vocabulary (metric.hpp) reads only this, so a
// metric gives the same number inside the engine and from a run folder's CSV files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/params.hpp"

namespace talentsim {

class Simulation;

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

/// Reads a run folder's timeseries.csv, market.csv, offers.csv and cohorts.csv back into a
/// record. Counts are exact; pay, burnout, faith and the HHI come back at the files'
/// printing precision (cents, 6 decimals), and offers' pay sums as mean_offer x offers.
/// `researchers` is week 0's employed + between_jobs.
/// @throws ScenarioError naming the file, line and column of anything malformed (missing
///         files or columns, rows out of order, a missing cohort, a number that is not one).
RunRecord read_run_folder(const std::filesystem::path& dir);
}  // namespace talentsim
