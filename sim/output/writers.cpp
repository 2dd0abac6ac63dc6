#include "talentsim/output/writers.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/core/version.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {

const char* const kTimeseriesHeader =
    "tick,firm,headcount,top_headcount,published_headcount,mean_salary,median_salary,hires,"
    "departures,departures_to_startup,departures_to_independent,counteroffers,"
    "counteroffers_won,reactive_raises,mean_burnout,mean_faith,departures_to_firm,"
    "departures_to_between_jobs,rejected_by_limits,top_departures,published_departures,"
    "leader_headcount,leader_departures,quits,separations,top_quits,top_separations,"
    "published_quits,published_separations,leader_quits,leader_separations,openings\n";
const char* const kMarketHeader =
    "tick,employed,between_jobs,startups_alive,startups_founded,startups_failed,top_talent_hhi,"
    "independent,pending_hires,offers,decisions,startups_refused\n";
const char* const kOffersHeader = "tick,firm,offers,accepted,countered,median_offer,mean_offer\n";
const char* const kCohortsHeader = "firm,group,kind,week,size,at_26,at_52,at_104\n";
const char* const kAgentsHeader =
    "id,initial_firm,firm,salary,skill,top,published,burnout,faith,tenure_weeks,moves,status";

namespace {

/// Appends numbers without locale or allocation.
void put(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
void put_fixed(std::string& out, double v, int decimals) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out.append(buf, r.ptr);
}
void put_general(std::string& out, double v, int digits) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits);
  out.append(buf, r.ptr);
}

void group_row(std::string& out, std::int64_t tick, const std::string& name,
               const GroupMetrics& m) {
  const FirmTickCounters& k = m.counts;
  put(out, tick);
  out += ',';
  out += name;
  for (const std::int64_t v : {m.headcount, m.top_headcount, m.published_headcount}) {
    out += ',';
    put(out, v);
  }
  out += ',';
  put_fixed(out, m.mean_salary, 2);
  out += ',';
  put_fixed(out, m.median_salary, 2);
  for (const std::int64_t v :
       {k.hires, k.departures, k.departures_to_startup, k.departures_to_independent,
        k.counteroffers, k.counteroffers_won, k.reactive_raises}) {
    out += ',';
    put(out, v);
  }
  out += ',';
  put_fixed(out, m.mean_burnout, 6);
  out += ',';
  put_fixed(out, m.mean_faith, 6);
  for (const std::int64_t v :
       {k.departures_to_firm, k.departures_to_between_jobs, k.rejected_by_limits, k.top_departures,
        k.published_departures, m.leader_headcount, k.leader_departures, k.quits,
        k.departures - k.quits, k.top_quits, k.top_departures - k.top_quits, k.published_quits,
        k.published_departures - k.published_quits, k.leader_quits,
        k.leader_departures - k.leader_quits, m.openings}) {
    out += ',';
    put(out, v);
  }
  out += '\n';
}

/// A value that may be undefined (NaN): empty in CSV.
void put_optional(std::string& out, double v, int decimals) {
  if (!std::isnan(v)) put_fixed(out, v, decimals);
}

void offers_row(std::string& out, std::int64_t tick, const std::string& name, const OfferStats& o) {
  put(out, tick);
  out += ',';
  out += name;
  for (const std::int64_t v : {o.made, o.accepted, o.countered}) {
    out += ',';
    put(out, v);
  }
  out += ',';
  put_optional(out, o.median_pay, 2);
  out += ',';
  put_optional(out, o.mean_pay(), 2);
  out += '\n';
}

void market_row(std::string& out, std::int64_t tick, const MarketMetrics& m) {
  put(out, tick);
  for (const std::int64_t v :
       {m.employed, m.between_jobs, m.startups_alive, m.startups_founded, m.startups_failed}) {
    out += ',';
    put(out, v);
  }
  out += ',';
  put_fixed(out, m.top_talent_hhi, 6);
  for (const std::int64_t v :
       {m.independent, m.pending_hires, m.offers, m.decisions, m.startups_refused}) {
    out += ',';
    put(out, v);
  }
  out += '\n';
}

