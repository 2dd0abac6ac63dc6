#include "rules.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "talentsim/core/text.hpp"
#include "talentsim/model/settings.hpp"
#include "talentsim/study/metric.hpp"

namespace talentsim::scenario_internal {
namespace {

std::string indexed(std::string_view list, std::size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

/// A sum or size for a message: rounding noise hidden, unlike format_double.
std::string rounded(double x, int digits = 10) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

/// 0 when the system does not say.
double physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0.0;
  return static_cast<double>(pages) * static_cast<double>(page_size);
}

/// Throws ScenarioErrors at the position `locate` gives for a canonical path.
class Reporter {
 public:
  explicit Reporter(const Locator& locate) : locate_(locate) {}

  /// `canonical` places the error; `display` is the key path the user reads.
  [[noreturn]] void fail_as(std::string_view canonical, std::string display, std::string problem,
                            std::string suggestion = {}) const {
    throw ScenarioError(locate_(canonical), std::move(display), std::move(problem),
                        std::move(suggestion));
  }
  /// For errors whose display path is the canonical one.
  [[noreturn]] void fail(const std::string& path, std::string problem,
                         std::string suggestion = {}) const {
    fail_as(path, path, std::move(problem), std::move(suggestion));
  }

 private:
  const Locator& locate_;
};

/// Checks each field of an already built struct against its range or rule.
class CheckVisitor {
 public:
  CheckVisitor(const Reporter& report, std::string display, std::string canonical)
      : report_(report), display_(std::move(display)), canonical_(std::move(canonical)) {}

  void number(std::string_view key, double& x, Range range, std::string_view /*doc*/,
              Need /*need*/ = Need::kOptional) {
    check(key, number_problem(x, range, format_number(x)));
  }
  void optional_number(std::string_view key, std::optional<double>& x, Range range,
                       std::string_view /*doc*/) {
    if (x) check(key, number_problem(*x, range, format_number(*x)));
  }
  template <class Int>
  void integer(std::string_view key, Int& x, IntRange range, std::string_view /*doc*/,
               Need /*need*/ = Need::kOptional) {
    const auto value = static_cast<std::int64_t>(x);
    check(key, integer_problem(value, range, std::to_string(value)));
  }
  void seed(std::string_view /*key*/, std::uint64_t& /*x*/, std::string_view /*doc*/) {}
  void boolean(std::string_view /*key*/, bool& /*x*/, std::string_view /*doc*/) {}
  void text(std::string_view key, std::string& x, TextRule rule, std::string_view /*doc*/,
            Need /*need*/ = Need::kOptional) {
    check(key, text_problem(x, rule));
  }
  template <class E, std::size_t N>
  void enumeration(std::string_view key, E& x,
                   const std::array<std::pair<E, std::string_view>, N>& names,
                   std::string_view /*doc*/) {
    const bool known = std::any_of(names.begin(), names.end(),
                                   [x](const auto& entry) { return entry.first == x; });
    if (!known) check(key, expected_enum(names) + ", got " + std::to_string(static_cast<int>(x)));
  }
  template <class T>
  void section(std::string_view key, T& sub, std::string_view /*doc*/) {
    CheckVisitor inner(report_, join_key(display_, key), join_key(canonical_, key));
    visit_fields(inner, sub);
  }
  void interval(std::string_view key, std::optional<std::array<double, 2>>& x,
                std::string_view /*doc*/) {
    if (!x) return;
    for (const double v : *x)
      if (!std::isfinite(v)) check(key, "must be finite numbers, got " + format_number(v));
    if ((*x)[0] > (*x)[1])
      check(key, "the range's low end comes first, got [" + format_number((*x)[0]) + ", " +
                     format_number((*x)[1]) + "]");
  }
  // Settings are checked against the firm or market they change, in check_event.
  void settings(std::string_view /*key*/, std::vector<Setting>& /*x*/, std::string_view /*doc*/) {}

 private:
  void check(std::string_view key, const std::optional<std::string>& problem) const {
    if (problem) report_.fail_as(join_key(canonical_, key), join_key(display_, key), *problem);
  }

  const Reporter& report_;
  std::string display_;
  std::string canonical_;
};

class Checker {
 public:
  Checker(const Scenario& scenario, const Locator& locate, const Origin& origin,
          std::string main_source)
      : s_(scenario),
        report_(locate),
        locate_(locate),
        origin_(origin),
        main_source_(std::move(main_source)) {}

