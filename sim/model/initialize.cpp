// Building the initial state (MODEL.md "Researchers", "Firms").
#include <sys/mman.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "talentsim/core/assert.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/scenario/scenario.hpp"
#include "workspace.hpp"

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
  employer.resize(n);
  flags.resize(n);
  team.resize(n);
  burnout.resize(n);
  faith.resize(n);
  salary.resize(n);
  next_event.resize(n);
  skill.resize(n);
  hired_tick.resize(n);
  initial_employer.resize(n);
  moves.resize(n);
  money.resize(n);
  appeal.resize(n);
  drive.resize(n);
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
  return *this;
}

Simulation::Simulation(Scenario scenario)
    : original_(std::move(scenario)), scenario_(original_) {
  validate(scenario_);
  initialize();
}

Simulation::~Simulation() = default;

void Simulation::initialize() {
  named_ = scenario_.firms.size();
  const auto n = static_cast<std::size_t>(scenario_.population.researchers);
  const std::size_t groups = named_ + 1;
  work_ = std::make_unique<Workspace>(chunk_count(n), groups);
  pending_.assign(chunk_count(n), {});
  setup_firms();
  draw_population();
  calibrate_pay();
  setup_teams();
  setup_rate_tables();
  redraw_all_clocks(false);

  flows_.places.clear();
  for (std::size_t j = 0; j < named_; ++j) flows_.places.push_back(scenario_.firms[j].id);
  flows_.places.emplace_back(kPlaceStartup);
  flows_.places.emplace_back(kPlaceIndependent);
  flows_.places.emplace_back(kPlaceBetweenJobs);
  flows_.counts.assign(flows_.places.size() * flows_.places.size(), 0);
  group_sums_.assign(named_ + 1, GroupSums{});
  salary_histogram_.assign((named_ + 1) * salary_bins_.count(), 0u);
  recount_group_state(group_sums_, salary_histogram_);
  compute_metrics(report_);  // last_report() describes the initial state until the first step
}

void Simulation::setup_firms() {
  const auto& st = scenario_.startups;
  const auto n = scenario_.population.researchers;
  max_startups_ = 0;
  if (st.enabled) {
    const std::int64_t automatic = std::max<std::int64_t>(16, n / 500);
    max_startups_ = static_cast<std::size_t>(st.max_alive > 0 ? st.max_alive : automatic);
    max_startups_ = std::min<std::size_t>(max_startups_, 65000 - named_);
  }
  firms_.assign(named_ + max_startups_, FirmState{});
  const double sector_share = st.enabled ? st.recruiting_share : 0.0;
  for (std::size_t j = 0; j < named_; ++j) {
    FirmState& f = firms_[j];
    f.params = scenario_.firms[j];
    if (!f.params.recruiting.share)
      f.params.recruiting.share = f.params.headcount_share * (1.0 - sector_share);
    f.appeal = f.params.founder_appeal;
    f.covered_departures.assign(static_cast<std::size_t>(f.params.reactive_raise.window_weeks), 0);
  }
  for (std::size_t s = named_; s < firms_.size(); ++s) {
    FirmState& f = firms_[s];
    f.is_startup = true;
    f.alive = false;
    f.params.id = "startup";
    f.params.name = "startup";
    f.params.kind = FirmKind::kStartup;
    work_->free_slots.push(static_cast<FirmId>(s));
  }
}

