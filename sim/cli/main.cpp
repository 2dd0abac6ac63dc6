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

  cli::RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario and write its outputs");
  run_cmd->add_option("scenario", run.scenario,
                      "Scenario YAML file (default: the embedded scenarios/meta_2024.yaml)");
  run_cmd->add_option("--out", run.out, "Output folder (default: runs/<name>-seed<seed>)");
  run_cmd->add_option("--seed", run.seed, "Random seed (overrides the scenario's)");
  run_cmd->add_option("--threads", run.threads, "Worker threads, 1-4096 (default: all cores)");
  run_cmd->add_option("--ticks", run.ticks, "Weeks to simulate (overrides the scenario's)");
  run_cmd
      ->add_option("--set", run.sets,
                   "Override a scenario key: KEY=VALUE, e.g. firms.meta.pay.median=450000")
      ->allow_extra_args(false);
  run_cmd->add_flag("--agents", run.agents, "Also write agents.csv (one row per researcher)");
  run_cmd->add_flag("--quiet", run.quiet, "No progress bar");

  std::string validate_path;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file and report problems");
  validate_cmd->add_option("scenario", validate_path, "Scenario YAML file")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a scenario key: KEY=VALUE")
      ->allow_extra_args(false);

  cli::BenchOptions bench;
  std::string bench_researchers, bench_firms, bench_ticks, bench_threads;
  auto* bench_cmd = app.add_subcommand("bench", "Measure tick throughput on a synthetic market");
  bench_cmd->add_option("--researchers", bench_researchers, "Researchers (default 1000000)");
  bench_cmd->add_option("--firms", bench_firms, "Firms (default 12)");
  bench_cmd->add_option("--ticks", bench_ticks, "Weeks (default 52)");
  auto* bench_threads_opt =
      bench_cmd->add_option("--threads", bench_threads, "Threads (default: all cores)");
  bench_cmd->add_flag("--threads-sweep", bench.sweep, "1, 2, 4, ... up to all cores")
      ->excludes(bench_threads_opt);
  bench_cmd->add_flag("--json", bench.json, "Print one JSON object");

  app.add_subcommand("schema", "Print every scenario key with its default and meaning (Markdown)");

  cli::ReportOptions report;
  auto* report_cmd = cli::add_report_command(app, report);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Name an unknown command rather than only saying one is required.
    const std::vector<std::string> commands{"run", "validate", "bench", "schema", "report"};
    if (argc > 1 && argv[1][0] != '-' &&
        std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      const std::string guess = closest_match(argv[1], commands);
      std::cerr << "talentsim: error: unknown subcommand '" << argv[1] << "'"
                << (guess.empty() ? "" : " (did you mean '" + guess + "'?)") << "\n";
      std::cerr << "Run 'talentsim --help' for usage.\n";
      return cli::kExitBadInput;
    }
    std::cerr << "talentsim: error: " << e.what() << "\n";
    std::cerr << "Run 'talentsim --help' for usage.\n";
    return cli::kExitBadInput;
  }
  if (*run_cmd) return cli::run(run);
  if (*report_cmd) return cli::report(report);
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
  return cli::validate(validate_path, validate_sets);
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
