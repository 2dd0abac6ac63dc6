// talentsim: run and validate talent-market scenarios from the command line.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/core/version.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace {

int run_main(int argc, char** argv) {
  using namespace talentsim;
  CLI::App app{"talentsim: agent-based simulation of the market for AI researchers"};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);

  // The scenario and the flags that change it, the same for run and validate. Integers
  // are read as text and checked strictly (cli::flag_value): CLI11 would wrap "-1".
  const auto add_scenario_flags = [](CLI::App* command, cli::RunOptions& options) {
    command
        ->add_option("scenario", options.scenario,
                     "Scenario YAML file, or 'default' for the embedded "
                     "scenarios/meta_2024.yaml (the default for run)")
        ->type_name("FILE|default");
    command->add_option("--seed", options.seed, "Random seed (overrides the scenario's)")
        ->type_name("UINT");
    command->add_option("--ticks", options.ticks, "Weeks to simulate (overrides the scenario's)")
        ->type_name("UINT");
    command
        ->add_option("--set", options.sets,
                     "Override a scenario key: KEY=VALUE, e.g. firms.meta.pay.median=450000")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
  };

  cli::RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario and write its outputs");
  add_scenario_flags(run_cmd, run);
  run_cmd
      ->add_option("--out", run.out,
                   "Output folder (default: runs/<name>-seed<seed>-<hash of the resolved "
                   "scenario>)")
      ->type_name("DIR");
  run_cmd->add_option("--threads", run.threads, "Worker threads, 1-4096 (default: all cores)")
      ->type_name("UINT");
  run_cmd->add_flag("--agents", run.agents, "Also write agents.csv (one row per researcher)");
  run_cmd->add_flag("--quiet", run.quiet, "No progress bar");
  run_cmd->add_flag("--force", run.force, "Replace a finished run in the output folder");

  cli::RunOptions check;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file and report problems");
  add_scenario_flags(validate_cmd, check);
  validate_cmd->get_option("scenario")->required();

  cli::BenchOptions bench;
  std::string bench_researchers, bench_firms, bench_ticks, bench_threads;
  auto* bench_cmd = app.add_subcommand("bench", "Measure tick throughput on a synthetic market");
  bench_cmd->add_option("--researchers", bench_researchers, "Researchers (default 1000000)")
      ->type_name("UINT");
  bench_cmd->add_option("--firms", bench_firms, "Firms (default 12)")->type_name("UINT");
  bench_cmd->add_option("--ticks", bench_ticks, "Weeks (default 52)")->type_name("UINT");
  auto* bench_threads_opt =
      bench_cmd->add_option("--threads", bench_threads, "Threads (default: all cores)")
          ->type_name("UINT");
  bench_cmd->add_flag("--threads-sweep", bench.sweep, "1, 2, 4, ... up to all cores")
      ->excludes(bench_threads_opt);
  bench_cmd->add_flag("--json", bench.json, "Print one JSON object");

  app.add_subcommand("schema", "Print every scenario key with its default and meaning (Markdown)");

  cli::ReportOptions report;
  auto* report_cmd = cli::add_report_command(app, report);

  cli::MetricsOptions metrics;
  auto* metrics_cmd = cli::add_metrics_command(app, metrics);

  cli::CheckOptions check_options;
  auto* check_cmd = cli::add_check_command(app, check_options);
  add_scenario_flags(check_cmd, check_options.scenario);
  check_cmd->get_option("scenario")->required();

  cli::CalibrateOptions calibrate;
  auto* calibrate_cmd = cli::add_calibrate_command(app, calibrate);
  calibrate.command_line = "talentsim";
  for (int i = 1; i < argc; ++i) calibrate.command_line += " " + cli::shell_quoted(argv[i]);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Name an unknown command, and the commands there are, rather than only saying one
    // is required.
    std::vector<std::string> commands;
    for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
    std::string list;
    for (const auto& name : commands) list += (list.empty() ? "" : ", ") + name;
    if (argc > 1 && argv[1][0] != '-' &&
        std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      const std::string guess = closest_match(argv[1], commands);
      std::cerr << "talentsim: error: unknown command '" << argv[1] << "'"
                << (guess.empty() ? "" : " (did you mean '" + guess + "'?)")
                << "; the commands are " << list << "\n";
      std::cerr << "Run 'talentsim --help' for usage.\n";
      return cli::kExitBadInput;
    }
    if (argc <= 1) {
      std::cerr << "talentsim: error: a command is required: " << list << "\n";
      std::cerr << "Run 'talentsim --help' for usage.\n";
      return cli::kExitBadInput;
    }
    std::cerr << "talentsim: error: " << e.what() << "\n";
    std::cerr << "Run 'talentsim --help' for usage.\n";
    return cli::kExitBadInput;
  }
  if (*run_cmd) return cli::run(run);
  if (*report_cmd) return cli::report(report);
  if (*metrics_cmd) return cli::metrics(metrics);
  if (*check_cmd) return cli::check(check_options);
  if (*calibrate_cmd) return cli::calibrate(calibrate);
  if (*bench_cmd) {
    try {
      if (!bench_researchers.empty())
        bench.researchers =
            cli::flag_value<std::int64_t>("--researchers", bench_researchers, 1, 4'000'000'000);
      if (!bench_firms.empty())
        bench.firms = cli::flag_value<int>("--firms", bench_firms, 1, kMaxNamedFirms);
      if (!bench_ticks.empty())
        bench.ticks = cli::flag_value<std::int64_t>("--ticks", bench_ticks, 1, kMaxTicks);
      if (!bench_threads.empty())
        bench.threads = cli::flag_value<int>("--threads", bench_threads, 1, 4096);
    } catch (const cli::FlagError& e) {
      std::cerr << "talentsim: error: " << e.what() << "\n";
      return cli::kExitBadInput;
    }
    return cli::bench(bench);
  }
  if (app.got_subcommand("schema")) {
    std::cout << scenario_reference();
    return cli::kExitOk;
  }
  return cli::validate(check);
}

}  // namespace

int main(int argc, char** argv) {
  // Commands turn their own errors into exit codes; this catches what escapes them
  // (out of memory while parsing flags, say), so that main never throws.
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "talentsim: error: unexpected failure\n";
  }
  return 1;
}
