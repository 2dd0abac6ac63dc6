// The rate table (docs/MODEL.md phase 3): recruiter weights and offer-rate coefficients,
// rebuilt at the start and whenever an event changes recruiting.
#include "talentsim/model/rates.hpp"

#include <algorithm>
#include <cmath>

#include "clocks.hpp"
#include "talentsim/core/parallel.hpp"

namespace talentsim {

void RateTable::build(std::span<const Recruiter> recruiters, std::span<const double> norm) {
  const std::size_t r = recruiters.size();
  recruiters_ = r;
  const std::size_t named = r - 1;  // the last recruiter is the startup sector
  std::vector<double> theta(r);
  for (std::size_t j = 0; j < r; ++j) theta[j] = recruiters[j].theta;

  // Distinct thetas, so a rate needs one power per distinct value.
  thetas_ = theta;
  std::sort(thetas_.begin(), thetas_.end());
  thetas_.erase(std::unique(thetas_.begin(), thetas_.end()), thetas_.end());
  theta_quarters_.assign(thetas_.size(), kNotQuarters);
  for (std::size_t k = 0; k < thetas_.size(); ++k) {
    const double m = thetas_[k] * 4.0;
    if (m == std::round(m) && std::fabs(m) <= kMaxQuarters)
      theta_quarters_[k] = static_cast<int>(m);
  }
  const std::size_t u = thetas_.size();

  // Row e: an employee of named firm e (offers never from e; shares renormalised);
  // row named: an employee of a startup (any recruiter; the sector picks another startup).
  recruiter_theta_.assign(r, 0);
  for (std::size_t j = 0; j < r; ++j)
    recruiter_theta_[j] = static_cast<std::uint32_t>(
        std::lower_bound(thetas_.begin(), thetas_.end(), theta[j]) - thetas_.begin());
  recruit_weight_.assign(r * r, 0.0);
  rate_coef_.assign(r * u, 0.0);
  for (std::size_t e = 0; e < r; ++e) {
    const bool startup_row = e == named;
    const double excluded = startup_row ? 0.0 : recruiters[e].share;
    const double renorm = excluded < 1.0 ? 1.0 / (1.0 - excluded) : 0.0;
    for (std::size_t j = 0; j < r; ++j) {
      if (!startup_row && j == e) continue;
      const double w = recruiters[j].share * renorm * norm[j];
      recruit_weight_[e * r + j] = w;
      rate_coef_[e * u + recruiter_theta_[j]] += w;
    }
  }
  between_jobs_.resize(r);
  for (std::size_t j = 0; j < r; ++j) between_jobs_[j] = recruiters[j].share;
}

void build_rate_tables(World& w) {
  // Recruiters: the named firms, then the startup sector (index named).
  const std::size_t named = w.named;
  const std::size_t r = named + 1;
  const auto& st = w.scenario.startups;
  const double sigma = w.scenario.population.skill_sigma;
  std::vector<RateTable::Recruiter> recruiters(r);
  for (std::size_t j = 0; j < named; ++j)
    recruiters[j] = {w.firms[j].params.recruiting.share.value_or(0.0),
                     w.firms[j].params.recruiting.skill_targeting};
  recruiters[named] = {st.enabled ? st.recruiting_share : 0.0, st.skill_targeting};

  // E[q^theta] over the initial population, a mixture of lognormals: normalises
  // the skill targeting so lambda1 stays the population's mean offer rate.
  const double n = static_cast<double>(w.people.size());
  std::vector<double> norm(r, 0.0);
  for (std::size_t j = 0; j < r; ++j) {
    const double theta = recruiters[j].theta;
    double z = 0.0;
    double covered = 0.0;
    for (std::size_t g = 0; g < named; ++g) {
      const double share = static_cast<double>(w.firms[g].initial_headcount) / n;
      z += share *
           std::exp(theta * w.scenario.firms[g].skill_shift + 0.5 * theta * theta * sigma * sigma);
      covered += share;
    }
    z += (1.0 - covered) * std::exp(0.5 * theta * theta * sigma * sigma);
    norm[j] = 1.0 / z;
  }
  w.rates.build(recruiters, norm);
}

void redraw_all_clocks(World& w, bool from_this_tick) {
  // At the start: first events from tick 1. After an event changed rates at tick t:
  // redraw from t itself (the process is memoryless, so this is exact).
  const auto from = static_cast<std::uint32_t>(from_this_tick ? w.tick : 1);
  const std::uint32_t draw = from_this_tick ? 1 : 0;
  for_each_chunk(w.people.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) schedule_clock(w, static_cast<ResearcherId>(i), from, draw);
  });
}

}  // namespace talentsim
