// The metric language (include/talentsim/study/metric.hpp; docs/MODEL.md "Measuring a
// run"): a small tokenizer and parser, one table of metrics and one of weekly series
// (which drive parsing, checking, evaluation and the documentation alike), and the
// arithmetic of each metric over a RunRecord.
#include "talentsim/study/metric.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "talentsim/core/text.hpp"
#include "talentsim/study/record.hpp"

namespace talentsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string metric_message(const std::string& text, int column, const std::string& reason) {
  return "in metric '" + text + "' at column " + std::to_string(column) + ": " + reason;
}

}  // namespace

MetricError::MetricError(std::string text, int column, std::string reason, std::string suggestion)
    : ScenarioError(SourceLocation{}, "", metric_message(text, column, reason),
                    std::move(suggestion)),
      text_(std::move(text)),
      column_(column),
      reason_(std::move(reason)) {}

namespace {

// ---------------------------------------------------------------------------
// The vocabulary
// ---------------------------------------------------------------------------

/// What the positional argument of a metric is.
enum class Positional : std::uint8_t {
  kNone,       ///< market-wide: share_between_jobs(week=W)
  kSubject,    ///< a firm id, startups or market
  kSeries,     ///< sum(SERIES(S), ...), value(SERIES(S), ...)
  kCondition,  ///< first_week(SERIES(S) OP X, ...)
};

/// Which subjects a metric (or series) takes.
enum class Subjects : std::uint8_t {
  kAny,             ///< a firm, startups, or market
  kFirmOrStartups,  ///< not market (medians do not combine)
  kNamedFirm,       ///< cohorts are kept for named firms only
  kMarket,          ///< market only
};

struct MetricSpec {
  std::string_view name;
  Positional positional;
  Subjects subjects;
  std::string_view required;  ///< keys, comma-separated
  std::string_view optional;
  std::string_view usage;
  std::string_view meaning;
};

// clang-format off
constexpr std::array kMetrics{
  MetricSpec{"headcount", Positional::kSubject, Subjects::kAny, "week", "",
    "headcount(S, week=W)", "researchers at S at the end of week W (S a firm id, startups, or market: everyone employed)"},
  MetricSpec{"top_headcount", Positional::kSubject, Subjects::kAny, "week", "",
    "top_headcount(S, week=W)", "top talent (the best population.top_share by skill) at S"},
  MetricSpec{"published_headcount", Positional::kSubject, Subjects::kAny, "week", "",
    "published_headcount(S, week=W)", "published researchers (the best population.published_share) at S"},
  MetricSpec{"leader_headcount", Positional::kSubject, Subjects::kAny, "week", "",
    "leader_headcount(S, week=W)", "leaders (the best population.leader_share) at S"},
  MetricSpec{"mean_salary", Positional::kSubject, Subjects::kAny, "week", "",
    "mean_salary(S, week=W)", "mean pay of those at S, USD/year (market: of everyone employed); NaN when nobody is there"},
  MetricSpec{"median_salary", Positional::kSubject, Subjects::kFirmOrStartups, "week", "",
    "median_salary(S, week=W)", "exact median pay of those at S (a firm or startups: medians do not combine); NaN when nobody is there"},
  MetricSpec{"mean_burnout", Positional::kSubject, Subjects::kAny, "week", "",
    "mean_burnout(S, week=W)", "mean burnout of those at S, 0..1"},
  MetricSpec{"mean_faith", Positional::kSubject, Subjects::kAny, "week", "",
    "mean_faith(S, week=W)", "mean faith in the employer of those at S, 0..1"},
  MetricSpec{"share_between_jobs", Positional::kNone, Subjects::kAny, "week", "",
    "share_between_jobs(week=W)", "share of all researchers not employed at the end of week W (independent researchers included)"},
  MetricSpec{"top_talent_hhi", Positional::kNone, Subjects::kAny, "week", "",
    "top_talent_hhi(week=W)", "Herfindahl index of top talent across employers (each startup its own), 0..1"},
  MetricSpec{"attrition", Positional::kSubject, Subjects::kAny, "weeks", "group,kind",
    "attrition(S, weeks=A..B[, group=G][, kind=K])",
    "yearly departure rate: departures of the group in weeks A..B / its mean headcount at the ends of those weeks x 52 / their number (market: every move out of an employer)"},
  MetricSpec{"weeks_with_departures", Positional::kSubject, Subjects::kAny, "at_least,weeks", "group,kind",
    "weeks_with_departures(S, at_least=N, weeks=A..B[, group=G][, kind=K])",
    "weeks in A..B in which N or more of the group left S"},
  MetricSpec{"cohort_loss", Positional::kSubject, Subjects::kNamedFirm, "weeks", "group",
    "cohort_loss(FIRM, weeks=A..B[, group=G])",
    "share of the group at FIRM at the end of week A who are gone by the end of week B (who left and came back counts as gone); B - A is 26, 52 or 104; NaN for an empty group"},
  MetricSpec{"hire_retention", Positional::kSubject, Subjects::kNamedFirm, "after_weeks,hired", "group",
    "hire_retention(FIRM, after_weeks=N, hired=A..B[, group=G])",
    "share of the group's hires of weeks A..B (pooled) still at FIRM without a break N weeks after joining; N is 26, 52 or 104; NaN without hires"},
  MetricSpec{"headcount_growth", Positional::kSubject, Subjects::kAny, "weeks", "group",
    "headcount_growth(S, weeks=A..B[, group=G])",
    "the group's headcount at the end of week B / at the end of week A - 1; NaN when it was 0 at A"},
  MetricSpec{"counteroffer_win_share", Positional::kSubject, Subjects::kAny, "weeks", "",
    "counteroffer_win_share(S, weeks=A..B)",
    "counter-offers that kept the researcher / counter-offers made, weeks A..B; NaN without counter-offers"},
  MetricSpec{"withdrawn_share", Positional::kSubject, Subjects::kAny, "weeks", "",
    "withdrawn_share(S, weeks=A..B)",
    "acceptances refused by a headcount cap or payroll budget / offers of S accepted, weeks A..B; NaN without acceptances"},
  MetricSpec{"median_offer", Positional::kSubject, Subjects::kAny, "weeks", "",
    "median_offer(S, weeks=A..B)",
    "median of the weekly median offers of S, each week weighted by the offers it made (the median offer if every offer paid its week's median; the engine keeps weekly medians only); NaN without offers"},
  MetricSpec{"mean_offer", Positional::kSubject, Subjects::kAny, "weeks", "",
    "mean_offer(S, weeks=A..B)", "mean offered pay of S over weeks A..B (exact: pay sums / offers); NaN without offers"},
  MetricSpec{"sum", Positional::kSeries, Subjects::kAny, "weeks", "",
    "sum(SERIES(S), weeks=A..B)", "a flow series summed over weeks A..B"},
  MetricSpec{"value", Positional::kSeries, Subjects::kAny, "week", "",
    "value(SERIES(S), week=W)", "any series at week W"},
  MetricSpec{"first_week", Positional::kCondition, Subjects::kAny, "weeks", "",
    "first_week(SERIES(S) OP X, weeks=A..B)",
    "the first week in A..B in which SERIES(S) OP X holds (OP: > >= < <= == !=); B + 1 when it never does, so a mean stays computable"},
};
// clang-format on

/// A weekly series: per reporting group (summed over them for the market), or the
/// market's own.
enum class SeriesScope : std::uint8_t { kGroup, kGroupNotMarket, kMarket };

enum class SeriesId : std::uint8_t {
  kHires,
  kDepartures,
  kQuits,
  kSeparations,
  kDeparturesToFirm,
  kDeparturesToStartup,
  kDeparturesToIndependent,
  kDeparturesToBetweenJobs,
  kCounteroffers,
  kCounteroffersWon,
  kReactiveRaises,
  kRejectedByLimits,
  kTopDepartures,
  kTopQuits,
  kTopSeparations,
  kPublishedDepartures,
  kPublishedQuits,
  kPublishedSeparations,
  kLeaderDepartures,
  kLeaderQuits,
  kLeaderSeparations,
  kOffers,
  kOffersAccepted,
  kOffersCountered,
  kHeadcount,
  kTopHeadcount,
  kPublishedHeadcount,
  kLeaderHeadcount,
  kMeanSalary,
  kMedianSalary,
  kMeanBurnout,
  kMeanFaith,
  kMedianOffer,
  kMeanOffer,
  kEmployed,
  kBetweenJobs,
  kIndependent,
  kStartupsAlive,
  kPendingHires,
  kTopTalentHhi,
  kStartupsFounded,
  kStartupsFailed,
  kStartupsRefused,
  kDecisions,
};

struct SeriesSpec {
  std::string_view name;
  SeriesId id;
  bool flow;  ///< counted over a week (sum() takes these), rather than a state at its end
  SeriesScope scope;
  std::string_view meaning;
};

// clang-format off
constexpr std::array kSeries{
  SeriesSpec{"hires", SeriesId::kHires, true, SeriesScope::kGroup, "researchers who joined"},
  SeriesSpec{"departures", SeriesId::kDepartures, true, SeriesScope::kGroup, "researchers who left, any destination (= quits + separations)"},
  SeriesSpec{"quits", SeriesId::kQuits, true, SeriesScope::kGroup, "voluntary departures: to a firm, a startup or independent research"},
  SeriesSpec{"separations", SeriesId::kSeparations, true, SeriesScope::kGroup, "involuntary departures, into between jobs"},
  SeriesSpec{"departures_to_firm", SeriesId::kDeparturesToFirm, true, SeriesScope::kGroup, "departures to another named firm"},
  SeriesSpec{"departures_to_startup", SeriesId::kDeparturesToStartup, true, SeriesScope::kGroup, "departures to a startup (founders and joiners)"},
  SeriesSpec{"departures_to_independent", SeriesId::kDeparturesToIndependent, true, SeriesScope::kGroup, "departures to independent research"},
  SeriesSpec{"departures_to_between_jobs", SeriesId::kDeparturesToBetweenJobs, true, SeriesScope::kGroup, "separations into unemployment"},
  SeriesSpec{"counteroffers", SeriesId::kCounteroffers, true, SeriesScope::kGroup, "counter-offers made to leavers"},
  SeriesSpec{"counteroffers_won", SeriesId::kCounteroffersWon, true, SeriesScope::kGroup, "counter-offers that kept the researcher"},
  SeriesSpec{"reactive_raises", SeriesId::kReactiveRaises, true, SeriesScope::kGroup, "researchers whose pay the reactive-raise policy raised"},
  SeriesSpec{"rejected_by_limits", SeriesId::kRejectedByLimits, true, SeriesScope::kGroup, "acceptances refused by a headcount cap or payroll budget"},
  SeriesSpec{"top_departures", SeriesId::kTopDepartures, true, SeriesScope::kGroup, "departures of top talent"},
  SeriesSpec{"top_quits", SeriesId::kTopQuits, true, SeriesScope::kGroup, "quits of top talent"},
  SeriesSpec{"top_separations", SeriesId::kTopSeparations, true, SeriesScope::kGroup, "separations of top talent"},
  SeriesSpec{"published_departures", SeriesId::kPublishedDepartures, true, SeriesScope::kGroup, "departures of published researchers"},
  SeriesSpec{"published_quits", SeriesId::kPublishedQuits, true, SeriesScope::kGroup, "quits of published researchers"},
  SeriesSpec{"published_separations", SeriesId::kPublishedSeparations, true, SeriesScope::kGroup, "separations of published researchers"},
  SeriesSpec{"leader_departures", SeriesId::kLeaderDepartures, true, SeriesScope::kGroup, "departures of leaders"},
  SeriesSpec{"leader_quits", SeriesId::kLeaderQuits, true, SeriesScope::kGroup, "quits of leaders"},
  SeriesSpec{"leader_separations", SeriesId::kLeaderSeparations, true, SeriesScope::kGroup, "separations of leaders"},
  SeriesSpec{"offers", SeriesId::kOffers, true, SeriesScope::kGroup, "offers made"},
  SeriesSpec{"offers_accepted", SeriesId::kOffersAccepted, true, SeriesScope::kGroup, "offers chosen by the researcher (after any counter-offer)"},
  SeriesSpec{"offers_countered", SeriesId::kOffersCountered, true, SeriesScope::kGroup, "offers met by a counter-offer from the researcher's employer"},
  SeriesSpec{"headcount", SeriesId::kHeadcount, false, SeriesScope::kGroup, "researchers there"},
  SeriesSpec{"top_headcount", SeriesId::kTopHeadcount, false, SeriesScope::kGroup, "top talent there"},
  SeriesSpec{"published_headcount", SeriesId::kPublishedHeadcount, false, SeriesScope::kGroup, "published researchers there"},
  SeriesSpec{"leader_headcount", SeriesId::kLeaderHeadcount, false, SeriesScope::kGroup, "leaders there"},
  SeriesSpec{"mean_salary", SeriesId::kMeanSalary, false, SeriesScope::kGroup, "mean pay, USD/year (market: headcount-weighted over employers); NaN when nobody is there"},
  SeriesSpec{"median_salary", SeriesId::kMedianSalary, false, SeriesScope::kGroupNotMarket, "exact median pay; NaN when nobody is there"},
  SeriesSpec{"mean_burnout", SeriesId::kMeanBurnout, false, SeriesScope::kGroup, "mean burnout; NaN when nobody is there"},
  SeriesSpec{"mean_faith", SeriesId::kMeanFaith, false, SeriesScope::kGroup, "mean faith; NaN when nobody is there"},
  SeriesSpec{"median_offer", SeriesId::kMedianOffer, false, SeriesScope::kGroupNotMarket, "the week's exact median offered pay; NaN in a week without offers"},
  SeriesSpec{"mean_offer", SeriesId::kMeanOffer, false, SeriesScope::kGroup, "the week's mean offered pay; NaN in a week without offers"},
  SeriesSpec{"employed", SeriesId::kEmployed, false, SeriesScope::kMarket, "researchers employed (market only)"},
  SeriesSpec{"between_jobs", SeriesId::kBetweenJobs, false, SeriesScope::kMarket, "researchers not employed, independent ones included (market only)"},
  SeriesSpec{"independent", SeriesId::kIndependent, false, SeriesScope::kMarket, "independent researchers (market only)"},
  SeriesSpec{"startups_alive", SeriesId::kStartupsAlive, false, SeriesScope::kMarket, "startups alive (market only)"},
  SeriesSpec{"pending_hires", SeriesId::kPendingHires, false, SeriesScope::kMarket, "accepted offers waiting for their start week (market only)"},
  SeriesSpec{"top_talent_hhi", SeriesId::kTopTalentHhi, false, SeriesScope::kMarket, "Herfindahl index of top talent (market only)"},
  SeriesSpec{"startups_founded", SeriesId::kStartupsFounded, true, SeriesScope::kMarket, "startups founded (market only)"},
  SeriesSpec{"startups_failed", SeriesId::kStartupsFailed, true, SeriesScope::kMarket, "startups failed (market only)"},
  SeriesSpec{"startups_refused", SeriesId::kStartupsRefused, true, SeriesScope::kMarket, "foundings that found every startup slot taken (market only)"},
  SeriesSpec{"decisions", SeriesId::kDecisions, true, SeriesScope::kMarket, "researchers who chose among options (market only)"},
};
// clang-format on

constexpr std::string_view kMarketSubject = "market";

const MetricSpec* find_metric(std::string_view name) {
  for (const MetricSpec& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

const SeriesSpec* find_series(std::string_view name) {
  for (const SeriesSpec& s : kSeries)
    if (s.name == name) return &s;
  return nullptr;
}

const SeriesSpec& series_spec(const Metric& m) {
  const SeriesSpec* s = find_series(m.series.empty() ? m.name : m.series);
  return *s;  // parse_metric made sure it exists
}

bool listed(std::string_view list, std::string_view key) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (list.substr(0, comma) == key) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

template <class Table>
std::vector<std::string> names_of(const Table& table) {
  std::vector<std::string> out;
  out.reserve(table.size());
  for (const auto& entry : table) out.emplace_back(entry.name);
  return out;
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

enum class Tok : std::uint8_t { kIdent, kNumber, kDots, kOpen, kClose, kComma, kEquals, kOp, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  int column = 0;  ///< 1-based
};

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  const auto at = [&](std::size_t k) { return k < n ? text[k] : '\0'; };
  while (i < n) {
    const char c = text[i];
    const int column = static_cast<int>(i) + 1;
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < n && is_ident_char(text[j])) ++j;
      out.push_back({Tok::kIdent, text.substr(i, j - i), column});
      i = j;
      continue;
    }
    if (is_digit(c) || ((c == '-' || c == '+') && is_digit(at(i + 1))) ||
        (c == '.' && is_digit(at(i + 1)) && (i == 0 || text[i - 1] != '.'))) {
      std::size_t j = i;
      if (text[j] == '-' || text[j] == '+') ++j;
      while (j < n && is_digit(text[j])) ++j;
      // A '.' belongs to the number only before a digit: 0..52 is 0, .., 52.
      if (at(j) == '.' && is_digit(at(j + 1))) {
        ++j;
        while (j < n && is_digit(text[j])) ++j;
      }
      if ((at(j) == 'e' || at(j) == 'E') &&
          (is_digit(at(j + 1)) ||
           ((at(j + 1) == '-' || at(j + 1) == '+') && is_digit(at(j + 2))))) {
        j += 2;
        while (j < n && is_digit(text[j])) ++j;
      }
      out.push_back({Tok::kNumber, text.substr(i, j - i), column});
      i = j;
      continue;
    }
    if (c == '.' && at(i + 1) == '.') {
      out.push_back({Tok::kDots, "..", column});
      i += 2;
      continue;
    }
    if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '('   ? Tok::kOpen
                     : c == ')' ? Tok::kClose
                                : Tok::kComma,
                     std::string(1, c), column});
      ++i;
      continue;
    }
    if (c == '>' || c == '<' || c == '!' || c == '=') {
      if (at(i + 1) == '=') {
        out.push_back({Tok::kOp, text.substr(i, 2), column});
        i += 2;
        continue;
      }
      if (c == '>' || c == '<') {
        out.push_back({Tok::kOp, std::string(1, c), column});
        ++i;
        continue;
      }
      if (c == '=') {
        out.push_back({Tok::kEquals, "=", column});
        ++i;
        continue;
      }
    }
    throw MetricError(text, column, "unexpected character '" + std::string(1, c) + "'");
  }
  out.push_back({Tok::kEnd, "", static_cast<int>(n) + 1});
  return out;
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

