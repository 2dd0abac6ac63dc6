// Replicates of a scenario (include/talentsim/study/replicates.hpp).
#include "talentsim/study/replicates.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <mutex>

#include "talentsim/study/record.hpp"

namespace talentsim {

std::vector<std::uint64_t> replicate_seeds(std::uint64_t base, std::size_t replicates) {
  // SplitMix64 (Steele, Lea & Flood 2014): consecutive outputs of a stream seeded with
  // `base` are well mixed even for neighbouring bases.
  std::vector<std::uint64_t> seeds(replicates);
  std::uint64_t state = base;
  for (auto& seed : seeds) {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    seed = z ^ (z >> 31);
  }
  return seeds;
}

std::vector<std::vector<double>> simulate_metrics(
    const Scenario& scenario, const std::vector<Metric>& metrics,
    const std::vector<std::uint64_t>& seeds, std::size_t jobs,
    const std::function<void(std::size_t done, std::size_t total)>& progress) {
  for (const Metric& m : metrics) check_metric(m, scenario);
  std::vector<std::vector<double>> result(seeds.size(), std::vector<double>(metrics.size()));
  std::mutex progress_mutex;
  std::size_t done = 0;
  const auto one_run = [&](std::size_t r) {
    Scenario s = scenario;
    s.seed = seeds[r];
    // Isolated: a thread waiting on this run's parallel passes takes only its tasks, so it
    // never starts another run meanwhile (at most `jobs` records exist at once).
    tbb::this_task_arena::isolate([&] {
      const RunRecord record = record_run(s);
      for (std::size_t m = 0; m < metrics.size(); ++m) result[r][m] = evaluate(metrics[m], record);
    });
    if (progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      progress(++done, seeds.size());
    }
  };
  tbb::task_arena arena(static_cast<int>(std::clamp<std::size_t>(jobs, 1, 4096)));
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, seeds.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t r = range.begin(); r != range.end(); ++r) one_run(r);
        },
        tbb::simple_partitioner());
  });
  return result;
}

}  // namespace talentsim
