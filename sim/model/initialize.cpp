// Building the initial state (docs/MODEL.md "State"): firms and startup slots, the
// population, pay calibrated to each firm's median, teams, rate tables and clocks.
#include <sys/mman.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "clocks.hpp"
#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/phases.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {

void advise_huge_pages(void* p, std::size_t bytes) {
#if defined(MADV_HUGEPAGE)
  (void)madvise(p, bytes, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

void ResearcherColumns::resize(std::size_t n) {
  for_each_column([&](const ColumnInfo&, auto member) { (this->*member).resize(n); });
}

FirmTickCounters& FirmTickCounters::operator+=(const FirmTickCounters& o) {
  hires += o.hires;
  departures += o.departures;
  departures_to_firm += o.departures_to_firm;
  departures_to_startup += o.departures_to_startup;
  departures_to_independent += o.departures_to_independent;
  departures_to_between_jobs += o.departures_to_between_jobs;
  counteroffers += o.counteroffers;
  counteroffers_won += o.counteroffers_won;
  reactive_raises += o.reactive_raises;
  rejected_by_limits += o.rejected_by_limits;
  top_departures += o.top_departures;
  published_departures += o.published_departures;
  leader_departures += o.leader_departures;
  quits += o.quits;
  top_quits += o.top_quits;
  published_quits += o.published_quits;
  leader_quits += o.leader_quits;
  return *this;
}

namespace {

void setup_firms(World& w) {
  const auto& st = w.scenario.startups;
  const auto n = w.scenario.population.researchers;
  std::size_t max_startups = 0;
  if (st.enabled) {
    const std::int64_t automatic = std::max<std::int64_t>(16, n / 500);
    max_startups = static_cast<std::size_t>(st.max_alive > 0 ? st.max_alive : automatic);
    max_startups =
        std::min<std::size_t>(max_startups, static_cast<std::size_t>(kMaxEmployers) - w.named);
  }
  w.firms.assign(w.named + max_startups, FirmState{});
  const double sector_share = st.enabled ? st.recruiting_share : 0.0;
  for (std::size_t j = 0; j < w.named; ++j) {
    FirmState& f = w.firms[j];
    f.params = w.scenario.firms[j];
    if (!f.params.recruiting.share)
      f.params.recruiting.share = f.params.headcount_share * (1.0 - sector_share);
    f.appeal = f.params.founder_appeal;
    f.restart_covered_counts(1);
  }
  for (std::size_t s = w.named; s < w.firms.size(); ++s) {
    FirmState& f = w.firms[s];
    f.is_startup = true;
    f.alive = false;
    f.params.id = "startup";
    f.params.name = "startup";
    f.params.kind = FirmKind::kStartup;
    w.startups.free.push(static_cast<FirmId>(s));
  }
}

/// Initial employment: blocks of rows per firm (largest remainder), then between
/// jobs. Returns the first row of each firm's block (and one past the last firm's).
std::vector<std::size_t> initial_blocks(World& w) {
  const auto& pop = w.scenario.population;
  const auto n = static_cast<std::size_t>(pop.researchers);
  const auto employed = static_cast<std::size_t>(
      std::llround(static_cast<double>(n) * (1.0 - pop.between_jobs_share)));
  std::vector<std::size_t> count(w.named, 0);
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t assigned = 0;
  for (std::size_t j = 0; j < w.named; ++j) {
    const double exact = static_cast<double>(employed) * w.scenario.firms[j].headcount_share;
    count[j] = static_cast<std::size_t>(std::floor(exact));
    assigned += count[j];
    remainders.emplace_back(exact - std::floor(exact), j);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < employed && k < remainders.size(); ++k, ++assigned)
    ++count[remainders[k].second];
  std::vector<std::size_t> first_row(w.named + 1, 0);
  for (std::size_t j = 0; j < w.named; ++j) first_row[j + 1] = first_row[j] + count[j];
  for (std::size_t j = 0; j < w.named; ++j)
    w.firms[j].initial_headcount = static_cast<std::int64_t>(count[j]);
  return first_row;
}

/// Top talent and published researchers: exactly the best top_share and
/// published_share by skill (ties at the cut go to the lower ids).
void mark_top_and_published(World& w) {
  const auto& pop = w.scenario.population;
  const std::size_t n = w.people.size();
  const auto count_for_share = [n](double share) {
    const auto k = static_cast<std::uint64_t>(std::ceil(share * static_cast<double>(n)));
    return std::max<std::uint64_t>(1, std::min<std::uint64_t>(k, n));
  };
  w.top_cut = best_by_skill(w, count_for_share(pop.top_share), std::nullopt);
  w.published_cut = best_by_skill(w, count_for_share(pop.published_share), std::nullopt);
  w.leader_cut = best_by_skill(w, count_for_share(pop.leader_share), std::nullopt);
  for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const auto id = static_cast<ResearcherId>(i);
      std::uint8_t fl = 0;
      if (w.top_cut.takes(w.people.skill[i], id)) fl |= flag::kTop;
      if (w.published_cut.takes(w.people.skill[i], id)) fl |= flag::kPublished;
      w.people.flags[i] = fl;
    }
  });
}

