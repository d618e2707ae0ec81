#include "triage/cve_results.h"

namespace kct::triage {

Decision decide_for_target(const std::vector<BreakFixEntry>& entries, const ScannedTarget& target,
                           PresenceIndex& presence, bool trace) {
  std::vector<Need> needs = needs_for(entries, target.target->source);
  // The walk asks about the same few ids in every version: look each one's events up once.
  // decide() passes references into `needs`, so the string's address identifies the id.
  std::vector<std::pair<const std::string*, const std::vector<kgit::IdEvent>*>> resolved;
  for (const Need& n : needs) {
    resolved.emplace_back(&n.introduced, &presence.events(n.introduced));
    for (const std::string& f : n.fixes) {
      resolved.emplace_back(&f, &presence.events(f));
    }
  }
  return decide(
      needs, target.versions,
      [&](size_t index, const std::string& id) {
        for (const auto& [key, events] : resolved) {
          if (key == &id) {
            const kgit::IdEvent* e = PresenceIndex::last_of(target.chains[index], *events);
            return e != nullptr && !e->revert;
          }
        }
        return presence.has(target.chains[index], id);
      },
      trace);
}

std::vector<EngineResult> cve_results(const tracker::CveFile& file, const std::string& cve_path,
                                      const std::vector<ScannedTarget>& targets, PresenceIndex& presence) {
  std::vector<BreakFixEntry> entries = break_fix_entries(file);
  std::vector<EngineResult> results;
  if (entries.empty()) {
    return results;
  }
  for (const ScannedTarget& target : targets) {
    if (!target.ok) {
      continue;
    }
    Decision d = decide_for_target(entries, target, presence);
    results.push_back({cve_path, target.target->key, target.target->source, d.wanted, d.state, d.version});
  }
  return results;
}

} // namespace kct::triage