class Parser {
 public:
  explicit Parser(std::string text) : tokens_(tokenize(text)) { m_.text = std::move(text); }

  Metric parse() {
    const Token name = expect(Tok::kIdent, "expected a metric name, e.g. median_salary");
    spec_ = find_metric(name.text);
    if (spec_ == nullptr)
      fail(name.column, "unknown metric '" + name.text + "'; `talentsim metrics --list` lists them",
           closest_match(name.text, names_of(kMetrics)));
    m_.name = name.text;
    expect(Tok::kOpen, "expected '(' after the metric's name");
    bool positional_seen = false;
    if (peek().kind != Tok::kClose) {
      for (;;) {
        argument(positional_seen);
        if (peek().kind == Tok::kComma) {
          next();
          continue;
        }
        break;
      }
    }
    const Token close = expect(Tok::kClose, "expected ',' or ')'");
    m_.end_column = close.column;
    if (peek().kind != Tok::kEnd) fail(peek().column, "unexpected text after the closing ')'");
    finish(positional_seen);
    return std::move(m_);
  }

 private:
  [[noreturn]] void fail(int column, const std::string& reason, std::string suggestion = {}) const {
    throw MetricError(m_.text, column, reason, std::move(suggestion));
  }
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  const Token& expect(Tok kind, const std::string& reason) {
    if (peek().kind != kind) fail(peek().column, reason + got());
    return next();
  }
  [[nodiscard]] std::string got() const {
    return peek().kind == Tok::kEnd ? ", got the end of the text" : ", got '" + peek().text + "'";
  }

