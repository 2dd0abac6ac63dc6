// docs/MODEL.md phases 3-5: offers, choice and counter-offers, in one parallel pass over
// the researchers whose event clock fires this week (sim/model/clocks.hpp) or who
// got a startup team offer in phase 1. One decision, in named steps:
//
//   draw_event_kinds  -- Poisson(R dt) events given >= 1, each an offer, a founding
//                        idea, an independence idea or a separation, in proportion
//                        to its rate;
//   gather_options    -- stay; a pending accepted offer; each offer (recruiter in
//                        proportion to its weight, wage max(pay_j(q) e^{sigma z},
//                        s (1 + premium)) capped at ceiling x pay_j(q)); a team offer;
//                        founding; independent research. Each valued
//                        V = alpha ln(pay) + gamma (A + boost) + prestige
//                            - lambda_b b [stay] + psi f [stay] - switching cost;
//   choose            -- tau x Gumbel taste shocks in option order (multinomial
//                        logit), the best wins (choice.hpp);
//   bid_counter_offer -- Postel-Vinay & Robin: employer and rival each bid up to
//                        their ceiling; the one able to offer more utility wins and
//                        pays just enough to beat the other (or the next option);
//   encode            -- the Decision record phases 6-9 apply; when nothing changes,
//                        only the clock is drawn again.
//
// Reads:  every column of the deciders' rows; firms, campaigns, rate tables, live
//         startups and free slots, pending hires; TickBuffers::team_offers.
// Writes: next_event (deciders whose situation does not change);
//         TickBuffers::decisions, offers, choices; then, per chunk, the steps the
//         schedule fuses after the pass (phase 6's preparation).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <span>

#include "../clocks.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/choice.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{
    "decisions", "3-5",
    "the deciders' rows; firms, campaigns, rate tables, startups, pending hires; team offers",
    "decisions, offer and choice counts (TickBuffers)", columns<&ResearcherColumns::next_event>()};
}  // namespace

const PhaseSpec& DecisionPhase::spec() const { return kSpec; }

namespace {

/// Most events one clock tick can carry; at lambda * dt <= 10 the chance of more is < 1e-20.
constexpr std::uint32_t kMaxEvents = 48;
/// Options of one decision: stay, pending, offers, team offer, found, independent.
constexpr std::size_t kMaxOptions = kMaxEvents + 4;
/// Draw number of a startup's team offer in the offer-wage stream.
constexpr std::uint32_t kTeamOfferDraw = 0xFFFF;

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

using OfferLogs = DecisionPhase::OfferLogs;

/// What the clock's events this week are.
struct EventDraw {
  std::uint32_t offers = 0;
  bool found_idea = false;
  bool independence_idea = false;
  bool separation = false;
  double total_rate = 0.0;  ///< the researcher's event rate, for the next clock
};

/// One researcher's decision this tick. Every column of the row is read up front in
/// the constructor: the row is scattered, so each read may miss the cache, and issued
/// together the misses overlap instead of queueing.
class Decider {
 public:
  Decider(World& w, const std::vector<OfferLogs>& offer_logs, std::vector<OfferRecord>& offers,
          ResearcherId id)
      : w_(w),
        logs_(offer_logs),
        offers_(offers),
        seed_(w.scenario.seed),
        t_(static_cast<std::uint32_t>(w.tick)),
        id_(id),
        employer_(w.people.employer[id]),
        employed_(employer_ != kNoFirm),
        flags_(w.people.flags[id]),
        independent_((flags_ & flag::kIndependent) != 0),
        skill_(w.people.skill[id]),
        salary_(w.people.salary[id]),
        money_(w.people.money[id]),
        appeal_(w.people.appeal[id]),
        drive_(w.people.drive[id]),
        burnout_(w.people.burnout[id]),
        faith_(w.people.faith[id]),
        powers_(w.rates.skill_powers(skill_)),
        uniform_wages_(w.scenario.market.offer_wages.source == WageSource::kUniform),
        log_salary_(employed_ ? std::log(salary_) : 0.0),
        leave_cost_((employed_ || independent_) ? w.scenario.choice.switching_cost : 0.0) {}

