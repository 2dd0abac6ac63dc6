// docs/MODEL.md phase 7: moves. Every move decided this week, and every accepted offer
// due now, changes the researcher's row: employer, team (drawn uniformly among the new
// employer's teams), salary, hire week; a voluntary move sheds part of the burnout
// (fresh_start_relief) and resets faith to the new employer's baseline. An offer
// from a firm that is not interview-free and has a hiring lag becomes a pending hire,
// due after the lag; a rival may win meanwhile. Counter-offers made and won are
// counted here.
//
// Booking, which phases 8 and 9 share: relocate() changes the researcher's own row
// and returns what changed, touching nothing shared, so the moves of a tick run in
// parallel; book_moves() books each change into the calling thread's ledger (firms,
// groups, flows; team sizes and departures atomically), and settle_moves() adds the
// ledgers into the shared counts. Everything booked is an integer count or sum, so
// the result does not depend on which thread booked what, or in which order; the few
// lists (startup members, teams with departures) are sorted or order-free.
//
// Reads:  TickBuffers::decisions, due; pending hires and their fates; firms.
// Writes: employer, flags, team, burnout, faith, salary, hired_tick, moves (movers);
//         firms' counts and counters, teams, flows, group sums and histogram,
//         team signals, independent count, pending hires; TickBuffers::founders,
//         separations, redraw.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "talentsim/core/parallel.hpp"
#include "talentsim/core/rng.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {
constexpr PhaseSpec kSpec{
    "moves", "7", "decisions and due pending hires (TickBuffers); firms",
    "firm counts and counters, teams, flows, group sums, pending hires; founders, "
    "separations, redraw (TickBuffers)",
    kMoveColumns};
}  // namespace

const PhaseSpec& MovesPhase::spec() const { return kSpec; }

namespace {

/// Adds (sign +1) or removes (-1) one researcher's values in a group's sums and histogram.
void book_group(const World& w, Ledger& ledger, FirmId firm, float burnout, float faith,
                float salary, std::int64_t sign) {
  const std::size_t g = w.group_of(firm);
  ledger.groups[g].burnout += sign * fixed_point(burnout);
  ledger.groups[g].faith += sign * fixed_point(faith);
  const std::size_t k = g * w.salary_bins.count() + w.salary_bins.bin(salary);
  if (ledger.histogram[k] == 0) ledger.touched_bins.push_back(k);
  ledger.histogram[k] += static_cast<std::int32_t>(sign);
}

void apply_move(World& w, TickBuffers& t, const MoveRecord& r, Ledger& ledger) {
  if (r.kind == MoveKind::kRaise) {
    book_group(w, ledger, r.from, r.old_burnout, r.old_faith, r.old_salary, -1);
    book_group(w, ledger, r.to, r.new_burnout, r.new_faith, r.new_salary, +1);
    ledger.firm(r.from).payroll_cents += cents(r.new_salary) - cents(r.old_salary);
    return;
  }
  const bool voluntary = r.kind == MoveKind::kVoluntary;
  const std::size_t from_place = w.place_of(r.from, r.from_independent);
  const std::size_t to_place = w.place_of(r.to, r.to_independent);
  ledger.flows[from_place * w.flows.places.size() + to_place] += 1;
  ledger.flows_touched = true;
  ledger.independent += (r.to_independent ? 1 : 0) - (r.from_independent ? 1 : 0);
  const bool top = (r.flags & flag::kTop) != 0;
  const bool published = (r.flags & flag::kPublished) != 0;
  const bool leader = (r.groups & (1U << static_cast<unsigned>(TalentGroup::kLeaders))) != 0;

  if (r.from != kNoFirm) {
    book_group(w, ledger, r.from, r.old_burnout, r.old_faith, r.old_salary, -1);
    FirmDelta& f = ledger.firm(r.from);
    --f.headcount;
    f.top -= top;
    f.published -= published;
    f.leaders -= leader;
    f.payroll_cents -= cents(r.old_salary);
    ++f.tick.departures;
    f.tick.top_departures += top;
    f.tick.published_departures += published;
    f.tick.leader_departures += leader;
    if (voluntary) {
      ++f.tick.quits;
      f.tick.top_quits += top;
      f.tick.published_quits += published;
      f.tick.leader_quits += leader;
    }
    if (r.from < w.named) ledger.spells.push_back({r.from, r.old_since, -1, r.groups});
    if (to_place < w.named)
      ++f.tick.departures_to_firm;
    else if (to_place == w.named)
      ++f.tick.departures_to_startup;
    else if (to_place == w.named + 1)
      ++f.tick.departures_to_independent;
    else
      ++f.tick.departures_to_between_jobs;
    TeamState& team = w.teams[r.from_team];
    if (voluntary) {
      // Contagion next week reads how many of the team left this week.
      if (std::atomic_ref<std::uint32_t>(team.left_count).fetch_add(1, std::memory_order_relaxed) ==
          0)
        ledger.teams_left.push_back(r.from_team);
      const FirmState& firm = w.firms[r.from];
      // Counted only while the policy is on, so a policy event that switches it on
      // starts from an empty window.
      if (firm.params.reactive_raise.enabled && !firm.covered_departures.empty() &&
          covers(firm.params.reactive_raise.who, r.flags))
        ++f.covered_departures;
    }
    std::atomic_ref<std::uint32_t>(team.size).fetch_sub(1, std::memory_order_relaxed);
  }
  if (r.to != kNoFirm) {
    std::atomic_ref<std::uint32_t>(w.teams[r.to_team].size).fetch_add(1, std::memory_order_relaxed);
    FirmDelta& f = ledger.firm(r.to);
    ++f.headcount;
    f.top += top;
    f.published += published;
    f.leaders += leader;
    f.payroll_cents += cents(r.new_salary);
    ++f.tick.hires;
    if (r.to < w.named) ledger.spells.push_back({r.to, static_cast<Tick>(w.tick), +1, r.groups});
    book_group(w, ledger, r.to, r.new_burnout, r.new_faith, r.new_salary, +1);
    if (w.firms[r.to].is_startup) ledger.joined_startups.emplace_back(r.to, r.id);
  }
  // Both lists belong to the researcher's chunk, whose moves one task books.
  t.redraw[r.id / kChunkSize].push_back(r.id);
  if (r.separates) t.separations[r.id / kChunkSize].push_back(r.id);
}

}  // namespace