  void argument(bool& positional_seen) {
    const Token& first = peek();
    if (first.kind == Tok::kIdent && peek(1).kind == Tok::kEquals) {
      keyword();
      return;
    }
    if (first.kind != Tok::kIdent)
      fail(first.column, "expected an argument (a subject or KEY=VALUE)" + got());
    if (positional_seen)
      fail(first.column, "only one subject is allowed; give the others as KEY=VALUE");
    positional_seen = true;
    if (spec_->positional == Positional::kNone)
      fail(first.column, m_.name + " takes no subject; it is about the whole market");
    const Token ident = next();
    const bool call = peek().kind == Tok::kOpen;
    if (spec_->positional == Positional::kSubject) {
      if (call)
        fail(ident.column,
             m_.name + " takes a subject (a firm id, startups or market), not a series");
      m_.subject = ident.text;
      m_.subject_column = ident.column;
      return;
    }
    // A series, SERIES(SUBJECT), and for first_week a comparison after it.
    if (!call)
      fail(ident.column, m_.name + " takes a series of a subject, e.g. " +
                             (spec_->positional == Positional::kCondition
                                  ? std::string("reactive_raises(tesla) > 0")
                                  : std::string("hires(meta)")));
    const SeriesSpec* series = find_series(ident.text);
    if (series == nullptr)
      fail(ident.column,
           "unknown series '" + ident.text + "'; `talentsim metrics --list` lists them",
           closest_match(ident.text, names_of(kSeries)));
    if (m_.name == "sum" && !series->flow)
      fail(ident.column,
           "'" + ident.text + "' is a level, not a flow; sum() adds up flows (use value())");
    m_.series = ident.text;
    next();  // (
    const Token subject = expect(Tok::kIdent, "expected a subject (a firm id, startups or market)");
    m_.subject = subject.text;
    m_.subject_column = subject.column;
    expect(Tok::kClose, "expected ')' after the subject");
    if (spec_->positional == Positional::kCondition) {
      const Token op = expect(Tok::kOp, "expected a comparison (> >= < <= == !=) after the series");
      m_.op = comparison(op.text);
      const Token x = expect(Tok::kNumber, "expected a number to compare with");
      m_.threshold = number(x);
    } else if (peek().kind == Tok::kOp) {
      fail(peek().column, "a comparison belongs in first_week(), not in " + m_.name + "()");
    }
  }

