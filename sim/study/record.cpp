// Recording a run for its metrics (include/talentsim/study/record.hpp).
#include "talentsim/study/record.hpp"

#include "talentsim/model/simulation.hpp"

namespace talentsim {

RunRecorder::RunRecorder(Simulation& sim) {
  record_.groups = sim.group_names();
  record_.named = sim.named_firm_count();
  record_.researchers = sim.scenario().population.researchers;
  record_.weeks.push_back(sim.initial_report());
}

void RunRecorder::record(const Simulation& sim) { record_.weeks.push_back(sim.last_report()); }

RunRecord RunRecorder::take(const Simulation& sim) {
  record_.cohorts = sim.world().cohort_book.table;
  return std::move(record_);
}

RunRecord record_run(const Scenario& scenario) {
  Simulation sim(scenario);
  RunRecorder recorder(sim);
  for (std::int64_t t = 0; t < scenario.ticks; ++t) {
    sim.step();
    recorder.record(sim);
  }
  return recorder.take(sim);
}

}  // namespace talentsim