MoveRecord relocate(World& w, ResearcherId id, FirmId to, float salary, bool independent,
                    MoveKind kind) {
  const auto t = static_cast<std::uint32_t>(w.tick);
  salary = bounded_salary(salary);
  MoveRecord r;
  r.id = id;
  r.kind = kind;
  r.from = w.people.employer[id];
  r.from_team = w.people.team[id];
  r.from_independent = (w.people.flags[id] & flag::kIndependent) != 0;
  r.flags = w.people.flags[id];
  r.groups = talent_groups(w, id);
  r.old_since = w.people.hired_tick[id];
  r.old_salary = w.people.salary[id];
  r.old_burnout = w.people.burnout[id];
  r.old_faith = w.people.faith[id];
  if (kind == MoveKind::kRaise) {
    w.people.salary[id] = salary;
    r.to = r.from;
    r.to_team = r.from_team;
    r.new_salary = salary;
    r.new_burnout = r.old_burnout;
    r.new_faith = r.old_faith;
    return r;
  }
  std::uint8_t fl = static_cast<std::uint8_t>(r.flags & ~flag::kIndependent);
  if (kind == MoveKind::kVoluntary) {
    // A fresh start sheds some burnout.
    w.people.burnout[id] =
        static_cast<float>(w.people.burnout[id] * (1.0 - w.scenario.wellbeing.fresh_start_relief));
    if (w.people.moves[id] != 0xFFFF) ++w.people.moves[id];
  }
  r.to = to;
  r.to_independent = to == kNoFirm && independent;
  if (to != kNoFirm) {
    const FirmState& f = w.firms[to];
    RandomStream rs(w.scenario.seed, id, t, Purpose::kTeamAssign);
    const auto k = std::min<std::uint32_t>(f.team_count - 1,
                                           static_cast<std::uint32_t>(rs.uniform() * f.team_count));
    r.to_team = f.team_begin + k;
    w.people.faith[id] = static_cast<float>(f.params.faith_baseline);
  } else {
    r.to_team = kNoTeam;
    if (r.to_independent) fl = static_cast<std::uint8_t>(fl | flag::kIndependent);
  }
  w.people.employer[id] = to;
  w.people.team[id] = r.to_team;
  w.people.salary[id] = salary;
  w.people.hired_tick[id] = static_cast<Tick>(t);
  w.people.flags[id] = fl;
  r.new_salary = salary;
  r.new_burnout = w.people.burnout[id];
  r.new_faith = w.people.faith[id];
  // Hired from outside employment this week: the week's separation draw is owed here
  // (everyone employed at the start of the week drew it with their clock).
  if (r.from == kNoFirm && to != kNoFirm) {
    RandomStream rs(w.scenario.seed, id, t, Purpose::kSeparation);
    r.separates = rs.uniform() < -std::expm1(-w.scenario.market.separation_rate * kDt);
  }
  return r;
}

