// The check adapter: calibration targets against the intervals the simulation gave.
#include "talentsim/report/check_report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "format.hpp"

namespace talentsim::report {
namespace {

using nlohmann::json;

constexpr std::uintmax_t kMaxCheckBytes = std::uintmax_t{256} << 20;
constexpr const char* kPassColour = "#2e7d32";
constexpr const char* kMissColour = "#c62828";

// Where a row's values sit on the chart: 0 and 1 are the ends of its reference interval
// (the target band; without one, the target +-10%; without that, the 95% interval).
struct Scale {
  double lo = 0, hi = 1;
  std::string basis;
  [[nodiscard]] double operator()(double v) const { return (v - lo) / (hi - lo); }
};

Scale scale_of(const CheckTarget& t) {
  if (std::isfinite(t.lo) && std::isfinite(t.hi) && t.hi > t.lo) return {t.lo, t.hi, "band"};
  if (std::isfinite(t.target)) {
    const double half = t.target != 0 ? std::fabs(t.target) * 0.1 : 1.0;
    return {t.target - half, t.target + half, "target \u00b110%"};
  }
  if (std::isfinite(t.ci_lo) && std::isfinite(t.ci_hi) && t.ci_hi > t.ci_lo)
    return {t.ci_lo, t.ci_hi, "95% interval"};
  return {t.mean - 1, t.mean + 1, "mean \u00b11"};
}

std::string interval_text(double lo, double hi) {
  if (!std::isfinite(lo) && !std::isfinite(hi)) return "\u2013";
  return format_value(lo) + " \u2013 " + format_value(hi);
}

double optional_number(const json& o, const char* key, const std::string& where) {
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return kNoValue;
  if (!it->is_number()) throw InputError(where + "." + key + ": expected a number");
  return it->get<double>();
}

}  // namespace

bool target_passed(const CheckTarget& t) {
  if (t.pass) return *t.pass;
  if (!std::isfinite(t.lo) || !std::isfinite(t.hi)) return false;
  const double a = std::isfinite(t.ci_lo) ? t.ci_lo : t.mean;
  const double b = std::isfinite(t.ci_hi) ? t.ci_hi : t.mean;
  return a <= t.hi && b >= t.lo;
}

CheckResult load_check(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path.string() + ": no such file");
  if (std::filesystem::file_size(path, ec) > kMaxCheckBytes)
    throw InputError(path.string() + ": too large for a check result");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path.string() + ": cannot read");
  return parse_check(text.str(), path.string());
}

CheckResult parse_check(std::string_view json_text, const std::string& source) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (const std::size_t close = what.find("] ");
        what.starts_with("[json") && close != std::string::npos)
      what = what.substr(close + 2);
    throw InputError(source + ": malformed JSON: " + what);
  }
  const auto targets = j.is_object() ? j.find("targets") : j.end();
  if (!j.is_object() || targets == j.end() || !targets->is_array())
    throw InputError(source +
                     ": not a check result (expected a JSON object with a 'targets' list, as "
                     "`talentsim check --json` writes); for a run, give its output folder");
  CheckResult c;
  const auto text = [&](const json& o, const char* key, const std::string& where) -> std::string {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return {};
    if (!it->is_string()) throw InputError(where + "." + key + ": expected text");
    return it->get<std::string>();
  };
  const auto integer = [&](const char* key) -> std::optional<std::int64_t> {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) throw InputError(source + ": '" + key + "': expected an integer");
    return it->get<std::int64_t>();
  };
  c.scenario = text(j, "scenario", source);
  c.version = text(j, "version", source);
  if (const auto seed = j.find("seed"); seed != j.end() && !seed->is_null()) {
    if (!seed->is_number_unsigned())
      throw InputError(source + ": 'seed': expected an unsigned integer");
    c.seed = seed->get<std::uint64_t>();
  }
  c.replicates = integer("replicates");
  c.passed = integer("passed");
  c.missed = integer("missed");
  for (std::size_t i = 0; i < targets->size(); ++i) {
    const json& t = (*targets)[i];
    const std::string where = source + ": targets[" + std::to_string(i) + "]";
    if (!t.is_object()) throw InputError(where + ": expected an object");
    CheckTarget target;
    target.metric = text(t, "metric", where);
    if (target.metric.empty()) throw InputError(where + ": missing 'metric'");
    target.source = text(t, "source", where);
    target.lo = optional_number(t, "lo", where);
    target.hi = optional_number(t, "hi", where);
    target.target = optional_number(t, "target", where);
    target.mean = optional_number(t, "mean", where);
    if (std::isnan(target.mean))
      throw InputError(where + " (" + target.metric + "): missing 'mean'");
    target.ci_lo = optional_number(t, "ci_lo", where);
    target.ci_hi = optional_number(t, "ci_hi", where);
    target.sd = optional_number(t, "sd", where);
    if (const auto p = t.find("pass"); p != t.end() && !p->is_null()) {
      if (!p->is_boolean()) throw InputError(where + ".pass: expected true or false");
      target.pass = p->get<bool>();
    }
    if (const auto v = t.find("values"); v != t.end() && !v->is_null()) {
      if (!v->is_array()) throw InputError(where + ".values: expected a list of numbers");
      for (const json& x : *v) {
        if (!x.is_number()) throw InputError(where + ".values: expected a list of numbers");
        target.values.push_back(x.get<double>());
      }
    }
    c.targets.push_back(std::move(target));
  }
  return c;
}

