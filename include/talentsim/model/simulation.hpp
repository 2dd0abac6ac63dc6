// One simulation of the talent market: a thin facade over the model's state (World,
// world.hpp) and the tick's schedule of phase units (schedule.hpp, phases.hpp).
// Many simulations can live in one process; nothing here is global, and all
// randomness comes from (seed, entity, tick, purpose).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "talentsim/model/metrics.hpp"
#include "talentsim/model/params.hpp"
#include "talentsim/model/phases.hpp"
#include "talentsim/model/schedule.hpp"
#include "talentsim/model/state.hpp"
#include "talentsim/model/world.hpp"

namespace talentsim {

class Simulation {
 public:
  /// Builds the initial state (in parallel). The scenario must be valid.
  /// @throws ScenarioError if it is not.
  explicit Simulation(Scenario scenario);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Advances one tick (every phase of the schedule, in order) and fills last_report().
  void step();

  /// Ticks completed so far (0 before the first step).
  [[nodiscard]] std::int64_t tick() const { return world_->tick; }
  /// The scenario as given (market events change a live copy, never this one, so
  /// writing it out reproduces the run).
  [[nodiscard]] const Scenario& scenario() const { return world_->original; }
  /// Metrics of the last tick; before the first step, of the initial state (tick 0).
  [[nodiscard]] const TickReport& last_report() const { return buffers_->report; }
  /// Metrics of the current state, recomputed (at tick 0: the initial state, no flows).
  [[nodiscard]] TickReport initial_report();

  /// The whole state, read-only.
  [[nodiscard]] const World& world() const { return *world_; }
  [[nodiscard]] const ResearcherColumns& researchers() const { return world_->people; }
  [[nodiscard]] std::span<const FirmState> firms() const { return world_->firms; }
  [[nodiscard]] std::size_t named_firm_count() const { return world_->named; }
  [[nodiscard]] const FlowMatrix& flows() const { return world_->flows; }
  [[nodiscard]] std::span<const TeamState> teams() const { return world_->teams; }
  [[nodiscard]] std::size_t pending_hire_count() const { return world_->pending.size(); }
  /// Names of the reporting groups: named firm ids, then "startups".
  [[nodiscard]] std::vector<std::string> group_names() const;

  /// The schedule's phases, in order.
  [[nodiscard]] std::size_t phase_count() const { return schedule_.size(); }
  [[nodiscard]] const PhaseSpec& phase_spec(std::size_t k) const { return schedule_[k]->spec(); }
  [[nodiscard]] std::vector<std::string> phase_names() const;
  /// Cumulative wall time per phase, nanoseconds.
  [[nodiscard]] const std::vector<std::int64_t>& phase_nanoseconds() const { return phase_ns_; }
  /// The part of it spent outside parallel passes: serial code, which more threads
  /// cannot shorten (with one thread, its share of the tick bounds the speedup).
  /// Meaningful when this simulation is stepped outside TBB tasks (parallel_nanoseconds).
  [[nodiscard]] const std::vector<std::int64_t>& phase_serial_nanoseconds() const {
    return phase_serial_ns_;
  }

  /// Per named firm: its researchers at the start, and how many of them are still
  /// there and never left (all, top talent, published researchers).
  [[nodiscard]] std::vector<Cohort> cohorts() const { return cohorts_of(*world_); }

  /// A 64-bit hash of the whole researcher and firm state: equal hashes for
  /// equal states, whatever the thread count.
  [[nodiscard]] std::uint64_t state_hash() const { return talentsim::state_hash(*world_); }

  /// Preferences of researcher `id`, drawn at the start from its own random stream.
  [[nodiscard]] Preferences preferences(ResearcherId id) const;

  /// Yearly rate of market events for researcher `id` now (offers + founding and
  /// independence hazards + separation), and the offer part alone.
  [[nodiscard]] double event_rate(ResearcherId id) const;
  [[nodiscard]] double offer_rate(ResearcherId id) const;

  /// The pieces of step(), for the phase micro benchmarks: begin_tick(), run_phase(k)
  /// for k = 0 .. phase_count() - 1, end_tick(). Not timed.
  void begin_tick() { talentsim::begin_tick(*world_); }
  void run_phase(std::size_t k);
  void end_tick() { talentsim::end_tick(*world_); }

 private:
  std::unique_ptr<World> world_;
  std::unique_ptr<TickBuffers> buffers_;
  Schedule schedule_;
  std::vector<std::int64_t> phase_ns_;
  std::vector<std::int64_t> phase_serial_ns_;
  // Checked builds: digests of the columns as the last phase left them.
  std::array<std::uint64_t, kColumnCount> digests_{};
  ColumnSet digests_valid_ = 0;
};

}  // namespace talentsim
