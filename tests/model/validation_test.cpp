// docs/MODEL.md's validation cases V1-V4 (V5, conservation, is in simulation_test.cpp).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "talentsim/core/rng.hpp"
#include "talentsim/model/choice.hpp"
#include "talentsim/model/simulation.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

std::string source_path(const std::string& rel) {
  return std::string(TALENTSIM_SOURCE_DIR) + "/" + rel;
}

// ---------------------------------------------------------------------------
// V1: Burdett-Mortensen (1998)
// ---------------------------------------------------------------------------
//
// The test uses the exact steady state of the weekly model rather than the
// continuous-time formulas. Per tick: offers (Poisson, rate lambda dt; the best
// is taken), then separation with p_d = 1 - exp(-delta dt), applied to everyone
// employed at that point. With p0 = 1 - exp(-lambda0 dt):
//   u    = p_d / (p0 + p_d - p0 p_d)                     (-> delta / (delta + lambda0))
//   E(w) = (1 - p_d) u (exp(-lambda0 dt (1-F)) - exp(-lambda0 dt))
//          / (1 - (1 - p_d) exp(-lambda1 dt (1-F)))        (employed at wage <= w)
//   G(w) = E(w) / (1 - u)                                   (-> F / (1 + k1 (1 - F)))
// because the best of a Poisson number of offers exceeds w with probability
// 1 - exp(-lambda dt (1 - F(w))).
struct BurdettMortensen {
  double delta, lambda0, lambda1;
  double lo = 200000, hi = 600000;

  [[nodiscard]] double p_sep() const { return -std::expm1(-delta * kDt); }
  [[nodiscard]] double unemployment() const {
    const double pd = p_sep();
    const double p0 = -std::expm1(-lambda0 * kDt);
    return pd / (p0 + pd - p0 * pd);
  }
  [[nodiscard]] double F(double w) const { return std::clamp((w - lo) / (hi - lo), 0.0, 1.0); }
  [[nodiscard]] double G(double w) const {
    const double u = unemployment();
    const double pd = p_sep();
    const double f = F(w);
    const double e = (1 - pd) * u *
                     (std::exp(-lambda0 * kDt * (1 - f)) - std::exp(-lambda0 * kDt)) /
                     (1 - (1 - pd) * std::exp(-lambda1 * kDt * (1 - f)));
    return e / (1 - u);
  }
  [[nodiscard]] double G_continuous(double w) const {
    const double f = F(w);
    return f / (1 + lambda1 / delta * (1 - f));
  }
};

struct BmResult {
  double u;   ///< between-jobs share averaged over the last 5 years
  double ks;  ///< KS distance of employed researchers' wages from G
  std::size_t employed;
};

BmResult run_burdett_mortensen(const BurdettMortensen& bm, std::int64_t researchers,
                               std::int64_t ticks) {
  const Scenario s = load_scenario_file(
      source_path("scenarios/validation/burdett_mortensen.yaml"),
      {"population.researchers=" + std::to_string(researchers), "ticks=" + std::to_string(ticks),
       "market.separation_rate=" + std::to_string(bm.delta),
       "market.offer_rate_between_jobs=" + std::to_string(bm.lambda0),
       "market.offer_rate_employed=" + std::to_string(bm.lambda1)});
  Simulation sim(s);
  double u_sum = 0;
  int u_count = 0;
  for (std::int64_t t = 0; t < ticks; ++t) {
    sim.step();
    if (t >= ticks - 260) {
      u_sum += static_cast<double>(sim.last_report().market.between_jobs) /
               static_cast<double>(researchers);
      ++u_count;
    }
  }
  std::vector<float> wages;
  const auto& p = sim.researchers();
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p.employer[i] != kNoFirm) wages.push_back(p.salary[i]);
  std::sort(wages.begin(), wages.end());
  double ks = 0;
  const double n = static_cast<double>(wages.size());
  for (std::size_t i = 0; i < wages.size(); ++i) {
    const double g = bm.G(wages[i]);
    ks = std::max({ks, std::abs(static_cast<double>(i + 1) / n - g),
                   std::abs(static_cast<double>(i) / n - g)});
  }
  return {u_sum / u_count, ks, wages.size()};
}