  /// Decides; appends a Decision to `out` unless nothing changes.
  void run(bool clock_fired, FirmId team_offer_from, std::vector<Decision>& out,
           std::int64_t& offers_made, std::int64_t& choices_made) {
    const EventDraw events = draw_event_kinds(clock_fired);
    gather_options(events, team_offer_from, offers_made);
    // docs/MODEL.md phase 4: only researchers with an offer or an idea choose. A clock
    // that fired for a separation alone (or for offers that could not be made)
    // changes nothing else: no taste shocks, and an accepted offer stays accepted.
    const std::size_t kept_options =
        pending_ != nullptr && n_ > 1 && opts_[1].kind == Option::Kind::kPending ? 2 : 1;
    if (n_ == kept_options) {
      if (events.separation) {
        Decision d;
        d.id = id_;
        d.employer = employer_;
        d.clock_fired = clock_fired;
        d.separation = true;
        d.salary = static_cast<float>(salary_);
        out.push_back(d);
      } else if (clock_fired) {
        schedule_clock_at_rate(w_, id_, t_ + 1, 0, events.total_rate);
      }
      return;
    }
    ++choices_made;
    std::size_t chosen = choose();
    Decision d;
    d.id = id_;
    d.employer = employer_;
    d.clock_fired = clock_fired;
    d.separation = events.separation;
    const std::size_t first_choice = chosen;
    chosen = bid_counter_offer(chosen, d);
    record_offer_outcomes(first_choice, chosen, d.counter_made);
    if (!encode(opts_[chosen], d)) {
      // Nothing changes; only the clock moves on. Safe in parallel: the row is this chunk's.
      if (clock_fired) schedule_clock_at_rate(w_, id_, t_ + 1, 0, events.total_rate);
      return;
    }
    out.push_back(d);
  }

 private:
  // Phase 3a: how many events the clock carries this week, and of which kinds.
  EventDraw draw_event_kinds(bool clock_fired) const {
    EventDraw ev;
    if (!clock_fired) return ev;
    const EventRates rates = event_rates(w_, id_, powers_);
    const double r_offer = rates.offer;
    const double r_found = rates.found;
    const double r_indep = rates.independent;
    ev.total_rate = rates.total();
    if (ev.total_rate > 0.0) {
      const double total = ev.total_rate;
      RandomStream stream(seed_, id_, t_, Purpose::kEventKinds);
      const std::uint32_t k = zero_truncated_poisson(total * kDt, stream.uniform(), kMaxEvents);
      for (std::uint32_t j = 0; j < k; ++j) {
        const double x = stream.uniform() * total;
        if (x < r_offer)
          ++ev.offers;
        else if (x < r_offer + r_found)
          ev.found_idea = true;
        else if (x < r_offer + r_found + r_indep)
          ev.independence_idea = true;
        else
          ev.separation = true;
      }
    }
    return ev;
  }

  // Phases 3b and 4: the options and their values.
  void gather_options(const EventDraw& events, FirmId team_offer_from, std::int64_t& offers_made) {
    add_stay();
    add_pending();
    add_offers(events.offers, offers_made);
    add_team_offer(team_offer_from, offers_made);
    const auto& st = w_.scenario.startups;
    // Founding needs a free startup slot (slots change only in serial phases).
    if (events.found_idea && st.enabled && !w_.startups.free.empty()) {
      Option& o = next_option(Option::Kind::kFound, kNoFirm, 0);
      o.wage = st.founder_pay_fraction * w_.market_pay_of(skill_);
      o.value = money_ * log_pay(o.wage * (1.0 + st.equity_value)) + drive_ + st.funding_climate -
                leave_cost_;
    }
    const auto& ind = w_.scenario.independent;
    if (events.independence_idea && !independent_) {
      Option& o = next_option(Option::Kind::kIndependent, kNoFirm, 0);
      o.wage = ind.income;
      o.value = money_ * log_pay(ind.income) + ind.value - leave_cost_;
    }
  }

  Option& next_option(Option::Kind kind, FirmId firm, std::uint32_t serial) {
    if (kind == Option::Kind::kOffer) offer_index_[n_] = offers_.size();
    Option& o = opts_[n_++];
    o.kind = kind;
    o.firm = firm;
    o.serial = serial;
    return o;
  }