  void run() {
    CheckVisitor top(report_, "", "");
    visit_fields(top, s_);
    check_firms();
    check_headcount_shares();
    check_recruiting_shares();
    check_offer_wages();
    check_capacity();
    for (std::size_t i = 0; i < s_.events.size(); ++i) check_event(i);
    for (std::size_t i = 0; i < s_.targets.size(); ++i) check_target(i);
  }

 private:
  void check_firms() {
    if (s_.firms.empty()) report_.fail("firms", "a scenario needs at least one firm");
    if (s_.firms.size() > static_cast<std::size_t>(kMaxNamedFirms))
      report_.fail("firms", "has " + std::to_string(s_.firms.size()) + " firms; at most " +
                                std::to_string(kMaxNamedFirms) + " are allowed");
    for (std::size_t i = 0; i < s_.firms.size(); ++i) {
      FirmParams& firm = s_.firms[i];
      CheckVisitor fields(report_, firm_key_path(firm.id, i), indexed("firms", i));
      visit_fields(fields, firm);
      // A reserved or repeated id does not name one firm, so these use the index.
      const std::string id_path = indexed("firms", i) + ".id";
      if (std::find(kReservedFirmIds.begin(), kReservedFirmIds.end(), firm.id) !=
          kReservedFirmIds.end())
        report_.fail(id_path, "'" + firm.id +
                                  "' is reserved for a place researchers can be; choose "
                                  "another id");
      const auto [it, inserted] = firm_index_.emplace(firm.id, i);
      if (!inserted)
        report_.fail(id_path, "duplicate firm id '" + firm.id + "' (also " +
                                  indexed("firms", it->second) + ")");
      ids_.push_back(firm.id);
      // Caps and budgets are multiples of the starting staff and payroll.
      if (firm.headcount_share == 0.0) {
        const std::string path = firm_key_path(firm.id, i) + ".hiring.";
        if (firm.hiring.headcount_cap)
          report_.fail(path + "headcount_cap",
                       "is a multiple of the starting headcount, which is 0 (headcount_share: 0): "
                       "the firm could never hire");
        if (firm.hiring.payroll_budget)
          report_.fail(path + "payroll_budget",
                       "is a multiple of the starting payroll, which is 0 (headcount_share: 0): "
                       "the firm could never hire");
      }
    }
  }

  /// A per-firm share `key` ("headcount_share", "recruiting.share") whose sum is off: placed
  /// at the share most likely changed when the shares come from more than one place (a
  /// --set first, then the file the user named), else at `firms`; the message lists every
  /// share and where it came from. `startups` adds the startup sector's share as a last term.
  [[noreturn]] void fail_share_sum(const std::string& key, const std::string& problem,
                                   const std::vector<double>& shares,
                                   std::optional<double> startups = std::nullopt) const {
    constexpr std::string_view kStartupKey = "startups.recruiting_share";
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < shares.size(); ++i)
      paths.push_back(indexed("firms", i) + "." + key);
    if (startups) paths.emplace_back(kStartupKey);
    std::vector<std::optional<SourceLocation>> from(paths.size());
    if (origin_)
      for (std::size_t i = 0; i < paths.size(); ++i) from[i] = origin_(paths[i]);
    const std::string list_source = locate_("firms").source;
    const auto first_from = [&](const auto& pick) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < from.size(); ++i)
        if (from[i] && pick(from[i]->source)) return i;
      return std::nullopt;
    };
    std::optional<std::size_t> culprit =
        first_from([](const std::string& src) { return src.starts_with("--set "); });
    if (!culprit && !main_source_.empty() && main_source_ != list_source)
      culprit = first_from([&](const std::string& src) { return src == main_source_; });
    if (!culprit) culprit = first_from([&](const std::string& src) { return src != list_source; });

