#include "talentsim/model/settings.hpp"

#include <cmath>
#include <span>

#include "talentsim/core/error.hpp"
#include "talentsim/core/text.hpp"

namespace talentsim {
namespace {

/// A visitor that finds one dotted key and assigns it from text, checking its range.
class Assigner {
 public:
  Assigner(std::string_view key, std::string_view value) : value_(value) {
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = key.find('.', start);
      parts_.emplace_back(key.substr(start, dot == std::string_view::npos ? dot : dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }

  [[nodiscard]] bool matched() const { return matched_; }
  [[nodiscard]] const std::vector<std::string>& keys_at_miss() const { return seen_; }
  [[nodiscard]] std::size_t depth() const { return depth_; }

  void number(std::string_view key, double& x, Range r, std::string_view /*doc*/,
              Need = Need::kOptional) {
    if (leaf(key)) x = checked_number(r);
  }
  void optional_number(std::string_view key, std::optional<double>& x, Range r,
                       std::string_view /*doc*/) {
    if (!leaf(key)) return;
    if (value_ == "null" || value_ == "~" || value_.empty())
      x.reset();
    else
      x = checked_number(r);
  }
  template <class Int>
  void integer(std::string_view key, Int& x, IntRange r, std::string_view /*doc*/,
               Need = Need::kOptional) {
    if (!leaf(key)) return;
    const auto v = parse_int(value_);
    if (!v) fail("expected an integer, got '" + value_ + "'");
    if (!r.contains(*v)) fail("must be " + describe(r) + ", got " + value_);
    x = static_cast<Int>(*v);
  }
  void seed(std::string_view key, std::uint64_t& x, std::string_view /*doc*/) {
    if (!leaf(key)) return;
    const auto v = parse_uint(value_);
    if (!v) fail("expected an unsigned integer, got '" + value_ + "'");
    x = *v;
  }
  void boolean(std::string_view key, bool& x, std::string_view /*doc*/) {
    if (!leaf(key)) return;
    const auto v = parse_bool(value_);
    if (!v) fail("expected true or false, got '" + value_ + "'");
    x = *v;
  }
  void text(std::string_view key, std::string& x, TextRule rule, std::string_view /*doc*/,
            Need = Need::kOptional) {
    if (!leaf(key)) return;
    if (rule == TextRule::kIdentifier && !is_identifier(value_))
      fail("expected an identifier ([a-z][a-z0-9_]*), got '" + value_ + "'");
    x = value_;
  }
  template <class E, std::size_t N>
  void enumeration(std::string_view key, E& x,
                   const std::array<std::pair<E, std::string_view>, N>& names,
                   std::string_view /*doc*/) {
    if (!leaf(key)) return;
    for (const auto& [e, name] : names)
      if (name == value_) {
        x = e;
        return;
      }
    std::vector<std::string> options;
    std::string list;
    for (const auto& [e, name] : names) {
      options.emplace_back(name);
      list += (list.empty() ? "" : ", ") + std::string(name);
    }
    throw ScenarioError({}, joined(), "expected one of " + list + ", got '" + value_ + "'",
                        closest_match(value_, options));
  }
  template <class T>
  void section(std::string_view key, T& sub, std::string_view /*doc*/) {
    note(key);
    if (matched_ || depth_ >= parts_.size() || parts_[depth_] != key) return;
    if (depth_ + 1 == parts_.size()) fail("is a section; set one of its keys");
    ++depth_;
    seen_.clear();
    visit_fields(*this, sub);
    if (!matched_) miss();
  }
  void settings(std::string_view key, std::vector<Setting>&, std::string_view) { note(key); }

  /// Throws the "unknown key" error for the current level.
  [[noreturn]] void miss() const {
    throw ScenarioError({}, joined(), "unknown key '" + parts_[depth_] + "'",
                        closest_match(parts_[depth_], seen_));
  }

 private:
  bool leaf(std::string_view key) {
    note(key);
    if (matched_ || depth_ >= parts_.size() || parts_[depth_] != key) return false;
    if (depth_ + 1 != parts_.size()) fail("is a value, not a section");
    matched_ = true;
    ++depth_;
    return true;
  }
  void note(std::string_view key) {
    if (!matched_) seen_.emplace_back(key);
  }
  [[nodiscard]] std::string joined() const {
    std::string out;
    for (const auto& p : parts_) out += (out.empty() ? "" : ".") + p;
    return out;
  }
  double checked_number(Range r) const {
    const auto v = parse_double(value_);
    if (!v) fail("expected a finite number, got '" + value_ + "'");
    if (!r.contains(*v)) fail("must be " + describe(r) + ", got " + value_);
    return *v;
  }
  [[noreturn]] void fail(const std::string& problem) const {
    throw ScenarioError({}, joined(), problem);
  }

  std::vector<std::string> parts_;
  std::string value_;
  std::size_t depth_ = 0;
  bool matched_ = false;
  std::vector<std::string> seen_;
};

bool is_fixed_firm_key(const std::string& key) {
  return key == "id" || key == "headcount_share" || key == "skill_shift" ||
         key == "recruiting.share";
}

/// The market-wide sections as one struct, so the assigner can walk them.
struct MarketSections {
  Scenario* s;
};
template <class V>
void visit_fields(V& v, MarketSections& m) {
  v.section("choice", m.s->choice, "");
  v.section("wellbeing", m.s->wellbeing, "");
  v.section("market", m.s->market, "");
  v.section("startups", m.s->startups, "");
  v.section("independent", m.s->independent, "");
  v.section("preferences", m.s->preferences, "");
}

bool is_fixed_market_key(const std::string& key) {
  return key == "startups.max_alive" || key == "startups.enabled" ||
         key == "startups.recruiting_share" || key == "wellbeing.initial_burnout" ||
         key.rfind("preferences.", 0) == 0;
}

}  // namespace

std::string describe(const Range& r) {
  const bool has_lo = std::isfinite(r.lo);
  const bool has_hi = std::isfinite(r.hi);
  if (has_lo && has_hi)
    return std::string("in ") + (r.lo_open ? "(" : "[") + format_double(r.lo) + ", " +
           format_double(r.hi) + (r.hi_open ? ")" : "]");
  if (has_lo) return (r.lo_open ? "> " : ">= ") + format_double(r.lo);
  if (has_hi) return (r.hi_open ? "< " : "<= ") + format_double(r.hi);
  return "a finite number";
}

std::string describe(const IntRange& r) {
  return "an integer in [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) + "]";
}

void apply_firm_setting(FirmParams& firm, const Setting& setting) {
  if (is_fixed_firm_key(setting.key))
    throw ScenarioError({}, setting.key, "is fixed at the start and cannot be changed by an event");
  Assigner a(setting.key, setting.value);
  visit_fields(a, firm);
  if (!a.matched()) a.miss();
}

void apply_market_setting(Scenario& scenario, const Setting& setting) {
  if (is_fixed_market_key(setting.key))
    throw ScenarioError({}, setting.key, "is fixed at the start and cannot be changed by an event");
  Assigner a(setting.key, setting.value);
  MarketSections m{&scenario};
  visit_fields(a, m);
  if (!a.matched()) a.miss();
}

}  // namespace talentsim
