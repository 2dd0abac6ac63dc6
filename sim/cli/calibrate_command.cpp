// `talentsim calibrate SCENARIO --free KEY=LO:HI ...`: fits free scenario keys to the
// scenario's `targets:` by the method of simulated moments (include/talentsim/study/
// calibrate.hpp; docs/MODEL.md "Calibration"). Everything is checked before anything
// runs (bad input exits 2); each candidate θ is the scenario loaded with the --set
// overrides and KEY=value for every free key, measured on the same R replicate seeds
// (common random numbers). Writes the calibrated scenario and keeps a checkpoint.
#include <tbb/info.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "cli.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/core/version.hpp"
#include "talentsim/output/atomic_file.hpp"
#include "talentsim/scenario/scenario.hpp"
#include "talentsim/study/calibrate.hpp"
#include "talentsim/study/check.hpp"
#include "talentsim/study/metric.hpp"
#include "talentsim/study/replicates.hpp"

namespace talentsim::cli {
namespace {

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_calibrate_signal(int signal) {
  g_signal = signal;
  std::signal(signal, SIG_DFL);  // a second Ctrl-C ends it at once
}

/// "1.5", "2e+05", "412345.7": short, for tables.
std::string short_number(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "-" : (v > 0 ? "inf" : "-inf");
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

/// Rows of cells as aligned columns (the first left-aligned, the rest right-aligned), each
/// line starting with `prefix`.
std::string aligned(const std::vector<std::vector<std::string>>& rows, const std::string& prefix) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = prefix;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      line += c == 0 ? row[c] + pad : "  " + pad + row[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

/// FNV-1a, for the checkpoint's fingerprint of the resolved scenario.
std::string fnv_hex(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(h));
  return digest;
}

/// One --free KEY=LO:HI.
FreeParameter parse_free(const std::string& text) {
  const std::size_t equals = text.find('=');
  const std::size_t colon =
      equals == std::string::npos ? std::string::npos : text.find(':', equals);
  if (equals == std::string::npos || equals == 0 || colon == std::string::npos)
    throw FlagError("--free " + text + ": expected KEY=LO:HI, e.g. firms.meta.pay.median=3e5:5e5");
  const auto lo = parse_double(std::string_view(text).substr(equals + 1, colon - equals - 1));
  const auto hi = parse_double(std::string_view(text).substr(colon + 1));
  if (!lo || !hi)
    throw FlagError("--free " + text + ": LO and HI must be finite numbers (KEY=LO:HI)");
  FreeParameter p{text.substr(0, equals), *lo, *hi};
  if (!(p.lo < p.hi))
    throw FlagError("--free " + text + ": LO (" + format_double(p.lo) + ") must be below HI (" +
                    format_double(p.hi) + ")");
  if (p.name == "seed")
    throw FlagError("--free " + text +
                    ": the seed is not a parameter (replicate seeds derive from it; use --seed)");
  return p;
}

/// The target a calibration aims at: the value, or the middle of the band.
double target_value(const Target& t) {
  if (t.value) return *t.value;
  const auto band = t.band();
  return 0.5 * (band[0] + band[1]);
}

/// Loads the scenario the flags name with `overrides` (the --set ones, then any free keys).
struct ScenarioSource {
  std::optional<std::filesystem::path> file;  ///< absent: the embedded default

  [[nodiscard]] Scenario load(const std::vector<std::string>& overrides) const {
    if (file) return load_scenario_file(*file, overrides);
    return load_scenario(default_scenario_text(), std::string(kDefaultScenarioSource), overrides);
  }
  [[nodiscard]] std::string shown() const {
    return file ? file->string() : std::string(kDefaultScenarioSource);
  }
};

/// The overrides for a point θ: --set ones, then KEY=value (shortest round-trip text, so the
/// loaded value is θ exactly).
std::vector<std::string> overrides_at(const std::vector<std::string>& sets,
                                      const std::vector<FreeParameter>& box,
                                      const std::vector<double>& theta) {
  std::vector<std::string> out = sets;
  for (std::size_t i = 0; i < box.size(); ++i)
    out.push_back(box[i].name + "=" + format_double(theta[i]));
  return out;
}

// --- The calibrated scenario ----------------------------------------------------------

/// A YAML map built from dotted override keys; `firms.<id>.…` becomes an entry of the
/// firms list, merged by id as `extends:` merges firms.
struct YamlTree {
  std::map<std::string, YamlTree> children;
  std::vector<std::string> order;  ///< keys in the order first given
  std::optional<std::string> value;

  /// Adds KEY=VALUE; false where a key is both a value and a map (then no extends form).
  bool add(const std::string& key, const std::string& text) {
    YamlTree* node = this;
    std::size_t start = 0;
    while (true) {
      if (node->value) return false;
      const std::size_t dot = key.find('.', start);
      const std::string part = key.substr(start, dot == std::string::npos ? dot : dot - start);
      if (part.empty()) return false;
      if (!node->children.contains(part)) node->order.push_back(part);
      node = &node->children[part];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (!node->children.empty()) return false;
    node->value = text;  // a later override of the same key wins, as with --set
    return true;
  }

  void write(std::string& out, int indent, bool firms_level) const {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    for (const std::string& key : order) {
      const YamlTree& child = children.at(key);
      if (firms_level) {  // key is a firm id
        out.append(pad).append("- id: ").append(key).append("\n");
        child.write(out, indent + 2, false);
        continue;
      }
      if (child.value) {
        out.append(pad).append(key).append(": ").append(*child.value).append("\n");
      } else {
        out.append(pad).append(key).append(":\n");
        child.write(out, indent + 2, indent == 0 && key == "firms");
      }
    }
  }
};

/// `extends: BASE` plus the overrides as nested keys; empty when they do not nest.
std::string extends_form(const std::string& base, const std::vector<std::string>& overrides) {
  YamlTree tree;
  for (const std::string& o : overrides) {
    const std::size_t equals = o.find('=');
    if (equals == std::string::npos || o.find('\n') != std::string::npos) return {};
    if (!tree.add(o.substr(0, equals), o.substr(equals + 1))) return {};
  }
  if (tree.children.contains("extends")) return {};
  std::string out = "extends: " + base + "\n";
  tree.write(out, 0, false);
  return out;
}

/// The comment block at the top of the calibrated scenario (and the printed summary).
std::string summary_text(const CalibrationResult& r, const std::vector<Target>& targets,
                         std::size_t budget, std::uint64_t base_seed) {
  std::ostringstream out;
  out << "Method of simulated moments: " << r.replicates << " replicates (seeds from " << base_seed
      << "), " << to_string(r.weighting) << " weights, " << r.evaluations
      << " evaluations in all (search budget " << budget << ", then the Jacobian's "
      << 2 * r.parameters.size();
  if (r.cached > 0) out << "; " << r.cached << " from the checkpoint";
  out << ")\n";
  out << "Objective g'Wg at the estimate: " << short_number(r.objective) << "\n\n";
  std::vector<std::vector<std::string>> params{
      {"parameter", "lo", "hi", "estimate", "asymptotic SE"}};
  for (std::size_t i = 0; i < r.parameters.size(); ++i)
    params.push_back({r.parameters[i].name, short_number(r.parameters[i].lo),
                      short_number(r.parameters[i].hi), short_number(r.theta[i]),
                      short_number(r.standard_errors[i])});
  out << aligned(params, "");
  out << "\nPer-moment fit (simulated: the mean over the replicates; sd: their spread):\n";
  std::vector<std::vector<std::string>> fit{
      {"metric", "target", "simulated", "gap", "sd", "weight", "source"}};
  for (std::size_t k = 0; k < r.fit.size(); ++k)
    fit.push_back({r.fit[k].name, short_number(r.fit[k].target), short_number(r.fit[k].simulated),
                   short_number(r.fit[k].gap), short_number(r.fit[k].replicate_sd),
                   short_number(r.fit[k].weight), k < targets.size() ? targets[k].source : ""});
  out << aligned(fit, "");
  out << "\nIdentification: the Jacobian (moments in their standard deviations, per box width) "
         "has rank "
      << r.rank << " of " << r.parameters.size() << ", condition number "
      << short_number(r.condition) << "; singular values";
  for (const double s : r.singular_values) out << " " << short_number(s);
  out << "\n";
  if (!r.unidentified.empty()) {
    out << "Not identified (moves no moment):";
    for (const auto& name : r.unidentified) out << " " << name;
    out << "\n";
  }
  out << "Standard errors are asymptotic: (1 + 1/R)(J'WJ)^-1 J'W Omega W J (J'WJ)^-1, with J the "
         "finite-difference Jacobian\n";
  for (const auto& note : r.notes) out << "Note: " << note << "\n";
  return out.str();
}

std::string commented(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += line.empty() ? "#\n" : "# " + line + "\n";
  return out;
}

/// Writes the calibrated scenario: `extends:` the original with the fitted keys when that
/// reads back as exactly the fitted scenario, else the fully resolved scenario.
/// @return whether the extends form was written
bool write_calibrated(const std::filesystem::path& out, const ScenarioSource& source,
                      const std::vector<std::string>& overrides, const Scenario& fitted,
                      const std::string& header) {
  namespace fs = std::filesystem;
  const std::string want = to_yaml(fitted);
  std::string base = "default";
  if (source.file) {
    std::error_code ec;
    const fs::path dir = fs::absolute(out).parent_path();
    const fs::path rel = fs::relative(fs::absolute(*source.file), dir, ec);
    base = ec || rel.empty() ? fs::absolute(*source.file).string() : rel.generic_string();
  }
  std::string text = extends_form(base, overrides);
  if (!text.empty()) {
    // Keep the extends form only if it reads back as exactly the fitted scenario: written
    // beside the output, so that its relative `extends:` resolves as the output's will.
    const fs::path probe = fs::path(out.string() + ".probe-" + std::to_string(::getpid()));
    bool same = false;
    try {
      {
        AtomicFile file(probe);
        file.write(text);
        file.commit();
      }
      same = to_yaml(load_scenario_file(probe)) == want;
    } catch (const Error&) {
      same = false;
    }
    std::error_code ec;
    fs::remove(probe, ec);
    if (!same) text.clear();
  }
  const bool extended = !text.empty();
  AtomicFile file(out);
  file.write(header + (extended ? text : want));
  file.commit();
  return extended;
}

}  // namespace

std::string shell_quoted(std::string_view arg) {
  const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_./=:+,@%-").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(arg);
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CLI::App* add_calibrate_command(CLI::App& app, CalibrateOptions& options) {
  auto* cmd = app.add_subcommand(
      "calibrate",
      "Fit free scenario keys to the scenario's targets (method of simulated moments)");
  cmd->add_option("scenario", options.scenario,
                  "Scenario YAML file with targets:, or 'default' for the embedded one")
      ->required()
      ->type_name("FILE|default");
  cmd->add_option("--free", options.free,
                  "A free key and its box: KEY=LO:HI, e.g. firms.meta.pay.median=3e5:5e5 "
                  "(repeat for each)")
      ->type_name("KEY=LO:HI")
      ->allow_extra_args(false)
      ->required();
  cmd->add_option("--replicates", options.replicates,
                  "Replicates per candidate, the same seeds at every one (default 10)")
      ->type_name("UINT");
  cmd->add_option("--budget", options.budget,
                  "Evaluations for the search: a third screen the box, the rest polish "
                  "(default 60; the Jacobian's 2 per key come on top)")
      ->type_name("UINT");
  cmd->add_option("--weights", options.weights,
                  "identity | diagonal (1/se^2 or 1/replicate variance; default) | optimal "
                  "(two-step)")
      ->type_name("W");
  cmd->add_option("--out", options.out,
                  "Calibrated scenario to write (default <name>-calibrated.yaml); the "
                  "checkpoint is <out>.checkpoint.json")
      ->type_name("FILE");
  cmd->add_flag("--resume", options.resume,
                "Continue from the checkpoint: evaluations it holds are not run again");
  cmd->add_option("--jobs", options.jobs, "Replicates run at once (default: all cores)")
      ->type_name("UINT");
  cmd->add_option("--seed", options.seed,
                  "Base seed of the replicate seeds and the screen (default: the scenario's)")
      ->type_name("UINT");
  cmd->add_option("--set", options.sets, "Override a scenario key: KEY=VALUE (not a free one)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  cmd->add_flag("--quiet", options.quiet, "No progress on stderr");
  return cmd;
}

int calibrate(const CalibrateOptions& options) {
  namespace fs = std::filesystem;
  ScenarioSource source;
  std::vector<std::string> sets = options.sets;
  std::vector<FreeParameter> box;
  std::vector<Target> targets;
  std::vector<Metric> metrics;
  std::vector<MomentTarget> moments;
  Scenario base;
  CalibrationOptions calibration;
  std::size_t replicates = 10;
  std::size_t jobs = static_cast<std::size_t>(tbb::info::default_concurrency());
  std::int64_t run_weeks = 0;  ///< weeks the runs go on to, when targets read past `ticks`
  fs::path out;
  try {
    if (options.scenario != "default") source.file = options.scenario;
    if (options.replicates)
      replicates = flag_value<std::size_t>("--replicates", *options.replicates, 1, 100'000);
    if (options.budget)
      calibration.budget = flag_value<std::size_t>("--budget", *options.budget, 1, 1'000'000);
    if (options.jobs) jobs = flag_value<std::size_t>("--jobs", *options.jobs, 1, 4096);
    if (options.seed)
      sets.push_back("seed=" + std::to_string(flag_value<std::uint64_t>("--seed", *options.seed, 0,
                                                                        ~std::uint64_t{0})));
    const auto weighting = parse_weighting(options.weights);
    if (!weighting)
      throw FlagError("--weights: expected identity, diagonal or optimal, got '" + options.weights +
                      "'");
    calibration.weighting = *weighting;
    for (const auto& text : options.free) box.push_back(parse_free(text));
    validate_box(box);  // duplicates
    for (const auto& p : box)
      for (const auto& s : sets)
        if (s.substr(0, s.find('=')) == p.name)
          throw FlagError("--free " + p.name + ": the key is also given by --set " + s +
                          "; a key is either fixed or free");

    base = source.load(sets);
    if (base.targets.empty())
      throw FlagError(source.shown() +
                      ": the scenario has no targets: to calibrate against (see "
                      "docs/MODEL.md \"Measuring a run\")");
    targets = base.targets;
    // Targets may read weeks after the scenario's last (two-year retention of hires): as
    // `check` does, the runs go on to the last week a target reads -- the model never reads
    // `ticks`, so earlier weeks are unchanged -- unless --set ticks= says how long.
    const bool ticks_set = std::any_of(
        sets.begin(), sets.end(), [](const std::string& s) { return s.rfind("ticks=", 0) == 0; });
    for (const Target& t : targets) metrics.push_back(parse_metric(t.metric));
    if (!ticks_set) run_weeks = weeks_targets_read(base);
    Scenario measured = base;
    measured.ticks = std::max(base.ticks, run_weeks);
    for (const Metric& m : metrics) check_metric(m, measured);
    for (const Target& t : targets) moments.push_back({t.metric, target_value(t), t.se});
    // Every free key must load at both ends of its box and in the middle: the key exists,
    // takes a number, and the box lies inside its allowed range.
    for (const auto& p : box) {
      for (const double v : {p.lo, p.hi, 0.5 * (p.lo + p.hi)}) {
        std::vector<std::string> o = sets;
        o.push_back(p.name + "=" + format_double(v));
        try {
          (void)source.load(o);
        } catch (const ScenarioError& e) {
          throw FlagError("--free " + p.name + "=" + format_double(p.lo) + ":" +
                          format_double(p.hi) + ": at " + format_double(v) + ": " + e.what());
        }
      }
    }
    out = options.out ? fs::path(*options.out) : fs::path(base.name + "-calibrated.yaml");
    if (out.empty()) throw FlagError("--out: the file name is empty");
    std::error_code ec;
    if (fs::is_directory(out, ec))
      throw FlagError("--out " + out.string() + ": is a folder; give a file name");
    const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
      throw FlagError("--out " + out.string() + ": folder " + parent.string() + " does not exist");
  } catch (const FlagError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const CalibrationError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  }

  const std::vector<std::uint64_t> seeds = replicate_seeds(base.seed, replicates);
  const fs::path checkpoint = fs::path(out.string() + ".checkpoint.json");
  calibration.seed = base.seed;
  // The points of a batch run one after another (an evaluation's replicates run --jobs at
  // once), so a batch of one checkpoints after every evaluation at no cost.
  calibration.batch_size = 1;
  calibration.checkpoint = checkpoint;
  calibration.resume = options.resume;
  calibration.context = "scenario " + fnv_hex(to_yaml(base)) + ", " + std::to_string(replicates) +
                        " replicates from seed " + std::to_string(base.seed);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const bool show = !options.quiet;
  if (show && run_weeks > base.ticks)
    std::cerr << "talentsim: note: runs go on to week " << run_weeks << " (the scenario ends at "
              << base.ticks << ") for targets that read later weeks; earlier weeks are the same "
              << "as in a " << base.ticks << "-week run\n";
  std::string stage_line;
  calibration.progress = [&](const CalibrationProgress& p) {
    if (!show) return;
    std::ostringstream line;
    if (p.stage == "jacobian")
      line << "calibrate: jacobian at the estimate, " << 2 * box.size() << " evaluations more";
    else
      line << "calibrate: " << p.stage << ", " << p.evaluations << "/" << p.budget
           << " evaluations";
    if (p.cached > 0) line << " (" << p.cached << " from the checkpoint)";
    line << ", best objective " << short_number(p.best_objective);
    stage_line = line.str();
    std::cerr << (tty ? "\r\033[K" : "") << stage_line << (tty ? "" : "\n") << std::flush;
  };
  const std::function<void(std::size_t, std::size_t)> replicate_progress = [&](std::size_t done,
                                                                               std::size_t total) {
    if (!show || !tty) return;
    std::cerr << "\r\033[K" << stage_line << " [replicate " << done << "/" << total << "]"
              << std::flush;
  };
  const MomentFunction moment_function = [&](const std::vector<std::vector<double>>& batch) {
    std::vector<ReplicateMoments> results;
    for (const auto& theta : batch) {
      if (g_signal != 0) throw Cancelled();
      Scenario at;
      try {
        at = source.load(overrides_at(sets, box, theta));
        at.ticks = std::max(at.ticks, run_weeks);
      } catch (const ScenarioError& e) {
        std::string where;
        for (std::size_t i = 0; i < box.size(); ++i)
          where += (where.empty() ? "" : ", ") + box[i].name + "=" + format_double(theta[i]);
        throw CalibrationError("the scenario is invalid at " + where + ": " + e.what() +
                               "; narrow the box");
      }
      results.push_back(simulate_metrics(at, metrics, seeds, jobs, replicate_progress));
    }
    return results;
  };

  std::signal(SIGINT, on_calibrate_signal);
  std::signal(SIGTERM, on_calibrate_signal);
  try {
    if (show && options.resume && !fs::exists(checkpoint))
      std::cerr << "calibrate: no checkpoint at " << checkpoint.string() << "; starting afresh\n";
    const CalibrationResult result =
        talentsim::calibrate(box, moments, moment_function, calibration);
    if (show && tty) std::cerr << "\n";
    const Scenario fitted = source.load(overrides_at(sets, box, result.theta));
    const std::string summary = summary_text(result, targets, calibration.budget, base.seed);
    const std::string header = commented("Calibrated by talentsim " + std::string(version()) +
                                         ":\n  " + options.command_line + "\n\n" + summary) +
                               "\n";
    const bool extended =
        write_calibrated(out, source, overrides_at(sets, box, result.theta), fitted, header);
    std::cout << summary << "\ntalentsim: wrote " << out.string()
              << (extended ? " (extends " + source.shown() + ")" : " (the resolved scenario)")
              << "; checkpoint " << checkpoint.string() << "\n";
    return kExitOk;
  } catch (const Cancelled&) {
    std::cerr << "\ntalentsim: interrupted; the evaluations done are kept in "
              << checkpoint.string() << ": rerun with --resume to continue\n";
    return 128 + (g_signal != 0 ? static_cast<int>(g_signal) : SIGINT);
  } catch (const CalibrationError& e) {
    std::cerr << (show && tty ? "\n" : "") << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ScenarioError& e) {
    std::cerr << (show && tty ? "\n" : "") << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "\ntalentsim: error: out of memory\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    std::cerr << (show && tty ? "\n" : "") << "talentsim: error: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace talentsim::cli
