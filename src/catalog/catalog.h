#pragma once
// Releases and kernels, loaded from a data file (data/catalog.yaml) so that opening a release
// or adding a kernel is a one-line data change, never a rebuild.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kct::catalog {

enum class ReleaseKind : uint8_t { release, variant, pseudo };

struct Release {
  std::string name;         // as written in status lines: `xenial`, `trusty/esm`, `upstream`
  std::string version;      // "16.04"; empty for pseudo-releases
  std::string base;         // the release a variant belongs to; empty otherwise
  std::string variant_kind; // "esm" or "overlay" for variants
  ReleaseKind kind = ReleaseKind::release;
  bool lts = false;
  bool eol = false;
  bool devel = false;
  int64_t line = 0; // where the catalog defines it, for messages
};

struct Kernel {
  std::string release;
  std::string source;
  std::string derived_from_release; // empty for a kernel that derives from nothing
  std::string derived_from_source;
  bool backport = false;
};

using ReleaseId = uint16_t;
inline constexpr ReleaseId k_no_release = UINT16_MAX;

class Catalog {
public:
  Catalog() = default;
  // One catalog per run, passed by reference; copying it is always a mistake.
  Catalog(Catalog&&) = default;
  Catalog& operator=(Catalog&&) = default;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Throws kct::Error naming `path:line:col` and what was expected.
  static Catalog load_file(const std::string& path);
  static Catalog load_text(std::string_view text, const std::string& path);

  // Releases in tracker order (each release followed by its variants), then the pseudo-releases.
  const std::vector<Release>& releases() const { return m_releases; }
  const Release& release(ReleaseId id) const { return m_releases[id]; }
  std::optional<ReleaseId> find(std::string_view name) const;
  const Release* find_release(std::string_view name) const;

  // The development release (`focal`), or nullptr when none is open.
  const Release* devel_release() const;
  // `devel` maps to the development release; anything else to itself.
  std::string_view resolve_alias(std::string_view name) const;
  // The status-line keys check-syntax calls supported: live releases and variants, with the
  // development release written as `devel`.
  std::vector<std::string> supported_release_keys() const;
  bool is_live(std::string_view name) const;
  // The ESM variant that carries `release` once it is end of life (`trusty` → `trusty/esm`):
  // CVE files and report-pending-fixes use its name then. nullptr while the release is
  // supported, or when it has no live ESM.
  const Release* live_esm(std::string_view release) const;

  bool is_kernel_source(std::string_view package) const;
  const std::vector<std::string>& kernel_sources() const { return m_kernel_sources; }
  const std::vector<Kernel>& kernels() const { return m_kernels; }
  std::vector<const Kernel*> kernels_of(std::string_view release) const;
  bool is_product(std::string_view package) const;
  bool is_snap(std::string_view package) const;
  bool is_unpublished_kernel(std::string_view package, std::string_view release) const;

  const std::string& path() const { return m_path; }

private:
  friend class CatalogReader;
  std::string m_path;
  std::vector<Release> m_releases;
  std::unordered_map<std::string, ReleaseId> m_release_index;
  // Open-addressing table of release ids keyed by name: the parser looks up a release for
  // each of the 1.2 million status lines, so no string is built and no node chased per lookup.
  std::vector<ReleaseId> m_release_slots;
  void index_releases();
  std::vector<std::string> m_kernel_sources;
  std::vector<Kernel> m_kernels;
  std::vector<std::string> m_products;
  std::vector<std::string> m_snaps;
  std::vector<std::string> m_unpublished_kernels;
};

// $KCT_CATALOG if set, else the source tree's data/catalog.yaml when running from a build
// tree, else the installed copy.
std::string default_catalog_path();

} // namespace kct::catalog
