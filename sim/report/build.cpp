#include "talentsim/report/build.hpp"

#include "talentsim/output/atomic_file.hpp"
#include "talentsim/report/check_report.hpp"
#include "talentsim/report/run_report.hpp"

namespace talentsim::report {

InputKind detect_input(const std::filesystem::path& input) {
  std::error_code ec;
  const auto status = std::filesystem::status(input, ec);
  if (!std::filesystem::exists(status))
    throw InputError(input.string() + ": no such file or folder");
  if (std::filesystem::is_directory(status)) return InputKind::kRunFolder;
  if (std::filesystem::is_regular_file(status)) return InputKind::kCheckResult;
  throw InputError(input.string() + ": neither a run folder nor a check result file");
}

std::filesystem::path default_output(const std::filesystem::path& input, InputKind kind) {
  if (kind == InputKind::kRunFolder) return input / "report.html";
  std::filesystem::path out = input;
  out.replace_extension(".html");
  return out;
}

Report build_report(const std::filesystem::path& input, InputKind kind, ChartRenderer& charts) {
  // Each adapter reads and checks all of its input before it draws anything.
  if (kind == InputKind::kRunFolder) return run_report(load_run(input), charts);
  return check_report(load_check(input), charts);
}

void write_report(const std::string& html, const std::filesystem::path& output) {
  AtomicFile file(output);
  file.write(html);
  file.commit();
}

}  // namespace talentsim::report
