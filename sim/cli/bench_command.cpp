// `talentsim bench`: tick throughput on a synthetic market, per phase, against the
// memory bandwidth of this machine, across thread counts.
#include <tbb/info.h>

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/version.hpp"
#include "talentsim/perf/perf.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim::cli {
namespace {

std::string hex(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

/// The thread count of the scaling target (a 16-core machine), for Amdahl's bound.
constexpr int kScalingTarget = 16;

std::vector<int> thread_counts(const BenchOptions& o) {
  const int hw = tbb::info::default_concurrency();
  if (!o.sweep) return {o.threads.value_or(hw)};
  std::vector<int> counts;
  for (int t = 1; t < hw; t *= 2) counts.push_back(t);
  counts.push_back(hw);
  return counts;
}

}  // namespace

int bench(const BenchOptions& o) {
  Scenario scenario;
  try {
    scenario = perf::synthetic_market(o.researchers, o.firms, o.ticks);
    talentsim::validate(scenario);
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: bench: " << e.what() << "\n";
    return kExitBadInput;
  }
  const std::size_t baseline_rss = perf::current_rss_bytes();
  std::vector<perf::Measurement> runs;
  try {
    for (const int threads : thread_counts(o)) {
      runs.push_back(perf::measure(scenario, threads));
      if (!o.json)
        std::cerr << "  " << threads << " thread" << (threads == 1 ? "" : "s") << ": "
                  << std::scientific << std::setprecision(3) << runs.back().agent_ticks_per_second
                  << " agent-ticks/s\n";
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "talentsim: error: bench: out of memory\n";
    return kExitRuntime;
  }
  std::size_t peak = 0;
  for (const auto& r : runs) peak = std::max(peak, r.peak_rss_bytes);
  const double n = static_cast<double>(o.researchers);
  const perf::Measurement& first = runs.front();
  bool same_hash = true;
  for (const auto& r : runs) same_hash = same_hash && r.state_hash == first.state_hash;

  nlohmann::ordered_json j;
  j["version"] = std::string(version());
  j["researchers"] = o.researchers;
  j["firms"] = o.firms;
  j["ticks"] = o.ticks;
  const int hardware_threads = tbb::info::default_concurrency();
  j["hardware_threads"] = hardware_threads;
  j["state_bytes_per_researcher"] = kColumnBytesPerResearcher;
  j["peak_rss_bytes"] = peak;
  j["peak_bytes_per_researcher"] = static_cast<double>(peak) / n;
  j["model_bytes_per_researcher"] = static_cast<double>(peak - std::min(peak, baseline_rss)) / n;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : runs) {
    nlohmann::ordered_json phases, serial_phases;
    for (std::size_t p = 0; p < r.phase_names.size(); ++p) {
      phases[r.phase_names[p]] = r.phase_ns_per_agent_tick[p];
      serial_phases[r.phase_names[p]] = r.phase_serial_ns_per_agent_tick[p];
    }
    // Speedup and efficiency need a measured 1-thread run to compare with.
    const bool baseline = first.threads == 1;
    const double speedup = first.seconds / r.seconds;
    list.push_back(
        {{"threads", r.threads},
         {"seconds", r.seconds},
         {"agent_ticks_per_second", r.agent_ticks_per_second},
         {"ns_per_agent_tick", r.ns_per_agent_tick},
         {"phase_ns_per_agent_tick", phases},
         {"phase_serial_ns_per_agent_tick", serial_phases},
         {"serial_share", r.serial_share},
         {"passes_per_tick", r.passes_per_tick},
         {"empty_pass_seconds", r.empty_pass_seconds},
         {"pass_utilisation", r.pass_utilisation},
         {"tick_read_bytes", r.traffic.read_bytes},
         {"tick_write_bytes", r.traffic.write_bytes},
         {"stream_seconds", r.stream_seconds},
         {"roofline_ratio", r.roofline_ratio},
         {"speedup", baseline ? nlohmann::ordered_json(speedup) : nullptr},
         {"parallel_efficiency", baseline ? nlohmann::ordered_json(speedup / r.threads) : nullptr},
         {"state_hash", hex(r.state_hash)}});
  }
  j["runs"] = list;
  // Amdahl's bound, from the serial share of a measured 1-thread run.
  const bool have_one_thread = first.threads == 1;
  std::vector<int> bound_threads{hardware_threads};
  if (hardware_threads != kScalingTarget) bound_threads.push_back(kScalingTarget);
  nlohmann::ordered_json bound = nullptr;
  if (have_one_thread) {
    bound = nlohmann::ordered_json::object();
    for (const int t : bound_threads)
      bound[std::to_string(t)] = perf::amdahl_efficiency(first.serial_share, t);
  }
  j["amdahl_efficiency_bound"] = bound;
  j["state_hash_identical"] = same_hash;
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return same_hash ? kExitOk : kExitRuntime;
  }

