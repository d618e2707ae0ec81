#pragma once
// The kernel facts of the notice workflow, kept as data (data/kernel-usn.yaml) rather than in
// code the way cve_lib and sis-generate-usn keep them: the MetaKernelTable (uct doc §5.2: which
// kernels each release publishes, with their meta and signed sources and the edge/ignore
// flags), the meta-ABI glitches and alternates (§5.4), and the names, descriptions, binary
// filter and LTS list that notice composition uses (§5.6). Releasing a kernel is then a
// one-line data change, never a rebuild.
#include "catalog/catalog.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kct::kernels {

// One (release, kernel) line of the MetaKernelTable.
struct MetaKernel {
  std::string release;              // plain codename: `xenial`
  std::vector<std::string> sources; // primary first, then subordinates
  std::string meta;                 // linux-meta-FOO unless the line says otherwise
  std::string signed_source;        // empty when the kernel is unsigned
  bool ignore_usn = false;
  bool ignore_mabi = false;
  bool edge = false; // an edge kernel; both ignore flags are then set
  int line = 0;      // where the data file defines it, for messages
};

class KernelTable {
public:
  // Parses the YAML text; throws kct::Error `path:line:col: error: …` for a malformed entry, a
  // kernel listed twice for a release, an unknown key, or a non-`linux*` source name.
  static KernelTable parse(const std::string& text, const std::string& path);
  static KernelTable load_file(const std::string& path);

  // In file order.
  const std::vector<MetaKernel>& entries() const { return m_entries; }
  // The entry of `release` whose sources contain `source`, or nullptr. A variant name
  // (`trusty/esm`) that has no entry of its own is looked up under its base codename.
  const MetaKernel* find(std::string_view release, std::string_view source) const;

  // §5.4 ignore_kernel_mabi: the (release, source) entry has ignore-mabi, or `meta_version`
  // is one of the meta's mabi-glitches for the release.
  bool ignore_kernel_mabi(std::string_view source, std::string_view meta, std::string_view release,
                          std::string_view meta_version) const;
  // The kernel whose ABI may satisfy `meta` instead of its own (§5.4 kernel_mabi_alt_pkg).
  std::optional<std::string> mabi_alternate(std::string_view meta) const;

  // The kernel's name in notice titles ("Linux kernel (AWS)"); "XXX Unknown kernel" when the
  // table has none (§5.6), so the operator sees it in the draft.
  std::string pretty_name(std::string_view source) const;
  bool has_pretty_name(std::string_view source) const;
  // The one-line source description a notice carries for the kernel.
  std::optional<std::string> description(std::string_view source) const;

  // Whether binary package `binary` belongs in a kernel notice (§5.6 filter): `linux-image-`
  // followed by a digit or a listed flavour, and not a -dbg/-dbgsym package.
  bool keep_binary(std::string_view binary) const;
  // linux-lts-* and linux-hwe: their follow-up notices carry the HWE paragraph.
  bool is_lts_kernel(std::string_view source) const;

  // §5.2 consistency_check: `release/kernel` of each entry whose primary kernel is not one of
  // the catalog's kernel sources (subordinates are module packages, not kernels).
  std::vector<std::string> unknown_sources(const catalog::Catalog& catalog) const;

private:
  friend class KernelTableReader;
  std::vector<MetaKernel> m_entries;
  std::map<std::string, std::map<std::string, std::vector<std::string>, std::less<>>, std::less<>> m_mabi_glitches;
  std::map<std::string, std::string, std::less<>> m_mabi_alternates;
  std::map<std::string, std::string, std::less<>> m_pretty_names; // a key may end in '*'
  std::map<std::string, std::string, std::less<>> m_descriptions;
  std::vector<std::string> m_binary_flavours;
  std::vector<std::string> m_lts_kernels; // a pattern may end in '*'
};

inline constexpr const char* k_unknown_kernel_name = "XXX Unknown kernel";

// linux -> linux-meta, linux-FOO -> linux-meta-FOO (§5.1); throws kct::Error for a name that is
// not `linux` or `linux-…`.
std::string meta_name(std::string_view source);
// linux -> linux-signed, linux-FOO -> linux-signed-FOO; throws like meta_name().
std::string signed_name(std::string_view source);

// data/kernel-usn.yaml beside the catalog (KCT_KERNEL_TABLE overrides).
std::string default_kernel_table_path();

} // namespace kct::kernels
