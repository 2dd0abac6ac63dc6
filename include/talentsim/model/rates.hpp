// The rate table: who recruits whom, how hard, and how often a researcher's event
// clock fires (docs/MODEL.md phase 3). One place for skill powers q^theta, recruiter
// weights, offer rates and event rates, shared by the clocks and the decisions.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "talentsim/model/state.hpp"

namespace talentsim {

/// q^theta for each distinct skill-targeting exponent, computed once per researcher.
struct SkillPowers {
  static constexpr std::size_t kCached = 16;
  double log_skill = 0.0;
  std::array<double, kCached> power{};
};

/// A researcher's yearly event rates by kind; the clock runs at their total.
struct EventRates {
  double offer = 0.0;
  double found = 0.0;
  double independent = 0.0;
  double separation = 0.0;
  [[nodiscard]] double total() const { return offer + found + independent + separation; }
};

/// Offer-rate tables. Recruiters are the named firms, then the startup sector (index
/// `named`). Rows are employers: the named firms, then one row shared by every startup.
/// rate(employer e, skill q) = lambda1 * sum_u coef(e, u) q^theta_u over distinct thetas.
class RateTable {
 public:
  /// What the table is built from, per recruiter (named firms, then the startup sector).
  struct Recruiter {
    double share = 0.0;  ///< share of offers
    double theta = 0.0;  ///< skill targeting
  };
  /// @param recruiters named firms then the startup sector
  /// @param norm 1 / E[q^theta_j] over the initial population, per recruiter
  void build(std::span<const Recruiter> recruiters, std::span<const double> norm);

  /// Recruiters (named firms + the startup sector).
  [[nodiscard]] std::size_t recruiters() const { return recruiters_; }

  /// q^theta for every distinct exponent. Exponents in whole quarters (0.5, 0.75, 1,
  /// 1.25 ...) are products of q^(1/4) = sqrt(sqrt(q)): correctly rounded square
  /// roots and a few products instead of an exp for each. Other exponents take the exp.
  [[nodiscard]] SkillPowers skill_powers(double skill) const {
    SkillPowers p;
    p.log_skill = std::log(skill);
    const std::size_t u =
        thetas_.size() < SkillPowers::kCached ? thetas_.size() : SkillPowers::kCached;
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
  /// q^theta_k for the k-th distinct exponent (cached in p for the first kCached).
  [[nodiscard]] double theta_power(const SkillPowers& p, std::size_t k) const {
    return k < SkillPowers::kCached ? p.power[k] : std::exp(thetas_[k] * p.log_skill);
  }
  /// q^theta of recruiter j's skill targeting.
  [[nodiscard]] double skill_power(const SkillPowers& p, std::size_t j) const {
    return theta_power(p, recruiter_theta_[j]);
  }
  /// Recruiter j's weight among the offers to an employee in rate row `row`:
  /// its share (renormalised without the employer) x q^theta_j / E[q^theta_j].
  [[nodiscard]] double recruiter_weight(std::size_t row, std::size_t j,
                                        const SkillPowers& p) const {
    return recruit_weight_[row * recruiters_ + j] * skill_power(p, j);
  }
  /// Recruiter j's weight among the offers to someone not employed: its share.
  [[nodiscard]] double between_jobs_weight(std::size_t j) const { return between_jobs_[j]; }
  /// sum_j of recruiter_weight(row, j, p), grouped by distinct theta (one power each).
  [[nodiscard]] double weight_sum(std::size_t row, const SkillPowers& p) const {
    const std::size_t u = thetas_.size();
    double sum = 0.0;
    for (std::size_t k = 0; k < u; ++k) sum += rate_coef_[row * u + k] * theta_power(p, k);
    return sum;
  }

 private:
  static constexpr int kMaxQuarters = 16;
  static constexpr int kNotQuarters = 1 << 30;

  std::size_t recruiters_ = 0;
  std::vector<double> thetas_;                  ///< distinct skill-targeting exponents
  std::vector<std::uint32_t> recruiter_theta_;  ///< index into thetas_ of each recruiter
  /// thetas_[k] x 4 where that is a whole number in [-kMaxQuarters, kMaxQuarters],
  /// else kNotQuarters (see skill_powers).
  std::vector<int> theta_quarters_;
  std::vector<double> rate_coef_;       ///< rows x thetas_.size()
  std::vector<double> recruit_weight_;  ///< rows x recruiters: weight of j given e
  std::vector<double> between_jobs_;    ///< recruiting shares for offers to non-employed
};

}  // namespace talentsim
