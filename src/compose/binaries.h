#pragma once
// A notice's binaries, all-binaries and download URLs for one release, from the archive view:
// every package built from each kernel, its signed and its meta source at the published
// versions; kernel images by the kernel table's filter (uct doc §5.6); meta image packages
// pruned of transitional packages for other releases and edge kernels (the workflow page's
// "Prune the binary meta packages").
#include "archive/archive_view.h"
#include "kernels/kernel_table.h"
#include "usn/notice.h"

#include <map>
#include <string>
#include <vector>

namespace kct::compose {

// One kernel's sources as published in the pocket being composed from.
struct PublishedKernel {
  std::string kernel; // linux-aws
  std::string version;
  std::string signed_source; // "" when the kernel is unsigned
  std::string signed_version;
  std::string meta; // "" when no meta is published for this ABI
  std::string meta_version;
};

struct BinaryOptions {
  archive::Pocket pocket = archive::Pocket::security;
  std::string pocket_label; // `pocket` of each binary entry; "" to leave it out
  bool with_source = true;  // `source` of each all-binaries entry
  bool with_urls = true;    // archs.*.urls (left out for ESM, whose archive is private)
  std::string primary_base = "http://security.ubuntu.com/ubuntu"; // amd64, i386, all, source
  std::string ports_base = "http://ports.ubuntu.com";             // every other architecture
};

class ReleaseBinaries {
public:
  // Adds what the kernel's three sources built. Warnings name what the pocket lacks.
  void add_kernel(const archive::ReleaseArchive& archive, const PublishedKernel& kernel,
                  const kernels::KernelTable& table, const BinaryOptions& options, std::vector<std::string>& warnings);
  // Fills the notice release: allbinaries as filtered, binaries with meta packages pruned.
  // `release_version` is the catalog's "18.04"; `kernels` every kernel of the release in the
  // notice.
  void finish(usn::Release& out, const std::string& release_version, const std::vector<std::string>& kernels) const;

private:
  struct Kept {
    usn::BinaryEntry entry;
    bool from_meta = false;
  };
  std::map<std::string, Kept> m_kept; // filtered image packages by name
  std::map<std::string, usn::ArchEntry> m_archs;
  bool m_with_urls = true;
};

// Whether meta image package `binary` (linux-image-generic-hwe-18.04) belongs in the notice's
// binaries: not an edge kernel's (`-edge`), and a `-hwe-<version>` / `-lts-<version>` suffix
// naming this release's version, a `-lts-<codename>` suffix naming a linux-lts-<codename>
// kernel of the notice. Other names (linux-image-generic, linux-image-gke-4.15,
// linux-image-aws-hwe) stay. This is the pruning the published notices show: transitional
// packages for other releases and edge kernels go.
bool meta_binary_matches(std::string_view binary, const std::string& release_version,
                         const std::vector<std::string>& kernels);

} // namespace kct::compose
