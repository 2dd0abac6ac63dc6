// The rules a scenario must follow (private to the scenario module): per-field rules shared
// by the YAML reader and validate(), and the cross-field rules, each in one place.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "talentsim/core/error.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/model/state.hpp"

namespace talentsim::scenario_internal {

/// Firm ids that would clash with places a researcher can be, or with the metric
/// language's subject for the whole market (study/metric.hpp).
inline constexpr std::array<std::string_view, 5> kReservedFirmIds{
    "between_jobs", "startup", "startups", "independent", "market"};

/// Peak bytes of memory per researcher a run plans for: the columns
/// (kColumnBytesPerResearcher), team tables and per-chunk lists, with room to spare.
inline constexpr double kPeakBytesPerResearcher = 64.0;

/// Largest share of physical memory a run may plan to use.
inline constexpr double kMaxMemoryShare = 0.8;

/// How far a sum of shares may be from 1.
inline constexpr double kShareTolerance = 1e-6;

/// Shortest text that reads back as exactly `x`, like format_double, but in fixed
/// notation while that stays short: "400000" rather than "4e+05".
std::string format_number(double x);

/// The problem with a value, if any; `shown` is how the value reads in the message.
std::optional<std::string> number_problem(double x, const Range& range, std::string_view shown);
std::optional<std::string> integer_problem(std::int64_t x, const IntRange& range,
                                           std::string_view shown);
std::optional<std::string> text_problem(std::string_view text, TextRule rule);

/// "expected one of a, b, c".
template <class E, std::size_t N>
std::string expected_enum(const std::array<std::pair<E, std::string_view>, N>& names) {
  std::string list;
  for (const auto& [e, name] : names) list += (list.empty() ? "" : ", ") + std::string(name);
  return "expected one of " + list;
}

/// "prefix.key", or "key" at the top.
inline std::string join_key(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  return std::string(prefix) + "." + std::string(key);
}

/// The key path of a firm: "firms.meta", or "firms[2]" while it has no valid id.
std::string firm_key_path(std::string_view id, std::size_t index);

/// The share of all offers made by the startup sector (0 when startups are disabled).
double startup_recruiting_share(const Scenario& scenario);

/// When no firm gives recruiting.share, gives each firm its headcount share of the offers
/// the startup sector leaves. Does nothing when any firm gives one.
void resolve_recruiting_shares(Scenario& scenario);

/// Where a canonical key path ("firms[2].pay.median", "events[0].week") is in the input.
using Locator = std::function<SourceLocation(std::string_view canonical_path)>;

/// Where the value at a canonical key path was written (a file position, or the --set that
/// gave it); nullopt when nothing in the input gives it (a default, or a resolved value).
using Origin = std::function<std::optional<SourceLocation>(std::string_view canonical_path)>;

/// Checks every field's rule and every cross-field rule; the first problem throws a
/// ScenarioError placed with `locate`. With `origin`, a sum of shares that is off is placed
/// at the share most likely changed -- one given with --set, else one in `main_source`
/// (the file the user named) -- when the shares come from more than one place, and its
/// message lists every share with where it came from.
void check_scenario(const Scenario& scenario, const Locator& locate, const Origin& origin = {},
                    const std::string& main_source = {});

}  // namespace talentsim::scenario_internal
