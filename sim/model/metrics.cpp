// Phase 11: metrics. One parallel pass accumulates per-chunk, per-group sums and
// a salary histogram; a second pass over the median's bin gives exact medians.
#include <algorithm>
#include <cmath>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "workspace.hpp"

namespace talentsim {

void Simulation::compute_metrics(TickReport& out) {
  const std::size_t groups = named_ + 1;
  const std::size_t n = people_.size();
  auto& w = *work_;
  auto& stats = w.salary_stats;
  stats.reset();

  // Firm -> reporting group, as a compact table for the pass.
  std::vector<std::uint16_t> group(firms_.size());
  for (std::size_t f = 0; f < firms_.size(); ++f) group[f] = static_cast<std::uint16_t>(group_of(static_cast<FirmId>(f)));

  for_each_chunk(n, [&](std::size_t c, std::size_t b, std::size_t e) {
    GroupPartial* part = &w.partials[c * groups];
    std::fill(part, part + groups, GroupPartial{});
    auto& hist = stats.local_histogram();
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = people_.employer[i];
      if (f == kNoFirm) continue;
      const std::size_t g = group[f];
      GroupPartial& p = part[g];
      const std::uint8_t fl = people_.flags[i];
      const float s = people_.salary[i];
      ++p.headcount;
      p.top += (fl & flag::kTop) != 0;
      p.published += (fl & flag::kPublished) != 0;
      p.salary += s;
      p.burnout += people_.burnout[i];
      p.faith += people_.faith[i];
      ++hist[stats.index(g, s)];
    }
  });

  // Combine chunk partials in chunk order: the same sums for any thread count.
  std::vector<GroupPartial> total(groups);
  for (std::size_t c = 0; c < chunk_count(n); ++c)
    for (std::size_t g = 0; g < groups; ++g) {
      const GroupPartial& p = w.partials[c * groups + g];
      GroupPartial& t = total[g];
      t.headcount += p.headcount;
      t.top += p.top;
      t.published += p.published;
      t.salary += p.salary;
      t.burnout += p.burnout;
      t.faith += p.faith;
    }

  // Exact medians: the middle rank(s) of each group.
  std::vector<std::uint64_t> lo(groups), hi(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    const auto h = static_cast<std::uint64_t>(total[g].headcount);
    lo[g] = h == 0 ? 0 : (h - 1) / 2;
    hi[g] = h / 2;
  }
  std::vector<double> median(groups, 0.0);
  if (stats.locate(lo, hi)) {
    for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const FirmId f = people_.employer[i];
        if (f == kNoFirm) continue;
        const std::size_t g = group[f];
        if (stats.wants(g)) stats.gather(g, people_.salary[i]);
      }
    });
    const auto pairs = stats.finish();
    for (std::size_t g = 0; g < groups; ++g)
      if (total[g].headcount > 0)
        median[g] = 0.5 * (static_cast<double>(pairs[g].lo) + static_cast<double>(pairs[g].hi));
  }

  // Per-group counters of the tick, and the exact counts kept by the moves.
  std::vector<FirmTickCounters> counters(groups);
  std::vector<std::int64_t> kept_headcount(groups, 0), kept_top(groups, 0), kept_published(groups, 0);
  std::int64_t top_employed = 0;
  for (std::size_t f = 0; f < firms_.size(); ++f) {
    const std::size_t g = group[f];
    counters[g] += firms_[f].tick;
    kept_headcount[g] += firms_[f].headcount;
    kept_top[g] += firms_[f].top;
    kept_published[g] += firms_[f].published;
    top_employed += firms_[f].top;
  }

  out.tick = tick_;
  out.groups.assign(groups, GroupMetrics{});
  std::int64_t employed = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const GroupPartial& t = total[g];
    // MODEL.md V5: the counts kept by every move equal the counts over researchers.
    if (t.headcount != kept_headcount[g] || t.top != kept_top[g] ||
        t.published != kept_published[g])
      throw ModelError("conservation broken at tick " + std::to_string(tick_) + " in group " +
                       std::to_string(g));
    GroupMetrics& m = out.groups[g];
    const auto& k = counters[g];
    const double h = static_cast<double>(t.headcount);
    m.headcount = t.headcount;
    m.top_headcount = t.top;
    m.published_headcount = t.published;
    m.mean_salary = t.headcount > 0 ? t.salary / h : 0.0;
    m.median_salary = median[g];
    m.mean_burnout = t.headcount > 0 ? t.burnout / h : 0.0;
    m.mean_faith = t.headcount > 0 ? t.faith / h : 0.0;
    m.hires = k.hires;
    m.departures = k.departures;
    m.departures_to_firm = k.departures_to_firm;
    m.departures_to_startup = k.departures_to_startup;
    m.departures_to_independent = k.departures_to_independent;
    m.departures_to_between_jobs = k.departures_to_between_jobs;
    m.counteroffers = k.counteroffers;
    m.counteroffers_won = k.counteroffers_won;
    m.reactive_raises = k.reactive_raises;
    m.rejected_by_limits = k.rejected_by_limits;
    m.top_departures = k.top_departures;
    m.published_departures = k.published_departures;
    employed += t.headcount;
  }

  MarketMetrics& mk = out.market;
  mk.employed = employed;
  mk.between_jobs = static_cast<std::int64_t>(n) - employed;
  mk.independent = independent_count_;
  mk.startups_alive = static_cast<std::int64_t>(w.alive_startups.size());
  mk.startups_founded = startups_founded_tick_;
  mk.startups_failed = startups_failed_tick_;
  mk.pending_hires = static_cast<std::int64_t>(pending_.size());
  double hhi = 0.0;
  if (top_employed > 0)
    for (const FirmState& f : firms_) {
      const double share = static_cast<double>(f.top) / static_cast<double>(top_employed);
      hhi += share * share;
    }
  mk.top_talent_hhi = hhi;
  mk.offers = 0;
  mk.decisions = 0;
  for (const auto o : w.offers_per_chunk) mk.offers += o;
  for (const auto& d : w.decisions) mk.decisions += static_cast<std::int64_t>(d.size());
  if (tick_ == 0) mk.offers = mk.decisions = 0;
}

std::vector<Simulation::Cohort> Simulation::cohorts() const {
  const std::size_t chunks = chunk_count(people_.size());
  std::vector<Cohort> part(chunks * named_);
  for_each_chunk(people_.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f0 = people_.initial_employer[i];
      if (f0 == kNoFirm) continue;
      Cohort& k = part[c * named_ + f0];
      const bool kept = people_.employer[i] == f0 && people_.moves[i] == 0;
      const bool top = (people_.flags[i] & flag::kTop) != 0;
      const bool pub = (people_.flags[i] & flag::kPublished) != 0;
      ++k.initial;
      k.retained += kept;
      k.top += top;
      k.top_retained += top && kept;
      k.published += pub;
      k.published_retained += pub && kept;
    }
  });
  std::vector<Cohort> out(named_);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t j = 0; j < named_; ++j) {
      const Cohort& k = part[c * named_ + j];
      out[j].initial += k.initial;
      out[j].retained += k.retained;
      out[j].top += k.top;
      out[j].top_retained += k.top_retained;
      out[j].published += k.published;
      out[j].published_retained += k.published_retained;
    }
  return out;
}

}  // namespace talentsim
