#include "talentsim/perf/perf.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

TEST(SyntheticMarket, IsAValidScenarioForAnySize) {
  for (const int firms : {1, 2, 12, 50}) {
    const Scenario s = perf::synthetic_market(10000, firms, 52);
    EXPECT_NO_THROW(validate(s)) << firms << " firms";
    EXPECT_EQ(static_cast<int>(s.firms.size()), firms);
    double head = 0.0;
    for (const auto& f : s.firms) head += f.headcount_share;
    EXPECT_NEAR(head, 1.0, 1e-12);
  }
}

TEST(SyntheticMarket, SwitchesTheWholeModelOn) {
  const Scenario s = perf::synthetic_market(10000, 12, 52);
  bool cap = false, counters = false, raise = false, free = false;
  for (const auto& f : s.firms) {
    cap = cap || f.hiring.headcount_cap.has_value();
    counters = counters || f.retention.counter_offers != Eligibility::kNone;
    raise = raise || f.reactive_raise.enabled;
    free = free || f.hiring.interview_free;
  }
  EXPECT_TRUE(cap && counters && raise && free);
  EXPECT_TRUE(s.startups.enabled);
  EXPECT_GT(s.independent.consider_rate, 0.0);
  EXPECT_FALSE(s.events.empty());
}

TEST(StreamSeconds, IsPositiveAndGrowsWithTheBytes) {
  // 64 MB against 1 MB: at any bandwidth the larger stream takes longer.
  const double small = perf::stream_seconds(1u << 20, 1u << 18);
  const double large = perf::stream_seconds(64u << 20, 16u << 20);
  EXPECT_GT(small, 0.0);
  EXPECT_GT(large, small);
}

TEST(Measure, ReportsConsistentFigures) {
  const Scenario s = perf::synthetic_market(20000, 6, 5);
  const perf::Measurement m = perf::measure(s, 1);
  EXPECT_EQ(m.threads, 1);
  EXPECT_GT(m.seconds, 0.0);
  EXPECT_NEAR(m.agent_ticks_per_second * m.seconds, 20000.0 * 5, 1.0);
  double phases = 0.0;
  for (const double p : m.phase_ns_per_agent_tick) phases += p;
  EXPECT_LE(phases, m.ns_per_agent_tick * 1.01);  // phases are inside the tick loop
  EXPECT_GE(phases, m.ns_per_agent_tick * 0.9);   // and make up nearly all of it
  double serial = 0.0;
  for (std::size_t p = 0; p < m.phase_ns_per_agent_tick.size(); ++p) {
    EXPECT_GE(m.phase_serial_ns_per_agent_tick[p], 0.0);
    EXPECT_LE(m.phase_serial_ns_per_agent_tick[p], m.phase_ns_per_agent_tick[p]);
    serial += m.phase_serial_ns_per_agent_tick[p];
  }
  EXPECT_NEAR(m.serial_share, serial / m.ns_per_agent_tick, 1e-9);
  EXPECT_GT(m.serial_share, 0.0);  // some of the tick (settling moves, startups) is serial
  EXPECT_LT(m.serial_share, 1.0);
  // Wellbeing, decisions, moves (two), clocks and the medians: at least six a tick.
  EXPECT_GE(m.passes_per_tick, 6.0);
  EXPECT_GT(m.empty_pass_seconds, 0.0);
  EXPECT_GT(m.pass_utilisation, 0.5);  // one thread: busy but for forks and joins
  EXPECT_LE(m.pass_utilisation, 1.0);
  EXPECT_GT(m.traffic.read_bytes, 20000u * 20u);
  EXPECT_GT(m.peak_rss_bytes, 0u);
}

TEST(Amdahl, BoundsEfficiencyByTheSerialShare) {
  EXPECT_DOUBLE_EQ(perf::amdahl_efficiency(0.0, 16), 1.0);
  EXPECT_DOUBLE_EQ(perf::amdahl_efficiency(0.3, 1), 1.0);
  EXPECT_DOUBLE_EQ(perf::amdahl_efficiency(1.0, 16), 1.0 / 16.0);
  // 1/15 serial on 16 threads: speedup 1 / (1/15 + (14/15)/16) = 8, efficiency 1/2.
  EXPECT_NEAR(perf::amdahl_efficiency(1.0 / 15.0, 16), 0.5, 1e-12);
}

}  // namespace
}  // namespace talentsim
