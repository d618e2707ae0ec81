#include "triage/cve_results.h"

namespace kct::triage {

Decision decide_for_target(const std::vector<BreakFixEntry>& entries, const ScannedTarget& target,
                           PresenceIndex& presence) {
  std::vector<Need> needs = needs_for(entries, target.target->source);
  return decide(needs, target.versions, [&](size_t index, const std::string& id) {
    return presence.has(target.chains[index], id);
  });
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
