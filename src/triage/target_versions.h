#pragma once
// The ordered versions of one scan target (kernel-team doc §1.8 pass 1, steps 1-2): upstream
// `tags-git` tags by date, or the published versions mapped to tags through changelogs, then
// the branch tip as `pending` unless `no-pending` or the newest tag is not an ancestor of it.
#include "kgit/provenance_store.h"
#include "kgit/repository.h"
#include "kgit/tag_versions.h"
#include "triage/scan_config.h"
#include "util/diagnostic.h"

#include <mutex>
#include <string>
#include <vector>

namespace kct::triage {

struct TargetVersions {
  std::vector<kgit::VersionTag> versions; // oldest first, `pending` last when present
  std::vector<std::string> untagged;      // published versions with no tag in the tree
};

// `store_lock` guards the store's tag-version cache, shared with other scanning threads.
TargetVersions target_versions(const ScanTarget& target, const kgit::Repository& repo, const std::string& state_dir,
                               kgit::ProvenanceStore& store, std::mutex& store_lock,
                               std::vector<util::Diagnostic>& diagnostics);

} // namespace kct::triage
