// The metric language: one number from a run, written `name(subject, key=value, ...)`,
// e.g. `median_salary(meta, week=0)` or `cohort_loss(meta, group=published,
// weeks=0..52)`. Targets in scenarios, `talentsim metrics`, `talentsim check` and
// calibration all use it; docs/MODEL.md "Measuring a run" gives the whole vocabulary
// (metric_vocabulary() lists it too).
//
// Every metric is computed from a RunRecord (study/record.hpp): the engine's exact
// weekly counts and its cohort table, so it gives the same number from a run in memory
// and (within the CSV files' printing precision, for the few non-integer columns) from
// a run folder read back.
//
// Windows. `week=W` is the state at the end of week W (week 0: the initial state).
// `weeks=A..B` sums flows over weeks A..B inclusive; week 0 has no flows, so 0..52 is
// weeks 1..52. Stock changes (cohort_loss, headcount_growth) compare the state at the
// end of week A with the end of week B.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/core/error.hpp"
#include "talentsim/model/metrics.hpp"
#include "talentsim/model/params.hpp"

namespace talentsim {

struct RunRecord;

/// A malformed or inapplicable metric. `column()` is 1-based within the metric's text;
/// the scenario reader turns it into a file position inside the quoted string.
class MetricError : public ScenarioError {
 public:
  MetricError(std::string text, int column, std::string reason, std::string suggestion = {});
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] int column() const noexcept { return column_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string text_;
  int column_;
  std::string reason_;
};

/// Inclusive range of weeks, A..B.
struct WeekRange {
  std::int64_t first = -1;
  std::int64_t last = -1;
  [[nodiscard]] bool given() const { return first >= 0; }
  bool operator==(const WeekRange&) const = default;
};

/// Which departures a metric counts.
enum class DepartureKind : std::uint8_t { kAll, kQuits, kSeparations };

/// A comparison in first_week(SERIES(S) OP X, ...).
enum class Comparison : std::uint8_t {
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
  kEqual,
  kNotEqual
};

/// A parsed metric. Fields a metric does not take keep their defaults.
struct Metric {
  std::string text;     ///< as written
  std::string name;     ///< e.g. "cohort_loss", "sum", "first_week"
  std::string series;   ///< sum, value, first_week: the weekly series, e.g. "reactive_raises"
  std::string subject;  ///< a firm id, "startups" or "market"; empty for market-wide metrics
  TalentGroup group = TalentGroup::kAll;
  DepartureKind kind = DepartureKind::kAll;
  std::int64_t week = -1;  ///< week=W
  WeekRange weeks;         ///< weeks=A..B
  WeekRange hired;         ///< hire_retention: hired=A..B
  std::int64_t after_weeks = 0;
  std::int64_t at_least = 0;
  Comparison op = Comparison::kGreater;
  double threshold = 0.0;

  /// 1-based columns in `text`, for messages: the subject, week=, weeks=, hired=,
  /// after_weeks= (0 when absent), and the closing parenthesis.
  int subject_column = 0, week_column = 0, weeks_column = 0, hired_column = 0, after_column = 0,
      end_column = 0;

  /// The last week the metric reads: a run must have at least this many weeks.
  [[nodiscard]] std::int64_t last_week() const;
};

/// Parses a metric. Checks its shape (known name, the arguments it takes, ranges in
/// order) but not firm ids or the run's length: check_metric does that.
/// @throws MetricError with the column of the problem.
Metric parse_metric(std::string_view text);

/// Checks a metric against a scenario: known firm ids (startups and market where the
/// metric allows them), and every week it reads within the run (0 .. ticks).
/// @throws MetricError with the column of the problem.
void check_metric(const Metric& metric, const Scenario& scenario);

/// The same, against named firm ids and a last week (kMaxTicks: any window a scenario
/// could reach; the scenario reader uses it, since --ticks may shorten a run).
void check_metric(const Metric& metric, const std::vector<std::string>& firm_ids,
                  std::int64_t last_week);

/// The metric's value on a run. NaN only where it is undefined: a share or mean of
/// nothing (no offers, an empty cohort, nobody there at the window's start).
/// @throws MetricError when the record lacks the firm or the weeks the metric reads.
double evaluate(const Metric& metric, const RunRecord& record);

/// One entry of the vocabulary: how it is written, and what it means.
struct MetricDoc {
  std::string usage;    ///< e.g. "cohort_loss(FIRM, group=G, weeks=A..B)"
  std::string meaning;  ///< one line
};

/// Every metric, then the weekly series that sum(), value() and first_week() take.
std::vector<MetricDoc> metric_vocabulary();
std::vector<MetricDoc> series_vocabulary();

/// The vocabulary as Markdown (docs/MODEL.md "Measuring a run", `talentsim metrics
/// --list`).
std::string metric_reference();

}  // namespace talentsim
