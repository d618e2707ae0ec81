#pragma once
// What the archive publishes, per release (dists name) and pocket: every source package with
// its files, every binary package with the source it came from, its pool file, size and
// checksums. Read from apt indices (Sources, Packages; plain, .xz or .gz) of a mirror directory,
// an HTTP(S) base URL or a Launchpad PPA, it replaces the Launchpad publication queries of
// sis-changes (uct doc §10.7) for sign-off, kernel-abi-check and notice composition.
#include "archive/packages_index.h"
#include "archive/sources_index.h"
#include "util/diagnostic.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kct::archive {

// Where the indices are: the directory or URL that holds `dists/` and `pool/`.
struct ArchiveLocation {
  std::string base;  // a directory path, or an http:// or https:// URL, without a trailing '/'
  std::string label; // for messages: the spec as the user wrote it
  bool ppa = false;  // a Launchpad PPA: only the release pocket and `main` are there
  bool remote() const;

  // `spec` is a directory, an http(s) URL, or `ppa:OWNER/NAME` (also written `OWNER/NAME`),
  // which becomes `<ppa_base>/OWNER/NAME/ubuntu` (Launchpad's PPA layout). Throws kct::Error for
  // an empty spec or a PPA spec that is not OWNER/NAME.
  // `OWNER/NAME` is a PPA only when no such directory exists; any other spec is a directory,
  // existing or not. `ubuntu` (or `ppa:ubuntu`) throws: the primary archive is not a PPA.
  static ArchiveLocation parse(std::string_view spec, std::string_view ppa_base = k_default_ppa_base);
  static constexpr std::string_view k_default_ppa_base = "https://ppa.launchpadcontent.net";
};

struct SourceFile {
  std::string name; // file name within `directory`
  int64_t size = 0;
  std::string md5;
};

struct SourcePackage {
  std::string name;
  std::string version;
  std::string directory; // pool directory relative to the archive root (`pool/main/l/linux`)
  std::string component;
  Pocket pocket = Pocket::release;
  std::vector<SourceFile> files;     // from `Files:` (md5 size name)
  std::vector<std::string> binaries; // from `Binary:`
};

// One Sources file's paragraphs in full (the multi-line Files field included). A paragraph
// without Package, Version or Directory, or with a malformed Files line, is an error
// diagnostic at `path:line` and is left out.
std::vector<SourcePackage> parse_source_packages(std::string_view text, const std::string& path,
                                                 std::string_view component, Pocket pocket,
                                                 std::vector<util::Diagnostic>& diagnostics);

// One dists name (`xenial`): its sources and binaries across pockets, components and
// architectures.
class ReleaseArchive {
public:
  void add_sources(std::vector<SourcePackage> sources);
  ReleasePackages& packages() { return m_packages; }
  const ReleasePackages& packages() const { return m_packages; }

  // The highest version of source `name` published in `pocket`, or nullptr.
  const SourcePackage* source(std::string_view name, Pocket pocket) const;
  // Source `name` at exactly `version` in any pocket (the highest pocket wins: security over
  // updates over release; proposed last), or nullptr.
  const SourcePackage* source_version(std::string_view name, std::string_view version) const;
  // The lowest version of source `name` published outside -proposed (what users ever got), or
  // nullptr: report-latest-usn-version's answer for a kernel no notice names yet.
  const SourcePackage* earliest_published(std::string_view name) const;
  // Every publication of source `name`, in no particular order.
  std::vector<const SourcePackage*> sources_named(std::string_view name) const;
  size_t source_count() const { return m_sources.size(); }

private:
  std::vector<SourcePackage> m_sources;
  std::unordered_map<std::string, std::vector<size_t>> m_by_name;
  ReleasePackages m_packages;
};

struct LoadOptions {
  // Pockets to read; all four by default.
  std::vector<Pocket> pockets = {Pocket::release, Pocket::updates, Pocket::security, Pocket::proposed};
  // Architectures whose Packages are read. Empty: those the pocket's `Release` file lists
  // (`Architectures:`), else the binary-* directories present (a mirror directory), else
  // amd64 i386 armhf arm64 ppc64el s390x powerpc.
  // Components likewise come from `Components:`, else k_components (`main` for a PPA). Over
  // HTTP, where directories cannot be listed, a pocket without a Release file is taken to be
  // absent, as apt does; in a mirror directory its index files are looked for anyway.
  std::vector<std::string> architectures;
  bool binaries = true; // false: read Sources only (cheaper, for version look-ups)
  // Pockets whose Packages are read; empty: every pocket read. Composing a notice needs the
  // binaries of one pocket but the sources of all (to say where a version is instead).
  std::vector<Pocket> binary_pockets;
};

// Indices of one location, loaded once per dists name and kept.
class ArchiveView {
public:
  explicit ArchiveView(ArchiveLocation location, LoadOptions options = {});
  ~ArchiveView();
  ArchiveView(ArchiveView&&) noexcept;
  ArchiveView& operator=(ArchiveView&&) noexcept;

  const ArchiveLocation& location() const { return m_location; }

  // The release's indices, loading them on first use. Throws kct::Error naming the location
  // and dists name when no index at all exists for it (an unknown release, a wrong URL), and
  // naming the file for one that cannot be read or decompressed. Malformed paragraphs are
  // diagnostics (see diagnostics()), not exceptions.
  const ReleaseArchive& release(const std::string& dist);
  // Whether any index of `dist` exists, without throwing.
  bool has_release(const std::string& dist);

  const std::vector<util::Diagnostic>& diagnostics() const { return m_diagnostics; }

private:
  ArchiveLocation m_location;
  LoadOptions m_options;
  std::unordered_map<std::string, std::unique_ptr<ReleaseArchive>> m_releases;
  std::vector<util::Diagnostic> m_diagnostics;
};

// The bytes of `relative` (e.g. `dists/xenial-security/main/source/Sources`) under
// `location`, trying `.xz`, `.gz` then the plain name and decompressing; nullopt when none of
// them exists (404 over HTTP). Other failures throw kct::Error naming the file or URL.
// (A mirror directory is tried plain, `.gz`, then `.xz`: the contents are the same, and the
// cheapest to decode is read.)
std::optional<std::string> fetch_index(const ArchiveLocation& location, const std::string& relative);

std::string_view pocket_name(Pocket pocket); // "release", "updates", "security", "proposed"
// "Security" / "security" / "Proposed" …; nullopt for anything else.
std::optional<Pocket> parse_pocket(std::string_view text);

} // namespace kct::archive
