// docs/MODEL.md phase 11: metrics. Per reporting group (each named firm, and all startups
// together): headcounts, exact payroll (integer cents) and mean pay, exact median pay,
// mean burnout and faith (32.32 fixed-point sums), this week's counters; per market:
// employed, between jobs, independent, startups, pending hires, offers, decisions and
// the Herfindahl index of top talent across employers.
//
// Everything but the median comes from state every move keeps exact (firms' counts,
// group sums built by phase 1 and kept by phases 7-9, the salary histogram), so the
// result does not depend on the order of the moves. The median takes one lean pass
// that gathers the salaries in each group's median bin of the histogram.
// Checked builds recount all of it from the researchers every week and compare.
//
// Reads:  firms, group sums, salary histogram, startups, pending hires; employer,
//         salary (the median's gather); TickBuffers::offers, choices.
// Writes: TickBuffers::report.
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{"metrics", "11",
                          "firms, group sums, salary histogram, startups; employer, salary",
                          "the report (TickBuffers)", ColumnSet{0}};
}  // namespace

const PhaseSpec& MetricsPhase::spec() const { return kSpec; }

void MetricsPhase::run(World& world, TickBuffers& tick) {
  compute(world, tick, tick.report);
  record_cohort_week(world);
}

void recount_group_state(const World& w, std::vector<GroupSums>& sums,
                         std::vector<std::uint32_t>& histogram) {
  const std::size_t groups = w.named + 1;
  const std::size_t bins = w.salary_bins.count();
  struct Local {
    std::vector<GroupSums> sums;
    std::vector<std::uint32_t> histogram;
  };
  tbb::enumerable_thread_specific<Local> local([&] {
    return Local{std::vector<GroupSums>(groups), std::vector<std::uint32_t>(groups * bins)};
  });
  for_each_chunk(w.people.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    Local& l = local.local();
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = w.people.employer[i];
      if (f == kNoFirm) continue;
      const std::size_t g = w.group_of(f);
      l.sums[g].burnout += fixed_point(w.people.burnout[i]);
      l.sums[g].faith += fixed_point(w.people.faith[i]);
      ++l.histogram[g * bins + w.salary_bins.bin(w.people.salary[i])];
    }
  });
  sums.assign(groups, GroupSums{});
  histogram.assign(groups * bins, 0u);
  for (const Local& l : local) {
    for (std::size_t g = 0; g < groups; ++g) {
      sums[g].burnout += l.sums[g].burnout;
      sums[g].faith += l.sums[g].faith;
    }
    for (std::size_t k = 0; k < histogram.size(); ++k) histogram[k] += l.histogram[k];
  }
}

void rebuild_salary_histogram(World& w) {
  std::vector<GroupSums> sums;
  recount_group_state(w, sums, w.salary_histogram);
}