    std::vector<std::string> names;
    for (const FirmParams& firm : s_.firms) names.push_back(firm.id);
    if (startups) names.emplace_back("startups");
    // One line, like every error: "...; the shares: meta 0.3 (file:4:25), lab 0.65 (...)".
    std::string message = problem + "; the shares:";
    for (std::size_t i = 0; i < names.size(); ++i) {
      message += (i == 0 ? " " : ", ") + names[i] + " " +
                 rounded(i < shares.size() ? shares[i] : *startups) + " (";
      if (from[i])
        message += from[i]->to_string();
      else if (i == shares.size())
        message += "the default " + std::string(kStartupKey);
      else
        message += key == "recruiting.share" ? "from headcount_share" : "the default";
      message += ")";
    }
    if (!culprit) report_.fail("firms", message);
    if (*culprit == shares.size()) report_.fail(std::string(kStartupKey), message);
    report_.fail_as(paths[*culprit], firm_key_path(s_.firms[*culprit].id, *culprit) + "." + key,
                    message);
  }

  void check_headcount_shares() const {
    double sum = 0.0;
    std::vector<double> shares;
    for (const auto& firm : s_.firms) {
      sum += firm.headcount_share;
      shares.push_back(firm.headcount_share);
    }
    if (std::abs(sum - 1.0) > kShareTolerance)
      fail_share_sum(
          "headcount_share",
          "headcount_share over the firms sums to " + rounded(sum) + "; it must sum to 1", shares);
  }

  void check_recruiting_shares() const {
    const auto gives = [](const FirmParams& f) { return f.recruiting.share.has_value(); };
    const auto given = std::count_if(s_.firms.begin(), s_.firms.end(), gives);
    if (given == 0) return;  // load_scenario fills them in from the headcount shares
    const FirmParams& first = s_.firms.front();
    for (std::size_t i = 1; i < s_.firms.size(); ++i) {
      const FirmParams& firm = s_.firms[i];
      if (gives(firm) == gives(first)) continue;
      report_.fail_as(indexed("firms", i) + ".recruiting.share",
                      firm_key_path(firm.id, i) + ".recruiting.share",
                      std::string(gives(firm) ? "is given here but not for firm '"
                                              : "is missing here but given for firm '") +
                          first.id + "'; give recruiting.share for every firm or for none");
    }
    const double startups = startup_recruiting_share(s_);
    double sum = startups;
    std::vector<double> shares;
    for (const auto& firm : s_.firms) {
      sum += *firm.recruiting.share;
      shares.push_back(*firm.recruiting.share);
    }
    if (std::abs(sum - 1.0) > kShareTolerance)
      fail_share_sum(
          "recruiting.share",
          "recruiting.share over the firms" +
              (startups > 0.0 ? " plus " + rounded(startups) + " for startups" : std::string()) +
              " sums to " + rounded(sum) + "; it must sum to 1",
          shares, startups > 0.0 ? std::optional<double>(startups) : std::nullopt);
  }

  void check_offer_wages() const {
    const OfferWageParams& wages = s_.market.offer_wages;
    if (wages.source == WageSource::kUniform && !(wages.min < wages.max))
      report_.fail("market.offer_wages.max",
                   "must be greater than market.offer_wages.min (" + format_number(wages.min) +
                       ") when source is uniform, got " + format_number(wages.max));
  }

  void check_capacity() const {
    const std::int64_t employers =
        s_.startups.max_alive + static_cast<std::int64_t>(s_.firms.size());
    if (employers > kMaxEmployers)
      report_.fail("startups.max_alive", "plus the " + std::to_string(s_.firms.size()) +
                                             " firms makes " + std::to_string(employers) +
                                             " employers; at most " +
                                             std::to_string(kMaxEmployers) + " fit");
    const double needed = static_cast<double>(s_.population.researchers) * kPeakBytesPerResearcher;
    const double available = physical_memory_bytes();
    constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
    if (available > 0.0 && needed > kMaxMemoryShare * available)
      report_.fail("population.researchers",
                   "needs " + rounded(needed / kGiB, 3) + " GiB but this machine has " +
                       rounded(available / kGiB, 3) + " GiB (a run may use " +
                       rounded(kMaxMemoryShare * 100.0) + "% of it)");
  }

  void check_event(std::size_t i) {
    Event& event = s_.events[i];
    const std::string path = indexed("events", i);
    CheckVisitor fields(report_, path, path);
    visit_fields(fields, event);
    // An event after the last week is not an error: the run never reaches it (a shorter
    // --ticks), and the summary lists it (events_not_reached).
    if (event.type == EventType::kMarket) {
      Scenario changed = s_;
      check_settings(path, event.settings,
                     [&changed](const Setting& s) { apply_market_setting(changed, s); });
      return;
    }
    const std::size_t firm = known_firm(path + ".firm", event.firm);
    if (event.type == EventType::kCampaign) {
      known_firm(path + ".target", event.target);
      if (event.target == event.firm)
        report_.fail(path + ".target", "a campaign must target another firm than '" + event.firm +
                                           "', the recruiting firm");
    }
    if (event.type == EventType::kPolicy) {
      FirmParams changed = s_.firms[firm];
      check_settings(path, event.settings,
                     [&changed](const Setting& s) { apply_firm_setting(changed, s); });
    }
  }

  /// A target has a metric and a band: value with one tolerance, or a range. Its metric
  /// was checked with positions by the reader; this covers scenarios built in code. A
  /// window past `ticks` is not an error (as for events): `check` refuses it.
  void check_target(std::size_t i) {
    Target& target = s_.targets[i];
    const std::string path = indexed("targets", i);
    CheckVisitor fields(report_, path, path);
    visit_fields(fields, target);
    if (target.metric.empty()) report_.fail(path + ".metric", "missing required key 'metric'");
    try {
      check_metric(parse_metric(target.metric), ids_, kMaxTicks);
    } catch (const MetricError& e) {
      report_.fail(
          path + ".metric",
          e.reason() + " (at column " + std::to_string(e.column()) + " of '" + e.text() + "')",
          e.suggestion());
    }
    const TargetTolerance& t = target.tolerance;
    const bool tolerance = t.relative || t.absolute;
    if (target.range) {
      if (target.value)
        report_.fail(path + ".value", "give either value (with a tolerance) or range, not both");
      if (tolerance)
        report_.fail(path + ".tolerance", "a tolerance goes with value; range is the band itself");
      return;
    }
    if (!target.value)
      report_.fail(path,
                   "needs a band: value with a tolerance ({relative: r} or {absolute: a}), "
                   "or range: [lo, hi]");
    if (!tolerance)
      report_.fail(path + ".value",
                   "needs a tolerance: {relative: r} or {absolute: a} (or give "
                   "range: [lo, hi] instead)");
    if (t.relative && t.absolute)
      report_.fail(path + ".tolerance", "give one of relative and absolute, not both");
  }

  /// Applies each setting to a copy, as the event will at run time.
  template <class Apply>
  void check_settings(const std::string& event_path, const std::vector<Setting>& settings,
                      const Apply& apply) const {
    for (const Setting& setting : settings) {
      try {
        apply(setting);
      } catch (const ScenarioError& e) {
        report_.fail(event_path + ".set." + setting.key, e.problem(), e.suggestion());
      }
    }
  }

  std::size_t known_firm(const std::string& path, const std::string& id) const {
    const auto it = firm_index_.find(id);
    if (it == firm_index_.end())
      report_.fail(path, "unknown firm '" + id + "'", closest_match(id, ids_));
    return it->second;
  }

  Scenario s_;  // a copy: visit_fields takes non-const references
  Reporter report_;
  const Locator& locate_;
  const Origin& origin_;
  std::string main_source_;
  std::unordered_map<std::string, std::size_t> firm_index_;
  std::vector<std::string> ids_;
};

}  // namespace

