#include "kgit/tag_versions.h"

#include "util/strings.h"

#include <algorithm>
#include <map>

namespace kct::kgit {
namespace {

std::string makefile_value(std::string_view makefile, std::string_view name) {
  size_t start = 0;
  while (start < makefile.size()) {
    size_t end = makefile.find('\n', start);
    std::string_view line =
        makefile.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? makefile.size() : end + 1;
    if (line.substr(0, name.size()) != name) {
      continue;
    }
    std::string_view rest = util::strip(line.substr(name.size()));
    if (rest.empty() || rest[0] != '=') {
      continue;
    }
    return std::string(util::strip(rest.substr(1)));
  }
  return "";
}

std::string kernel_version_of(std::string_view makefile) {
  std::string version = makefile_value(makefile, "VERSION");
  if (version.empty()) {
    return "";
  }
  return version + "." + makefile_value(makefile, "PATCHLEVEL") + "." + makefile_value(makefile, "SUBLEVEL") +
         makefile_value(makefile, "EXTRAVERSION");
}

} // namespace

std::optional<std::pair<std::string, std::string>> parse_changelog_head(std::string_view changelog) {
  size_t end = changelog.find('\n');
  std::string_view line = changelog.substr(0, end);
  size_t open = line.find(" (");
  if (open == std::string_view::npos || open == 0) {
    return std::nullopt;
  }
  size_t close = line.find(')', open);
  if (close == std::string_view::npos || close == open + 2) {
    return std::nullopt;
  }
  std::string_view package = line.substr(0, open);
  if (package.find_first_of(" \t") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::make_pair(std::string(package), std::string(line.substr(open + 2, close - open - 2)));
}

ChangelogVersion changelog_version_at(const Repository& repo, const CommitId& commit) {
  std::vector<std::string> candidates;
  if (std::optional<std::string> env = repo.read_file(commit, "debian/debian.env")) {
    std::string dir = makefile_value(*env, "DEBIAN");
    if (!dir.empty()) {
      candidates.push_back(dir + "/changelog");
    }
  }
  candidates.push_back("debian/changelog");
  candidates.push_back("meta-source/debian/changelog");
  ChangelogVersion result{"-", "-", ""};
  for (const std::string& path : candidates) {
    std::optional<std::string> changelog = repo.read_file(commit, path);
    if (!changelog) {
      continue;
    }
    if (auto head = parse_changelog_head(*changelog)) {
      result.package = head->first;
      result.version = head->second;
      break;
    }
  }
  if (std::optional<std::string> makefile = repo.read_file(commit, "Makefile")) {
    result.kernel_version = kernel_version_of(*makefile);
  }
  return result;
}

std::string upstream_tag_version(std::string_view tag_name) {
  size_t slash = tag_name.rfind('/');
  if (slash != std::string_view::npos) {
    tag_name = tag_name.substr(slash + 1);
  }
  if (!tag_name.empty() && tag_name[0] == 'v') {
    tag_name = tag_name.substr(1);
  }
  std::string version(tag_name);
  for (size_t at = version.find("-rc"); at != std::string::npos; at = version.find("-rc", at + 1)) {
    version[at] = '~';
  }
  return version;
}

std::vector<VersionTag> ubuntu_version_tags(const Repository& repo, const std::string& source,
                                            const std::vector<std::string>& versions, TagVersionCache& cache,
                                            std::vector<std::string>& missing) {
  // (package, version) → tag; tags come sorted by name and a later one wins.
  std::map<std::pair<std::string, std::string>, VersionTag> by_version;
  for (const TagRef& tag : repo.tags("Ubuntu-*")) {
    std::optional<ChangelogVersion> known = cache.lookup(tag.object_id);
    if (!known) {
      known = changelog_version_at(repo, tag.commit);
      cache.remember(tag.object_id, *known);
    }
    by_version[{known->package, known->version}] = VersionTag{tag.name, known->version, tag.commit};
  }
  bool fips = source.size() > 5 && source.compare(source.size() - 5, 5, "-fips") == 0;
  std::vector<VersionTag> result;
  for (const std::string& version : versions) {
    auto it = by_version.find({source, version});
    if (it == by_version.end() && fips) {
      it = by_version.find({source + "-recert", version});
    }
    if (it == by_version.end()) {
      missing.push_back(version);
      continue;
    }
    result.push_back(it->second);
  }
  return result;
}

std::vector<VersionTag> upstream_version_tags(const Repository& repo, const std::string& glob) {
  struct Dated {
    int64_t time;
    VersionTag tag;
  };
  std::vector<Dated> dated;
  for (const TagRef& tag : repo.tags(glob)) {
    if (tag.name == "v2.6.11") {
      continue; // points at a tree, not a commit, in the real linux tree
    }
    dated.push_back({repo.commit_time(tag.commit), {tag.name, upstream_tag_version(tag.name), tag.commit}});
  }
  std::stable_sort(dated.begin(), dated.end(), [](const Dated& a, const Dated& b) {
    return a.time != b.time ? a.time < b.time : a.tag.tag < b.tag.tag;
  });
  std::vector<VersionTag> result;
  result.reserve(dated.size());
  for (Dated& d : dated) {
    result.push_back(std::move(d.tag));
  }
  return result;
}

} // namespace kct::kgit
