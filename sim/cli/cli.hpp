// The command-line tool's pieces (the library never prints; this layer does).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "talentsim/output/writers.hpp"

namespace talentsim::cli {

/// Exit codes of the command-line contract.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;  ///< 128 + SIGINT; SIGTERM gives 143

/// Flags as typed; run() checks them strictly (CLI11 would wrap "-1" into a uint64).
struct RunOptions {
  std::optional<std::string> scenario;  ///< absent: the embedded default
  std::optional<std::string> out;
  std::optional<std::string> seed;
  std::optional<std::string> ticks;
  std::optional<std::string> threads;
  std::vector<std::string> sets;
  bool agents = false;
  bool quiet = false;
};

int run(const RunOptions& options);
int validate(const std::string& scenario_path, const std::vector<std::string>& sets);

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

/// Seconds on a monotonic clock.
double now_seconds();

}  // namespace talentsim::cli