  /// pay(q) = pay_base q^beta of a firm's policy, before dispersion.
  double policy_pay(const FirmState& f) const {
    return f.pay_base * std::exp(f.params.pay.skill_elasticity * powers_.log_skill);
  }
  double startup_wage(const FirmState& f, double z) const {
    const double policy = policy_pay(f);
    return std::min(policy * std::exp(f.params.pay.dispersion * z), f.params.pay.ceiling * policy);
  }
  /// A job's value from the log of its cash pay (log_pay: pay below $1 counts as $1).
  double job_value_log(FirmId f, double log_wage, double boost) const {
    const FirmState& firm = w_.firms[f];
    return money_ * std::max(log_wage, 0.0) + appeal_ * (firm.appeal + boost) +
           firm.params.prestige;
  }
  /// The same from the pay itself; a startup's pay counts with its equity.
  double job_value(FirmId f, double wage, double boost) const {
    const double equity = w_.firms[f].is_startup ? w_.scenario.startups.equity_value : 0.0;
    return job_value_log(f, std::log(wage * (1.0 + equity)), boost);
  }
  /// The appeal boost of the campaigns firm `j` runs at this researcher.
  double campaign_boost(FirmId j) const {
    double boost = 0.0;
    for (const Campaign& c : w_.campaigns)
      if (c.firm == j && campaign_targets(c, employer_, skill_, id_)) boost += c.appeal_boost;
    return boost;
  }

  void add_stay() {
    const auto& ch = w_.scenario.choice;
    Option& stay =
        next_option(Option::Kind::kStay, employer_, employed_ ? w_.firms[employer_].serial : 0);
    stay.wage = salary_;
    if (employed_) {
      const double log_own = w_.firms[employer_].is_startup
                                 ? log_salary_ + std::log1p(w_.scenario.startups.equity_value)
                                 : log_salary_;
      stay.value = job_value_log(employer_, log_own, 0.0) - ch.burnout_weight * burnout_ +
                   ch.faith_weight * faith_;
    } else if (independent_) {
      stay.value = money_ * log_pay(w_.scenario.independent.income) + w_.scenario.independent.value;
    } else {
      stay.value = money_ * log_pay(w_.scenario.market.between_jobs_income);
    }
  }

  void add_pending() {
    pending_ = (flags_ & flag::kPending) ? w_.pending.find(id_) : nullptr;
    if (pending_ == nullptr || !w_.firm_alive(pending_->firm, pending_->firm_serial)) return;
    Option& o = next_option(Option::Kind::kPending, pending_->firm, pending_->firm_serial);
    o.wage = pending_->salary;
    o.value = job_value(o.firm, o.wage, 0.0) - leave_cost_;
  }

  /// Recruiter j's weight among this researcher's offers: its rate-table weight, and
  /// for the employed each campaign of j's targeting them adds (multiplier - 1) x it,
  /// as in offer_rate_of.
  double recruiter_weight(std::size_t row, std::size_t j) const {
    if (!employed_) return w_.rates.between_jobs_weight(j);
    double factor = 1.0;
    for (const Campaign& c : w_.campaigns)
      if (c.firm == j && campaign_targets(c, employer_, skill_, id_)) factor += c.multiplier - 1.0;
    return w_.rates.recruiter_weight(row, j, powers_) * factor;
  }

  void add_offers(std::uint32_t offer_events, std::int64_t& offers_made) {
    if (offer_events == 0) return;
    const std::size_t recruiters = w_.rates.recruiters();
    const std::size_t row = w_.employer_row(employer_);
    thread_local std::vector<double> weights;
    weights.assign(recruiters, 0.0);
    double weight_total = 0.0;
    for (std::size_t j = 0; j < recruiters; ++j) {
      weights[j] = recruiter_weight(row, j);
      weight_total += weights[j];
    }
    for (std::uint32_t m = 0; m < offer_events; ++m) {
      if (!(weight_total > 0.0)) break;
      RandomStream pick(seed_, id_, t_, Purpose::kOfferFirm, m);
      const FirmId firm = pick_recruiter(pick, weights, weight_total);
      if (firm == kNoFirm) continue;  // no startup to make the offer: it is not made
      if (firm < w_.named && w_.firms[firm].params.hiring.plan_growth) {
        // Hiring to openings (hiring_plan.cpp): the firm makes offer_keep of its draws.
        FirmState& f = w_.firms[firm];
        std::atomic_ref<std::int64_t>(f.offer_draws).fetch_add(1, std::memory_order_relaxed);
        RandomStream kept(seed_, id_, t_, Purpose::kOfferKept, m);
        if (!(kept.uniform() < f.offer_keep)) continue;
      }
      add_offer(firm, m);
      ++offers_made;
    }
  }

