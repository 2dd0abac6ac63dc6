// `talentsim check SCENARIO`: the scenario's targets against R replicates
// (include/talentsim/study/check.hpp). Exit 0 when every target passes, 3 when any
// misses, 2 on bad input.
#include <tbb/info.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/output/atomic_file.hpp"
#include "talentsim/study/check.hpp"
#include "talentsim/study/metric.hpp"

namespace talentsim::cli {

CLI::App* add_check_command(CLI::App& app, CheckOptions& options) {
  auto* cmd = app.add_subcommand(
      "check", "Measure a scenario against its targets over replicates (exit 3 if any misses)");
  cmd->add_option("--replicates", options.replicates, "Replicates, 1-10000 (default 20)")
      ->type_name("UINT");
  cmd->add_option("--jobs", options.jobs,
                  "Runs at once, 1-4096 (default: all cores); results do not depend on it")
      ->type_name("UINT");
  cmd->add_option("--json", options.json,
                  "Also write the result as JSON (what `talentsim report FILE` reads)")
      ->type_name("FILE");
  return cmd;
}

int check(const CheckOptions& options) {
  std::size_t replicates = 20;
  auto jobs = static_cast<std::size_t>(tbb::info::default_concurrency());
  Scenario scenario;
  try {
    if (options.replicates)
      replicates = flag_value<std::size_t>("--replicates", *options.replicates, 1, 10000);
    if (options.jobs) jobs = flag_value<std::size_t>("--jobs", *options.jobs, 1, 4096);
    if (options.json && options.json->empty()) throw FlagError("--json: the file name is empty");
    scenario = load_flagged_scenario(options.scenario);
  } catch (const FlagError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  // Targets may read weeks after the scenario's last (two-year retention of hires): the
  // model never reads `ticks`, so running on changes none of the earlier weeks, and check
  // runs as long as its targets need -- unless --ticks (or --set ticks=) says how long.
  if (!ticks_flagged(options.scenario)) {
    std::int64_t needed = scenario.ticks;
    try {
      needed = weeks_targets_read(scenario);
    } catch (const MetricError& e) {
      std::cerr << "talentsim: error: " << e.what() << "\n";
      return kExitBadInput;
    }
    if (needed > scenario.ticks) {
      std::cerr << "talentsim: note: runs go on to week " << needed << " (the scenario ends at "
                << scenario.ticks << ") for targets that read later weeks; earlier weeks are "
                << "the same as in a " << scenario.ticks << "-week run\n";
      scenario.ticks = needed;
    }
  }
  const bool terminal = isatty(STDERR_FILENO) != 0;
  const auto progress = [terminal](std::size_t done, std::size_t total) {
    if (terminal)
      std::cerr << "\rcheck: " << done << " of " << total << " replicates" << std::flush;
    else if (done == total)
      std::cerr << "check: " << done << " of " << total << " replicates\n";
  };
  try {
    const CheckResult result = run_check(scenario, replicates, jobs, progress);
    if (terminal) std::cerr << "\n";
    if (options.json) {
      AtomicFile out(*options.json);
      out.write(check_json(result));
      out.commit();
    }
    std::cout << check_table(result);
    return result.missed() == 0 ? kExitOk : kExitTargetMissed;
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "talentsim: error: out of memory\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace talentsim::cli
