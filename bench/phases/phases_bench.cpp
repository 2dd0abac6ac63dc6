// Micro benchmarks of the tick's phases on the synthetic market of `talentsim bench`.
// Arguments: researchers, threads. Threads = 1 is the serial baseline beside the
// parallel runs (the same code under one thread; results are identical, see the
// determinism tests). Real time, never process CPU time, so speedups show.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <memory>
#include <string>
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

/// Runs whole ticks of the schedule but times only the phase named `name`; the others
/// run untimed around it, in the schedule's order.
void time_phase(benchmark::State& state, const std::string& name) {
  Market m(state);
  Simulation& s = *m.sim;
  std::size_t timed = s.phase_count();
  for (std::size_t k = 0; k < s.phase_count(); ++k)
    if (name == s.phase_spec(k).name) timed = k;
  if (timed == s.phase_count()) {
    state.SkipWithError(("no phase named " + name).c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    s.begin_tick();
    for (std::size_t k = 0; k < timed; ++k) s.run_phase(k);
    state.ResumeTiming();
    s.run_phase(timed);
    state.PauseTiming();
    for (std::size_t k = timed + 1; k < s.phase_count(); ++k) s.run_phase(k);
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
void BM_Wellbeing(benchmark::State& state) { time_phase(state, "wellbeing"); }

// Phases 3-5: offers, choice and counter-offers of the ~2% whose clock fires.
void BM_Decisions(benchmark::State& state) { time_phase(state, "decisions"); }

// Phase 7: moves. Rows change and moves are booked in parallel; settling the ledgers
// is serial.
void BM_Moves(benchmark::State& state) { time_phase(state, "moves"); }

// Phase 9: separations, listed, relocated and booked per chunk.
void BM_Separations(benchmark::State& state) { time_phase(state, "separations"); }

// Phase 11: metrics from the incremental state, plus the median's gather pass.
void BM_Metrics(benchmark::State& state) { time_phase(state, "metrics"); }

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
  state.counters["decisions_per_s"] =
      benchmark::Counter(static_cast<double>(decisions) * static_cast<double>(state.iterations()),
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
BENCHMARK(BM_Separations)->Apply(Args);
BENCHMARK(BM_Metrics)->Apply(Args);
BENCHMARK(BM_Choice)->Apply(Args);

}  // namespace

BENCHMARK_MAIN();
