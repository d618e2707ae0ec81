#pragma once
// The post-passes of the kernel team's run (cves-mark-*, kernel-team doc §1.11). Each looks at
// one target's line in one CVE file and proposes a result, applied like an engine result with
// write_back(…, direct_copy = true), so the write-back's rules (manual states and human notes
// are kept) still decide. The run applies them in UPDATE's order: metaonly, pockets, esm,
// ignored, each reading the file as the one before left it (PostPasses::apply does that).
//
// Each pass acts only on targets carrying its flag. A target whose key is the devel codename
// reads and names its line as `devel_<source>`.
#include "tracker/cve_file.h"
#include "triage/engine_result.h"
#include "triage/published_versions.h"
#include "triage/scan_config.h"
#include "triage/write_back.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kct::triage {

// mark-pockets: a `pending (V)` line becomes `not-affected (V)` when no pocket has anything yet
// or V is in the release pocket, and `released (V)` when the kernel gets no USN
// (unsupported or no-usn) and V is in -updates. Nothing without pocket data.
std::optional<EngineResult> mark_pockets(const tracker::CveFile& file, const std::string& cve_path,
                                         const ScanTarget& target, const std::optional<CvePockets>& pockets,
                                         std::string_view devel);

// mark-esm: a needs-triage or needed line of a CVE whose priority is not high or critical
// becomes `ignored (<message>, was <old>)`.
std::optional<EngineResult> mark_esm(const tracker::CveFile& file, const std::string& cve_path,
                                     const ScanTarget& target, std::string_view devel);

// mark-ignored: a needs-triage, needed or deferred line becomes `ignored (<message>, was <old>)`.
std::optional<EngineResult> mark_ignored(const tracker::CveFile& file, const std::string& cve_path,
                                         const ScanTarget& target, std::string_view devel);

// For a meta-only kernel K linked to L: each version of L mapped to the first version of K
// that is at least as new (dpkg order), and whether that is K's first version.
struct MetaonlyVersion {
  std::string version;
  bool first = false;
};
using MetaonlyMap = std::unordered_map<std::string, MetaonlyVersion>;
MetaonlyMap build_metaonly_map(const std::vector<std::string>& linked_versions,
                               const std::vector<std::string>& own_versions);

// metaonly-link: copies L's pending/needed/released/not-affected line onto K's, translating a
// version note through `map` (an unmapped version gives nothing); `released` onto K's first
// version becomes `not-affected`.
std::optional<EngineResult> mark_metaonly(const tracker::CveFile& file, const std::string& cve_path,
                                          const ScanTarget& target, const MetaonlyMap& map, std::string_view devel);

// All four passes over a run's targets, with the published data prepared once (the metaonly
// version maps are built here, not per file).
class PostPasses {
public:
  // `published` holds the published versions by `<key>_<source>` (ScanTarget::name(), and the
  // metaonly_link name for linked kernels). A target without an entry gets no pocket or metaonly
  // results; missing() names them so the caller can warn. `esm` = false skips mark-esm, as the
  // customer tree's run does.
  PostPasses(std::vector<ScanTarget> targets, const std::unordered_map<std::string, PublishedVersions>& published,
             std::string devel, bool esm = true);

  // Runs metaonly, pockets, esm and ignored on `file`, applying each pass's results before the
  // next one reads the file, and returns every line change in the order made.
  std::vector<LineChange> apply(tracker::CveFile& file, const catalog::Catalog& catalog, const std::string& cve_path,
                                bool retired) const;

  // `<name>: <what is missing>` for targets whose flag cannot act for lack of data.
  const std::vector<std::string>& missing() const { return m_missing; }

private:
  std::vector<ScanTarget> m_targets;
  std::vector<std::optional<CvePockets>> m_pockets;   // parallel to m_targets
  std::vector<std::optional<MetaonlyMap>> m_metaonly; // parallel to m_targets
  std::vector<std::string> m_missing;
  std::string m_devel;
  bool m_esm = true;
};

} // namespace kct::triage