// Tolerances. u: a snapshot's sd is sqrt(u(1-u)/N) ~ 0.0008 at N = 100,000; the
// 5-year average over ~16 independent stretches is ~4x tighter; 0.002 is > 5 sd.
// KS: for ~94,000 wages the 99.9% point of the KS statistic is 1.95/sqrt(n) = 0.0064;
// after 60 simulated years the start (wages drawn from F) is e^-12 away. Use 0.01.
TEST(BurdettMortensen, UnemploymentAndWageDistributionMatchTheSteadyState) {
  const BurdettMortensen bm{0.2, 3.0, 1.0};
  // The docs/MODEL.md example: u = 0.0625 and G(F=0.5) = 0.1429 in continuous time.
  EXPECT_NEAR(bm.G_continuous(400000), 0.1429, 1e-4);
  EXPECT_NEAR(bm.unemployment(), 0.0625, 0.002);  // the weekly model is close to it
  const BmResult r = run_burdett_mortensen(bm, 100000, 52 * 60);
  EXPECT_NEAR(r.u, bm.unemployment(), 0.002);
  EXPECT_LT(r.ks, 0.01) << "n = " << r.employed;
}

TEST(BurdettMortensen, HoldsForOtherRates) {
  const BurdettMortensen bm{0.5, 5.0, 4.0};  // k1 = 8: wages pile up near the top
  const BmResult r = run_burdett_mortensen(bm, 100000, 52 * 30);
  EXPECT_NEAR(r.u, bm.unemployment(), 0.003);
  EXPECT_LT(r.ks, 0.01) << "n = " << r.employed;
}

// ---------------------------------------------------------------------------
// V2: logit
// ---------------------------------------------------------------------------

std::vector<std::size_t> choose_many(std::vector<double> values, double tau, int n) {
  std::vector<std::size_t> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::vector<double> v = values;
    RandomStream rs(77, static_cast<std::uint32_t>(i), 1, Purpose::kChoiceNoise);
    add_taste_shocks(v, tau, rs);
    out[static_cast<std::size_t>(i)] = best_option(v, v.size());
  }
  return out;
}

// Shares of 200,000 decisions: sd of a share p is sqrt(p(1-p)/n) <= 0.0011; 0.006 is > 5 sd.
TEST(Logit, ChoiceSharesAreTheSoftmax) {
  const std::vector<double> v{0.0, 0.5, 1.0, -0.3};
  const double tau = 0.4;
  const int n = 200000;
  const auto chosen = choose_many(v, tau, n);
  double z = 0;
  for (const double x : v) z += std::exp(x / tau);
  for (std::size_t k = 0; k < v.size(); ++k) {
    const double share =
        static_cast<double>(std::count(chosen.begin(), chosen.end(), k)) / static_cast<double>(n);
    EXPECT_NEAR(share, std::exp(v[k] / tau) / z, 0.006) << "option " << k;
  }
}

TEST(Logit, AnIrrelevantOptionLeavesTheOthersRatioUnchanged) {
  const std::vector<double> v{0.0, 0.5, 1.0};
  std::vector<double> w = v;
  w.push_back(0.8);  // a new option
  const int n = 200000;
  const auto without = choose_many(v, 0.5, n);
  const auto with = choose_many(w, 0.5, n);
  // Draw by draw: the shocks of the old options do not change, so whenever the new
  // option does not win, the same old option wins.
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (with[k] != 3) {
      ASSERT_EQ(with[k], without[k]) << "draw " << i;
    }
  }
  // And on average the ratio of shares of options 2 and 1 is exp((1.0 - 0.5) / 0.5) = e.
  const double r = static_cast<double>(std::count(with.begin(), with.end(), 2u)) /
                   static_cast<double>(std::count(with.begin(), with.end(), 1u));
  EXPECT_NEAR(r, std::exp(1.0), 0.1);  // relative sd of the ratio ~ 1%
}

