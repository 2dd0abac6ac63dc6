// The market: event clocks, offers, random-utility choice and counter-offers
// (MODEL.md phases 3-5), then phases 6-10: hiring limits, moves, startups,
// separations and firm reactions.
//
// Event clocks. Each researcher's offers, founding and independence hazards and
// (while employed) separations are independent Poisson processes; their
// superposition has rate R, and the tick of its next event is geometric with
// success probability 1 - exp(-R dt). The clock stores that tick, so a tick only
// touches researchers with something to do. When R changes (a move, an event),
// the clock is drawn again: exact, because the process is memoryless. On a tick
// where the clock fires, the number of events is Poisson(R dt) conditioned on
// at least one, and each event's kind is drawn in proportion to its rate --
// exactly the per-tick Bernoulli/Poisson model, without a draw per researcher
// per tick.
#include <algorithm>
#include <cmath>
#include <limits>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/choice.hpp"
#include "talentsim/model/order_statistics.hpp"
#include "talentsim/model/settings.hpp"
#include "workspace.hpp"

namespace talentsim {
namespace {

/// Most events one clock tick can carry; at lambda * dt <= 10 the chance of more is < 1e-20.
constexpr std::uint32_t kMaxEvents = 48;
/// Options of one decision: stay, pending, offers, team offer, found, independent.
constexpr std::size_t kMaxOptions = kMaxEvents + 4;
/// Draw number of a startup's team offer in the offer-wage stream.
constexpr std::uint32_t kTeamOfferDraw = 0xFFFF;

bool covers(Eligibility who, std::uint8_t flags) {
  switch (who) {
    case Eligibility::kNone:
      return false;
    case Eligibility::kTop:
      return (flags & flag::kTop) != 0;
    case Eligibility::kPublished:
      return (flags & flag::kPublished) != 0;
    case Eligibility::kAll:
      return true;
  }
  return false;
}

double log_pay(double usd) { return std::log(std::max(usd, 1.0)); }

/// One option of a decision. Left uninitialised in bulk: a decision fills only the
/// options it has.
struct Option {
  enum class Kind : std::uint8_t { kStay, kPending, kOffer, kFound, kIndependent };
  Kind kind;
  FirmId firm;
  std::uint32_t serial;
  double wage;   ///< cash pay
  double value;  ///< utility, taste shock included once drawn
};

}  // namespace

// ---------------------------------------------------------------------------
// Pay and rates
// ---------------------------------------------------------------------------

double Simulation::market_pay(double skill) const {
  return market_base_ * std::pow(skill, market_elasticity_);
}

bool Simulation::campaign_targets(const Campaign& c, FirmId employer, float skill,
                                  ResearcherId id) const {
  return employer == c.target && c.cut.takes(skill, id);
}

Simulation::SkillPowers Simulation::skill_powers(double skill) const {
  SkillPowers p;
  p.log_skill = std::log(skill);
  const std::size_t u = std::min(thetas_.size(), SkillPowers::kCached);
  // Exponents in whole quarters (0.5, 0.75, 1, 1.25 ...) are products of
  // q^(1/4) = sqrt(sqrt(q)): correctly rounded square roots and a few products
  // instead of an exp for each. Other exponents take the exp.
  double quarter = 0.0;
  for (std::size_t k = 0; k < u; ++k) {
    const int m = theta_quarters_[k];
    if (m == kNotQuarters) {
      p.power[k] = std::exp(thetas_[k] * p.log_skill);
      continue;
    }
    if (quarter == 0.0) quarter = std::sqrt(std::sqrt(skill));
    const double base = m >= 0 ? quarter : 1.0 / quarter;
    double power = 1.0;
    for (int j = 0; j < (m >= 0 ? m : -m); ++j) power *= base;
    p.power[k] = power;
  }
  return p;
}

double Simulation::theta_power(const SkillPowers& p, std::size_t k) const {
  return k < SkillPowers::kCached ? p.power[k] : std::exp(thetas_[k] * p.log_skill);
}

double Simulation::skill_power(const SkillPowers& p, std::size_t recruiter) const {
  return theta_power(p, recruiter_theta_[recruiter]);
}

double Simulation::offer_rate_of(FirmId employer, bool employed, float skill, ResearcherId id,
                                 const SkillPowers& powers) const {
  const auto& m = scenario_.market;
  if (!employed) return m.offer_rate_between_jobs;
  // lambda1 * sum_j w_j(e) q^theta_j / E[q^theta_j], grouped by distinct theta.
  const std::size_t row = employer_row(employer);
  const std::size_t u = thetas_.size();
  double sum = 0.0;
  for (std::size_t k = 0; k < u; ++k)
    sum += rate_coef_[row * u + k] *
           theta_power(powers, k);
  for (const Campaign& c : campaigns_) {
    if (!campaign_targets(c, employer, skill, id)) continue;
    sum += recruit_weight_[row * (named_ + 1) + c.firm] * skill_power(powers, c.firm) *
           (c.multiplier - 1.0);
  }
  return m.offer_rate_employed * sum;
}

Simulation::EventRates Simulation::event_rates(ResearcherId id, const SkillPowers& powers) const {
  const FirmId e = people_.employer[id];
  const bool employed = e != kNoFirm;
  EventRates r;
  r.offer = offer_rate_of(e, employed, people_.skill[id], id, powers);
  r.found = scenario_.startups.enabled ? scenario_.startups.founding_rate : 0.0;
  r.independent =
      (people_.flags[id] & flag::kIndependent) != 0 ? 0.0 : scenario_.independent.consider_rate;
  r.separation = employed ? scenario_.market.separation_rate : 0.0;
  return r;
}

double Simulation::offer_rate(ResearcherId id) const {
  const FirmId e = people_.employer[id];
  const float q = people_.skill[id];
  return offer_rate_of(e, e != kNoFirm, q, id, e != kNoFirm ? skill_powers(q) : SkillPowers{});
}

double Simulation::event_rate(ResearcherId id) const {
  // Skill powers only matter to the offers of the employed.
  const bool employed = people_.employer[id] != kNoFirm;
  return event_rates(id, employed ? skill_powers(people_.skill[id]) : SkillPowers{}).total();
}

void Simulation::schedule_clock(ResearcherId id, std::uint32_t from_tick, std::uint32_t draw) {
  schedule_clock_at_rate(id, from_tick, draw, event_rate(id));
}

void Simulation::schedule_clock_at_rate(ResearcherId id, std::uint32_t from_tick,
                                        std::uint32_t draw, double rate) {
  // The first tick with an event is from_tick - 1 + G, G geometric on {1, 2, ...}.
  RandomStream rs(scenario_.seed, id, from_tick, Purpose::kClock, draw);
  const std::uint32_t g = ticks_to_next_event(rate * kDt, rs.exponential(), kNever);
  const std::uint64_t next = std::uint64_t{from_tick} - 1 + g;
  people_.next_event[id] = next >= kNever ? kNever : static_cast<Tick>(next);
}

Simulation::Preferences Simulation::preferences(ResearcherId id) const {
  return {people_.money[id], people_.appeal[id], people_.drive[id]};
}

Simulation::Preferences Simulation::draw_preferences(ResearcherId id) const {
  const auto& p = scenario_.preferences;
  RandomStream rs(scenario_.seed, id, 0, Purpose::kPreferences);
  Preferences out{};
  out.money = p.money_median * std::exp(p.money_sigma * rs.normal());
  out.appeal = std::max(0.0, p.appeal_mean + p.appeal_sd * rs.normal());
  out.entrepreneurship = p.entrepreneurship_mean + p.entrepreneurship_sd * rs.normal();
  return out;
}

namespace {
bool by_id(const PendingHire& a, const PendingHire& b) { return a.id < b.id; }
}  // namespace

std::size_t Simulation::pending_hire_count() const {
  std::size_t n = 0;
  for (const auto& chunk : pending_) n += chunk.size();
  return n;
}

const PendingHire* Simulation::find_pending(ResearcherId id) const {
  const auto& list = pending_[id / kChunkSize];
  const auto it = std::lower_bound(list.begin(), list.end(), id,
                                   [](const PendingHire& p, ResearcherId x) { return p.id < x; });
  return it != list.end() && it->id == id ? &*it : nullptr;
}

void Simulation::prepare_chunk_hires(std::size_t c) {
  const auto t = static_cast<Tick>(tick_);
  auto& list = pending_[c];
  auto& fates = work_->fates[c];
  auto& due = work_->due[c];
  auto& limited = work_->limited_hires[c];
  const auto& limits = work_->limits_hiring;
  auto& decisions = work_->decisions[c];
  fates.assign(list.size(), PendingFate::kWait);
  due.clear();
  limited.clear();
  const auto candidate = [&](ResearcherId id, FirmId firm, float salary, Decision* d,
                             PendingHire* p) {
    limited.push_back({people_.skill[id], id, salary, firm, d, p});
  };
  // A move to a named firm with limits is a candidate.
  const auto consider = [&](Decision& d) {
    if (d.action == Decision::Action::kMove && d.firm < named_ && limits[d.firm])
      candidate(d.id, d.firm, d.salary, &d, nullptr);
  };
  std::size_t k = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    PendingHire& p = list[i];
    for (; k < decisions.size() && decisions[k].id < p.id; ++k) consider(decisions[k]);
    if (k < decisions.size() && decisions[k].id == p.id && decisions[k].drop_pending) {
      fates[i] = PendingFate::kReneged;
    } else if (p.due == t) {
      const FirmState& f = firms_[p.firm];
      fates[i] = f.alive && f.serial == p.firm_serial ? PendingFate::kDue : PendingFate::kGone;
      if (fates[i] == PendingFate::kDue) {
        due.push_back(&p);
        if (p.firm < named_ && limits[p.firm]) candidate(p.id, p.firm, p.salary, nullptr, &p);
      }
    }
  }
  for (; k < decisions.size(); ++k) consider(decisions[k]);
}

