// The method of simulated moments (include/talentsim/study/calibrate.hpp) on synthetic moment
// functions whose true parameters are known. Replicate noise is drawn once from a fixed seed
// and reused at every θ (common random numbers), as the engine's replicates are; targets are
// the mean moments at the truth, so the objective is 0 there and recovery can be tight.
#include "talentsim/study/calibrate.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <Eigen/Dense>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace talentsim {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

/// R×K replicate noise, N(0, sd_k²), from a fixed seed.
std::vector<std::vector<double>> crn_noise(std::size_t r, const std::vector<double>& sd,
                                           std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> noise(r, std::vector<double>(sd.size()));
  for (auto& row : noise)
    for (std::size_t k = 0; k < sd.size(); ++k) row[k] = sd[k] * normal(rng);
  return noise;
}

/// A moment model: θ → the noise-free moments; replicate r adds noise[r].
struct Model {
  std::function<std::vector<double>(const std::vector<double>&)> mean;
  std::vector<std::vector<double>> noise;
  std::shared_ptr<std::atomic<std::size_t>> calls = std::make_shared<std::atomic<std::size_t>>(0);

  [[nodiscard]] MomentFunction function() const {
    return [*this](const std::vector<std::vector<double>>& batch) {
      std::vector<ReplicateMoments> out;
      for (const auto& theta : batch) {
        ++*calls;
        const std::vector<double> m = mean(theta);
        ReplicateMoments reps;
        for (const auto& eps : noise) {
          std::vector<double> row(m.size());
          for (std::size_t k = 0; k < m.size(); ++k) row[k] = m[k] + eps[k];
          reps.push_back(std::move(row));
        }
        out.push_back(std::move(reps));
      }
      return out;
    };
  }

  /// Targets: the mean over the replicates at the truth (so the objective is 0 there).
  [[nodiscard]] std::vector<MomentTarget> targets_at(const std::vector<double>& truth,
                                                     std::optional<double> se = {}) const {
    const ReplicateMoments reps = function()({truth}).front();
    std::vector<MomentTarget> targets;
    for (std::size_t k = 0; k < reps.front().size(); ++k) {
      double sum = 0.0;
      for (const auto& row : reps) sum += row[k];
      targets.push_back({"m" + std::to_string(k + 1), sum / static_cast<double>(reps.size()), se});
    }
    *calls = 0;
    return targets;
  }
};

// m = A θ + b (+ noise): 4 moments of 2 parameters.
const MatrixXd& linear_a() {
  static const MatrixXd a = [] {
    MatrixXd m(4, 2);
    m << 2.0, 0.5, -1.0, 3.0, 0.3, 0.3, 1.5, -0.7;
    return m;
  }();
  return a;
}

Model linear_model(std::size_t r = 10) {
  Model model;
  model.mean = [](const std::vector<double>& theta) {
    const VectorXd t = Eigen::Map<const VectorXd>(theta.data(), 2);
    VectorXd b(4);
    b << 1.0, -2.0, 0.5, 4.0;
    const VectorXd m = linear_a() * t + b;
    return std::vector<double>(m.data(), m.data() + 4);
  };
  model.noise = crn_noise(r, {0.2, 0.5, 0.1, 0.3}, 42);
  return model;
}

const std::vector<FreeParameter> kLinearBox{{"a", -1.0, 3.0}, {"b", 0.0, 5.0}};
const std::vector<double> kLinearTruth{1.3, 2.2};

// Nonlinear: 5 moments of 3 parameters, with noise that grows with θ (as an ABM's does).
Model nonlinear_model() {
  Model model;
  model.mean = [](const std::vector<double>& t) {
    return std::vector<double>{std::exp(0.5 * t[0]) + t[1], t[0] * t[1], t[1] * t[1] + t[2],
                               std::sin(t[0]) + 0.2 * t[2] * t[2], std::log1p(t[2]) * t[0]};
  };
  model.noise = crn_noise(8, {0.05, 0.1, 0.1, 0.05, 0.05}, 7);
  return model;
}