  /// Which recruiter makes an offer: in proportion to its weight; the startup sector
  /// picks a live startup other than the researcher's own, uniformly (kNoFirm if none).
  FirmId pick_recruiter(RandomStream& pick, const std::vector<double>& weights,
                        double weight_total) const {
    const std::size_t recruiters = weights.size();
    const std::size_t named = w_.named;
    double x = pick.uniform() * weight_total;
    std::size_t j = 0;
    for (; j + 1 < recruiters; ++j) {
      x -= weights[j];
      if (x < 0.0) break;
    }
    if (j != named) return static_cast<FirmId>(j);
    const auto& alive = w_.startups.alive;
    const bool own_alive = employed_ && employer_ >= named;
    const std::size_t others = alive.size() - (own_alive ? 1 : 0);
    if (others == 0) return kNoFirm;
    auto k = static_cast<std::size_t>(pick.uniform() * static_cast<double>(others));
    k = std::min(k, others - 1);
    if (own_alive) {
      const auto own = static_cast<std::size_t>(
          std::lower_bound(alive.begin(), alive.end(), employer_) - alive.begin());
      if (k >= own) ++k;
    }
    return alive[k];
  }

  /// Offer m from `firm`. Named firms' offers are worked out in logs (max(policy x
  /// dispersion, current pay x (1 + premium)), capped at the ceiling): one exp per
  /// offer, and the log the utility needs comes for free.
  void add_offer(FirmId firm, std::uint32_t m) {
    const FirmState& f = w_.firms[firm];
    const auto& mk = w_.scenario.market;
    RandomStream wz(seed_, id_, t_, Purpose::kOfferWage, m);
    const double boost = campaign_boost(firm);
    Option& o = next_option(Option::Kind::kOffer, firm, f.serial);
    if (uniform_wages_ || f.is_startup) {
      const double wage =
          uniform_wages_
              ? mk.offer_wages.min + (mk.offer_wages.max - mk.offer_wages.min) * wz.uniform()
              : startup_wage(f, wz.normal());
      o.wage = bounded_salary(wage);
      o.value = job_value(firm, wage, boost) - leave_cost_;
    } else {
      const OfferLogs& logs = logs_[firm];
      const double log_policy = logs.pay_base + f.params.pay.skill_elasticity * powers_.log_skill;
      double log_wage = log_policy + f.params.pay.dispersion * wz.normal();
      if (employed_) log_wage = std::max(log_wage, log_salary_ + logs.premium);
      log_wage = std::min(log_wage, logs.ceiling + log_policy);
      o.wage = bounded_salary(std::exp(log_wage));
      o.value = job_value_log(firm, log_wage, boost) - leave_cost_;
    }
    log_offer(o);
  }

  /// Keeps the offer for the week's offer statistics (metrics, phase 11).
  void log_offer(const Option& o) {
    OfferRecord r;
    r.pay = static_cast<float>(o.wage);
    r.group = static_cast<std::uint16_t>(w_.group_of(o.firm));
    offers_.push_back(r);
  }

  /// The first choice drew a counter-offer (if `countered`); the final one was accepted.
  void record_offer_outcomes(std::size_t first_choice, std::size_t chosen, bool countered) {
    if (countered && opts_[first_choice].kind == Option::Kind::kOffer)
      offers_[offer_index_[first_choice]].countered = true;
    if (opts_[chosen].kind == Option::Kind::kOffer) offers_[offer_index_[chosen]].accepted = true;
  }