// ---------------------------------------------------------------------------
// Phases 3-5: offers, choice, counter-offers (parallel over researchers who act)
// ---------------------------------------------------------------------------

void Simulation::decide(ResearcherId id, bool clock_fired, FirmId team_offer_from,
                        std::vector<Decision>& out, std::int64_t& offers_made,
                        std::int64_t& choices_made) {
  const auto t = static_cast<std::uint32_t>(tick_);
  const std::uint64_t seed = scenario_.seed;
  const auto& ch = scenario_.choice;
  const auto& st = scenario_.startups;
  const auto& ind = scenario_.independent;
  const auto& mk = scenario_.market;
  const FirmId e = people_.employer[id];
  const bool employed = e != kNoFirm;
  const std::uint8_t flags = people_.flags[id];
  const bool independent = (flags & flag::kIndependent) != 0;
  const double q = people_.skill[id];
  const double s = people_.salary[id];
  // Every column of the row is read up front: the row is scattered, so each read may
  // miss the cache, and issued together the misses overlap instead of queueing.
  const Preferences pref = preferences(id);
  const float burnout = people_.burnout[id];
  const float faith = people_.faith[id];

  // Phase 3a: what the clock's events are.
  const SkillPowers powers = skill_powers(q);
  std::uint32_t offer_events = 0;
  bool found_idea = false;
  bool independence_idea = false;
  bool separation = false;
  double total = 0.0;  // the researcher's event rate, for the next clock
  if (clock_fired) {
    const EventRates rates = event_rates(id, powers);
    const double r_offer = rates.offer;
    const double r_found = rates.found;
    const double r_indep = rates.independent;
    total = rates.total();
    if (total > 0.0) {
      RandomStream ev(seed, id, t, Purpose::kEventKinds);
      const std::uint32_t k = zero_truncated_poisson(total * kDt, ev.uniform(), kMaxEvents);
      for (std::uint32_t j = 0; j < k; ++j) {
        const double x = ev.uniform() * total;
        if (x < r_offer)
          ++offer_events;
        else if (x < r_offer + r_found)
          found_idea = true;
        else if (x < r_offer + r_found + r_indep)
          independence_idea = true;
        else
          separation = true;
      }
    }
  }

  // Phase 3b and 4: the options and their values.
  const double alpha = pref.money;
  const double leave_cost = (employed || independent) ? ch.switching_cost : 0.0;
  const std::size_t recruiters = named_ + 1;
  const std::size_t row = employer_row(e);
  const auto policy_pay = [&](const FirmState& f) {
    return f.pay_base * std::exp(f.params.pay.skill_elasticity * powers.log_skill);
  };
  const auto startup_wage = [&](const FirmState& f, double z) {
    const double policy = policy_pay(f);
    return std::min(policy * std::exp(f.params.pay.dispersion * z), f.params.pay.ceiling * policy);
  };
  const bool uniform_wages = mk.offer_wages.source == WageSource::kUniform;
  // Named firms' offers are worked out in logs (MODEL.md phase 3: max(policy x
  // dispersion, current pay x (1 + premium)), capped at the ceiling): one exp per
  // offer, and the log the utility needs comes for free.
  const double log_s = employed ? std::log(s) : 0.0;
  // A job's value from the log of its cash pay (log_pay: pay below $1 counts as $1).
  const auto job_value_log = [&](FirmId f, double log_wage, double boost) {
    const FirmState& firm = firms_[f];
    return alpha * std::max(log_wage, 0.0) + pref.appeal * (firm.appeal + boost) +
           firm.params.prestige;
  };
  // The same from the pay itself; a startup's pay counts with its equity.
  const auto job_value = [&](FirmId f, double wage, double boost) {
    const double equity = firms_[f].is_startup ? st.equity_value : 0.0;
    return job_value_log(f, std::log(wage * (1.0 + equity)), boost);
  };

  Option opts[kMaxOptions];  // NOLINT: uninitialised on purpose; n counts the filled ones
  std::size_t n = 0;
  Option& stay = opts[n++];
  stay.kind = Option::Kind::kStay;
  stay.firm = e;
  stay.serial = e != kNoFirm ? firms_[e].serial : 0;
  stay.wage = s;
  if (employed) {
    const double log_own = firms_[e].is_startup ? log_s + std::log1p(st.equity_value) : log_s;
    stay.value = job_value_log(e, log_own, 0.0) - ch.burnout_weight * burnout +
                 ch.faith_weight * faith;
  } else if (independent) {
    stay.value = alpha * log_pay(ind.income) + ind.value;
  } else {
    stay.value = alpha * log_pay(mk.between_jobs_income);
  }

  const PendingHire* pending = (flags & flag::kPending) ? find_pending(id) : nullptr;
  if (pending != nullptr && firms_[pending->firm].alive &&
      firms_[pending->firm].serial == pending->firm_serial) {
    Option& o = opts[n++];
    o.kind = Option::Kind::kPending;
    o.firm = pending->firm;
    o.serial = pending->firm_serial;
    o.wage = pending->salary;
    o.value = job_value(o.firm, o.wage, 0.0) - leave_cost;
  }

  const auto& alive = work_->alive_startups;
  // Each recruiter's weight among this researcher's offers, once per decision.
  thread_local std::vector<double> weights;
  double weight_total = 0.0;
  if (offer_events > 0) {
    weights.assign(recruiters, 0.0);
    for (std::size_t j = 0; j < recruiters; ++j) {
      double w = employed ? recruit_weight_[row * recruiters + j] * skill_power(powers, j)
                          : between_jobs_weight_[j];
      if (employed) {
        // As in offer_rate_of: each campaign adds (multiplier - 1) x the firm's base rate.
        double factor = 1.0;
        for (const Campaign& c : campaigns_)
          if (c.firm == j && campaign_targets(c, e, people_.skill[id], id))
            factor += c.multiplier - 1.0;
        w *= factor;
      }
      weights[j] = w;
      weight_total += w;
    }
  }
  for (std::uint32_t m = 0; m < offer_events; ++m) {
    if (!(weight_total > 0.0)) break;
    // Which recruiter: in proportion to its weight.
    RandomStream pick(seed, id, t, Purpose::kOfferFirm, m);
    double x = pick.uniform() * weight_total;
    std::size_t j = 0;
    for (; j + 1 < recruiters; ++j) {
      x -= weights[j];
      if (x < 0.0) break;
    }
    FirmId firm = static_cast<FirmId>(j);
    if (j == named_) {
      // The startup sector: a live startup other than the researcher's own, uniformly.
      const bool own_alive = employed && e >= named_;
      const std::size_t others = alive.size() - (own_alive ? 1 : 0);
      if (others == 0) continue;  // no startup to make the offer: it is not made
      auto k = static_cast<std::size_t>(pick.uniform() * static_cast<double>(others));
      k = std::min(k, others - 1);
      if (own_alive) {
        const auto own = static_cast<std::size_t>(
            std::lower_bound(alive.begin(), alive.end(), e) - alive.begin());
        if (k >= own) ++k;
      }
      firm = alive[k];
    }
    const FirmState& f = firms_[firm];
    RandomStream wz(seed, id, t, Purpose::kOfferWage, m);
    double boost = 0.0;
    for (const Campaign& c : campaigns_)
      if (c.firm == firm && campaign_targets(c, e, people_.skill[id], id)) boost += c.appeal_boost;
    Option& o = opts[n++];
    o.kind = Option::Kind::kOffer;
    o.firm = firm;
    o.serial = f.serial;
    if (uniform_wages || f.is_startup) {
      const double wage =
          uniform_wages
              ? mk.offer_wages.min + (mk.offer_wages.max - mk.offer_wages.min) * wz.uniform()
              : startup_wage(f, wz.normal());
      o.wage = bounded_salary(wage);
      o.value = job_value(firm, wage, boost) - leave_cost;
    } else {
      const OfferLogs& logs = work_->offer_logs[firm];
      const double log_policy = logs.pay_base + f.params.pay.skill_elasticity * powers.log_skill;
      double log_wage = log_policy + f.params.pay.dispersion * wz.normal();
      if (employed) log_wage = std::max(log_wage, log_s + logs.premium);
      log_wage = std::min(log_wage, logs.ceiling + log_policy);
      o.wage = bounded_salary(std::exp(log_wage));
      o.value = job_value_log(firm, log_wage, boost) - leave_cost;
    }
    ++offers_made;
  }

  if (team_offer_from != kNoFirm && team_offer_from != e && firms_[team_offer_from].alive) {
    const FirmState& f = firms_[team_offer_from];
    RandomStream wz(seed, id, t, Purpose::kOfferWage, kTeamOfferDraw);
    Option& o = opts[n++];
    o.kind = Option::Kind::kOffer;
    o.firm = team_offer_from;
    o.serial = f.serial;
    o.wage = uniform_wages
                 ? mk.offer_wages.min + (mk.offer_wages.max - mk.offer_wages.min) * wz.uniform()
                 : startup_wage(f, wz.normal());
    o.value = job_value(o.firm, o.wage, 0.0) - leave_cost;
    ++offers_made;
  }
  // Founding needs a free startup slot (slots change only in serial phases).
  if (found_idea && st.enabled && !work_->free_slots.empty()) {
    Option& o = opts[n++];
    o.kind = Option::Kind::kFound;
    o.firm = kNoFirm;
    o.serial = 0;
    o.wage = st.founder_pay_fraction * market_pay(q);
    o.value = alpha * log_pay(o.wage * (1.0 + st.equity_value)) + pref.entrepreneurship +
              st.funding_climate - leave_cost;
  }
  if (independence_idea && !independent) {
    Option& o = opts[n++];
    o.kind = Option::Kind::kIndependent;
    o.firm = kNoFirm;
    o.serial = 0;
    o.wage = ind.income;
    o.value = alpha * log_pay(ind.income) + ind.value - leave_cost;
  }

  // MODEL.md phase 4: only researchers with an offer or an idea choose. A clock that
  // fired for a separation alone (or for offers that could not be made) changes
  // nothing else: no taste shocks, and an accepted offer stays accepted.
  const std::size_t kept_options = pending != nullptr && n > 1 && opts[1].kind == Option::Kind::kPending ? 2 : 1;
  if (n == kept_options) {
    if (separation) {
      Decision d;
      d.id = id;
      d.employer = e;
      d.clock_fired = clock_fired;
      d.separation = true;
      d.salary = static_cast<float>(s);
      out.push_back(d);
    } else if (clock_fired) {
      schedule_clock_at_rate(id, t + 1, 0, total);
    }
    return;
  }
  ++choices_made;

  // Random utility (choice.hpp): taste shocks in option order, then the best wins.
  double values[kMaxOptions];  // NOLINT: the first n are set below
  for (std::size_t k = 0; k < n; ++k) values[k] = opts[k].value;
  const std::span<double> v(values, n);
  if (ch.noise > 0.0) {
    RandomStream noise(seed, id, t, Purpose::kChoiceNoise);
    add_taste_shocks(v, ch.noise, noise);
  }
  for (std::size_t k = 0; k < n; ++k) opts[k].value = values[k];
  std::size_t chosen = best_option(v, n);

  Decision d;
  d.id = id;
  d.employer = e;
  d.clock_fired = clock_fired;
  d.separation = separation;

  // Phase 5: counter-offers, Postel-Vinay & Robin bidding. The employer can go up to
  // its ceiling, the poacher up to its own; the one that can offer more utility wins
  // and pays just enough to beat the other's best (or the researcher's next option).
  if (opts[chosen].kind == Option::Kind::kOffer && employed && e < named_ && alpha > 0.0) {
    const FirmState& mine = firms_[e];
    const FirmState& rival = firms_[opts[chosen].firm];
    if (!rival.params.hiring.interview_free && covers(mine.params.retention.counter_offers, flags)) {
      RandomStream cr(seed, id, t, Purpose::kCounterOffer);
      if (cr.uniform() < mine.params.retention.probability) {
        d.counter_made = true;
        const double s_now = std::max(s, 1.0);
        const double cap_e = std::max(
            s_now, std::min(s_now * (1.0 + mine.params.retention.max_raise),
                            mine.params.pay.ceiling * policy_pay(mine)));
        const double w = opts[chosen].wage;
        const double cap_j =
            uniform_wages ? w : std::max(w, rival.params.pay.ceiling * policy_pay(rival));
        const double base_stay = opts[0].value - alpha * log_pay(s_now);
        const double base_rival = opts[chosen].value - alpha * log_pay(w);
        const double best_e = base_stay + alpha * log_pay(cap_e);
        const double best_j = base_rival + alpha * log_pay(cap_j);
        // The researcher's best option besides staying and this rival.
        std::size_t alt = n;
        for (std::size_t k = 1; k < n; ++k)
          if (k != chosen && (alt == n || opts[k].value > opts[alt].value)) alt = k;
        const double v_alt = alt == n ? -std::numeric_limits<double>::infinity() : opts[alt].value;
        if (std::max(best_e, best_j) < v_alt) {
          chosen = alt;  // neither can match the researcher's other option
        } else if (best_e >= best_j) {
          const double need = (std::max(best_j, v_alt) - base_stay) / alpha;
          const double raised = std::exp(std::min(need, std::log(cap_e)));
          d.salary = static_cast<float>(std::max(raised, s));
          d.counter_won = true;
          chosen = 0;
        } else {
          const double need = (std::max(best_e, v_alt) - base_rival) / alpha;
          opts[chosen].wage = std::exp(std::clamp(need, std::log(w), std::log(cap_j)));
        }
      }
    }
  }

  const Option& c = opts[chosen];
  switch (c.kind) {
    case Option::Kind::kStay:
      d.action = Decision::Action::kStay;
      d.drop_pending = pending != nullptr;
      if (!d.counter_won) d.salary = static_cast<float>(s);
      break;
    case Option::Kind::kPending:
      d.action = Decision::Action::kStay;
      d.salary = static_cast<float>(s);
      break;
    case Option::Kind::kOffer: {
      const FirmState& f = firms_[c.firm];
      const bool later = !f.params.hiring.interview_free && f.params.hiring.lag_weeks > 0;
      d.action = later ? Decision::Action::kAcceptLater : Decision::Action::kMove;
      d.firm = c.firm;
      d.firm_serial = c.serial;
      d.salary = static_cast<float>(c.wage);
      d.drop_pending = pending != nullptr;
      break;
    }
    case Option::Kind::kFound:
      d.action = Decision::Action::kFound;
      d.salary = static_cast<float>(c.wage);
      d.drop_pending = pending != nullptr;
      if (pending != nullptr) {
        // Kept so that a founding refused for want of a slot gives the hire back.
        d.firm = pending->firm;
        d.firm_serial = pending->firm_serial;
        d.pending_salary = pending->salary;
        d.pending_due = pending->due;
      }
      break;
    case Option::Kind::kIndependent:
      d.action = Decision::Action::kIndependent;
      d.salary = static_cast<float>(c.wage);
      d.drop_pending = pending != nullptr;
      break;
  }
  if (d.action == Decision::Action::kStay && !d.separation && !d.counter_made && !d.drop_pending) {
    // Nothing changes; only the clock moves on. Safe in parallel: row id is this chunk's.
    if (clock_fired) schedule_clock_at_rate(id, t + 1, 0, total);
    return;
  }
  out.push_back(d);
}