TEST(Logit, ZeroNoiseIsArgmaxWithTiesToStay) {
  EXPECT_EQ(best_option(std::vector<double>{1.0, 1.0, 0.5}, 3), 0u);
  EXPECT_EQ(best_option(std::vector<double>{1.0, 2.0, 2.0}, 3), 1u);
  EXPECT_EQ(best_option(std::vector<double>{1.0, 2.0, 3.0}, 2), 1u);  // skipping option 2
}

// ---------------------------------------------------------------------------
// V3: burnout
// ---------------------------------------------------------------------------

const char* const kQuietMarket = R"(
name: quiet
ticks: 520
population: {researchers: 5000, between_jobs_share: 0}
wellbeing: {burnout_fill: 2.0, burnout_recovery: 1.5, initial_burnout: 0.05}
market: {separation_rate: 0, offer_rate_employed: 0, offer_rate_between_jobs: 0}
startups: {enabled: false}
independent: {consider_rate: 0}
firms:
  - {id: hard, headcount_share: 0.5, workload: 0.9, pay: {median: 400000}}
  - {id: easy, headcount_share: 0.5, workload: 0.3, pay: {median: 300000}}
)";

// The update b += dt (kappa W (1 - b) - rho b) has the fixed point kappa W / (kappa W + rho)
// and contracts toward it by (1 - dt (kappa W + rho)) a week: 0.937 for "hard" (kappa W +
// rho = 3.3) and 0.960 for "easy" (2.1). After ten years the exact iteration is within
// 0.24 x 0.960^520 < 2e-10 of it. Burnout is stored as float, so the iteration settles
// within a few float ulps (~1e-7) instead; the tolerance 1e-5 covers that, and the
// monotonicity check allows 1e-7 for the same reason.
TEST(Burnout, ConvergesToTheFixedPointFromBelow) {
  Simulation sim(load_scenario(kQuietMarket, "quiet.yaml"));
  std::vector<double> previous{0.05, 0.05};
  for (int t = 0; t < 520; ++t) {
    sim.step();
    for (std::size_t g = 0; g < 2; ++g) {
      const double b = sim.last_report().groups[g].mean_burnout;
      ASSERT_GE(b, previous[g] - 1e-7) << "monotone from below";
      previous[g] = b;
    }
  }
  for (const auto& [g, w] : {std::pair{0, 0.9}, std::pair{1, 0.3}}) {
    const double target = 2.0 * w / (2.0 * w + 1.5);
    EXPECT_NEAR(sim.last_report().groups[static_cast<std::size_t>(g)].mean_burnout, target, 1e-5);
  }
}

// ---------------------------------------------------------------------------
// V4: Postel-Vinay & Robin (2002) bidding
// ---------------------------------------------------------------------------
//
// K firms with productivities p_1 < ... < p_K. A firm offers p_j and will bid up
// to p_j; an employer counters any offer up to p_k (probability 1). So a worker
// at k ends the week at the most productive of {k, firms that made offers}.
// The steady-state share of workers at firms with productivity <= p is then
// Gamma(p) / (1 + k1 (1 - Gamma(p))) in the continuum limit; with K discrete
// firms and "never an offer from your own employer" the test solves the exact
// weekly Markov chain instead (states: between jobs, firm 1..K).

std::string pvr_yaml(int firms) {
  std::string y = R"(
name: pvr
ticks: 3120
population: {researchers: 100000, between_jobs_share: 0.1}
preferences: {money_median: 1, money_sigma: 0, appeal_mean: 0, appeal_sd: 0}
choice: {noise: 0, burnout_weight: 0, faith_weight: 0, switching_cost: 0}
market: {separation_rate: 0.2, offer_rate_employed: 1.0, offer_rate_between_jobs: 3}
startups: {enabled: false}
independent: {consider_rate: 0}
firms:
)";
  for (int k = 0; k < firms; ++k) {
    const int p = 200000 + 50000 * k;
    y += "  - {id: f" + std::to_string(k) + ", headcount_share: " + std::to_string(1.0 / firms) +
         ", pay: {median: " + std::to_string(p) +
         ", skill_elasticity: 0, dispersion: 0, ceiling: 1}, recruiting: {skill_targeting: 0}, "
         "hiring: {interview_free: false, lag_weeks: 0}, retention: {counter_offers: all, "
         "probability: 1, max_raise: 100}}\n";
  }
  return y;
}