void Simulation::draw_population() {
  const auto& pop = scenario_.population;
  const auto n = static_cast<std::size_t>(pop.researchers);
  people_.resize(n);

  // Initial employment: blocks of rows per firm (largest remainder), then between jobs.
  const auto employed = static_cast<std::size_t>(
      std::llround(static_cast<double>(n) * (1.0 - pop.between_jobs_share)));
  std::vector<std::size_t> count(named_, 0);
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t assigned = 0;
  for (std::size_t j = 0; j < named_; ++j) {
    const double exact = static_cast<double>(employed) * scenario_.firms[j].headcount_share;
    count[j] = static_cast<std::size_t>(std::floor(exact));
    assigned += count[j];
    remainders.emplace_back(exact - std::floor(exact), j);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < employed && k < remainders.size(); ++k, ++assigned)
    ++count[remainders[k].second];
  std::vector<std::size_t> first_row(named_ + 1, 0);
  for (std::size_t j = 0; j < named_; ++j) first_row[j + 1] = first_row[j] + count[j];
  for (std::size_t j = 0; j < named_; ++j) {
    firms_[j].initial_headcount = static_cast<std::int64_t>(count[j]);
  }

  const double sigma = pop.skill_sigma;
  const std::uint64_t seed = scenario_.seed;
  const auto& wb = scenario_.wellbeing;
  const auto& offers = scenario_.market.offer_wages;
  const bool uniform_wages = offers.source == WageSource::kUniform;
  const double offer_min = offers.min;
  const double offer_max = offers.max;
  for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
    // The firm of row b, then advance as rows cross block boundaries.
    std::size_t firm = static_cast<std::size_t>(
        std::upper_bound(first_row.begin(), first_row.end(), b) - first_row.begin() - 1);
    for (std::size_t i = b; i < e; ++i) {
      while (firm < named_ && i >= first_row[firm + 1]) ++firm;
      const bool is_employed = firm < named_;
      const auto id = static_cast<ResearcherId>(i);
      RandomStream rs(seed, id, 0, Purpose::kInitSkill);
      const double shift = is_employed ? scenario_.firms[firm].skill_shift : 0.0;
      people_.skill[i] = static_cast<float>(std::exp(shift + sigma * rs.normal()));
      people_.employer[i] = is_employed ? static_cast<FirmId>(firm) : kNoFirm;
      people_.initial_employer[i] = people_.employer[i];
      people_.flags[i] = 0;
      people_.team[i] = kNoTeam;
      people_.hired_tick[i] = 0;
      people_.moves[i] = 0;
      people_.next_event[i] = kNever;
      const Preferences pref = draw_preferences(id);
      people_.money[i] = static_cast<float>(pref.money);
      people_.appeal[i] = static_cast<float>(pref.appeal);
      people_.drive[i] = static_cast<float>(pref.entrepreneurship);
      double b0 = 0.0;
      if (wb.initial_burnout) {
        b0 = *wb.initial_burnout;
      } else if (is_employed) {
        const double fill = wb.burnout_fill * scenario_.firms[firm].workload;
        b0 = fill + wb.burnout_recovery > 0 ? fill / (fill + wb.burnout_recovery) : 0.0;
      }
      people_.burnout[i] = static_cast<float>(b0);
      people_.faith[i] =
          static_cast<float>(is_employed ? scenario_.firms[firm].faith_baseline : 0.5);
      if (is_employed && uniform_wages) {
        // Wage posting (Burdett-Mortensen): starting wages come from the offer distribution.
        RandomStream rz(seed, id, 0, Purpose::kInitSalary);
        people_.salary[i] = bounded_salary(offer_min + (offer_max - offer_min) * rz.uniform());
      } else if (is_employed) {
        // Unscaled pay q^beta exp(sigma z); calibrate_pay() scales it to the firm's median.
        const auto& pay = scenario_.firms[firm].pay;
        RandomStream rz(seed, id, 0, Purpose::kInitSalary);
        people_.salary[i] = static_cast<float>(std::pow(people_.skill[i], pay.skill_elasticity) *
                                               std::exp(pay.dispersion * rz.normal()));
      } else {
        people_.salary[i] = bounded_salary(scenario_.market.between_jobs_income);
      }
    }
  });

  // Top talent and published researchers: exactly the best top_share and
  // published_share by skill (ties at the cut go to the lower ids).
  const auto count_for_share = [n](double share) {
    const auto k = static_cast<std::uint64_t>(std::ceil(share * static_cast<double>(n)));
    return std::max<std::uint64_t>(1, std::min<std::uint64_t>(k, n));
  };
  top_cut_ = best_by_skill(count_for_share(pop.top_share), std::nullopt);
  published_cut_ = best_by_skill(count_for_share(pop.published_share), std::nullopt);
  for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const auto id = static_cast<ResearcherId>(i);
      std::uint8_t fl = 0;
      if (top_cut_.takes(people_.skill[i], id)) fl |= flag::kTop;
      if (published_cut_.takes(people_.skill[i], id)) fl |= flag::kPublished;
      people_.flags[i] = fl;
    }
  });
}

