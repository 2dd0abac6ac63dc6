// The run-folder adapter: load_run() reads and checks every file first (so bad input
// fails before anything is drawn), run_report() draws.
#include "talentsim/report/run_report.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "format.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/report/csv.hpp"

namespace talentsim::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Columns of timeseries.csv the report uses; the first ones are in every run's file
// (the command-line contract), the others only in newer runs.
constexpr std::array<std::string_view, 7> kRequiredTimeseries{
    "tick",          "firm",      "headcount", "top_headcount", "published_headcount",
    "median_salary", "departures"};
constexpr std::array<std::string_view, 13> kOptionalTimeseries{"hires",
                                                               "top_departures",
                                                               "published_departures",
                                                               "leader_headcount",
                                                               "leader_departures",
                                                               "top_quits",
                                                               "top_separations",
                                                               "published_quits",
                                                               "published_separations",
                                                               "leader_quits",
                                                               "leader_separations",
                                                               "counteroffers",
                                                               "counteroffers_won"};

// The departures split by group and by kind, as (group, departures, quits, separations).
struct DepartureColumns {
  std::string_view group, departures, quits, separations;
};
constexpr std::array<DepartureColumns, 3> kDepartureColumns{
    DepartureColumns{"Top talent", "top_departures", "top_quits", "top_separations"},
    DepartureColumns{"Published", "published_departures", "published_quits",
                     "published_separations"},
    DepartureColumns{"Leaders", "leader_departures", "leader_quits", "leader_separations"}};

// The starting cohort's groups in cohorts.csv, and how the report names them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kCohortGroups{
    std::pair<std::string_view, std::string_view>{"all", "All researchers"},
    {"top", "Top talent"},
    {"published", "Published researchers"},
    {"leaders", "Leaders"}};

constexpr int kRollingWeeks = 13;

std::string read_text(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw InputError(path.string() + ": no such file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path.string() + ": cannot read");
  return text.str();
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
// without its bracketed prefix.
std::string json_problem(const std::exception& e) {
  std::string what = e.what();
  const std::size_t close = what.find("] ");
  return close != std::string::npos && what.starts_with("[json") ? what.substr(close + 2) : what;
}

// ---------------------------------------------------------------------------
// summary.json
// ---------------------------------------------------------------------------

double json_number(const json& j, std::string_view key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : kNoValue;
}

void load_summary(const fs::path& path, RunData& run) {
  const std::string where = path.string();
  json j;
  try {
    j = json::parse(read_text(path));
  } catch (const json::exception& e) {
    throw InputError(where + ": malformed JSON: " + json_problem(e));
  }
  if (!j.is_object()) throw InputError(where + ": expected a JSON object");
  const auto text = [&](const json& o, const char* key, bool required) -> std::string {
    const auto it = o.find(key);
    if (it != o.end() && it->is_string()) return it->get<std::string>();
    if (required) throw InputError(where + ": missing or non-text '" + key + "'");
    return {};
  };
  run.scenario = text(j, "scenario", true);
  run.description = text(j, "description", false);
  run.version = text(j, "version", false);
  run.state_hash = text(j, "state_hash", false);
  const auto seed = j.find("seed");
  if (seed == j.end() || !seed->is_number_unsigned())
    throw InputError(where + ": missing 'seed' (expected an unsigned integer)");
  run.seed = seed->get<std::uint64_t>();
  for (const auto& [key, field] : {std::pair<const char*, std::int64_t*>{"ticks", &run.ticks},
                                   {"researchers", &run.researchers}})
    if (const auto it = j.find(key); it != j.end() && it->is_number_integer())
      *field = it->get<std::int64_t>();
  const auto firms = j.find("firms");
  if (firms == j.end() || !firms->is_array())
    throw InputError(where + ": missing 'firms' (expected a list)");
  for (std::size_t i = 0; i < firms->size(); ++i) {
    const json& f = (*firms)[i];
    if (!f.is_object())
      throw InputError(where + ": firms[" + std::to_string(i) + "] is not an object");
    RunGroup g;
    g.id = text(f, "id", true);
    g.name = text(f, "name", false);
    if (g.name.empty()) g.name = g.id;
    g.annualised_attrition = json_number(f, "annualised_attrition");
    if (const auto c = f.find("cohort"); c != f.end() && c->is_object()) {
      // A share of nobody (startups have no starting staff) is no share.
      const auto kept = [&](const char* share, const char* initial) {
        const double n = json_number(*c, initial);
        return n > 0 || std::isnan(n) ? json_number(*c, share) : kNoValue;
      };
      g.cohort_kept = kept("retained_share", "initial");
      g.top_cohort_kept = kept("top_retained_share", "top_initial");
      g.published_cohort_kept = kept("published_retained_share", "published_initial");
    }
    run.groups.push_back(std::move(g));
  }
}

// ---------------------------------------------------------------------------
// scenario.yaml: the events (read with yaml-cpp rather than the strict scenario
// loader, so that a run written by an older or newer talentsim still reports)
// ---------------------------------------------------------------------------

std::string yaml_scalar_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsSequence()) {
    std::string s = "[";
    for (std::size_t i = 0; i < node.size(); ++i)
      s += (i > 0 ? ", " : "") + yaml_scalar_text(node[i]);
    return s + "]";
  }
  if (node.IsMap()) {
    std::string s;
    for (const auto& kv : node)
      s += (s.empty() ? "" : ", ") + kv.first.Scalar() + ": " + yaml_scalar_text(kv.second);
    return s;
  }
  return {};
}