void book_moves(World& w, TickBuffers& t, const std::vector<MoveRecord>& records) {
  Ledger& l = ledger(w, t);
  // The team entries are the one scattered access of the booking: fetch them ahead.
  constexpr std::size_t kAhead = 8;
  for (std::size_t k = 0; k < records.size(); ++k) {
    if (k + kAhead < records.size()) {
      const MoveRecord& next = records[k + kAhead];
      if (next.from_team != kNoTeam) __builtin_prefetch(&w.teams[next.from_team], 1);
      if (next.to_team != kNoTeam) __builtin_prefetch(&w.teams[next.to_team], 1);
    }
    apply_move(w, t, records[k], l);
  }
}

Ledger& ledger(const World& w, TickBuffers& t) {
  Ledger& l = t.ledgers.local();
  if (l.firms.size() != w.firms.size()) {
    l.firms.assign(w.firms.size(), FirmDelta{});
    l.groups.assign(w.named + 1, GroupSums{});
    l.histogram.assign(w.salary_histogram.size(), 0);
    l.flows.assign(w.flows.counts.size(), 0);
  }
  return l;
}

void settle_moves(World& w, TickBuffers& t) {
  auto& joined = t.joined_startups;
  joined.clear();
  for (Ledger& l : t.ledgers) {
    for (const FirmId f : l.touched_firms) {
      FirmDelta& d = l.firms[f];
      FirmState& firm = w.firms[f];
      firm.headcount += d.headcount;
      firm.top += d.top;
      firm.published += d.published;
      firm.leaders += d.leaders;
      firm.payroll_cents += d.payroll_cents;
      firm.tick += d.tick;
      if (d.covered_departures != 0) {
        const auto slot = static_cast<std::size_t>(w.tick);
        firm.covered_departures[slot % firm.covered_departures.size()] += d.covered_departures;
        firm.covered_weekly[slot % firm.covered_weekly.size()] += d.covered_departures;
      }
      d = FirmDelta{};
    }
    l.touched_firms.clear();
    for (std::size_t g = 0; g < l.groups.size(); ++g) {
      w.group_sums[g].burnout += l.groups[g].burnout;
      w.group_sums[g].faith += l.groups[g].faith;
      l.groups[g] = GroupSums{};
    }
    for (const std::size_t k : l.touched_bins) {
      w.salary_histogram[k] += static_cast<std::uint32_t>(l.histogram[k]);  // modulo 2^32: exact
      l.histogram[k] = 0;
    }
    l.touched_bins.clear();
    if (l.flows_touched) {
      for (std::size_t k = 0; k < l.flows.size(); ++k) w.flows.counts[k] += l.flows[k];
      std::fill(l.flows.begin(), l.flows.end(), 0);
      l.flows_touched = false;
    }
    w.independent_count += l.independent;
    l.independent = 0;
    joined.insert(joined.end(), l.joined_startups.begin(), l.joined_startups.end());
    l.joined_startups.clear();
    w.team_signals.left.insert(w.team_signals.left.end(), l.teams_left.begin(), l.teams_left.end());
    l.teams_left.clear();
    settle_spells(w, l.spells);
  }
  // Startup member lists, in (startup, researcher) order whichever thread booked them.
  std::sort(joined.begin(), joined.end());
  for (std::size_t k = 0; k < joined.size();) {
    const FirmId to = joined[k].first;
    FirmState& f = w.firms[to];
    for (; k < joined.size() && joined[k].first == to; ++k) f.members.push_back(joined[k].second);
    // Forget people who have left once the list is mostly stale.
    if (f.members.size() > 2 * static_cast<std::size_t>(f.headcount) + 64) {
      std::erase_if(f.members, [&](ResearcherId x) { return w.people.employer[x] != to; });
      std::sort(f.members.begin(), f.members.end());
      f.members.erase(std::unique(f.members.begin(), f.members.end()), f.members.end());
    }
  }
}

