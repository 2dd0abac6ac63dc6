// The resolved parameters of one simulation: what a scenario file says, with
// every default filled in. Plain data; the scenario module reads and writes it.
//
// Each struct has one `visit_fields(visitor, struct)` that names its keys, their
// ranges and a one-line description. The same description drives the YAML
// reader (validation with file:line:column), the YAML writer (the resolved
// `scenario.yaml` beside every run), the run-time assigner of event settings
// and the key reference in the documentation, so they cannot drift apart.
//
// A visitor V provides:
//   v.number(key, double&, Range, doc [, Need])
//   v.integer(key, Int&, IntRange, doc [, Need])
//   v.boolean(key, bool&, doc)
//   v.text(key, std::string&, TextRule, doc [, Need])
//   v.enumeration(key, Enum&, names, doc)
//   v.optional_number(key, std::optional<double>&, Range, doc)
//   v.section(key, Struct&, doc)           // recurses through visit_fields
//   v.seed(key, std::uint64_t&, doc)
//   v.settings(key, std::vector<Setting>&, doc)   // events only
//   v.interval(key, std::optional<std::array<double, 2>>&, doc)   // targets only
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace talentsim {

/// One tick is one week.
inline constexpr int kTicksPerYear = 52;
inline constexpr double kDt = 1.0 / kTicksPerYear;
/// Longest run: clocks are stored as 16-bit tick numbers.
inline constexpr int kMaxTicks = 60000;
/// Most firms a scenario may name (startup slots come on top).
inline constexpr int kMaxNamedFirms = 1000;
/// Most startups alive at once (employer ids are 16-bit).
inline constexpr int kMaxStartupSlots = 60000;

/// An allowed interval for a number. Non-finite values are always rejected.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  static constexpr Range any() { return {}; }
  static constexpr Range at_least(double x) { return {x, std::numeric_limits<double>::infinity()}; }
  static constexpr Range positive() {
    return {0.0, std::numeric_limits<double>::infinity(), true, false};
  }
  static constexpr Range unit() { return {0.0, 1.0}; }
  static constexpr Range between(double a, double b) { return {a, b}; }
  static constexpr Range open_closed(double a, double b) { return {a, b, true, false}; }

  [[nodiscard]] constexpr bool contains(double x) const {
    if (lo_open ? !(x > lo) : !(x >= lo)) return false;
    if (hi_open ? !(x < hi) : !(x <= hi)) return false;
    return true;
  }
};

/// An allowed interval for an integer.
struct IntRange {
  std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  [[nodiscard]] constexpr bool contains(std::int64_t x) const { return x >= lo && x <= hi; }
};

/// What a text value may hold.
enum class TextRule {
  kAny,         ///< free text (names, descriptions)
  kIdentifier,  ///< [a-z0-9_] starting with a letter: firm ids, scenario names
};

/// Whether a key must be present.
enum class Need { kOptional, kRequired };

// ---------------------------------------------------------------------------
// Enumerations and their spellings
// ---------------------------------------------------------------------------

enum class FirmKind : std::uint8_t { kBigTech, kLab, kStartup, kAcademia };
inline constexpr std::array<std::pair<FirmKind, std::string_view>, 4> kFirmKindNames{{
    {FirmKind::kBigTech, "big_tech"},
    {FirmKind::kLab, "lab"},
    {FirmKind::kStartup, "startup"},
    {FirmKind::kAcademia, "academia"},
}};

/// Which of a firm's researchers a policy covers.
enum class Eligibility : std::uint8_t { kNone, kTop, kPublished, kAll };
inline constexpr std::array<std::pair<Eligibility, std::string_view>, 4> kEligibilityNames{{
    {Eligibility::kNone, "none"},
    {Eligibility::kTop, "top"},
    {Eligibility::kPublished, "published"},
    {Eligibility::kAll, "all"},
}};