  static Comparison comparison(const std::string& op) {
    if (op == ">") return Comparison::kGreater;
    if (op == ">=") return Comparison::kGreaterEqual;
    if (op == "<") return Comparison::kLess;
    if (op == "<=") return Comparison::kLessEqual;
    if (op == "==") return Comparison::kEqual;
    return Comparison::kNotEqual;
  }

  double number(const Token& t) const {
    const auto x = parse_double(t.text);
    if (!x) fail(t.column, "expected a finite number, got '" + t.text + "'");
    return *x;
  }

  std::int64_t integer(const Token& t, const std::string& key) const {
    if (t.kind != Tok::kNumber)
      fail(t.column, key + ": expected a whole number of weeks, got '" + t.text + "'");
    const auto v = parse_int(t.text);
    if (!v) fail(t.column, key + ": expected a whole number, got '" + t.text + "'");
    if (*v < 0) fail(t.column, key + ": weeks start at 0, got " + t.text);
    if (*v > kMaxTicks)
      fail(t.column,
           key + ": a run has at most " + std::to_string(kMaxTicks) + " weeks, got " + t.text);
    return *v;
  }

  WeekRange range(const std::string& key) {
    const Token a = next();
    if (a.kind != Tok::kNumber || peek().kind != Tok::kDots)
      fail(a.column, key + ": expected a range of weeks A..B, e.g. 0..52");
    next();  // ..
    const Token b = next();
    if (b.kind != Tok::kNumber) fail(b.column, key + ": expected the range's last week after '..'");
    WeekRange r{integer(a, key), integer(b, key)};
    if (r.first > r.last)
      fail(a.column,
           key + ": " + a.text + ".." + b.text + " is out of order; the first week comes first");
    return r;
  }