SkillCut Simulation::best_by_skill(std::uint64_t k, std::optional<FirmId> staff_of) const {
  const auto keep = [&](std::size_t i) { return !staff_of || people_.employer[i] == *staff_of; };
  const std::size_t n = people_.size();
  const std::size_t chunks = chunk_count(n);
  std::vector<std::uint64_t> kept(chunks, 0);
  for_each_chunk(n, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) kept[c] += keep(i) ? 1u : 0u;
  });
  std::uint64_t total = 0;
  for (const auto x : kept) total += x;
  k = std::min(k, total);
  if (k == 0) return {std::numeric_limits<float>::infinity(), 0};
  SkillCut cut;
  cut.threshold = select_rank(n, total - k, FloatBins{-32, 32, 8}, keep,
                              [&](std::size_t i) { return people_.skill[i]; });
  // Those strictly above the threshold are in; the rest come from the ties, by id.
  std::vector<std::uint64_t> above(chunks, 0), ties(chunks, 0);
  for_each_chunk(n, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (!keep(i)) continue;
      above[c] += people_.skill[i] > cut.threshold;
      ties[c] += people_.skill[i] == cut.threshold;
    }
  });
  std::uint64_t need = k;
  for (const auto x : above) need -= x;
  for (std::size_t c = 0; c < chunks && need > 0; ++c) {
    if (ties[c] < need) {
      need -= ties[c];
      continue;
    }
    const std::size_t end = std::min(n, (c + 1) * kChunkSize);
    for (std::size_t i = c * kChunkSize; i < end; ++i)
      if (keep(i) && people_.skill[i] == cut.threshold && --need == 0) {
        cut.tie_limit = static_cast<ResearcherId>(i + 1);
        break;
      }
  }
  return cut;
}

