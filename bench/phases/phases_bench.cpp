// Micro benchmarks of the tick's phases on the synthetic market of `talentsim bench`.
// Arguments: researchers, threads. Threads = 1 is the serial baseline beside the
// parallel runs (the same code under one thread; results are identical, see the
// determinism tests). Real time, never process CPU time, so speedups show.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <memory>
#include <thread>
#include <vector>

#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/choice.hpp"
#include "talentsim/model/simulation.hpp"
#include "talentsim/perf/perf.hpp"

namespace {

using talentsim::Simulation;

/// A synthetic market a few weeks in (past its start-up), under a thread limit.
struct Market {
  Market(const benchmark::State& state)
      : limit(tbb::global_control::max_allowed_parallelism,
              static_cast<std::size_t>(state.range(1))),
        sim(std::make_unique<Simulation>(
            talentsim::perf::synthetic_market(state.range(0), 12, 50000))) {
    for (int t = 0; t < 3; ++t) sim->step();
  }
  tbb::global_control limit;
  std::unique_ptr<Simulation> sim;
};

void report(benchmark::State& state) {
  state.counters["agent_ticks_per_s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

/// Runs whole ticks but times only one phase: `phase` is its place in the tick
/// (0 wellbeing, 1 events, 2 decisions, 3 moves); the others run untimed around it.
template <class Fn>
void time_phase(benchmark::State& state, Fn&& phase_under_test, int phase) {
  Market m(state);
  Simulation& s = *m.sim;
  for (auto _ : state) {
    state.PauseTiming();
    s.begin_tick();
    if (phase > 0) s.run_wellbeing();
    if (phase > 1) s.run_events();
    if (phase > 2) s.run_decisions();
    state.ResumeTiming();
    phase_under_test(s);
    state.PauseTiming();
    if (phase < 1) s.run_events();
    if (phase < 2) s.run_decisions();
    if (phase < 3) s.run_moves();
    s.run_reactions();
    s.run_metrics();
    s.end_tick();
    state.ResumeTiming();
  }
  report(state);
}

void BM_Tick(benchmark::State& state) {
  Market m(state);
  for (auto _ : state) m.sim->step();
  report(state);
}

// Phase 1: burnout, faith, contagion -- a streaming pass over everyone.
void BM_Wellbeing(benchmark::State& state) {
  time_phase(state, [](Simulation& s) { s.run_wellbeing(); }, 0);
}

// Phases 3-5: offers, choice and counter-offers of the ~2% whose clock fires.
void BM_Decisions(benchmark::State& state) {
  time_phase(state, [](Simulation& s) { s.run_decisions(); }, 2);
}

// Phases 6-9: hiring limits, moves, startups, separations. Rows change and moves are
// booked in parallel; hiring limits, startups and settling the ledgers are serial.
void BM_Moves(benchmark::State& state) {
  time_phase(state, [](Simulation& s) { s.run_moves(); }, 3);
}

// Phase 11: metrics from the incremental state, plus the median's gather pass.
void BM_Metrics(benchmark::State& state) {
  Market m(state);
  for (auto _ : state) m.sim->run_metrics();
  report(state);
}

// The random-utility kernel alone: 4 options per decision, tau > 0.
void BM_Choice(benchmark::State& state) {
  const auto decisions = static_cast<std::size_t>(state.range(0));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(state.range(1)));
  std::vector<std::size_t> chosen(decisions);
  for (auto _ : state) {
    talentsim::for_each_chunk(decisions, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        double v[4] = {0.0, 0.3, 0.5, -0.2};
        talentsim::RandomStream rs(1, static_cast<std::uint32_t>(i), 1,
                                   talentsim::Purpose::kChoiceNoise);
        talentsim::add_taste_shocks(v, 0.2, rs);
        chosen[i] = talentsim::best_option(v, 4);
      }
    });
    benchmark::DoNotOptimize(chosen.data());
  }
  state.counters["decisions_per_s"] = benchmark::Counter(
      static_cast<double>(decisions) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void Args(benchmark::internal::Benchmark* b) {
  const int hw = static_cast<int>(std::thread::hardware_concurrency());
  for (const long n : {100'000L, 1'000'000L}) {
    b->Args({n, 1});
    for (int t = 2; t <= hw; t *= 2) b->Args({n, t});
  }
  b->ArgNames({"researchers", "threads"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_Tick)->Apply(Args);
BENCHMARK(BM_Wellbeing)->Apply(Args);
BENCHMARK(BM_Decisions)->Apply(Args);
BENCHMARK(BM_Moves)->Apply(Args);
BENCHMARK(BM_Metrics)->Apply(Args);
BENCHMARK(BM_Choice)->Apply(Args);

}  // namespace

BENCHMARK_MAIN();
