// The method of simulated moments (docs/MODEL.md "Calibration"; Gourieroux & Monfort 1996,
// Grazzini & Richiardi 2015 for agent-based models), independent of the engine.
//
// Free parameters θ live in a box. A moment function maps a batch of θ to, for each θ, an
// R×K matrix of replicate moments; the caller runs the same R replicate seeds at every θ
// (common random numbers), so the mean moments m(θ) and the objective are smooth in θ.
// The objective is Q(θ) = g′Wg with g = m(θ) − m*. The search screens a Latin hypercube
// over the box, then polishes the best point with NLopt's BOBYQA; the result carries the
// per-moment fit, a finite-difference Jacobian (identification: rank and condition) and
// asymptotic sandwich standard errors. Every evaluation is checkpointed after each batch,
// and a run resumed from its checkpoint gives exactly the result of an uninterrupted one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/core/error.hpp"

namespace talentsim {

/// Bad calibration input (a box, targets, options or a checkpoint that do not fit).
class CalibrationError : public Error {
 public:
  using Error::Error;
};

/// One free parameter: its name (a scenario key, for the CLI) and its box [lo, hi].
struct FreeParameter {
  std::string name;
  double lo = 0.0;
  double hi = 0.0;
};

/// One target moment m*_k, with the real figure's standard error when known.
struct MomentTarget {
  std::string name;
  double value = 0.0;
  std::optional<double> se;  ///< > 0 when given
};

/// How the gaps are weighted.
enum class Weighting {
  kIdentity,  ///< W = I
  kDiagonal,  ///< W = diag(1/v_k): v_k = se_k² where given, else the replicates' variance
              ///< of moment k at the box centre (the first evaluation)
  kOptimal,   ///< two-step: diagonal first, then W = [(1 + 1/R)·Ω(θ̂₁)]⁻¹
};

/// "identity", "diagonal", "optimal".
const char* to_string(Weighting weighting);
/// The weighting a name gives, or nothing for an unknown name.
std::optional<Weighting> parse_weighting(std::string_view name);

/// One replicate per row, one moment per column (R×K).
using ReplicateMoments = std::vector<std::vector<double>>;

/// Evaluates a batch of parameter vectors (θ in the box's order), returning the replicate
/// moments of each, in order. The caller may evaluate a batch in parallel but must use the
/// same replicate seeds at every θ. A non-finite moment marks θ as infeasible.
using MomentFunction =
    std::function<std::vector<ReplicateMoments>(const std::vector<std::vector<double>>& batch)>;

/// Where the calibration stands, for progress lines.
struct CalibrationProgress {
  std::string stage;            ///< "screen", "polish", "polish (optimal W)", "jacobian"
  std::size_t evaluations = 0;  ///< evaluations done so far (cached ones included)
  std::size_t budget = 0;       ///< the search budget (the Jacobian comes on top)
  std::size_t cached = 0;       ///< of which served by the checkpoint
  double best_objective = 0.0;  ///< under the stage's weights; +inf before any
};

struct CalibrationOptions {
  Weighting weighting = Weighting::kDiagonal;
  /// Evaluations for the search (screen + polish); the Jacobian's 2P come on top.
  std::size_t budget = 60;
  /// Seeds the Latin hypercube (the moment function's replicate seeds are the caller's).
  std::uint64_t seed = 1;
  /// Points the screen evaluates at once (one batch, one checkpoint). 0: all at once.
  std::size_t batch_size = 0;
  /// BOBYQA's first trust-region radius and its last, as shares of the box's width.
  double initial_step = 0.1;
  double tolerance = 1e-3;
  /// The Jacobian's central-difference step, as a share of each box width.
  double jacobian_step = 0.01;
  /// Singular values below this share of the largest count as zero (rank).
  double rank_tolerance = 1e-6;
  /// Checkpoint file (JSON), written atomically after every batch; empty: none.
  std::filesystem::path checkpoint;
  /// Replay the checkpoint's evaluations instead of running them again. Without a checkpoint
  /// file the calibration starts afresh.
  bool resume = false;
  /// What else identifies the calibration in its checkpoint (the caller's scenario, replicate
  /// count and seeds, say): a checkpoint written with another context is refused.
  std::string context;
  std::function<void(const CalibrationProgress&)> progress;
};

/// The fit of one moment at θ̂.
struct MomentFit {
  std::string name;
  double target = 0.0;
  double simulated = 0.0;     ///< mean over the replicates
  double gap = 0.0;           ///< simulated − target
  double weight = 0.0;        ///< W_kk
  double replicate_sd = 0.0;  ///< the replicates' standard deviation
};

struct CalibrationResult {
  std::vector<FreeParameter> parameters;
  std::vector<double> theta;  ///< θ̂, in the box's order
  double objective = 0.0;     ///< g′Wg at θ̂, with the final weights
  Weighting weighting = Weighting::kDiagonal;
  std::size_t replicates = 0;
  std::vector<MomentFit> fit;
  std::vector<std::vector<double>> weights;   ///< the final W, K×K
  std::vector<std::vector<double>> jacobian;  ///< ∂m/∂θ at θ̂, K×P, per unit of θ
  /// Singular values of S·J·diag(hi − lo), S = diag(1/sd_k) of the diagonal weights (each
  /// moment in its standard deviations, per box width, whatever the weighting), largest first.
  std::vector<double> singular_values;
  std::size_t rank = 0;
  double condition = 0.0;  ///< σ_max / σ_min; +inf when rank < P
  /// Parameters that move no moment (their Jacobian column is zero); empty when identified.
  std::vector<std::string> unidentified;
  /// Asymptotic covariance of θ̂, P×P (sandwich; NaN when not identified), and its root diagonal.
  std::vector<std::vector<double>> covariance;
  std::vector<double> standard_errors;
  std::size_t evaluations = 0;  ///< all evaluations, the Jacobian's included
  std::size_t cached = 0;       ///< of which replayed from the checkpoint
  std::size_t screened = 0;     ///< points of the Latin hypercube screen (the centre included)
  std::vector<double> first_stage_theta;  ///< θ̂₁ of two-step optimal weighting; else empty
  std::vector<std::string> notes;         ///< regularisations, infeasible points, bounds hit
};

/// Checks a box: at least one parameter, names unique and non-empty, lo < hi, both finite.
/// @throws CalibrationError naming the parameter
void validate_box(const std::vector<FreeParameter>& box);

/// Runs the calibration. Deterministic: the same inputs (and moment function) give the same
/// result, resumed or not.
/// @throws CalibrationError on bad input or a checkpoint of another calibration; whatever
///         the moment function throws passes through (the checkpoint keeps what was done).
CalibrationResult calibrate(const std::vector<FreeParameter>& box,
                            const std::vector<MomentTarget>& targets, const MomentFunction& moments,
                            const CalibrationOptions& options);

}  // namespace talentsim
