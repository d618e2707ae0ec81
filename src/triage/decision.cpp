#include "triage/decision.h"

namespace kct::triage {

Decision decide(const std::vector<Need>& needs, const std::vector<std::string>& versions, const Presence& has) {
  Decision d;
  std::string fixed = "-";
  bool wanted_recorded = false;
  for (size_t k = versions.size(); k-- > 0;) {
    WalkStep step;
    step.version = versions[k];
    std::vector<const Need*> applicable;
    for (const Need& need : needs) {
      bool applies = need.introduced == "-" || has(k, need.introduced);
      step.applicable.push_back(applies);
      step.fix_found.push_back(-1);
      if (applies) {
        applicable.push_back(&need);
      }
    }
    if (applicable.empty()) {
      fixed = versions[k];
      d.state = "not-affected";
      step.outcome = "not-affected";
      d.walk.push_back(std::move(step));
      continue;
    }
    if (!wanted_recorded) {
      std::vector<Need> wanted;
      for (const Need* n : applicable) {
        wanted.push_back(*n);
      }
      d.wanted = format_wanted(wanted);
      wanted_recorded = true;
    }
    bool all_fixed = true;
    for (size_t i = 0; i < needs.size(); ++i) {
      if (!step.applicable[i]) {
        continue;
      }
      for (size_t f = 0; f < needs[i].fixes.size(); ++f) {
        if (has(k, needs[i].fixes[f])) {
          step.fix_found[i] = static_cast<int>(f);
          break;
        }
      }
      all_fixed = all_fixed && step.fix_found[i] >= 0;
    }
    if (all_fixed) {
      fixed = versions[k];
      d.state = "not-affected";
      step.outcome = "fixed";
      d.walk.push_back(std::move(step));
      continue;
    }
    if (fixed == "-") {
      d.state = "needed";
      d.version = "-";
      step.outcome = "needed";
    } else {
      d.state = "released";
      d.version = fixed;
      step.outcome = "released";
    }
    d.walk.push_back(std::move(step));
    return d;
  }
  // Ran past the oldest version: not affected since the oldest tracked version (or `-`).
  d.state = "not-affected";
  d.version = versions.empty() ? "-" : versions.front();
  return d;
}

} // namespace kct::triage