const std::vector<FreeParameter> kNonlinearBox{{"x", 0.2, 2.0}, {"y", 0.5, 3.0}, {"z", 0.1, 2.5}};
const std::vector<double> kNonlinearTruth{1.1, 1.7, 0.8};

CalibrationOptions quiet_options(Weighting weighting, std::size_t budget = 60) {
  CalibrationOptions options;
  options.weighting = weighting;
  options.budget = budget;
  options.seed = 11;
  options.tolerance = 1e-6;
  return options;
}

std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("talentsim-calibrate-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

void expect_recovered(const CalibrationResult& result, const std::vector<FreeParameter>& box,
                      const std::vector<double>& truth, double share_of_box) {
  ASSERT_EQ(result.theta.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i)
    EXPECT_NEAR(result.theta[i], truth[i], share_of_box * (box[i].hi - box[i].lo)) << box[i].name;
}

TEST(Calibrate, RecoversALinearModel) {
  const Model model = linear_model();
  for (const Weighting w : {Weighting::kIdentity, Weighting::kDiagonal, Weighting::kOptimal}) {
    const auto result =
        calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(), quiet_options(w));
    SCOPED_TRACE(to_string(w));
    expect_recovered(result, kLinearBox, kLinearTruth, 1e-4);
    EXPECT_LT(result.objective, 1e-6);
    EXPECT_EQ(result.rank, 2U);
    EXPECT_TRUE(result.unidentified.empty());
    // The Jacobian of a linear model is A, whatever the step.
    for (Eigen::Index k = 0; k < 4; ++k)
      for (Eigen::Index p = 0; p < 2; ++p)
        EXPECT_NEAR(result.jacobian[static_cast<std::size_t>(k)][static_cast<std::size_t>(p)],
                    linear_a()(k, p), 1e-9);
    EXPECT_EQ(result.replicates, 10U);
    EXPECT_EQ(result.fit.size(), 4U);
    EXPECT_EQ(result.screened, 20U);
  }
}

TEST(Calibrate, RecoversANonlinearModelWithinOnePercent) {
  const Model model = nonlinear_model();
  for (const Weighting w : {Weighting::kIdentity, Weighting::kDiagonal, Weighting::kOptimal}) {
    const auto result = calibrate(kNonlinearBox, model.targets_at(kNonlinearTruth),
                                  model.function(), quiet_options(w, 90));
    SCOPED_TRACE(to_string(w));
    for (std::size_t i = 0; i < 3; ++i)
      EXPECT_NEAR(result.theta[i], kNonlinearTruth[i], 0.01 * kNonlinearTruth[i])
          << kNonlinearBox[i].name;
    EXPECT_EQ(result.rank, 3U);
    EXPECT_TRUE(std::isfinite(result.condition));
    for (const double se : result.standard_errors) EXPECT_TRUE(std::isfinite(se) && se > 0.0);
    if (w == Weighting::kOptimal) {
      EXPECT_EQ(result.first_stage_theta.size(), 3U);
    }
  }
}

TEST(Calibrate, IsDeterministic) {
  const Model model = nonlinear_model();
  const auto targets = model.targets_at(kNonlinearTruth);
  const auto a =
      calibrate(kNonlinearBox, targets, model.function(), quiet_options(Weighting::kOptimal, 60));
  const auto b =
      calibrate(kNonlinearBox, targets, model.function(), quiet_options(Weighting::kOptimal, 60));
  EXPECT_EQ(a.theta, b.theta);
  EXPECT_EQ(a.objective, b.objective);
  EXPECT_EQ(a.standard_errors, b.standard_errors);
  EXPECT_EQ(a.evaluations, b.evaluations);
}