  void keyword() {
    const Token key = next();
    next();  // =
    if (!listed(spec_->required, key.text) && !listed(spec_->optional, key.text)) {
      std::vector<std::string> known;
      for (const std::string_view list : {spec_->required, spec_->optional})
        for (std::size_t start = 0; start < list.size();) {
          const std::size_t comma = std::min(list.find(',', start), list.size());
          known.emplace_back(list.substr(start, comma - start));
          start = comma + 1;
        }
      std::string keys;
      for (const auto& k : known) keys += (keys.empty() ? "" : ", ") + k;
      fail(key.column,
           m_.name + " takes no '" + key.text + "'" + (keys.empty() ? "" : "; it takes " + keys),
           closest_match(key.text, known));
    }
    if (std::find(seen_.begin(), seen_.end(), key.text) != seen_.end())
      fail(key.column, "'" + key.text + "' is given twice");
    seen_.push_back(key.text);
    const Token& value = peek();
    if (value.kind == Tok::kEnd || value.kind == Tok::kComma || value.kind == Tok::kClose)
      fail(value.column, key.text + ": the value is missing" + got());
    if (key.text == "week") {
      m_.week = integer(next(), key.text);
      m_.week_column = key.column;
    } else if (key.text == "weeks") {
      m_.weeks = range(key.text);
      m_.weeks_column = key.column;
    } else if (key.text == "hired") {
      m_.hired = range(key.text);
      m_.hired_column = key.column;
    } else if (key.text == "after_weeks") {
      const Token t = next();
      m_.after_weeks = integer(t, key.text);
      m_.after_column = key.column;
      if (std::find(kCohortOffsets.begin(), kCohortOffsets.end(), m_.after_weeks) ==
          kCohortOffsets.end())
        fail(t.column,
             "after_weeks: the engine counts survivors 26, 52 or 104 weeks on, got " + t.text);
    } else if (key.text == "at_least") {
      const Token t = next();
      m_.at_least = integer(t, key.text);
      if (m_.at_least < 1) fail(t.column, "at_least: expected 1 or more, got " + t.text);
    } else if (key.text == "group") {
      const Token t = expect(Tok::kIdent, "group: expected all, top, published or leaders");
      const auto* const it = std::find(kTalentGroupNames.begin(), kTalentGroupNames.end(), t.text);
      if (it == kTalentGroupNames.end()) {
        const std::vector<std::string> groups(kTalentGroupNames.begin(), kTalentGroupNames.end());
        fail(t.column, "unknown group '" + t.text + "'; expected all, top, published or leaders",
             closest_match(t.text, groups));
      }
      m_.group = static_cast<TalentGroup>(it - kTalentGroupNames.begin());
    } else if (key.text == "kind") {
      const Token t = expect(Tok::kIdent, "kind: expected departures, quits or separations");
      if (t.text == "departures")
        m_.kind = DepartureKind::kAll;
      else if (t.text == "quits")
        m_.kind = DepartureKind::kQuits;
      else if (t.text == "separations")
        m_.kind = DepartureKind::kSeparations;
      else
        fail(t.column, "unknown kind '" + t.text + "'; expected departures, quits or separations",
             closest_match(t.text, std::vector<std::string>{"departures", "quits", "separations"}));
    }
  }

