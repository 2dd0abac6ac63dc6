// Recording a run for its metrics (include/talentsim/study/record.hpp).
#include "talentsim/study/record.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "talentsim/core/error.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/model/simulation.hpp"

namespace talentsim {

RunRecorder::RunRecorder(Simulation& sim) {
  record_.groups = sim.group_names();
  record_.named = sim.named_firm_count();
  record_.researchers = sim.scenario().population.researchers;
  record_.weeks.push_back(sim.initial_report());
}

void RunRecorder::record(const Simulation& sim) { record_.weeks.push_back(sim.last_report()); }

RunRecord RunRecorder::take(const Simulation& sim) {
  record_.cohorts = sim.world().cohort_book.table;
  return std::move(record_);
}

RunRecord record_run(const Scenario& scenario) {
  Simulation sim(scenario);
  RunRecorder recorder(sim);
  for (std::int64_t t = 0; t < scenario.ticks; ++t) {
    sim.step();
    recorder.record(sim);
  }
  return recorder.take(sim);
}

// ---------------------------------------------------------------------------
// Reading a run folder back
// ---------------------------------------------------------------------------

namespace {

/// Run files are tens of megabytes at most; anything far bigger is not one.
constexpr std::uintmax_t kMaxRunFileBytes = std::uintmax_t{4} << 30;

/// One CSV file of a run, read strictly: a header, then rows of exactly as many fields,
/// addressed by column name. Errors name file:line:column.
class CsvFile {
 public:
  struct Row {
    int line = 0;
    std::vector<std::string_view> fields;
    std::vector<int> columns;  ///< 1-based start of each field
  };

  explicit CsvFile(const std::filesystem::path& path) : name_(path.string()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw ScenarioError({name_}, "",
                          "missing: a run folder holds timeseries.csv, market.csv, offers.csv and "
                          "cohorts.csv (talentsim run writes them)");
    if (std::filesystem::file_size(path, ec) > kMaxRunFileBytes)
      throw ScenarioError({name_}, "", "too large for a run's CSV file");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw ScenarioError({name_}, "", "cannot read file");
    text_ = text.str();
    split();
    if (rows_.empty()) throw ScenarioError({name_, 1, 1}, "", "empty file: expected a header row");
    header_ = std::move(rows_.front());
    rows_.erase(rows_.begin());
    for (const Row& row : rows_)
      if (row.fields.size() != header_.fields.size())
        throw ScenarioError({name_, row.line, 1}, "",
                            "expected " + std::to_string(header_.fields.size()) +
                                " fields as in the header, got " +
                                std::to_string(row.fields.size()));
  }

  [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }
  [[nodiscard]] const std::string& name() const { return name_; }

  /// The index of a column. @throws ScenarioError when the header lacks it.
  [[nodiscard]] std::size_t column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.fields.size(); ++i)
      if (header_.fields[i] == name) return i;
    throw ScenarioError({name_, 1, 1}, std::string(name),
                        "the header has no column '" + std::string(name) + "'");
  }

  [[nodiscard]] ScenarioError error(const Row& row, std::size_t col,
                                    const std::string& problem) const {
    return {{name_, row.line, row.columns[col]},
            std::string(header_.fields[col]),
            problem + ", got '" + std::string(row.fields[col]) + "'"};
  }

  [[nodiscard]] std::int64_t integer(const Row& row, std::size_t col) const {
    const auto v = parse_int(row.fields[col]);
    if (!v || row.fields[col].empty() || row.fields[col].front() == ' ')
      throw error(row, col, "expected an integer");
    return *v;
  }
  [[nodiscard]] std::int64_t count(const Row& row, std::size_t col) const {
    const std::int64_t v = integer(row, col);
    if (v < 0) throw error(row, col, "expected a count (0 or more)");
    return v;
  }
  /// A number; empty is NaN where `empty_ok`.
  [[nodiscard]] double number(const Row& row, std::size_t col, bool empty_ok = false) const {
    if (row.fields[col].empty()) {
      if (empty_ok) return std::numeric_limits<double>::quiet_NaN();
      throw error(row, col, "expected a number");
    }
    const auto v = parse_double(row.fields[col]);
    if (!v || row.fields[col].front() == ' ') throw error(row, col, "expected a finite number");
    return *v;
  }
  [[nodiscard]] std::string_view text(const Row& row, std::size_t col) const {
    return row.fields[col];
  }

