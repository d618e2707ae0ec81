#include "triage/presence.h"

#include "util/error.h"

#include <algorithm>

namespace kct::triage {

RangeTree::RangeTree(const std::vector<std::pair<int64_t, int64_t>>& links, const std::string& where) {
  int64_t max_tid = -1;
  for (const auto& [tid, link] : links) {
    max_tid = std::max(max_tid, tid);
  }
  auto size = static_cast<size_t>(max_tid + 1);
  m_enter.assign(size, 0);
  m_leave.assign(size, 0);
  m_depth.assign(size, -1);
  std::vector<std::vector<int64_t>> children(size);
  std::vector<int64_t> roots;
  std::vector<bool> exists(size, false);
  for (const auto& [tid, link] : links) {
    exists[static_cast<size_t>(tid)] = true;
  }
  for (const auto& [tid, link] : links) {
    if (link < 0 || static_cast<size_t>(link) >= size || !exists[static_cast<size_t>(link)]) {
      roots.push_back(tid); // a chain ends at a link to a row that is gone, as store.chain() ends
    } else {
      children[static_cast<size_t>(link)].push_back(tid);
    }
  }
  // Iterative depth-first walk: chains can be thousands of rows deep.
  int32_t clock = 0;
  std::vector<std::pair<int64_t, size_t>> stack; // (tid, next child)
  size_t reached = 0;
  for (int64_t root : roots) {
    m_depth[static_cast<size_t>(root)] = 0;
    m_enter[static_cast<size_t>(root)] = clock++;
    stack.emplace_back(root, 0);
    ++reached;
    while (!stack.empty()) {
      auto& [tid, next] = stack.back();
      const std::vector<int64_t>& kids = children[static_cast<size_t>(tid)];
      if (next < kids.size()) {
        int64_t child = kids[next++];
        m_depth[static_cast<size_t>(child)] = m_depth[static_cast<size_t>(tid)] + 1;
        m_enter[static_cast<size_t>(child)] = clock++;
        stack.emplace_back(child, 0);
        ++reached;
      } else {
        m_leave[static_cast<size_t>(tid)] = clock++;
        stack.pop_back();
      }
    }
  }
  if (reached != links.size()) {
    for (const auto& [tid, link] : links) {
      if (m_depth[static_cast<size_t>(tid)] < 0) {
        throw Error(where + ": tag link cycle at tid " + std::to_string(tid) + "; delete the store to rebuild it");
      }
    }
  }
}

PresenceIndex::Chain PresenceIndex::chain_of(int64_t tid) {
  if (!m_tree || !m_tree->known(tid)) {
    m_tree = std::make_shared<const RangeTree>(m_store.links(), m_store.db().path());
    if (!m_tree->known(tid)) {
      throw Error(m_store.db().path() + ": no scan row with tid " + std::to_string(tid));
    }
  }
  return Chain(m_tree, tid);
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
    int64_t pos = chain.position(e.tid);
    if (pos >= 0) {
      found.emplace_back(static_cast<size_t>(pos), &e);
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
    int64_t at = chain.position(e.tid);
    if (at < 0) {
      continue;
    }
    auto pos = static_cast<size_t>(at);
    bool later =
        best == nullptr || pos > best_pos ||
        (pos == best_pos && (e.order < best->order || (e.order == best->order && (e.overlay || !best->overlay))));
    // (equal keys: the later row wins, as in events_in's stable order)
    if (later) {
      best = &e;
      best_pos = pos;
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