void verify_incremental_state(const World& w, const TickBuffers& buffers) {
  std::vector<GroupSums> sums;
  std::vector<std::uint32_t> histogram;
  recount_group_state(w, sums, histogram);
  const std::string when = " at tick " + std::to_string(w.tick);
  for (std::size_t g = 0; g < sums.size(); ++g)
    if (sums[g].burnout != w.group_sums[g].burnout || sums[g].faith != w.group_sums[g].faith)
      throw ModelError("burnout/faith sums of group " + std::to_string(g) + " drifted" + when);
  if (histogram != w.salary_histogram) throw ModelError("salary histogram drifted" + when);
  // docs/MODEL.md V5: the counts kept by every move equal the counts over researchers.
  std::vector<std::int64_t> head(w.firms.size(), 0), top(w.firms.size(), 0), pub(w.firms.size(), 0),
      lead(w.firms.size(), 0), pay(w.firms.size(), 0);
  for (std::size_t i = 0; i < w.people.size(); ++i) {
    const FirmId f = w.people.employer[i];
    if (f == kNoFirm) continue;
    ++head[f];
    top[f] += (w.people.flags[i] & flag::kTop) != 0;
    pub[f] += (w.people.flags[i] & flag::kPublished) != 0;
    lead[f] += w.leader_cut.takes(w.people.skill[i], static_cast<ResearcherId>(i));
    pay[f] += cents(w.people.salary[i]);
  }
  for (std::size_t f = 0; f < w.firms.size(); ++f)
    if (head[f] != w.firms[f].headcount || top[f] != w.firms[f].top ||
        pub[f] != w.firms[f].published || lead[f] != w.firms[f].leaders ||
        pay[f] != w.firms[f].payroll_cents)
      throw ModelError("conservation broken for firm " + std::to_string(f) + when);
  // The spells by start week at each named firm (cohorts.cpp) against the hire weeks.
  {
    const std::size_t weeks = static_cast<std::size_t>(w.tick) + 1;
    std::vector<std::int64_t> spells(w.named * kTalentGroups * weeks, 0);
    for (std::size_t i = 0; i < w.people.size(); ++i) {
      const FirmId f = w.people.employer[i];
      if (f == kNoFirm || f >= w.named) continue;
      const std::uint8_t groups = talent_groups(w, static_cast<ResearcherId>(i));
      for (std::size_t g = 0; g < kTalentGroups; ++g)
        if ((groups & (1U << g)) != 0)
          ++spells[(f * kTalentGroups + g) * weeks + w.people.hired_tick[i]];
    }
    for (std::size_t r = 0; r < w.named * kTalentGroups; ++r)
      for (std::size_t s = 0; s < weeks; ++s)
        if (w.cohort_book.present[r][s] != spells[r * weeks + s])
          throw ModelError("cohort spells of firm " + std::to_string(r / kTalentGroups) +
                           " drifted" + when);
  }
  // Team sizes, independent researchers, pending-hire flags and the live startups.
  std::vector<std::uint32_t> team_size(w.teams.size(), 0);
  std::int64_t independent = 0, pending_flags = 0;
  for (std::size_t i = 0; i < w.people.size(); ++i) {
    if (w.people.team[i] != kNoTeam) ++team_size[w.people.team[i]];
    independent += (w.people.flags[i] & flag::kIndependent) != 0;
    pending_flags += (w.people.flags[i] & flag::kPending) != 0;
  }
  for (std::size_t t = 0; t < w.teams.size(); ++t)
    if (team_size[t] != w.teams[t].size)
      throw ModelError("team " + std::to_string(t) + " size drifted" + when);
  if (independent != w.independent_count) throw ModelError("independent count drifted" + when);
  if (pending_flags != static_cast<std::int64_t>(w.pending.size()))
    throw ModelError("pending-hire flags and list disagree" + when);
  const PendingHires& pending = w.pending;
  for (std::size_t c = 0; c < pending.chunks().size(); ++c)
    for (std::size_t k = 0; k < pending.chunks()[c].size(); ++k) {
      const PendingHire& p = pending.chunks()[c][k];
      if ((w.people.flags[p.id] & flag::kPending) == 0)
        throw ModelError("a pending hire without its flag" + when);
      if (p.id / kChunkSize != c || (k > 0 && pending.chunks()[c][k - 1].id >= p.id))
        throw ModelError("pending hires out of their chunk or order" + when);
    }
  std::vector<FirmId> alive;
  for (std::size_t f = w.named; f < w.firms.size(); ++f)
    if (w.firms[f].alive) alive.push_back(static_cast<FirmId>(f));
  if (alive != w.startups.alive) throw ModelError("live startups list drifted" + when);
  // Startup slots outside this tick's active firms have nothing to count.
  {
    std::vector<char> active(w.firms.size(), 0);
    for (std::size_t f = 0; f < w.named; ++f) active[f] = 1;
    const auto& in_tick = w.startups.in_tick;
    if (!std::is_sorted(in_tick.begin(), in_tick.end()) ||
        std::adjacent_find(in_tick.begin(), in_tick.end()) != in_tick.end() ||
        (!in_tick.empty() && in_tick.front() < w.named))
      throw ModelError("this tick's startups are not a sorted list of distinct slots" + when);
    for (const FirmId f : in_tick) active[f] = 1;
    for (std::size_t f = 0; f < w.firms.size(); ++f)
      if (active[f] == 0 && (w.firms[f].alive || w.firms[f].headcount != 0 ||
                             w.firms[f].payroll_cents != 0 || w.firms[f].top != 0 ||
                             w.firms[f].published != 0 || w.firms[f].tick != FirmTickCounters{}))
        throw ModelError("startup slot " + std::to_string(f) + " has counts but is not active" +
                         when);
  }
  // Every move is settled: no ledger holds anything.
  for (const Ledger& l : buffers.ledgers)
    if (!l.empty()) throw ModelError("a move ledger was not settled" + when);
  // Every team with departures this tick is listed for next week's contagion.
  std::vector<char> listed(w.teams.size(), 0);
  for (const TeamId k : w.team_signals.left) listed[k] = 1;
  for (std::size_t k = 0; k < w.teams.size(); ++k)
    if (w.teams[k].left_count > 0 && listed[k] == 0)
      throw ModelError("team " + std::to_string(k) + " lost people but is not listed" + when);
}