  void add_team_offer(FirmId from, std::int64_t& offers_made) {
    if (from == kNoFirm || from == employer_ || !w_.firms[from].alive) return;
    const FirmState& f = w_.firms[from];
    const auto& mk = w_.scenario.market;
    RandomStream wz(seed_, id_, t_, Purpose::kOfferWage, kTeamOfferDraw);
    Option& o = next_option(Option::Kind::kOffer, from, f.serial);
    o.wage = uniform_wages_
                 ? mk.offer_wages.min + (mk.offer_wages.max - mk.offer_wages.min) * wz.uniform()
                 : startup_wage(f, wz.normal());
    o.value = job_value(o.firm, o.wage, 0.0) - leave_cost_;
    log_offer(o);
    ++offers_made;
  }

  // Phase 4: random utility (choice.hpp), taste shocks in option order, the best wins.
  std::size_t choose() {
    double values[kMaxOptions];  // the first n_ are set below
    for (std::size_t k = 0; k < n_; ++k) values[k] = opts_[k].value;
    const std::span<double> v(values, n_);
    const double noise = w_.scenario.choice.noise;
    if (noise > 0.0) {
      RandomStream shocks(seed_, id_, t_, Purpose::kChoiceNoise);
      add_taste_shocks(v, noise, shocks);
    }
    for (std::size_t k = 0; k < n_; ++k) opts_[k].value = values[k];
    return best_option(v, n_);
  }

  // Phase 5: counter-offers, Postel-Vinay & Robin bidding. The employer can go up to
  // its ceiling, the poacher up to its own; the one that can offer more utility wins
  // and pays just enough to beat the other's best (or the researcher's next option).
  // Returns the option finally chosen; a won counter sets d's raised salary.
  std::size_t bid_counter_offer(std::size_t chosen, Decision& d) {
    const double alpha = money_;
    if (opts_[chosen].kind != Option::Kind::kOffer || !employed_ || employer_ >= w_.named ||
        !(alpha > 0.0))
      return chosen;
    const FirmState& mine = w_.firms[employer_];
    const FirmState& rival = w_.firms[opts_[chosen].firm];
    if (rival.params.hiring.interview_free || !covers(mine.params.retention.counter_offers, flags_))
      return chosen;
    RandomStream counter(seed_, id_, t_, Purpose::kCounterOffer);
    if (!(counter.uniform() < mine.params.retention.probability)) return chosen;
    d.counter_made = true;
    const double s_now = std::max(salary_, 1.0);
    const double cap_e = std::max(s_now, std::min(s_now * (1.0 + mine.params.retention.max_raise),
                                                  mine.params.pay.ceiling * policy_pay(mine)));
    const double wage = opts_[chosen].wage;
    const double cap_j =
        uniform_wages_ ? wage : std::max(wage, rival.params.pay.ceiling * policy_pay(rival));
    const double base_stay = opts_[0].value - alpha * log_pay(s_now);
    const double base_rival = opts_[chosen].value - alpha * log_pay(wage);
    const double best_e = base_stay + alpha * log_pay(cap_e);
    const double best_j = base_rival + alpha * log_pay(cap_j);
    // The researcher's best option besides staying and this rival.
    std::size_t alt = n_;
    for (std::size_t k = 1; k < n_; ++k)
      if (k != chosen && (alt == n_ || opts_[k].value > opts_[alt].value)) alt = k;
    const double v_alt = alt == n_ ? -std::numeric_limits<double>::infinity() : opts_[alt].value;
    if (std::max(best_e, best_j) < v_alt) return alt;  // neither can match the other option
    if (best_e >= best_j) {
      const double need = (std::max(best_j, v_alt) - base_stay) / alpha;
      const double raised = std::exp(std::min(need, std::log(cap_e)));
      d.salary = static_cast<float>(std::max(raised, salary_));
      d.counter_won = true;
      return 0;
    }
    const double need = (std::max(best_e, v_alt) - base_rival) / alpha;
    opts_[chosen].wage = std::exp(std::clamp(need, std::log(wage), std::log(cap_j)));
    return chosen;
  }

