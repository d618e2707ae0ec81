#include "triage/target_versions.h"

#include "triage/published_versions.h"

namespace kct::triage {

TargetVersions target_versions(const ScanTarget& target, const kgit::Repository& repo, const std::string& state_dir,
                               kgit::ProvenanceStore& store, std::mutex& store_lock,
                               std::vector<util::Diagnostic>& diagnostics) {
  TargetVersions result;
  if (!target.tags_git_glob.empty()) {
    result.versions = kgit::upstream_version_tags(repo, target.tags_git_glob);
  } else if (target.tags_lp) {
    PublishedVersions published = read_published_versions(state_dir, target.file_key(), target.source, diagnostics);
    kgit::TagVersionCache cache{[&](const std::string& object_id) {
                                  std::lock_guard lock(store_lock);
                                  return store.cached_tag_version(object_id);
                                },
                                [&](const std::string& object_id, const kgit::ChangelogVersion& version) {
                                  std::lock_guard lock(store_lock);
                                  store.remember_tag_version(object_id, version);
                                }};
    result.versions = kgit::ubuntu_version_tags(repo, target.source, published.versions, cache, result.untagged);
  }
  if (target.no_pending || target.branch.empty()) {
    return result;
  }
  std::optional<kgit::CommitId> tip = repo.resolve("refs/heads/" + target.branch);
  if (!tip) {
    diagnostics.push_back({repo.path(), 0, 0, util::Severity::warning,
                           "branch `" + target.branch + "` of " + target.name() + " not found; no pending version"});
    return result;
  }
  // The tip is `pending` only when it builds on the newest tag (§1.8 step 2).
  if (!result.versions.empty() && !repo.is_ancestor(result.versions.back().commit, *tip)) {
    return result;
  }
  result.versions.push_back({target.branch, "pending", *tip});
  return result;
}

} // namespace kct::triage
