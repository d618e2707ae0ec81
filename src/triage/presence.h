#pragma once
// "Is id X present in version V of this target?" (kernel-team doc §1.9.5): the events recorded
// for X in V's chain of scan ranges, ordered oldest range first, then older commits first, then
// real rows before overlay rows; the newest event wins (an add, a revert, a re-add).
#include "kgit/provenance_store.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kct::triage {

// Every scan row's place in the forest its links form (a row links to the range it was read
// against): a row's chain is its path to a root, so range R is in version V's chain exactly
// when R is an ancestor of V, which an Euler tour answers with two comparisons, and R's
// position in any chain holding it is its depth. Decisions ask this millions of times.
class RangeTree {
public:
  // From every (tid, linked tid or -1) of the store; throws kct::Error naming `where` on a
  // link cycle. A link to a missing row ends the chain there.
  RangeTree(const std::vector<std::pair<int64_t, int64_t>>& links, const std::string& where);
  bool known(int64_t tid) const { return tid >= 0 && static_cast<size_t>(tid) < m_depth.size() && m_depth[tid] >= 0; }
  // The position of `range` in the chain of `tip` (0 = the oldest range), or -1.
  int64_t position(int64_t range, int64_t tip) const {
    if (!known(range)) {
      return -1;
    }
    auto r = static_cast<size_t>(range);
    auto t = static_cast<size_t>(tip);
    return m_enter[r] <= m_enter[t] && m_leave[t] <= m_leave[r] ? m_depth[r] : -1;
  }

private:
  std::vector<int32_t> m_enter, m_leave, m_depth; // by tid; depth -1: no such row
};

class PresenceIndex {
public:
  explicit PresenceIndex(kgit::ProvenanceStore& store) : m_store(store) {}

  // A version's chain of scan ranges: its scan row and the rows it links to, oldest first.
  class Chain {
  public:
    Chain() = default;
    Chain(std::shared_ptr<const RangeTree> tree, int64_t tip) : m_tree(std::move(tree)), m_tip(tip) {}
    // The range's position in this chain (0 = the oldest), or -1 when it is not in it.
    int64_t position(int64_t tid) const { return m_tree ? m_tree->position(tid, m_tip) : -1; }
    int64_t tip() const { return m_tip; }

  private:
    std::shared_ptr<const RangeTree> m_tree;
    int64_t m_tip = -1;
  };
  // Throws kct::Error for a row that does not exist or a link cycle.
  Chain chain_of(int64_t tid);

  // The deciding event for `id` in `chain`, or nullopt when it was never recorded there.
  std::optional<kgit::IdEvent> last_event(const Chain& chain, const std::string& id);
  bool has(const Chain& chain, const std::string& id) {
    std::optional<kgit::IdEvent> e = last_event(chain, id);
    return e && !e->revert;
  }
  // Every event for `id` in `chain`, in deciding order (the last one decides).
  std::vector<kgit::IdEvent> events_in(const Chain& chain, const std::string& id);

  // Every event recorded for `id` anywhere (cached), and the deciding one of those in `chain`;
  // for callers that ask about the same id in many versions.
  const std::vector<kgit::IdEvent>& events(const std::string& id);
  static const kgit::IdEvent* last_of(const Chain& chain, const std::vector<kgit::IdEvent>& events);

private:
  kgit::ProvenanceStore& m_store;
  std::shared_ptr<const RangeTree> m_tree; // built on first use, rebuilt for a newer row
  std::unordered_map<std::string, std::vector<kgit::IdEvent>> m_events;
};

} // namespace kct::triage
