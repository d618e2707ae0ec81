#pragma once
// The decision for one (CVE, target) (kernel-team doc §1.9.6): walk the target's versions from
// the newest to the oldest; the answer is `needed`, `released` with the first version of the
// latest continuous fixed run, or `not-affected`. Pure: presence comes from a callback, so the
// walk is tested without git, and `kct why` replays it with the evidence.
#include "triage/needs.h"

#include <functional>
#include <string>
#include <vector>

namespace kct::triage {

// Whether `id` is present in version `index` (0 = oldest) of the target.
using Presence = std::function<bool(size_t index, const std::string& id)>;

struct WalkStep {
  std::string version;
  std::vector<bool> applicable; // per need: break is `-` or present
  std::vector<int> fix_found;   // per need: index of the first present fix, or -1
  std::string outcome;          // `not-affected`, `fixed`, `needed`, `released`
};

struct Decision {
  std::string wanted = "-";
  std::string state = "not-affected";
  std::string version = "-";
  std::vector<WalkStep> walk; // newest first, as walked
};

// `trace` records every step in Decision::walk (for `kct why`); a plain run skips the cost.
Decision decide(const std::vector<Need>& needs, const std::vector<std::string>& versions, const Presence& has,
                bool trace = false);

} // namespace kct::triage