void load_events(const fs::path& path, RunData& run) {
  const std::string where = path.string();
  try {
    const YAML::Node root = YAML::Load(read_text(path));
    if (!root.IsMap()) throw InputError(where + ": expected a YAML map (a resolved scenario)");
    const YAML::Node events = root["events"];
    if (!events || events.IsNull()) return;
    if (!events.IsSequence())
      throw InputError(where + ":" + std::to_string(events.Mark().line + 1) +
                       ": 'events' is not a list");
    for (std::size_t i = 0; i < events.size(); ++i) {
      const YAML::Node e = events[i];
      const std::string at = where + ":" + std::to_string(e.Mark().line + 1);
      if (!e.IsMap()) throw InputError(at + ": events[" + std::to_string(i) + "] is not a map");
      const YAML::Node week = e["week"];
      const std::optional<std::int64_t> w =
          week && week.IsScalar() ? parse_int(week.Scalar()) : std::nullopt;
      if (!w)
        throw InputError(at + ": events[" + std::to_string(i) + "]: 'week' is not an integer");
      RunEvent event;
      event.week = *w;
      if (e["type"] && e["type"].IsScalar()) event.type = e["type"].Scalar();
      if (e["firm"] && e["firm"].IsScalar()) event.firm = e["firm"].Scalar();
      for (const auto& kv : e) {
        const std::string key = kv.first.Scalar();
        if (key == "week" || key == "type" || key == "firm") continue;
        event.detail +=
            (event.detail.empty() ? "" : "; ") + key + ": " + yaml_scalar_text(kv.second);
      }
      run.events.push_back(std::move(event));
    }
  } catch (const YAML::Exception& e) {
    throw InputError(where + ":" + std::to_string(e.mark.line + 1) + ": malformed YAML: " + e.msg);
  }
  std::stable_sort(run.events.begin(), run.events.end(),
                   [](const RunEvent& a, const RunEvent& b) { return a.week < b.week; });
}

// ---------------------------------------------------------------------------
// CSVs
// ---------------------------------------------------------------------------

void load_timeseries(const fs::path& path, RunData& run) {
  const CsvTable t = CsvTable::read(path);
  for (const std::string_view c : kRequiredTimeseries) t.require({c});
  std::vector<std::string_view> columns;
  for (const std::string_view c : kRequiredTimeseries)
    if (c != "tick" && c != "firm") columns.push_back(c);
  for (const std::string_view c : kOptionalTimeseries)
    if (t.has(c)) columns.push_back(c);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& firm = t.text(r, "firm");
    if (firm.empty())
      throw InputError(t.source() + ":" + std::to_string(t.line(r)) + ": column 'firm' is empty");
    auto g = std::find_if(run.groups.begin(), run.groups.end(),
                          [&](const RunGroup& x) { return x.id == firm; });
    if (g == run.groups.end()) {
      RunGroup added;
      added.id = firm;
      added.name = firm;
      run.groups.push_back(std::move(added));
      g = run.groups.end() - 1;
    }
    g->weekly.week.push_back(t.number(r, "tick"));
    for (const std::string_view c : columns) {
      // Medians of an empty group may be written empty.
      const double v =
          c == "median_salary" ? t.optional_number(r, c).value_or(kNoValue) : t.number(r, c);
      auto it = g->weekly.values.find(c);
      if (it == g->weekly.values.end())
        it = g->weekly.values.emplace(std::string(c), std::vector<double>{}).first;
      it->second.push_back(v);
    }
  }
  if (t.rows() == 0) throw InputError(t.source() + ": no rows");
}

