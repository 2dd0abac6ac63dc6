// docs/MODEL.md phase 6: hiring limits. A firm with a headcount cap (a multiple of its
// starting headcount, counted before this week's departures) or a payroll budget (a
// multiple of its starting payroll) takes, of the hires that would start this week,
// the best by skill (ties to the lower id) while places and budget last. A refused
// move becomes a stay, and an offer its researcher had accepted and gave up for it
// stands again (due next week at the earliest); a refused pending hire is off
// (due = kNever, then dropped by phase 7).
//
// Its per-chunk step runs at the end of each chunk of the decision pass (a measured
// fusion, declared in the schedule): it works out what becomes of the chunk's pending
// hires this week and lists the chunk's hires that limits must rank.
//
// Reads:  TickBuffers::decisions, pending hires, firms' limits, counts and payroll;
//         skill.
// Writes: TickBuffers::fates, due, limited_hires (per-chunk step); refused decisions
//         (-> stay) and pending hires (due = kNever); firms' rejected_by_limits.
#include <algorithm>
#include <cmath>
#include <limits>

#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{"hiring_limits", "6",
                          "limited hires (TickBuffers); firms' limits, counts and payroll",
                          "refused decisions and pending hires; rejected_by_limits", ColumnSet{0}};
}  // namespace

const PhaseSpec& HiringLimitsPhase::spec() const { return kSpec; }

namespace {
bool limits_hiring(const FirmState& f) {
  return f.params.hiring.headcount_cap || f.params.hiring.payroll_budget;
}
}  // namespace

void HiringLimitsPhase::prepare_chunk(World& world, TickBuffers& tick, std::size_t c) {
  auto& due = tick.due[c];
  auto& limited = tick.limited_hires[c];
  due.clear();
  limited.clear();
  const std::size_t named = world.named;
  const auto candidate = [&](ResearcherId id, FirmId firm, float salary, Decision* d,
                             PendingHire* p) {
    limited.push_back({world.people.skill[id], id, salary, firm, d, p});
  };
  world.pending.classify(
      c, static_cast<Tick>(world.tick), tick.decisions[c], tick.fates[c],
      [&](const PendingHire& p) { return world.firm_alive(p.firm, p.firm_serial); },
      [&](Decision& d) {  // a move to a named firm with limits is a candidate
        if (d.action == Decision::Action::kMove && d.firm < named &&
            limits_hiring(world.firms[d.firm]))
          candidate(d.id, d.firm, d.salary, &d, nullptr);
      },
      [&](PendingHire& p) {
        due.push_back(&p);
        if (p.firm < named && limits_hiring(world.firms[p.firm]))
          candidate(p.id, p.firm, p.salary, nullptr, &p);
      });
  // A mover who gave up an accepted offer for this move keeps it if the move is refused:
  // note which offer (a few candidates a week, so a search each is cheap).
  auto& list = world.pending.chunk(c);
  for (HireCandidate& h : limited) {
    if (h.decision == nullptr || !h.decision->drop_pending) continue;
    const PendingHire* dropped = world.pending.find(h.id);
    if (dropped == nullptr) continue;
    const auto k = static_cast<std::size_t>(dropped - list.data());
    h.dropped = &list[k];
    h.dropped_fate = &tick.fates[c][k];
  }
}

void HiringLimitsPhase::run(World& world, TickBuffers& tick) {
  // Every hire that would start this tick at a firm with limits, gathered per chunk by
  // the decision pass. A firm whose limits take them all (a headcount cap with room
  // for all, no payroll budget) needs no ranking.
  const std::size_t named = world.named;
  std::vector<std::size_t> starting(named, 0);
  for (const auto& chunk : tick.limited_hires)
    for (const HireCandidate& c : chunk) ++starting[c.firm];
  std::vector<double> places(named, std::numeric_limits<double>::infinity());
  std::vector<double> budget(named, std::numeric_limits<double>::infinity());
  std::vector<char> ranked(named, 0);
  bool any = false;
  for (std::size_t f = 0; f < named; ++f) {
    if (starting[f] == 0) continue;
    const FirmState& firm = world.firms[f];
    const auto& h = firm.params.hiring;
    // A cap counts the headcount before this week's departures.
    if (h.headcount_cap)
      places[f] = std::floor(*h.headcount_cap * static_cast<double>(firm.initial_headcount)) -
                  static_cast<double>(firm.headcount);
    if (h.payroll_budget)
      budget[f] = (*h.payroll_budget * static_cast<double>(firm.initial_payroll_cents) -
                   static_cast<double>(firm.payroll_cents)) /
                  100.0;
    ranked[f] = static_cast<char>(h.payroll_budget || places[f] < static_cast<double>(starting[f]));
    any = any || ranked[f] != 0;
  }
  if (!any) return;

  std::vector<std::vector<HireCandidate>> by_firm(named);
  for (const auto& chunk : tick.limited_hires)
    for (const HireCandidate& c : chunk)
      if (ranked[c.firm]) by_firm[c.firm].push_back(c);
  const auto t = static_cast<Tick>(world.tick);
  const auto refuse = [&](const HireCandidate& c) {
    ++world.firms[c.firm].tick.rejected_by_limits;
    if (c.pending != nullptr) c.pending->due = kNever;  // refused: the hire is off
    if (c.decision == nullptr) return;
    c.decision->action = Decision::Action::kStay;
    if (c.dropped != nullptr) {
      // The move is off, so the offer given up for it is not: it stands, starting next
      // week at the earliest (as for a founder refused a startup slot).
      c.decision->drop_pending = false;
      *c.dropped_fate = PendingFate::kWait;
      c.dropped->due = std::max(c.dropped->due, static_cast<Tick>(t + 1));
    }
  };
  // Best first; ties by id (a strict order: ids differ).
  const auto better = [](const HireCandidate& a, const HireCandidate& b) {
    return a.skill != b.skill ? a.skill > b.skill : a.id < b.id;
  };
  for (std::size_t f = 0; f < named; ++f) {
    auto& list = by_firm[f];
    if (list.empty()) continue;
    if (!world.firms[f].params.hiring.payroll_budget) {
      // A headcount cap alone takes the best floor(places): which ones those are does
      // not need the whole order.
      const auto take =
          static_cast<std::size_t>(std::clamp(places[f], 0.0, static_cast<double>(list.size())));
      const auto cut = list.begin() + static_cast<std::ptrdiff_t>(take);
      std::nth_element(list.begin(), cut, list.end(), better);
      std::for_each(cut, list.end(), refuse);
      continue;
    }
    std::sort(list.begin(), list.end(), better);
    for (const HireCandidate& c : list) {
      if (places[f] >= 1.0 && c.salary <= budget[f]) {
        places[f] -= 1.0;
        budget[f] -= c.salary;
      } else {
        refuse(c);
      }
    }
  }
}

}  // namespace talentsim