void draw_population(World& w) {
  const auto& pop = w.scenario.population;
  const auto n = static_cast<std::size_t>(pop.researchers);
  w.people.resize(n);
  const std::vector<std::size_t> first_row = initial_blocks(w);

  const double sigma = pop.skill_sigma;
  const std::uint64_t seed = w.scenario.seed;
  const auto& wb = w.scenario.wellbeing;
  const auto& offers = w.scenario.market.offer_wages;
  const bool uniform_wages = offers.source == WageSource::kUniform;
  const double offer_min = offers.min;
  const double offer_max = offers.max;
  for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
    // The firm of row b, then advance as rows cross block boundaries.
    std::size_t firm = static_cast<std::size_t>(
        std::upper_bound(first_row.begin(), first_row.end(), b) - first_row.begin() - 1);
    for (std::size_t i = b; i < e; ++i) {
      while (firm < w.named && i >= first_row[firm + 1]) ++firm;
      const bool is_employed = firm < w.named;
      const auto id = static_cast<ResearcherId>(i);
      RandomStream rs(seed, id, 0, Purpose::kInitSkill);
      const double shift = is_employed ? w.scenario.firms[firm].skill_shift : 0.0;
      w.people.skill[i] = static_cast<float>(std::exp(shift + sigma * rs.normal()));
      w.people.employer[i] = is_employed ? static_cast<FirmId>(firm) : kNoFirm;
      w.people.initial_employer[i] = w.people.employer[i];
      w.people.flags[i] = 0;
      w.people.team[i] = kNoTeam;
      w.people.hired_tick[i] = 0;
      w.people.moves[i] = 0;
      w.people.next_event[i] = kNever;
      const Preferences pref = draw_preferences(w.scenario, id);
      w.people.money[i] = static_cast<float>(pref.money);
      w.people.appeal[i] = static_cast<float>(pref.appeal);
      w.people.drive[i] = static_cast<float>(pref.entrepreneurship);
      double b0 = 0.0;
      if (wb.initial_burnout) {
        b0 = *wb.initial_burnout;
      } else if (is_employed) {
        const double fill = wb.burnout_fill * w.scenario.firms[firm].workload;
        b0 = fill + wb.burnout_recovery > 0 ? fill / (fill + wb.burnout_recovery) : 0.0;
      }
      w.people.burnout[i] = static_cast<float>(b0);
      w.people.faith[i] =
          static_cast<float>(is_employed ? w.scenario.firms[firm].faith_baseline : 0.5);
      if (is_employed && uniform_wages) {
        // Wage posting (Burdett-Mortensen): starting wages come from the offer distribution.
        RandomStream rz(seed, id, 0, Purpose::kInitSalary);
        w.people.salary[i] = bounded_salary(offer_min + (offer_max - offer_min) * rz.uniform());
      } else if (is_employed) {
        // Unscaled pay q^beta exp(sigma z); calibrate_pay() scales it to the firm's median.
        const auto& pay = w.scenario.firms[firm].pay;
        RandomStream rz(seed, id, 0, Purpose::kInitSalary);
        w.people.salary[i] = static_cast<float>(std::pow(w.people.skill[i], pay.skill_elasticity) *
                                                std::exp(pay.dispersion * rz.normal()));
      } else {
        w.people.salary[i] = bounded_salary(w.scenario.market.between_jobs_income);
      }
    }
  });

  mark_top_and_published(w);
}

