// `talentsim metrics RUN_DIR EXPR...`: metrics (include/talentsim/study/metric.hpp) of a
// finished run, read back from its CSV files; `--list` prints the vocabulary.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/study/metric.hpp"
#include "talentsim/study/record.hpp"

namespace talentsim::cli {
namespace {

/// The error, then the metric with a caret under the column.
void print_metric_error(const MetricError& e) {
  std::cerr << "talentsim: error: " << e.what() << "\n";
  std::cerr << "  " << e.text() << "\n";
  std::cerr << "  " << std::string(static_cast<std::size_t>(std::max(e.column(), 1) - 1), ' ')
            << "^\n";
}

/// Shortest text that reads back as exactly `x`, in fixed notation while that stays
/// short ("400000", not "4e+05"); NaN (undefined) as "NaN".
std::string shown(double x) {
  if (std::isnan(x)) return "NaN";
  if (x == 0.0 || (std::fabs(x) >= 1e-4 && std::fabs(x) < 1e15)) {
    char buffer[64];
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed);
    if (error == std::errc()) return std::string(buffer, end);
  }
  return format_double(x);
}

}  // namespace

CLI::App* add_metrics_command(CLI::App& app, MetricsOptions& options) {
  auto* cmd = app.add_subcommand(
      "metrics", "Evaluate metrics (e.g. 'median_salary(meta, week=0)') on a finished run");
  cmd->add_option("run_dir", options.run_dir, "A run's output folder")->type_name("RUN_DIR");
  cmd->add_option("expressions", options.expressions,
                  "Metrics to evaluate; `talentsim metrics --list` lists them")
      ->type_name("EXPR");
  cmd->add_flag("--json", options.json, "Print one JSON object");
  cmd->add_flag("--list", options.list, "List every metric and series with its meaning");
  cmd->add_flag("--markdown", options.markdown,
                "With --list: as the Markdown tables of docs/MODEL.md");
  return cmd;
}

int metrics(const MetricsOptions& options) {
  if (options.list && options.markdown) {
    std::cout << metric_reference();
    return kExitOk;
  }
  if (options.list) {
    std::cout << "Metrics (S: a firm id, startups, or market; G: all, top, published or "
                 "leaders; K: departures, quits or separations):\n\n";
    for (const MetricDoc& d : metric_vocabulary())
      std::cout << "  " << d.usage << "\n      " << d.meaning << "\n";
    std::cout << "\nSeries, for sum() (flows only), value() and first_week():\n\n";
    for (const MetricDoc& d : series_vocabulary())
      std::cout << "  " << d.usage << "\n      " << d.meaning << "\n";
    std::cout << "\nweek=W is the state at the end of week W (0: the initial state). weeks=A..B "
                 "sums flows over weeks A..B inclusive; week 0 has no flows, so 0..52 is weeks "
                 "1..52. cohort_loss and headcount_growth compare the ends of weeks A and B.\n";
    return kExitOk;
  }
  if (options.run_dir.empty() || options.expressions.empty()) {
    std::cerr << "talentsim: error: metrics needs a run folder and at least one metric, e.g. "
                 "talentsim metrics RUN_DIR 'median_salary(meta, week=0)' "
                 "(or --list)\n";
    return kExitBadInput;
  }
  std::vector<Metric> parsed;
  try {
    for (const std::string& text : options.expressions) parsed.push_back(parse_metric(text));
  } catch (const MetricError& e) {
    print_metric_error(e);
    return kExitBadInput;
  }
  try {
    const RunRecord record = read_run_folder(options.run_dir);
    std::vector<double> values;
    values.reserve(parsed.size());
    for (const Metric& m : parsed) values.push_back(evaluate(m, record));
    if (options.json) {
      nlohmann::ordered_json out;
      out["run"] = options.run_dir;
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < parsed.size(); ++i)
        list.push_back({{"metric", parsed[i].text},
                        {"value", std::isnan(values[i]) ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(values[i])}});
      out["metrics"] = std::move(list);
      std::cout << out.dump(2) << "\n";
    } else {
      for (std::size_t i = 0; i < parsed.size(); ++i)
        std::cout << parsed[i].text << " = " << shown(values[i]) << "\n";
    }
    return kExitOk;
  } catch (const MetricError& e) {
    print_metric_error(e);
    return kExitBadInput;
  } catch (const ScenarioError& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "talentsim: error: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace talentsim::cli
