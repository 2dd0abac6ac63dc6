// `talentsim check` (include/talentsim/study/check.hpp).
#include "talentsim/study/check.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "talentsim/core/error.hpp"
#include "talentsim/core/version.hpp"
#include "talentsim/scenario/scenario.hpp"
#include "talentsim/study/metric.hpp"
#include "talentsim/study/replicates.hpp"

namespace talentsim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

MeanInterval mean_interval(const std::vector<double>& values, double level) {
  MeanInterval out;
  double sum = 0.0;
  for (const double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++out.n;
    }
  if (out.n == 0) {
    out.mean = out.sd = out.lo = out.hi = kNaN;
    return out;
  }
  const auto n = static_cast<double>(out.n);
  out.mean = sum / n;
  if (out.n == 1) {
    out.sd = kNaN;
    out.lo = out.hi = out.mean;
    return out;
  }
  double squares = 0.0;
  for (const double v : values)
    if (std::isfinite(v)) squares += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(squares / (n - 1.0));
  const boost::math::students_t t(n - 1.0);
  const double half = boost::math::quantile(t, 0.5 + level / 2.0) * out.sd / std::sqrt(n);
  out.lo = out.mean - half;
  out.hi = out.mean + half;
  return out;
}

std::size_t CheckResult::passed() const {
  return static_cast<std::size_t>(
      std::count_if(targets.begin(), targets.end(), [](const TargetResult& t) { return t.pass; }));
}

std::int64_t weeks_targets_read(const Scenario& scenario) {
  std::int64_t weeks = scenario.ticks;
  for (const Target& t : scenario.targets)
    weeks = std::max(weeks, parse_metric(t.metric).last_week());
  return weeks;
}

CheckResult run_check(const Scenario& scenario, std::size_t replicates, std::size_t jobs,
                      const std::function<void(std::size_t done, std::size_t total)>& progress) {
  if (scenario.targets.empty())
    throw ScenarioError({}, "targets",
                        "scenario '" + scenario.name +
                            "' has no targets: add a `targets:` list (README, 'Targets')");
  if (replicates == 0) throw ScenarioError({}, "", "--replicates: at least 1 replicate is needed");
  std::vector<Metric> metrics;
  for (std::size_t i = 0; i < scenario.targets.size(); ++i) {
    const Target& target = scenario.targets[i];
    Metric m = parse_metric(target.metric);
    if (m.last_week() > scenario.ticks)
      throw ScenarioError({}, "targets[" + std::to_string(i) + "].metric",
                          "'" + target.metric + "' reads week " + std::to_string(m.last_week()) +
                              " but the run ends at week " + std::to_string(scenario.ticks) +
                              " (ticks, or --ticks, shortens it); check measures every target");
    check_metric(m, scenario);
    metrics.push_back(std::move(m));
  }
  CheckResult result;
  result.scenario = scenario.name;
  result.seed = scenario.seed;
  result.replicates = replicates;
  result.seeds = replicate_seeds(scenario.seed, replicates);
  const auto values = simulate_metrics(scenario, metrics, result.seeds, jobs, progress);
  for (std::size_t i = 0; i < scenario.targets.size(); ++i) {
    const Target& target = scenario.targets[i];
    TargetResult t;
    t.metric = target.metric;
    t.source = target.source;
    if (!target.range) t.value = target.value;
    const auto band = target.band();
    t.lo = band[0];
    t.hi = band[1];
    for (const auto& row : values) t.values.push_back(row[i]);
    t.mean = mean_interval(t.values);
    t.pass = t.mean.n > 0 && t.mean.lo <= t.hi && t.mean.hi >= t.lo;
    result.targets.push_back(std::move(t));
  }
  return result;
}

std::string check_json(const CheckResult& r) {
  using nlohmann::ordered_json;
  const auto number = [](double x) -> ordered_json {
    return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr);
  };
  ordered_json targets = ordered_json::array();
  for (const TargetResult& t : r.targets) {
    ordered_json o;
    o["metric"] = t.metric;
    o["source"] = t.source;
    o["lo"] = number(t.lo);
    o["hi"] = number(t.hi);
    if (t.value) o["target"] = number(*t.value);
    o["mean"] = number(t.mean.mean);
    o["ci_lo"] = number(t.mean.lo);
    o["ci_hi"] = number(t.mean.hi);
    o["sd"] = number(t.mean.sd);
    o["pass"] = t.pass;
    ordered_json values = ordered_json::array();
    for (const double v : t.values)
      if (std::isfinite(v)) values.push_back(v);
    o["values"] = std::move(values);
    targets.push_back(std::move(o));
  }
  ordered_json root;
  root["scenario"] = r.scenario;
  root["seed"] = r.seed;
  root["replicates"] = r.replicates;
  root["version"] = std::string(version());
  root["targets"] = std::move(targets);
  root["passed"] = r.passed();
  root["missed"] = r.missed();
  return root.dump(2) + "\n";
}

namespace {

/// A number for the table: whole units from 1000 up, 4 significant digits below.
std::string shown(double x) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  if (std::fabs(x) >= 1000.0)
    std::snprintf(buf, sizeof buf, "%.0f", x);
  else
    std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

}  // namespace

std::string check_table(const CheckResult& r) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"metric", "source", "band", "mean", "95% interval", "sd", "result"});
  for (const TargetResult& t : r.targets) {
    std::string undefined;
    if (t.mean.n < t.values.size())
      undefined = " (" + std::to_string(t.values.size() - t.mean.n) + " undefined)";
    rows.push_back({t.metric, t.source.empty() ? "-" : t.source,
                    "[" + shown(t.lo) + ", " + shown(t.hi) + "]", shown(t.mean.mean),
                    "[" + shown(t.mean.lo) + ", " + shown(t.mean.hi) + "]", shown(t.mean.sd),
                    (t.pass ? "pass" : "MISS") + undefined});
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out += line + "\n";
  }
  out += std::to_string(r.passed()) + " of " + std::to_string(r.targets.size()) + " targets met, " +
         std::to_string(r.missed()) + " missed (" + r.scenario + ", " +
         std::to_string(r.replicates) + " replicates, seeds derived from " +
         std::to_string(r.seed) + ")\n";
  return out;
}

}  // namespace talentsim
