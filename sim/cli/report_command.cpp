// `talentsim report INPUT [-o FILE]`: one self-contained HTML page from a run folder or a
// `talentsim check --json` result (include/talentsim/report/ builds it).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/report/build.hpp"

namespace talentsim::cli {

CLI::App* add_report_command(CLI::App& app, ReportOptions& options) {
  auto* cmd = app.add_subcommand(
      "report", "Write an HTML report (charts and tables) of a run folder or a check result");
  cmd->add_option("input", options.input,
                  "A run's output folder, or the JSON file of `talentsim check --json`")
      ->required();
  cmd->add_option("-o,--output", options.output,
                  "HTML file to write (default: RUN_DIR/report.html, or CHECK.html beside "
                  "CHECK.json)");
  return cmd;
}

int report(const ReportOptions& options) {
  namespace fs = std::filesystem;
  using report::InputKind;
  try {
    if (options.input.empty()) throw report::InputError("the input path is empty");
    const InputKind kind = report::detect_input(options.input);
    const fs::path output = options.output.empty() ? report::default_output(options.input, kind)
                                                   : fs::path(options.output);
    std::error_code ec;
    if (fs::is_directory(output, ec))
      throw report::InputError("-o " + output.string() + ": is a folder; give a file name");
    const fs::path parent = output.has_parent_path() ? output.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
      throw report::InputError("-o " + output.string() + ": folder " + parent.string() +
                               " does not exist");
    report::ChartRenderer charts;
    const report::Report page = report::build_report(options.input, kind, charts);
    report::write_report(report::render_html(page), output);
    std::cout << "talentsim: wrote " << output.string() << "\n";
    return kExitOk;
  } catch (const report::InputError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const report::GnuplotMissing& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitRuntime;
  } catch (const Error& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace talentsim::cli