nlohmann::ordered_json counters_json(const FirmTickCounters& k) {
  return {{"hires", k.hires},
          {"departures", k.departures},
          {"departures_to_firm", k.departures_to_firm},
          {"departures_to_startup", k.departures_to_startup},
          {"departures_to_independent", k.departures_to_independent},
          {"departures_to_between_jobs", k.departures_to_between_jobs},
          {"counteroffers", k.counteroffers},
          {"counteroffers_won", k.counteroffers_won},
          {"reactive_raises", k.reactive_raises},
          {"rejected_by_limits", k.rejected_by_limits},
          {"top_departures", k.top_departures},
          {"published_departures", k.published_departures}};
}

/// part / whole, or null when it is undefined (an empty cohort).
nlohmann::ordered_json share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return nullptr;
  return static_cast<double>(part) / static_cast<double>(whole);
}

/// A group's average (pay, burnout, faith), or null when the group is empty.
nlohmann::ordered_json mean_of(const GroupMetrics& m, double value) {
  if (m.headcount <= 0) return nullptr;
  return value;
}

}  // namespace

// ---------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------

SummaryBuilder::SummaryBuilder(const Simulation& sim, TickReport initial)
    : initial_(std::move(initial)),
      headcount_sum_(sim.named_firm_count() + 1, 0.0),
      top_weeks_(sim.named_firm_count() + 1, 0),
      top_max_(sim.named_firm_count() + 1, 0) {
  last_ = initial_;
}

void SummaryBuilder::record(const TickReport& report) {
  for (std::size_t g = 0; g < headcount_sum_.size(); ++g) {
    const GroupMetrics& m = report.groups[g];
    headcount_sum_[g] += static_cast<double>(m.headcount);
    top_weeks_[g] += m.counts.top_departures >= 3;
    top_max_[g] = std::max(top_max_[g], m.counts.top_departures);
  }
  founded_ += report.market.startups_founded;
  failed_ += report.market.startups_failed;
  ++ticks_;
  last_ = report;
}

RunSummary SummaryBuilder::build(const Simulation& sim, int threads, double wall_seconds) const {
  const Scenario& sc = sim.scenario();
  RunSummary s;
  s.scenario = sc.name;
  s.description = sc.description;
  s.seed = sc.seed;
  s.version = std::string(version());
  s.threads = threads;
  s.ticks = ticks_;
  s.researchers = sc.population.researchers;
  s.wall_seconds = wall_seconds;
  s.agent_ticks_per_second = wall_seconds > 0 ? static_cast<double>(s.researchers) *
                                                    static_cast<double>(ticks_) / wall_seconds
                                              : 0.0;
  s.state_hash = sim.state_hash();
  s.market = last_.market;
  s.startups_founded = founded_;
  s.startups_failed = failed_;
  for (const std::size_t i : events_not_reached(sc)) {
    const Event& e = sc.events[i];
    s.events_not_reached.push_back(
        {i, e.week, std::string(enum_name(kEventTypeNames, e.type)), e.firm});
  }
  const auto names = sim.group_names();
  const auto cohorts = sim.cohorts();
  const double years = static_cast<double>(ticks_) / kTicksPerYear;
  for (std::size_t g = 0; g < names.size(); ++g) {
    GroupSummary gs;
    gs.id = names[g];
    gs.name = g < sc.firms.size() && !sc.firms[g].name.empty() ? sc.firms[g].name : names[g];
    gs.initial = initial_.groups[g];
    gs.final_tick = last_.groups[g];
    if (g < sim.named_firm_count()) {
      gs.total = sim.firms()[g].total;
      const auto& c = cohorts[g];
      gs.cohort = c.initial;
      gs.cohort_retained = c.retained;
      gs.top_cohort = c.top;
      gs.top_cohort_retained = c.top_retained;
      gs.published_cohort = c.published;
      gs.published_cohort_retained = c.published_retained;
    } else {
      for (std::size_t f = sim.named_firm_count(); f < sim.firms().size(); ++f)
        gs.total += sim.firms()[f].total;
    }
    gs.weeks_with_3_top_departures = top_weeks_[g];
    gs.most_top_departures_in_a_week = top_max_[g];
    gs.mean_headcount = ticks_ > 0 ? headcount_sum_[g] / static_cast<double>(ticks_) : 0.0;
    gs.annualised_attrition =
        gs.mean_headcount > 0 && years > 0
            ? static_cast<double>(gs.total.departures) / gs.mean_headcount / years
            : 0.0;
    s.groups.push_back(std::move(gs));
  }
  return s;
}

