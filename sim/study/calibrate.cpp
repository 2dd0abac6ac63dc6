// The method of simulated moments (include/talentsim/study/calibrate.hpp; docs/MODEL.md
// "Calibration").
//
// The search works in the unit cube u ∈ [0,1]^P, θ = lo + u·(hi − lo), so that BOBYQA's
// trust region, the Latin hypercube and the Jacobian's step all mean shares of the box.
// Every evaluation goes through one Evaluator: it serves repeated points from a cache
// keyed by θ's exact bits, replays a checkpoint the same way, and rewrites the checkpoint
// after every batch. Because the algorithm is deterministic and the moment function uses
// common random numbers, a resumed run asks for the same points in the same order and
// gets the same answers, so its result is identical to an uninterrupted run's.
#include "talentsim/study/calibrate.hpp"

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <nlopt.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <deque>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "talentsim/core/text.hpp"
#include "talentsim/output/atomic_file.hpp"

namespace talentsim {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using Point = std::vector<double>;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kCheckpointFormat = "talentsim-calibration-checkpoint";
constexpr int kCheckpointVersion = 1;

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, portable generator, so the Latin
/// hypercube is the same on every platform (std::uniform_*_distribution are not).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform on [0, 1) with 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform on {0, ..., n − 1}, without modulo bias (rejection).
  std::size_t below(std::size_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return static_cast<std::size_t>(x % n);
  }

 private:
  std::uint64_t state_;
};

/// A maximin Latin hypercube of n points in [0,1]^p: each of the n strata of every
/// coordinate holds one point; of kCandidates random designs, the one whose closest two
/// points are farthest apart.
std::vector<Point> latin_hypercube(std::size_t n, std::size_t p, std::uint64_t seed) {
  constexpr int kCandidates = 32;
  SplitMix64 rng(seed);
  std::vector<Point> best;
  double best_spread = -1.0;
  for (int c = 0; c < kCandidates; ++c) {
    std::vector<Point> design(n, Point(p));
    for (std::size_t d = 0; d < p; ++d) {
      std::vector<std::size_t> strata(n);
      std::iota(strata.begin(), strata.end(), std::size_t{0});
      for (std::size_t i = n; i > 1; --i) std::swap(strata[i - 1], strata[rng.below(i)]);
      for (std::size_t i = 0; i < n; ++i)
        design[i][d] = (static_cast<double>(strata[i]) + rng.uniform()) / static_cast<double>(n);
    }
    double spread = kInf;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double d2 = 0.0;
        for (std::size_t d = 0; d < p; ++d) d2 += std::pow(design[i][d] - design[j][d], 2);
        spread = std::min(spread, d2);
      }
    if (spread > best_spread) {
      best_spread = spread;
      best = std::move(design);
    }
  }
  return best;
}

std::string format_number(double v) { return std::isfinite(v) ? format_double(v) : "nan"; }

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

/// What identifies a calibration in its checkpoint: a checkpoint of another one is refused.
nlohmann::json fingerprint(const std::vector<FreeParameter>& box,
                           const std::vector<MomentTarget>& targets,
                           const CalibrationOptions& options) {
  nlohmann::json j;
  for (const auto& p : box)
    j["parameters"].push_back({{"name", p.name}, {"lo", p.lo}, {"hi", p.hi}});
  for (const auto& t : targets)
    j["targets"].push_back({{"name", t.name},
                            {"value", t.value},
                            {"se", t.se ? nlohmann::json(*t.se) : nlohmann::json(nullptr)}});
  j["weighting"] = to_string(options.weighting);
  j["budget"] = options.budget;
  j["seed"] = options.seed;
  j["batch_size"] = options.batch_size;
  j["initial_step"] = options.initial_step;
  j["tolerance"] = options.tolerance;
  j["jacobian_step"] = options.jacobian_step;
  j["context"] = options.context;
  return j;
}

/// The exact bits of a point, as a cache key.
std::vector<std::uint64_t> key_of(const Point& theta) {
  std::vector<std::uint64_t> key(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i) key[i] = std::bit_cast<std::uint64_t>(theta[i]);
  return key;
}

/// Replicate moments with their means, once per distinct point.
struct Evaluation {
  Point theta;
  ReplicateMoments replicates;
  VectorXd mean;
  bool feasible = true;
};