/// Where offered wages come from.
enum class WageSource : std::uint8_t {
  kPayPolicy,  ///< each firm's pay policy (the default)
  kUniform,    ///< uniform on [min, max] whatever the firm: Burdett-Mortensen wage posting (V1)
};
inline constexpr std::array<std::pair<WageSource, std::string_view>, 2> kWageSourceNames{{
    {WageSource::kPayPolicy, "pay_policy"},
    {WageSource::kUniform, "uniform"},
}};

enum class EventType : std::uint8_t { kCampaign, kPayChange, kPolicy, kWorkload, kMarket };
inline constexpr std::array<std::pair<EventType, std::string_view>, 5> kEventTypeNames{{
    {EventType::kCampaign, "campaign"},
    {EventType::kPayChange, "pay_change"},
    {EventType::kPolicy, "policy"},
    {EventType::kWorkload, "workload"},
    {EventType::kMarket, "market"},
}};

// ---------------------------------------------------------------------------
// Researchers
// ---------------------------------------------------------------------------

struct PopulationParams {
  std::int64_t researchers = 100000;
  double between_jobs_share = 0.03;
  double skill_sigma = 0.6;
  double top_share = 0.05;
  double published_share = 0.10;
  double leader_share = 0.005;
  std::int64_t team_size = 8;
};
template <class V>
void visit_fields(V& v, PopulationParams& p) {
  v.integer("researchers", p.researchers, IntRange{1, 4'000'000'000},
            "number of researchers (agents)");
  v.number("between_jobs_share", p.between_jobs_share, Range::between(0.0, 0.999),
           "share of researchers between jobs at the start");
  v.number("skill_sigma", p.skill_sigma, Range::between(0.0, 3.0),
           "sigma of log skill; skill is lognormal with median 1");
  v.number("top_share", p.top_share, Range::open_closed(0.0, 1.0),
           "share of researchers, by skill, who are top talent");
  v.number("published_share", p.published_share, Range::open_closed(0.0, 1.0),
           "share of researchers, by skill, who are published researchers");
  v.number("leader_share", p.leader_share, Range::open_closed(0.0, 1.0),
           "share of researchers, by skill, who are leaders (senior people whose departures "
           "make news); reported, not used by the model's choices");
  v.integer("team_size", p.team_size, IntRange{1, 10000}, "researchers per team at the start");
}

/// Heterogeneous tastes, drawn once per researcher from its own random stream.
struct PreferenceParams {
  double money_median = 1.0;  ///< alpha_i is lognormal with this median ...
  double money_sigma = 0.2;   ///< ... and this log-sd
  double appeal_mean = 0.5;   ///< gamma_i ~ normal(mean, sd), floored at 0
  double appeal_sd = 0.2;
  double entrepreneurship_mean = -1.0;  ///< d_i ~ normal(mean, sd)
  double entrepreneurship_sd = 0.5;
};
template <class V>
void visit_fields(V& v, PreferenceParams& p) {
  v.number("money_median", p.money_median, Range::at_least(0.0), "median weight alpha on log pay");
  v.number("money_sigma", p.money_sigma, Range::between(0.0, 3.0),
           "log-sd of alpha across researchers");
  v.number("appeal_mean", p.appeal_mean, Range::between(-100.0, 100.0),
           "mean weight gamma on founder appeal");
  v.number("appeal_sd", p.appeal_sd, Range::between(0.0, 100.0), "sd of gamma");
  v.number("entrepreneurship_mean", p.entrepreneurship_mean, Range::between(-100.0, 100.0),
           "mean entrepreneurial drive d added to founding a startup");
  v.number("entrepreneurship_sd", p.entrepreneurship_sd, Range::between(0.0, 100.0), "sd of d");
}

/// Random-utility choice (docs/MODEL.md phase 4).
struct ChoiceParams {
  double noise = 0.15;          ///< tau: logit scale; 0 = the best option wins
  double burnout_weight = 1.0;  ///< lambda_b: cost of burnout when staying
  double faith_weight = 1.0;    ///< psi: value of faith in the employer when staying
  double switching_cost = 0.5;  ///< cost of any move (unvested equity, relocation)
};
template <class V>
void visit_fields(V& v, ChoiceParams& p) {
  v.number("noise", p.noise, Range::between(0.0, 100.0),
           "tau: logit noise scale; 0 means the best option wins (ties: stay)");
  v.number("burnout_weight", p.burnout_weight, Range::between(0.0, 100.0),
           "lambda_b: utility lost per unit of burnout when staying");
  v.number("faith_weight", p.faith_weight, Range::between(0.0, 100.0),
           "psi: utility per unit of faith when staying");
  v.number("switching_cost", p.switching_cost, Range::between(0.0, 100.0),
           "utility cost of leaving the current position");
}

/// Burnout and faith dynamics (docs/MODEL.md phase 1).
struct WellbeingParams {
  double burnout_fill = 1.5;              ///< kappa, per year
  double burnout_recovery = 1.0;          ///< rho, per year
  double faith_drift = 1.0;               ///< per year, toward the employer's baseline
  double contagion = 0.6;                 ///< eta: faith lost per unit share of the team that left
  double fresh_start_relief = 0.5;        ///< share of burnout shed by a move
  std::optional<double> initial_burnout;  ///< absent: each firm's steady state
};
template <class V>
void visit_fields(V& v, WellbeingParams& p) {
  v.number("burnout_fill", p.burnout_fill, Range::between(0.0, 26.0),
           "kappa: yearly rate at which workload fills burnout");
  v.number("burnout_recovery", p.burnout_recovery, Range::between(0.0, 26.0),
           "rho: yearly rate at which burnout drains");
  v.number("faith_drift", p.faith_drift, Range::between(0.0, 52.0),
           "yearly rate at which faith returns to the employer's baseline");
  v.number("contagion", p.contagion, Range::between(0.0, 10.0),
           "eta: faith lost per unit share of the team that left last week (voluntary "
           "leavers / (team at the week's end + leavers))");
  v.number("fresh_start_relief", p.fresh_start_relief, Range::unit(),
           "share of burnout a researcher sheds by moving");
  v.optional_number("initial_burnout", p.initial_burnout, Range::unit(),
                    "burnout at the start; absent: each employer's steady state");
}

/// Wage distribution of offers when it is not the firms' pay policies.
struct OfferWageParams {
  WageSource source = WageSource::kPayPolicy;
  double min = 200000.0;
  double max = 600000.0;
};
template <class V>
void visit_fields(V& v, OfferWageParams& p) {
  v.enumeration("source", p.source, kWageSourceNames,
                "pay_policy: firms' pay policies; uniform: uniform on [min, max] (wage posting)");
  v.number("min", p.min, Range::positive(), "lower end of uniform offered wages, USD/year");
  v.number("max", p.max, Range::positive(), "upper end of uniform offered wages, USD/year");
}

/// Market-wide rates (docs/MODEL.md phases 3 and 9). All rates are per year.
struct MarketParams {
  double separation_rate = 0.03;         ///< delta
  double offer_rate_employed = 1.0;      ///< lambda1 (population mean)
  double offer_rate_between_jobs = 5.0;  ///< lambda0
  double between_jobs_income = 0.0;      ///< USD/year while between jobs
  OfferWageParams offer_wages;
};
template <class V>
void visit_fields(V& v, MarketParams& p) {
  v.number("separation_rate", p.separation_rate, Range::between(0.0, 52.0),
           "delta: yearly rate of exogenous job loss");
  v.number("offer_rate_employed", p.offer_rate_employed, Range::between(0.0, 520.0),
           "lambda1: yearly offer rate of an employed researcher (population mean)");
  v.number("offer_rate_between_jobs", p.offer_rate_between_jobs, Range::between(0.0, 520.0),
           "lambda0: yearly offer rate while between jobs");
  v.number("between_jobs_income", p.between_jobs_income, Range::at_least(0.0),
           "income while between jobs, USD/year (values below 1 count as 1)");
  v.section("offer_wages", p.offer_wages, "where offered wages come from");
}

/// Startups founded by researchers (docs/MODEL.md phase 8).
struct StartupParams {
  bool enabled = true;
  double founding_rate = 0.05;     ///< yearly hazard that a founding idea comes up
  double funding_climate = 0.0;    ///< utility added to founding
  std::int64_t max_alive = 0;      ///< 0: automatic (researchers / 500, at least 16)
  double recruiting_share = 0.05;  ///< share of all offers made by the startup sector
  double skill_targeting = 1.0;    ///< theta of startup offers
  double team_offer_rate = 3.0;    ///< yearly offers to each member of the founder's old team
  std::int64_t team_recruit_weeks = 26;
  double pay_fraction = 0.7;          ///< cash pay relative to the market for the skill
  double equity_value = 0.4;          ///< value of equity as a share of cash pay
  double founder_pay_fraction = 0.4;  ///< founder's cash pay relative to the market
  double appeal_base = 0.5;           ///< appeal of a startup whose founder has skill 1
  double appeal_per_log_skill = 0.2;  ///< appeal gained per unit of the founder's log skill
  double prestige = 0.0;
  double workload = 0.8;
  double faith_baseline = 0.8;
  double failure_rate = 0.2;  ///< yearly hazard of failing when large
  double small_size = 5.0;    ///< hazard is failure_rate x (1 + small_size / headcount)
};
template <class V>
void visit_fields(V& v, StartupParams& p) {
  v.boolean("enabled", p.enabled, "whether researchers can found startups");
  v.number("founding_rate", p.founding_rate, Range::between(0.0, 52.0),
           "yearly hazard that a researcher considers founding a startup");
  v.number("funding_climate", p.funding_climate, Range::between(-100.0, 100.0),
           "utility added to founding (good times > 0)");
  v.integer("max_alive", p.max_alive, IntRange{0, kMaxStartupSlots},
            "most startups alive at once; 0 = researchers / 500 (at least 16)");
  v.number("recruiting_share", p.recruiting_share, Range::unit(),
           "share of all offers that come from the startup sector");
  v.number("skill_targeting", p.skill_targeting, Range::between(0.0, 10.0),
           "theta of startup offers: offer rate grows as skill^theta");
  v.number("team_offer_rate", p.team_offer_rate, Range::between(0.0, 520.0),
           "yearly offers a young startup makes to each member of its founder's former team");
  v.integer("team_recruit_weeks", p.team_recruit_weeks, IntRange{0, kMaxTicks},
            "weeks after founding during which the former team is recruited");
  v.number("pay_fraction", p.pay_fraction, Range::open_closed(0.0, 10.0),
           "startup cash pay relative to the market pay for the skill");
  v.number("equity_value", p.equity_value, Range::between(0.0, 100.0),
           "perceived value of equity as a share of cash pay");
  v.number("founder_pay_fraction", p.founder_pay_fraction, Range::open_closed(0.0, 10.0),
           "founder's cash pay relative to the market pay for the skill");
  v.number("appeal_base", p.appeal_base, Range::unit(),
           "founder appeal of a startup whose founder has median skill");
  v.number("appeal_per_log_skill", p.appeal_per_log_skill, Range::between(0.0, 10.0),
           "appeal gained per unit of the founder's log skill (capped at 1)");
  v.number("prestige", p.prestige, Range::between(-100.0, 100.0), "prestige of a startup");
  v.number("workload", p.workload, Range::unit(), "workload at a startup");
  v.number("faith_baseline", p.faith_baseline, Range::unit(), "faith baseline at a startup");
  v.number("failure_rate", p.failure_rate, Range::between(0.0, 52.0),
           "yearly failure hazard of a large startup");
  v.number("small_size", p.small_size, Range::between(0.0, 1e6),
           "hazard = failure_rate x (1 + small_size / headcount): small startups fail more");
}

/// Leaving for independent research (docs/MODEL.md phase 4).
struct IndependentParams {
  double consider_rate = 0.05;  ///< yearly hazard of considering independent research
  double income = 150000.0;     ///< USD/year (grants, savings, consulting)
  double value = 0.0;           ///< utility of independence itself
  double workload = 0.1;
};
template <class V>
void visit_fields(V& v, IndependentParams& p) {
  v.number("consider_rate", p.consider_rate, Range::between(0.0, 52.0),
           "yearly hazard that a researcher not already independent (employed or between "
           "jobs) considers independent research");
  v.number("income", p.income, Range::positive(), "income of an independent researcher, USD/year");
  v.number("value", p.value, Range::between(-100.0, 100.0), "utility of independence itself");
  v.number("workload", p.workload, Range::unit(), "workload of independent research");
}

// ---------------------------------------------------------------------------
// Firms
// ---------------------------------------------------------------------------

/// pay(q) = base * q^skill_elasticity * exp(dispersion * z), base set so the
/// firm's median at the start equals `median`; never above ceiling * base * q^elasticity.
struct PayPolicy {
  double median = 0.0;
  double skill_elasticity = 0.5;
  double dispersion = 0.2;
  double ceiling = 2.0;
};
template <class V>
void visit_fields(V& v, PayPolicy& p) {
  v.number("median", p.median, Range::positive(),
           "median annual total compensation at the start, USD", Need::kRequired);
  v.number("skill_elasticity", p.skill_elasticity, Range::between(0.0, 5.0),
           "beta: pay grows as skill^beta");
  v.number("dispersion", p.dispersion, Range::between(0.0, 3.0),
           "sigma: log-sd of pay around the policy");
  v.number("ceiling", p.ceiling, Range::between(1.0, 100.0),
           "most the firm pays anyone, as a multiple of its policy pay for their skill");
}

struct RecruitingPolicy {
  std::optional<double> share;   ///< absent on every firm: headcount shares
  double skill_targeting = 1.0;  ///< theta
  double offer_premium = 0.1;
};
template <class V>
void visit_fields(V& v, RecruitingPolicy& p) {
  v.optional_number("share", p.share, Range::unit(),
                    "share of all offers this firm makes (absent on all firms: headcount shares)");
  v.number("skill_targeting", p.skill_targeting, Range::between(0.0, 10.0),
           "theta: this firm's offer rate grows as skill^theta (poaching aims at the best)");
  v.number("offer_premium", p.offer_premium, Range::between(0.0, 10.0),
           "offers pay at least the target's current pay times (1 + premium)");
}

struct HiringPolicy {
  bool interview_free = false;
  std::int64_t lag_weeks = 4;
  std::optional<double> headcount_cap;   ///< multiple of the initial headcount
  std::optional<double> payroll_budget;  ///< multiple of the initial payroll
  /// Hiring to openings (docs/MODEL.md "Hiring to openings"): the planned headcount
  /// grows this much a year; absent, offers go out at the recruiting rate whatever
  /// the openings.
  std::optional<double> plan_growth;
  double offers_per_opening = 3.0;
  std::int64_t fill_weeks = 8;
};
template <class V>
void visit_fields(V& v, HiringPolicy& p) {
  v.boolean("interview_free", p.interview_free,
            "offers can be accepted the week they arrive, before any counter-offer");
  v.integer("lag_weeks", p.lag_weeks, IntRange{0, 520},
            "weeks from acceptance to start when offers are not interview-free");
  v.optional_number("headcount_cap", p.headcount_cap, Range::positive(),
                    "most researchers, as a multiple of the initial headcount");
  v.optional_number("payroll_budget", p.payroll_budget, Range::positive(),
                    "most annual payroll, as a multiple of the initial payroll");
  v.optional_number("plan_growth", p.plan_growth, Range::between(-0.9, 10.0),
                    "hire to openings: the planned headcount grows this much a year "
                    "(0: replace who leaves) and offers go out in proportion to open "
                    "positions; absent: offers at the recruiting rate whatever the openings");
  v.number("offers_per_opening", p.offers_per_opening, Range::between(0.0, 1000.0),
           "with a plan: offers made per open position over fill_weeks");
  v.integer("fill_weeks", p.fill_weeks, IntRange{1, 520},
            "with a plan: weeks over which the firm spreads the offers for its openings");
}

/// Counter-offers (docs/MODEL.md phase 5, Postel-Vinay & Robin bidding).
struct RetentionPolicy {
  Eligibility counter_offers = Eligibility::kNone;
  double probability = 0.5;
  double max_raise = 0.25;
};
template <class V>
void visit_fields(V& v, RetentionPolicy& p) {
  v.enumeration("counter_offers", p.counter_offers, kEligibilityNames,
                "who gets counter-offers: none, top, published or all");
  v.number("probability", p.probability, Range::unit(),
           "chance the firm counters an eligible leaver");
  v.number("max_raise", p.max_raise, Range::between(0.0, 100.0),
           "largest counter-offer raise as a share of current pay");
}

/// Tesla's policy: if enough top people leave within a window, raise pay.
struct ReactiveRaisePolicy {
  bool enabled = false;
  Eligibility who = Eligibility::kTop;
  std::int64_t trigger_departures = 3;
  std::int64_t window_weeks = 8;
  double raise = 0.10;
  std::int64_t cooldown_weeks = 26;
  /// Relative trigger: 0 for the absolute trigger alone; otherwise the window's
  /// departures must also exceed this multiple of the firm's own normal.
  double trigger_multiple = 0.0;
  std::int64_t baseline_weeks = 26;
};
template <class V>
void visit_fields(V& v, ReactiveRaisePolicy& p) {
  v.boolean("enabled", p.enabled, "whether the firm raises pay when its people are poached");
  v.enumeration("who", p.who, kEligibilityNames,
                "whose departures count and who gets the raise: top, published or all");
  v.integer("trigger_departures", p.trigger_departures, IntRange{1, 1'000'000'000},
            "departures of covered researchers within the window that trigger a raise");
  v.integer("window_weeks", p.window_weeks, IntRange{1, 520}, "trailing window, weeks");
  v.number("raise", p.raise, Range::between(0.0, 10.0), "raise as a share of current pay");
  v.integer("cooldown_weeks", p.cooldown_weeks, IntRange{0, kMaxTicks},
            "weeks after a raise before the policy can fire again");
  v.number("trigger_multiple", p.trigger_multiple, Range::between(0.0, 1000.0),
           "0: the absolute trigger alone; else the window's departures must also exceed "
           "this multiple of the firm's normal (its weekly mean over the baseline weeks "
           "before the window, times window_weeks), so the policy answers a campaign, "
           "not ordinary churn");
  v.integer("baseline_weeks", p.baseline_weeks, IntRange{1, 520},
            "weeks before the window that make the firm's normal (a relative trigger "
            "needs at least window_weeks of them)");
}

struct FirmParams {
  std::string id;
  std::string name;
  FirmKind kind = FirmKind::kBigTech;
  double headcount_share = 0.0;
  double skill_shift = 0.0;  ///< mean log-skill of its initial staff, relative to the market
  PayPolicy pay;
  double workload = 0.6;
  double faith_baseline = 0.7;
  double founder_appeal = 0.5;
  double prestige = 0.0;
  RecruitingPolicy recruiting;
  HiringPolicy hiring;
  RetentionPolicy retention;
  ReactiveRaisePolicy reactive_raise;
};
template <class V>
void visit_fields(V& v, FirmParams& f) {
  v.text("id", f.id, TextRule::kIdentifier, "short id used in outputs, events and --set",
         Need::kRequired);
  v.text("name", f.name, TextRule::kAny, "display name");
  v.enumeration("kind", f.kind, kFirmKindNames, "big_tech, lab, startup or academia");
  v.number("headcount_share", f.headcount_share, Range::unit(),
           "share of the employed researchers at this firm at the start", Need::kRequired);
  v.number("skill_shift", f.skill_shift, Range::between(-5.0, 5.0),
           "mean log skill of the firm's initial staff relative to the market");
  v.section("pay", f.pay, "pay policy");
  v.number("workload", f.workload, Range::unit(), "W: workload, 0..1");
  v.number("faith_baseline", f.faith_baseline, Range::unit(), "faith its researchers drift toward");
  v.number("founder_appeal", f.founder_appeal, Range::unit(),
           "A: appeal of its founder/CEO and mission, 0..1");
  v.number("prestige", f.prestige, Range::between(-100.0, 100.0), "utility of working there");
  v.section("recruiting", f.recruiting, "recruiting policy");
  v.section("hiring", f.hiring, "hiring process and limits");
  v.section("retention", f.retention, "counter-offer policy");
  v.section("reactive_raise", f.reactive_raise, "raises in response to poaching");
}

// ---------------------------------------------------------------------------
// Events (docs/MODEL.md phase 2)
// ---------------------------------------------------------------------------

/// A `key: value` pair applied by a policy or market event, e.g.
/// {"hiring.interview_free", "true"}. Keys use the same paths as the scenario.
struct Setting {
  std::string key;
  std::string value;
};

struct Event {
  EventType type = EventType::kCampaign;
  std::int64_t week = 1;
  std::string firm;  ///< the acting firm (all but market events)
  // campaign
  std::string target;      ///< firm whose top people are targeted
  double top_share = 0.1;  ///< share of the target's researchers, by skill
  double offer_rate_multiplier = 5.0;
  double appeal_boost = 0.2;
  std::int64_t weeks = 12;
  // pay_change
  double change = 0.1;  ///< +0.1 = +10%
  Eligibility who = Eligibility::kAll;
  // workload
  double workload = 0.5;
  // policy and market
  std::vector<Setting> settings;
};

/// The visitor also gets `v.settings(key, std::vector<Setting>&, doc)` for events.
template <class V>
void visit_fields(V& v, Event& e) {
  v.enumeration("type", e.type, kEventTypeNames,
                "campaign, pay_change, policy, workload or market");
  v.integer("week", e.week, IntRange{1, kMaxTicks}, "week (tick) the event applies, 1-based",
            Need::kRequired);
  switch (e.type) {
    case EventType::kCampaign:
      v.text("firm", e.firm, TextRule::kIdentifier, "the recruiting firm", Need::kRequired);
      v.text("target", e.target, TextRule::kIdentifier, "the firm whose people are targeted",
             Need::kRequired);
      v.number("top_share", e.top_share, Range::open_closed(0.0, 1.0),
               "share of the target's researchers targeted, best first");
      v.number("offer_rate_multiplier", e.offer_rate_multiplier, Range::between(1.0, 1000.0),
               "multiplier on the recruiting firm's offer rate to the targeted researchers");
      v.number("appeal_boost", e.appeal_boost, Range::between(0.0, 10.0),
               "founder appeal added to the recruiting firm's offers (personal emails)");
      v.integer("weeks", e.weeks, IntRange{1, kMaxTicks}, "how long the campaign lasts");
      break;
    case EventType::kPayChange:
      v.text("firm", e.firm, TextRule::kIdentifier, "the firm", Need::kRequired);
      v.number("change", e.change, Range::between(-0.9, 10.0),
               "relative change of pay, +0.1 = +10%", Need::kRequired);
      v.enumeration("who", e.who, kEligibilityNames, "whose pay changes: top, published or all");
      break;
    case EventType::kPolicy:
      v.text("firm", e.firm, TextRule::kIdentifier, "the firm", Need::kRequired);
      v.settings("set", e.settings, "firm keys to change, e.g. hiring.interview_free: true");
      break;
    case EventType::kWorkload:
      v.text("firm", e.firm, TextRule::kIdentifier, "the firm", Need::kRequired);
      v.number("workload", e.workload, Range::unit(), "the new workload", Need::kRequired);
      break;
    case EventType::kMarket:
      v.settings("set", e.settings,
                 "market-wide keys to change, e.g. market.offer_rate_employed: 2 or "
                 "startups.funding_climate: -1");
      break;
  }
}

// ---------------------------------------------------------------------------
// Targets: real-world figures a run is measured against (docs/MODEL.md "Measuring a run")
// ---------------------------------------------------------------------------

/// How far from a target's value a simulated mean may be: exactly one of the two.
struct TargetTolerance {
  std::optional<double> relative;  ///< a share of |value|: 0.2 = +-20%
  std::optional<double> absolute;  ///< in the metric's own unit
};
template <class V>
void visit_fields(V& v, TargetTolerance& t) {
  v.optional_number("relative", t.relative, Range::at_least(0.0),
                    "band half-width as a share of |value| (0.2 = +-20%)");
  v.optional_number("absolute", t.absolute, Range::at_least(0.0),
                    "band half-width in the metric's unit");
}

/// One figure a run should reproduce: a metric (study/metric.hpp) and its band, either
/// `value` with a `tolerance`, or a `range`.
struct Target {
  std::string metric;
  std::optional<double> value;
  TargetTolerance tolerance;
  std::optional<std::array<double, 2>> range;  ///< [lo, hi]
  std::string source;
  std::optional<double> se;  ///< the real figure's own standard error, when known

  /// The band [lo, hi] the simulated mean's interval must meet.
  [[nodiscard]] std::array<double, 2> band() const {
    if (range) return *range;
    const double x = value.value_or(0.0);
    const double half = tolerance.relative ? *tolerance.relative * (x < 0 ? -x : x)
                                           : tolerance.absolute.value_or(0.0);
    return {x - half, x + half};
  }
};
/// The visitor also gets `v.interval(key, std::optional<std::array<double, 2>>&, doc)`.
template <class V>
void visit_fields(V& v, Target& t) {
  v.text("metric", t.metric, TextRule::kAny,
         "what to measure, in the metric language (`talentsim metrics --list`), e.g. "
         "median_salary(meta, week=0)",
         Need::kRequired);
  v.optional_number("value", t.value, Range::any(),
                    "the real figure; needs a tolerance (or give range instead)");
  v.section("tolerance", t.tolerance, "how far from value the simulation may be");
  v.interval("range", t.range, "[lo, hi]: the band itself, instead of value and tolerance");
  v.text("source", t.source, TextRule::kAny, "where the figure comes from");
  v.optional_number("se", t.se, Range::at_least(0.0),
                    "the real figure's own standard error, when known (used by calibrate's "
                    "weights)");
}

// ---------------------------------------------------------------------------
// The whole scenario
// ---------------------------------------------------------------------------

struct Scenario {
  std::string name = "scenario";
  std::string description;
  std::uint64_t seed = 1;
  std::int64_t ticks = 52;
  std::int64_t warmup_weeks = 0;  ///< weeks run before week 0, outputs discarded
  PopulationParams population;
  PreferenceParams preferences;
  ChoiceParams choice;
  WellbeingParams wellbeing;
  MarketParams market;
  StartupParams startups;
  IndependentParams independent;
  std::vector<FirmParams> firms;
  std::vector<Event> events;
  std::vector<Target> targets;
};

/// The scalar sections of a scenario (firms, events and targets are lists, read separately).
template <class V>
void visit_fields(V& v, Scenario& s) {
  v.text("name", s.name, TextRule::kIdentifier, "scenario name; names the output folder");
  v.text("description", s.description, TextRule::kAny, "what the scenario is about");
  v.seed("seed", s.seed, "random seed (0 .. 2^64-1)");
  v.integer("ticks", s.ticks, IntRange{1, kMaxTicks}, "weeks to simulate");
  v.integer("warmup_weeks", s.warmup_weeks, IntRange{0, 520},
            "weeks run before week 0 without events, their outputs discarded, so the run "
            "starts from a market in motion (hires in the pipeline, firms' normal "
            "outflows known) rather than a cold start");
  v.section("population", s.population, "the researchers");
  v.section("preferences", s.preferences, "heterogeneous tastes");
  v.section("choice", s.choice, "random-utility choice");
  v.section("wellbeing", s.wellbeing, "burnout and faith");
  v.section("market", s.market, "market-wide rates");
  v.section("startups", s.startups, "startups founded by researchers");
  v.section("independent", s.independent, "independent research");
}

/// Looks up the spelling of an enum value.
template <class E, std::size_t N>
constexpr std::string_view enum_name(const std::array<std::pair<E, std::string_view>, N>& names,
                                     E value) {
  for (const auto& [e, name] : names)
    if (e == value) return name;
  return "?";
}

}  // namespace talentsim