 private:
  void split() {
    std::size_t start = 0;
    int line = 0;
    while (start < text_.size()) {
      ++line;
      std::size_t end = text_.find('\n', start);
      if (end == std::string::npos) end = text_.size();
      std::string_view content(text_.data() + start, end - start);
      if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
      Row row;
      row.line = line;
      std::size_t field = 0;
      for (;;) {
        const std::size_t comma = content.find(',', field);
        row.fields.push_back(content.substr(
            field, comma == std::string_view::npos ? std::string_view::npos : comma - field));
        row.columns.push_back(static_cast<int>(field) + 1);
        if (comma == std::string_view::npos) break;
        field = comma + 1;
      }
      if (content.find('"') != std::string_view::npos)
        throw ScenarioError({name_, line, static_cast<int>(content.find('"')) + 1}, "",
                            "quoted fields do not occur in run files");
      if (!content.empty()) rows_.push_back(std::move(row));
      start = end + 1;
    }
  }

  std::string name_;
  std::string text_;
  Row header_;
  std::vector<Row> rows_;
};

void read_timeseries(const std::filesystem::path& dir, RunRecord& r) {
  const CsvFile f(dir / "timeseries.csv");
  const std::size_t tick = f.column("tick"), firm = f.column("firm");
  const std::size_t headcount = f.column("headcount"), top = f.column("top_headcount"),
                    published = f.column("published_headcount"),
                    leaders = f.column("leader_headcount");
  const std::size_t mean_salary = f.column("mean_salary"),
                    median_salary = f.column("median_salary"), burnout = f.column("mean_burnout"),
                    faith = f.column("mean_faith");
  struct Counter {
    std::size_t col;
    std::int64_t FirmTickCounters::*field;
  };
  const std::vector<Counter> counters{
      {f.column("hires"), &FirmTickCounters::hires},
      {f.column("departures"), &FirmTickCounters::departures},
      {f.column("departures_to_firm"), &FirmTickCounters::departures_to_firm},
      {f.column("departures_to_startup"), &FirmTickCounters::departures_to_startup},
      {f.column("departures_to_independent"), &FirmTickCounters::departures_to_independent},
      {f.column("departures_to_between_jobs"), &FirmTickCounters::departures_to_between_jobs},
      {f.column("counteroffers"), &FirmTickCounters::counteroffers},
      {f.column("counteroffers_won"), &FirmTickCounters::counteroffers_won},
      {f.column("reactive_raises"), &FirmTickCounters::reactive_raises},
      {f.column("rejected_by_limits"), &FirmTickCounters::rejected_by_limits},
      {f.column("top_departures"), &FirmTickCounters::top_departures},
      {f.column("published_departures"), &FirmTickCounters::published_departures},
      {f.column("leader_departures"), &FirmTickCounters::leader_departures},
      {f.column("quits"), &FirmTickCounters::quits},
      {f.column("top_quits"), &FirmTickCounters::top_quits},
      {f.column("published_quits"), &FirmTickCounters::published_quits},
      {f.column("leader_quits"), &FirmTickCounters::leader_quits},
  };
  const auto& rows = f.rows();
  if (rows.empty()) throw ScenarioError({f.name(), 1, 1}, "", "no rows: expected week 0 first");
  // The groups are those of week 0, in order; every week lists them so.
  for (const auto& row : rows) {
    if (f.integer(row, tick) != 0) break;
    const std::string name(f.text(row, firm));
    if (!is_identifier(name)) throw f.error(row, firm, "expected a firm id or startups");
    if (std::find(r.groups.begin(), r.groups.end(), name) != r.groups.end())
      throw f.error(row, firm, "this group is listed twice in week 0");
    r.groups.push_back(name);
  }
  if (r.groups.empty()) throw f.error(rows.front(), tick, "expected week 0 first");
  r.named = static_cast<std::size_t>(std::count_if(
      r.groups.begin(), r.groups.end(), [](const std::string& g) { return g != kStartupsGroup; }));
  for (std::size_t g = 0; g < r.named; ++g)
    if (r.groups[g] == kStartupsGroup)
      throw ScenarioError({f.name(), 2 + static_cast<int>(g), 1}, "firm",
                          "startups must come after the named firms");
  const std::size_t groups = r.groups.size();
  if (rows.size() % groups != 0)
    throw ScenarioError({f.name(), rows.back().line, 1}, "",
                        "the last week is incomplete: every week has a row per group (" +
                            std::to_string(groups) + ")");
  r.weeks.resize(rows.size() / groups);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const auto week = static_cast<std::int64_t>(i / groups);
    const std::size_t g = i % groups;
    if (f.integer(row, tick) != week)
      throw f.error(row, tick,
                    "expected week " + std::to_string(week) + " (weeks in order from 0)");
    if (f.text(row, firm) != r.groups[g])
      throw f.error(row, firm, "expected '" + r.groups[g] + "' (the groups of week 0, in order)");
    TickReport& report = r.weeks[static_cast<std::size_t>(week)];
    report.tick = week;
    report.groups.resize(groups);
    GroupMetrics& m = report.groups[g];
    m.headcount = f.count(row, headcount);
    m.top_headcount = f.count(row, top);
    m.published_headcount = f.count(row, published);
    m.leader_headcount = f.count(row, leaders);
    m.mean_salary = f.number(row, mean_salary);
    m.median_salary = f.number(row, median_salary);
    m.mean_burnout = f.number(row, burnout);
    m.mean_faith = f.number(row, faith);
    for (const Counter& c : counters) m.counts.*c.field = f.count(row, c.col);
  }
}