/// Runs, caches, replays and checkpoints evaluations.
class Evaluator {
 public:
  Evaluator(const std::vector<FreeParameter>& box, const std::vector<MomentTarget>& targets,
            const MomentFunction& moments, const CalibrationOptions& options)
      : moments_(moments), options_(options), k_(targets.size()) {
    problem_ = fingerprint(box, targets, options);
    if (options.resume && !options.checkpoint.empty()) load();
  }

  /// The evaluations of a batch, in order (cached ones from the cache).
  std::vector<const Evaluation*> evaluate(const std::vector<Point>& batch,
                                          const std::string& stage) {
    stage_ = stage;
    std::vector<Point> to_run;
    for (const Point& theta : batch) {
      const auto key = key_of(theta);
      if (index_.contains(key)) continue;
      if (const auto it = replay_.find(key); it != replay_.end()) {
        add(theta, it->second);
        ++cached_;
        continue;
      }
      if (std::find(to_run.begin(), to_run.end(), theta) == to_run.end()) to_run.push_back(theta);
    }
    if (!to_run.empty()) {
      const std::vector<ReplicateMoments> results = moments_(to_run);
      if (results.size() != to_run.size())
        throw CalibrationError("the moment function returned " + std::to_string(results.size()) +
                               " results for a batch of " + std::to_string(to_run.size()));
      for (std::size_t i = 0; i < to_run.size(); ++i) add(to_run[i], results[i]);
      // Replayed points are in the file already: rewrite it only when something new was run.
      save();
    }
    std::vector<const Evaluation*> out;
    out.reserve(batch.size());
    for (const Point& theta : batch) out.push_back(&log_[index_.at(key_of(theta))]);
    return out;
  }

  [[nodiscard]] const std::deque<Evaluation>& all() const { return log_; }
  [[nodiscard]] std::size_t cached() const { return cached_; }
  [[nodiscard]] std::size_t replicates() const { return replicates_; }
  void set_best(double best) { best_ = best; }
  void report(std::size_t requested, std::size_t budget) const {
    if (!options_.progress) return;
    options_.progress({stage_, requested, budget, cached_, best_});
  }

 private:
  void add(const Point& theta, const ReplicateMoments& replicates) {
    if (replicates.empty()) throw CalibrationError("the moment function returned no replicates");
    if (replicates_ == 0) replicates_ = replicates.size();
    if (replicates.size() != replicates_)
      throw CalibrationError("the moment function returned " + std::to_string(replicates.size()) +
                             " replicates at one point and " + std::to_string(replicates_) +
                             " at another");
    Evaluation e{theta, replicates, VectorXd::Zero(static_cast<Eigen::Index>(k_)), true};
    for (const auto& row : replicates) {
      if (row.size() != k_)
        throw CalibrationError("the moment function returned " + std::to_string(row.size()) +
                               " moments for " + std::to_string(k_) + " targets");
      for (std::size_t k = 0; k < k_; ++k) {
        if (!std::isfinite(row[k])) e.feasible = false;
        e.mean[static_cast<Eigen::Index>(k)] += row[k];
      }
    }
    e.mean /= static_cast<double>(replicates.size());
    index_.emplace(key_of(theta), log_.size());
    log_.push_back(std::move(e));
  }

