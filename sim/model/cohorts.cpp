// docs/MODEL.md phase 11, "Cohorts": who is still where, kept exactly.
//
// Every move that begins or ends a spell at a named firm books a SpellChange (moves,
// separations, startups all book through apply_move); settle_spells() adds them to
// the spell counts by start week. At the end of week t, record_cohort_week() appends
// the week's cohorts (those who joined in week t; everyone there at its end) and
// fills in, for the cohorts of week t - 26, t - 52 and t - 104, how many are still
// there without a break: a hire cohort of week c is still there if its spell began in
// week c; a stock cohort of week c, if its spell began in week c or before.
#include <numeric>

#include "talentsim/core/assert.hpp"
#include "talentsim/model/phases.hpp"

namespace talentsim {

namespace {

std::size_t row_of(std::size_t firm, std::size_t group) { return firm * kTalentGroups + group; }

std::int64_t group_count(const FirmState& f, std::size_t g) {
  switch (static_cast<TalentGroup>(g)) {
    case TalentGroup::kAll:
      return f.headcount;
    case TalentGroup::kTop:
      return f.top;
    case TalentGroup::kPublished:
      return f.published;
    case TalentGroup::kLeaders:
      return f.leaders;
  }
  return 0;
}

}  // namespace

void start_cohort_book(World& w) {
  CohortBook& book = w.cohort_book;
  book.present.assign(w.named * kTalentGroups, {});
  book.joined.assign(w.named * kTalentGroups, {});
  for (std::size_t f = 0; f < w.named; ++f)
    for (std::size_t g = 0; g < kTalentGroups; ++g) {
      book.present[row_of(f, g)] = {group_count(w.firms[f], g)};
      book.joined[row_of(f, g)] = {0};
    }
  book.table = CohortTable{};
  book.table.firms = w.named;
  record_cohort_week(w);
}

void open_cohort_week(World& w) {
  for (auto& row : w.cohort_book.present) row.push_back(0);
  for (auto& row : w.cohort_book.joined) row.push_back(0);
}

void settle_spells(World& w, std::vector<SpellChange>& changes) {
  CohortBook& book = w.cohort_book;
  for (const SpellChange& c : changes)
    for (std::size_t g = 0; g < kTalentGroups; ++g) {
      if ((c.groups & (1U << g)) == 0) continue;
      book.present[row_of(c.firm, g)][c.since] += c.sign;
      if (c.sign > 0) book.joined[row_of(c.firm, g)][c.since] += 1;
    }
  changes.clear();
}

void record_cohort_week(World& w) {
  CohortBook& book = w.cohort_book;
  CohortTable& table = book.table;
  const std::int64_t t = w.tick;
  TALENTSIM_ASSERT(table.weeks == t, "cohort weeks are recorded once each, in order");
  table.weeks = t + 1;
  table.rows.resize(table.rows.size() + w.named * kTalentGroups * 2);
  for (std::size_t f = 0; f < w.named; ++f)
    for (std::size_t g = 0; g < kTalentGroups; ++g) {
      const auto group = static_cast<TalentGroup>(g);
      const auto& present = book.present[row_of(f, g)];
      table.at(f, group, CohortKind::kHired, t).size =
          t == 0 ? 0 : book.joined[row_of(f, g)][static_cast<std::size_t>(t)];
      table.at(f, group, CohortKind::kPresent, t).size = group_count(w.firms[f], g);
      for (std::size_t k = 0; k < kCohortOffsets.size(); ++k) {
        const std::int64_t c = t - kCohortOffsets[k];
        if (c < 0) continue;
        const auto end = present.begin() + c + 1;
        table.at(f, group, CohortKind::kHired, c).still[k] =
            c == 0 ? 0 : present[static_cast<std::size_t>(c)];
        table.at(f, group, CohortKind::kPresent, c).still[k] =
            std::accumulate(present.begin(), end, std::int64_t{0});
      }
    }
}

}  // namespace talentsim
