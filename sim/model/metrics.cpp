// Phase 11: metrics, from state every move keeps exact, plus one lean pass that
// gathers the salaries in each group's median bin.
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cmath>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "workspace.hpp"

namespace talentsim {

void Simulation::book_group(Ledger& ledger, FirmId firm, float burnout, float faith, float salary,
                            std::int64_t sign) const {
  const std::size_t g = group_of(firm);
  ledger.groups[g].burnout += sign * fixed_point(burnout);
  ledger.groups[g].faith += sign * fixed_point(faith);
  const std::size_t k = g * salary_bins_.count() + salary_bins_.bin(salary);
  if (ledger.histogram[k] == 0) ledger.touched_bins.push_back(k);
  ledger.histogram[k] += static_cast<std::int32_t>(sign);
}

void Simulation::recount_group_state(std::vector<GroupSums>& sums,
                                     std::vector<std::uint32_t>& histogram) const {
  const std::size_t groups = named_ + 1;
  const std::size_t bins = salary_bins_.count();
  struct Local {
    std::vector<GroupSums> sums;
    std::vector<std::uint32_t> histogram;
  };
  tbb::enumerable_thread_specific<Local> local(
      [&] { return Local{std::vector<GroupSums>(groups), std::vector<std::uint32_t>(groups * bins)}; });
  for_each_chunk(people_.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    Local& l = local.local();
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = people_.employer[i];
      if (f == kNoFirm) continue;
      const std::size_t g = group_of(f);
      l.sums[g].burnout += fixed_point(people_.burnout[i]);
      l.sums[g].faith += fixed_point(people_.faith[i]);
      ++l.histogram[g * bins + salary_bins_.bin(people_.salary[i])];
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

void Simulation::rebuild_salary_histogram() {
  std::vector<GroupSums> sums;
  recount_group_state(sums, salary_histogram_);
}

void Simulation::verify_incremental_state() const {
  std::vector<GroupSums> sums;
  std::vector<std::uint32_t> histogram;
  recount_group_state(sums, histogram);
  const std::string when = " at tick " + std::to_string(tick_);
  for (std::size_t g = 0; g < sums.size(); ++g)
    if (sums[g].burnout != group_sums_[g].burnout || sums[g].faith != group_sums_[g].faith)
      throw ModelError("burnout/faith sums of group " + std::to_string(g) + " drifted" + when);
  if (histogram != salary_histogram_) throw ModelError("salary histogram drifted" + when);
  // MODEL.md V5: the counts kept by every move equal the counts over researchers.
  std::vector<std::int64_t> head(firms_.size(), 0), top(firms_.size(), 0), pub(firms_.size(), 0),
      pay(firms_.size(), 0);
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const FirmId f = people_.employer[i];
    if (f == kNoFirm) continue;
    ++head[f];
    top[f] += (people_.flags[i] & flag::kTop) != 0;
    pub[f] += (people_.flags[i] & flag::kPublished) != 0;
    pay[f] += cents(people_.salary[i]);
  }
  for (std::size_t f = 0; f < firms_.size(); ++f)
    if (head[f] != firms_[f].headcount || top[f] != firms_[f].top ||
        pub[f] != firms_[f].published || pay[f] != firms_[f].payroll_cents)
      throw ModelError("conservation broken for firm " + std::to_string(f) + when);
  // Team sizes, independent researchers, pending-hire flags and the live startups.
  std::vector<std::uint32_t> team_size(teams_.size(), 0);
  std::int64_t independent = 0, pending_flags = 0;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    if (people_.team[i] != kNoTeam) ++team_size[people_.team[i]];
    independent += (people_.flags[i] & flag::kIndependent) != 0;
    pending_flags += (people_.flags[i] & flag::kPending) != 0;
  }
  for (std::size_t t = 0; t < teams_.size(); ++t)
    if (team_size[t] != teams_[t].size)
      throw ModelError("team " + std::to_string(t) + " size drifted" + when);
  if (independent != independent_count_) throw ModelError("independent count drifted" + when);
  if (pending_flags != static_cast<std::int64_t>(pending_hire_count()))
    throw ModelError("pending-hire flags and list disagree" + when);
  for (std::size_t c = 0; c < pending_.size(); ++c)
    for (std::size_t k = 0; k < pending_[c].size(); ++k) {
      const PendingHire& p = pending_[c][k];
      if ((people_.flags[p.id] & flag::kPending) == 0)
        throw ModelError("a pending hire without its flag" + when);
      if (p.id / kChunkSize != c || (k > 0 && pending_[c][k - 1].id >= p.id))
        throw ModelError("pending hires out of their chunk or order" + when);
    }
  std::vector<FirmId> alive;
  for (std::size_t f = named_; f < firms_.size(); ++f)
    if (firms_[f].alive) alive.push_back(static_cast<FirmId>(f));
  if (alive != work_->alive_startups) throw ModelError("live startups list drifted" + when);
  // Startup slots outside this tick's active firms have nothing to count.
  {
    std::vector<char> active(firms_.size(), 0);
    for (std::size_t f = 0; f < named_; ++f) active[f] = 1;
    const auto& in_tick = work_->startups_in_tick;
    if (!std::is_sorted(in_tick.begin(), in_tick.end()) ||
        std::adjacent_find(in_tick.begin(), in_tick.end()) != in_tick.end() ||
        (!in_tick.empty() && in_tick.front() < named_))
      throw ModelError("this tick's startups are not a sorted list of distinct slots" + when);
    for (const FirmId f : in_tick) active[f] = 1;
    for (std::size_t f = 0; f < firms_.size(); ++f)
      if (active[f] == 0 && (firms_[f].alive || firms_[f].headcount != 0 ||
                             firms_[f].payroll_cents != 0 || firms_[f].top != 0 ||
                             firms_[f].published != 0 || firms_[f].tick != FirmTickCounters{}))
        throw ModelError("startup slot " + std::to_string(f) + " has counts but is not active" +
                         when);
  }
  // Every move is settled: no ledger holds anything.
  for (const Ledger& l : work_->ledgers)
    if (!l.touched_firms.empty() || !l.touched_bins.empty() || l.flows_touched ||
        l.independent != 0 || !l.joined_startups.empty() || !l.teams_left.empty())
      throw ModelError("a move ledger was not settled" + when);
  // Every team with departures this tick is listed for next week's contagion.
  std::vector<char> listed(teams_.size(), 0);
  for (const TeamId k : work_->teams_left) listed[k] = 1;
  for (std::size_t k = 0; k < teams_.size(); ++k)
    if (teams_[k].left_count > 0 && listed[k] == 0)
      throw ModelError("team " + std::to_string(k) + " lost people but is not listed" + when);
}

void Simulation::compute_metrics(TickReport& out) {
  const std::size_t groups = named_ + 1;
  const std::size_t n = people_.size();
  auto& w = *work_;

  // Counts, payroll and this tick's counters, per group, from the firms.
  struct Totals {
    std::int64_t headcount = 0, top = 0, published = 0, payroll_cents = 0;
    FirmTickCounters tick;
  };
  std::vector<Totals> total(groups);
  std::int64_t top_employed = 0;
  for_each_active_firm([&](const FirmState& firm) {
    Totals& t = total[group_of(static_cast<FirmId>(&firm - firms_.data()))];
    t.headcount += firm.headcount;
    t.top += firm.top;
    t.published += firm.published;
    t.payroll_cents += firm.payroll_cents;
    t.tick += firm.tick;
    top_employed += firm.top;
  });

  // Exact medians: the histogram gives the bin of each middle rank; one lean pass
  // gathers the values in those bins.
  std::vector<std::uint64_t> lo(groups), hi(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    const auto h = static_cast<std::uint64_t>(total[g].headcount);
    lo[g] = h == 0 ? 0 : (h - 1) / 2;
    hi[g] = h / 2;
  }
  std::vector<double> median(groups, 0.0);
  auto& stats = w.salary_stats;  // locate() clears what the last tick gathered
  if (stats.locate(salary_histogram_, lo, hi)) {
    // One more range, empty, for researchers without an employer: the pass has no
    // branch but the rarely taken one for wanted values.
    std::vector<GroupedOrderStatistics::BitRange> range(groups + 1, {0u, 0u});
    for (std::size_t g = 0; g < groups; ++g) range[g] = stats.wanted_values(g);
    const FirmId* const employer = people_.employer.data();
    const float* const salary = people_.salary.data();
    const GroupedOrderStatistics::BitRange* const wanted = range.data();
    const auto named = static_cast<FirmId>(named_);
    for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
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
        if (want[g].contains(s)) [[unlikely]] stats.gather_wanted(g, s);
      }
    });
    const auto pairs = stats.finish();
    for (std::size_t g = 0; g < groups; ++g)
      if (total[g].headcount > 0)
        median[g] = 0.5 * (static_cast<double>(pairs[g].lo) + static_cast<double>(pairs[g].hi));
  }

  out.tick = tick_;
  out.groups.assign(groups, GroupMetrics{});
  std::int64_t employed = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const Totals& t = total[g];
    GroupMetrics& m = out.groups[g];
    const auto& k = t.tick;
    const double h = static_cast<double>(t.headcount);
    m.headcount = t.headcount;
    m.top_headcount = t.top;
    m.published_headcount = t.published;
    m.mean_salary = t.headcount > 0 ? static_cast<double>(t.payroll_cents) / 100.0 / h : 0.0;
    m.median_salary = median[g];
    m.mean_burnout =
        t.headcount > 0 ? static_cast<double>(group_sums_[g].burnout) / kFixedPointOne / h : 0.0;
    m.mean_faith =
        t.headcount > 0 ? static_cast<double>(group_sums_[g].faith) / kFixedPointOne / h : 0.0;
    m.counts = k;
    employed += t.headcount;
  }

  MarketMetrics& mk = out.market;
  mk.employed = employed;
  mk.between_jobs = static_cast<std::int64_t>(n) - employed;
  mk.independent = independent_count_;
  mk.startups_alive = static_cast<std::int64_t>(w.alive_startups.size());
  mk.startups_founded = startups_founded_tick_;
  mk.startups_failed = startups_failed_tick_;
  mk.startups_refused = startups_refused_tick_;
  mk.pending_hires = static_cast<std::int64_t>(pending_hire_count());
  double hhi = 0.0;
  if (top_employed > 0)
    for_each_active_firm([&](const FirmState& f) {  // the others add exactly 0
      const double share = static_cast<double>(f.top) / static_cast<double>(top_employed);
      hhi += share * share;
    });
  mk.top_talent_hhi = hhi;
  mk.offers = 0;
  mk.decisions = 0;
  if (tick_ > 0) {
    for (const auto o : w.offers_per_chunk) mk.offers += o;
    for (const auto c : w.choices_per_chunk) mk.decisions += c;
  }
#if defined(TALENTSIM_CHECKED) && TALENTSIM_CHECKED
  verify_incremental_state();
#endif
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