namespace {

/// Counts, payroll and this tick's counters of a reporting group, from its firms.
struct GroupTotals {
  std::int64_t headcount = 0, top = 0, published = 0, leaders = 0, payroll_cents = 0;
  FirmTickCounters tick;
};

std::vector<GroupTotals> group_totals(const World& w) {
  std::vector<GroupTotals> total(w.named + 1);
  w.for_each_active_firm([&](const FirmState& firm) {
    GroupTotals& t = total[w.group_of(static_cast<FirmId>(&firm - w.firms.data()))];
    t.headcount += firm.headcount;
    t.top += firm.top;
    t.published += firm.published;
    t.leaders += firm.leaders;
    t.payroll_cents += firm.payroll_cents;
    t.tick += firm.tick;
  });
  return total;
}

/// The market row; `employed` and `top_employed` summed over the groups.
void market_metrics(const World& w, const TickBuffers& buffers, std::int64_t employed,
                    std::int64_t top_employed, MarketMetrics& mk) {
  mk.employed = employed;
  mk.between_jobs = static_cast<std::int64_t>(w.people.size()) - employed;
  mk.independent = w.independent_count;
  mk.startups_alive = static_cast<std::int64_t>(w.startups.alive.size());
  mk.startups_founded = w.startups.founded_tick;
  mk.startups_failed = w.startups.failed_tick;
  mk.startups_refused = w.startups.refused_tick;
  mk.pending_hires = static_cast<std::int64_t>(w.pending.size());
  double hhi = 0.0;
  if (top_employed > 0)
    w.for_each_active_firm([&](const FirmState& f) {  // the others add exactly 0
      const double share = static_cast<double>(f.top) / static_cast<double>(top_employed);
      hhi += share * share;
    });
  mk.top_talent_hhi = hhi;
  mk.offers = 0;
  mk.decisions = 0;
  if (w.tick > 0) {
    for (const auto o : buffers.offers) mk.offers += o;
    for (const auto c : buffers.choices) mk.decisions += c;
  }
}

}  // namespace

std::vector<double> MetricsPhase::exact_medians(const World& w,
                                                const std::vector<std::int64_t>& headcount) {
  // The histogram gives the bin of each middle rank; one lean pass gathers the values
  // in those bins.
  const std::size_t groups = headcount.size();
  std::vector<std::uint64_t> lo(groups), hi(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    const auto h = static_cast<std::uint64_t>(headcount[g]);
    lo[g] = h == 0 ? 0 : (h - 1) / 2;
    hi[g] = h / 2;
  }
  std::vector<double> median(groups, 0.0);
  if (!salary_stats_ || salary_stats_->groups() != groups)
    salary_stats_ = std::make_unique<GroupedOrderStatistics>(groups, w.salary_bins);
  auto& stats = *salary_stats_;  // locate() clears what the last tick gathered
  if (!stats.locate(w.salary_histogram, lo, hi)) return median;
  // One more range, empty, for researchers without an employer: the pass has no
  // branch but the rarely taken one for wanted values.
  std::vector<GroupedOrderStatistics::BitRange> range(groups + 1, {0u, 0u});
  for (std::size_t g = 0; g < groups; ++g) range[g] = stats.wanted_values(g);
  const FirmId* const employer = w.people.employer.data();
  const float* const salary = w.people.salary.data();
  const GroupedOrderStatistics::BitRange* const wanted = range.data();
  const auto named = static_cast<FirmId>(w.named);
  for_each_chunk(w.people.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    // Local copies, which the rare call below cannot change, so they stay in
    // registers (captures are reloaded after every call).
    const FirmId* const emp = employer;
    const float* const sal = salary;
    const GroupedOrderStatistics::BitRange* const want = wanted;
    const FirmId nm = named;
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = emp[i];
      const std::size_t g = f < nm ? f : (f == kNoFirm ? nm + 1u : nm);
      const float s = sal[i];
      if (want[g].contains(s)) [[unlikely]]
        stats.gather_wanted(g, s);
    }
  });
  const auto pairs = stats.finish();
  for (std::size_t g = 0; g < groups; ++g)
    if (headcount[g] > 0)
      median[g] = 0.5 * (static_cast<double>(pairs[g].lo) + static_cast<double>(pairs[g].hi));
  return median;
}

