#include "triage/presence.h"

#include <algorithm>

namespace kct::triage {

PresenceIndex::Chain PresenceIndex::chain_of(int64_t tid) {
  std::vector<int64_t> newest_first = m_store.chain(tid);
  Chain chain;
  for (size_t i = 0; i < newest_first.size(); ++i) {
    chain[newest_first[i]] = newest_first.size() - 1 - i;
  }
  return chain;
}

const std::vector<kgit::IdEvent>& PresenceIndex::events(const std::string& id) {
  auto it = m_events.find(id);
  if (it == m_events.end()) {
    it = m_events.emplace(id, m_store.events(id)).first;
  }
  return it->second;
}

std::vector<kgit::IdEvent> PresenceIndex::events_in(const Chain& chain, const std::string& id) {
  std::vector<std::pair<size_t, const kgit::IdEvent*>> found;
  for (const kgit::IdEvent& e : events(id)) {
    auto pos = chain.find(e.tid);
    if (pos != chain.end()) {
      found.emplace_back(pos->second, &e);
    }
  }
  // Oldest range first; within a range, older commits (higher git log position) first; real
  // rows before overlay rows.
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) {
      return a.first < b.first;
    }
    if (a.second->order != b.second->order) {
      return a.second->order > b.second->order;
    }
    return !a.second->overlay && b.second->overlay;
  });
  std::vector<kgit::IdEvent> result;
  result.reserve(found.size());
  for (const auto& f : found) {
    result.push_back(*f.second);
  }
  return result;
}

const kgit::IdEvent* PresenceIndex::last_of(const Chain& chain, const std::vector<kgit::IdEvent>& events) {
  const kgit::IdEvent* best = nullptr;
  size_t best_pos = 0;
  for (const kgit::IdEvent& e : events) {
    auto pos = chain.find(e.tid);
    if (pos == chain.end()) {
      continue;
    }
    bool later = best == nullptr || pos->second > best_pos ||
                 (pos->second == best_pos &&
                  (e.order < best->order || (e.order == best->order && (e.overlay || !best->overlay))));
    // (equal keys: the later row wins, as in events_in's stable order)
    if (later) {
      best = &e;
      best_pos = pos->second;
    }
  }
  return best;
}

std::optional<kgit::IdEvent> PresenceIndex::last_event(const Chain& chain, const std::string& id) {
  const kgit::IdEvent* best = last_of(chain, events(id));
  if (best == nullptr) {
    return std::nullopt;
  }
  return *best;
}

} // namespace kct::triage
