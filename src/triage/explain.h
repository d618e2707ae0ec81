#pragma once
// `kct why`: the evidence behind one (CVE, target) decision. For each version walked, for each
// break-fix need, whether the break and each fix alternative are present and which stored event
// says so (the commit itself, the message line and rule that matched, a revert, or the overlay
// line), plus warnings for the engine's known blind spots (kernel-team doc corrections 3 and 4).
#include "triage/cve_results.h"

#include <string>
#include <vector>

namespace kct::triage {

struct Evidence {
  std::string id;
  bool present = false;
  bool recorded = false; // any event at all in this version's chain
  std::string kind;      // commit, reference, revert, overlay
  std::string rule;      // the matching rule, for references
  std::string commit;    // the commit itself, or the one carrying the reference / revert
  std::string line;      // the message or overlay line
  std::string where;     // `<key>_<source> <version>` of the scan range holding the event
};

struct NeedCheck {
  bool applicable = false;
  Evidence introduced; // empty id for `-`
  std::vector<Evidence> fixes;
};

struct ExplainedStep {
  std::string version;
  std::string tag;
  std::string outcome;
  std::vector<NeedCheck> needs;
};

struct Explanation {
  std::vector<Need> needs;
  std::string package; // whose Patches entries were used
  Decision decision;
  std::vector<ExplainedStep> steps; // newest first, as walked
  std::vector<std::string> warnings;
};

Explanation explain(const std::vector<BreakFixEntry>& entries, const ScannedTarget& target, PresenceIndex& presence,
                    kgit::ProvenanceStore& store);

} // namespace kct::triage
