// docs/MODEL.md "Hiring to openings": a firm with a hiring plan (hiring.plan_growth)
// hires to open positions, not to every acceptance. Its planned headcount grows at
// plan_growth a year from where the last change left it; its openings are the plan
// less its staff and the hires already accepted and waiting to start; it spreads
// offers_per_opening offers per opening over fill_weeks. Offers reach researchers
// as before (event clocks at the recruiting rates, recruiters drawn by weight); a
// firm with a plan makes only a share of the offers drawn for it -- its wanted
// offers over its recruiting reach, at most all of them. This is thinning (Lewis &
// Shedler 1979) of the recruiting process: exact for a Poisson process whose rate is
// the drawn rate times that share, so the event clocks need no redrawing when the
// openings move. The reach is a moving average of the draws the firm gets a week,
// started from its expected value.
//
// Reads:  firms' plans, headcounts, pending hires; the offer draws of the week.
// Writes: firms' openings, offer_keep, offer_reach, plan_level and plan_since.
#include <algorithm>
#include <cmath>

#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
/// Weight of the latest week in the reach's moving average.
constexpr double kReachWeight = 0.25;
}  // namespace

double planned_headcount(const FirmState& f, std::int64_t tick) {
  const double g = f.params.hiring.plan_growth.value_or(0.0);
  return f.plan_level * std::pow(1.0 + g, static_cast<double>(tick - f.plan_since) / 52.0);
}

void start_hiring_plans(World& w) {
  // Expected offer draws per week for each recruiter j (docs/MODEL.md phase 3): the
  // employed elsewhere at lambda1 x w_j / (1 - w_e), the rest at lambda0 x w_j / W.
  const auto& mk = w.scenario.market;
  const double dt = 1.0 / 52.0;
  double all_shares = w.scenario.startups.enabled ? w.scenario.startups.recruiting_share : 0.0;
  std::int64_t employed = 0;
  for (std::size_t j = 0; j < w.named; ++j) {
    all_shares += w.firms[j].params.recruiting.share.value_or(0.0);
    employed += w.firms[j].headcount;
  }
  const auto not_employed =
      static_cast<double>(static_cast<std::int64_t>(w.people.size()) - employed);
  for (std::size_t j = 0; j < w.named; ++j) {
    FirmState& f = w.firms[j];
    const double share = f.params.recruiting.share.value_or(0.0);
    double reach = 0.0;
    for (std::size_t e = 0; e < w.named; ++e) {
      const double own = w.firms[e].params.recruiting.share.value_or(0.0);
      if (e == j || own >= 1.0) continue;
      reach +=
          mk.offer_rate_employed * static_cast<double>(w.firms[e].headcount) * share / (1.0 - own);
    }
    if (all_shares > 0.0) reach += mk.offer_rate_between_jobs * not_employed * share / all_shares;
    f.offer_reach = reach * dt;
    f.plan_level = static_cast<double>(f.headcount);
    f.plan_since = 0;
    f.openings = 0;
    f.offer_keep = 1.0;
    f.offer_draws = 0;
  }
}

void rebase_hiring_plan(FirmState& f, std::int64_t tick, std::optional<double> old_growth) {
  if (!old_growth) {
    f.plan_level = static_cast<double>(f.headcount);
  } else {
    const double g = *old_growth;
    f.plan_level *= std::pow(1.0 + g, static_cast<double>(tick - f.plan_since) / 52.0);
  }
  f.plan_since = tick;
}

void open_positions(World& w) {
  std::vector<std::int64_t> pending(w.named, 0);
  for (const auto& list : w.pending.chunks())
    for (const PendingHire& p : list)
      if (p.firm < w.named) ++pending[p.firm];
  for (std::size_t j = 0; j < w.named; ++j) {
    FirmState& f = w.firms[j];
    f.offer_draws = 0;
    const auto& h = f.params.hiring;
    if (!h.plan_growth) {
      f.openings = 0;
      f.offer_keep = 1.0;
      continue;
    }
    const auto plan = static_cast<std::int64_t>(std::llround(planned_headcount(f, w.tick)));
    f.openings = std::max<std::int64_t>(0, plan - f.headcount - pending[j]);
    const double wanted =
        static_cast<double>(f.openings) * h.offers_per_opening / static_cast<double>(h.fill_weeks);
    // No openings, no offers; with openings and no reach on record yet, every draw.
    if (f.openings == 0)
      f.offer_keep = 0.0;
    else if (f.offer_reach > 0.0)
      f.offer_keep = std::min(1.0, wanted / f.offer_reach);
    else
      f.offer_keep = 1.0;
  }
}

void update_offer_reach(World& w) {
  for (std::size_t j = 0; j < w.named; ++j) {
    FirmState& f = w.firms[j];
    f.offer_reach += kReachWeight * (static_cast<double>(f.offer_draws) - f.offer_reach);
  }
}

}  // namespace talentsim
