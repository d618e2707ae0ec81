#pragma once
// The engine's result lines for one CVE: one per scanned target, from the CVE's break-fix
// needs and the target's versions (kernel-team doc §1.9.6). CVEs without kernel break-fix
// entries get none, as cves-commits never lists them.
#include "tracker/cve_file.h"
#include "triage/decision.h"
#include "triage/engine_result.h"
#include "triage/presence.h"
#include "triage/scan_run.h"

#include <string>
#include <vector>

namespace kct::triage {

Decision decide_for_target(const std::vector<BreakFixEntry>& entries, const ScannedTarget& target,
                           PresenceIndex& presence, bool trace = false);

std::vector<EngineResult> cve_results(const tracker::CveFile& file, const std::string& cve_path,
                                      const std::vector<ScannedTarget>& targets, PresenceIndex& presence);

} // namespace kct::triage