  // The decision record phases 6-9 apply. False when nothing changes.
  bool encode(const Option& c, Decision& d) const {
    const bool had_pending = pending_ != nullptr;
    switch (c.kind) {
      case Option::Kind::kStay:
        d.action = Decision::Action::kStay;
        d.drop_pending = had_pending;
        if (!d.counter_won) d.salary = static_cast<float>(salary_);
        break;
      case Option::Kind::kPending:
        d.action = Decision::Action::kStay;
        d.salary = static_cast<float>(salary_);
        break;
      case Option::Kind::kOffer: {
        const FirmState& f = w_.firms[c.firm];
        // The week the job starts: now, or after the hiring lag (interview-free offers
        // close at once).
        const std::int64_t wait = f.params.hiring.interview_free ? 0 : f.params.hiring.lag_weeks;
        d.action = wait > 0 ? Decision::Action::kAcceptLater : Decision::Action::kMove;
        d.starts = static_cast<Tick>(std::min<std::int64_t>(kNever - 1, w_.tick + wait));
        d.firm = c.firm;
        d.firm_serial = c.serial;
        d.salary = static_cast<float>(c.wage);
        d.drop_pending = had_pending;
        break;
      }
      case Option::Kind::kFound:
        d.action = Decision::Action::kFound;
        d.salary = static_cast<float>(c.wage);
        d.drop_pending = had_pending;
        if (had_pending) {
          // Kept so that a founding refused for want of a slot gives the hire back.
          d.firm = pending_->firm;
          d.firm_serial = pending_->firm_serial;
          d.pending_salary = pending_->salary;
          d.pending_due = pending_->due;
        }
        break;
      case Option::Kind::kIndependent:
        d.action = Decision::Action::kIndependent;
        d.salary = static_cast<float>(c.wage);
        d.drop_pending = had_pending;
        break;
    }
    return d.action != Decision::Action::kStay || d.separation || d.counter_made || d.drop_pending;
  }

  World& w_;
  const std::vector<OfferLogs>& logs_;
  std::vector<OfferRecord>& offers_;
  const std::uint64_t seed_;
  const std::uint32_t t_;
  // The decider's row.
  const ResearcherId id_;
  const FirmId employer_;
  const bool employed_;
  const std::uint8_t flags_;
  const bool independent_;
  const float skill_;
  const double salary_;
  const double money_;   ///< alpha
  const double appeal_;  ///< gamma
  const double drive_;   ///< d
  const float burnout_;
  const float faith_;
  // Worked out once per decision.
  const SkillPowers powers_;
  const bool uniform_wages_;
  const double log_salary_;
  const double leave_cost_;
  const PendingHire* pending_ = nullptr;
  Option opts_[kMaxOptions];              // uninitialised on purpose; n_ counts the filled ones
  std::size_t offer_index_[kMaxOptions];  // an offer option's entry in offers_
  std::size_t n_ = 0;
};

}  // namespace

void DecisionPhase::run(World& world, TickBuffers& tick) {
  const auto t = static_cast<Tick>(world.tick);
  // The logs of named firms' pay terms, once a tick (events may change them).
  std::vector<OfferLogs>& offer_logs = offer_logs_;
  offer_logs.resize(world.named);
  for (std::size_t j = 0; j < world.named; ++j) {
    const FirmState& f = world.firms[j];
    offer_logs[j] = {std::log(f.pay_base), std::log(f.params.pay.ceiling),
                     std::log1p(f.params.recruiting.offer_premium)};
  }
  const std::vector<OfferLogs>& logs = offer_logs;
  open_positions(world);
  for_each_chunk(world.people.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    auto& out = tick.decisions[c];
    out.clear();
    auto& offer_records = tick.offer_records[c];
    offer_records.clear();
    std::int64_t offers = 0;
    std::int64_t choices = 0;
    const auto& team_offers = tick.team_offers[c];
    std::size_t k = 0;
    const Tick* clock = world.people.next_event.data();
    for (std::size_t i = b; i < e; ++i) {
      const bool fired = clock[i] == t;
      FirmId from = kNoFirm;
      if (k < team_offers.size() && team_offers[k].first == i) from = team_offers[k++].second;
      if (fired || from != kNoFirm)
        Decider(world, logs, offer_records, static_cast<ResearcherId>(i))
            .run(fired, from, out, offers, choices);
    }
    tick.offers[c] = offers;
    tick.choices[c] = choices;
    for (const ChunkStep step : chunk_steps_) step(world, tick, c);
  });
  update_offer_reach(world);
}

}  // namespace talentsim
