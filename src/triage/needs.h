#pragma once
// The break-fix needs of one CVE for one scanned source (kernel-team doc §1.3.1 and the first
// steps of §1.9.6): entries from the `Patches_linux*` sections (` break-fix: A B` lines, any
// case, and legacy ` upstream: <ref>` lines), the package choice (a `Patches_<source>`
// section replaces the `linux` entries when scanning exactly that source), and malformed
// entries replaced by a need that can never be met, so the CVE is never lost.
#include "tracker/cve_file.h"

#include <string>
#include <vector>

namespace kct::triage {

struct BreakFixEntry {
  std::string package;            // `linux`, `linux-raspi` …
  std::string introduced;         // `-` for "present since forever"
  std::vector<std::string> fixes; // alternatives
  int line = 0;                   // 1-based line in the CVE file
};

struct Need {
  std::string introduced;
  std::vector<std::string> fixes;
  int line = 0;
  bool malformed = false; // replaced by (`-`, forty zeros)
};

// Every entry of the file's kernel Patches sections, in file order (cves-commits).
std::vector<BreakFixEntry> break_fix_entries(const tracker::CveFile& file);

// The needs that apply when scanning `source` (§1.9.6 "Choose the package entries").
std::vector<Need> needs_for(const std::vector<BreakFixEntry>& entries, const std::string& source);

// `a|b,c`: fixes of each need joined by `|`, needs by `,`; "-" when there are none.
std::string format_wanted(const std::vector<Need>& needs);

} // namespace kct::triage