std::string summary_json(const RunSummary& s) {
  using nlohmann::ordered_json;
  ordered_json firms = ordered_json::array();
  for (const GroupSummary& g : s.groups) {
    ordered_json j;
    j["id"] = g.id;
    j["name"] = g.name;
    j["headcount"] = {{"initial", g.initial.headcount}, {"final", g.final_tick.headcount}};
    j["top_headcount"] = {{"initial", g.initial.top_headcount},
                          {"final", g.final_tick.top_headcount}};
    j["published_headcount"] = {{"initial", g.initial.published_headcount},
                                {"final", g.final_tick.published_headcount}};
    // Averages over nobody are undefined: null, not 0.
    j["median_salary"] = {{"initial", mean_of(g.initial, g.initial.median_salary)},
                          {"final", mean_of(g.final_tick, g.final_tick.median_salary)}};
    j["mean_salary"] = {{"initial", mean_of(g.initial, g.initial.mean_salary)},
                        {"final", mean_of(g.final_tick, g.final_tick.mean_salary)}};
    j["mean_burnout"] = mean_of(g.final_tick, g.final_tick.mean_burnout);
    j["mean_faith"] = mean_of(g.final_tick, g.final_tick.mean_faith);
    j["totals"] = counters_json(g.total);
    j["mean_headcount"] = g.mean_headcount;
    j["annualised_attrition"] = g.mean_headcount > 0 && s.ticks > 0
                                    ? nlohmann::ordered_json(g.annualised_attrition)
                                    : nlohmann::ordered_json(nullptr);
    j["weeks_with_3_top_departures"] = g.weeks_with_3_top_departures;
    j["most_top_departures_in_a_week"] = g.most_top_departures_in_a_week;
    j["cohort"] = {
        {"initial", g.cohort},
        {"retained", g.cohort_retained},
        {"retained_share", share(g.cohort_retained, g.cohort)},
        {"top_initial", g.top_cohort},
        {"top_retained", g.top_cohort_retained},
        {"top_retained_share", share(g.top_cohort_retained, g.top_cohort)},
        {"published_initial", g.published_cohort},
        {"published_retained", g.published_cohort_retained},
        {"published_retained_share", share(g.published_cohort_retained, g.published_cohort)}};
    firms.push_back(std::move(j));
  }
  ordered_json root;
  root["scenario"] = s.scenario;
  root["description"] = s.description;
  root["seed"] = s.seed;
  root["version"] = s.version;
  root["ticks"] = s.ticks;
  root["researchers"] = s.researchers;
  char hash[19];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(s.state_hash));
  root["state_hash"] = hash;
  root["market"] = {{"employed", s.market.employed},
                    {"between_jobs", s.market.between_jobs},
                    {"independent", s.market.independent},
                    {"startups_alive", s.market.startups_alive},
                    {"startups_founded", s.startups_founded},
                    {"startups_failed", s.startups_failed},
                    {"top_talent_hhi", s.market.top_talent_hhi > 0.0
                                           ? nlohmann::ordered_json(s.market.top_talent_hhi)
                                           : nlohmann::ordered_json(nullptr)},
                    {"pending_hires", s.market.pending_hires}};
  root["firms"] = std::move(firms);
  ordered_json not_reached = ordered_json::array();
  for (const EventNotReached& e : s.events_not_reached) {
    ordered_json j;
    j["event"] = "events[" + std::to_string(e.index) + "]";
    j["week"] = e.week;
    j["type"] = e.type;
    if (!e.firm.empty()) j["firm"] = e.firm;
    not_reached.push_back(std::move(j));
  }
  root["events_not_reached"] = std::move(not_reached);
  // The only fields that depend on the machine and thread count, kept together.
  root["run"] = {{"threads", s.threads},
                 {"wall_seconds", s.wall_seconds},
                 {"agent_ticks_per_second", s.agent_ticks_per_second}};
  return root.dump(2) + "\n";
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