void load_market(const fs::path& path, RunData& run) {
  const CsvTable t = CsvTable::read(path);
  t.require({"tick", "employed", "between_jobs", "top_talent_hhi"});
  for (std::size_t r = 0; r < t.rows(); ++r) {
    run.market.week.push_back(t.number(r, "tick"));
    for (const std::string_view c : {"employed", "between_jobs", "top_talent_hhi"})
      run.market.values[std::string(c)].push_back(t.number(r, c));
  }
}

void load_flows(const fs::path& path, RunData& run) {
  const CsvTable t = CsvTable::read(path);
  t.require({"from", "to", "count"});
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Flow f{t.text(r, "from"), t.text(r, "to"), t.number(r, "count")};
    if (f.from.empty() || f.to.empty())
      throw InputError(t.source() + ":" + std::to_string(t.line(r)) + ": empty place name");
    if (f.count < 0)
      throw InputError(t.source() + ":" + std::to_string(t.line(r)) + ": column 'count': negative");
    run.flows.push_back(std::move(f));
  }
}

void load_cohorts(const fs::path& path, RunData& run) {
  const CsvTable t = CsvTable::read(path);
  t.require({"firm", "group", "kind", "week", "size"});
  std::vector<std::pair<int, std::string>> later;  // at_<N> columns
  for (const std::string& c : t.columns())
    if (c.starts_with("at_"))
      if (const auto n = parse_int(std::string_view(c).substr(3)); n && *n > 0 && *n < 100000)
        later.emplace_back(static_cast<int>(*n), c);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    CohortRow row{t.text(r, "firm"),   t.text(r, "group"),  t.text(r, "kind"),
                  t.number(r, "week"), t.number(r, "size"), {}};
    for (const auto& [weeks, column] : later)
      if (const auto v = t.optional_number(r, column)) row.kept[weeks] = *v;
    run.cohorts.push_back(std::move(row));
  }
  run.has_cohorts = true;
}

void load_offers(const fs::path& path, RunData& run) {
  const CsvTable t = CsvTable::read(path);
  t.require({"tick", "firm"});
  for (std::size_t r = 0; r < t.rows(); ++r) {
    WeeklyTable& w = run.offers[t.text(r, "firm")];
    w.week.push_back(t.number(r, "tick"));
    for (const std::string_view c :
         {"offers", "accepted", "countered", "median_offer", "mean_offer"})
      if (t.has(c)) w.values[std::string(c)].push_back(t.optional_number(r, c).value_or(kNoValue));
  }
  run.has_offers = true;
}

// ---------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------

// What every weekly chart of a run shares: firm colours (by group order), event markers.
class RunCharts {
 public:
  RunCharts(const RunData& run, ChartRenderer& charts) : run_(run), charts_(charts) {
    for (std::size_t i = 0; i < run.events.size(); ++i) {
      const auto x = static_cast<double>(run.events[i].week);
      const std::string label = "E" + std::to_string(i + 1);
      if (!markers_.empty() && markers_.back().x == x)
        markers_.back().label += "," + label;
      else
        markers_.push_back({x, label});
    }
    for (const RunGroup& g : run.groups)
      for (const double w : g.weekly.week)
        first_week_ = std::min(first_week_, w), last_week_ = std::max(last_week_, w);
    if (!std::isfinite(first_week_)) first_week_ = 0, last_week_ = 1;
  }

  [[nodiscard]] LineChart weekly(const Axis& y) const {
    LineChart c;
    c.x = linear_axis("Week", first_week_, last_week_);
    c.y = y;
    c.markers = markers_;
    return c;
  }

  // One line per group: f(group) gives the y values (empty: the group is left out).
  template <class F>
  LineChart per_group(const Axis& y, F&& values) const {
    LineChart c = weekly(y);
    for (std::size_t i = 0; i < run_.groups.size(); ++i) {
      const RunGroup& g = run_.groups[i];
      std::vector<double> v = values(g);
      if (v.empty()) continue;
      c.series.push_back(line_series(legend_name(g.name), palette_colour(i), g.weekly.week,
                                     std::move(v), palette_dash(i)));
    }
    return c;
  }

  std::string render(const LineChart& c) { return charts_.render(c); }
  std::string render(const BarChart& c) { return charts_.render(c); }
  std::string render(const HeatMap& c) { return charts_.render(c); }
  [[nodiscard]] bool has_markers() const { return !markers_.empty(); }

