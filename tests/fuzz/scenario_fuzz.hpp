// The scenario fuzz check, shared by the libFuzzer target (scenario_fuzz.cpp's
// LLVMFuzzerTestOneInput, the `fuzz` preset) and the corpus replay test of the ordinary
// build (corpus_replay.cpp).
//
// One input is up to three sections, split at lines that are exactly a marker:
//
//   <the scenario's YAML>              written to SANDBOX/what_if/main.yaml and loaded
//   #%set                              from here on, each non-empty line is one
//   KEY=VALUE                          `--set KEY=VALUE` override, in order
//   #%base                             from here on, the text of SANDBOX/what_if/base.yaml
//   <YAML of a base scenario>          (without this section, a small valid scenario)
//
// The markers are YAML comments, so a shipped scenario is an input as it is. SANDBOX is a
// private temporary folder made once per process and removed at exit; besides
// what_if/main.yaml and what_if/base.yaml it holds fixed bases for `extends:` to name:
// ../meta_2024.yaml (the embedded default, so the shipped what-ifs resolve as in the
// repository), ../small.yaml, ../chain.yaml (extends small.yaml), ../loop.yaml (extends
// itself), ../broken.yaml (a YAML syntax error), ../empty.yaml, ../dir.yaml (a folder);
// `default` is the embedded one.
//
// What counts as a bug: any exception from loading other than ScenarioError (the
// documented input error), a ScenarioError that names no source or says nothing, and for
// a scenario that loads: validate() rejecting it, or to_yaml() not reading back to the
// same scenario (to_yaml(load(to_yaml(s))) == to_yaml(s), the repository's own
// round-trip comparison). Crashes, sanitizer reports, hangs and runaway memory are the
// fuzzer's to catch.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace talentsim::fuzz {

/// Marker lines that start the override and the base sections.
inline constexpr std::string_view kSetMarker = "#%set";
inline constexpr std::string_view kBaseMarker = "#%base";

/// Loads one input as described above. Returns what went wrong when the loader
/// misbehaved, nullopt when it behaved (loaded, or rejected the input with a
/// ScenarioError). Never throws. With `outcome`, also says what the loader did: "loaded"
/// or the ScenarioError's message.
std::optional<std::string> check_scenario_input(std::string_view input,
                                                std::string* outcome = nullptr);

}  // namespace talentsim::fuzz
