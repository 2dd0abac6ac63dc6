// YAML tree -> Scenario, and --set overrides on the tree (private to the scenario module).
#pragma once

#include <string>

#include "talentsim/model/params.hpp"
#include "yaml_tree.hpp"

namespace talentsim::scenario_internal {

/// Reads every key of a scenario map through visit_fields: unknown keys, wrong types,
/// out-of-range values, duplicate and missing keys throw ScenarioError at their position.
/// Cross-field rules are left to check_scenario.
Scenario read_scenario(const Node& root);

/// "duplicate key 'KEY' (first at line N)", the problem a repeated key is reported with.
std::string duplicate_key_problem(const std::string& key, const Node& first);

/// Applies one "KEY=VALUE" override to the tree: KEY is a dotted path (firms by id,
/// other lists by index), VALUE is YAML. Missing maps on the way are created.
/// @throws ScenarioError with source "--set KEY=VALUE" for a malformed argument or path.
void apply_override(Node& root, const std::string& argument);

}  // namespace talentsim::scenario_internal
