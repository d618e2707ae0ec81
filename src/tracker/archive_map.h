#pragma once
// What check-syntax's archive rules (uct §11 6e, 6g-6j, 7) know about the archive: per live
// release, each source package's highest published version and component. Plain data, defined
// here so that the tracker need not depend on the archive module that fills it (cli copies
// archive::SourcesIndex into it).
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kct::tracker {

struct ArchivePackage {
  std::string version;   // highest outside -proposed (or in -proposed when only there)
  std::string component; // main, restricted, universe, multiverse
  bool proposed_only = false;
};

// Lets find() look a string_view up without building a std::string per status line.
struct ArchiveNameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using ReleasePackages = std::unordered_map<std::string, ArchivePackage, ArchiveNameHash, std::equal_to<>>;

struct ArchiveMap {
  // By catalog release name (`focal` for devel, `trusty/esm`). A release missing here had no
  // index, so its entries are not judged; a present one lists everything published in it.
  std::map<std::string, ReleasePackages, std::less<>> releases;

  bool has_release(std::string_view release) const { return releases.find(release) != releases.end(); }

  // The package in that release, -proposed-only ones included; nullptr when absent.
  const ArchivePackage* find(std::string_view release, std::string_view package) const {
    auto r = releases.find(release);
    if (r == releases.end()) {
      return nullptr;
    }
    auto p = r->second.find(package);
    return p == r->second.end() ? nullptr : &p->second;
  }

  // In check-syntax's map proper, which leaves -proposed out.
  bool published(std::string_view release, std::string_view package) const {
    const ArchivePackage* p = find(release, package);
    return p != nullptr && !p->proposed_only;
  }
};

} // namespace kct::tracker
