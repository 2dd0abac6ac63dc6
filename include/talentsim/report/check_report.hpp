// The check adapter: reads the JSON that `talentsim check --json FILE` writes (calibration
// targets against intervals over replicates) and turns it into a Report: a
// dot-and-whisker chart (one row per target, each row normalised to its target band and
// labelled with real values) and a table.
//
//   {"scenario": "meta_2024", "seed": 20240325, "replicates": 20, "version": "...",
//    "targets": [{"metric": "...", "source": "...", "lo": 380000, "hi": 420000,
//                 "target": 400000, "mean": 401234.5, "ci_lo": 399000, "ci_hi": 403000,
//                 "sd": 5000, "pass": true, "values": [...]}, ...],
//    "passed": 5, "missed": 2}
//
// Only "targets" and each target's "metric" and "mean" are required; other fields are
// shown when present.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/report/charts.hpp"
#include "talentsim/report/report.hpp"

namespace talentsim::report {

struct CheckTarget {
  std::string metric, source;
  double lo = kNoValue, hi = kNoValue, target = kNoValue;
  double mean = kNoValue, ci_lo = kNoValue, ci_hi = kNoValue, sd = kNoValue;
  std::optional<bool> pass;  ///< absent: whether the 95% interval meets the band
  std::vector<double> values;
};

struct CheckResult {
  std::string scenario, version;
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> replicates, passed, missed;
  std::vector<CheckTarget> targets;
};

/// @throws InputError naming the file (and line, or the target) when it is not a check
/// result.
CheckResult load_check(const std::filesystem::path& path);
CheckResult parse_check(std::string_view json_text, const std::string& source);

/// Whether a target passed: its "pass" field, else whether [ci_lo, ci_hi] (or the mean)
/// overlaps [lo, hi].
bool target_passed(const CheckTarget& target);

Report check_report(const CheckResult& check, ChartRenderer& charts);

}  // namespace talentsim::report
