// The facade: builds the world, steps the schedule, times the phases and, in checked
// builds, enforces what each phase declares it writes.
#include "talentsim/model/simulation.hpp"

#include <algorithm>
#include <chrono>

#include "clocks.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {

Simulation::Simulation(Scenario scenario)
    : world_(std::make_unique<World>()), schedule_(make_schedule()) {
  World& w = *world_;
  w.original = std::move(scenario);
  w.scenario = w.original;
  validate(w.scenario);
  initialize_world(w);
  buffers_ = std::make_unique<TickBuffers>(chunk_count(w.people.size()));
  phase_ns_.assign(schedule_.size(), 0);
  phase_serial_ns_.assign(schedule_.size(), 0);
  if (w.scenario.warmup_weeks > 0) {
    // docs/MODEL.md "A warm start": weeks before week 0, with a key of their own.
    const std::uint64_t seed = w.scenario.seed;
    w.scenario.seed = warmup_seed(seed);
    w.warming_up = true;
    for (std::int64_t k = 0; k < w.scenario.warmup_weeks; ++k) step();
    w.warming_up = false;
    w.scenario.seed = seed;
    end_warmup(w);
    digests_valid_ = 0;  // end_warmup changed columns outside any phase
    phase_ns_.assign(schedule_.size(), 0);
    phase_serial_ns_.assign(schedule_.size(), 0);
  }
  buffers_->report = initial_report();  // describes week 0 until the first step
}

Simulation::~Simulation() = default;

void Simulation::run_phase(std::size_t k) {
  PhaseUnit& unit = *schedule_[k];
#if defined(TALENTSIM_CHECKED) && TALENTSIM_CHECKED
  // Every column the phase does not declare as written must come out unchanged. A
  // digest taken after one phase serves as the next one's "before" where neither
  // phase writes the column, so each column is digested about once per phase.
  const ColumnSet written = unit.spec().columns_written;
  const auto digest_all = [&](ColumnSet which, auto&& use) {
    std::size_t c = 0;
    ResearcherColumns::for_each_column([&](const ColumnInfo& info, auto member) {
      if ((which & (ColumnSet{1} << c)) != 0) use(c, info, column_digest(world_->people.*member));
      ++c;
    });
  };
  digest_all(~written & ~digests_valid_ & kAllColumns,
             [&](std::size_t c, const ColumnInfo&, std::uint64_t d) { digests_[c] = d; });
  unit.run(*world_, *buffers_);
  digest_all(~written & kAllColumns, [&](std::size_t c, const ColumnInfo& info, std::uint64_t d) {
    if (d != digests_[c])
      throw ModelError(std::string("phase '") + unit.spec().name + "' changed column '" +
                       info.name + "', which it does not declare, at tick " +
                       std::to_string(world_->tick));
  });
  digests_valid_ = ~written & kAllColumns;
#else
  unit.run(*world_, *buffers_);
#endif
}

void Simulation::step() {
  const std::size_t last = schedule_.size() - 1;
  for (std::size_t k = 0; k < schedule_.size(); ++k) {
    const std::int64_t parallel_before = parallel_nanoseconds();
    const auto start = std::chrono::steady_clock::now();
    // The tick's own bookkeeping counts with the first and last phases, so that the
    // phases add up to the whole tick.
    if (k == 0) begin_tick();
    run_phase(k);
    if (k == last) end_tick();
    const std::int64_t wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
    phase_ns_[k] += wall;
    const std::int64_t parallel = parallel_nanoseconds() - parallel_before;
    phase_serial_ns_[k] += std::max<std::int64_t>(wall - parallel, 0);
  }
}

TickReport Simulation::initial_report() {
  TickReport r;
  MetricsPhase().compute(*world_, *buffers_, r);
  return r;
}

std::vector<std::string> Simulation::group_names() const {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < world_->named; ++j) names.push_back(world_->scenario.firms[j].id);
  names.emplace_back(kStartupsGroup);
  return names;
}

std::vector<std::string> Simulation::phase_names() const {
  std::vector<std::string> names;
  for (const auto& unit : schedule_) names.emplace_back(unit->spec().name);
  return names;
}

Preferences Simulation::preferences(ResearcherId id) const {
  const auto& p = world_->people;
  return {p.money[id], p.appeal[id], p.drive[id]};
}

double Simulation::event_rate(ResearcherId id) const { return event_rate_of(*world_, id); }

double Simulation::offer_rate(ResearcherId id) const {
  const World& w = *world_;
  const FirmId e = w.people.employer[id];
  const float q = w.people.skill[id];
  return offer_rate_of(w, e, e != kNoFirm, q, id,
                       e != kNoFirm ? w.rates.skill_powers(q) : SkillPowers{});
}

}  // namespace talentsim