void Simulation::calibrate_pay() {
  const std::size_t n = people_.size();
  // Medians of the unscaled pay per firm, then scale so each firm's median is its target.
  const auto medians = grouped_medians(
      n, named_, FloatBins{-32, 32, 6}, [&](std::size_t i) { return std::size_t{people_.employer[i]}; },
      [&](std::size_t i) { return people_.salary[i]; });
  // Under wage posting the starting wages are already in dollars; the pay policy
  // then only matters for counter-offer ceilings.
  const bool posted = scenario_.market.offer_wages.source == WageSource::kUniform;
  std::vector<double> scale(named_, 1.0);
  for (std::size_t j = 0; j < named_; ++j) {
    const double target = firms_[j].params.pay.median;
    scale[j] = posted ? 1.0 : (medians[j] > 0.0 ? target / medians[j] : target);
    firms_[j].pay_base = posted ? target : scale[j];
  }
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> payroll(
      [this] { return std::vector<std::int64_t>(4 * named_, 0); });
  for_each_chunk(n, [&](std::size_t, std::size_t b, std::size_t e) {
    auto& acc = payroll.local();
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = people_.employer[i];
      if (f == kNoFirm) continue;
      people_.salary[i] = bounded_salary(people_.salary[i] * scale[f]);
      const std::size_t k = 4 * std::size_t{f};
      acc[k] += cents(people_.salary[i]);
      acc[k + 1] += 1;
      acc[k + 2] += (people_.flags[i] & flag::kTop) != 0;
      acc[k + 3] += (people_.flags[i] & flag::kPublished) != 0;
    }
  });
  for (const auto& acc : payroll)
    for (std::size_t j = 0; j < named_; ++j) {
      firms_[j].payroll_cents += acc[4 * j];
      firms_[j].headcount += acc[4 * j + 1];
      firms_[j].top += acc[4 * j + 2];
      firms_[j].published += acc[4 * j + 3];
    }
  for (std::size_t j = 0; j < named_; ++j) {
    firms_[j].initial_payroll_cents = firms_[j].payroll_cents;
    TALENTSIM_ASSERT(firms_[j].headcount == firms_[j].initial_headcount, "initial headcount");
  }

  // Market reference pay for startups: headcount-weighted geometric mean of the policies.
  double log_base = 0.0;
  market_elasticity_ = 0.0;
  market_dispersion_ = 0.0;
  for (std::size_t j = 0; j < named_; ++j) {
    const double h = scenario_.firms[j].headcount_share;
    log_base += h * std::log(firms_[j].pay_base);
    market_elasticity_ += h * firms_[j].params.pay.skill_elasticity;
    market_dispersion_ += h * firms_[j].params.pay.dispersion;
  }
  market_base_ = std::exp(log_base);
  for (std::size_t s = named_; s < firms_.size(); ++s) configure_startup(firms_[s]);
}

void Simulation::configure_startup(FirmState& f) const {
  // From the live startup settings, so market events reach startups too.
  const auto& st = scenario_.startups;
  f.params.workload = st.workload;
  f.params.faith_baseline = st.faith_baseline;
  f.params.prestige = st.prestige;
  f.params.recruiting.skill_targeting = st.skill_targeting;
  f.params.recruiting.offer_premium = 0.0;
  f.params.hiring.interview_free = true;  // small teams hire on the spot
  f.params.hiring.lag_weeks = 0;
  f.params.retention.counter_offers = Eligibility::kNone;
  f.params.pay.skill_elasticity = market_elasticity_;
  f.params.pay.dispersion = market_dispersion_;
  f.params.pay.ceiling = 2.0;
  f.pay_base = market_base_ * st.pay_fraction;
  f.params.pay.median = f.pay_base;
}

void Simulation::setup_teams() {
  const auto team_size = static_cast<std::size_t>(scenario_.population.team_size);
  TeamId next = 0;
  std::vector<std::size_t> first_row(named_, 0);
  std::size_t row = 0;
  for (std::size_t j = 0; j < named_; ++j) {
    FirmState& f = firms_[j];
    const auto h = static_cast<std::size_t>(f.initial_headcount);
    f.team_begin = next;
    f.team_count = static_cast<std::uint32_t>(std::max<std::size_t>(1, (h + team_size - 1) / team_size));
    next += f.team_count;
    first_row[j] = row;
    row += h;
  }
  for (std::size_t s = named_; s < firms_.size(); ++s) {
    firms_[s].team_begin = next;
    firms_[s].team_count = teams_per_startup_;
    next += teams_per_startup_;
  }
  teams_.assign(next, TeamState{});
  work_->team_week.assign(next, TeamWeek{});
  // Initial staff fill their firm's teams in row order.
  for_each_chunk(people_.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const FirmId f = people_.employer[i];
      if (f == kNoFirm) continue;
      people_.team[i] = firms_[f].team_begin + static_cast<TeamId>((i - first_row[f]) / team_size);
    }
  });
  for (std::size_t j = 0; j < named_; ++j) {
    const auto h = static_cast<std::size_t>(firms_[j].initial_headcount);
    for (std::uint32_t t = 0; t < firms_[j].team_count; ++t) {
      const std::size_t begin = t * team_size;
      teams_[firms_[j].team_begin + t].size =
          static_cast<std::uint32_t>(std::min(team_size, h > begin ? h - begin : 0));
    }
  }
}