std::string cohorts_csv(const CohortTable& table, const std::vector<std::string>& firms) {
  std::string out = kCohortsHeader;
  for (std::size_t f = 0; f < table.firms; ++f)
    for (std::size_t g = 0; g < kTalentGroups; ++g)
      for (std::size_t k = 0; k < kCohortKindNames.size(); ++k)
        for (std::int64_t w = 0; w < table.weeks; ++w) {
          const CohortRow& row =
              table.at(f, static_cast<TalentGroup>(g), static_cast<CohortKind>(k), w);
          out += firms[f];
          out += ',';
          out += kTalentGroupNames[g];
          out += ',';
          out += kCohortKindNames[k];
          out += ',';
          put(out, w);
          out += ',';
          put(out, row.size);
          for (const std::int64_t still : row.still) {
            out += ',';
            if (still >= 0) put(out, still);
          }
          out += '\n';
        }
  return out;
}

std::string flows_csv(const FlowMatrix& flows) {
  std::string out = "from,to,count\n";
  const std::size_t n = flows.places.size();
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) {
      const std::int64_t c = flows.at(a, b);
      if (c == 0) continue;
      out += flows.places[a];
      out += ',';
      out += flows.places[b];
      out += ',';
      put(out, c);
      out += '\n';
    }
  return out;
}

void write_agents_csv(const Simulation& sim, AtomicFile& out) {
  const auto& p = sim.researchers();
  const auto& firms = sim.firms();
  const std::size_t named = sim.named_firm_count();
  std::vector<std::string> firm_name(firms.size());
  for (std::size_t f = 0; f < firms.size(); ++f)
    firm_name[f] = f < named ? firms[f].params.id
                             : std::string(kStartupsGroup) + "." + std::to_string(firms[f].serial);
  // The pinned columns, then every registered column marked for agents.csv, as stored.
  std::string header = kAgentsHeader;
  ResearcherColumns::for_each_column([&](const ColumnInfo& info, auto) {
    if ((info.use & kInAgentsCsv) != 0) header += std::string(",") + info.name;
  });
  out.write(header + "\n");
  // Format chunks in parallel into per-chunk buffers, write them in order.
  const std::size_t n = p.size();
  constexpr std::size_t kBatch = 64;  // chunks formatted per round, to bound memory
  const std::size_t chunks = chunk_count(n);
  std::vector<std::string> text(kBatch);
  for (std::size_t first = 0; first < chunks; first += kBatch) {
    const std::size_t count = std::min(kBatch, chunks - first);
    for_each_index(count, 1, [&](std::size_t k) {
      std::string& s = text[k];
      s.clear();
      const std::size_t b = (first + k) * kChunkSize;
      const std::size_t e = std::min(n, b + kChunkSize);
      for (std::size_t i = b; i < e; ++i) {
        put(s, static_cast<std::int64_t>(i));
        s += ',';
        if (p.initial_employer[i] != kNoFirm) s += firm_name[p.initial_employer[i]];
        s += ',';
        const FirmId f = p.employer[i];
        if (f != kNoFirm) s += firm_name[f];
        s += ',';
        put_fixed(s, p.salary[i], 2);
        s += ',';
        put_general(s, p.skill[i], 6);
        s += (p.flags[i] & flag::kTop) ? ",1" : ",0";
        s += (p.flags[i] & flag::kPublished) ? ",1," : ",0,";
        put_fixed(s, p.burnout[i], 6);
        s += ',';
        put_fixed(s, p.faith[i], 6);
        s += ',';
        put(s, sim.tick() - p.hired_tick[i]);
        s += ',';
        put(s, p.moves[i]);
        s += f != kNoFirm ? ",employed"
                          : ((p.flags[i] & flag::kIndependent) ? ",independent" : ",between_jobs");
        ResearcherColumns::for_each_column([&](const ColumnInfo& info, auto member) {
          if ((info.use & kInAgentsCsv) == 0) return;
          s += ',';
          const auto value = (p.*member)[i];
          if constexpr (std::is_floating_point_v<decltype(value)>)
            put_general(s, value, 6);
          else
            put(s, static_cast<std::int64_t>(value));
        });
        s += '\n';
      }
    });
    for (std::size_t k = 0; k < count; ++k) out.write(text[k]);
  }
}