void read_market(const std::filesystem::path& dir, RunRecord& r) {
  const CsvFile f(dir / "market.csv");
  const std::size_t tick = f.column("tick");
  const std::size_t hhi = f.column("top_talent_hhi");
  struct Counter {
    std::size_t col;
    std::int64_t MarketMetrics::*field;
  };
  const std::vector<Counter> counters{
      {f.column("employed"), &MarketMetrics::employed},
      {f.column("between_jobs"), &MarketMetrics::between_jobs},
      {f.column("independent"), &MarketMetrics::independent},
      {f.column("startups_alive"), &MarketMetrics::startups_alive},
      {f.column("startups_founded"), &MarketMetrics::startups_founded},
      {f.column("startups_failed"), &MarketMetrics::startups_failed},
      {f.column("pending_hires"), &MarketMetrics::pending_hires},
      {f.column("offers"), &MarketMetrics::offers},
      {f.column("decisions"), &MarketMetrics::decisions},
      {f.column("startups_refused"), &MarketMetrics::startups_refused},
  };
  const auto& rows = f.rows();
  if (rows.size() != r.weeks.size())
    throw ScenarioError({f.name(), rows.empty() ? 1 : rows.back().line, 1}, "",
                        "has " + std::to_string(rows.size()) + " weeks, timeseries.csv " +
                            std::to_string(r.weeks.size()) + " (weeks 0 .. " +
                            std::to_string(r.last_week()) + ")");
  for (std::size_t w = 0; w < rows.size(); ++w) {
    const auto& row = rows[w];
    if (f.integer(row, tick) != static_cast<std::int64_t>(w))
      throw f.error(row, tick, "expected week " + std::to_string(w) + " (weeks in order from 0)");
    MarketMetrics& m = r.weeks[w].market;
    for (const Counter& c : counters) m.*c.field = f.count(row, c.col);
    m.top_talent_hhi = f.number(row, hhi);
  }
  r.researchers = r.weeks.front().market.employed + r.weeks.front().market.between_jobs;
}

void read_offers(const std::filesystem::path& dir, RunRecord& r) {
  const CsvFile f(dir / "offers.csv");
  const std::size_t tick = f.column("tick"), firm = f.column("firm"), made = f.column("offers"),
                    accepted = f.column("accepted"), countered = f.column("countered"),
                    median = f.column("median_offer"), mean = f.column("mean_offer");
  const std::size_t groups = r.groups.size();
  const auto& rows = f.rows();
  // Offers are flows: weeks 1 .. last, every group.
  const std::size_t expected = groups * static_cast<std::size_t>(r.last_week());
  if (rows.size() != expected)
    throw ScenarioError({f.name(), rows.empty() ? 1 : rows.back().line, 1}, "",
                        "has " + std::to_string(rows.size()) + " rows; weeks 1 .. " +
                            std::to_string(r.last_week()) + " of " + std::to_string(groups) +
                            " groups are " + std::to_string(expected));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const auto week = static_cast<std::int64_t>(i / groups) + 1;
    const std::size_t g = i % groups;
    if (f.integer(row, tick) != week)
      throw f.error(row, tick,
                    "expected week " + std::to_string(week) + " (weeks in order from 1)");
    if (f.text(row, firm) != r.groups[g])
      throw f.error(row, firm,
                    "expected '" + r.groups[g] + "' (the groups of timeseries.csv, in order)");
    OfferStats& o = r.weeks[static_cast<std::size_t>(week)].groups[g].offers;
    o.made = f.count(row, made);
    o.accepted = f.count(row, accepted);
    o.countered = f.count(row, countered);
    o.median_pay = f.number(row, median, o.made == 0);
    const double mean_pay = f.number(row, mean, o.made == 0);
    if (o.made > 0 && std::isnan(mean_pay)) throw f.error(row, mean, "expected a number");
    // The file keeps the mean in cents; the sum is rebuilt from it.
    o.pay_sum = o.made > 0 ? mean_pay * static_cast<double>(o.made) : 0.0;
  }
  for (auto& g : r.weeks.front().groups)
    g.offers.median_pay = std::numeric_limits<double>::quiet_NaN();
}

