#include "triage/decision.h"

namespace kct::triage {

Decision decide(const std::vector<Need>& needs, const std::vector<std::string>& versions, const Presence& has,
                bool trace) {
  Decision d;
  std::string fixed = "-";
  bool wanted_recorded = false;
  WalkStep step; // reused: a walk over 100 versions for 250,000 results adds up
  std::vector<const Need*> applicable;
  auto record = [&](const char* outcome) {
    if (trace) {
      step.outcome = outcome;
      d.walk.push_back(step);
    }
  };
  for (size_t k = versions.size(); k-- > 0;) {
    if (trace) {
      step.version = versions[k];
    }
    step.applicable.assign(needs.size(), false);
    step.fix_found.assign(needs.size(), -1);
    applicable.clear();
    for (size_t i = 0; i < needs.size(); ++i) {
      const Need& need = needs[i];
      bool applies = need.introduced == "-" || has(k, need.introduced);
      step.applicable[i] = applies;
      if (applies) {
        applicable.push_back(&need);
      }
    }
    if (applicable.empty()) {
      fixed = versions[k];
      d.state = "not-affected";
      record("not-affected");
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
      record("fixed");
      continue;
    }
    if (fixed == "-") {
      d.state = "needed";
      d.version = "-";
      record("needed");
    } else {
      d.state = "released";
      d.version = fixed;
      record("released");
    }
    return d;
  }
  // Ran past the oldest version: not affected since the oldest tracked version (or `-`).
  d.state = "not-affected";
  d.version = versions.empty() ? "-" : versions.front();
  return d;
}

} // namespace kct::triage
