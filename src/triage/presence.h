#pragma once
// "Is id X present in version V of this target?" (kernel-team doc §1.9.5): the events recorded
// for X in V's chain of scan ranges, ordered oldest range first, then older commits first, then
// real rows before overlay rows; the newest event wins (an add, a revert, a re-add).
#include "kgit/provenance_store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kct::triage {

class PresenceIndex {
public:
  explicit PresenceIndex(kgit::ProvenanceStore& store) : m_store(store) {}

  // The chain of a version's scan row, as position by tid (0 = oldest ancestor range).
  using Chain = std::unordered_map<int64_t, size_t>;
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
  std::unordered_map<std::string, std::vector<kgit::IdEvent>> m_events;
};

} // namespace kct::triage
