// `talentsim report INPUT [-o FILE]`: which adapter reads the input, and writing the page.
//
// A folder is a run (run_report.hpp); a file holding a JSON object with a "targets"
// array is a check result (check_report.hpp). A sweep adapter (metrics against
// parameters from a sweep database: lines with interval bands, paired differences as
// IntervalChart rows, sensitivity as BarChart) would add a kind here and a
// sweep_report.hpp beside the other two.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "talentsim/report/charts.hpp"
#include "talentsim/report/report.hpp"

namespace talentsim::report {

enum class InputKind : std::uint8_t { kRunFolder, kCheckResult };

/// @throws InputError when `input` is missing or is neither kind.
InputKind detect_input(const std::filesystem::path& input);

/// RUN_DIR/report.html for a run; CHECK.html beside CHECK.json for a check.
std::filesystem::path default_output(const std::filesystem::path& input, InputKind kind);

/// Reads the input (all of it, before any chart is drawn) and builds its report.
/// @throws InputError on bad input, GnuplotMissing, Error when gnuplot fails.
Report build_report(const std::filesystem::path& input, InputKind kind, ChartRenderer& charts);

/// Writes the page atomically (complete or absent). @throws IoError
void write_report(const std::string& html, const std::filesystem::path& output);

}  // namespace talentsim::report
