#include "compose/binaries.h"

#include "util/strings.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <set>

namespace kct::compose {

namespace {

constexpr std::string_view k_image = "linux-image-";

bool is_primary_arch(std::string_view arch) {
  return arch == "amd64" || arch == "i386" || arch == "all" || arch == "source";
}

std::string url_for(const BinaryOptions& options, std::string_view arch, std::string_view pool_path) {
  const std::string& base = is_primary_arch(arch) ? options.primary_base : options.ports_base;
  return fmt::format("{}/{}", base, pool_path);
}

} // namespace

bool meta_binary_matches(std::string_view binary, const std::string& release_version,
                         const std::vector<std::string>& kernels) {
  if (!util::starts_with(binary, k_image)) {
    return false;
  }
  std::string_view name = binary.substr(k_image.size());
  if (name.ends_with("-edge")) {
    return false; // an edge kernel's, which gets no notice
  }
  for (std::string_view marker : {"-hwe-", "-lts-"}) {
    size_t at = name.rfind(marker);
    if (at == std::string_view::npos) {
      continue;
    }
    std::string_view target = name.substr(at + marker.size());
    bool is_version = !target.empty() && std::isdigit(static_cast<unsigned char>(target[0]));
    if (is_version) {
      return target == release_version; // -hwe-18.04 in bionic, not -hwe-16.04
    }
    // -lts-xenial: the backport kernel linux-lts-xenial, when this notice carries it.
    return std::find(kernels.begin(), kernels.end(), "linux-lts-" + std::string(target)) != kernels.end();
  }
  return true;
}

void ReleaseBinaries::add_kernel(const archive::ReleaseArchive& archive, const PublishedKernel& kernel,
                                 const kernels::KernelTable& table, const BinaryOptions& options,
                                 std::vector<std::string>& warnings) {
  m_with_urls = options.with_urls;
  struct Part {
    const std::string& source;
    const std::string& version;
    bool meta;
    bool is_signed;
  };
  for (const Part& part : {Part{kernel.kernel, kernel.version, false, false},
                           Part{kernel.signed_source, kernel.signed_version, false, true},
                           Part{kernel.meta, kernel.meta_version, true, false}}) {
    if (part.source.empty()) {
      continue;
    }
    std::vector<const archive::BinaryPackage*> built =
        archive.packages().built_from(part.source, part.version, options.pocket);
    if (built.empty()) {
      warnings.push_back(fmt::format("{} {}: no binary packages published in the {} pocket", part.source, part.version,
                                     archive::pocket_name(options.pocket)));
    }
    for (const archive::BinaryPackage* b : built) {
      if (options.with_urls) {
        usn::UrlEntry url;
        url.md5 = b->md5;
        url.size = b->size;
        auto& urls = m_archs[b->architecture].urls;
        if (!urls) {
          urls.emplace();
        }
        urls->emplace(url_for(options, b->architecture, b->filename), std::move(url));
      }
      if (!table.keep_binary(b->name)) {
        continue;
      }
      Kept kept;
      kept.entry.version = b->version;
      if (!options.pocket_label.empty()) {
        kept.entry.pocket = options.pocket_label;
      }
      if (options.with_source) {
        kept.entry.source = b->source;
      }
      kept.from_meta = part.meta;
      // An image the signed source also builds is published as the signed one's.
      if (part.is_signed) {
        m_kept.insert_or_assign(b->name, std::move(kept));
      } else {
        m_kept.emplace(b->name, std::move(kept));
      }
    }
    if (options.with_urls) {
      if (const archive::SourcePackage* src = archive.source_version(part.source, part.version)) {
        auto& urls = m_archs["source"].urls;
        if (!urls) {
          urls.emplace();
        }
        for (const archive::SourceFile& f : src->files) {
          usn::UrlEntry url;
          url.md5 = f.md5;
          url.size = f.size;
          urls->emplace(url_for(options, "source", src->directory + "/" + f.name), std::move(url));
        }
      }
    }
  }
}

void ReleaseBinaries::finish(usn::Release& out, const std::string& release_version,
                             const std::vector<std::string>& kernels) const {
  auto& binaries = out.binaries.emplace();
  auto& allbinaries = out.allbinaries.emplace();
  for (const auto& [name, kept] : m_kept) {
    allbinaries.emplace(name, kept.entry);
    if (kept.from_meta && !meta_binary_matches(name, release_version, kernels)) {
      continue;
    }
    usn::BinaryEntry entry = kept.entry;
    entry.source.reset(); // binaries never carry it in the published layout
    binaries.emplace(name, std::move(entry));
  }
  if (m_with_urls && !m_archs.empty()) {
    out.archs = m_archs;
  }
}

} // namespace kct::compose
