#pragma once
// The single upstream value written into every `upstream_linux*` line (§1.10, corrections 1
// and 7): the Linus result keeps its state, and its note lists the Linus version followed by
// the versions of the stable trees that have the fix.
#include <string>
#include <string_view>
#include <vector>

namespace kct::triage {

// One stable-tree result: key `upstream`, source `linux-X.Y`; version already "" for `-`.
struct StableResult {
  std::string_view source;
  std::string_view state;
  std::string_view version;
};

// Upstream version order: '.'-separated components, numeric ones compared as numbers, any
// non-numeric one (`y` in `5.15.y`, `3~rc2`) after every number; a prefix sorts first.
bool upstream_version_less(std::string_view a, std::string_view b);

// "<linus>, <stable…>" over the `released` stable results (`pending` → `X.Y.y`), sorted with
// upstream_version_less; ties keep their input order.
std::string upstream_note(std::string_view linus_version, const std::vector<StableResult>& stables);

} // namespace kct::triage
