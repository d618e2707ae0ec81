#pragma once
// The published-version files the kernel team's LP step leaves in the state directory (§1.6 f):
//   lp/<key@>_<source>_tags        one version per line, ascending (dpkg order)
//   lp/<key@>_<source>_cve-pockets one line "<release> <security> <updates> <proposed> <build>",
//                                  `None` where a pocket has nothing
// plus the optional manual additions lp/manual/<same name>, appended as
// cves-kernel-versions-lookup does.
#include "util/diagnostic.h"

#include <optional>
#include <string>
#include <vector>

namespace kct::triage {

struct CvePockets {
  std::optional<std::string> release, security, updates, proposed, build;
};

struct PublishedVersions {
  std::vector<std::string> versions; // ascending, as in the file(s)
  std::optional<CvePockets> pockets; // absent when the file is missing
};

// Reads both files for `file_key` (key with `/` → `@`) and `source` from `<state>/lp`. A missing
// `_tags` file gives no versions (and a warning diagnostic); a malformed line (an invalid Debian
// version, a pockets line without five fields) is an error diagnostic naming file and line.
PublishedVersions read_published_versions(const std::string& state_dir, const std::string& file_key,
                                          const std::string& source, std::vector<util::Diagnostic>& diagnostics);

} // namespace kct::triage
