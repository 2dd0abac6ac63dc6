// The metric language: parsing (with error columns), checking against a scenario, the
// arithmetic of each metric on a hand-built record, and targets in scenarios.
#include "talentsim/study/metric.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "talentsim/scenario/scenario.hpp"
#include "talentsim/study/record.hpp"

namespace talentsim {
namespace {

MetricError parse_error(const std::string& text) {
  try {
    parse_metric(text);
  } catch (const MetricError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a MetricError for " << text;
  return {text, 0, "(no error)"};
}

::testing::AssertionResult has(std::string_view text, std::string_view fragment) {
  if (text.find(fragment) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << fragment << "'";
}

TEST(MetricParse, ReadsEveryPart) {
  const Metric m = parse_metric("cohort_loss(meta, group=published, weeks=0..52)");
  EXPECT_EQ(m.name, "cohort_loss");
  EXPECT_EQ(m.subject, "meta");
  EXPECT_EQ(m.subject_column, 13);
  EXPECT_EQ(m.group, TalentGroup::kPublished);
  EXPECT_EQ(m.weeks, (WeekRange{0, 52}));
  EXPECT_EQ(m.last_week(), 52);

  const Metric h = parse_metric("hire_retention(meta, after_weeks=104, hired=1..26)");
  EXPECT_EQ(h.after_weeks, 104);
  EXPECT_EQ(h.hired, (WeekRange{1, 26}));
  EXPECT_EQ(h.last_week(), 130);

  const Metric f = parse_metric("first_week(reactive_raises(tesla) >= 2.5e0, weeks=1..104)");
  EXPECT_EQ(f.series, "reactive_raises");
  EXPECT_EQ(f.subject, "tesla");
  EXPECT_EQ(f.op, Comparison::kGreaterEqual);
  EXPECT_EQ(f.threshold, 2.5);

  const Metric w = parse_metric(
      "  weeks_with_departures( meta ,group=leaders,at_least=3, "
      "weeks=1..52, kind=quits )  ");
  EXPECT_EQ(w.at_least, 3);
  EXPECT_EQ(w.kind, DepartureKind::kQuits);
  EXPECT_EQ(w.group, TalentGroup::kLeaders);

  EXPECT_EQ(parse_metric("share_between_jobs(week=104)").week, 104);
  EXPECT_EQ(parse_metric("sum(separations(market), weeks=0..52)").series, "separations");
  EXPECT_EQ(parse_metric("value(top_talent_hhi(market), week=3)").series, "top_talent_hhi");
}

TEST(MetricParse, EveryVocabularyEntryParsesFromItsUsage) {
  // The usage strings are templates; each name must be a metric the parser knows.
  for (const MetricDoc& d : metric_vocabulary()) {
    const std::string name = d.usage.substr(0, d.usage.find('('));
    const MetricError e = parse_error(name + "(");
    EXPECT_FALSE(has(e.reason(), "unknown metric")) << name;
    EXPECT_FALSE(d.meaning.empty()) << name;
  }
  EXPECT_TRUE(has(metric_reference(), "| `cohort_loss(FIRM, weeks=A..B[, group=G])` |"));
}

TEST(MetricParse, ModelDocsListTheCurrentVocabulary) {
  std::ifstream in(std::string(TALENTSIM_SOURCE_DIR) + "/docs/MODEL.md");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(has(text.str(), metric_reference()))
      << "regenerate docs/MODEL.md's tables with: build/ci/talentsim metrics --list --markdown";
}

struct BadMetric {
  const char* text;
  int column;
  const char* fragment;
};

class MetricParseErrors : public ::testing::TestWithParam<BadMetric> {};

TEST_P(MetricParseErrors, NameTheColumn) {
  const BadMetric& bad = GetParam();
  const MetricError e = parse_error(bad.text);
  EXPECT_EQ(e.column(), bad.column) << e.what();
  EXPECT_TRUE(has(e.reason(), bad.fragment)) << e.what();
  EXPECT_TRUE(has(e.what(), "at column " + std::to_string(bad.column)));
}

const BadMetric kBadMetrics[] = {
    {"", 1, "expected a metric name"},
    {"median_salry(meta, week=0)", 1, "unknown metric 'median_salry'"},
    {"median_salary meta", 15, "expected '('"},
    {"median_salary(meta, week=0", 27, "expected ',' or ')'"},
    {"median_salary(meta, week=0) x", 29, "unexpected text after"},
    {"median_salary(meta)", 19, "missing week="},
    {"median_salary(week=0)", 21, "missing the subject"},
    {"median_salary(meta, weeks=0..3)", 21, "takes no 'weeks'"},
    {"median_salary(meta, week=0, week=1)", 29, "given twice"},
    {"median_salary(meta, meta, week=0)", 21, "only one subject"},
    {"median_salary(meta, week=-1)", 26, "weeks start at 0"},
    {"median_salary(meta, week=1.5)", 26, "whole number"},
    {"median_salary(meta, week=)", 26, "value is missing"},
    {"median_salary(meta, week=0) # note", 29, "unexpected character '#'"},
    {"share_between_jobs(market, week=1)", 20, "takes no subject"},
    {"attrition(meta, weeks=52..0)", 23, "out of order"},
    {"attrition(meta, weeks=0..0)", 17, "needs a week with flows"},
    {"attrition(meta, weeks=3)", 23, "range of weeks"},
    {"attrition(meta, group=stars, weeks=1..2)", 23, "unknown group 'stars'"},
    {"attrition(meta, kind=layoffs, weeks=1..2)", 22, "unknown kind"},
    {"cohort_loss(meta, weeks=0..50)", 19, "26, 52 or 104 apart"},
    {"hire_retention(meta, after_weeks=30, hired=1..2)", 34, "26, 52 or 104"},
    {"weeks_with_departures(meta, at_least=0, weeks=1..2)", 38, "1 or more"},
    {"sum(headcount(meta), weeks=0..5)", 5, "is a level, not a flow"},
    {"sum(hirez(meta), weeks=0..5)", 5, "unknown series 'hirez'"},
    {"sum(meta, weeks=0..5)", 5, "takes a series"},
    {"sum(hires(meta) > 3, weeks=0..5)", 17, "belongs in first_week"},
    {"headcount(hires(meta), week=0)", 11, "not a series"},
    {"first_week(hires(meta), weeks=1..5)", 23, "expected a comparison"},
    {"first_week(hires(meta) > x, weeks=1..5)", 26, "number to compare"},
    {"median_salary(meta, week=99999)", 26, "at most 60000"},
};
INSTANTIATE_TEST_SUITE_P(All, MetricParseErrors, ::testing::ValuesIn(kBadMetrics),
                         [](const ::testing::TestParamInfo<BadMetric>& param) {
                           return "case" + std::to_string(param.index);
                         });

Scenario two_firms(std::int64_t ticks = 104) {
  return load_scenario("ticks: " + std::to_string(ticks) +
                           "\n"
                           "firms: [{id: meta, headcount_share: 0.5, pay: {median: 400000}},\n"
                           "        {id: openai, headcount_share: 0.5, pay: {median: 700000}}]\n",
                       "two.yaml");
}

TEST(MetricCheck, FirmsSubjectsAndWeeks) {
  const Scenario s = two_firms();
  EXPECT_NO_THROW(check_metric(parse_metric("median_offer(openai, weeks=0..104)"), s));
  EXPECT_NO_THROW(check_metric(parse_metric("attrition(market, weeks=1..104)"), s));
  EXPECT_NO_THROW(check_metric(parse_metric("headcount(startups, week=3)"), s));
  const auto error = [&](const std::string& text) {
    try {
      check_metric(parse_metric(text), s);
    } catch (const MetricError& e) {
      return e;
    }
    ADD_FAILURE() << "expected a MetricError for " << text;
    return MetricError(text, 0, "(none)");
  };
  MetricError e = error("median_salary(metaa, week=0)");
  EXPECT_EQ(e.column(), 15);
  EXPECT_TRUE(has(e.reason(), "unknown firm 'metaa'"));
  EXPECT_EQ(e.suggestion(), "meta");
  e = error("median_salary(market, week=0)");
  EXPECT_TRUE(has(e.reason(), "medians do not combine"));
  e = error("cohort_loss(startups, weeks=0..52)");
  EXPECT_TRUE(has(e.reason(), "named firm"));
  e = error("value(employed(meta), week=1)");
  EXPECT_TRUE(has(e.reason(), "employed(market)"));
  e = error("attrition(meta, weeks=1..105)");
  EXPECT_EQ(e.column(), 17);
  EXPECT_TRUE(has(e.reason(), "reads week 105 but the run ends at week 104"));
  e = error("hire_retention(meta, after_weeks=104, hired=1..26)");
  EXPECT_EQ(e.column(), 39);
  EXPECT_TRUE(has(e.reason(), "reads week 130"));
  // With the format's limit instead of the scenario's length, as the reader checks.
  EXPECT_NO_THROW(check_metric(parse_metric("hire_retention(meta, after_weeks=104, hired=1..26)"),
                               {"meta"}, kMaxTicks));
}

// ---------------------------------------------------------------------------
// Arithmetic on a hand-built record: two firms and startups, weeks 0..4
// ---------------------------------------------------------------------------

RunRecord small_record() {
  RunRecord r;
  r.groups = {"a", "b", "startups"};
  r.named = 2;
  r.researchers = 100;
  for (std::int64_t w = 0; w <= 4; ++w) {
    TickReport t;
    t.tick = w;
    t.groups.resize(3);
    t.market.employed = 90;
    t.market.between_jobs = 10;
    t.market.top_talent_hhi = 0.25;
    r.weeks.push_back(t);
  }
  auto& a = r.weeks;
  // Headcounts of a: 40, 38, 37, 40, 36; of b: 50 throughout; startups 0.
  const std::int64_t ha[] = {40, 38, 37, 40, 36};
  for (std::size_t w = 0; w <= 4; ++w) {
    a[w].groups[0].headcount = ha[w];
    a[w].groups[0].top_headcount = 4;
    a[w].groups[1].headcount = 50;
    a[w].groups[0].mean_salary = 400000;
    a[w].groups[1].mean_salary = 200000;
    a[w].groups[0].median_salary = 390000;
  }
  // Departures of a in weeks 1..4: 3, 1, 0, 5 (quits 2, 1, 0, 1); top departures 1, 0, 0, 2.
  const std::int64_t dep[] = {0, 3, 1, 0, 5}, quits[] = {0, 2, 1, 0, 1}, top[] = {0, 1, 0, 0, 2};
  for (std::size_t w = 1; w <= 4; ++w) {
    a[w].groups[0].counts.departures = dep[w];
    a[w].groups[0].counts.quits = quits[w];
    a[w].groups[0].counts.top_departures = top[w];
    a[w].groups[1].counts.departures = 1;
    a[w].groups[1].counts.quits = 1;
  }
  a[2].groups[0].counts.counteroffers = 4;
  a[2].groups[0].counts.counteroffers_won = 1;
  a[3].groups[0].counts.reactive_raises = 7;
  a[1].groups[0].counts.rejected_by_limits = 2;
  // Offers of a: week 1: 3 at median 100; week 2: 1 at median 300; week 4: 2 at median 200.
  const auto offers = [&](std::size_t w, std::int64_t made, double median, double sum) {
    a[w].groups[0].offers.made = made;
    a[w].groups[0].offers.accepted = made;
    a[w].groups[0].offers.median_pay = median;
    a[w].groups[0].offers.pay_sum = sum;
  };
  offers(1, 3, 100, 330);
  offers(2, 1, 300, 300);
  offers(3, 0, std::nan(""), 0);
  offers(4, 2, 200, 410);
  r.cohorts.firms = 2;
  r.cohorts.weeks = 5;
  r.cohorts.rows.resize(2 * kTalentGroups * 2 * 5);
  return r;
}

double eval(const std::string& text, const RunRecord& r) { return evaluate(parse_metric(text), r); }

TEST(MetricEvaluate, LevelsAndMarket) {
  const RunRecord r = small_record();
  EXPECT_EQ(eval("headcount(a, week=3)", r), 40);
  EXPECT_EQ(eval("headcount(market, week=0)", r), 90);
  EXPECT_EQ(eval("top_headcount(a, week=1)", r), 4);
  EXPECT_EQ(eval("median_salary(a, week=2)", r), 390000);
  // Headcount-weighted over employers: (40 x 400k + 50 x 200k) / 90.
  EXPECT_DOUBLE_EQ(eval("mean_salary(market, week=0)", r), (40 * 400000.0 + 50 * 200000.0) / 90);
  EXPECT_TRUE(std::isnan(eval("mean_salary(startups, week=0)", r)));
  EXPECT_TRUE(std::isnan(eval("median_salary(startups, week=0)", r)));
  EXPECT_EQ(eval("share_between_jobs(week=2)", r), 0.1);
  EXPECT_EQ(eval("top_talent_hhi(week=4)", r), 0.25);
  EXPECT_EQ(eval("value(employed(market), week=4)", r), 90);
}

TEST(MetricEvaluate, FlowsOverAWindowSkipWeekZero) {
  const RunRecord r = small_record();
  EXPECT_EQ(eval("sum(departures(a), weeks=0..4)", r), 9);
  EXPECT_EQ(eval("sum(departures(a), weeks=1..4)", r), 9);
  EXPECT_EQ(eval("sum(separations(a), weeks=0..4)", r), 5);
  EXPECT_EQ(eval("sum(top_separations(a), weeks=0..4)", r), 3);
  EXPECT_EQ(eval("sum(departures(market), weeks=2..3)", r), 1 + 0 + 2);
  // Attrition: 9 departures / mean headcount (38+37+40+36)/4 x 52/4.
  EXPECT_DOUBLE_EQ(eval("attrition(a, weeks=0..4)", r), 9.0 / (151.0 / 4) * 52.0 / 4);
  EXPECT_DOUBLE_EQ(eval("attrition(a, weeks=1..4, kind=quits)", r), 4.0 / (151.0 / 4) * 52.0 / 4);
  EXPECT_DOUBLE_EQ(eval("attrition(a, weeks=1..4, group=top)", r), 3.0 / 4.0 * 52.0 / 4);
  EXPECT_EQ(eval("weeks_with_departures(a, at_least=1, weeks=0..4)", r), 3);
  EXPECT_EQ(eval("weeks_with_departures(a, at_least=3, weeks=1..4)", r), 2);
  EXPECT_EQ(eval("weeks_with_departures(a, at_least=2, weeks=1..4, kind=quits)", r), 1);
  EXPECT_EQ(eval("weeks_with_departures(a, at_least=1, weeks=1..4, group=top)", r), 2);
  EXPECT_DOUBLE_EQ(eval("counteroffer_win_share(a, weeks=0..4)", r), 0.25);
  EXPECT_TRUE(std::isnan(eval("counteroffer_win_share(b, weeks=0..4)", r)));
  EXPECT_DOUBLE_EQ(eval("withdrawn_share(a, weeks=0..4)", r), 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(eval("headcount_growth(a, weeks=0..3)", r), 0.0);
  EXPECT_DOUBLE_EQ(eval("headcount_growth(a, weeks=0..4)", r), 36.0 / 40.0 - 1.0);
  EXPECT_TRUE(std::isnan(eval("headcount_growth(startups, weeks=0..4)", r)));
}

TEST(MetricEvaluate, OffersAreWeightedByOffersMade) {
  const RunRecord r = small_record();
  // Weekly medians 100 (x3), 300 (x1), 200 (x2): the six values 100 100 100 200 200 300.
  EXPECT_EQ(eval("median_offer(a, weeks=0..4)", r), 150);
  EXPECT_EQ(eval("median_offer(a, weeks=1..2)", r), 100);  // 100 100 100 300
  EXPECT_EQ(eval("median_offer(a, weeks=2..4)", r), 200);  // 200 200 300
  EXPECT_TRUE(std::isnan(eval("median_offer(a, weeks=3..3)", r)));
  EXPECT_TRUE(std::isnan(eval("median_offer(b, weeks=0..4)", r)));
  EXPECT_DOUBLE_EQ(eval("mean_offer(a, weeks=0..4)", r), (330.0 + 300 + 410) / 6);
  EXPECT_TRUE(std::isnan(eval("value(median_offer(a), week=3)", r)));
  EXPECT_TRUE(std::isnan(eval("value(mean_offer(a), week=0)", r)));
  EXPECT_EQ(eval("value(median_offer(a), week=4)", r), 200);
}

TEST(MetricEvaluate, FirstWeekIsTheLastPlusOneWhenItNeverHappens) {
  const RunRecord r = small_record();
  EXPECT_EQ(eval("first_week(reactive_raises(a) > 0, weeks=1..4)", r), 3);
  EXPECT_EQ(eval("first_week(reactive_raises(a) > 0, weeks=1..2)", r), 3);  // never: 2 + 1
  EXPECT_EQ(eval("first_week(reactive_raises(b) > 0, weeks=0..4)", r), 5);
  EXPECT_EQ(eval("first_week(headcount(a) < 38, weeks=0..4)", r), 2);
  EXPECT_EQ(eval("first_week(headcount(a) == 40, weeks=1..4)", r), 3);
  EXPECT_EQ(eval("first_week(departures(a) != 0, weeks=0..4)", r), 1);
  // Week 0 has no flows: its flows read 0.
  EXPECT_EQ(eval("first_week(departures(a) <= 0, weeks=0..4)", r), 0);
  // A NaN never compares true, not even with !=.
  EXPECT_EQ(eval("first_week(median_offer(a) != 5, weeks=3..3)", r), 4);
}

TEST(MetricEvaluate, CohortsFromTheTable) {
  RunRecord r = small_record();
  // Extend to 60 weeks so that the 26- and 52-week counts exist.
  while (r.weeks.size() < 61) {
    r.weeks.push_back(r.weeks.back());
    r.weeks.back().tick = static_cast<std::int64_t>(r.weeks.size()) - 1;
  }
  r.cohorts.weeks = 61;
  r.cohorts.rows.assign(2 * kTalentGroups * 2 * 61, CohortRow{0, {0, 0, -1}});
  CohortRow& stock = r.cohorts.at(0, TalentGroup::kPublished, CohortKind::kPresent, 0);
  stock = {40, {30, 25, -1}};
  r.cohorts.at(0, TalentGroup::kAll, CohortKind::kHired, 1) = {10, {9, 7, -1}};
  r.cohorts.at(0, TalentGroup::kAll, CohortKind::kHired, 2) = {0, {0, 0, -1}};
  r.cohorts.at(0, TalentGroup::kAll, CohortKind::kHired, 3) = {6, {6, 5, -1}};
  EXPECT_DOUBLE_EQ(eval("cohort_loss(a, group=published, weeks=0..52)", r), 1.0 - 25.0 / 40.0);
  EXPECT_DOUBLE_EQ(eval("cohort_loss(a, group=published, weeks=0..26)", r), 1.0 - 30.0 / 40.0);
  EXPECT_TRUE(std::isnan(eval("cohort_loss(a, weeks=0..26)", r)));  // an empty cohort
  EXPECT_DOUBLE_EQ(eval("hire_retention(a, after_weeks=52, hired=1..3)", r), 12.0 / 16.0);
  EXPECT_DOUBLE_EQ(eval("hire_retention(a, after_weeks=26, hired=1..1)", r), 0.9);
  EXPECT_TRUE(std::isnan(eval("hire_retention(a, after_weeks=26, hired=2..2)", r)));
  EXPECT_THROW(eval("cohort_loss(a, weeks=0..104)", r), MetricError);  // past the run
}

TEST(MetricEvaluate, RefusesWhatTheRecordLacks) {
  const RunRecord r = small_record();
  EXPECT_THROW(eval("headcount(meta, week=0)", r), MetricError);
  EXPECT_THROW(eval("headcount(a, week=5)", r), MetricError);
  try {
    eval("sum(hires(a), weeks=0..9)", r);
    FAIL();
  } catch (const MetricError& e) {
    EXPECT_EQ(e.column(), 15);
    EXPECT_TRUE(has(e.reason(), "ends at week 4"));
  }
}

// ---------------------------------------------------------------------------
// targets: in scenarios
// ---------------------------------------------------------------------------

const std::string kFirms =
    "ticks: 104\n"
    "firms: [{id: meta, headcount_share: 0.5, pay: {median: 400000}},\n"
    "        {id: openai, headcount_share: 0.5, pay: {median: 700000}}]\n";

ScenarioError load_error(const std::string& yaml, const std::vector<std::string>& sets = {}) {
  try {
    load_scenario(yaml, "t.yaml", sets);
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError for\n" << yaml;
  return {{}, "", "(none)"};
}

std::string where(const ScenarioError& e) {
  return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + " " +
         e.key_path();
}

TEST(Targets, ReadRoundTripAndBands) {
  const Scenario s =
      load_scenario(kFirms +
                        "targets:\n"
                        "  - metric: \"median_salary(meta, week=0)\"\n"
                        "    range: [380000, 420000]\n"
                        "    source: Levels.fyi\n"
                        "  - metric: median_offer(openai, weeks=0..52)\n"
                        "    value: 860000\n"
                        "    tolerance: {relative: 0.2}\n"
                        "    se: 20000\n"
                        "  - {metric: 'attrition(market, weeks=1..52)', value: 0.13, "
                        "tolerance: {absolute: 0.02}}\n",
                    "t.yaml");
  ASSERT_EQ(s.targets.size(), 3U);
  EXPECT_EQ(s.targets[0].band(), (std::array<double, 2>{380000, 420000}));
  EXPECT_EQ(s.targets[0].source, "Levels.fyi");
  EXPECT_DOUBLE_EQ(s.targets[1].band()[0], 688000);
  EXPECT_DOUBLE_EQ(s.targets[1].band()[1], 1032000);
  EXPECT_EQ(s.targets[1].se, 20000);
  EXPECT_DOUBLE_EQ(s.targets[2].band()[0], 0.11);
  const std::string yaml = to_yaml(s);
  const Scenario back = load_scenario(yaml, "resolved.yaml");
  ASSERT_EQ(back.targets.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.targets[i].metric, s.targets[i].metric);
    EXPECT_EQ(back.targets[i].value, s.targets[i].value);
    EXPECT_EQ(back.targets[i].range, s.targets[i].range);
    EXPECT_EQ(back.targets[i].tolerance.relative, s.targets[i].tolerance.relative);
    EXPECT_EQ(back.targets[i].tolerance.absolute, s.targets[i].tolerance.absolute);
    EXPECT_EQ(back.targets[i].source, s.targets[i].source);
    EXPECT_EQ(back.targets[i].se, s.targets[i].se);
  }
  EXPECT_EQ(to_yaml(back), yaml);
  EXPECT_TRUE(has(to_yaml(two_firms()), "targets: []"));
}

TEST(Targets, MetricErrorsPointInsideTheMetric) {
  // Line 4 is the metric; the quote is column 13, the text starts at 14.
  ScenarioError e = load_error(kFirms +
                               "targets:\n"
                               "  - metric: \"median_salary(metaa, week=0)\"\n"
                               "    range: [1, 2]\n");
  EXPECT_EQ(where(e), "5:28 targets[0].metric");
  EXPECT_TRUE(has(e.what(), "t.yaml:5:28: targets[0].metric: unknown firm 'metaa'"));
  EXPECT_EQ(e.suggestion(), "meta");
  // Plain (unquoted) text. (In a flow map {...} a metric must be quoted: YAML splits
  // plain text there at its commas.)
  e = load_error(kFirms +
                 "targets:\n  - metric: cohort_loss(meta, weeks=0..50)\n    range: [0, 1]\n");
  EXPECT_EQ(where(e), "5:31 targets[0].metric");
  EXPECT_TRUE(has(e.what(), "26, 52 or 104 apart"));
  e = load_error(kFirms + "targets:\n  - metric: 'nonsense(meta)'\n    range: [0, 1]\n");
  EXPECT_EQ(where(e), "5:14 targets[0].metric");
  e = load_error(kFirms +
                 "targets:\n  - metric: 'attrition(meta, weeks=5..1)'\n    range: [0, 1]\n");
  EXPECT_EQ(where(e), "5:36 targets[0].metric");
}

TEST(Targets, StrictKeysTypesAndBands) {
  const std::string head = kFirms + "targets:\n";
  ScenarioError e = load_error(head +
                               "  - {metric: 'headcount(meta, week=0)', range: [1, 2], "
                               "sorce: x}\n");
  EXPECT_EQ(where(e), "5:56 targets[0].sorce");
  EXPECT_EQ(e.suggestion(), "source");
  e = load_error(head + "  - {metric: 'headcount(meta, week=0)', range: [2, 1]}\n");
  EXPECT_TRUE(has(e.problem(), "low end comes first"));
  e = load_error(head + "  - {metric: 'headcount(meta, week=0)', range: [1, x]}\n");
  EXPECT_EQ(where(e), "5:52 targets[0].range[1]");
  e = load_error(head + "  - {metric: 'headcount(meta, week=0)', range: 3}\n");
  EXPECT_TRUE(has(e.problem(), "expected [lo, hi]"));
  e = load_error(head + "  - {metric: 'headcount(meta, week=0)', value: 3}\n");
  EXPECT_EQ(e.key_path(), "targets[0].value");
  EXPECT_TRUE(has(e.problem(), "needs a tolerance"));
  e = load_error(head + "  - {metric: 'headcount(meta, week=0)'}\n");
  EXPECT_TRUE(has(e.problem(), "needs a band"));
  e = load_error(head + "  - {metric: 'headcount(meta, week=0)', value: 3, range: [1, 4]}\n");
  EXPECT_TRUE(has(e.problem(), "not both"));
  e = load_error(head +
                 "  - {metric: 'headcount(meta, week=0)', value: 3, "
                 "tolerance: {relative: 0.1, absolute: 1}}\n");
  EXPECT_TRUE(has(e.problem(), "one of relative and absolute"));
  e = load_error(head +
                 "  - {metric: 'headcount(meta, week=0)', value: 3, "
                 "tolerance: {relative: -0.1}}\n");
  EXPECT_EQ(e.key_path(), "targets[0].tolerance.relative");
  e = load_error(head + "  - {range: [1, 2]}\n");
  EXPECT_TRUE(has(e.problem(), "missing required key 'metric'"));
  e = load_error(head + "  - {metric: 3, range: [1, 2]}\n");
  EXPECT_TRUE(has(e.problem(), "unknown metric '3'") || has(e.problem(), "expected a metric"))
      << e.what();
  e = load_error(kFirms + "targets: {metric: x}\n");
  EXPECT_TRUE(has(e.problem(), "expected a list"));
}

TEST(Targets, AWindowPastTicksIsNotALoadError) {
  // As events after the last week: --ticks may shorten a run.
  const std::string yaml = kFirms +
                           "targets:\n  - {metric: 'attrition(meta, weeks=1..104)', "
                           "range: [0, 1]}\n";
  const Scenario s = load_scenario(yaml, "t.yaml", {"ticks=52"});
  EXPECT_EQ(targets_not_reached(s), std::vector<std::size_t>{0});
  EXPECT_TRUE(targets_not_reached(load_scenario(yaml, "t.yaml")).empty());
  EXPECT_THROW(check_metric(parse_metric(s.targets[0].metric), s), MetricError);
}

TEST(Targets, ExtendsReplacesAndPlusAppends) {
  const std::string base =
      kFirms + "targets:\n  - {metric: 'headcount(meta, week=0)', range: [1, 2]}\n";
  const Scenario appended = load_scenario(
      base + "targets+:\n  - {metric: 'headcount(openai, week=0)', range: [1, 2]}\n", "t.yaml");
  ASSERT_EQ(appended.targets.size(), 2U);
  EXPECT_EQ(appended.targets[1].metric, "headcount(openai, week=0)");
  const Scenario set = load_scenario(
      base, "t.yaml", {"targets+=[{metric: 'top_talent_hhi(week=1)', range: [0, 1]}]"});
  ASSERT_EQ(set.targets.size(), 2U);
  const Scenario replaced = load_scenario(
      base, "t.yaml", {"targets=[{metric: 'top_talent_hhi(week=1)', range: [0, 1]}]"});
  ASSERT_EQ(replaced.targets.size(), 1U);
  EXPECT_EQ(replaced.targets[0].metric, "top_talent_hhi(week=1)");
  // A --set metric has no file position: the error names the flag.
  const ScenarioError e =
      load_error(base, {"targets=[{metric: 'headcount(nobody, week=0)', range: [0, 1]}]"});
  EXPECT_TRUE(has(e.what(), "--set targets="));
  EXPECT_TRUE(has(e.what(), "unknown firm 'nobody'"));
}

TEST(Targets, DefaultScenarioCarriesItsCitedFigures) {
  const Scenario s = load_scenario(default_scenario_text(), "default");
  ASSERT_EQ(s.targets.size(), 15U);
  for (const Target& t : s.targets) {
    EXPECT_FALSE(t.source.empty()) << t.metric;
    EXPECT_NO_THROW(parse_metric(t.metric)) << t.metric;
  }
  EXPECT_EQ(s.targets[0].metric, "median_salary(meta, week=0)");
  // Two-year retention of hires reads week 130, after the scenario's 104.
  EXPECT_EQ(targets_not_reached(s), (std::vector<std::size_t>{4, 5, 6, 7}));
}

TEST(Targets, ValidateChecksTargetsOfAScenarioBuiltInCode) {
  Scenario s = two_firms();
  s.targets.push_back({});
  s.targets.back().metric = "headcount(nobody, week=0)";
  s.targets.back().range = std::array<double, 2>{0, 1};
  try {
    validate(s);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.key_path(), "targets[0].metric");
    EXPECT_TRUE(has(e.problem(), "unknown firm 'nobody'"));
  }
  s.targets.back().metric = "headcount(meta, week=0)";
  EXPECT_NO_THROW(validate(s));
}

TEST(Targets, MarketIsAReservedFirmId) {
  const ScenarioError e =
      load_error("firms: [{id: market, headcount_share: 1, pay: {median: 400000}}]\n");
  EXPECT_TRUE(has(e.problem(), "reserved"));
}

}  // namespace
}  // namespace talentsim