void read_cohorts(const std::filesystem::path& dir, RunRecord& r) {
  const CsvFile f(dir / "cohorts.csv");
  const std::size_t firm = f.column("firm"), group = f.column("group"), kind = f.column("kind"),
                    week = f.column("week"), size = f.column("size");
  std::array<std::size_t, kCohortOffsets.size()> at{};
  for (std::size_t k = 0; k < kCohortOffsets.size(); ++k)
    at[k] = f.column("at_" + std::to_string(kCohortOffsets[k]));
  CohortTable& table = r.cohorts;
  table.firms = r.named;
  table.weeks = static_cast<std::int64_t>(r.weeks.size());
  table.rows.assign(table.firms * kTalentGroups * 2 * r.weeks.size(), CohortRow{});
  std::vector<int> seen(table.rows.size(), 0);
  const auto index_of = [](const auto& names, std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return i;
    return std::nullopt;
  };
  const std::vector<std::string> named(r.groups.begin(),
                                       r.groups.begin() + static_cast<std::ptrdiff_t>(r.named));
  for (const auto& row : f.rows()) {
    const auto fi = index_of(named, f.text(row, firm));
    if (!fi) throw f.error(row, firm, "expected a named firm of timeseries.csv");
    const auto gi = index_of(kTalentGroupNames, f.text(row, group));
    if (!gi) throw f.error(row, group, "expected all, top, published or leaders");
    const auto ki = index_of(kCohortKindNames, f.text(row, kind));
    if (!ki) throw f.error(row, kind, "expected hired or present");
    const std::int64_t w = f.integer(row, week);
    if (w < 0 || w > r.last_week())
      throw f.error(row, week, "expected a week of the run, 0 .. " + std::to_string(r.last_week()));
    const std::size_t idx =
        table.index(*fi, static_cast<TalentGroup>(*gi), static_cast<CohortKind>(*ki), w);
    if (seen[idx] != 0)
      throw ScenarioError({f.name(), row.line, 1}, "",
                          "the same cohort as line " + std::to_string(seen[idx]));
    seen[idx] = row.line;
    CohortRow& c = table.rows[idx];
    c.size = f.count(row, size);
    for (std::size_t k = 0; k < kCohortOffsets.size(); ++k) {
      const bool reached = w + kCohortOffsets[k] <= r.last_week();
      if (f.text(row, at[k]).empty()) {
        if (reached) throw f.error(row, at[k], "expected a count: the run reached this week");
        c.still[k] = -1;
        continue;
      }
      if (!reached) throw f.error(row, at[k], "expected an empty cell: the run ended first");
      c.still[k] = f.count(row, at[k]);
      if (c.still[k] > c.size) throw f.error(row, at[k], "more survivors than the cohort's size");
    }
  }
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (seen[i] == 0) {
      const std::size_t k = i % 2, g = (i / 2) % kTalentGroups, fw = i / 2 / kTalentGroups;
      throw ScenarioError({f.name()}, "",
                          "no row for " + named[fw % table.firms] + "," + kTalentGroupNames[g] +
                              "," + kCohortKindNames[k] + "," + std::to_string(fw / table.firms) +
                              ": every named firm, group, kind and week 0 .. " +
                              std::to_string(r.last_week()) + " has one");
    }
}

}  // namespace

RunRecord read_run_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw ScenarioError({dir.string()}, "", "not a folder: expected a run's output folder");
  RunRecord r;
  read_timeseries(dir, r);
  read_market(dir, r);
  read_offers(dir, r);
  read_cohorts(dir, r);
  return r;
}

}  // namespace talentsim
