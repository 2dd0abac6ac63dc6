#include "talentsim/scenario/scenario.hpp"

#include <cerrno>
#include <fstream>
#include <system_error>

#include "read.hpp"
#include "rules.hpp"
#include "talentsim/core/error.hpp"
#include "yaml_tree.hpp"

namespace talentsim {

namespace embedded {
extern const std::string_view default_scenario;  // generated from scenarios/meta_2024.yaml
}  // namespace embedded

namespace {

/// Scenario files are small text; anything bigger is a mistake.
constexpr std::size_t kMaxScenarioBytes = 16u << 20;

std::string read_scenario_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError({name}, "", "is a directory, not a scenario file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno != 0 ? errno : ENOENT;
    throw ScenarioError({name}, "", "cannot read file: " + std::generic_category().message(error));
  }
  std::string text;
  char buffer[1 << 16];
  // Read in chunks rather than trusting the size: the path may name a pipe.
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes)
      throw ScenarioError({name}, "", "is larger than 16 MiB; scenario files are small text");
  }
  if (in.bad()) throw ScenarioError({name}, "", "cannot read file: read error");
  return text;
}

}  // namespace

std::string_view default_scenario_text() { return embedded::default_scenario; }

Scenario load_scenario(std::string_view yaml, const std::string& source,
                       const std::vector<std::string>& overrides) {
  using namespace scenario_internal;
  const NodePtr root = parse_yaml(yaml, std::make_shared<const std::string>(source), true);
  if (root == nullptr) throw ScenarioError({source, 1, 1}, "", "the scenario is empty");
  if (root->kind == NodeKind::kNull) fail_at(*root, "", "the scenario is empty");
  if (root->kind != NodeKind::kMap)
    fail_at(*root, "", "a scenario is a map of keys, got " + describe_node(*root));
  // Overrides change the tree before it is read, so they are checked exactly like the file.
  for (const auto& argument : overrides) apply_override(*root, argument);
  Scenario scenario = read_scenario(*root);
  resolve_recruiting_shares(scenario);
  check_scenario(scenario, [&root](std::string_view path) { return locate(*root, path); });
  return scenario;
}

Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides) {
  return load_scenario(read_scenario_file(path), path.string(), overrides);
}

void validate(const Scenario& scenario) {
  scenario_internal::check_scenario(scenario,
                                    [](std::string_view /*path*/) { return SourceLocation{}; });
}

}  // namespace talentsim
