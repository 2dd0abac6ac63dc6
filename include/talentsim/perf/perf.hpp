// Measuring the engine: a synthetic market, the memory bandwidth of this machine
// for the bytes a tick touches, and the process's memory use. Used by
// `talentsim bench` and by the micro benchmarks in bench/.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "talentsim/model/params.hpp"
#include "talentsim/model/simulation.hpp"

namespace talentsim::perf {

/// A market of `researchers` across `firms` firms (shares falling like 1/rank) with
/// the whole model switched on at default rates: counter-offers, hiring lags and
/// interview-free offers, a headcount cap, a reactive raise, startups, independent
/// research, and a recruiting campaign from week 4. A few percent of researchers
/// get an offer each week.
Scenario synthetic_market(std::int64_t researchers, int firms, std::int64_t ticks,
                          std::uint64_t seed = 1);

/// Seconds to stream once through `read_bytes` and write `write_bytes` with the
/// current thread limit: a parallel triad a = b + s c over float buffers of that
/// total size, best of `repeats`.
double stream_seconds(std::size_t read_bytes, std::size_t write_bytes, int repeats = 5);

/// Seconds of one parallel pass that does nothing over `rows` rows with the current
/// thread limit (the fork, the chunk dispatch and the join), best of `repeats`.
double empty_pass_seconds(std::size_t rows, int repeats = 50);

/// Resident memory of this process now and at its peak (VmRSS, VmHWM), bytes.
std::size_t current_rss_bytes();
std::size_t peak_rss_bytes();
/// Starts a new peak (Linux: writes 5 to /proc/self/clear_refs). False if unsupported.
bool reset_peak_rss();

/// Bytes of researcher state a tick reads and writes once each (the hot columns and
/// the team table), for the memory roofline.
struct TickTraffic {
  std::size_t read_bytes;
  std::size_t write_bytes;
};
TickTraffic tick_traffic(const Simulation& sim);

/// One measured run.
struct Measurement {
  int threads = 0;
  double seconds = 0.0;  ///< the tick loop only
  double agent_ticks_per_second = 0.0;
  double ns_per_agent_tick = 0.0;
  std::vector<std::string> phase_names;  ///< the schedule's phases, in order
  std::vector<double> phase_ns_per_agent_tick;
  /// The part of each phase spent outside parallel passes (serial code).
  std::vector<double> phase_serial_ns_per_agent_tick;
  double serial_share = 0.0;        ///< serial time / tick-loop time
  double passes_per_tick = 0.0;     ///< parallel passes (fork/joins) per tick
  double empty_pass_seconds = 0.0;  ///< one pass doing nothing over the researchers
  /// Of the time the parallel passes could use all threads, the share their tasks
  /// worked (measure_utilisation); the rest is fork/join and the passes' tails.
  double pass_utilisation = 0.0;
  TickTraffic traffic{};        ///< bytes a tick reads and writes once each
  double stream_seconds = 0.0;  ///< streaming those bytes once, same threads
  double roofline_ratio = 0.0;  ///< mean tick time / stream_seconds
  std::uint64_t state_hash = 0;
  std::size_t peak_rss_bytes = 0;  ///< process peak while the simulation lived
};

/// Amdahl's law: the most parallel efficiency `threads` threads can reach when a
/// share `serial_share` of the one-thread time is serial, 1 / (s N + 1 - s).
double amdahl_efficiency(double serial_share, int threads);

/// Builds the synthetic market (not timed), runs `ticks` ticks with `threads` threads.
Measurement measure(const Scenario& scenario, int threads);

}  // namespace talentsim::perf
