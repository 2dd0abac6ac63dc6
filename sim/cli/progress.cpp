#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace talentsim::cli {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Progress::Progress(bool enabled, std::int64_t ticks, std::int64_t researchers)
    : enabled_(enabled && ::isatty(STDERR_FILENO) != 0),
      ticks_(ticks),
      researchers_(researchers),
      start_(now_seconds()) {}

void Progress::update(std::int64_t tick) {
  if (!enabled_) return;
  const double now = now_seconds();
  if (tick < ticks_ && now - last_draw_ < 0.1) return;
  last_draw_ = now;
  const double elapsed = now - start_;
  const double fraction = static_cast<double>(tick) / static_cast<double>(ticks_);
  const double eta = tick > 0 ? elapsed * (1.0 / fraction - 1.0) : 0.0;
  const double rate =
      elapsed > 0 ? static_cast<double>(tick) * static_cast<double>(researchers_) / elapsed : 0.0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r[%s] week %lld/%lld  ETA %5.1fs  %.2e agent-ticks/s ", bar.c_str(),
               static_cast<long long>(tick), static_cast<long long>(ticks_), eta, rate);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r%*s\r", 90, "");
  std::fflush(stderr);
}

namespace {
std::string thousands(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}
std::string money(double usd) {
  std::ostringstream s;
  s << '$' << thousands(std::llround(usd / 1000.0)) << 'k';
  return s.str();
}
std::string percent(double x) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << 100.0 * x << '%';
  return s.str();
}

/// part / whole as a percentage, or "-" when there is no whole.
std::string share_of(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? percent(static_cast<double>(part) / static_cast<double>(whole)) : "-";
}

/// Columns as wide as their widest cell, two spaces apart; the first left-aligned, the
/// others right-aligned.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c >= width.size()) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      line += c == 0 ? row[c] + pad : "  " + pad + row[c];
    }
    out << line << "\n";
  }
}
}  // namespace

void print_summary(std::ostream& out, const RunSummary& s, const std::string& dir,
                   const std::vector<std::string>& files) {
  const double years = static_cast<double>(s.ticks) / 52.0;
  out << "talentsim " << s.version << ": " << s.scenario << " (seed " << s.seed << "), "
      << thousands(s.researchers) << " researchers, " << thousands(s.ticks) << " weeks ("
      << std::setprecision(3) << years << " years), " << s.threads << " thread"
      << (s.threads == 1 ? "" : "s") << "\n";
  std::ostringstream speed;
  speed << std::scientific << std::setprecision(2) << s.agent_ticks_per_second;
  out << "ran in " << std::fixed << std::setprecision(2) << s.wall_seconds << " s, " << speed.str()
      << " agent-ticks/s\n\n";

  std::vector<std::vector<std::string>> rows{{"firm", "headcount", "top talent", "median pay",
                                              "hires", "departures", "attrition", "kept",
                                              "top kept", "published kept", "counters won"}};
  for (const GroupSummary& g : s.groups) {
    rows.push_back({
        g.id,
        thousands(g.initial.headcount) + " -> " + thousands(g.final_tick.headcount),
        thousands(g.initial.top_headcount) + " -> " + thousands(g.final_tick.top_headcount),
        g.final_tick.headcount > 0 ? money(g.final_tick.median_salary) : "-",
        thousands(g.total.hires),
        thousands(g.total.departures),
        g.mean_headcount > 0 ? percent(g.annualised_attrition) + "/y" : "-",
        share_of(g.cohort_retained, g.cohort),
        share_of(g.top_cohort_retained, g.top_cohort),
        share_of(g.published_cohort_retained, g.published_cohort),
        thousands(g.total.counteroffers_won) + "/" + thousands(g.total.counteroffers),
    });
  }
  print_table(out, rows);
  const auto& m = s.market;
  const double n = static_cast<double>(s.researchers);
  out << "\nmarket: employed " << percent(static_cast<double>(m.employed) / n) << ", between jobs "
      << percent(static_cast<double>(m.between_jobs) / n) << " (independent "
      << percent(static_cast<double>(m.independent) / n) << ")"
      << ", startups alive " << thousands(m.startups_alive) << " (founded "
      << thousands(s.startups_founded) << ", failed " << thousands(s.startups_failed)
      << "), top-talent HHI " << std::setprecision(3) << m.top_talent_hhi << "\n";
  out << "attrition: departures per researcher-year; kept: share of the starting staff (of its "
         "top talent, of its published researchers) still there, never having left\n";
  if (!s.events_not_reached.empty()) {
    out << "events not reached (the run ends at week " << s.ticks << "):";
    for (const EventNotReached& e : s.events_not_reached) {
      out << "\n  events[" << e.index << "] " << e.type;
      if (!e.firm.empty()) out << " by " << e.firm;
      out << " in week " << e.week;
    }
    out << "\n";
  }
  out << "outputs: " << dir << "/ (";
  for (std::size_t i = 0; i < files.size(); ++i) out << (i ? ", " : "") << files[i];
  out << ")\n";
}

}  // namespace talentsim::cli