// Diagonal weights with the same se for every target are identity weights scaled by 1/se²:
// the same path, the same estimate, the objective divided by se² (se = 2: exact in binary).
TEST(Calibrate, DiagonalWeightsWithEqualSeAreScaledIdentity) {
  const Model model = nonlinear_model();
  const auto truth_targets = model.targets_at(kNonlinearTruth);
  // Targets off the truth, so that the objective at the estimate is not 0.
  auto targets = truth_targets;
  targets[0].value += 0.3;
  targets[3].value -= 0.2;
  const auto identity =
      calibrate(kNonlinearBox, targets, model.function(), quiet_options(Weighting::kIdentity));
  for (auto& t : targets) t.se = 2.0;
  const auto diagonal =
      calibrate(kNonlinearBox, targets, model.function(), quiet_options(Weighting::kDiagonal));
  EXPECT_EQ(identity.theta, diagonal.theta);
  EXPECT_GT(identity.objective, 1e-4);
  EXPECT_DOUBLE_EQ(diagonal.objective, identity.objective / 4.0);
  for (const auto& fit : diagonal.fit) EXPECT_DOUBLE_EQ(fit.weight, 0.25);
  for (const auto& fit : identity.fit) EXPECT_DOUBLE_EQ(fit.weight, 1.0);
}

// Without se, diagonal weights are 1 / the replicates' variance at the box centre.
TEST(Calibrate, DiagonalWeightsFromReplicateVariance) {
  const Model model = linear_model();
  const auto result = calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(),
                                quiet_options(Weighting::kDiagonal));
  for (std::size_t k = 0; k < 4; ++k) {
    double mean = 0.0, ss = 0.0;
    for (const auto& row : model.noise) mean += row[k] / 10.0;
    for (const auto& row : model.noise) ss += (row[k] - mean) * (row[k] - mean);
    EXPECT_NEAR(result.fit[k].weight, 9.0 / ss, 1e-9 * 9.0 / ss) << k;
    // The noise does not depend on θ here: the replicate spread at θ̂ is the same.
    EXPECT_NEAR(result.fit[k].replicate_sd, std::sqrt(ss / 9.0), 1e-12);
  }
}

TEST(Calibrate, DetectsAParameterThatMovesNoMoment) {
  Model model = linear_model();
  const auto two = model.mean;
  model.mean = [two](const std::vector<double>& t) { return two({t[0], t[1]}); };  // t[2] unused
  std::vector<FreeParameter> box = kLinearBox;
  box.push_back({"idle", 0.0, 1.0});
  const auto result = calibrate(box, model.targets_at({1.3, 2.2, 0.5}), model.function(),
                                quiet_options(Weighting::kDiagonal));
  EXPECT_EQ(result.rank, 2U);
  EXPECT_TRUE(std::isinf(result.condition));
  ASSERT_EQ(result.unidentified.size(), 1U);
  EXPECT_EQ(result.unidentified[0], "idle");
  for (const double se : result.standard_errors) EXPECT_TRUE(std::isnan(se));
  EXPECT_NEAR(result.theta[0], 1.3, 1e-3);
  EXPECT_NEAR(result.theta[1], 2.2, 1e-3);
}

// For m = Aθ + b the sandwich has a closed form: with W = diag(1/se²) and Ω = diag(se²),
// Var(θ̂) = (1 + 1/R)(A′WA)⁻¹. The Jacobian is exact up to rounding, so 1e-8 relative.
TEST(Calibrate, StandardErrorsMatchTheLinearModelsAnalyticOnes) {
  const Model model = linear_model();
  const std::vector<double> se{0.4, 0.8, 0.25, 0.5};
  auto targets = model.targets_at(kLinearTruth);
  for (std::size_t k = 0; k < 4; ++k) targets[k].se = se[k];
  const auto result =
      calibrate(kLinearBox, targets, model.function(), quiet_options(Weighting::kDiagonal));
  VectorXd inv_var(4);
  for (Eigen::Index k = 0; k < 4; ++k)
    inv_var[k] = 1.0 / (se[static_cast<std::size_t>(k)] * se[static_cast<std::size_t>(k)]);
  const MatrixXd a = linear_a();
  const MatrixXd expected =
      (1.0 + 1.0 / 10.0) * (a.transpose() * inv_var.asDiagonal() * a).inverse();
  for (Eigen::Index i = 0; i < 2; ++i) {
    for (Eigen::Index j = 0; j < 2; ++j)
      EXPECT_NEAR(result.covariance[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)],
                  expected(i, j), 1e-8 * expected.norm());
    EXPECT_NEAR(result.standard_errors[static_cast<std::size_t>(i)], std::sqrt(expected(i, i)),
                1e-8 * std::sqrt(expected(i, i)));
  }
}

