// The command-line tool's pieces (the library never prints; this layer does).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/core/text.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/output/writers.hpp"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace, declared ahead
class App;
}  // namespace CLI

namespace talentsim::cli {

/// Exit codes of the command-line contract.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;  ///< 128 + SIGINT; SIGTERM gives 143

/// Flags as typed; run() and validate() check them strictly (CLI11 would wrap "-1" into a
/// uint64). validate() reads only the scenario, --seed, --ticks and --set.
struct RunOptions {
  std::optional<std::string> scenario;  ///< absent or "default": the embedded default
  std::optional<std::string> out;
  std::optional<std::string> seed;
  std::optional<std::string> ticks;
  std::optional<std::string> threads;
  std::vector<std::string> sets;
  bool agents = false;
  bool quiet = false;
  bool force = false;  ///< replace a finished run in the output folder
};

struct BenchOptions {
  std::int64_t researchers = 1'000'000;
  int firms = 12;
  std::int64_t ticks = 52;
  std::optional<int> threads;
  bool sweep = false;
  bool json = false;
};

struct ReportOptions {
  std::string input;   ///< a run folder or a check result (JSON)
  std::string output;  ///< empty: the default beside the input
};

/// `talentsim metrics RUN_DIR EXPR... [--json]`, `talentsim metrics --list`.
struct MetricsOptions {
  std::string run_dir;
  std::vector<std::string> expressions;
  bool json = false;
  bool list = false;
  bool markdown = false;  ///< with --list: the Markdown tables of docs/MODEL.md
};

/// `talentsim check SCENARIO [--replicates R] [--jobs N] [--json FILE]` and the scenario
/// flags of run (--seed, --ticks, --set).
struct CheckOptions {
  RunOptions scenario;
  std::optional<std::string> replicates;
  std::optional<std::string> jobs;
  std::optional<std::string> json;
};

/// Exit code of `check` when a target misses.
inline constexpr int kExitTargetMissed = 3;

/// The scenario the flags name (a file, or the embedded default), with --set, --seed and
/// --ticks applied. @throws FlagError, ScenarioError
Scenario load_flagged_scenario(const RunOptions& options);

/// Whether the flags set the run's length (--ticks, or --set ticks=...).
bool ticks_flagged(const RunOptions& options);

/// `talentsim calibrate`'s flags as typed (sim/cli/calibrate_command.cpp checks them).
struct CalibrateOptions {
  std::string scenario;           ///< a file, or "default"
  std::vector<std::string> free;  ///< KEY=LO:HI
  std::optional<std::string> replicates;
  std::optional<std::string> budget;
  std::string weights = "diagonal";
  std::optional<std::string> out;
  bool resume = false;
  std::optional<std::string> jobs;
  std::optional<std::string> seed;
  std::vector<std::string> sets;
  bool quiet = false;
  std::string command_line;  ///< as typed, for the calibrated scenario's header
};

int run(const RunOptions& options);
int bench(const BenchOptions& options);
int validate(const RunOptions& options);
/// Adds the `report` subcommand (sim/cli/report_command.cpp); report() runs it.
CLI::App* add_report_command(CLI::App& app, ReportOptions& options);
int report(const ReportOptions& options);
/// Adds the `metrics` subcommand (sim/cli/metrics_command.cpp); metrics() runs it.
CLI::App* add_metrics_command(CLI::App& app, MetricsOptions& options);
int metrics(const MetricsOptions& options);
/// Adds the `check` subcommand's own flags (sim/cli/check_command.cpp); main adds the
/// scenario flags it shares with run. check() runs it.
CLI::App* add_check_command(CLI::App& app, CheckOptions& options);
int check(const CheckOptions& options);
/// Adds the `calibrate` subcommand (sim/cli/calibrate_command.cpp); calibrate() runs it.
CLI::App* add_calibrate_command(CLI::App& app, CalibrateOptions& options);
int calibrate(const CalibrateOptions& options);

/// Progress on stderr: a bar, the tick, ETA and throughput; silent when disabled.
class Progress {
 public:
  Progress(bool enabled, std::int64_t ticks, std::int64_t researchers);
  void update(std::int64_t tick);
  void finish();

 private:
  bool enabled_;
  std::int64_t ticks_;
  std::int64_t researchers_;
  double start_ = 0.0;
  double last_draw_ = -1.0;
};

/// The readable table printed at the end of a run.
void print_summary(std::ostream& out, const RunSummary& summary, const std::string& dir,
                   const std::vector<std::string>& files);

/// A usage error in a flag's value.
class FlagError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The flag's value as an integer in [lo, hi], or a FlagError naming the flag.
template <class T>
T flag_value(const char* flag, const std::string& text, T lo, T hi) {
  const auto v = parse_uint(text);
  if (!v || text.find_first_of("+ \t") != std::string::npos ||
      *v < static_cast<std::uint64_t>(lo) || *v > static_cast<std::uint64_t>(hi))
    throw FlagError(std::string(flag) + ": expected an integer in [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "], got '" + text + "'");
  return static_cast<T>(*v);
}

/// An argument as a POSIX shell reads it back: as is when plain, else in single quotes.
std::string shell_quoted(std::string_view arg);

/// Seconds on a monotonic clock.
double now_seconds();

}  // namespace talentsim::cli
