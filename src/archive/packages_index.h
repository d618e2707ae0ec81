#pragma once
// A mirror's apt `Packages` indices: every binary package published in a release's pockets and
// components, with the source it was built from, its file and checksums; what a kernel notice's
// binaries, all-binaries and URLs are composed from, and what sign-off checks are published
// (replacing sis-changes' Launchpad queries, uct doc §10.5).
// Read from `<mirror>/dists/<dist><pocket>/<component>/binary-<arch>/Packages[.xz|.gz]`.
#include "archive/sources_index.h"
#include "util/diagnostic.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace kct::archive {

struct BinaryPackage {
  std::string name;
  std::string version;
  std::string architecture;   // `amd64`, or `all`
  std::string source;         // the Source field's name, else the package name
  std::string source_version; // the Source field's `(version)`, else the package version
  std::string filename;       // pool path, relative to the mirror root
  int64_t size = 0;
  std::string md5;
  std::string sha256;
  std::string component;
  Pocket pocket = Pocket::release;
};

// The binary packages of one Packages file's text. A paragraph without Package, Version,
// Architecture or Filename, or with a Size that is not a number, is an error diagnostic at
// `path:line` and is left out.
std::vector<BinaryPackage> parse_packages(std::string_view text, const std::string& path, std::string_view component,
                                          Pocket pocket, std::vector<util::Diagnostic>& diagnostics);

// One release's binaries across pockets, components and architectures, looked up by source.
class ReleasePackages {
public:
  // Adds each package not already there (same name, version, architecture, pocket, component).
  void add(std::vector<BinaryPackage> packages);
  size_t size() const { return m_packages.size(); }
  // The binaries built from `source` at `source_version` in `pocket`, by name then architecture.
  std::vector<const BinaryPackage*> built_from(std::string_view source, std::string_view source_version,
                                               Pocket pocket) const;
  // Every published version of binary `name` (any pocket).
  std::vector<const BinaryPackage*> versions_of(std::string_view name) const;

private:
  // Package indexes by a hash of a key: open addressing over `slots` (hash, first index + 1),
  // and per package the next index + 1 with the same hash. A release's pockets hold some
  // 240,000 packages; node-based maps keyed by strings spent most of add() in allocations and
  // cache misses. Lookups compare the real fields, so a hash collision only lengthens a chain.
  struct HashChains {
    std::vector<std::pair<uint64_t, size_t>> slots; // size a power of two, at most half full
    std::vector<size_t> next;
    size_t used = 0;
    size_t first(uint64_t hash) const;     // 0: none
    void add(uint64_t hash, size_t index); // index == next.size()
  };

  std::vector<BinaryPackage> m_packages;
  HashChains m_by_source;   // source name
  HashChains m_by_name;     // package name
  HashChains m_by_identity; // name, version, architecture, pocket, component
};

// Every pocket and component of `dist` (`focal`) for `architectures`; an `Architecture: all`
// package, which every binary-<arch> file lists, is kept once. Returns false when no Packages file was there at all; an
// unreadable or undecodable file throws kct::Error naming it.
bool load_packages(const std::string& mirror, const std::string& dist, const std::vector<std::string>& architectures,
                   ReleasePackages& out, std::vector<util::Diagnostic>& diagnostics);

} // namespace kct::archive
