#include "workflow/abi_check.h"

#include "debver/kernel_abi.h"
#include "debver/version.h"
#include "util/error.h"
#include "workflow/last_usn_version.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace kct::workflow {

namespace {

using archive::Pocket;

std::string published(const archive::ReleaseArchive& archive, std::string_view name, Pocket pocket) {
  const archive::SourcePackage* package = archive.source(name, pocket);
  return package != nullptr ? package->version : k_not_published;
}

std::string dists_name(const std::string& release, Pocket pocket) {
  return release + std::string(archive::k_pocket_suffixes[static_cast<size_t>(pocket)]);
}

// "linux 4.4.0-170.199 (ABI 170)", "linux-meta 0.0.0.0 (DNE)", "linux 4.4 (ABI ?)".
std::string describe(std::string_view name, std::string_view version, std::optional<long long> abi) {
  if (version == k_not_published) {
    return fmt::format("{} {} (DNE)", name, version);
  }
  return abi ? fmt::format("{} {} (ABI {})", name, version, *abi) : fmt::format("{} {} (ABI ?)", name, version);
}

bool same_abi(std::optional<long long> a, std::optional<long long> b) {
  return a && b && *a == *b;
}

class Checker {
public:
  Checker(const AbiCheckInputs& inputs, const AbiCheckOptions& options) : m_in(inputs), m_options(options) {}

  AbiCheckReport run() {
    for (const kernels::MetaKernel& entry : m_in.kernels.entries()) {
      if (selected(entry)) {
        check_entry(entry);
      }
    }
    return std::move(m_report);
  }

private:
  // Live, non-ESM releases only; with kernel names, the entries listing one of them.
  bool selected(const kernels::MetaKernel& entry) const {
    const catalog::Release* release = m_in.catalog.find_release(entry.release);
    if (release == nullptr || release->kind != catalog::ReleaseKind::release || release->eol) {
      return false;
    }
    const std::vector<std::string>& wanted = m_options.kernels;
    return wanted.empty() || std::any_of(entry.sources.begin(), entry.sources.end(), [&](const std::string& s) {
             return std::find(wanted.begin(), wanted.end(), s) != wanted.end();
           });
  }

  void check_entry(const kernels::MetaKernel& entry) {
    if (!m_in.archive.has_release(entry.release)) {
      if (!m_missing.insert(entry.release).second) {
        return; // said once per release
      }
      add({.kind = CheckKind::archive,
           .ok = false,
           .release = entry.release,
           .text = fmt::format("FAIL: no archive indices for {} in {}; its kernels were not checked", entry.release,
                               m_in.archive.location().label)});
      return;
    }
    const archive::ReleaseArchive& archive = m_in.archive.release(entry.release);
    if (!m_options.ignore_usn) {
      check_usn(entry, archive);
    }
    if (m_options.ignore_abi) {
      return;
    }
    std::vector<Pocket> pockets = {Pocket::updates, Pocket::security};
    if (m_options.add_proposed) {
      pockets.push_back(Pocket::proposed);
    }
    for (Pocket pocket : pockets) {
      for (const std::string& source : entry.sources) {
        check_meta_abi(entry, archive, pocket, source);
      }
      if (!entry.signed_source.empty()) {
        check_signed_abi(entry, archive, pocket);
      }
    }
  }

  // A notice is needed when the -security (or -updates) version is newer than the last one a
  // notice fixed, unless the kernel is not published there or the entry ignores notices.
  void check_usn(const kernels::MetaKernel& entry, const archive::ReleaseArchive& archive) {
    const std::string& source = entry.sources.front();
    std::string version = published(archive, source, m_options.use_updates ? Pocket::updates : Pocket::security);
    std::optional<LastUsn> last = last_usn_version(*m_in.store, entry.release, source, m_in.glitches);
    const archive::SourcePackage* earliest = last ? nullptr : archive.earliest_published(source);
    std::string last_version = last ? last->version : earliest != nullptr ? earliest->version : k_not_published;
    bool needed = !entry.ignore_usn && version != k_not_published && debver::compare(version, last_version) > 0;
    std::string line = fmt::format("{}/{}: {} (last USN: {})", entry.release, source, version, last_version);
    add({.kind = CheckKind::usn,
         .ok = !needed,
         .release = entry.release,
         .source = source,
         .version = version,
         .against = "last USN",
         .against_version = last_version,
         .text = needed ? "USN needed: " + line : "ok: " + line + (entry.ignore_usn ? " [ignore-usn]" : "")});
  }