 private:
  const RunData& run_;
  ChartRenderer& charts_;
  std::vector<Marker> markers_;
  double first_week_ = std::numeric_limits<double>::infinity();
  double last_week_ = -std::numeric_limits<double>::infinity();
};

std::vector<double> column_or_empty(const RunGroup& g, std::string_view name) {
  const std::vector<double>* c = g.weekly.column(name);
  return c != nullptr ? *c : std::vector<double>{};
}

double first_of(const std::vector<double>* v) {
  return v != nullptr && !v->empty() ? v->front() : kNoValue;
}
double last_of(const std::vector<double>* v) {
  return v != nullptr && !v->empty() ? v->back() : kNoValue;
}

double sum_of(const std::vector<double>* v) {
  double s = 0;
  if (v != nullptr)
    for (const double x : *v) s += x;
  return v != nullptr ? s : kNoValue;
}

const std::string kEventsCaption =
    "Dashed lines: the scenario's events (E1, E2, ... in the Events section).";

Section overview_section(const RunData& run) {
  Section s = make_section("overview", "Firms");
  s.intro =
      "Each firm keeps its colour in every chart. Start and end are the first and last "
      "week of timeseries.csv; attrition and the starting staff kept are from summary.json.";
  Table t;
  t.header = {"Firm",
              "id",
              "Headcount",
              "Top talent",
              "Median pay",
              "Attrition / year",
              "Starting staff kept (top, published)"};
  t.numeric = {false, false, true, true, true, true, true};
  for (std::size_t i = 0; i < run.groups.size(); ++i) {
    const RunGroup& g = run.groups[i];
    const auto* h = g.weekly.column("headcount");
    const auto* top = g.weekly.column("top_headcount");
    const auto* pay = g.weekly.column("median_salary");
    const auto* heads = g.weekly.column("headcount");
    // Median pay at the first and last week with anyone there.
    double pay_start = kNoValue, pay_end = kNoValue;
    if (pay != nullptr && heads != nullptr)
      for (std::size_t k = 0; k < pay->size(); ++k)
        if ((*heads)[k] > 0 && std::isfinite((*pay)[k])) {
          if (std::isnan(pay_start)) pay_start = (*pay)[k];
          pay_end = (*pay)[k];
        }
    std::string kept = format_percent(g.cohort_kept);
    if (std::isfinite(g.top_cohort_kept) || std::isfinite(g.published_cohort_kept))
      kept += " (" + format_percent(g.top_cohort_kept) + ", " +
              format_percent(g.published_cohort_kept) + ")";
    t.rows.push_back({g.name, g.id,
                      format_count(first_of(h)) + " \u2192 " + format_count(last_of(h)),
                      format_count(first_of(top)) + " \u2192 " + format_count(last_of(top)),
                      format_money_k(pay_start) + " \u2192 " + format_money_k(pay_end),
                      format_percent(g.annualised_attrition), kept});
    t.swatches.push_back(palette_colour(i));
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section events_section(const RunData& run) {
  Section s = make_section("events", "Events");
  if (run.events.empty()) {
    s.notes.emplace_back("The scenario has no events.");
    return s;
  }
  s.intro = "From scenario.yaml. Each is marked on the weekly charts by a dashed line at its week.";
  Table t;
  t.header = {"", "Week", "Type", "Firm", "What"};
  t.numeric = {false, true, false, false, false};
  for (std::size_t i = 0; i < run.events.size(); ++i) {
    const RunEvent& e = run.events[i];
    t.rows.push_back({"E" + std::to_string(i + 1), std::to_string(e.week), e.type,
                      e.firm.empty() ? "(market)" : e.firm, e.detail});
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section headcount_section(RunCharts& charts) {
  Section s = make_section("headcount", "Headcount");
  s.intro =
      "Researchers employed by each firm (and by all startups together) at the end of each "
      "week. Log scale, so that small and large employers can be read on one chart.";
  const LineChart c = charts.per_group(log_axis("Researchers (log scale)"), [](const RunGroup& g) {
    return column_or_empty(g, "headcount");
  });
  s.figures.push_back(
      {"Headcount per firm", charts.render(c), charts.has_markers() ? kEventsCaption : ""});
  return s;
}

Section groups_section(const RunData& run, RunCharts& charts) {
  Section s = make_section("talent", "Top talent, published researchers and leaders");
  s.intro = "The same, for each group of researchers the model tracks. Log scale.";
  bool has_leaders = false;
  for (const RunGroup& g : run.groups)
    has_leaders = has_leaders || g.weekly.column("leader_headcount") != nullptr;
  const std::array<std::tuple<std::string_view, const char*, const char*>, 3> groups{
      std::tuple<std::string_view, const char*, const char*>{"top_headcount", "Top talent",
                                                             "Top-talent researchers (log scale)"},
      {"published_headcount", "Published researchers", "Published researchers (log scale)"},
      {"leader_headcount", "Leaders", "Leaders (log scale)"}};
  for (const auto& [column, title, label] : groups) {
    if (column == "leader_headcount" && !has_leaders) {
      s.notes.emplace_back(
          "No leaders chart: timeseries.csv has no leader_headcount column (a run written "
          "before leaders were counted).");
      continue;
    }
    const LineChart c = charts.per_group(
        log_axis(label), [&, col = column](const RunGroup& g) { return column_or_empty(g, col); });
    s.figures.push_back({title, charts.render(c), ""});
  }
  return s;
}

Section pay_section(RunCharts& charts) {
  Section s = make_section("pay", "Pay");
  s.intro =
      "Median pay of each firm's researchers, USD thousand a year (weeks when a group is "
      "empty are left out).";
  const LineChart c =
      charts.per_group(linear_axis("Median pay (USD thousand / year)", 0.0), [](const RunGroup& g) {
        std::vector<double> pay = column_or_empty(g, "median_salary");
        const std::vector<double> heads = column_or_empty(g, "headcount");
        for (std::size_t k = 0; k < pay.size(); ++k)
          pay[k] = k < heads.size() && heads[k] > 0 ? pay[k] / 1000.0 : kNoValue;
        return pay;
      });
  s.figures.push_back(
      {"Median pay per firm", charts.render(c), charts.has_markers() ? kEventsCaption : ""});
  return s;
}

// Departures over the trailing window per mean headcount, per year.
std::vector<double> rolling_attrition(const RunGroup& g) {
  const std::vector<double> dep = column_or_empty(g, "departures");
  const std::vector<double> heads = column_or_empty(g, "headcount");
  std::vector<double> out(dep.size(), kNoValue);
  for (std::size_t k = 0; k < dep.size() && k < heads.size(); ++k) {
    if (k + 1 < static_cast<std::size_t>(kRollingWeeks)) continue;
    double d = 0, h = 0;
    for (std::size_t j = k + 1 - kRollingWeeks; j <= k; ++j) d += dep[j], h += heads[j];
    h /= kRollingWeeks;
    // Groups of a few dozen people give rates that are mostly noise.
    if (h >= 50) out[k] = 100.0 * d / h * (52.0 / kRollingWeeks);
  }
  return out;
}

Section attrition_section(const RunData& run, RunCharts& charts) {
  Section s = make_section("attrition", "Attrition and retention");
  s.intro =
      "Attrition is departures per researcher-year. The starting staff kept are the "
      "researchers at a firm at the start who are still there at the end, never having left.";
  const LineChart rolling = charts.per_group(
      linear_axis("Departures per 100 researchers a year", 0.0), rolling_attrition);
  s.figures.push_back({"Attrition, " + std::to_string(kRollingWeeks) + "-week rolling",
                       charts.render(rolling),
                       "Departures over the last " + std::to_string(kRollingWeeks) +
                           " weeks over the mean headcount, annualised; from week " +
                           std::to_string(kRollingWeeks) + ", groups under 50 people left out."});

  BarChart bars;
  bars.value = linear_axis("Departures per 100 researchers a year (whole run)");
  bars.value_format = "%.1f";
  BarChart kept;
  kept.value =
      linear_axis("Share of the starting staff still there at the end (%)", kNoValue, 100.0);
  kept.value_format = "%.0f%%";
  kept.groups = {{"All", "#33475b", {}, {}},
                 {"Top talent", "#6f8fb0", {}, {}},
                 {"Published", "#b3c6da", {}, {}}};
  bars.groups = {{"Attrition", "#5b6b7c", {}, {}}};
  for (std::size_t i = 0; i < run.groups.size(); ++i) {
    const RunGroup& g = run.groups[i];
    bars.categories.push_back(legend_name(g.name));
    bars.groups[0].values.push_back(100.0 * g.annualised_attrition);
    bars.groups[0].colours.push_back(palette_colour(i));
    if (std::isnan(g.cohort_kept)) continue;  // no starting staff
    kept.categories.push_back(legend_name(g.name));
    kept.groups[0].values.push_back(100.0 * g.cohort_kept);
    kept.groups[1].values.push_back(100.0 * g.top_cohort_kept);
    kept.groups[2].values.push_back(100.0 * g.published_cohort_kept);
  }
  s.figures.push_back({"Attrition over the run", charts.render(bars), ""});
  if (!kept.categories.empty())
    s.figures.push_back({"Starting staff kept to the end", charts.render(kept), ""});

  // Departures by group over the run, with the quits/separations split where recorded.
  Table t;
  t.caption = "Departures over the run";
  t.header = {"Firm", "All"};
  std::vector<const DepartureColumns*> groups;
  bool split = false;
  const auto any_has = [&](std::string_view column) {
    return std::any_of(run.groups.begin(), run.groups.end(),
                       [&](const RunGroup& g) { return g.weekly.column(column) != nullptr; });
  };
  for (const DepartureColumns& d : kDepartureColumns) {
    if (!any_has(d.departures)) continue;
    const bool has_split = any_has(d.quits) && any_has(d.separations);
    split = split || has_split;
    t.header.push_back(std::string(d.group) + (has_split ? " (quit / separated)" : ""));
    groups.push_back(&d);
  }
  for (std::size_t i = 0; i < run.groups.size(); ++i) {
    const RunGroup& g = run.groups[i];
    std::vector<std::string> row{g.name, format_count(sum_of(g.weekly.column("departures")))};
    for (const DepartureColumns* d : groups) {
      std::string cell = format_count(sum_of(g.weekly.column(d->departures)));
      if (any_has(d->quits) && any_has(d->separations))
        cell += " (" + format_count(sum_of(g.weekly.column(d->quits))) + " / " +
                format_count(sum_of(g.weekly.column(d->separations))) + ")";
      row.push_back(std::move(cell));
    }
    t.rows.push_back(std::move(row));
    t.swatches.push_back(palette_colour(i));
  }
  s.tables.push_back(std::move(t));
  if (!split)
    s.notes.emplace_back(
        "Departures are not split into quits and separations: timeseries.csv has no "
        "top_quits/top_separations columns (a run written before they were added).");
  return s;
}

Section retention_section(const RunData& run, RunCharts& charts) {
  Section s = make_section("retention", "Retention of the starting cohort");
  if (!run.has_cohorts) {
    s.notes.emplace_back(
        "No retention curves: the run folder has no cohorts.csv (a run written before cohorts "
        "were tracked). 'Starting staff kept to the end' under Attrition gives the share kept "
        "at the end of the run.");
    return s;
  }
  s.intro =
      "The researchers at each firm at week 0 (cohorts.csv, kind 'present', week 0), and the "
      "share of them still there, never having left, 26, 52 and 104 weeks on (as far as the "
      "run reached).";
  s.columns = 2;
  for (const auto& [group_name, title] : kCohortGroups) {
    const std::string_view group = group_name;  // a lambda below captures it
    LineChart c;
    c.x = linear_axis("Weeks since week 0", 0.0);
    c.y = linear_axis("Still there (% of the starting cohort)", 0.0, 100.0);
    c.key_below = true;
    c.width = 520;
    c.height = 420;
    double last = 1;
    for (std::size_t i = 0; i < run.groups.size(); ++i) {
      const RunGroup& g = run.groups[i];
      const auto row =
          std::find_if(run.cohorts.begin(), run.cohorts.end(), [&](const CohortRow& r) {
            return r.firm == g.id && r.group == group && r.kind == "present" && r.week == 0 &&
                   r.size > 0;
          });
      if (row == run.cohorts.end()) continue;
      Series curve =
          line_series(legend_name(g.name), palette_colour(i), {0.0}, {100.0}, palette_dash(i));
      curve.style = Series::Style::kLinesPoints;
      for (const auto& [weeks, still] : row->kept) {
        curve.x.push_back(weeks);
        curve.y.push_back(100.0 * still / row->size);
        last = std::max(last, static_cast<double>(weeks));
      }
      c.series.push_back(std::move(curve));
    }
    if (c.series.empty()) continue;
    c.x.max = last;
    s.figures.push_back({std::string(title), charts.render(c), ""});
  }
  if (s.figures.empty())
    s.notes.emplace_back(
        "No retention curves: cohorts.csv has no rows of kind 'present' for week 0.");
  return s;
}

// The group a place of flows.csv is (a firm; `startup` is the `startups` group), or
// the number of groups when it is none.
std::size_t place_group(const RunData& run, const std::string& place) {
  std::size_t i = 0;
  while (i < run.groups.size() && run.groups[i].id != place &&
         !(place == "startup" && run.groups[i].id == "startups"))
    ++i;
  return i;
}

std::string place_name(const RunData& run, const std::string& place) {
  const std::size_t g = place_group(run, place);
  if (g < run.groups.size()) return legend_name(run.groups[g].name, 26);
  if (place == "between_jobs") return "between jobs";
  return place;
}

Section flows_section(const RunData& run, RunCharts& charts) {
  Section s = make_section("flows", "Flows between places");
  s.intro =
      "Moves over the whole run, from the row's place to the column's (flows.csv). A "
      "row's sum is that place's departures; 'between jobs' counts everyone not employed.";
  std::vector<std::string> places;
  const auto add = [&](const std::string& p) {
    if (std::find(places.begin(), places.end(), p) == places.end()) places.push_back(p);
  };
  // Firms first, in the report's order, then the other places as flows.csv lists them.
  for (const RunGroup& g : run.groups)
    if (std::any_of(run.flows.begin(), run.flows.end(),
                    [&](const Flow& f) { return f.from == g.id || f.to == g.id; }))
      add(g.id);
  for (const Flow& f : run.flows) add(f.from), add(f.to);
  if (places.empty()) {
    s.notes.emplace_back("flows.csv has no moves.");
    return s;
  }
  const std::size_t n = places.size();
  HeatMap h;
  h.row_label = "From";
  h.column_label = "To";
  h.value_label = "Moves over the run (log scale)";
  h.values.assign(n * n, 0.0);
  std::vector<double> out(n, 0.0), in(n, 0.0);
  for (const Flow& f : run.flows) {
    const auto a =
        static_cast<std::size_t>(std::find(places.begin(), places.end(), f.from) - places.begin());
    const auto b =
        static_cast<std::size_t>(std::find(places.begin(), places.end(), f.to) - places.begin());
    h.values[a * n + b] += f.count;
    out[a] += f.count;
    in[b] += f.count;
  }
  for (const std::string& p : places) {
    h.rows.push_back(place_name(run, p));
    h.columns.push_back(place_name(run, p));
  }
  s.figures.push_back({"Moves from each place to each other", charts.render(h), ""});
  Table t;
  t.header = {"Place", "Moved out", "Moved in", "Net"};
  for (std::size_t i = 0; i < n; ++i) {
    const double net = in[i] - out[i];
    t.rows.push_back({place_name(run, places[i]), format_count(out[i]), format_count(in[i]),
                      (net > 0 ? "+" : "") + format_count(net)});
    const std::size_t g = place_group(run, places[i]);
    t.swatches.push_back(g < run.groups.size() ? palette_colour(g) : "");
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section market_section(const RunData& run, RunCharts& charts) {
  Section s = make_section("market", "Market");
  s.intro =
      "Between jobs: the share of researchers not employed (independent researchers "
      "included). Top-talent concentration: the Herfindahl index of top talent across "
      "employers, from 0 (spread out) to 1 (all at one employer).";
  s.columns = 2;
  const std::vector<double>* employed = run.market.column("employed");
  const std::vector<double>* between = run.market.column("between_jobs");
  const std::vector<double>* hhi = run.market.column("top_talent_hhi");
  std::vector<double> share(run.market.week.size(), kNoValue);
  for (std::size_t k = 0; k < share.size(); ++k) {
    const double total = (*employed)[k] + (*between)[k];
    if (total > 0) share[k] = 100.0 * (*between)[k] / total;
  }
  LineChart a = charts.weekly(linear_axis("Between jobs (% of researchers)", 0.0));
  a.series.push_back(line_series("between jobs", "#33475b", run.market.week, share));
  a.key = false;
  a.width = 520;
  a.height = 360;
  LineChart b = charts.weekly(linear_axis("Top-talent HHI (0-1)", 0.0));
  b.series.push_back(line_series("top-talent HHI", "#8e44ad", run.market.week, *hhi));
  b.key = false;
  b.width = 520;
  b.height = 360;
  s.figures.push_back({"Share between jobs", charts.render(a), ""});
  s.figures.push_back({"Top-talent concentration (HHI)", charts.render(b), ""});
  return s;
}

Section offers_section(const RunData& run, RunCharts& charts) {
  Section s = make_section("offers", "Offers");
  if (!run.has_offers) {
    s.notes.emplace_back(
        "No offer charts: the run folder has no offers.csv (a run written before "
        "offers were recorded).");
    return s;
  }
  s.intro =
      "Offers each firm made per week (offers.csv): the median offer, and totals over the run.";
  LineChart c = charts.weekly(linear_axis("Median offer (USD thousand / year)", 0.0));
  Table t;
  t.header = {"Firm", "Offers", "Accepted", "Countered", "Accepted (%)", "Mean offer"};
  for (std::size_t i = 0; i < run.groups.size(); ++i) {
    const RunGroup& g = run.groups[i];
    const auto it = run.offers.find(g.id);
    if (it == run.offers.end()) continue;
    const WeeklyTable& w = it->second;
    if (const std::vector<double>* median = w.column("median_offer")) {
      // Weeks without offers have no median: the line joins the weeks around them.
      std::vector<double> x, y;
      for (std::size_t k = 0; k < median->size(); ++k)
        if (std::isfinite((*median)[k])) {
          x.push_back(w.week[k]);
          y.push_back((*median)[k] / 1000.0);
        }
      if (!y.empty())
        c.series.push_back(line_series(legend_name(g.name), palette_colour(i), std::move(x),
                                       std::move(y), palette_dash(i)));
    }
    const double offers = sum_of(w.column("offers")), accepted = sum_of(w.column("accepted"));
    // The mean offer over the run: weekly means weighted by their offers.
    double weighted = 0, weight = 0;
    if (const auto* mean = w.column("mean_offer"); mean != nullptr && w.column("offers") != nullptr)
      for (std::size_t k = 0; k < mean->size(); ++k)
        if (std::isfinite((*mean)[k]))
          weighted += (*mean)[k] * (*w.column("offers"))[k], weight += (*w.column("offers"))[k];
    t.rows.push_back({g.name, format_count(offers), format_count(accepted),
                      format_count(sum_of(w.column("countered"))),
                      format_percent(offers > 0 ? accepted / offers : kNoValue),
                      format_money_k(weight > 0 ? weighted / weight : kNoValue)});
    t.swatches.push_back(palette_colour(i));
  }
  if (c.series.empty())
    s.notes.emplace_back("No offer-level chart: offers.csv has no median_offer column.");
  else
    s.figures.push_back(
        {"Median offer per firm", charts.render(c), charts.has_markers() ? kEventsCaption : ""});
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace

const std::vector<double>* WeeklyTable::column(std::string_view name) const {
  const auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

RunData load_run(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) throw InputError(dir.string() + ": no such folder");
  if (!fs::is_directory(dir, ec)) throw InputError(dir.string() + ": not a folder");
  RunData run;
  load_summary(dir / "summary.json", run);
  load_events(dir / "scenario.yaml", run);
  load_timeseries(dir / "timeseries.csv", run);
  load_market(dir / "market.csv", run);
  load_flows(dir / "flows.csv", run);
  if (fs::exists(dir / "cohorts.csv", ec)) load_cohorts(dir / "cohorts.csv", run);
  if (fs::exists(dir / "offers.csv", ec)) load_offers(dir / "offers.csv", run);
  return run;
}

Report run_report(const RunData& run, ChartRenderer& renderer) {
  RunCharts charts(run, renderer);
  Report r;
  r.title = "Run report: " + run.scenario;
  r.subtitle = run.description;
  r.facts = {{"Scenario", run.scenario}, {"Seed", std::to_string(run.seed)}};
  if (run.ticks > 0) r.facts.emplace_back("Weeks", std::to_string(run.ticks));
  if (run.researchers > 0)
    r.facts.emplace_back("Researchers", format_count(static_cast<double>(run.researchers)));
  if (!run.version.empty()) r.facts.emplace_back("talentsim version", run.version);
  if (!run.state_hash.empty()) r.facts.emplace_back("State hash", run.state_hash);
  r.sections.push_back(overview_section(run));
  r.sections.push_back(events_section(run));
  r.sections.push_back(headcount_section(charts));
  r.sections.push_back(groups_section(run, charts));
  r.sections.push_back(pay_section(charts));
  r.sections.push_back(attrition_section(run, charts));
  r.sections.push_back(retention_section(run, charts));
  r.sections.push_back(flows_section(run, charts));
  r.sections.push_back(market_section(run, charts));
  r.sections.push_back(offers_section(run, charts));
  r.footer = "Written by talentsim report from the run's output folder (scenario " + run.scenario +
             ", seed " + std::to_string(run.seed) + "). Charts drawn by gnuplot.";
  return r;
}

}  // namespace talentsim::report
