// `talentsim run` and `talentsim validate`: load and check everything first, so
// bad input exits 2 before anything is written; then run, then move files into place.
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/model/simulation.hpp"
#include "talentsim/scenario/scenario.hpp"
#include "talentsim/study/metric.hpp"

namespace talentsim::cli {
namespace {

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int signal) { g_signal = signal; }

}  // namespace

/// The scenario the flags name: a file, or the embedded default (no scenario, or
/// "default", as in `extends: default`; a file named so is ./default), with --set,
/// --seed and --ticks applied.
Scenario load_flagged_scenario(const RunOptions& options) {
  std::vector<std::string> sets = options.sets;
  // Flags are overrides like --set, applied last and validated the same way.
  if (options.seed)
    sets.push_back("seed=" + std::to_string(flag_value<std::uint64_t>("--seed", *options.seed, 0,
                                                                      ~std::uint64_t{0})));
  if (options.ticks)
    sets.push_back("ticks=" + std::to_string(flag_value<std::uint64_t>("--ticks", *options.ticks, 1,
                                                                       kMaxTicks)));
  if (options.scenario && *options.scenario != "default")
    return load_scenario_file(*options.scenario, sets);
  return load_scenario(default_scenario_text(), std::string(kDefaultScenarioSource), sets);
}

bool ticks_flagged(const RunOptions& options) {
  return options.ticks.has_value() ||
         std::any_of(options.sets.begin(), options.sets.end(),
                     [](const std::string& s) { return s.rfind("ticks=", 0) == 0; });
}

namespace {

/// The default output folder: runs/<name>-seed<seed>-<8 hex digits of the resolved
/// scenario>, so that runs of different scenarios (a --set, an edited file) never share one.
std::filesystem::path default_folder(const Scenario& scenario) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the resolved YAML
  for (const char c : to_yaml(scenario)) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  char digest[9];
  std::snprintf(digest, sizeof digest, "%08llx",
                static_cast<unsigned long long>((h >> 32) ^ (h & 0xffffffffULL)));
  return std::filesystem::path("runs") /
         (scenario.name + "-seed" + std::to_string(scenario.seed) + "-" + digest);
}

}  // namespace

int validate(const RunOptions& options) {
  try {
    const Scenario s = load_flagged_scenario(options);
    const std::string shown = options.scenario && *options.scenario != "default"
                                  ? *options.scenario
                                  : std::string(kDefaultScenarioSource);
    std::cout << shown << ": ok: scenario '" << s.name << "', " << s.population.researchers
              << " researchers, " << s.firms.size() << " firms, " << s.events.size() << " events, "
              << s.ticks << " weeks, seed " << s.seed << "\n";
    for (const std::size_t i : events_not_reached(s))
      std::cout << "note: events[" << i << "] (week " << s.events[i].week
                << ") is after the last week (" << s.ticks << "); a run does not reach it\n";
    // A target past the file's own last week is measured by check running on; one that a
    // --ticks (or --set ticks=) cut short is worth a note.
    if (ticks_flagged(options))
      for (const std::size_t i : targets_not_reached(s))
        std::cout << "note: targets[" << i << "] (" << s.targets[i].metric << ") reads week "
                  << parse_metric(s.targets[i].metric).last_week() << ", after the last ("
                  << s.ticks
                  << "): a run this long does not reach it, and talentsim check refuses it\n";
    return kExitOk;
  } catch (const FlagError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  }
}

int run(const RunOptions& options) {
  Scenario scenario;
  int threads = tbb::info::default_concurrency();
  try {
    if (options.threads) threads = flag_value<int>("--threads", *options.threads, 1, 4096);
    if (options.out && options.out->empty()) throw FlagError("--out: the folder name is empty");
    scenario = load_flagged_scenario(options);
  } catch (const FlagError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  const std::filesystem::path dir =
      options.out ? std::filesystem::path(*options.out) : default_folder(scenario);
  // summary.json is renamed into place last, so it marks a finished run.
  std::error_code ec;
  if (!options.force && std::filesystem::exists(dir / "summary.json", ec)) {
    std::cerr << "talentsim: error: " << dir.string()
              << " already holds a finished run; pass --force to replace it"
              << (options.out ? "" : " (or --out DIR to choose another folder)") << "\n";
    return kExitBadInput;
  }
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::unique_ptr<RunWriter> writer;
  try {
    Simulation sim(std::move(scenario));
    if (g_signal != 0) throw Cancelled();  // before any folder is made
    writer = std::make_unique<RunWriter>(dir, sim, options.agents);
    const TickReport initial = sim.initial_report();
    writer->record(initial);
    SummaryBuilder summary(sim, initial);
    const std::int64_t ticks = sim.scenario().ticks;
    Progress progress(!options.quiet, ticks, sim.scenario().population.researchers);
    const double start = now_seconds();
    for (std::int64_t t = 0; t < ticks; ++t) {
      if (g_signal != 0) throw Cancelled();
      sim.step();
      writer->record(sim.last_report());
      summary.record(sim.last_report());
      progress.update(sim.tick());
    }
    const double wall = now_seconds() - start;
    progress.finish();
    const RunSummary result = summary.build(sim, threads, wall);
    writer->finish(sim, result);
    print_summary(std::cout, result, dir.string(), writer->files());
    return kExitOk;
  } catch (const ScenarioError& e) {
    if (writer) writer->discard();
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const Cancelled&) {
    if (writer) writer->discard();
    std::cerr << "\ntalentsim: interrupted; no output was written\n";
    return 128 + (g_signal != 0 ? static_cast<int>(g_signal) : SIGINT);
  } catch (const std::bad_alloc&) {
    if (writer) writer->discard();
    std::cerr << "talentsim: error: out of memory\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    if (writer) writer->discard();
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace talentsim::cli