// Identity weights and no se: Ω is the replicates' covariance, and the full sandwich applies.
TEST(Calibrate, StandardErrorsUseTheReplicateCovarianceWithoutSe) {
  const Model model = linear_model();
  const auto result = calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(),
                                quiet_options(Weighting::kIdentity));
  MatrixXd noise(10, 4);
  for (Eigen::Index r = 0; r < 10; ++r)
    for (Eigen::Index k = 0; k < 4; ++k)
      noise(r, k) = model.noise[static_cast<std::size_t>(r)][static_cast<std::size_t>(k)];
  const MatrixXd centred = noise.rowwise() - noise.colwise().mean();
  const MatrixXd omega = centred.transpose() * centred / 9.0;
  const MatrixXd a = linear_a();
  const MatrixXd bread = (a.transpose() * a).inverse();
  const MatrixXd expected = 1.1 * bread * a.transpose() * omega * a * bread;
  for (Eigen::Index i = 0; i < 2; ++i)
    EXPECT_NEAR(result.standard_errors[static_cast<std::size_t>(i)], std::sqrt(expected(i, i)),
                1e-8 * std::sqrt(expected(i, i)));
}

// Identity weights on moments of very different scales (dollars and shares): J′WJ has a
// condition near 10¹⁴, so forming and inverting it would lose most digits (Eigen's LU even
// declared it singular in a real calibration). The SVD route keeps them; the reference is
// the naive formula in long double.
TEST(Calibrate, StandardErrorsSurviveMomentsOfVeryDifferentScales) {
  const std::vector<double> scale{2e5, 1e-3, 1.0, 3e-2};
  Model model = linear_model();
  const auto unscaled = model.mean;
  model.mean = [unscaled, scale](const std::vector<double>& t) {
    auto m = unscaled(t);
    for (std::size_t k = 0; k < 4; ++k) m[k] *= scale[k];
    return m;
  };
  for (auto& row : model.noise)
    for (std::size_t k = 0; k < 4; ++k) row[k] *= scale[k];
  const auto result = calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(),
                                quiet_options(Weighting::kIdentity));
  using MatrixL = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  MatrixL a(4, 2);
  MatrixL noise(10, 4);
  for (Eigen::Index k = 0; k < 4; ++k) {
    for (Eigen::Index p = 0; p < 2; ++p)
      a(k, p) = static_cast<long double>(linear_a()(k, p) * scale[static_cast<std::size_t>(k)]);
    for (Eigen::Index r = 0; r < 10; ++r)
      noise(r, k) = static_cast<long double>(
          model.noise[static_cast<std::size_t>(r)][static_cast<std::size_t>(k)]);
  }
  const MatrixL centred = noise.rowwise() - noise.colwise().mean();
  const MatrixL omega = centred.transpose() * centred / 9.0L;
  const MatrixL bread = (a.transpose() * a).inverse();
  const MatrixL expected = 1.1L * bread * a.transpose() * omega * a * bread;
  for (Eigen::Index i = 0; i < 2; ++i) {
    const auto se = static_cast<double>(std::sqrt(expected(i, i)));
    EXPECT_NEAR(result.standard_errors[static_cast<std::size_t>(i)], se, 1e-5 * se) << i;
  }
}