Eigen::VectorXd pvr_steady_state(int firms, double delta, double lambda0, double lambda1) {
  const int k_max = firms;
  const double mu0 = lambda0 * kDt;
  const double mu1 = lambda1 * kDt;
  const double pd = -std::expm1(-delta * kDt);
  // Offers, then separation. State 0: between jobs; state k: firm k (1-based, by p).
  Eigen::MatrixXd offers = Eigen::MatrixXd::Zero(k_max + 1, k_max + 1);
  offers(0, 0) = std::exp(-mu0);
  for (int m = 1; m <= k_max; ++m)  // best of the offers is firm m: any firm, 1/K each
    offers(0, m) =
        std::exp(-mu0 * (1.0 - double(m) / k_max)) - std::exp(-mu0 * (1.0 - double(m - 1) / k_max));
  for (int k = 1; k <= k_max; ++k) {
    const double per = mu1 / (k_max - 1);  // offers from each other firm
    offers(k, k) = std::exp(-per * (k_max - k));
    for (int m = k + 1; m <= k_max; ++m)
      offers(k, m) = std::exp(-per * (k_max - m)) - std::exp(-per * (k_max - m + 1));
  }
  Eigen::MatrixXd sep = Eigen::MatrixXd::Identity(k_max + 1, k_max + 1);
  for (int k = 1; k <= k_max; ++k) {
    sep(k, k) = 1 - pd;
    sep(k, 0) = pd;
  }
  const Eigen::MatrixXd step = offers * sep;
  // pi (step - I) = 0 with sum(pi) = 1.
  Eigen::MatrixXd a = step.transpose() - Eigen::MatrixXd::Identity(k_max + 1, k_max + 1);
  a.row(k_max).setOnes();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k_max + 1);
  rhs(k_max) = 1.0;
  return a.fullPivLu().solve(rhs);
}

// Tolerance: a firm's share is a snapshot sd sqrt(p(1-p)/N) <= 0.0016 at N = 100,000,
// averaged over 5 years (~16 independent stretches) -> ~0.0004; 0.003 is > 5 sd.
TEST(PostelVinayRobin, FirmSharesMatchTheBiddingSteadyState) {
  const int firms = 8;
  Simulation sim(load_scenario(pvr_yaml(firms), "pvr.yaml"));
  const Eigen::VectorXd pi = pvr_steady_state(firms, 0.2, 3.0, 1.0);
  std::vector<double> share(firms + 1, 0.0);
  int samples = 0;
  for (int t = 0; t < 3120; ++t) {
    sim.step();
    if (t < 3120 - 260) continue;
    ++samples;
    const auto& r = sim.last_report();
    share[0] += static_cast<double>(r.market.between_jobs) / 1e5;
    for (int k = 0; k < firms; ++k)
      share[static_cast<std::size_t>(k + 1)] +=
          static_cast<double>(r.groups[static_cast<std::size_t>(k)].headcount) / 1e5;
  }
  double cdf_sim = 0, cdf_exact = 0;
  for (int k = 0; k <= firms; ++k) {
    const double s = share[static_cast<std::size_t>(k)] / samples;
    EXPECT_NEAR(s, pi(k), 0.003) << "state " << k;
    if (k > 0) {
      cdf_sim += s;
      cdf_exact += pi(k);
    }
  }
  EXPECT_NEAR(cdf_sim, cdf_exact, 0.003);
  // Bidding concentrates workers at the most productive firms, as in the formula.
  EXPECT_GT(pi(firms), 3 * pi(1));
}

}  // namespace
}  // namespace talentsim