// ---------------------------------------------------------------------------
// Phase 6: hiring limits
// ---------------------------------------------------------------------------

void Simulation::apply_hiring_limits() {
  // Every hire that would start this tick at a firm with limits, gathered per chunk by
  // the decision pass. A firm whose limits take them all (a headcount cap with room
  // for all, no payroll budget) needs no ranking.
  auto& w = *work_;
  std::vector<std::size_t> starting(named_, 0);
  for (const auto& chunk : w.limited_hires)
    for (const HireCandidate& c : chunk) ++starting[c.firm];
  std::vector<double> places(named_, std::numeric_limits<double>::infinity());
  std::vector<double> budget(named_, std::numeric_limits<double>::infinity());
  std::vector<char> ranked(named_, 0);
  bool any = false;
  for (std::size_t f = 0; f < named_; ++f) {
    if (starting[f] == 0) continue;
    const FirmState& firm = firms_[f];
    const auto& h = firm.params.hiring;
    // A cap counts the headcount before this week's departures.
    if (h.headcount_cap)
      places[f] = std::floor(*h.headcount_cap * static_cast<double>(firm.initial_headcount)) -
                  static_cast<double>(firm.headcount);
    if (h.payroll_budget)
      budget[f] = (*h.payroll_budget * static_cast<double>(firm.initial_payroll_cents) -
                   static_cast<double>(firm.payroll_cents)) / 100.0;
    ranked[f] = h.payroll_budget || places[f] < static_cast<double>(starting[f]);
    any = any || ranked[f] != 0;
  }
  if (!any) return;

  std::vector<std::vector<HireCandidate>> by_firm(named_);
  for (const auto& chunk : w.limited_hires)
    for (const HireCandidate& c : chunk)
      if (ranked[c.firm]) by_firm[c.firm].push_back(c);
  const auto refuse = [&](const HireCandidate& c) {
    ++firms_[c.firm].tick.rejected_by_limits;
    if (c.decision != nullptr) c.decision->action = Decision::Action::kStay;
    if (c.pending != nullptr) c.pending->due = kNever;  // refused: the hire is off
  };
  // Best first; ties by id (a strict order: ids differ).
  const auto better = [](const HireCandidate& a, const HireCandidate& b) {
    return a.skill != b.skill ? a.skill > b.skill : a.id < b.id;
  };
  for (std::size_t f = 0; f < named_; ++f) {
    auto& list = by_firm[f];
    if (list.empty()) continue;
    if (!firms_[f].params.hiring.payroll_budget) {
      // A headcount cap alone takes the best floor(places): which ones those are does
      // not need the whole order.
      const auto take = static_cast<std::size_t>(
          std::clamp(places[f], 0.0, static_cast<double>(list.size())));
      const auto cut = list.begin() + static_cast<std::ptrdiff_t>(take);
      std::nth_element(list.begin(), cut, list.end(), better);
      std::for_each(cut, list.end(), refuse);
      continue;
    }
    std::sort(list.begin(), list.end(), better);
    for (const HireCandidate& c : list) {
      if (places[f] >= 1.0 && c.salary <= budget[f]) {
        places[f] -= 1.0;
        budget[f] -= c.salary;
      } else {
        refuse(c);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Phase 7: moves
// ---------------------------------------------------------------------------

std::size_t Simulation::place_of(FirmId firm, bool independent) const {
  if (firm == kNoFirm) return independent ? named_ + 1 : named_ + 2;
  return firm < named_ ? firm : named_;
}

// A move is done in two steps. relocate() changes the researcher's own row and
// returns what changed; it touches nothing shared, so the moves of a tick run in
// parallel. apply_move() then books the change into the calling thread's ledger
// (firms, groups, flows; team sizes and departures atomically), and settle_moves()
// adds the ledgers into the shared counts. Everything booked is an integer count
// or sum, so the result does not depend on which thread booked what, or in which
// order; the few lists (startup members, teams with departures) are sorted or
// order-free. Hiring limits, founding and failing startups stay serial.

MoveRecord Simulation::relocate(ResearcherId id, FirmId to, float salary, bool independent,
                                MoveKind kind) {
  const auto t = static_cast<std::uint32_t>(tick_);
  salary = bounded_salary(salary);
  MoveRecord r;
  r.id = id;
  r.kind = kind;
  r.from = people_.employer[id];
  r.from_team = people_.team[id];
  r.from_independent = (people_.flags[id] & flag::kIndependent) != 0;
  r.flags = people_.flags[id];
  r.old_salary = people_.salary[id];
  r.old_burnout = people_.burnout[id];
  r.old_faith = people_.faith[id];
  if (kind == MoveKind::kRaise) {
    people_.salary[id] = salary;
    r.to = r.from;
    r.to_team = r.from_team;
    r.new_salary = salary;
    r.new_burnout = r.old_burnout;
    r.new_faith = r.old_faith;
    return r;
  }
  std::uint8_t fl = static_cast<std::uint8_t>(r.flags & ~flag::kIndependent);
  if (kind == MoveKind::kVoluntary) {
    // A fresh start sheds some burnout.
    people_.burnout[id] =
        static_cast<float>(people_.burnout[id] * (1.0 - scenario_.wellbeing.fresh_start_relief));
    if (people_.moves[id] != 0xFFFF) ++people_.moves[id];
  }
  r.to = to;
  r.to_independent = to == kNoFirm && independent;
  if (to != kNoFirm) {
    const FirmState& f = firms_[to];
    RandomStream rs(scenario_.seed, id, t, Purpose::kTeamAssign);
    const auto k = std::min<std::uint32_t>(
        f.team_count - 1, static_cast<std::uint32_t>(rs.uniform() * f.team_count));
    r.to_team = f.team_begin + k;
    people_.faith[id] = static_cast<float>(f.params.faith_baseline);
  } else {
    r.to_team = kNoTeam;
    if (r.to_independent) fl = static_cast<std::uint8_t>(fl | flag::kIndependent);
  }
  people_.employer[id] = to;
  people_.team[id] = r.to_team;
  people_.salary[id] = salary;
  people_.hired_tick[id] = static_cast<Tick>(t);
  people_.flags[id] = fl;
  r.new_salary = salary;
  r.new_burnout = people_.burnout[id];
  r.new_faith = people_.faith[id];
  // Hired from outside employment this week: the week's separation draw is owed here
  // (everyone employed at the start of the week drew it with their clock).
  if (r.from == kNoFirm && to != kNoFirm) {
    RandomStream rs(scenario_.seed, id, t, Purpose::kSeparation);
    r.separates = rs.uniform() < -std::expm1(-scenario_.market.separation_rate * kDt);
  }
  return r;
}

void Simulation::apply_move(const MoveRecord& r, Ledger& ledger) {
  if (r.kind == MoveKind::kRaise) {
    book_group(ledger, r.from, r.old_burnout, r.old_faith, r.old_salary, -1);
    book_group(ledger, r.to, r.new_burnout, r.new_faith, r.new_salary, +1);
    ledger.firm(r.from).payroll_cents += cents(r.new_salary) - cents(r.old_salary);
    return;
  }
  const bool voluntary = r.kind == MoveKind::kVoluntary;
  const std::size_t from_place = place_of(r.from, r.from_independent);
  const std::size_t to_place = place_of(r.to, r.to_independent);
  ledger.flows[from_place * flows_.places.size() + to_place] += 1;
  ledger.flows_touched = true;
  ledger.independent += (r.to_independent ? 1 : 0) - (r.from_independent ? 1 : 0);
  const bool top = (r.flags & flag::kTop) != 0;
  const bool published = (r.flags & flag::kPublished) != 0;

  if (r.from != kNoFirm) {
    book_group(ledger, r.from, r.old_burnout, r.old_faith, r.old_salary, -1);
    FirmDelta& f = ledger.firm(r.from);
    --f.headcount;
    f.top -= top;
    f.published -= published;
    f.payroll_cents -= cents(r.old_salary);
    ++f.tick.departures;
    f.tick.top_departures += top;
    f.tick.published_departures += published;
    if (to_place < named_)
      ++f.tick.departures_to_firm;
    else if (to_place == named_)
      ++f.tick.departures_to_startup;
    else if (to_place == named_ + 1)
      ++f.tick.departures_to_independent;
    else
      ++f.tick.departures_to_between_jobs;
    TeamState& team = teams_[r.from_team];
    if (voluntary) {
      // Contagion next week reads how many of the team left this week.
      if (std::atomic_ref<std::uint32_t>(team.left_count).fetch_add(1, std::memory_order_relaxed) == 0)
        ledger.teams_left.push_back(r.from_team);
      const FirmState& firm = firms_[r.from];
      if (!firm.covered_departures.empty() && covers(firm.params.reactive_raise.who, r.flags))
        ++f.covered_departures;
    }
    std::atomic_ref<std::uint32_t>(team.size).fetch_sub(1, std::memory_order_relaxed);
  }
  if (r.to != kNoFirm) {
    std::atomic_ref<std::uint32_t>(teams_[r.to_team].size).fetch_add(1, std::memory_order_relaxed);
    FirmDelta& f = ledger.firm(r.to);
    ++f.headcount;
    f.top += top;
    f.published += published;
    f.payroll_cents += cents(r.new_salary);
    ++f.tick.hires;
    book_group(ledger, r.to, r.new_burnout, r.new_faith, r.new_salary, +1);
    if (firms_[r.to].is_startup) ledger.joined_startups.emplace_back(r.to, r.id);
  }
  // Both lists belong to the researcher's chunk, whose moves one task books.
  work_->redraw[r.id / kChunkSize].push_back(r.id);
  if (r.separates) work_->separations[r.id / kChunkSize].push_back(r.id);
}

void Simulation::book_moves(const std::vector<MoveRecord>& records) {
  Ledger& l = ledger();
  // The team entries are the one scattered access of the booking: fetch them ahead.
  constexpr std::size_t kAhead = 8;
  for (std::size_t k = 0; k < records.size(); ++k) {
    if (k + kAhead < records.size()) {
      const MoveRecord& next = records[k + kAhead];
      if (next.from_team != kNoTeam) __builtin_prefetch(&teams_[next.from_team], 1);
      if (next.to_team != kNoTeam) __builtin_prefetch(&teams_[next.to_team], 1);
    }
    apply_move(records[k], l);
  }
}

Simulation::Ledger& Simulation::ledger() {
  Ledger& l = work_->ledgers.local();
  if (l.firms.size() != firms_.size()) {
    l.firms.assign(firms_.size(), FirmDelta{});
    l.groups.assign(named_ + 1, GroupSums{});
    l.histogram.assign(salary_histogram_.size(), 0);
    l.flows.assign(flows_.counts.size(), 0);
  }
  return l;
}

void Simulation::settle_moves() {
  auto& w = *work_;
  auto& joined = w.joined_startups;
  joined.clear();
  for (Ledger& l : w.ledgers) {
    for (const FirmId f : l.touched_firms) {
      FirmDelta& d = l.firms[f];
      FirmState& firm = firms_[f];
      firm.headcount += d.headcount;
      firm.top += d.top;
      firm.published += d.published;
      firm.payroll_cents += d.payroll_cents;
      firm.tick += d.tick;
      if (d.covered_departures != 0)
        firm.covered_departures[static_cast<std::size_t>(tick_) % firm.covered_departures.size()] +=
            d.covered_departures;
      d = FirmDelta{};
    }
    l.touched_firms.clear();
    for (std::size_t g = 0; g < l.groups.size(); ++g) {
      group_sums_[g].burnout += l.groups[g].burnout;
      group_sums_[g].faith += l.groups[g].faith;
      l.groups[g] = GroupSums{};
    }
    for (const std::size_t k : l.touched_bins) {
      salary_histogram_[k] += static_cast<std::uint32_t>(l.histogram[k]);  // modulo 2^32: exact
      l.histogram[k] = 0;
    }
    l.touched_bins.clear();
    if (l.flows_touched) {
      for (std::size_t k = 0; k < l.flows.size(); ++k) flows_.counts[k] += l.flows[k];
      std::fill(l.flows.begin(), l.flows.end(), 0);
      l.flows_touched = false;
    }
    independent_count_ += l.independent;
    l.independent = 0;
    joined.insert(joined.end(), l.joined_startups.begin(), l.joined_startups.end());
    l.joined_startups.clear();
    w.teams_left.insert(w.teams_left.end(), l.teams_left.begin(), l.teams_left.end());
    l.teams_left.clear();
  }
  // Startup member lists, in (startup, researcher) order whichever thread booked them.
  std::sort(joined.begin(), joined.end());
  for (std::size_t k = 0; k < joined.size();) {
    const FirmId to = joined[k].first;
    FirmState& f = firms_[to];
    for (; k < joined.size() && joined[k].first == to; ++k) f.members.push_back(joined[k].second);
    // Forget people who have left once the list is mostly stale.
    if (f.members.size() > 2 * static_cast<std::size_t>(f.headcount) + 64) {
      std::erase_if(f.members, [&](ResearcherId x) { return people_.employer[x] != to; });
      std::sort(f.members.begin(), f.members.end());
      f.members.erase(std::unique(f.members.begin(), f.members.end()), f.members.end());
    }
  }
}

void Simulation::move_researcher(ResearcherId id, FirmId to, float salary, bool independent) {
  apply_move(relocate(id, to, salary, independent, MoveKind::kVoluntary), ledger());
  settle_moves();
}

void Simulation::separate(ResearcherId id) {
  if (people_.employer[id] == kNoFirm) return;
  apply_move(relocate(id, kNoFirm, static_cast<float>(scenario_.market.between_jobs_income),
                      false, MoveKind::kInvoluntary),
             ledger());
  settle_moves();
}

// ---------------------------------------------------------------------------
// Phase 8: startups
// ---------------------------------------------------------------------------

FirmId Simulation::found_startup(ResearcherId founder) {
  if (work_->free_slots.empty()) return kNoFirm;  // every slot is taken: the idea waits
  const FirmId slot = work_->free_slots.top();
  work_->free_slots.pop();
  const auto& st = scenario_.startups;
  FirmState& s = firms_[slot];
  configure_startup(s);
  s.alive = true;
  s.serial = ++startup_serial_;
  s.founded_tick = tick_;
  s.founder = founder;
  s.headcount = s.top = s.published = s.payroll_cents = 0;
  s.members.clear();
  const double q = people_.skill[founder];
  s.appeal = std::clamp(st.appeal_base + st.appeal_per_log_skill * std::log(q), 0.0, 1.0);
  for (std::uint32_t k = 0; k < s.team_count; ++k) teams_[s.team_begin + k] = TeamState{};
  auto& alive = work_->alive_startups;
  alive.insert(std::lower_bound(alive.begin(), alive.end(), slot), slot);
  // Free until now, so not listed yet: slots are freed only after this tick's
  // foundings (fail_startups), so none is founded twice in a tick.
  auto& in_tick = work_->startups_in_tick;
  const auto at = std::lower_bound(in_tick.begin(), in_tick.end(), slot);
  TALENTSIM_ASSERT(at == in_tick.end() || *at != slot, "a startup slot founded twice in a tick");
  in_tick.insert(at, slot);

  // The founder's former team becomes the startup's first recruiting ground.
  const TeamId old_team = people_.team[founder];
  if (old_team != kNoTeam) {
    TeamState& team = teams_[old_team];
    team.recruiter = slot;
    team.recruiter_serial = s.serial;
    team.recruit_until =
        static_cast<Tick>(std::min<std::int64_t>(kNever - 1, tick_ + st.team_recruit_weeks));
    work_->recruiting_teams.push_back(old_team);
  }
  const auto salary = static_cast<float>(st.founder_pay_fraction * market_pay(q));
  move_researcher(founder, slot, salary, false);
  ++startups_founded_tick_;
  return slot;
}

void Simulation::fail_startups() {
  const auto& st = scenario_.startups;
  const auto t = static_cast<std::uint32_t>(tick_);
  const std::vector<FirmId> alive = work_->alive_startups;  // copy: failures edit the list
  for (const FirmId slot : alive) {
    FirmState& s = firms_[slot];
    if (s.founded_tick == tick_) continue;
    bool fails = s.headcount == 0;
    if (!fails) {
      const double hazard =
          st.failure_rate * (1.0 + st.small_size / static_cast<double>(s.headcount));
      RandomStream rs(scenario_.seed, s.serial, t, Purpose::kStartupFailure);
      fails = rs.uniform() < -std::expm1(-hazard * kDt);
    }
    if (!fails) continue;
    for (const ResearcherId id : s.members)
      if (people_.employer[id] == slot) separate(id);
    settle_moves();
    TALENTSIM_ASSERT(s.headcount == 0, "a failed startup keeps no one");
    s.members.clear();
    s.alive = false;
    work_->free_slots.push(slot);
    auto& list = work_->alive_startups;
    list.erase(std::lower_bound(list.begin(), list.end(), slot));
    ++startups_failed_tick_;
  }
}

// ---------------------------------------------------------------------------
// Phases 6-9 together
// ---------------------------------------------------------------------------

void Simulation::run_moves() {
  const auto t = static_cast<Tick>(tick_);
  auto& w = *work_;
  for (auto& list : w.redraw) list.clear();
  for (auto& list : w.separations) list.clear();
  const std::size_t chunks = w.decisions.size();

  // Phase 6: hiring limits over every hire that would start this tick. The decision
  // pass has listed each chunk's pending hires that are due and its candidates
  // (prepare_chunk_hires); a refused move becomes a stay, a refused pending hire gets
  // due = kNever.
  apply_hiring_limits();

  // Phase 7, in parallel: each chunk changes its researchers' rows, records what moved
  // and books it into the thread's ledger, and keeps its own pending hires; then
  // settle_moves() adds the ledgers up.
  for_each_index(chunks, 1, [&](std::size_t c) {
    auto& records = w.records[c];
    auto& accepted = w.accepted[c];
    auto& founders = w.founders[c];
    records.clear();
    accepted.clear();
    founders.clear();
    const auto& starting = w.due[c];
    std::size_t k = 0;
    const auto start_pending = [&](const PendingHire& p) {
      if (p.due != t) return;  // refused by a hiring limit
      people_.flags[p.id] = static_cast<std::uint8_t>(people_.flags[p.id] & ~flag::kPending);
      records.push_back(relocate(p.id, p.firm, p.salary, false, MoveKind::kVoluntary));
    };
    for (Decision& d : w.decisions[c]) {
      while (k < starting.size() && starting[k]->id < d.id) start_pending(*starting[k++]);
      const ResearcherId id = d.id;
      if (d.drop_pending)
        people_.flags[id] = static_cast<std::uint8_t>(people_.flags[id] & ~flag::kPending);
      switch (d.action) {
        case Decision::Action::kStay:
          if (d.counter_won) records.push_back(relocate(id, d.employer, d.salary, false, MoveKind::kRaise));
          break;
        case Decision::Action::kMove:
          if (firms_[d.firm].alive && firms_[d.firm].serial == d.firm_serial)
            records.push_back(relocate(id, d.firm, d.salary, false, MoveKind::kVoluntary));
          break;
        case Decision::Action::kAcceptLater: {
          const std::int64_t due_tick =
              std::min<std::int64_t>(kNever - 1, tick_ + firms_[d.firm].params.hiring.lag_weeks);
          accepted.push_back({id, d.firm, d.firm_serial, d.salary, static_cast<Tick>(due_tick)});
          people_.flags[id] = static_cast<std::uint8_t>(people_.flags[id] | flag::kPending);
          break;
        }
        case Decision::Action::kFound:
          founders.push_back(&d);
          break;
        case Decision::Action::kIndependent:
          records.push_back(relocate(id, kNoFirm, d.salary, true, MoveKind::kVoluntary));
          break;
      }
      // A pending hire kept through this decision starts now, after it.
      if (k < starting.size() && starting[k]->id == id) start_pending(*starting[k++]);
    }
    while (k < starting.size()) start_pending(*starting[k++]);

    // The chunk's pending hires: those gone or refused lose the flag; those that wait
    // stay, merged with the ones accepted now (both in id order) from the back.
    auto& pending = pending_[c];
    const auto& fates = w.fates[c];
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const PendingHire& p = pending[i];
      if (fates[i] == PendingFate::kWait) {
        pending[kept++] = p;
      } else if (fates[i] == PendingFate::kGone ||
                 (fates[i] == PendingFate::kDue && p.due != t)) {
        people_.flags[p.id] = static_cast<std::uint8_t>(people_.flags[p.id] & ~flag::kPending);
      }
    }
    pending.resize(kept + accepted.size());
    for (std::size_t out = pending.size(), a = accepted.size(); a > 0;) {
      const bool from_accepted = kept == 0 || by_id(pending[kept - 1], accepted[a - 1]);
      pending[--out] = from_accepted ? accepted[--a] : pending[--kept];
    }

    Ledger& l = ledger();
    for (const Decision& d : w.decisions[c]) {
      if (d.employer != kNoFirm && (d.counter_made || d.counter_won)) {
        FirmDelta& f = l.firm(d.employer);
        f.tick.counteroffers += d.counter_made;
        f.tick.counteroffers_won += d.counter_won;
      }
      if (d.clock_fired) w.redraw[c].push_back(d.id);
    }
    book_moves(records);
  });
  settle_moves();

  // Phase 8: startups founded, then failures. A founder who finds every slot taken
  // (others founded first this week) stays, and gets back an offer they had accepted.
  for (const auto& list : w.founders)
    for (const Decision* d : list) {
      if (found_startup(d->id) != kNoFirm) continue;
      ++startups_refused_tick_;
      if (d->drop_pending && d->firm != kNoFirm) {
        const PendingHire back{d->id, d->firm, d->firm_serial, d->pending_salary,
                               std::max<Tick>(d->pending_due, static_cast<Tick>(t + 1))};
        auto& waiting = pending_[d->id / kChunkSize];
        waiting.insert(std::lower_bound(waiting.begin(), waiting.end(), back, by_id), back);
        people_.flags[d->id] = static_cast<std::uint8_t>(people_.flags[d->id] | flag::kPending);
      }
    }
  fail_startups();

  // Phase 9: exogenous separations. Researchers employed at the start of the tick
  // drew theirs with their clock; those hired from outside employment this tick drew
  // one when they moved, so everyone employed faces the same weekly probability.
  // Each chunk lists its leavers (ids in the chunk), changes their rows and books
  // them, in parallel; then the ledgers are settled.
  for_each_index(chunks, 1, [&](std::size_t c) {
    auto& leaving = w.separations[c];
    for (const Decision& d : w.decisions[c])
      if (d.separation) leaving.push_back(d.id);
    std::sort(leaving.begin(), leaving.end());
    leaving.erase(std::unique(leaving.begin(), leaving.end()), leaving.end());
    auto& records = w.records[c];
    records.clear();
    for (const ResearcherId id : leaving) {
      const FirmId e = people_.employer[id];
      // Founders are not laid off by their own startup; it ends by failing.
      if (e == kNoFirm || (firms_[e].is_startup && firms_[e].founder == id)) continue;
      const auto income = static_cast<float>(scenario_.market.between_jobs_income);
      records.push_back(relocate(id, kNoFirm, income, false, MoveKind::kInvoluntary));
    }
    book_moves(records);
  });
  settle_moves();
}

// ---------------------------------------------------------------------------
// Phase 10: firm reactions, then the clocks of everyone whose situation changed
// ---------------------------------------------------------------------------

void Simulation::fire_reactive_raises() {
  std::vector<double> factor(named_, 1.0);
  std::vector<Eligibility> who(named_, Eligibility::kNone);
  bool any = false;
  for (std::size_t j = 0; j < named_; ++j) {
    FirmState& f = firms_[j];
    const auto& rr = f.params.reactive_raise;
    if (!rr.enabled || f.covered_departures.empty() || tick_ <= f.cooldown_until) continue;
    std::int64_t recent = 0;
    for (const auto c : f.covered_departures) recent += c;
    if (recent < rr.trigger_departures) continue;
    factor[j] = 1.0 + rr.raise;
    who[j] = rr.who;
    f.cooldown_until = tick_ + rr.cooldown_weeks;
    std::fill(f.covered_departures.begin(), f.covered_departures.end(), 0u);
    any = true;
  }
  if (!any) return;
  const std::size_t chunks = chunk_count(people_.size());
  std::vector<std::int64_t> raised(chunks * named_, 0), delta(chunks * named_, 0);
  for_each_chunk(people_.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = people_.employer[i];
      if (f >= named_ || factor[f] == 1.0 || !covers(who[f], people_.flags[i])) continue;
      const float before = people_.salary[i];
      const float after = bounded_salary(before * factor[f]);
      people_.salary[i] = after;
      raised[c * named_ + f] += 1;
      delta[c * named_ + f] += cents(after) - cents(before);
    }
  });
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t j = 0; j < named_; ++j) {
      firms_[j].tick.reactive_raises += raised[c * named_ + j];
      firms_[j].payroll_cents += delta[c * named_ + j];
    }
  rebuild_salary_histogram();
}

