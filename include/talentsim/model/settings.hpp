// Applying `key: value` settings to parameters at run time: what policy and
// market events do (docs/MODEL.md phase 2). Keys and ranges come from the same
// visit_fields descriptions as the scenario file, so an event can change any
// firm key the file can set, and nothing else.
#pragma once

#include <string>
#include <vector>

#include "talentsim/model/params.hpp"

namespace talentsim {

/// Sets firm key `setting.key` (e.g. "hiring.interview_free", "pay.median") to the
/// text `setting.value`. `id` and `headcount_share` cannot change after the start.
/// @throws ScenarioError without a source location; key_path is the setting's key.
void apply_firm_setting(FirmParams& firm, const Setting& setting);

/// Sets a market-wide key: one under market., startups., independent., choice.,
/// wellbeing. or preferences. (e.g. "market.offer_rate_employed").
/// @throws ScenarioError without a source location.
void apply_market_setting(Scenario& scenario, const Setting& setting);

/// "in [0, 1]", "> 0", "at least 0": how a range reads in an error message.
std::string describe(const Range& range);
std::string describe(const IntRange& range);

}  // namespace talentsim
