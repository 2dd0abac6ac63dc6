// The tick as data: an ordered list of phase units (docs/MODEL.md "One tick, in order").
// Simulation::step and the phase micro benchmarks run the same list.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "talentsim/model/state.hpp"

namespace talentsim {

struct World;
struct TickBuffers;

/// What a phase unit is and what it touches. Checked builds hash every researcher
/// column outside `columns_written` before and after the phase and fail on a change.
struct PhaseSpec {
  const char* name;          ///< as bench and the timings report it
  const char* model_phases;  ///< docs/MODEL.md phase numbers, e.g. "3-5"
  const char* reads;         ///< what it reads, in words
  const char* writes;        ///< what it writes besides researcher columns, in words
  ColumnSet columns_written;
};

/// One step of the tick. Units hold their own scratch; what one hands to the next
/// within a tick is in TickBuffers, and everything that outlives the tick in World.
class PhaseUnit {
 public:
  PhaseUnit() = default;
  PhaseUnit(const PhaseUnit&) = delete;
  PhaseUnit& operator=(const PhaseUnit&) = delete;
  virtual ~PhaseUnit() = default;
  [[nodiscard]] virtual const PhaseSpec& spec() const = 0;
  virtual void run(World& world, TickBuffers& tick) = 0;
};

using Schedule = std::vector<std::unique_ptr<PhaseUnit>>;

/// The phases of a tick, in order (sim/model/schedule.cpp).
Schedule make_schedule();

/// Opens tick t + 1: clears last tick's counters (before the first phase).
void begin_tick(World& world);
/// Closes the tick: adds its counters to the run's totals (after the last phase).
void end_tick(World& world);

}  // namespace talentsim