  void save() const {
    if (options_.checkpoint.empty()) return;
    nlohmann::json j;
    j["format"] = kCheckpointFormat;
    j["version"] = kCheckpointVersion;
    j["problem"] = problem_;
    j["evaluations"] = nlohmann::json::array();
    for (const Evaluation& e : log_) {
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& row : e.replicates) {
        nlohmann::json values = nlohmann::json::array();
        for (const double v : row) values.push_back(number_or_null(v));
        rows.push_back(std::move(values));
      }
      j["evaluations"].push_back({{"theta", e.theta}, {"moments", std::move(rows)}});
    }
    AtomicFile file(options_.checkpoint);
    file.write(j.dump(1));
    file.write("\n");
    file.commit();
  }

  void load() {
    const std::string where = options_.checkpoint.string();
    std::ifstream in(options_.checkpoint);
    if (!in) return;  // nothing to resume: start afresh
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw CalibrationError(where + ": not a calibration checkpoint (" + e.what() + ")");
    }
    try {
      if (!j.is_object() || j.value("format", "") != kCheckpointFormat)
        throw CalibrationError(where + ": not a calibration checkpoint");
      if (j.at("version").get<int>() != kCheckpointVersion)
        throw CalibrationError(where + ": checkpoint version " + j.at("version").dump() +
                               ", this talentsim reads version " +
                               std::to_string(kCheckpointVersion));
      if (j.at("problem") != problem_) {
        std::string differ;
        for (const auto& [key, value] : problem_.items())
          if (!j.at("problem").contains(key) || j.at("problem").at(key) != value)
            differ += (differ.empty() ? "" : ", ") + key;
        throw CalibrationError(where +
                               ": the checkpoint is of another calibration (it differs in " +
                               (differ.empty() ? std::string("its keys") : differ) +
                               "); remove it or run without --resume");
      }
      for (const auto& e : j.at("evaluations")) {
        Point theta = e.at("theta").get<Point>();
        ReplicateMoments rows;
        for (const auto& row : e.at("moments")) {
          std::vector<double> values;
          for (const auto& v : row) values.push_back(v.is_null() ? kNaN : v.get<double>());
          rows.push_back(std::move(values));
        }
        replay_.emplace(key_of(theta), std::move(rows));
      }
    } catch (const nlohmann::json::exception& e) {
      throw CalibrationError(where + ": malformed calibration checkpoint (" + e.what() + ")");
    }
  }

  const MomentFunction& moments_;
  const CalibrationOptions& options_;
  std::size_t k_;
  nlohmann::json problem_;
  std::deque<Evaluation> log_;  // a deque: pointers handed out stay valid as it grows
  std::map<std::vector<std::uint64_t>, std::size_t> index_;
  std::map<std::vector<std::uint64_t>, ReplicateMoments> replay_;
  std::size_t cached_ = 0;
  std::size_t replicates_ = 0;
  std::string stage_;
  double best_ = kInf;
};

/// The replicates' covariance (denominator R − 1), K×K; zero with one replicate.
MatrixXd replicate_covariance(const Evaluation& e) {
  const auto r = static_cast<Eigen::Index>(e.replicates.size());
  const auto k = e.mean.size();
  MatrixXd x(r, k);
  for (Eigen::Index i = 0; i < r; ++i)
    for (Eigen::Index j = 0; j < k; ++j)
      x(i, j) = e.replicates[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  if (r < 2) return MatrixXd::Zero(k, k);
  const MatrixXd centred = x.rowwise() - e.mean.transpose();
  return centred.transpose() * centred / static_cast<double>(r - 1);
}

/// Ω: the covariance of the target moments. The replicates' covariance at `e`, except that a
/// target with a standard error has variance se² and no covariance with the others.
MatrixXd moment_covariance(const Evaluation& e, const std::vector<MomentTarget>& targets) {
  MatrixXd omega = replicate_covariance(e);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    if (!targets[k].se) continue;
    const auto i = static_cast<Eigen::Index>(k);
    omega.row(i).setZero();
    omega.col(i).setZero();
    omega(i, i) = *targets[k].se * *targets[k].se;
  }
  return omega;
}

}  // namespace

const char* to_string(Weighting weighting) {
  switch (weighting) {
    case Weighting::kIdentity:
      return "identity";
    case Weighting::kDiagonal:
      return "diagonal";
    case Weighting::kOptimal:
      return "optimal";
  }
  return "?";
}

std::optional<Weighting> parse_weighting(std::string_view name) {
  if (name == "identity") return Weighting::kIdentity;
  if (name == "diagonal") return Weighting::kDiagonal;
  if (name == "optimal") return Weighting::kOptimal;
  return std::nullopt;
}

void validate_box(const std::vector<FreeParameter>& box) {
  if (box.empty()) throw CalibrationError("no free parameters: give at least one");
  for (std::size_t i = 0; i < box.size(); ++i) {
    const FreeParameter& p = box[i];
    if (p.name.empty())
      throw CalibrationError("free parameter " + std::to_string(i + 1) + " has no name");
    for (std::size_t j = 0; j < i; ++j)
      if (box[j].name == p.name)
        throw CalibrationError("free parameter '" + p.name + "' is given twice");
    if (!std::isfinite(p.lo) || !std::isfinite(p.hi))
      throw CalibrationError("free parameter '" + p.name + "': its bounds must be finite numbers");
    if (!(p.lo < p.hi))
      throw CalibrationError("free parameter '" + p.name + "': lower bound " + format_double(p.lo) +
                             " is not below upper bound " + format_double(p.hi));
  }
}