void Simulation::run_reactions() {
  fire_reactive_raises();
  // Everyone who acted or moved this tick draws a new clock from the next tick on.
  const auto from = static_cast<std::uint32_t>(tick_ + 1);
  for_each_index(work_->redraw.size(), 1, [&](std::size_t c) {
    auto& list = work_->redraw[c];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    for (const ResearcherId id : list) schedule_clock(id, from, 0);
  });
}

// ---------------------------------------------------------------------------
// Phase 2: events
// ---------------------------------------------------------------------------

void Simulation::start_campaign(const Event& ev) {
  const FirmId firm = firm_index(ev.firm);
  const FirmId target = firm_index(ev.target);
  const auto staff = static_cast<std::uint64_t>(firms_[target].headcount);
  Campaign c;
  c.firm = firm;
  c.target = target;
  c.multiplier = ev.offer_rate_multiplier;
  c.appeal_boost = ev.appeal_boost;
  c.end_tick = tick_ + ev.weeks - 1;
  // The best top_share of the target's current staff, by skill, exactly.
  const auto k = std::min<std::uint64_t>(
      staff, static_cast<std::uint64_t>(std::ceil(ev.top_share * static_cast<double>(staff))));
  c.cut = best_by_skill(k, target);
  campaigns_.push_back(c);
}