std::string format_number(double x) {
  const double magnitude = std::abs(x);
  if (x == 0.0 || (magnitude >= 1e-4 && magnitude < 1e15)) {
    char buffer[64];
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed);
    if (error == std::errc()) return std::string(buffer, end);
  }
  return format_double(x);
}

std::optional<std::string> number_problem(double x, const Range& range, std::string_view shown) {
  if (!std::isfinite(x)) return "must be a finite number, got " + std::string(shown);
  if (!range.contains(x)) return "must be " + describe(range) + ", got " + std::string(shown);
  return std::nullopt;
}

std::optional<std::string> integer_problem(std::int64_t x, const IntRange& range,
                                           std::string_view shown) {
  if (!range.contains(x)) return "must be " + describe(range) + ", got " + std::string(shown);
  return std::nullopt;
}

std::optional<std::string> text_problem(std::string_view text, TextRule rule) {
  if (rule == TextRule::kIdentifier && !is_identifier(text))
    return "expected an identifier ([a-z][a-z0-9_]*, at most 64 characters), got '" +
           std::string(text) + "'";
  return std::nullopt;
}

std::string firm_key_path(std::string_view id, std::size_t index) {
  return is_identifier(id) ? "firms." + std::string(id) : indexed("firms", index);
}

double startup_recruiting_share(const Scenario& scenario) {
  return scenario.startups.enabled ? scenario.startups.recruiting_share : 0.0;
}

void resolve_recruiting_shares(Scenario& scenario) {
  const bool any_given = std::any_of(scenario.firms.begin(), scenario.firms.end(),
                                     [](const auto& f) { return f.recruiting.share.has_value(); });
  if (any_given) return;
  const double left = 1.0 - startup_recruiting_share(scenario);
  for (auto& firm : scenario.firms) firm.recruiting.share = firm.headcount_share * left;
}

void check_scenario(const Scenario& scenario, const Locator& locate, const Origin& origin,
                    const std::string& main_source) {
  Checker(scenario, locate, origin, main_source).run();
}

}  // namespace talentsim::scenario_internal
