// Accepted offers that start later (docs/MODEL.md phase 7: a hiring lag), kept per chunk
// of researchers so that each chunk's parallel pass works on its own list and no
// pass gathers them all. Each chunk's list is sorted by researcher id.
//
// A pending hire's life: a decision accepts an offer from a firm with a hiring lag
// (the decision pass); every tick until it is due, the researcher may renege by
// choosing otherwise; when due it starts, unless a hiring limit refuses it (phase 6)
// or the startup that made it has died; a founder refused a startup slot gets it back.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "talentsim/core/parallel.hpp"
#include "talentsim/model/state.hpp"

namespace talentsim {

/// What becomes of a pending hire this tick.
enum class PendingFate : std::uint8_t {
  kWait,     ///< not due yet
  kReneged,  ///< the researcher chose otherwise this tick
  kDue,      ///< starts this tick, unless a hiring limit refuses it (due = kNever)
  kGone,     ///< due, but the startup that made the offer has died
};

class PendingHires {
 public:
  /// Empty lists for `chunks` chunks of researchers.
  void reset(std::size_t chunks) { lists_.assign(chunks, {}); }

  /// The pending hire of researcher `id`, or nullptr.
  [[nodiscard]] const PendingHire* find(ResearcherId id) const {
    const auto& list = lists_[id / kChunkSize];
    const auto it = std::lower_bound(list.begin(), list.end(), id,
                                     [](const PendingHire& p, ResearcherId x) { return p.id < x; });
    return it != list.end() && it->id == id ? &*it : nullptr;
  }

  /// Every chunk's list, in researcher order.
  [[nodiscard]] const std::vector<std::vector<PendingHire>>& chunks() const { return lists_; }
  /// Chunk c's list (its pass may change the entries' due weeks).
  [[nodiscard]] std::vector<PendingHire>& chunk(std::size_t c) { return lists_[c]; }
  [[nodiscard]] std::size_t size() const {
    std::size_t n = 0;
    for (const auto& list : lists_) n += list.size();
    return n;
  }

  /// The fates of chunk c's pending hires this tick, walking them in id order beside
  /// the chunk's decisions (sorted by id): a decision with `drop_pending` reneges its
  /// researcher's hire; a hire due at `tick` is kDue if `alive(p)`, else kGone.
  /// `on_decision(d)` is called for every decision and `on_due(p)` for every kDue
  /// hire, both in id order (a hire before the decision of the same researcher).
  template <class Decisions, class Alive, class OnDecision, class OnDue>
  void classify(std::size_t c, Tick tick, Decisions& decisions, std::vector<PendingFate>& fates,
                Alive&& alive, OnDecision&& on_decision, OnDue&& on_due) {
    auto& list = lists_[c];
    fates.assign(list.size(), PendingFate::kWait);
    std::size_t k = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      PendingHire& p = list[i];
      for (; k < decisions.size() && decisions[k].id < p.id; ++k) on_decision(decisions[k]);
      if (k < decisions.size() && decisions[k].id == p.id && decisions[k].drop_pending) {
        fates[i] = PendingFate::kReneged;
      } else if (p.due == tick) {
        fates[i] = alive(p) ? PendingFate::kDue : PendingFate::kGone;
        if (fates[i] == PendingFate::kDue) on_due(p);
      }
    }
    for (; k < decisions.size(); ++k) on_decision(decisions[k]);
  }

  /// After chunk c's moves: keeps the hires still waiting, calls `unflag(p)` for those
  /// gone or refused by a hiring limit (due moved off `tick`), and merges in the offers
  /// `accepted` this tick (sorted by id) from the back.
  template <class Unflag>
  void settle(std::size_t c, Tick tick, const std::vector<PendingFate>& fates,
              const std::vector<PendingHire>& accepted, Unflag&& unflag) {
    auto& list = lists_[c];
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const PendingHire& p = list[i];
      if (fates[i] == PendingFate::kWait) {
        list[kept++] = p;
      } else if (fates[i] == PendingFate::kGone ||
                 (fates[i] == PendingFate::kDue && p.due != tick)) {
        unflag(p);
      }
    }
    list.resize(kept + accepted.size());
    for (std::size_t out = list.size(), a = accepted.size(); a > 0;) {
      const bool from_accepted = kept == 0 || by_id(list[kept - 1], accepted[a - 1]);
      list[--out] = from_accepted ? accepted[--a] : list[--kept];
    }
  }

  /// Gives back a hire the researcher had dropped (a founding refused for want of a
  /// startup slot), in its place in id order.
  void give_back(const PendingHire& p) {
    auto& list = lists_[p.id / kChunkSize];
    list.insert(std::lower_bound(list.begin(), list.end(), p, by_id), p);
  }

 private:
  static bool by_id(const PendingHire& a, const PendingHire& b) { return a.id < b.id; }

  std::vector<std::vector<PendingHire>> lists_;
};

}  // namespace talentsim
