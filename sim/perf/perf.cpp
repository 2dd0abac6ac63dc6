#include "talentsim/perf/perf.hpp"

#include <malloc.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <string>

#include "talentsim/core/parallel.hpp"
#include "talentsim/model/state.hpp"

namespace talentsim::perf {

Scenario synthetic_market(std::int64_t researchers, int firms, std::int64_t ticks,
                          std::uint64_t seed) {
  Scenario s;
  s.name = "synthetic";
  s.description = "talentsim bench: a synthetic market with the whole model on";
  s.seed = seed;
  s.ticks = ticks;
  s.population.researchers = researchers;
  s.startups.max_alive = 0;  // automatic: researchers / 500
  double total = 0.0;
  for (int j = 0; j < firms; ++j) total += 1.0 / (j + 1);
  const double sector = s.startups.recruiting_share;
  for (int j = 0; j < firms; ++j) {
    FirmParams f;
    f.id = "firm_" + std::to_string(j + 1);
    f.name = f.id;
    f.kind = j % 3 == 0 ? FirmKind::kBigTech : FirmKind::kLab;
    f.headcount_share = (1.0 / (j + 1)) / total;
    f.recruiting.share = f.headcount_share * (1.0 - sector);
    f.skill_shift = 0.05 * (j % 5);
    f.pay.median = 200000.0 + 50000.0 * (j % 12);
    f.workload = 0.4 + 0.05 * (j % 10);
    f.faith_baseline = 0.5 + 0.03 * (j % 10);
    f.founder_appeal = 0.3 + 0.05 * (j % 10);
    f.prestige = 0.02 * (j % 10);
    f.recruiting.skill_targeting = 0.5 + 0.25 * (j % 4);
    f.hiring.interview_free = j % 4 == 1;
    f.hiring.lag_weeks = 2 + j % 6;
    if (j % 5 == 2) f.hiring.headcount_cap = 1.05;
    f.retention.counter_offers = j % 3 == 0 ? Eligibility::kTop : Eligibility::kPublished;
    f.retention.probability = 0.5;
    if (j % 6 == 4) f.reactive_raise.enabled = true;
    s.firms.push_back(f);
  }
  // Shares were rounded through doubles; put the rounding error on the largest firm.
  double sum_head = 0.0, sum_recruit = 0.0;
  for (const auto& f : s.firms) {
    sum_head += f.headcount_share;
    sum_recruit += *f.recruiting.share;
  }
  s.firms[0].headcount_share += 1.0 - sum_head;
  *s.firms[0].recruiting.share += 1.0 - sector - sum_recruit;
  if (firms >= 2 && ticks >= 4) {
    Event campaign;
    campaign.type = EventType::kCampaign;
    campaign.week = 4;
    campaign.firm = s.firms[1].id;
    campaign.target = s.firms[0].id;
    campaign.top_share = 0.1;
    campaign.offer_rate_multiplier = 5;
    campaign.weeks = std::min<std::int64_t>(12, ticks - 3);
    s.events.push_back(campaign);
  }
  return s;
}

double stream_seconds(std::size_t read_bytes, std::size_t write_bytes, int repeats) {
  // A triad reads two floats and writes one per element. Size b and c so they hold
  // the tick's read bytes and a the written bytes; elements past a's end are summed
  // instead of stored, so every byte is read once and nothing is optimised away.
  const std::size_t n = std::max<std::size_t>(read_bytes / (2 * sizeof(float)), 1);
  const std::size_t written = std::min(n, std::max<std::size_t>(write_bytes / sizeof(float), 1));
  std::vector<float> a(written, 0.0F), b(n, 1.0F), c(n, 2.0F);
  std::vector<float> sums(chunk_count(n), 0.0F);
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for_each_chunk(n, [&](std::size_t chunk, std::size_t lo, std::size_t hi) {
      const std::size_t mid = std::clamp(written, lo, hi);
      for (std::size_t i = lo; i < mid; ++i) a[i] = b[i] + 3.0F * c[i];
      // Eight partial sums so the loop is bound by memory, not by one add chain.
      std::array<float, 8> sum{};
      std::size_t i = mid;
      for (; i + 8 <= hi; i += 8)
        for (std::size_t k = 0; k < 8; ++k) sum[k] += b[i + k] + 3.0F * c[i + k];
      for (; i < hi; ++i) sum[0] += b[i] + 3.0F * c[i];
      float total = 0.0F;
      for (const float x : sum) total += x;
      sums[chunk] = total;
    });
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  volatile float sink = a[written / 2] + sums[0];
  (void)sink;
  return best;
}

double empty_pass_seconds(std::size_t rows, int repeats) {
  std::vector<std::uint8_t> touched(chunk_count(rows), 0);
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for_each_chunk(rows, [&](std::size_t c, std::size_t, std::size_t) { touched[c] = 1; });
    const auto elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, std::chrono::duration<double>(elapsed).count());
  }
  return best;
}

