// Helpers shared by the scenario tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/core/error.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim::scenario_test {

/// One firm on one line, so a test's own keys start on line 2.
inline constexpr std::string_view kOneFirm =
    "firms: [{id: meta, headcount_share: 1, pay: {median: 400000}}]\n";

/// kOneFirm followed by `rest`.
inline std::string with_firm(std::string_view rest) {
  return std::string(kOneFirm) + std::string(rest);
}

/// The ScenarioError that loading `yaml` (as "test.yaml") throws; fails the test if none.
inline ScenarioError load_error(std::string_view yaml,
                                const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(yaml, "test.yaml", overrides);
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError for:\n" << yaml;
  return ScenarioError({}, "", "(no error)");
}

/// The ScenarioError that loading the file at `path` throws; fails the test if none.
inline ScenarioError file_error(const std::filesystem::path& path) {
  try {
    load_scenario_file(path);
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError for " << path;
  return ScenarioError({}, "", "(no error)");
}

/// "line:column key.path": where an error points, as one comparable string.
inline std::string where(const ScenarioError& e) {
  return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + " " +
         e.key_path();
}

inline ::testing::AssertionResult has(std::string_view text, std::string_view fragment) {
  if (text.find(fragment) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << fragment << "'";
}

}  // namespace talentsim::scenario_test
