// Deterministic data parallelism (STYLE.md rules 5 and 7).
//
// Researchers are cut into fixed chunks of kChunkSize rows whatever the thread
// count; a pass hands whole chunks to TBB and anything a chunk produces (partial
// sums, lists of ids) is stored per chunk and combined in chunk order. So the
// result of every pass is the same for 1 thread or 64.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace talentsim {

/// Rows per chunk. A power of two; 8192 rows keep each chunk's columns in L2.
inline constexpr std::size_t kChunkSize = 8192;

/// Number of chunks covering `rows` rows.
constexpr std::size_t chunk_count(std::size_t rows) { return (rows + kChunkSize - 1) / kChunkSize; }

namespace detail {
/// Wall time the calling thread has spent in outermost parallel passes, and how deep
/// in passes it is now (a pass started from inside a pass is not counted twice).
inline thread_local std::int64_t parallel_ns = 0;
inline thread_local std::int64_t parallel_passes = 0;
inline thread_local int parallel_depth = 0;
/// Utilisation accounting (off unless asked for: it reads the clock around every task).
inline std::atomic<bool> utilisation_on{false};
inline thread_local std::int64_t parallel_busy_ns = 0;
inline thread_local std::int64_t parallel_capacity_ns = 0;

/// Times one parallel pass from the thread that starts it, and, when utilisation is
/// measured, the time its tasks work.
class ParallelPass {
 public:
  ParallelPass()
      : outermost_(parallel_depth++ == 0),
        measured_(outermost_ && utilisation_on.load(std::memory_order_relaxed)) {
    if (outermost_) {
      ++parallel_passes;
      start_ = std::chrono::steady_clock::now();
    }
  }
  ~ParallelPass() {
    --parallel_depth;
    if (!outermost_) return;
    const std::int64_t wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - start_)
                                  .count();
    parallel_ns += wall;
    if (measured_) {
      parallel_busy_ns += busy_.load(std::memory_order_relaxed);
      parallel_capacity_ns += wall * static_cast<std::int64_t>(threads());
    }
  }
  ParallelPass(const ParallelPass&) = delete;
  ParallelPass& operator=(const ParallelPass&) = delete;

  /// Runs task() and, when measured, adds its time to the pass's busy time.
  template <class Task>
  void run(Task&& task) const {
    if (!measured_) {
      task();
      return;
    }
    const auto start = std::chrono::steady_clock::now();
    task();
    busy_.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count(),
                    std::memory_order_relaxed);
  }

  /// Threads a pass can use now: the arena's, under any global_control limit.
  static std::size_t threads() {
    const auto arena = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
    const std::size_t limit =
        tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
    return std::max<std::size_t>(1, std::min(arena, limit));
  }

 private:
  bool outermost_;
  bool measured_;
  std::chrono::steady_clock::time_point start_{};
  mutable std::atomic<std::int64_t> busy_{0};
};
}  // namespace detail

/// Nanoseconds the calling thread has spent waiting on parallel passes it started
/// (for_each_chunk, for_each_index). What a piece of serial code spends outside them
/// is the part of it no thread count can shorten (Amdahl's law); talentsim bench
/// reports it per phase. Kept per thread: it is exact for code that runs outside TBB
/// tasks (talentsim bench steps one simulation from the main thread). A thread
/// waiting in a pass may run other tasks of its arena, so for simulations stepped
/// inside TBB tasks (many at once) the split between them is not meaningful.
inline std::int64_t parallel_nanoseconds() { return detail::parallel_ns; }
/// How many of those passes the calling thread has started: each is a fork and a
/// join, whose cost grows with the thread count.
inline std::int64_t parallel_passes() { return detail::parallel_passes; }

/// Turns on (or off) utilisation accounting for passes started from now on: each
/// task's time is added up, so that busy / capacity says how much of the threads'
/// time the passes kept them working (the rest is the fork, the join and the tail of
/// a pass, when some threads have no chunk left). It costs two clock reads a task.
inline void measure_utilisation(bool on) {
  detail::utilisation_on.store(on, std::memory_order_relaxed);
}
/// Per calling thread, over its measured outermost passes: the time their tasks
/// worked, and the passes' wall time times the threads they could use.
inline std::int64_t parallel_busy_nanoseconds() { return detail::parallel_busy_ns; }
inline std::int64_t parallel_capacity_nanoseconds() { return detail::parallel_capacity_ns; }

/// Runs fn(chunk, begin, end) for every chunk of [0, rows), in parallel.
/// fn must only write state owned by its rows or by its chunk index (or per-thread
/// state, or integer counts updated atomically: Simulation's move ledgers and teams).
template <class Fn>
void for_each_chunk(std::size_t rows, Fn&& fn) {
  const std::size_t chunks = chunk_count(rows);
  const detail::ParallelPass timed;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, chunks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        timed.run([&] {
          for (std::size_t c = r.begin(); c != r.end(); ++c) {
            const std::size_t begin = c * kChunkSize;
            const std::size_t end = begin + kChunkSize < rows ? begin + kChunkSize : rows;
            fn(c, begin, end);
          }
        });
      },
      tbb::simple_partitioner());
}

/// Runs fn(i) for i in [0, n) in parallel, in tasks of at least `grain` indices
/// (1 for a few heavy jobs; hundreds for many light ones).
template <class Fn>
void for_each_index(std::size_t n, std::size_t grain, Fn&& fn) {
  const detail::ParallelPass timed;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, n, grain),
      [&](const tbb::blocked_range<std::size_t>& r) {
        timed.run([&] {
          for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
        });
      },
      tbb::simple_partitioner());
}

}  // namespace talentsim