std::size_t minimum_budget(std::size_t parameters, Weighting weighting) {
  // The screen takes a third of the budget (at least P + 1 points); each BOBYQA stage needs
  // its 2P + 1 interpolation points and a few steps.
  const std::size_t stage = 2 * parameters + 4;
  const std::size_t stages = weighting == Weighting::kOptimal ? 2 : 1;
  const std::size_t local = stage * stages;
  // screen = max(P + 1, ceil(B / 3)); need B − screen ≥ local.
  return std::max(parameters + 1 + local, (3 * local + 1) / 2);
}

CalibrationResult calibrate(const std::vector<FreeParameter>& box,
                            const std::vector<MomentTarget>& targets, const MomentFunction& moments,
                            const CalibrationOptions& options) {
  validate_box(box);
  if (targets.empty())
    throw CalibrationError("no targets: a calibration needs at least one moment");
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const MomentTarget& t = targets[k];
    const std::string name =
        t.name.empty() ? "target " + std::to_string(k + 1) : "target '" + t.name + "'";
    if (!std::isfinite(t.value))
      throw CalibrationError(name + ": its value must be a finite number");
    if (t.se && !(std::isfinite(*t.se) && *t.se > 0.0))
      throw CalibrationError(name + ": its se must be a positive number, got " +
                             format_number(*t.se));
  }
  if (!moments) throw CalibrationError("no moment function");
  const std::size_t p = box.size();
  const std::size_t k = targets.size();
  const auto pi = static_cast<Eigen::Index>(p);
  const auto ki = static_cast<Eigen::Index>(k);
  const std::size_t min_budget = minimum_budget(p, options.weighting);
  if (options.budget < min_budget)
    throw CalibrationError(
        "a budget of " + std::to_string(options.budget) + " evaluations is too small for " +
        std::to_string(p) + " free parameter" + (p == 1 ? "" : "s") + " with " +
        to_string(options.weighting) + " weights: give at least " + std::to_string(min_budget));
  if (!(options.initial_step > 0.0 && options.initial_step <= 0.5))
    throw CalibrationError("initial_step must be in (0, 0.5] (a share of the box)");
  if (!(options.tolerance > 0.0 && options.tolerance < options.initial_step))
    throw CalibrationError("tolerance must be in (0, initial_step)");
  if (!(options.jacobian_step > 0.0 && options.jacobian_step <= 0.25))
    throw CalibrationError("jacobian_step must be in (0, 0.25] (a share of the box)");
  if (!(options.rank_tolerance > 0.0 && options.rank_tolerance < 1.0))
    throw CalibrationError("rank_tolerance must be in (0, 1)");

  CalibrationResult result;
  result.parameters = box;
  result.weighting = options.weighting;
  Evaluator evaluator(box, targets, moments, options);
  VectorXd target(ki);
  for (std::size_t i = 0; i < k; ++i) target[static_cast<Eigen::Index>(i)] = targets[i].value;

  const auto to_theta = [&](const Point& u) {
    Point theta(p);
    for (std::size_t i = 0; i < p; ++i) theta[i] = box[i].lo + u[i] * (box[i].hi - box[i].lo);
    return theta;
  };
  const auto objective = [&](const Evaluation& e, const MatrixXd& w) {
    if (!e.feasible) return kInf;
    const VectorXd g = e.mean - target;
    return g.dot(w * g);
  };
  // The best evaluation so far under `w` (the earliest among equals).
  const auto best_under = [&](const MatrixXd& w) {
    const Evaluation* best = nullptr;
    double best_q = kInf;
    for (const Evaluation& e : evaluator.all()) {
      const double q = objective(e, w);
      if (q < best_q) {
        best_q = q;
        best = &e;
      }
    }
    return std::pair{best, best_q};
  };
  std::size_t requested = 0;

  // 1. The screen: the box centre, then a maximin Latin hypercube; a third of the budget.
  const std::size_t screen = std::max(p + 1, (options.budget + 2) / 3);
  std::vector<Point> design{Point(p, 0.5)};
  for (Point& u : latin_hypercube(screen - 1, p, options.seed)) design.push_back(to_theta(u));
  design[0] = to_theta(design[0]);
  result.screened = screen;
  const std::size_t batch = options.batch_size == 0 ? screen : options.batch_size;
  for (std::size_t start = 0; start < screen; start += batch) {
    const std::vector<Point> chunk(
        design.begin() + static_cast<std::ptrdiff_t>(start),
        design.begin() + static_cast<std::ptrdiff_t>(std::min(screen, start + batch)));
    evaluator.evaluate(chunk, "screen");
    requested += chunk.size();
    if (requested < screen) evaluator.report(requested, options.budget);  // the last one below
  }
  const std::size_t r = evaluator.replicates();
  result.replicates = r;
  if (options.weighting == Weighting::kOptimal && r < 2)
    throw CalibrationError("optimal weights need 2 or more replicates");

  // 2. The weights. Diagonal: 1/se² where given, else 1 / the replicates' variance at the box
  // centre (or, if a moment is undefined there, at the first point of the screen where all are).
  // The diagonal weights also measure identification, whatever the weighting (step 6), so they
  // are worked out for identity weights too, where they can be.
  const bool need_diagonal = options.weighting != Weighting::kIdentity;
  MatrixXd w_diag = MatrixXd::Identity(ki, ki);
  bool have_diagonal = true;
  {
    const auto& all = evaluator.all();
    const auto first =
        std::find_if(all.begin(), all.end(), [](const Evaluation& e) { return e.feasible; });
    if (first == all.end())
      throw CalibrationError(
          "every point of the screen is infeasible (some moment is not a finite "
          "number); narrow the box");
    if (first != all.begin() && need_diagonal)
      result.notes.emplace_back(
          "a moment is undefined at the box centre: diagonal weights use the "
          "replicates' variance at the first point of the screen where all are");
    const MatrixXd cov = replicate_covariance(*first);
    for (std::size_t i = 0; i < k && have_diagonal; ++i) {
      const auto ii = static_cast<Eigen::Index>(i);
      double v = targets[i].se ? *targets[i].se * *targets[i].se : cov(ii, ii);
      if (!targets[i].se && !(std::isfinite(v) && v > 0.0)) {
        if (r < 2) {
          if (need_diagonal)
            throw CalibrationError(
                "diagonal and optimal weights need 2 or more replicates, or an se for "
                "every target ('" +
                targets[i].name + "' has none)");
          have_diagonal = false;
          break;
        }
        // A moment that does not vary over the replicates: weigh it like a 1% relative error.
        v = std::pow(0.01 * std::max(std::abs(targets[i].value), 1e-12), 2);
        if (need_diagonal)
          result.notes.push_back("moment '" + targets[i].name +
                                 "' does not vary over the replicates at the box centre; its "
                                 "weight assumes a standard deviation of 1% of its target");
      }
      w_diag(ii, ii) = 1.0 / v;
    }
  }
  if (!have_diagonal) w_diag = MatrixXd::Identity(ki, ki);
  MatrixXd w = need_diagonal ? w_diag : MatrixXd::Identity(ki, ki);
  if (!need_diagonal && have_diagonal) {
    const double spread = w_diag.diagonal().maxCoeff() / w_diag.diagonal().minCoeff();
    if (spread > 1e6) {
      std::ostringstream note;
      note << "identity weights: the moments' standard deviations differ by a factor of "
           << std::sqrt(spread)
           << ", so the largest dominate the objective; diagonal weights put them on one scale";
      result.notes.push_back(note.str());
    }
  }
  evaluator.set_best(best_under(w).second);
  evaluator.report(requested, options.budget);

  // 3. BOBYQA from the best point so far, in the unit cube.
  const auto polish = [&](const MatrixXd& weights, std::size_t evals, double step,
                          const std::string& stage) {
    const auto found = best_under(weights);
    const Evaluation* start = found.first;
    const double start_q = found.second;
    if (start == nullptr)
      throw CalibrationError(
          "every point of the screen is infeasible (some moment is not a finite "
          "number); narrow the box");
    Point u0(p);
    for (std::size_t i = 0; i < p; ++i)
      u0[i] = std::clamp((start->theta[i] - box[i].lo) / (box[i].hi - box[i].lo), 0.0, 1.0);
    const Point start_u = u0;  // nlopt may use u0 as working storage
    // An infeasible point gets a finite penalty above everything seen, so BOBYQA's quadratic
    // models stay finite; it never becomes the estimate (that is the best feasible point).
    double worst = start_q;
    for (const Evaluation& e : evaluator.all()) {
      const double q = objective(e, weights);
      if (std::isfinite(q)) worst = std::max(worst, q);
    }
    std::size_t infeasible = 0;
    double best_q = start_q;
    evaluator.set_best(best_q);
    nlopt::opt opt(nlopt::LN_BOBYQA, static_cast<unsigned>(p));
    opt.set_lower_bounds(std::vector<double>(p, 0.0));
    opt.set_upper_bounds(std::vector<double>(p, 1.0));
    opt.set_initial_step(step);
    opt.set_xtol_abs(options.tolerance);
    opt.set_maxeval(static_cast<int>(evals));
    // nlopt's C++ wrapper turns exceptions from the objective into its own codes; keep ours.
    struct Context {
      std::function<double(const std::vector<double>&)> f;
      std::exception_ptr failure;
    } context{[&](const std::vector<double>& u) {
                // The start point is θ of an evaluation already done: take it as it was, not
                // as lo + u·(hi − lo) gives it back (which may differ in the last bit).
                const Point theta = u == start_u ? start->theta : to_theta(u);
                const Evaluation& e = *evaluator.evaluate({theta}, stage).front();
                ++requested;
                double q = objective(e, weights);
                if (std::isfinite(q)) {
                  worst = std::max(worst, q);
                  best_q = std::min(best_q, q);
                } else {
                  ++infeasible;
                  q = 2.0 * worst + 1.0;
                }
                evaluator.set_best(best_q);
                evaluator.report(requested, options.budget);
                return q;
              },
              nullptr};
    opt.set_min_objective(
        [](const std::vector<double>& u, std::vector<double>& /*grad*/, void* data) -> double {
          auto* c = static_cast<Context*>(data);
          try {
            return c->f(u);
          } catch (...) {
            c->failure = std::current_exception();
            throw nlopt::forced_stop();
          }
        },
        &context);
    double q = 0.0;
    try {
      opt.optimize(u0, q);
    } catch (const nlopt::roundoff_limited&) {
      result.notes.push_back(stage + ": BOBYQA stopped at the limit of rounding");
    } catch (const std::exception& e) {
      if (context.failure) std::rethrow_exception(context.failure);
      result.notes.push_back(stage + ": BOBYQA stopped early (" + e.what() + ")");
    }
    if (context.failure) std::rethrow_exception(context.failure);
    if (infeasible > 0)
      result.notes.push_back(stage + ": " + std::to_string(infeasible) +
                             " point(s) gave a moment that is not a finite number");
  };
  const std::size_t local = options.budget - screen;
  if (options.weighting == Weighting::kOptimal) {
    polish(w, local / 2, options.initial_step, "polish");
    const Evaluation& first = *best_under(w).first;
    result.first_stage_theta = first.theta;
    // W = [(1 + 1/R)·Ω(θ̂₁)]⁻¹: Var(g) when the data moments have covariance Ω and the
    // simulated mean of R replicates adds Ω/R. Ω from R replicates has rank ≤ R − 1: when it
    // is (nearly) singular, shrink it towards its diagonal until it is well conditioned.
    MatrixXd omega = (1.0 + 1.0 / static_cast<double>(r)) * moment_covariance(first, targets);
    MatrixXd diag = MatrixXd::Zero(ki, ki);
    for (Eigen::Index i = 0; i < ki; ++i)
      diag(i, i) = 1.0 / w(i, i);  // the diagonal stage's variances
    // Where Ω has a zero variance, use the diagonal stage's (which is positive).
    for (Eigen::Index i = 0; i < ki; ++i)
      if (!(omega(i, i) > 0.0)) {
        omega.row(i).setZero();
        omega.col(i).setZero();
        omega(i, i) = diag(i, i);
      }
    // Judge and shrink the correlation C = S·Ω·S (S = diag(1/sd)), not Ω itself: moments in
    // dollars and in shares give Ω eigenvalues 10¹⁴ apart however well conditioned C is.
    // Shrinking C towards I is shrinking Ω towards its diagonal.
    const VectorXd sd = omega.diagonal().cwiseSqrt();
    const MatrixXd corr = sd.cwiseInverse().asDiagonal() * omega * sd.cwiseInverse().asDiagonal();
    double shrink = 0.0;
    MatrixXd chosen = corr;
    double condition = kInf;
    for (const double alpha : {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0}) {
      chosen = (1.0 - alpha) * corr + alpha * MatrixXd::Identity(ki, ki);
      const Eigen::SelfAdjointEigenSolver<MatrixXd> eig(chosen);
      const double lo = eig.eigenvalues().minCoeff();
      const double hi = eig.eigenvalues().maxCoeff();
      if (alpha == 0.0) condition = lo > 0.0 ? hi / lo : kInf;
      shrink = alpha;
      if (lo > 1e-6 * hi) break;
    }
    if (shrink > 0.0) {
      std::ostringstream note;
      note << "optimal weights: the moments' correlation at the first-stage estimate is singular "
              "or nearly so (condition "
           << condition << "; " << r << " replicates for " << k
           << " moments); regularised by shrinking it " << shrink * 100.0
           << "% towards the identity (the covariance towards its diagonal)";
      result.notes.push_back(note.str());
    }
    w = sd.cwiseInverse().asDiagonal() * chosen.llt().solve(MatrixXd::Identity(ki, ki)) *
        sd.cwiseInverse().asDiagonal();
    w = 0.5 * (w + w.transpose());
    // The second stage starts at the first's estimate: a smaller first step.
    polish(w, local - local / 2, std::max(options.initial_step / 4.0, 2.0 * options.tolerance),
           "polish (optimal W)");
  } else {
    polish(w, local, options.initial_step, "polish");
  }

  // 4. The estimate: the best point of the search under the final weights.
  const auto [best, best_q] = best_under(w);
  result.theta = best->theta;
  result.objective = best_q;
  const Point theta_hat = best->theta;
  const VectorXd mean_hat = best->mean;
  const MatrixXd omega_hat = moment_covariance(*best, targets);
  const MatrixXd cov_hat = replicate_covariance(*best);
  for (std::size_t i = 0; i < p; ++i) {
    const double width = box[i].hi - box[i].lo;
    if (theta_hat[i] - box[i].lo <= options.tolerance * width ||
        box[i].hi - theta_hat[i] <= options.tolerance * width)
      result.notes.push_back(
          "'" + box[i].name + "' ends at a bound of its box (" + format_double(theta_hat[i]) +
          "): the fit may want it beyond; its standard error assumes it is inside");
  }

  // 5. The Jacobian of the mean moments: central differences, one-sided at a bound.
  std::vector<Point> stencil;
  std::vector<double> steps(p);
  for (std::size_t i = 0; i < p; ++i) {
    const double h = options.jacobian_step * (box[i].hi - box[i].lo);
    Point plus = theta_hat;
    Point minus = theta_hat;
    plus[i] = std::min(theta_hat[i] + h, box[i].hi);
    minus[i] = std::max(theta_hat[i] - h, box[i].lo);
    steps[i] = plus[i] - minus[i];
    stencil.push_back(plus);
    stencil.push_back(minus);
  }
  const auto points = evaluator.evaluate(stencil, "jacobian");
  evaluator.report(requested + stencil.size(), options.budget);
  MatrixXd jac(ki, pi);
  for (std::size_t i = 0; i < p; ++i)
    jac.col(static_cast<Eigen::Index>(i)) =
        (points[2 * i]->mean - points[2 * i + 1]->mean) / steps[i];
  const bool jac_finite = jac.allFinite();
  if (!jac_finite)
    result.notes.emplace_back(
        "the Jacobian is not finite: a point next to the estimate is infeasible");

  // 6. Identification: the singular values of S·J·D, with S = diag(1/sd_k) from the diagonal
  // weights (se, or the replicates' spread) and D = diag(hi − lo): how many standard
  // deviations each moment moves per box width, so that neither the moments' units, nor the
  // boxes' sizes, nor the choice of weights decides what counts as small. (With one replicate
  // and a target without se, S = I.)
  VectorXd widths(pi);
  for (std::size_t i = 0; i < p; ++i) widths[static_cast<Eigen::Index>(i)] = box[i].hi - box[i].lo;
  const MatrixXd scaled = w_diag.diagonal().cwiseSqrt().asDiagonal() * jac * widths.asDiagonal();
  if (jac_finite) {
    const Eigen::JacobiSVD<MatrixXd> identification(scaled);
    const VectorXd& sv = identification.singularValues();
    result.singular_values.assign(sv.data(), sv.data() + sv.size());
    const double top = sv.size() > 0 ? sv[0] : 0.0;
    for (Eigen::Index i = 0; i < sv.size(); ++i)
      if (sv[i] > options.rank_tolerance * top) ++result.rank;
    result.condition = result.rank == p && sv[sv.size() - 1] > 0.0 ? top / sv[sv.size() - 1] : kInf;
    for (std::size_t i = 0; i < p; ++i)
      if (scaled.col(static_cast<Eigen::Index>(i)).norm() <= options.rank_tolerance * top)
        result.unidentified.push_back(box[i].name);
  } else {
    result.condition = kInf;
  }
  if (k < p)
    result.notes.push_back("fewer moments (" + std::to_string(k) + ") than free parameters (" +
                           std::to_string(p) + "): not all can be identified");

  // 7. Asymptotic standard errors: Var(θ̂) = (1 + 1/R)·(J′WJ)⁻¹ J′WΩWJ (J′WJ)⁻¹. With
  // W = L·L′ (Cholesky), B = L′·J·D, J′WJ = D⁻¹B′BD⁻¹ and J′WΩWJ = D⁻¹B′(L′ΩL)BD⁻¹ this is (1 +
  // 1/R)·D·B⁺(L′ΩL)B⁺′·D, with B⁺ = VΣ⁻¹U′ from the SVD: J′WJ is never formed, so its condition
  // (the square of B's) does not cost digits when the moments have very different scales.
  result.covariance.assign(p, std::vector<double>(p, kNaN));
  result.standard_errors.assign(p, kNaN);
  if (jac_finite && result.rank == p) {
    const Eigen::LLT<MatrixXd> w_chol(w);
    const MatrixXd l_t = w_chol.matrixU();
    const Eigen::JacobiSVD<MatrixXd> svd(l_t * jac * widths.asDiagonal(),
                                         Eigen::ComputeThinU | Eigen::ComputeThinV);
    const MatrixXd b_pinv = svd.matrixV() * svd.singularValues().cwiseInverse().asDiagonal() *
                            svd.matrixU().transpose();
    const MatrixXd middle = l_t * omega_hat * l_t.transpose();
    const MatrixXd var = (1.0 + 1.0 / static_cast<double>(r)) * widths.asDiagonal() * b_pinv *
                         middle * b_pinv.transpose() * widths.asDiagonal();
    for (std::size_t i = 0; i < p; ++i) {
      for (std::size_t j = 0; j < p; ++j)
        result.covariance[i][j] = var(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      const double v = var(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i));
      result.standard_errors[i] = v >= 0.0 ? std::sqrt(v) : kNaN;
    }
    if (r < 2 &&
        std::any_of(targets.begin(), targets.end(), [](const MomentTarget& t) { return !t.se; }))
      result.notes.emplace_back(
          "one replicate and targets without se: Ω is zero where no se is given, "
          "so the standard errors leave out that uncertainty");
  } else {
    result.notes.push_back(
        "the Jacobian has rank " + std::to_string(result.rank) + " < " + std::to_string(p) +
        ": the parameters are not all identified, so there are no standard errors");
  }

  // 8. The fit, moment by moment.
  for (std::size_t i = 0; i < k; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    result.fit.push_back({targets[i].name, targets[i].value, mean_hat[ii],
                          mean_hat[ii] - targets[i].value, w(ii, ii),
                          std::sqrt(std::max(cov_hat(ii, ii), 0.0))});
  }
  result.weights.assign(k, std::vector<double>(k));
  result.jacobian.assign(k, std::vector<double>(p));
  for (Eigen::Index i = 0; i < ki; ++i) {
    for (Eigen::Index j = 0; j < ki; ++j)
      result.weights[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = w(i, j);
    for (Eigen::Index j = 0; j < pi; ++j)
      result.jacobian[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = jac(i, j);
  }
  result.evaluations = evaluator.all().size();
  result.cached = evaluator.cached();
  return result;
}

}  // namespace talentsim