namespace {
std::size_t status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
  return 0;
}
}  // namespace

std::size_t current_rss_bytes() { return status_kb("VmRSS") * 1024; }
std::size_t peak_rss_bytes() { return status_kb("VmHWM") * 1024; }

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

namespace {
/// Gives memory freed to the allocator back to the system (glibc keeps freed
/// blocks of the size the stream buffers had).
void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}
}  // namespace

TickTraffic tick_traffic(const Simulation& sim) {
  const std::size_t n = sim.researchers().size();
  // The columns the weekly pass over everyone reads and writes (the registry says
  // which), and the compact per-team table it reads.
  std::size_t read = 0, written = 0;
  ResearcherColumns::for_each_column([&](const ColumnInfo& info, auto member) {
    if ((info.use & kStreamed) != 0) read += kColumnWidth<decltype(member)>;
    if ((info.use & kWrittenWeekly) != 0) written += kColumnWidth<decltype(member)>;
  });
  return {n * read + sim.teams().size() * sizeof(TeamWeek), n * written};
}

double amdahl_efficiency(double serial_share, int threads) {
  const double n = threads;
  return 1.0 / (serial_share * n + 1.0 - serial_share);
}

Measurement measure(const Scenario& scenario, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const bool can_reset_peak = reset_peak_rss();
  auto owned = std::make_unique<Simulation>(scenario);
  Simulation& sim = *owned;
  const std::size_t set_up_peak = peak_rss_bytes();
  // The memory reference, measured in this process just before the run, over as many
  // bytes as a tick reads and writes. Its buffers are freed before the run, and the
  // peak is reset so that they do not count in the run's peak memory. Where the peak
  // cannot be reset, the reference is measured after the run instead, once the
  // simulation is freed, so that the peak never holds both.
  const TickTraffic traffic = tick_traffic(sim);
  double stream = 0.0;
  if (can_reset_peak) {
    stream = stream_seconds(traffic.read_bytes, traffic.write_bytes);
    release_free_memory();
    reset_peak_rss();
  }
  const double empty_pass = empty_pass_seconds(sim.researchers().size());
  const auto before = sim.phase_nanoseconds();
  const auto serial_before = sim.phase_serial_nanoseconds();
  const std::int64_t passes_before = parallel_passes();
  const std::int64_t busy_before = parallel_busy_nanoseconds();
  const std::int64_t capacity_before = parallel_capacity_nanoseconds();
  measure_utilisation(true);  // two clock reads a task: about 0.2% of a tick
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t t = 0; t < scenario.ticks; ++t) sim.step();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  measure_utilisation(false);
  Measurement m;
  m.threads = threads;
  m.seconds = seconds;
  const double agent_ticks =
      static_cast<double>(scenario.population.researchers) * static_cast<double>(scenario.ticks);
  m.agent_ticks_per_second = agent_ticks / seconds;
  m.ns_per_agent_tick = seconds * 1e9 / agent_ticks;
  const auto& after = sim.phase_nanoseconds();
  const auto& serial_after = sim.phase_serial_nanoseconds();
  double serial_ns = 0.0;
  m.phase_names = sim.phase_names();
  m.phase_ns_per_agent_tick.assign(after.size(), 0.0);
  m.phase_serial_ns_per_agent_tick.assign(after.size(), 0.0);
  for (std::size_t p = 0; p < after.size(); ++p) {
    m.phase_ns_per_agent_tick[p] = static_cast<double>(after[p] - before[p]) / agent_ticks;
    const auto serial = static_cast<double>(serial_after[p] - serial_before[p]);
    m.phase_serial_ns_per_agent_tick[p] = serial / agent_ticks;
    serial_ns += serial;
  }
  m.serial_share = serial_ns / (seconds * 1e9);
  m.passes_per_tick =
      static_cast<double>(parallel_passes() - passes_before) / static_cast<double>(scenario.ticks);
  m.empty_pass_seconds = empty_pass;
  const auto capacity = static_cast<double>(parallel_capacity_nanoseconds() - capacity_before);
  m.pass_utilisation =
      capacity > 0.0 ? static_cast<double>(parallel_busy_nanoseconds() - busy_before) / capacity
                     : 0.0;
  m.traffic = traffic;
  m.state_hash = sim.state_hash();
  m.peak_rss_bytes = std::max(set_up_peak, peak_rss_bytes());
  if (!can_reset_peak) {
    owned.reset();
    stream = stream_seconds(traffic.read_bytes, traffic.write_bytes);
  }
  m.stream_seconds = stream;
  m.roofline_ratio = (seconds / static_cast<double>(scenario.ticks)) / m.stream_seconds;
  return m;
}

}  // namespace talentsim::perf