void move_now(World& w, TickBuffers& t, ResearcherId id, FirmId to, float salary,
              bool independent) {
  apply_move(w, t, relocate(w, id, to, salary, independent, MoveKind::kVoluntary), ledger(w, t));
  settle_moves(w, t);
}

void separate_now(World& w, TickBuffers& t, ResearcherId id) {
  if (w.people.employer[id] == kNoFirm) return;
  apply_move(w, t,
             relocate(w, id, kNoFirm, static_cast<float>(w.scenario.market.between_jobs_income),
                      false, MoveKind::kInvoluntary),
             ledger(w, t));
  settle_moves(w, t);
}

void MovesPhase::run(World& world, TickBuffers& tick) {
  const auto t = static_cast<Tick>(world.tick);
  const std::size_t chunks = tick.decisions.size();
  records_.resize(chunks);
  accepted_.resize(chunks);
  for (auto& list : tick.redraw) list.clear();
  for (auto& list : tick.separations) list.clear();

  // In parallel: each chunk changes its researchers' rows, records what moved and
  // books it into the thread's ledger, and keeps its own pending hires; then
  // settle_moves() adds the ledgers up.
  for_each_index(chunks, 1, [&](std::size_t c) {
    auto& people = world.people;
    auto& records = records_[c];
    auto& accepted = accepted_[c];
    auto& founders = tick.founders[c];
    records.clear();
    accepted.clear();
    founders.clear();
    const auto unflag = [&](ResearcherId id) {
      people.flags[id] = static_cast<std::uint8_t>(people.flags[id] & ~flag::kPending);
    };
    const auto& starting = tick.due[c];
    std::size_t k = 0;
    const auto start_pending = [&](const PendingHire& p) {
      if (p.due != t) return;  // refused by a hiring limit
      unflag(p.id);
      records.push_back(relocate(world, p.id, p.firm, p.salary, false, MoveKind::kVoluntary));
    };
    for (Decision& d : tick.decisions[c]) {
      while (k < starting.size() && starting[k]->id < d.id) start_pending(*starting[k++]);
      const ResearcherId id = d.id;
      if (d.drop_pending) unflag(id);
      switch (d.action) {
        case Decision::Action::kStay:
          if (d.counter_won)
            records.push_back(relocate(world, id, d.employer, d.salary, false, MoveKind::kRaise));
          break;
        case Decision::Action::kMove:
          if (world.firm_alive(d.firm, d.firm_serial))
            records.push_back(relocate(world, id, d.firm, d.salary, false, MoveKind::kVoluntary));
          break;
        case Decision::Action::kAcceptLater:
          accepted.push_back({id, d.firm, d.firm_serial, d.salary, d.starts});
          people.flags[id] = static_cast<std::uint8_t>(people.flags[id] | flag::kPending);
          break;
        case Decision::Action::kFound:
          founders.push_back(&d);
          break;
        case Decision::Action::kIndependent:
          records.push_back(relocate(world, id, kNoFirm, d.salary, true, MoveKind::kVoluntary));
          break;
      }
      // A pending hire kept through this decision starts now, after it.
      if (k < starting.size() && starting[k]->id == id) start_pending(*starting[k++]);
    }
    while (k < starting.size()) start_pending(*starting[k++]);

    // The chunk's pending hires: those gone or refused lose the flag; those that wait
    // stay, merged with the ones accepted now.
    world.pending.settle(c, t, tick.fates[c], accepted,
                         [&](const PendingHire& p) { unflag(p.id); });

    Ledger& l = ledger(world, tick);
    for (const Decision& d : tick.decisions[c]) {
      if (d.employer != kNoFirm && (d.counter_made || d.counter_won)) {
        FirmDelta& f = l.firm(d.employer);
        f.tick.counteroffers += d.counter_made;
        f.tick.counteroffers_won += d.counter_won;
      }
      if (d.clock_fired) tick.redraw[c].push_back(d.id);
    }
    book_moves(world, tick, records);
  });
  settle_moves(world, tick);
}

}  // namespace talentsim
