// Scenario I/O: YAML text -> validated, fully resolved `Scenario`, and back.
//
// Reading is strict: unknown keys (with a "did you mean"), wrong types,
// non-finite numbers, out-of-range values, shares that do not sum to 1, events
// naming unknown firms, duplicate keys or firm ids, YAML syntax errors, empty
// input and alias bombs all throw ScenarioError naming file:line:column and the
// key path. Firms are addressed by id in key paths: "firms.meta.pay.median".
// An event whose week is after the run's last is not an error: the run never
// reaches it (events_not_reached), as when --ticks shortens a scenario.
//
// A scenario may start with `extends: PATH` (relative to its own folder, or
// `default` for the embedded meta_2024): it is then laid over that base. Maps
// merge key by key, `firms` merges by firm id (new ids are added), and any other
// value -- `events` included -- replaces the base's. `events+: [...]` instead
// appends its events to the base's (after this file's own `events:`, if it has
// one; in a file without `extends:` it appends to that file's `events`, and with
// --set 'events+=[...]' to the resolved ones). `targets` and `targets+:` work the same.
//
// `targets:` lists figures a run is measured against (talentsim check): each a metric in
// the language of study/metric.hpp, checked while reading (an error points inside the
// metric's text), with a band: value and tolerance, or range. Duplicate keys and firm ids are
// errors in every file of the chain, as in a standalone one. Errors point into
// whichever file (or --set) a value came from; a sum of shares that is off points
// at a share the user's file or a --set gave, and lists every share and its origin.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/model/params.hpp"

namespace talentsim {

/// Name under which the embedded default scenario appears in messages.
inline constexpr std::string_view kDefaultScenarioSource = "<embedded>/scenarios/meta_2024.yaml";

/// The text of scenarios/meta_2024.yaml, compiled into the binary.
std::string_view default_scenario_text();

/// Parses `yaml` (named `source` in messages), applies each "KEY=VALUE" override
/// (VALUE read as YAML, validated exactly like the file) and validates everything.
/// @throws ScenarioError on any bad input.
Scenario load_scenario(std::string_view yaml, const std::string& source,
                       const std::vector<std::string>& overrides = {});

/// Reads and loads a file. Missing, unreadable, empty or over-large files throw ScenarioError.
Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides = {});

/// The fully resolved scenario as YAML: every key with its value, defaults applied.
/// load_scenario(to_yaml(s), ...) gives back exactly `s` (numbers round-trip bit for bit).
std::string to_yaml(const Scenario& scenario);

/// Every scenario key with its default, allowed values and meaning, as Markdown tables
/// (generated from the same field descriptions the reader uses).
std::string scenario_reference();

/// The indices of the events a run never reaches: those whose week comes after its last
/// week (`ticks`), as when --ticks shortens a scenario. Not an error; a run's summary and
/// `talentsim validate` list them.
std::vector<std::size_t> events_not_reached(const Scenario& scenario);

/// The indices of the targets whose metric reads a week after the run's last (`ticks`),
/// as when --ticks shortens a scenario. Not an error when loading (a run's scenario.yaml
/// must load whatever its length); `talentsim validate --ticks N` notes them, and
/// `talentsim check` runs on to them (or, given --ticks, refuses).
std::vector<std::size_t> targets_not_reached(const Scenario& scenario);

/// Checks a resolved scenario's cross-field rules (shares sum to 1, events refer to
/// known firms, memory for the population, ...).
/// load_scenario already calls it; the engine calls it again on what it is given.
/// @throws ScenarioError (without file positions).
void validate(const Scenario& scenario);

}  // namespace talentsim