void calibrate_pay(World& w) {
  const std::size_t n = w.people.size();
  // Medians of the unscaled pay per firm, then scale so each firm's median is its target.
  const auto medians = grouped_medians(
      n, w.named, FloatBins{-32, 32, 6},
      [&](std::size_t i) { return std::size_t{w.people.employer[i]}; },
      [&](std::size_t i) { return w.people.salary[i]; });
  // Under wage posting the starting wages are already in dollars; the pay policy
  // then only matters for counter-offer ceilings.
  const bool posted = w.scenario.market.offer_wages.source == WageSource::kUniform;
  std::vector<double> scale(w.named, 1.0);
  for (std::size_t j = 0; j < w.named; ++j) {
    const double target = w.firms[j].params.pay.median;
    scale[j] = posted ? 1.0 : (medians[j] > 0.0 ? target / medians[j] : target);
    w.firms[j].pay_base = posted ? target : scale[j];
  }
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> payroll(
      [&w] { return std::vector<std::int64_t>(5 * w.named, 0); });
  for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& acc = payroll.local();
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = w.people.employer[i];
      if (f == kNoFirm) continue;
      w.people.salary[i] = bounded_salary(w.people.salary[i] * scale[f]);
      const std::size_t k = 5 * std::size_t{f};
      acc[k] += cents(w.people.salary[i]);
      acc[k + 1] += 1;
      acc[k + 2] += (w.people.flags[i] & flag::kTop) != 0;
      acc[k + 3] += (w.people.flags[i] & flag::kPublished) != 0;
      acc[k + 4] += w.leader_cut.takes(w.people.skill[i], static_cast<ResearcherId>(i));
    }
  });
  for (const auto& acc : payroll)
    for (std::size_t j = 0; j < w.named; ++j) {
      w.firms[j].payroll_cents += acc[5 * j];
      w.firms[j].headcount += acc[5 * j + 1];
      w.firms[j].top += acc[5 * j + 2];
      w.firms[j].published += acc[5 * j + 3];
      w.firms[j].leaders += acc[5 * j + 4];
    }
  for (std::size_t j = 0; j < w.named; ++j) {
    w.firms[j].initial_payroll_cents = w.firms[j].payroll_cents;
    TALENTSIM_ASSERT(w.firms[j].headcount == w.firms[j].initial_headcount, "initial headcount");
  }

  // Market reference pay for startups: headcount-weighted geometric mean of the policies.
  double log_base = 0.0;
  w.market_pay.elasticity = 0.0;
  w.market_pay.dispersion = 0.0;
  for (std::size_t j = 0; j < w.named; ++j) {
    const double h = w.scenario.firms[j].headcount_share;
    log_base += h * std::log(w.firms[j].pay_base);
    w.market_pay.elasticity += h * w.firms[j].params.pay.skill_elasticity;
    w.market_pay.dispersion += h * w.firms[j].params.pay.dispersion;
  }
  w.market_pay.base = std::exp(log_base);
  for (std::size_t s = w.named; s < w.firms.size(); ++s) configure_startup(w, w.firms[s]);
}

void setup_teams(World& w) {
  const auto team_size = static_cast<std::size_t>(w.scenario.population.team_size);
  TeamId next = 0;
  std::vector<std::size_t> first_row(w.named, 0);
  std::size_t row = 0;
  for (std::size_t j = 0; j < w.named; ++j) {
    FirmState& f = w.firms[j];
    const auto h = static_cast<std::size_t>(f.initial_headcount);
    f.team_begin = next;
    f.team_count =
        static_cast<std::uint32_t>(std::max<std::size_t>(1, (h + team_size - 1) / team_size));
    next += f.team_count;
    first_row[j] = row;
    row += h;
  }
  for (std::size_t s = w.named; s < w.firms.size(); ++s) {
    w.firms[s].team_begin = next;
    w.firms[s].team_count = w.startups.teams_per_startup;
    next += w.startups.teams_per_startup;
  }
  w.teams.assign(next, TeamState{});
  w.team_signals.week.assign(next, TeamWeek{});
  // Initial staff fill their firm's teams in row order.
  for_each_chunk(w.people.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = w.people.employer[i];
      if (f == kNoFirm) continue;
      w.people.team[i] =
          w.firms[f].team_begin + static_cast<TeamId>((i - first_row[f]) / team_size);
    }
  });
  for (std::size_t j = 0; j < w.named; ++j) {
    const auto h = static_cast<std::size_t>(w.firms[j].initial_headcount);
    for (std::uint32_t t = 0; t < w.firms[j].team_count; ++t) {
      const std::size_t begin = t * team_size;
      w.teams[w.firms[j].team_begin + t].size =
          static_cast<std::uint32_t>(std::min(team_size, h > begin ? h - begin : 0));
    }
  }
}

}  // namespace

Preferences draw_preferences(const Scenario& scenario, ResearcherId id) {
  const auto& p = scenario.preferences;
  RandomStream rs(scenario.seed, id, 0, Purpose::kPreferences);
  Preferences out{};
  out.money = p.money_median * std::exp(p.money_sigma * rs.normal());
  out.appeal = std::max(0.0, p.appeal_mean + p.appeal_sd * rs.normal());
  out.entrepreneurship = p.entrepreneurship_mean + p.entrepreneurship_sd * rs.normal();
  return out;
}

void initialize_world(World& w) {
  w.named = w.scenario.firms.size();
  const auto n = static_cast<std::size_t>(w.scenario.population.researchers);
  w.pending.reset(chunk_count(n));
  setup_firms(w);
  draw_population(w);
  calibrate_pay(w);
  setup_teams(w);
  build_rate_tables(w);
  redraw_all_clocks(w, false);

  FlowMatrix& flows = w.flows;
  flows.places.clear();
  for (std::size_t j = 0; j < w.named; ++j) flows.places.push_back(w.scenario.firms[j].id);
  flows.places.emplace_back(kPlaceStartup);
  flows.places.emplace_back(kPlaceIndependent);
  flows.places.emplace_back(kPlaceBetweenJobs);
  flows.counts.assign(flows.places.size() * flows.places.size(), 0);
  recount_group_state(w, w.group_sums, w.salary_histogram);
  start_cohort_book(w);
  start_hiring_plans(w);
}

}  // namespace talentsim