Report check_report(const CheckResult& check, ChartRenderer& charts) {
  Report r;
  r.title =
      "Calibration check: " + (check.scenario.empty() ? std::string("scenario") : check.scenario);
  std::size_t passed = 0;
  for (const CheckTarget& t : check.targets)
    if (target_passed(t)) ++passed;
  const std::size_t missed = check.targets.size() - passed;
  r.subtitle = std::to_string(passed) + " of " + std::to_string(check.targets.size()) +
               " targets met" + (missed > 0 ? ", " + std::to_string(missed) + " missed" : "") + ".";
  if (!check.scenario.empty()) r.facts.emplace_back("Scenario", check.scenario);
  if (check.seed) r.facts.emplace_back("Seed", std::to_string(*check.seed));
  if (check.replicates) r.facts.emplace_back("Replicates", std::to_string(*check.replicates));
  if (!check.version.empty()) r.facts.emplace_back("talentsim version", check.version);
  r.facts.emplace_back("Targets met",
                       std::to_string(passed) + " of " + std::to_string(check.targets.size()));

  Section s = make_section("targets", "Targets against the simulation");
  s.intro =
      "Each row is one calibration target. The green band is the target's range, the "
      "dark tick its central value; the dot is the mean over replicates with its 95% "
      "interval, green when the target is met and red when it is missed; grey dots are the "
      "replicates. Targets differ in scale, so each row is drawn relative to its own band "
      "(0 = low end, 1 = high end); the real values are written to the right.";
  if (check.passed && static_cast<std::size_t>(*check.passed) != passed)
    s.notes.push_back("The file says " + std::to_string(*check.passed) +
                      " passed; its targets' "
                      "pass fields count " +
                      std::to_string(passed) + ".");

  IntervalChart chart;
  chart.x = linear_axis("Position relative to the target band (0 = low end, 1 = high end)");
  double lo = -0.25, hi = 1.25;
  Table t;
  t.header = {"Metric",       "Source", "Target band", "Target", "Mean",
              "95% interval", "sd",     "Replicates",  "Result"};
  t.numeric = {false, false, true, true, true, true, true, true, false};
  for (const CheckTarget& target : check.targets) {
    const Scale scale = scale_of(target);
    const bool good = target_passed(target);
    IntervalChart::Row row;
    row.label = legend_name(target.metric, 44);
    row.band_lo =
        std::isfinite(target.lo) && std::isfinite(target.hi) ? scale(target.lo) : kNoValue;
    row.band_hi =
        std::isfinite(target.lo) && std::isfinite(target.hi) ? scale(target.hi) : kNoValue;
    row.target = std::isfinite(target.target) ? scale(target.target) : kNoValue;
    row.point = scale(target.mean);
    row.lo = std::isfinite(target.ci_lo) ? scale(target.ci_lo) : kNoValue;
    row.hi = std::isfinite(target.ci_hi) ? scale(target.ci_hi) : kNoValue;
    for (const double v : target.values) row.values.push_back(scale(v));
    row.good = good;
    row.annotation = format_value(target.mean);
    if (std::isfinite(target.ci_lo) || std::isfinite(target.ci_hi))
      row.annotation += " (" + interval_text(target.ci_lo, target.ci_hi) + ")";
    row.annotation += " vs " + (std::isfinite(target.lo) && std::isfinite(target.hi)
                                    ? interval_text(target.lo, target.hi)
                                    : format_value(target.target));
    if (scale.basis != "band") row.annotation += " [scale: " + scale.basis + "]";
    for (const double v : {row.point, row.lo, row.hi})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    chart.rows.push_back(std::move(row));

    t.rows.push_back({target.metric, target.source, interval_text(target.lo, target.hi),
                      format_value(target.target), format_value(target.mean),
                      interval_text(target.ci_lo, target.ci_hi), format_value(target.sd),
                      std::to_string(target.values.size()), good ? "pass" : "miss"});
    t.swatches.emplace_back(good ? kPassColour : kMissColour);
  }
  // Far-off rows would squeeze the rest: the axis stops at [-2, 3] band widths and
  // arrows at its edges point to what lies beyond.
  const double pad = 0.05 * (hi - lo);
  chart.x.min = std::max(-2.0, lo - pad);
  chart.x.max = std::min(3.0, hi + pad);
  if (check.targets.empty()) {
    s.notes.emplace_back("The check result has no targets.");
  } else {
    s.figures.push_back({"Targets and simulated intervals", charts.render(chart), ""});
  }
  s.tables.push_back(std::move(t));
  r.sections.push_back(std::move(s));
  r.footer =
      "Written by talentsim report from a `talentsim check` result. Charts drawn by gnuplot.";
  return r;
}

}  // namespace talentsim::report