  void finish(bool positional_seen) {
    if (!positional_seen && spec_->positional != Positional::kNone)
      fail(m_.end_column, std::string(spec_->positional == Positional::kSubject
                                          ? "missing the subject (a firm id, startups or market)"
                                          : "missing the series, e.g. hires(meta)") +
                              "; write " + std::string(spec_->usage));
    for (std::string_view list = spec_->required; !list.empty();) {
      const std::size_t comma = list.find(',');
      const std::string key(list.substr(0, comma));
      if (std::find(seen_.begin(), seen_.end(), key) == seen_.end())
        fail(m_.end_column, "missing " + key + "=; write " + std::string(spec_->usage));
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    if (m_.name == "attrition" && m_.weeks.last < 1)
      fail(m_.weeks_column, "weeks: attrition needs a week with flows (weeks 1 and on)");
    if (m_.name == "cohort_loss") {
      const std::int64_t span = m_.weeks.last - m_.weeks.first;
      if (std::find(kCohortOffsets.begin(), kCohortOffsets.end(), span) == kCohortOffsets.end())
        fail(m_.weeks_column,
             "weeks: cohort_loss compares weeks 26, 52 or 104 apart (the engine "
             "counts survivors at those offsets); " +
                 std::to_string(m_.weeks.first) + ".." + std::to_string(m_.weeks.last) + " is " +
                 std::to_string(span) + " weeks");
    }
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  Metric m_;
  const MetricSpec* spec_ = nullptr;
  std::vector<std::string> seen_;
};

// ---------------------------------------------------------------------------
// Checking against firm ids and the run's length
// ---------------------------------------------------------------------------

Subjects allowed_subjects(const Metric& m) {
  const MetricSpec& spec = *find_metric(m.name);
  if (spec.positional == Positional::kSeries || spec.positional == Positional::kCondition) {
    switch (series_spec(m).scope) {
      case SeriesScope::kGroup:
        return Subjects::kAny;
      case SeriesScope::kGroupNotMarket:
        return Subjects::kFirmOrStartups;
      case SeriesScope::kMarket:
        return Subjects::kMarket;
    }
  }
  return spec.subjects;
}

void check_names(const Metric& m, const std::vector<std::string>& firm_ids) {
  if (m.subject.empty()) return;
  const Subjects allowed = allowed_subjects(m);
  const std::string what = m.series.empty() ? m.name : m.series;
  const bool named = std::find(firm_ids.begin(), firm_ids.end(), m.subject) != firm_ids.end();
  if (allowed == Subjects::kMarket) {
    if (m.subject != kMarketSubject)
      throw MetricError(m.text, m.subject_column,
                        what + " is the market's; write " + what + "(market)");
    return;
  }
  if (m.subject == kMarketSubject) {
    if (allowed == Subjects::kAny) return;
    throw MetricError(
        m.text, m.subject_column,
        allowed == Subjects::kNamedFirm
            ? what + " needs a named firm: cohorts are kept per firm"
            : what + " needs a firm or startups: medians do not combine across employers");
  }
  if (m.subject == kStartupsGroup) {
    if (allowed == Subjects::kNamedFirm)
      throw MetricError(m.text, m.subject_column,
                        what + " needs a named firm: cohorts are kept for named firms only");
    return;
  }
  if (!named) {
    std::vector<std::string> candidates = firm_ids;
    if (allowed != Subjects::kNamedFirm) candidates.emplace_back(kStartupsGroup);
    if (allowed == Subjects::kAny) candidates.emplace_back(kMarketSubject);
    std::string list;
    for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
    throw MetricError(m.text, m.subject_column,
                      "unknown firm '" + m.subject + "'; expected one of " + list,
                      closest_match(m.subject, candidates));
  }
}

void check_weeks(const Metric& m, std::int64_t last) {
  const auto past = [&](std::int64_t week, int column, const std::string& what) {
    if (week > last)
      throw MetricError(m.text, column,
                        what + " reads week " + std::to_string(week) +
                            " but the run ends at week " + std::to_string(last));
  };
  if (m.week >= 0) past(m.week, m.week_column, "week");
  if (m.weeks.given()) past(m.weeks.last, m.weeks_column, "weeks");
  if (m.hired.given())
    past(m.hired.last + m.after_weeks, m.hired_column,
         "hired=" + std::to_string(m.hired.first) + ".." + std::to_string(m.hired.last) +
             " with after_weeks=" + std::to_string(m.after_weeks));
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// A subject in a record: one reporting group, or the market (all groups).
struct Subject {
  bool market = false;
  std::size_t group = 0;
};

Subject resolve(const Metric& m, const RunRecord& r) {
  std::vector<std::string> named(r.groups.begin(),
                                 r.groups.begin() + static_cast<std::ptrdiff_t>(r.named));
  check_names(m, named);
  check_weeks(m, r.last_week());
  if (m.subject.empty() || m.subject == kMarketSubject) return {true, 0};
  const auto it = std::find(r.groups.begin(), r.groups.end(), m.subject);
  if (it == r.groups.end())
    throw MetricError(m.text, m.subject_column, "the run has no group '" + m.subject + "'");
  return {false, static_cast<std::size_t>(it - r.groups.begin())};
}

double ratio(double num, double den) { return den != 0.0 ? num / den : kNaN; }

/// A per-group count in one week.
double group_value(SeriesId id, const GroupMetrics& g) {
  const FirmTickCounters& k = g.counts;
  switch (id) {
    case SeriesId::kHires:
      return static_cast<double>(k.hires);
    case SeriesId::kDepartures:
      return static_cast<double>(k.departures);
    case SeriesId::kQuits:
      return static_cast<double>(k.quits);
    case SeriesId::kSeparations:
      return static_cast<double>(k.departures - k.quits);
    case SeriesId::kDeparturesToFirm:
      return static_cast<double>(k.departures_to_firm);
    case SeriesId::kDeparturesToStartup:
      return static_cast<double>(k.departures_to_startup);
    case SeriesId::kDeparturesToIndependent:
      return static_cast<double>(k.departures_to_independent);
    case SeriesId::kDeparturesToBetweenJobs:
      return static_cast<double>(k.departures_to_between_jobs);
    case SeriesId::kCounteroffers:
      return static_cast<double>(k.counteroffers);
    case SeriesId::kCounteroffersWon:
      return static_cast<double>(k.counteroffers_won);
    case SeriesId::kReactiveRaises:
      return static_cast<double>(k.reactive_raises);
    case SeriesId::kRejectedByLimits:
      return static_cast<double>(k.rejected_by_limits);
    case SeriesId::kTopDepartures:
      return static_cast<double>(k.top_departures);
    case SeriesId::kTopQuits:
      return static_cast<double>(k.top_quits);
    case SeriesId::kTopSeparations:
      return static_cast<double>(k.top_departures - k.top_quits);
    case SeriesId::kPublishedDepartures:
      return static_cast<double>(k.published_departures);
    case SeriesId::kPublishedQuits:
      return static_cast<double>(k.published_quits);
    case SeriesId::kPublishedSeparations:
      return static_cast<double>(k.published_departures - k.published_quits);
    case SeriesId::kLeaderDepartures:
      return static_cast<double>(k.leader_departures);
    case SeriesId::kLeaderQuits:
      return static_cast<double>(k.leader_quits);
    case SeriesId::kLeaderSeparations:
      return static_cast<double>(k.leader_departures - k.leader_quits);
    case SeriesId::kOffers:
      return static_cast<double>(g.offers.made);
    case SeriesId::kOffersAccepted:
      return static_cast<double>(g.offers.accepted);
    case SeriesId::kOffersCountered:
      return static_cast<double>(g.offers.countered);
    case SeriesId::kHeadcount:
      return static_cast<double>(g.headcount);
    case SeriesId::kTopHeadcount:
      return static_cast<double>(g.top_headcount);
    case SeriesId::kPublishedHeadcount:
      return static_cast<double>(g.published_headcount);
    case SeriesId::kLeaderHeadcount:
      return static_cast<double>(g.leader_headcount);
    default:
      return kNaN;
  }
}

/// Whether a series is a count that the market sums over its groups.
bool summed(SeriesId id) { return id <= SeriesId::kLeaderHeadcount; }

double series_at(const RunRecord& r, SeriesId id, Subject s, std::int64_t week) {
  const TickReport& t = r.weeks[static_cast<std::size_t>(week)];
  const bool flow_week_zero = week == 0;
  switch (id) {
    case SeriesId::kEmployed:
      return static_cast<double>(t.market.employed);
    case SeriesId::kBetweenJobs:
      return static_cast<double>(t.market.between_jobs);
    case SeriesId::kIndependent:
      return static_cast<double>(t.market.independent);
    case SeriesId::kStartupsAlive:
      return static_cast<double>(t.market.startups_alive);
    case SeriesId::kPendingHires:
      return static_cast<double>(t.market.pending_hires);
    case SeriesId::kTopTalentHhi:
      return t.market.top_talent_hhi;
    // Week 0 is the initial state: it has no flows.
    case SeriesId::kStartupsFounded:
      return flow_week_zero ? 0.0 : static_cast<double>(t.market.startups_founded);
    case SeriesId::kStartupsFailed:
      return flow_week_zero ? 0.0 : static_cast<double>(t.market.startups_failed);
    case SeriesId::kStartupsRefused:
      return flow_week_zero ? 0.0 : static_cast<double>(t.market.startups_refused);
    case SeriesId::kDecisions:
      return flow_week_zero ? 0.0 : static_cast<double>(t.market.decisions);
    default:
      break;
  }
  const auto& groups = t.groups;
  const std::size_t lo = s.market ? 0 : s.group;
  const std::size_t hi = s.market ? groups.size() : s.group + 1;
  if (summed(id)) {
    const SeriesSpec* spec = nullptr;
    for (const SeriesSpec& x : kSeries)
      if (x.id == id) spec = &x;
    if (spec != nullptr && spec->flow && flow_week_zero) return 0.0;
    double total = 0.0;
    for (std::size_t g = lo; g < hi; ++g) total += group_value(id, groups[g]);
    return total;
  }
  // Means, weighted by headcount (or offers) over the subject's groups; medians of one group.
  double num = 0.0, den = 0.0;
  for (std::size_t g = lo; g < hi; ++g) {
    const GroupMetrics& m = groups[g];
    const auto h = static_cast<double>(m.headcount);
    const auto made = static_cast<double>(flow_week_zero ? 0 : m.offers.made);
    switch (id) {
      case SeriesId::kMeanSalary:
        num += m.mean_salary * h;
        den += h;
        break;
      case SeriesId::kMeanBurnout:
        num += m.mean_burnout * h;
        den += h;
        break;
      case SeriesId::kMeanFaith:
        num += m.mean_faith * h;
        den += h;
        break;
      case SeriesId::kMeanOffer:
        num += m.offers.pay_sum;
        den += made;
        break;
      case SeriesId::kMedianSalary:
        return m.headcount > 0 ? m.median_salary : kNaN;
      case SeriesId::kMedianOffer:
        return made > 0 ? m.offers.median_pay : kNaN;
      default:
        return kNaN;
    }
  }
  if (den == 0.0) return kNaN;
  // One group: its own mean, as the engine computed it (no round trip through a product).
  if (hi - lo == 1 && id != SeriesId::kMeanOffer) {
    const GroupMetrics& m = groups[lo];
    return id == SeriesId::kMeanSalary    ? m.mean_salary
           : id == SeriesId::kMeanBurnout ? m.mean_burnout
                                          : m.mean_faith;
  }
  return num / den;
}

/// Departures of a talent group (of a kind) from the subject in one week.
double departures(const RunRecord& r, Subject s, TalentGroup g, DepartureKind kind,
                  std::int64_t week) {
  static constexpr std::array<std::array<SeriesId, 3>, kTalentGroups> kIds{{
      {SeriesId::kDepartures, SeriesId::kQuits, SeriesId::kSeparations},
      {SeriesId::kTopDepartures, SeriesId::kTopQuits, SeriesId::kTopSeparations},
      {SeriesId::kPublishedDepartures, SeriesId::kPublishedQuits, SeriesId::kPublishedSeparations},
      {SeriesId::kLeaderDepartures, SeriesId::kLeaderQuits, SeriesId::kLeaderSeparations},
  }};
  return series_at(r, kIds[static_cast<std::size_t>(g)][static_cast<std::size_t>(kind)], s, week);
}

double headcount(const RunRecord& r, Subject s, TalentGroup g, std::int64_t week) {
  static constexpr std::array<SeriesId, kTalentGroups> kIds{
      SeriesId::kHeadcount, SeriesId::kTopHeadcount, SeriesId::kPublishedHeadcount,
      SeriesId::kLeaderHeadcount};
  return series_at(r, kIds[static_cast<std::size_t>(g)], s, week);
}

double flow_sum(const RunRecord& r, SeriesId id, Subject s, WeekRange w) {
  double total = 0.0;
  for (std::int64_t t = std::max<std::int64_t>(w.first, 1); t <= w.last; ++t)
    total += series_at(r, id, s, t);
  return total;
}

bool compare(double x, Comparison op, double y) {
  switch (op) {
    case Comparison::kGreater:
      return x > y;
    case Comparison::kGreaterEqual:
      return x >= y;
    case Comparison::kLess:
      return x < y;
    case Comparison::kLessEqual:
      return x <= y;
    case Comparison::kEqual:
      return x == y;
    case Comparison::kNotEqual:
      return !std::isnan(x) && x != y;
  }
  return false;
}

/// The median of the offers if each of a week's offers paid that week's median: the
/// weekly medians, each repeated as often as offers were made, middle ranks averaged.
double weighted_median_offer(const RunRecord& r, Subject s, WeekRange w) {
  std::vector<std::pair<double, std::int64_t>> weeks;
  std::int64_t total = 0;
  for (std::int64_t t = std::max<std::int64_t>(w.first, 1); t <= w.last; ++t) {
    const auto& groups = r.weeks[static_cast<std::size_t>(t)].groups;
    const std::size_t lo = s.market ? 0 : s.group;
    const std::size_t hi = s.market ? groups.size() : s.group + 1;
    for (std::size_t g = lo; g < hi; ++g) {
      const OfferStats& o = groups[g].offers;
      if (o.made <= 0) continue;
      weeks.emplace_back(o.median_pay, o.made);
      total += o.made;
    }
  }
  if (total == 0) return kNaN;
  std::sort(weeks.begin(), weeks.end());
  const auto value_at = [&](std::int64_t rank) {
    for (const auto& [median, made] : weeks) {
      if (rank < made) return median;
      rank -= made;
    }
    return weeks.back().first;
  };
  return 0.5 * (value_at((total - 1) / 2) + value_at(total / 2));
}

std::size_t offset_index(std::int64_t weeks) {
  return static_cast<std::size_t>(std::find(kCohortOffsets.begin(), kCohortOffsets.end(), weeks) -
                                  kCohortOffsets.begin());
}

double evaluate_checked(const Metric& m, const RunRecord& r, Subject s) {
  const std::string& n = m.name;
  const MetricSpec& spec = *find_metric(n);
  if (spec.positional == Positional::kSeries) {
    const SeriesId id = series_spec(m).id;
    if (n == "sum") return flow_sum(r, id, s, m.weeks);
    return series_at(r, id, s, m.week);  // value
  }
  if (spec.positional == Positional::kCondition) {
    const SeriesId id = series_spec(m).id;
    for (std::int64_t t = m.weeks.first; t <= m.weeks.last; ++t)
      if (compare(series_at(r, id, s, t), m.op, m.threshold)) return static_cast<double>(t);
    return static_cast<double>(m.weeks.last + 1);
  }
  if (spec.required == "week" && spec.positional == Positional::kSubject)
    return series_at(r, find_series(n)->id, s, m.week);
  const TickReport* at = m.week >= 0 ? &r.weeks[static_cast<std::size_t>(m.week)] : nullptr;
  if (n == "share_between_jobs")
    return ratio(static_cast<double>(at->market.between_jobs),
                 static_cast<double>(at->market.employed + at->market.between_jobs));
  if (n == "top_talent_hhi") return at->market.top_talent_hhi;
  if (n == "attrition") {
    const std::int64_t first = std::max<std::int64_t>(m.weeks.first, 1);
    const auto count = static_cast<double>(m.weeks.last - first + 1);
    double left = 0.0, present = 0.0;
    for (std::int64_t t = first; t <= m.weeks.last; ++t) {
      left += departures(r, s, m.group, m.kind, t);
      present += headcount(r, s, m.group, t);
    }
    return ratio(left, present / count) * static_cast<double>(kTicksPerYear) / count;
  }
  if (n == "weeks_with_departures") {
    std::int64_t weeks = 0;
    for (std::int64_t t = std::max<std::int64_t>(m.weeks.first, 1); t <= m.weeks.last; ++t)
      if (departures(r, s, m.group, m.kind, t) >= static_cast<double>(m.at_least)) ++weeks;
    return static_cast<double>(weeks);
  }
  if (n == "cohort_loss") {
    if (m.weeks.first >= r.cohorts.weeks || s.group >= r.cohorts.firms)
      throw MetricError(m.text, m.weeks_column,
                        "the run's cohort table has no week " + std::to_string(m.weeks.first));
    const CohortRow& row = r.cohorts.at(s.group, m.group, CohortKind::kPresent, m.weeks.first);
    const std::int64_t still = row.still[offset_index(m.weeks.last - m.weeks.first)];
    if (still < 0)
      throw MetricError(
          m.text, m.weeks_column,
          "the run's cohort table has no count for week " + std::to_string(m.weeks.last));
    return row.size > 0 ? 1.0 - static_cast<double>(still) / static_cast<double>(row.size) : kNaN;
  }
  if (n == "hire_retention") {
    const std::size_t k = offset_index(m.after_weeks);
    std::int64_t size = 0, still = 0;
    if (m.hired.last >= r.cohorts.weeks || s.group >= r.cohorts.firms)
      throw MetricError(m.text, m.hired_column,
                        "the run's cohort table has no week " + std::to_string(m.hired.last));
    for (std::int64_t c = m.hired.first; c <= m.hired.last; ++c) {
      const CohortRow& row = r.cohorts.at(s.group, m.group, CohortKind::kHired, c);
      if (row.still[k] < 0)
        throw MetricError(
            m.text, m.hired_column,
            "the run's cohort table has no count for week " + std::to_string(c + m.after_weeks));
      size += row.size;
      still += row.still[k];
    }
    return ratio(static_cast<double>(still), static_cast<double>(size));
  }
  if (n == "headcount_growth")
    return ratio(headcount(r, s, m.group, m.weeks.last), headcount(r, s, m.group, m.weeks.first)) -
           1.0;
  if (n == "counteroffer_win_share")
    return ratio(flow_sum(r, SeriesId::kCounteroffersWon, s, m.weeks),
                 flow_sum(r, SeriesId::kCounteroffers, s, m.weeks));
  if (n == "withdrawn_share")
    return ratio(flow_sum(r, SeriesId::kRejectedByLimits, s, m.weeks),
                 flow_sum(r, SeriesId::kOffersAccepted, s, m.weeks));
  if (n == "median_offer") return weighted_median_offer(r, s, m.weeks);
  if (n == "mean_offer") {
    double pay = 0.0, made = 0.0;
    for (std::int64_t t = std::max<std::int64_t>(m.weeks.first, 1); t <= m.weeks.last; ++t) {
      const auto& groups = r.weeks[static_cast<std::size_t>(t)].groups;
      const std::size_t lo = s.market ? 0 : s.group;
      const std::size_t hi = s.market ? groups.size() : s.group + 1;
      for (std::size_t g = lo; g < hi; ++g) {
        pay += groups[g].offers.pay_sum;
        made += static_cast<double>(groups[g].offers.made);
      }
    }
    return ratio(pay, made);
  }
  throw MetricError(m.text, 1, "no evaluation for metric '" + n + "'");  // unreachable
}

std::string escape_cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::int64_t Metric::last_week() const {
  std::int64_t last = std::max<std::int64_t>(week, 0);
  if (weeks.given()) last = std::max(last, weeks.last);
  if (hired.given()) last = std::max(last, hired.last + after_weeks);
  return last;
}

Metric parse_metric(std::string_view text) { return Parser(std::string(text)).parse(); }

void check_metric(const Metric& metric, const std::vector<std::string>& firm_ids,
                  std::int64_t last_week) {
  check_names(metric, firm_ids);
  check_weeks(metric, last_week);
}

void check_metric(const Metric& metric, const Scenario& scenario) {
  std::vector<std::string> ids;
  ids.reserve(scenario.firms.size());
  for (const FirmParams& f : scenario.firms) ids.push_back(f.id);
  check_metric(metric, ids, scenario.ticks);
}

double evaluate(const Metric& metric, const RunRecord& record) {
  if (record.weeks.empty()) throw MetricError(metric.text, 1, "the run has no weeks");
  const Subject s = resolve(metric, record);
  return evaluate_checked(metric, record, s);
}

std::vector<MetricDoc> metric_vocabulary() {
  std::vector<MetricDoc> out;
  out.reserve(kMetrics.size());
  for (const MetricSpec& m : kMetrics)
    out.push_back({std::string(m.usage), std::string(m.meaning)});
  return out;
}

std::vector<MetricDoc> series_vocabulary() {
  std::vector<MetricDoc> out;
  out.reserve(kSeries.size());
  for (const SeriesSpec& s : kSeries)
    out.push_back({std::string(s.name) + (s.scope == SeriesScope::kMarket ? "(market)" : "(S)") +
                       (s.flow ? "  [flow]" : "  [level]"),
                   std::string(s.meaning)});
  return out;
}

std::string metric_reference() {
  std::string out = "| metric | meaning |\n|---|---|\n";
  for (const MetricSpec& m : kMetrics)
    out += "| `" + escape_cell(m.usage) + "` | " + escape_cell(m.meaning) + " |\n";
  out +=
      "\nSeries for `sum` (flows only), `value` and `first_week`:\n\n| series | kind | meaning "
      "|\n|---|---|---|\n";
  for (const SeriesSpec& s : kSeries)
    out += "| `" + std::string(s.name) + (s.scope == SeriesScope::kMarket ? "(market)" : "(S)") +
           "` | " + (s.flow ? "flow" : "level") + " | " + escape_cell(s.meaning) + " |\n";
  return out;
}

}  // namespace talentsim
