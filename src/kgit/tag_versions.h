#pragma once
// Which git tag holds which published version (kernel-team doc §1.7).
// Ubuntu trees: a tag's package and version come from the debian changelog in the tagged
// tree (debian/debian.env's DEBIAN=<dir>/changelog, then debian/changelog, then
// meta-source/debian/changelog), never from the tag's name, which can disagree.
// Upstream trees: `v6.3-rc2` is version `6.3~rc2`, ordered by the tagged commit's date.
#include "kgit/repository.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kct::kgit {

struct ChangelogVersion {
  std::string package;        // "-" when no changelog could be read
  std::string version;        // "-" likewise
  std::string kernel_version; // VERSION.PATCHLEVEL.SUBLEVEL+EXTRAVERSION from the Makefile
};

// Reads package and version at `commit` as cves-git-tags-versions does.
ChangelogVersion changelog_version_at(const Repository& repo, const CommitId& commit);

// First changelog line `<pkg> (<version>) …`, or nullopt.
std::optional<std::pair<std::string, std::string>> parse_changelog_head(std::string_view changelog);

// `v6.3-rc2` → `6.3~rc2`; path components before the last `/` are dropped.
std::string upstream_tag_version(std::string_view tag_name);

struct VersionTag {
  std::string tag;
  std::string version;
  CommitId commit;
};

// Looks a tag's changelog version up in a cache keyed by the tag object id (the store keeps
// it), computing it on a miss. `lookup` returns a cached entry; `remember` stores a new one.
struct TagVersionCache {
  std::function<std::optional<ChangelogVersion>(const std::string& object_id)> lookup;
  std::function<void(const std::string& object_id, const ChangelogVersion&)> remember;
};

// The tags of the published `versions` (ascending) for `source`, in that order. Versions with
// no tag go to `missing` (cves-git-tags-versions reports them on stderr and skips them). For
// `*-fips` sources `<source>-recert` is tried too. A later tag (by name) with the same package
// and version wins, as in the original cache.
std::vector<VersionTag> ubuntu_version_tags(const Repository& repo, const std::string& source,
                                            const std::vector<std::string>& versions, TagVersionCache& cache,
                                            std::vector<std::string>& missing);

// Tags matching `glob` (except v2.6.11) with their upstream versions, ordered by the tagged
// commit's committer time (ties by name).
std::vector<VersionTag> upstream_version_tags(const Repository& repo, const std::string& glob);

} // namespace kct::kgit