void MetricsPhase::compute(const World& w, const TickBuffers& buffers, TickReport& out) {
  const std::size_t groups = w.named + 1;
  const std::vector<GroupTotals> total = group_totals(w);
  std::vector<std::int64_t> headcount(groups);
  for (std::size_t g = 0; g < groups; ++g) headcount[g] = total[g].headcount;
  const std::vector<double> median = exact_medians(w, headcount);

  out.tick = w.tick;
  out.groups.assign(groups, GroupMetrics{});
  std::int64_t employed = 0;
  std::int64_t top_employed = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const GroupTotals& t = total[g];
    GroupMetrics& m = out.groups[g];
    const double h = static_cast<double>(t.headcount);
    m.headcount = t.headcount;
    m.top_headcount = t.top;
    m.published_headcount = t.published;
    m.leader_headcount = t.leaders;
    if (g < w.named) m.openings = w.firms[g].openings;
    m.mean_salary = t.headcount > 0 ? static_cast<double>(t.payroll_cents) / 100.0 / h : 0.0;
    m.median_salary = median[g];
    m.mean_burnout =
        t.headcount > 0 ? static_cast<double>(w.group_sums[g].burnout) / kFixedPointOne / h : 0.0;
    m.mean_faith =
        t.headcount > 0 ? static_cast<double>(w.group_sums[g].faith) / kFixedPointOne / h : 0.0;
    m.counts = t.tick;
    m.offers.median_pay = std::numeric_limits<double>::quiet_NaN();
    employed += t.headcount;
    top_employed += t.top;
  }
  if (w.tick > 0) offer_stats(buffers, out.groups);
  market_metrics(w, buffers, employed, top_employed, out.market);
#if defined(TALENTSIM_CHECKED) && TALENTSIM_CHECKED
  verify_incremental_state(w, buffers);
#endif
}

void MetricsPhase::offer_stats(const TickBuffers& tick, std::vector<GroupMetrics>& groups) {
  offer_pay_.resize(groups.size());
  for (auto& pay : offer_pay_) pay.clear();
  std::vector<std::int64_t> pay_cents(groups.size(), 0);
  for (const auto& chunk : tick.offer_records)
    for (const OfferRecord& r : chunk) {
      OfferStats& s = groups[r.group].offers;
      ++s.made;
      s.accepted += r.accepted;
      s.countered += r.countered;
      pay_cents[r.group] += cents(r.pay);
      offer_pay_[r.group].push_back(r.pay);
    }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    OfferStats& s = groups[g].offers;
    s.pay_sum = static_cast<double>(pay_cents[g]) / 100.0;
    auto& pay = offer_pay_[g];
    if (pay.empty()) continue;
    // The exact median: the middle value, or the mean of the two middle values.
    const std::size_t half = pay.size() / 2;
    std::nth_element(pay.begin(), pay.begin() + static_cast<std::ptrdiff_t>(half), pay.end());
    const double upper = pay[half];
    if (pay.size() % 2 == 1) {
      s.median_pay = upper;
    } else {
      const double lower =
          *std::max_element(pay.begin(), pay.begin() + static_cast<std::ptrdiff_t>(half));
      s.median_pay = 0.5 * (lower + upper);
    }
  }
}

std::vector<Cohort> cohorts_of(const World& w) {
  const std::size_t chunks = chunk_count(w.people.size());
  std::vector<Cohort> part(chunks * w.named);
  for_each_chunk(w.people.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f0 = w.people.initial_employer[i];
      if (f0 == kNoFirm) continue;
      Cohort& k = part[c * w.named + f0];
      const bool kept = w.people.employer[i] == f0 && w.people.moves[i] == 0;
      const bool top = (w.people.flags[i] & flag::kTop) != 0;
      const bool pub = (w.people.flags[i] & flag::kPublished) != 0;
      ++k.initial;
      k.retained += kept;
      k.top += top;
      k.top_retained += top && kept;
      k.published += pub;
      k.published_retained += pub && kept;
    }
  });
  std::vector<Cohort> out(w.named);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t j = 0; j < w.named; ++j) {
      const Cohort& k = part[c * w.named + j];
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