void Simulation::change_pay(const Event& ev) {
  const FirmId firm = firm_index(ev.firm);
  const double factor = 1.0 + ev.change;
  const std::size_t chunks = chunk_count(people_.size());
  std::vector<std::int64_t> delta(chunks, 0);
  for_each_chunk(people_.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (people_.employer[i] != firm || !covers(ev.who, people_.flags[i])) continue;
      const float before = people_.salary[i];
      const float after = bounded_salary(before * factor);
      people_.salary[i] = after;
      delta[c] += cents(after) - cents(before);
    }
  });
  for (const auto d : delta) firms_[firm].payroll_cents += d;
  rebuild_salary_histogram();
  // A firm-wide change moves the policy for new offers too.
  if (ev.who == Eligibility::kAll) firms_[firm].pay_base *= factor;
}

void Simulation::apply_event(const Event& ev) {
  switch (ev.type) {
    case EventType::kCampaign:
      start_campaign(ev);
      work_->campaigns_changed.push_back(campaigns_.back());
      break;
    case EventType::kPayChange:
      change_pay(ev);
      break;
    case EventType::kPolicy: {
      FirmState& f = firms_[firm_index(ev.firm)];
      const double old_median = f.params.pay.median;
      for (const Setting& s : ev.settings) apply_firm_setting(f.params, s);
      // A new pay median rescales the policy for new offers (not existing salaries).
      if (f.params.pay.median != old_median) f.pay_base *= f.params.pay.median / old_median;
      const auto window = static_cast<std::size_t>(f.params.reactive_raise.window_weeks);
      if (f.covered_departures.size() != window) f.covered_departures.assign(window, 0u);
      work_->rates_changed = true;
      break;
    }
    case EventType::kWorkload:
      firms_[firm_index(ev.firm)].params.workload = ev.workload;
      break;
    case EventType::kMarket:
      for (const Setting& s : ev.settings) apply_market_setting(scenario_, s);
      for (const FirmId slot : work_->alive_startups) configure_startup(firms_[slot]);
      work_->rates_changed = true;
      break;
  }
}

void Simulation::redraw_campaign_targets(const std::vector<Campaign>& changed) {
  const auto t = static_cast<std::uint32_t>(tick_);
  for_each_chunk(people_.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = people_.employer[i];
      for (const Campaign& c : changed)
        if (campaign_targets(c, f, people_.skill[i], static_cast<ResearcherId>(i))) {
          schedule_clock(static_cast<ResearcherId>(i), t, 1);
          break;
        }
    }
  });
}

void Simulation::run_events() {
  // A campaign changes the offer rates of the people it targets only; a policy or
  // market event may change everyone's.
  auto& w = *work_;
  w.rates_changed = false;
  w.campaigns_changed.clear();
  for (const Campaign& c : campaigns_)
    if (c.end_tick < tick_) w.campaigns_changed.push_back(c);
  std::erase_if(campaigns_, [&](const Campaign& c) { return c.end_tick < tick_; });
  for (const Event& ev : scenario_.events)
    if (ev.week == tick_) apply_event(ev);
  if (w.rates_changed) {
    setup_rate_tables();
    redraw_all_clocks(true);
  } else if (!w.campaigns_changed.empty()) {
    redraw_campaign_targets(w.campaigns_changed);
  }
}

}  // namespace talentsim
