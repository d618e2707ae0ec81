#pragma once
// One notice for many kernels (prepare-kernel-usn.py, uct doc §10.5, with the editing rules
// of the workflow page applied by the tool): for each kernel upload, the last notice's version
// (glitch-aware) and the CVEs fixed since (report-pending-fixes); the sources, binaries and
// URLs as the archive publishes them; title, summary, description, isummary and action.
// Nothing here writes: the result is a notice draft plus what a reviewer must know.
#include "archive/archive_view.h"
#include "catalog/catalog.h"
#include "kernels/glitches.h"
#include "kernels/kernel_table.h"
#include "tracker/tracker.h"
#include "usn/notice.h"
#include "usn/store.h"
#include "workflow/last_usn_version.h"
#include "workflow/pending_fixes.h"

#include <optional>
#include <string>
#include <vector>

namespace kct::compose {

struct KernelUpload {
  std::string release; // as given: `xenial`, `trusty`, `trusty/esm`
  std::string source;  // linux-aws
  std::string version; // 4.4.0-1096.107
};

// `REL SRC VERSION [SRC VERSION…]` as prepare-kernel-usn takes them: a kernel may be written
// `rel/kernel` to override REL, and a trailing ':' is dropped so `linux-aws: 4.4.0-1104.115`
// pastes in. Throws kct::Error for an odd count or an empty name.
std::vector<KernelUpload> parse_uploads(const std::string& release, const std::vector<std::string>& pairs);

struct ComposeOptions {
  std::string usn_id = "N-1";
  std::vector<std::string> ignore_cves;
  std::vector<std::string> add_cves;
  bool include_eol = false;      // EOL releases (their ESM kernels) are allowed
  bool embargoed = false;        // no tracker look-up: the CVEs are given with add_cves
  bool regression = false;       // a regression fix: its text is written by hand
  bool bypass_usn_check = false; // a version that already has a notice is fine
  archive::Pocket pocket = archive::Pocket::security;
  bool private_archive = false; // an ESM PPA: no URLs, no publication check on the primary archive
};

// What was found for one kernel; the explanation a reviewer reads beside the draft.
struct KernelPlan {
  KernelUpload upload;
  std::string release;     // the base codename the notice uses: trusty
  std::string release_key; // the tracker's: trusty/esm
  std::string meta, meta_version, signed_source, signed_version;
  std::string previous;      // the version the CVE window starts after
  std::string previous_from; // "USN-4186-1", "glitch ~ → …", "earliest published", "none"
  bool abi_changed = false;
  bool skipped = false; // an edge kernel (ignore-usn) or already covered by a glitch
  std::string skip_reason;
  std::vector<workflow::PendingFix> fixes;
};

struct ComposeResult {
  usn::Notice notice;
  std::vector<KernelPlan> kernels;
  std::vector<std::string> missing_descriptions; // CVEs whose text is a placeholder
  std::vector<std::string> errors;               // the draft must not be used
  std::vector<std::string> warnings;
  std::vector<std::string> info;
  bool ok() const { return errors.empty(); }
};

struct ComposeContext {
  const catalog::Catalog& catalog;
  const tracker::Tracker* tracker; // nullptr for an embargoed update
  usn::Store& store;
  const kernels::KernelTable& table;
  const kernels::GlitchTable& glitches;
  archive::ArchiveView& archive;
};

ComposeResult compose_kernel_notice(ComposeContext& context, const std::vector<KernelUpload>& uploads,
                                    const ComposeOptions& options);

// "16.04 LTS", "14.04 ESM" for a release key as the catalog knows it.
std::string release_label(const catalog::Catalog& catalog, const std::string& release_key);

} // namespace kct::compose