  std::cout << "talentsim " << version() << " bench: " << o.researchers << " researchers, "
            << o.firms << " firms, " << o.ticks << " weeks, whole model on\n\n";
  std::cout << "threads  agent-ticks/s  ns/agent-tick  speedup  efficiency  roofline  state hash\n";
  for (const auto& r : list) {
    std::cout << std::setw(7) << r["threads"].get<int>() << std::setw(15) << std::scientific
              << std::setprecision(2) << r["agent_ticks_per_second"].get<double>() << std::fixed
              << std::setw(15) << std::setprecision(2) << r["ns_per_agent_tick"].get<double>();
    if (r["speedup"].is_null())
      std::cout << std::setw(9) << "-" << std::setw(12) << "-";
    else
      std::cout << std::setw(9) << r["speedup"].get<double>() << std::setw(12)
                << r["parallel_efficiency"].get<double>();
    std::cout << std::setw(10) << r["roofline_ratio"].get<double>() << "  "
              << r["state_hash"].get<std::string>() << "\n";
  }
  const perf::Measurement& last = runs.back();
  std::cout << "\nper phase, ns per agent-tick (" << last.threads << " threads):";
  for (std::size_t p = 0; p < last.phase_names.size(); ++p)
    std::cout << " " << last.phase_names[p] << " " << std::setprecision(2)
              << last.phase_ns_per_agent_tick[p];
  std::cout << "\nserial code, outside parallel passes (" << first.threads << " thread"
            << (first.threads == 1 ? "" : "s") << "): " << std::setprecision(1)
            << 100.0 * first.serial_share << "% of the tick:";
  for (std::size_t p = 0; p < first.phase_names.size(); ++p)
    std::cout << " " << first.phase_names[p] << " " << std::setprecision(2)
              << first.phase_serial_ns_per_agent_tick[p];
  std::cout << " ns per agent-tick";
  if (have_one_thread) {
    std::cout << "\nAmdahl's law then caps parallel efficiency at";
    for (std::size_t k = 0; k < bound_threads.size(); ++k)
      std::cout << (k == 0 ? " " : ", ") << std::setprecision(2)
                << perf::amdahl_efficiency(first.serial_share, bound_threads[k]) << " on "
                << bound_threads[k] << " threads";
  }
  std::cout << "\nparallel passes (" << last.threads << " thread" << (last.threads == 1 ? "" : "s")
            << "): " << std::setprecision(1) << last.passes_per_tick
            << " per tick, keeping the threads busy " << 100.0 * last.pass_utilisation
            << "% of their time; an empty one takes " << last.empty_pass_seconds * 1e6 << " us ("
            << std::setprecision(2)
            << 100.0 * last.passes_per_tick * last.empty_pass_seconds /
                   (last.seconds / static_cast<double>(o.ticks))
            << "% of the tick)";
  std::cout << "\nmemory: peak " << std::setprecision(1) << static_cast<double>(peak) / 1e6
            << " MB = " << static_cast<double>(peak) / n << " bytes per researcher (state "
            << kColumnBytesPerResearcher << ")\n";
  std::cout << "roofline: a tick reads " << static_cast<double>(last.traffic.read_bytes) / 1e6
            << " MB and writes " << static_cast<double>(last.traffic.write_bytes) / 1e6
            << " MB of state; mean tick " << std::setprecision(2)
            << last.seconds / static_cast<double>(o.ticks) * 1e3
            << " ms; streaming the same bytes once takes " << last.stream_seconds * 1e3
            << " ms; ratio " << last.roofline_ratio << " (1.0 is the memory limit)\n";
  std::cout << "state hash identical across thread counts: " << (same_hash ? "yes" : "NO") << "\n";
  return same_hash ? kExitOk : kExitRuntime;
}

}  // namespace talentsim::cli