void Simulation::setup_rate_tables() {
  // Recruiters: the named firms, then the startup sector (index named_).
  const std::size_t r = named_ + 1;
  const auto& st = scenario_.startups;
  const double sigma = scenario_.population.skill_sigma;
  std::vector<double> share(r, 0.0), theta(r, 0.0);
  for (std::size_t j = 0; j < named_; ++j) {
    share[j] = firms_[j].params.recruiting.share.value_or(0.0);
    theta[j] = firms_[j].params.recruiting.skill_targeting;
  }
  share[named_] = st.enabled ? st.recruiting_share : 0.0;
  theta[named_] = st.skill_targeting;

  // E[q^theta] over the initial population, a mixture of lognormals: normalises
  // the skill targeting so lambda1 stays the population's mean offer rate.
  const double n = static_cast<double>(people_.size());
  recruit_norm_.assign(r, 0.0);
  for (std::size_t j = 0; j < r; ++j) {
    double z = 0.0;
    double covered = 0.0;
    for (std::size_t g = 0; g < named_; ++g) {
      const double w = static_cast<double>(firms_[g].initial_headcount) / n;
      z += w * std::exp(theta[j] * scenario_.firms[g].skill_shift +
                        0.5 * theta[j] * theta[j] * sigma * sigma);
      covered += w;
    }
    z += (1.0 - covered) * std::exp(0.5 * theta[j] * theta[j] * sigma * sigma);
    recruit_norm_[j] = 1.0 / z;
  }

  // Distinct thetas, so a rate needs one pow per distinct value.
  thetas_ = theta;
  std::sort(thetas_.begin(), thetas_.end());
  thetas_.erase(std::unique(thetas_.begin(), thetas_.end()), thetas_.end());
  theta_quarters_.assign(thetas_.size(), kNotQuarters);
  for (std::size_t k = 0; k < thetas_.size(); ++k) {
    const double m = thetas_[k] * 4.0;
    if (m == std::round(m) && std::fabs(m) <= kMaxQuarters) theta_quarters_[k] = static_cast<int>(m);
  }
  const std::size_t u = thetas_.size();

  // Row e: an employee of named firm e (offers never from e; shares renormalised);
  // row named_: an employee of a startup (any recruiter; the sector picks another startup).
  recruiter_theta_.assign(r, 0);
  for (std::size_t j = 0; j < r; ++j)
    recruiter_theta_[j] = static_cast<std::uint32_t>(
        std::lower_bound(thetas_.begin(), thetas_.end(), theta[j]) - thetas_.begin());
  recruit_weight_.assign(r * r, 0.0);
  rate_coef_.assign(r * u, 0.0);
  for (std::size_t e = 0; e < r; ++e) {
    const bool startup_row = e == named_;
    const double excluded = startup_row ? 0.0 : share[e];
    const double renorm = excluded < 1.0 ? 1.0 / (1.0 - excluded) : 0.0;
    for (std::size_t j = 0; j < r; ++j) {
      if (!startup_row && j == e) continue;
      const double w = share[j] * renorm * recruit_norm_[j];
      recruit_weight_[e * r + j] = w;
      rate_coef_[e * u + recruiter_theta_[j]] += w;
    }
  }
  between_jobs_weight_ = share;
}

void Simulation::redraw_all_clocks(bool from_this_tick) {
  // At the start: first events from tick 1. After an event changed rates at tick t:
  // redraw from t itself (the process is memoryless, so this is exact).
  const auto from = static_cast<std::uint32_t>(from_this_tick ? tick_ : 1);
  const std::uint32_t draw = from_this_tick ? 1 : 0;
  for_each_chunk(people_.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) schedule_clock(static_cast<ResearcherId>(i), from, draw);
  });
}

}  // namespace talentsim
