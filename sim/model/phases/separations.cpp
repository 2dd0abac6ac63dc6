// docs/MODEL.md phase 9: exogenous separations at rate delta, to between jobs.
// Researchers employed at the start of the week drew theirs with their event clock
// (phase 3); those hired from outside employment this week drew one when they moved
// (phase 7), so everyone employed faces the same weekly probability 1 - exp(-delta dt).
// Founders are not laid off by their own startup; it ends by failing (phase 8).
// Each chunk lists its leavers, changes their rows and books them, in parallel; then
// the ledgers are settled.
//
// Reads:  TickBuffers::decisions (separation draws), separations; employer.
// Writes: the leavers' rows (as moves); firms' counts and counters, teams, flows,
//         group sums and histogram; TickBuffers::redraw.
#include <algorithm>

#include "talentsim/core/parallel.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{
    "separations", "9", "separation draws (TickBuffers); employer",
    "firm counts and counters, teams, flows, group sums; redraw (TickBuffers)",
    columns<&ResearcherColumns::employer, &ResearcherColumns::flags, &ResearcherColumns::team,
            &ResearcherColumns::salary, &ResearcherColumns::hired_tick>()};
}  // namespace

const PhaseSpec& SeparationsPhase::spec() const { return kSpec; }

void SeparationsPhase::run(World& world, TickBuffers& tick) {
  const std::size_t chunks = tick.decisions.size();
  records_.resize(chunks);
  const auto income = static_cast<float>(world.scenario.market.between_jobs_income);
  for_each_index(chunks, 1, [&](std::size_t c) {
    auto& leaving = tick.separations[c];
    for (const Decision& d : tick.decisions[c])
      if (d.separation) leaving.push_back(d.id);
    std::sort(leaving.begin(), leaving.end());
    leaving.erase(std::unique(leaving.begin(), leaving.end()), leaving.end());
    auto& records = records_[c];
    records.clear();
    for (const ResearcherId id : leaving) {
      const FirmId e = world.people.employer[id];
      if (e == kNoFirm || (world.firms[e].is_startup && world.firms[e].founder == id)) continue;
      records.push_back(relocate(world, id, kNoFirm, income, false, MoveKind::kInvoluntary));
    }
    book_moves(world, tick, records);
  });
  settle_moves(world, tick);
}

}  // namespace talentsim