// Optimal weights: W = [(1 + 1/R)·Ω]⁻¹, and then the sandwich reduces to (J′WJ)⁻¹.
TEST(Calibrate, OptimalWeightsAreTheInverseMomentCovariance) {
  const Model model = linear_model(20);
  const auto result = calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(),
                                quiet_options(Weighting::kOptimal));
  MatrixXd w(4, 4);
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index j = 0; j < 4; ++j)
      w(i, j) = result.weights[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  MatrixXd noise(20, 4);
  for (Eigen::Index r = 0; r < 20; ++r)
    for (Eigen::Index k = 0; k < 4; ++k)
      noise(r, k) = model.noise[static_cast<std::size_t>(r)][static_cast<std::size_t>(k)];
  const MatrixXd centred = noise.rowwise() - noise.colwise().mean();
  const MatrixXd omega = 1.05 * centred.transpose() * centred / 19.0;
  EXPECT_LT((w * omega - MatrixXd::Identity(4, 4)).norm(), 1e-9);
  const MatrixXd a = linear_a();
  const MatrixXd expected = (a.transpose() * w * a).inverse();
  for (Eigen::Index i = 0; i < 2; ++i)
    EXPECT_NEAR(result.standard_errors[static_cast<std::size_t>(i)], std::sqrt(expected(i, i)),
                1e-7 * std::sqrt(expected(i, i)));
  EXPECT_TRUE(result.notes.empty()) << result.notes.front();
}

// Fewer replicates than moments: Ω is singular; it is shrunk towards its diagonal, and said so.
TEST(Calibrate, OptimalWeightsRegulariseASingularCovariance) {
  const Model model = linear_model(3);
  const auto result = calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(),
                                quiet_options(Weighting::kOptimal));
  expect_recovered(result, kLinearBox, kLinearTruth, 1e-4);
  bool said = false;
  for (const auto& note : result.notes)
    said = said || note.find("regularised") != std::string::npos;
  EXPECT_TRUE(said);
}

/// Stops the calibration after `limit` new evaluations, as an interruption would.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

TEST(Calibrate, ResumingFromACheckpointGivesTheSameResult) {
  const Model model = nonlinear_model();
  const auto targets = model.targets_at(kNonlinearTruth);
  for (const Weighting w : {Weighting::kDiagonal, Weighting::kOptimal}) {
    SCOPED_TRACE(to_string(w));
    CalibrationOptions options = quiet_options(w, 60);
    options.batch_size = 7;
    options.checkpoint = temp_path(std::string("full-") + to_string(w) + ".json");
    const auto full = calibrate(kNonlinearBox, targets, model.function(), options);
    EXPECT_TRUE(std::filesystem::exists(options.checkpoint));

    for (const std::size_t stop_after : {std::size_t{7}, std::size_t{16}, std::size_t{30}}) {
      options.checkpoint = temp_path("part.json");
      std::filesystem::remove(options.checkpoint);
      options.resume = false;
      const MomentFunction inner = model.function();
      std::size_t done = 0;
      const MomentFunction interrupting = [&](const std::vector<std::vector<double>>& batch) {
        if (done + batch.size() > stop_after) throw Interrupted();
        done += batch.size();
        return inner(batch);
      };
      EXPECT_THROW(calibrate(kNonlinearBox, targets, interrupting, options), Interrupted);

      options.resume = true;
      *model.calls = 0;
      const auto resumed = calibrate(kNonlinearBox, targets, model.function(), options);
      EXPECT_EQ(resumed.theta, full.theta) << stop_after;
      EXPECT_EQ(resumed.objective, full.objective);
      EXPECT_EQ(resumed.standard_errors, full.standard_errors);
      EXPECT_EQ(resumed.jacobian, full.jacobian);
      EXPECT_EQ(resumed.evaluations, full.evaluations);
      EXPECT_GT(resumed.cached, 0U);
      EXPECT_LE(resumed.cached, stop_after);
      EXPECT_EQ(*model.calls + resumed.cached, full.evaluations);  // nothing is run twice
    }
    // Resuming a finished calibration runs nothing.
    options.checkpoint = temp_path(std::string("full-") + to_string(w) + ".json");
    *model.calls = 0;
    const auto again = calibrate(kNonlinearBox, targets, model.function(), options);
    EXPECT_EQ(*model.calls, 0U);
    EXPECT_EQ(again.theta, full.theta);
    EXPECT_EQ(again.cached, full.evaluations);
  }
}