RunWriter::RunWriter(std::filesystem::path dir, const Simulation& sim, bool agents)
    : dir_(std::move(dir)), agents_(agents), group_names_(sim.group_names()) {
  std::error_code ec;
  for (std::filesystem::path p = dir_; !p.empty() && !std::filesystem::exists(p, ec);
       p = p.parent_path()) {
    created_root_ = p;
    if (p == p.parent_path()) break;
  }
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_))
    throw IoError("cannot create output folder " + dir_.string() + ": " + ec.message());
  timeseries_ = std::make_unique<AtomicFile>(dir_ / "timeseries.csv");
  market_ = std::make_unique<AtomicFile>(dir_ / "market.csv");
  offers_ = std::make_unique<AtomicFile>(dir_ / "offers.csv");
  timeseries_->write(kTimeseriesHeader);
  market_->write(kMarketHeader);
  offers_->write(kOffersHeader);
}

RunWriter::~RunWriter() { discard(); }

void RunWriter::record(const TickReport& r) {
  for (std::size_t g = 0; g < r.groups.size(); ++g)
    group_row(ts_buffer_, r.tick, group_names_[g], r.groups[g]);
  // Offers are flows: week 0, the initial state, has none.
  if (r.tick > 0)
    for (std::size_t g = 0; g < r.groups.size(); ++g)
      offers_row(offers_buffer_, r.tick, group_names_[g], r.groups[g].offers);
  market_row(market_buffer_, r.tick, r.market);
  if (ts_buffer_.size() > (1u << 20)) flush_buffers();
}

void RunWriter::flush_buffers() {
  timeseries_->write(ts_buffer_);
  market_->write(market_buffer_);
  offers_->write(offers_buffer_);
  ts_buffer_.clear();
  market_buffer_.clear();
  offers_buffer_.clear();
}

void RunWriter::finish(const Simulation& sim, const RunSummary& summary) {
  flush_buffers();
  // Everything is written to temporary names first; the renames come last, and
  // summary.json -- the file that says a run finished -- is renamed last of all.
  AtomicFile flows(dir_ / "flows.csv");
  flows.write(flows_csv(sim.flows()));
  std::vector<std::string> firm_ids(
      group_names_.begin(),
      group_names_.begin() + static_cast<std::ptrdiff_t>(sim.named_firm_count()));
  AtomicFile cohorts(dir_ / "cohorts.csv");
  cohorts.write(cohorts_csv(sim.world().cohort_book.table, firm_ids));
  AtomicFile scenario(dir_ / "scenario.yaml");
  scenario.write(to_yaml(sim.scenario()));
  std::unique_ptr<AtomicFile> agents;
  if (agents_) {
    agents = std::make_unique<AtomicFile>(dir_ / "agents.csv");
    write_agents_csv(sim, *agents);
  }
  AtomicFile json(dir_ / "summary.json");
  json.write(summary_json(summary));
  // An earlier run's summary.json goes first: should a rename below fail, the folder
  // must not look like a finished run made of two runs' files.
  std::error_code ec;
  std::filesystem::remove(dir_ / "summary.json", ec);
  if (ec) throw IoError("cannot replace " + (dir_ / "summary.json").string() + ": " + ec.message());
  if (!agents) std::filesystem::remove(dir_ / "agents.csv", ec);  // it would not match this run
  timeseries_->commit();
  market_->commit();
  offers_->commit();
  flows.commit();
  cohorts.commit();
  scenario.commit();
  if (agents) agents->commit();
  json.commit();
  finished_ = true;
}

void RunWriter::discard() noexcept {
  if (finished_) return;
  if (timeseries_) timeseries_->discard();
  if (market_) market_->discard();
  if (offers_) offers_->discard();
  if (created_root_.empty()) return;
  // Each folder this writer made, innermost first, while it is empty.
  std::error_code ec;
  for (std::filesystem::path p = dir_;; p = p.parent_path()) {
    if (!std::filesystem::is_empty(p, ec) || ec || !std::filesystem::remove(p, ec)) return;
    if (p == created_root_ || p == p.parent_path()) return;
  }
}

std::vector<std::string> RunWriter::files() const {
  std::vector<std::string> f{"timeseries.csv", "market.csv",   "offers.csv",   "flows.csv",
                             "cohorts.csv",    "summary.json", "scenario.yaml"};
  if (agents_) f.emplace_back("agents.csv");
  return f;
}

}  // namespace talentsim
