// A run's output folder (tidy CSV, JSON, the resolved scenario), written so that
// every file is complete or absent, and the summary users read at the end.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/simulation.hpp"
#include "talentsim/output/atomic_file.hpp"

namespace talentsim {

/// Final figures of one reporting group (a named firm, or all startups).
struct GroupSummary {
  std::string id;
  std::string name;
  GroupMetrics initial;
  GroupMetrics final_tick;
  FirmTickCounters total;       ///< summed over the run
  double mean_headcount = 0.0;  ///< averaged over ticks
  /// Departures over the run per researcher-year: departures / mean headcount / years.
  double annualised_attrition = 0.0;
  /// The researchers there at the start, and those still there who never left.
  std::int64_t cohort = 0, cohort_retained = 0;
  std::int64_t top_cohort = 0, top_cohort_retained = 0;
  std::int64_t published_cohort = 0, published_cohort_retained = 0;
  /// Weeks in which three or more top-talent researchers left (docs/MODEL.md V6), and the most in a
  /// week.
  std::int64_t weeks_with_3_top_departures = 0;
  std::int64_t most_top_departures_in_a_week = 0;
};

/// An event of the scenario that the run never reached: its week is after the last.
struct EventNotReached {
  std::size_t index = 0;  ///< its place in the scenario's `events`
  std::int64_t week = 0;
  std::string type;
  std::string firm;  ///< empty for market events
};

/// What summary.json holds and the CLI prints.
struct RunSummary {
  std::string scenario;
  std::string description;
  std::uint64_t seed = 0;
  std::string version;
  int threads = 0;
  std::int64_t ticks = 0;
  std::int64_t researchers = 0;
  double wall_seconds = 0.0;
  double agent_ticks_per_second = 0.0;
  std::uint64_t state_hash = 0;
  std::vector<GroupSummary> groups;
  MarketMetrics market;  ///< at the last tick
  std::int64_t startups_founded = 0;
  std::int64_t startups_failed = 0;
  std::vector<EventNotReached> events_not_reached;
};

/// Accumulates what the summary needs tick by tick.
class SummaryBuilder {
 public:
  explicit SummaryBuilder(const Simulation& sim, TickReport initial);
  void record(const TickReport& report);
  /// @param wall_seconds time spent in the tick loop
  [[nodiscard]] RunSummary build(const Simulation& sim, int threads, double wall_seconds) const;

 private:
  TickReport initial_;
  TickReport last_;
  std::vector<double> headcount_sum_;
  std::vector<std::int64_t> top_weeks_;
  std::vector<std::int64_t> top_max_;
  std::int64_t ticks_ = 0;
  std::int64_t founded_ = 0;
  std::int64_t failed_ = 0;
};

/// summary.json's text.
std::string summary_json(const RunSummary& summary);

/// Writes DIR/timeseries.csv, market.csv and offers.csv tick by tick (record() the
/// initial report first: week 0 is a row), then flows.csv, cohorts.csv, summary.json,
/// scenario.yaml and (optionally) agents.csv on finish(). Until then
/// only temporary files exist; if the writer is destroyed first they are removed.
/// summary.json marks a finished run: finish() removes an earlier run's copy before it
/// renames anything and renames the new one last, so a folder holds a summary.json only
/// while its files are one complete run.
class RunWriter {
 public:
  /// Creates DIR if needed. @throws IoError
  RunWriter(std::filesystem::path dir, const Simulation& sim, bool agents);
  ~RunWriter();

  void record(const TickReport& report);
  /// Writes the remaining files and renames every file into place. @throws IoError
  void finish(const Simulation& sim, const RunSummary& summary);
  /// Removes every temporary file, and the folders this writer created (DIR and any
  /// parents made for it) where they are left empty (also done by the destructor when not
  /// finished).
  void discard() noexcept;

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  /// Names of the files a finished run leaves in DIR.
  [[nodiscard]] std::vector<std::string> files() const;

 private:
  void flush_buffers();

  std::filesystem::path dir_;
  bool agents_;
  /// The outermost folder this writer created (DIR or a parent of it); empty if none.
  std::filesystem::path created_root_;
  bool finished_ = false;
  std::vector<std::string> group_names_;
  std::unique_ptr<AtomicFile> timeseries_;
  std::unique_ptr<AtomicFile> market_;
  std::unique_ptr<AtomicFile> offers_;
  std::string ts_buffer_;
  std::string market_buffer_;
  std::string offers_buffer_;
};

/// The text of flows.csv, cohorts.csv (named firms' ids in order), agents.csv.
std::string flows_csv(const FlowMatrix& flows);
std::string cohorts_csv(const CohortTable& table, const std::vector<std::string>& firms);
void write_agents_csv(const Simulation& sim, AtomicFile& out);

/// Column headers (pinned by the command-line contract; extras come after).
extern const char* const kTimeseriesHeader;
extern const char* const kMarketHeader;
extern const char* const kOffersHeader;
extern const char* const kCohortsHeader;
extern const char* const kAgentsHeader;

}  // namespace talentsim
