// libFuzzer target over the scenario loader, `extends:` and `--set` (see scenario_fuzz.hpp
// for the input format and what counts as a bug). Built by the `fuzz` preset with
// -fsanitize=fuzzer,address,undefined; the ordinary build compiles the same check into the
// corpus replay test.
#include "scenario_fuzz.hpp"

#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "talentsim/core/error.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim::fuzz {
namespace {

namespace fs = std::filesystem;

/// A valid scenario of one firm: the base when an input has no base section.
constexpr std::string_view kSmall = R"(name: small
ticks: 20
market: {separation_rate: 0.1}
firms:
  - {id: meta, headcount_share: 0.6, pay: {median: 400000}}
  - {id: lab, headcount_share: 0.4, pay: {median: 500000}}
events:
  - {week: 3, type: workload, firm: meta, workload: 0.5}
)";

/// A private folder of base scenarios, made on first use and removed at exit.
class Sandbox {
 public:
  Sandbox() {
    std::string pattern = (fs::temp_directory_path() / "talentsim-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("cannot make a temporary folder");
    root_ = pattern;
    fs::create_directories(root_ / "what_if");
    fs::create_directories(root_ / "dir.yaml");
    put(root_ / "meta_2024.yaml", default_scenario_text());
    put(root_ / "small.yaml", kSmall);
    put(root_ / "chain.yaml",
        "extends: small.yaml\nname: chain\nfirms: [{id: meta, workload: 0.9}]\n");
    put(root_ / "loop.yaml", "extends: loop.yaml\nname: loop\n");
    put(root_ / "broken.yaml", "name: [broken\n");
    put(root_ / "empty.yaml", "");
    main_ = root_ / "what_if" / "main.yaml";
    base_ = root_ / "what_if" / "base.yaml";
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  ~Sandbox() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  /// Writes the input's scenario and base (each only when it changed) and returns the
  /// scenario's path.
  const fs::path& prepare(std::string_view scenario, std::string_view base) {
    if (!written_ || scenario != main_text_) {
      put(main_, scenario);
      main_text_ = scenario;
    }
    if (!written_ || base != base_text_) {
      put(base_, base);
      base_text_ = base;
    }
    written_ = true;
    return main_;
  }

 private:
  [[noreturn]] static void fail(const std::string& what) {
    std::fprintf(stderr, "scenario_fuzz: %s\n", what.c_str());
    std::abort();
  }
  static void put(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) fail("cannot write " + path.string());
  }

  fs::path root_;
  fs::path main_;
  fs::path base_;
  std::string main_text_;
  std::string base_text_;
  bool written_ = false;
};

Sandbox& sandbox() {
  static Sandbox box;
  return box;
}

/// The input split into its sections.
struct Sections {
  std::string_view scenario;
  std::vector<std::string> overrides;
  std::string_view base = kSmall;
};

Sections split(std::string_view input) {
  Sections out;
  enum class Part { kScenario, kSet, kBase } part = Part::kScenario;
  std::size_t section_start = 0;
  bool has_base = false;
  for (std::size_t pos = 0; pos <= input.size();) {
    const std::size_t end = std::min(input.find('\n', pos), input.size());
    const std::string_view line = input.substr(pos, end - pos);
    const std::size_t next = end + 1;
    if (part != Part::kBase && (line == kSetMarker || line == kBaseMarker)) {
      if (part == Part::kScenario) out.scenario = input.substr(0, pos);
      part = line == kSetMarker ? Part::kSet : Part::kBase;
      section_start = std::min(next, input.size());
      if (part == Part::kBase) has_base = true;
    } else if (part == Part::kSet && !line.empty()) {
      out.overrides.emplace_back(line);
    }
    if (part == Part::kBase) break;
    pos = next;
  }
  if (part == Part::kScenario) out.scenario = input;
  if (has_base) out.base = input.substr(section_start);
  return out;
}

/// Paths that reach devices or the kernel: reading them may block (/dev/stdin) or give
/// another answer each time; they are not scenario text, so such inputs are skipped.
bool names_special_files(std::string_view input) {
  constexpr std::array<std::string_view, 3> kSpecial{"/dev/", "/proc/", "/sys/"};
  for (const std::string_view special : kSpecial)
    if (input.find(special) != std::string_view::npos) return true;
  return false;
}

/// The checks on a scenario that loaded.
std::optional<std::string> check_loaded(const Scenario& scenario) {
  try {
    validate(scenario);
  } catch (const std::exception& e) {
    return std::string("validate() rejects a scenario load_scenario accepted: ") + e.what();
  }
  (void)events_not_reached(scenario);
  std::string yaml;
  try {
    yaml = to_yaml(scenario);
  } catch (const std::exception& e) {
    return std::string("to_yaml throws: ") + e.what();
  }
  try {
    const Scenario back = load_scenario(yaml, "resolved");
    const std::string again = to_yaml(back);
    if (again != yaml)
      return "to_yaml does not round-trip:\n--- to_yaml(s)\n" + yaml +
             "--- to_yaml(load_scenario(to_yaml(s)))\n" + again;
  } catch (const std::exception& e) {
    return std::string("to_yaml's output does not load: ") + e.what() + "\n--- to_yaml(s)\n" + yaml;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_scenario_input(std::string_view input, std::string* outcome) {
  if (names_special_files(input)) {
    if (outcome != nullptr) *outcome = "skipped: names a device or kernel file";
    return std::nullopt;
  }
  const Sections sections = split(input);
  try {
    const fs::path& path = sandbox().prepare(sections.scenario, sections.base);
    std::optional<Scenario> scenario;
    try {
      scenario = load_scenario_file(path, sections.overrides);
    } catch (const ScenarioError& e) {
      if (outcome != nullptr) *outcome = e.what();
      if (e.where().source.empty())
        return std::string("a ScenarioError names no source: ") + e.what();
      if (e.problem().empty()) return std::string("a ScenarioError says nothing: ") + e.what();
      return std::nullopt;
    }
    if (outcome != nullptr) *outcome = "loaded";
    return check_loaded(*scenario);
  } catch (const std::exception& e) {
    return std::string("unexpected exception (not a ScenarioError): ") + e.what();
  } catch (...) {
    return std::string("unexpected exception that is not a std::exception");
  }
}

}  // namespace talentsim::fuzz

// libFuzzer's entry point: a misbehaving loader is a crash it records. (The replay test
// calls check_scenario_input itself, to report every failing file.)
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto problem = talentsim::fuzz::check_scenario_input(input)) {
    std::fprintf(stderr, "scenario_fuzz: %s\n", problem->c_str());
    std::abort();
  }
  return 0;
}