TEST(Calibrate, RefusesTheCheckpointOfAnotherCalibration) {
  const Model model = linear_model();
  CalibrationOptions options = quiet_options(Weighting::kDiagonal);
  options.checkpoint = temp_path("other.json");
  const auto targets = model.targets_at(kLinearTruth);
  calibrate(kLinearBox, targets, model.function(), options);
  options.resume = true;
  auto box = kLinearBox;
  box[1].hi = 6.0;
  try {
    calibrate(box, targets, model.function(), options);
    FAIL() << "resumed another calibration";
  } catch (const CalibrationError& e) {
    EXPECT_NE(std::string(e.what()).find("parameters"), std::string::npos) << e.what();
  }
  options.context = "another scenario";
  EXPECT_THROW(calibrate(kLinearBox, targets, model.function(), options), CalibrationError);
  // A file that is not a checkpoint.
  {
    std::ofstream out(options.checkpoint);
    out << "{\"something\": 1}\n";
  }
  EXPECT_THROW(calibrate(kLinearBox, targets, model.function(), options), CalibrationError);
}

TEST(Calibrate, RejectsBadBoxesAndInput) {
  const Model model = linear_model();
  const auto targets = model.targets_at(kLinearTruth);
  const auto f = model.function();
  const auto options = quiet_options(Weighting::kDiagonal);
  const auto expect_error = [&](const std::vector<FreeParameter>& box, const std::string& words) {
    try {
      calibrate(box, targets, f, options);
      FAIL() << "accepted a bad box: " << words;
    } catch (const CalibrationError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  expect_error({}, "no free parameters");
  expect_error({{"a", 1.0, 1.0}}, "'a': lower bound 1 is not below upper bound 1");
  expect_error({{"a", 2.0, 1.0}}, "not below");
  expect_error({{"a", 0.0, 1.0}, {"a", 0.0, 2.0}}, "given twice");
  expect_error({{"", 0.0, 1.0}}, "has no name");
  expect_error({{"a", 0.0, std::numeric_limits<double>::infinity()}}, "finite");
  expect_error({{"a", std::nan(""), 1.0}}, "finite");

  EXPECT_THROW(calibrate(kLinearBox, {}, f, options), CalibrationError);
  auto bad_se = targets;
  bad_se[0].se = 0.0;
  EXPECT_THROW(calibrate(kLinearBox, bad_se, f, options), CalibrationError);
  auto small = options;
  small.budget = 5;
  try {
    calibrate(kLinearBox, targets, f, small);
    FAIL();
  } catch (const CalibrationError& e) {
    EXPECT_NE(std::string(e.what()).find("too small"), std::string::npos) << e.what();
  }
  // A moment function that returns the wrong number of moments.
  const MomentFunction short_rows = [](const std::vector<std::vector<double>>& batch) {
    return std::vector<ReplicateMoments>(batch.size(), ReplicateMoments{{1.0, 2.0}});
  };
  EXPECT_THROW(calibrate(kLinearBox, targets, short_rows, options), CalibrationError);
  // Diagonal weights without se need two replicates.
  const Model one = linear_model(1);
  EXPECT_THROW(calibrate(kLinearBox, one.targets_at(kLinearTruth), one.function(), options),
               CalibrationError);
}

// Points where a moment is undefined are infeasible: never the estimate, and counted.
TEST(Calibrate, SkipsInfeasiblePoints) {
  Model model = linear_model();
  const auto inner = model.mean;
  model.mean = [inner](const std::vector<double>& t) {
    auto m = inner(t);
    if (t[0] > 2.0) m[2] = std::nan("");
    return m;
  };
  const auto result = calibrate(kLinearBox, model.targets_at(kLinearTruth), model.function(),
                                quiet_options(Weighting::kIdentity));
  expect_recovered(result, kLinearBox, kLinearTruth, 1e-4);
  EXPECT_TRUE(std::isfinite(result.objective));
}

TEST(Calibrate, NamesWeightings) {
  for (const Weighting w : {Weighting::kIdentity, Weighting::kDiagonal, Weighting::kOptimal})
    EXPECT_EQ(parse_weighting(to_string(w)), w);
  EXPECT_FALSE(parse_weighting("Optimal").has_value());
}

}  // namespace
}  // namespace talentsim
