// `talentsim check`: a scenario's targets (params.hpp, `targets:`) against R replicates.
// Per target: the mean over replicates, their standard deviation, and a 95% Student t
// interval of the mean; a target passes when that interval meets its band.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "talentsim/model/params.hpp"

namespace talentsim {

/// The mean of some values with its spread and a two-sided Student t interval.
struct MeanInterval {
  std::size_t n = 0;  ///< finite values (NaN ones, where a metric is undefined, are left out)
  double mean = 0.0;  ///< NaN when n = 0
  double sd = 0.0;    ///< sample standard deviation; NaN when n < 2
  double lo = 0.0;    ///< mean -+ t(level, n-1) sd / sqrt(n); the mean itself when n = 1
  double hi = 0.0;
};

/// @param level the interval's coverage, e.g. 0.95
MeanInterval mean_interval(const std::vector<double>& values, double level = 0.95);

/// One target's result.
struct TargetResult {
  std::string metric;
  std::string source;
  std::optional<double> value;  ///< the target's value; absent for a range target
  double lo = 0.0, hi = 0.0;    ///< the band
  std::vector<double> values;   ///< one per replicate, in seed order (NaN where undefined)
  MeanInterval mean;
  bool pass = false;  ///< the 95% interval meets [lo, hi] (false when nothing was defined)
};

struct CheckResult {
  std::string scenario;
  std::uint64_t seed = 0;  ///< the base seed the replicate seeds derive from
  std::size_t replicates = 0;
  std::vector<std::uint64_t> seeds;
  std::vector<TargetResult> targets;
  [[nodiscard]] std::size_t passed() const;
  [[nodiscard]] std::size_t missed() const { return targets.size() - passed(); }
};

/// The weeks a run must last for every target to be measured: the scenario's `ticks`, or
/// the last week a target reads if later. The model never reads `ticks`, so a run that
/// goes on changes none of the earlier weeks (check and calibrate run this long unless
/// told how long). @throws MetricError for a bad metric.
std::int64_t weeks_targets_read(const Scenario& scenario);

/// Runs `replicates` replicates of `scenario` (seeds: replicate_seeds(scenario.seed, R)),
/// up to `jobs` at once, and measures every target. Identical for any `jobs`.
/// @throws ScenarioError when the scenario has no targets, or a target reads a week after
///         the run's last (a shorter --ticks); MetricError for a bad metric.
CheckResult run_check(
    const Scenario& scenario, std::size_t replicates, std::size_t jobs,
    const std::function<void(std::size_t done, std::size_t total)>& progress = {});

/// The result as the JSON `talentsim report CHECK.json` reads (report/check_report.hpp).
std::string check_json(const CheckResult& result);

/// The result as a plain-text table, one row per target, and a closing line.
std::string check_table(const CheckResult& result);

}  // namespace talentsim
