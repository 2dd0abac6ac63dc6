// Deterministic data parallelism (STYLE.md rules 5 and 7).
//
// Researchers are cut into fixed chunks of kChunkSize rows whatever the thread
// count; a pass hands whole chunks to TBB and anything a chunk produces (partial
// sums, lists of ids) is stored per chunk and combined in chunk order. So the
// result of every pass is the same for 1 thread or 64.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

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

/// Times one parallel pass from the thread that starts it.
class ParallelPass {
 public:
  ParallelPass()
      : start_(parallel_depth++ == 0 ? (++parallel_passes, std::chrono::steady_clock::now())
                                     : std::chrono::steady_clock::time_point{}) {}
  ~ParallelPass() {
    if (--parallel_depth == 0)
      parallel_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - start_)
                         .count();
  }
  ParallelPass(const ParallelPass&) = delete;
  ParallelPass& operator=(const ParallelPass&) = delete;

 private:
  std::chrono::steady_clock::time_point start_;
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
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          const std::size_t begin = c * kChunkSize;
          const std::size_t end = begin + kChunkSize < rows ? begin + kChunkSize : rows;
          fn(c, begin, end);
        }
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
        for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
      },
      tbb::simple_partitioner());
}

}  // namespace talentsim
