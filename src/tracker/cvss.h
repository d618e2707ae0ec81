#pragma once
// CVSS 3.0/3.1 base vectors as the tracker accepts them (uct §2.5).
#include <optional>
#include <string>
#include <string_view>

namespace kct::tracker {

struct CvssScore {
  double base = 0;
  double impact = 0;
  double exploitability = 0;
  std::string severity; // NONE LOW MEDIUM HIGH CRITICAL
};

// Parses `CVSS:3.x/AV:../AC:../PR:../UI:../S:../C:../I:../A:..`. On failure returns nullopt and
// sets `why` to what was expected.
std::optional<CvssScore> score_cvss(std::string_view vector, std::string& why);

} // namespace kct::tracker
