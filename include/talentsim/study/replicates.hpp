// Replicates of a scenario: the same scenario under R seeds derived from one base seed,
// each run evaluated on a list of metrics. `talentsim check` and calibration share them
// (common random numbers: every candidate is measured on the same seeds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "talentsim/model/params.hpp"
#include "talentsim/study/metric.hpp"

namespace talentsim {
/// Seeds of R replicates derived from `base` (a SplitMix64 stream): check and calibrate use the
/// same ones.
std::vector<std::uint64_t> replicate_seeds(std::uint64_t base, std::size_t replicates);
/// Runs `scenario` once per seed (its own seed replaced), up to `jobs` runs at once, and evaluates
/// every metric on each run: result[r][m]. Identical for any jobs.
///
/// Runs share one TBB arena of `jobs` threads; a run's own parallel passes use the threads
/// no other run is using. Each run is isolated (a thread waiting inside one run does not
/// start another), so at most `jobs` runs are in memory at once, and each run's record is
/// evaluated and dropped as soon as it ends. `progress` is called after each run, from
/// the thread that finished it, one call at a time.
/// @throws MetricError when a metric does not fit the scenario (check_metric first),
///         ScenarioError for a scenario the engine rejects.
std::vector<std::vector<double>> simulate_metrics(
    const Scenario& scenario, const std::vector<Metric>& metrics,
    const std::vector<std::uint64_t>& seeds, std::size_t jobs,
    const std::function<void(std::size_t done, std::size_t total)>& progress = {});
}  // namespace talentsim