  void check_meta_abi(const kernels::MetaKernel& entry, const archive::ReleaseArchive& archive, Pocket pocket,
                      const std::string& source) {
    std::string version = published(archive, source, pocket);
    std::string meta_version = published(archive, entry.meta, pocket);
    if (version == k_not_published && meta_version == k_not_published) {
      return;
    }
    std::optional<long long> abi = debver::kernel_package_abi(version);
    std::optional<long long> meta_abi = debver::kernel_meta_abi(meta_version);
    std::string pair = describe(source, version, abi) + (same_abi(abi, meta_abi) ? " == " : " != ") +
                       describe(entry.meta, meta_version, meta_abi);
    CheckResult result{.kind = CheckKind::meta_abi,
                       .release = entry.release,
                       .pocket = std::string(pocket_suffix(pocket)),
                       .source = source,
                       .version = version,
                       .against = entry.meta,
                       .against_version = meta_version};
    std::string where = dists_name(entry.release, pocket);
    if (same_abi(abi, meta_abi)) {
      result.text = fmt::format("ok: {}: {}", where, pair);
    } else if (m_in.kernels.ignore_kernel_mabi(source, entry.meta, entry.release, meta_version)) {
      bool by_entry = entry.ignore_mabi;
      result.text = fmt::format("ok: {}: {}: ignored ({})", where, pair, by_entry ? "ignore-mabi" : "mabi-glitch");
    } else if (std::optional<std::string> alternate = m_in.kernels.mabi_alternate(entry.meta)) {
      std::string alt_version = published(archive, *alternate, pocket);
      std::optional<long long> alt_abi = debver::kernel_package_abi(alt_version);
      std::string alt = describe(*alternate, alt_version, alt_abi);
      result.ok = same_abi(alt_abi, meta_abi);
      result.text =
          result.ok ? fmt::format("ok: {}: {}; alternate {} ==", where, pair, alt)
                    : fmt::format("FAIL: ABI mismatch in {}: {}; alternate {} does not match either", where, pair, alt);
    } else {
      result.ok = false;
      result.text = fmt::format("FAIL: ABI mismatch in {}: {}", where, pair);
    }
    add(std::move(result));
  }

  // The signed package is built from the primary kernel, so their ABIs agree (edge kernels
  // included: ignore-mabi is about the meta package only).
  void check_signed_abi(const kernels::MetaKernel& entry, const archive::ReleaseArchive& archive, Pocket pocket) {
    const std::string& source = entry.sources.front();
    std::string version = published(archive, source, pocket);
    std::string signed_version = published(archive, entry.signed_source, pocket);
    if (version == k_not_published && signed_version == k_not_published) {
      return;
    }
    std::optional<long long> abi = debver::kernel_package_abi(version);
    std::optional<long long> signed_abi = debver::kernel_package_abi(signed_version);
    bool ok = same_abi(abi, signed_abi);
    std::string pair = describe(entry.signed_source, signed_version, signed_abi) + (ok ? " == " : " != ") +
                       describe(source, version, abi);
    std::string where = dists_name(entry.release, pocket);
    add({.kind = CheckKind::signed_abi,
         .ok = ok,
         .release = entry.release,
         .pocket = std::string(pocket_suffix(pocket)),
         .source = source,
         .version = version,
         .against = entry.signed_source,
         .against_version = signed_version,
         .text =
             ok ? fmt::format("ok: {}: {}", where, pair) : fmt::format("FAIL: ABI mismatch in {}: {}", where, pair)});
  }

  static std::string_view pocket_suffix(Pocket pocket) {
    return archive::k_pocket_suffixes[static_cast<size_t>(pocket)].substr(1); // "-updates" → "updates"
  }

  void add(CheckResult result) { m_report.results.push_back(std::move(result)); }

  const AbiCheckInputs& m_in;
  const AbiCheckOptions& m_options;
  AbiCheckReport m_report;
  std::set<std::string> m_missing; // releases the archive has no indices for
};

} // namespace

bool AbiCheckReport::failed() const {
  return std::any_of(results.begin(), results.end(), [](const CheckResult& r) { return !r.ok; });
}

std::vector<std::string> unknown_kernels(const kernels::KernelTable& table, const std::vector<std::string>& kernels) {
  std::vector<std::string> unknown;
  for (const std::string& name : kernels) {
    bool listed = std::any_of(table.entries().begin(), table.entries().end(), [&](const kernels::MetaKernel& e) {
      return std::find(e.sources.begin(), e.sources.end(), name) != e.sources.end();
    });
    if (!listed && std::find(unknown.begin(), unknown.end(), name) == unknown.end()) {
      unknown.push_back(name);
    }
  }
  return unknown;
}

AbiCheckReport kernel_abi_check(const AbiCheckInputs& inputs, const AbiCheckOptions& options) {
  if (inputs.store == nullptr && !options.ignore_usn) {
    throw Error("kernel-abi-check: the USN check needs a USN store (or --ignore-usn)");
  }
  return Checker(inputs, options).run();
}

} // namespace kct::workflow
