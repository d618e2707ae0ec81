#include "tracker/check_archive.h"

#include "debver/version.h"
#include "util/strings.h"

#include <algorithm>
#include <fmt/format.h>

namespace kct::tracker {

ArchiveRules::ArchiveRules(const catalog::Catalog& catalog, const ArchiveMap& archive, bool check_versions,
                           const TrackedFile& tf, std::vector<util::Diagnostic>& out,
                           std::vector<util::Diagnostic>& once)
    : m_catalog(catalog), m_archive(archive), m_check_versions(check_versions), m_tf(tf), m_file(tf.file), m_out(out),
      m_once(once) {}

void ArchiveRules::add(std::vector<util::Diagnostic>& to, uint32_t line, std::string message, util::Severity s) {
  to.push_back(util::Diagnostic{m_file.path(), static_cast<int64_t>(line) + 1, 1, s, std::move(message)});
}

bool ArchiveRules::in_any_release(std::string_view package) const {
  return std::any_of(m_archive.releases.begin(), m_archive.releases.end(),
                     [&](const auto& r) { return m_archive.published(r.first, package); });
}

// §4.3. The third condition (the supported lists of partially supported and overlay releases)
// is not applied: kct has no such lists, so a main or restricted package counts as supported
// in an ESM variant as in its base release.
bool ArchiveRules::is_supported(std::string_view package, std::string_view release) const {
  const ArchivePackage* p = m_archive.find(release, package);
  if (p == nullptr || p->proposed_only || (p->component != "main" && p->component != "restricted")) {
    return false;
  }
  // Only the package-level tag key counts, not `<pkg>_<release>`.
  return std::none_of(m_file.tags().begin(), m_file.tags().end(), [&](const TagEntry& t) {
    std::string_view tag = m_file.view(t.tag);
    return m_file.view(t.key) == package && (tag == "universe-binary" || tag == "not-ue");
  });
}

void ArchiveRules::check_dne(const StatusEntry& e) {
  std::string_view release = m_catalog.resolve_alias(m_file.view(e.release_text));
  std::string_view pkg = m_file.view(e.package);
  if (m_archive.published(release, pkg)) {
    add(m_out, e.line,
        fmt::format("{}_{}: package '{}' DOES exist in {}", m_file.view(e.release_text), pkg, pkg, release),
        util::Severity::error);
  }
}

void ArchiveRules::check_entry(const StatusEntry& e) {
  std::string_view rel = m_file.view(e.release_text);
  std::string_view release = m_catalog.resolve_alias(rel);
  std::string_view pkg = m_file.view(e.package);
  if (!m_archive.has_release(release)) {
    return; // no index for it in the mirror (the loader warned): nothing to judge by
  }
  bool active = m_tf.directory == Directory::active;
  const ArchivePackage* found = m_archive.find(release, pkg);
  bool here = found != nullptr && !found->proposed_only;
  if (!here) {
    bool unpublished = m_catalog.is_unpublished_kernel(pkg, release);
    if (!in_any_release(pkg)) { // 6g
      if (active && !util::starts_with(pkg, "linux-lts-") && !unpublished) {
        add(m_out, e.line, fmt::format("{}_{}: unknown package '{}'", rel, pkg, pkg), util::Severity::error);
      }
      return;
    }
    const catalog::Release* devel = m_catalog.devel_release();
    bool devel_proposed = found != nullptr && devel != nullptr && release == devel->name;
    if (active && !unpublished && !devel_proposed) { // 6h; a devel -proposed-only one is fine
      add(m_out, e.line, fmt::format("{}_{}: package '{}' not in {}", rel, pkg, pkg, release), util::Severity::error);
      return;
    }
  }
  check_version(e, release, here ? found : nullptr);
  if (here && active && m_catalog.is_unpublished_kernel(pkg, release)) { // 6j
    add(m_once, e.line,
        fmt::format("{} in {} is now published; please remove it from the catalog's unpublished-kernels", pkg, release),
        util::Severity::warning);
  }
  if (e.state != State::released && e.state != State::not_affected && is_supported(pkg, release)) { // 6k
    m_open_supported.push_back(fmt::format("{}/{}", pkg, release));
  }
}

// 6i, only with --check-versions (check-syntax's -s).
void ArchiveRules::check_version(const StatusEntry& e, std::string_view release, const ArchivePackage* published) {
  std::string_view released = util::strip(m_file.view(e.details));
  if (!m_check_versions || e.state != State::released || released.empty()) {
    return;
  }
  if (published == nullptr) { // the ESM case: packages the mirror does not carry
    add(m_once, e.line,
        fmt::format("archive version unknown for released packages in {}; their versions are not compared", release),
        util::Severity::warning);
    return;
  }
  if (debver::compare(released, published->version) > 0) {
    add(m_out, e.line,
        fmt::format("{} has {} > {} (in {})", m_file.view(e.package), released, published->version, release),
        util::Severity::error);
  }
}

void ArchiveRules::check_priority() {
  if (m_open_supported.empty() || (m_tf.directory != Directory::active && m_tf.directory != Directory::embargoed)) {
    return;
  }
  const Field* priority = m_file.field("Priority");
  std::string_view value = priority ? util::strip(m_file.view(priority->value)) : std::string_view();
  if (is_real_priority(value)) {
    return;
  }
  std::string list;
  for (const std::string& p : m_open_supported) {
    list += list.empty() ? "" : ", ";
    list += p;
  }
  add(m_out, priority ? priority->line : 0, fmt::format("Priority missing with supported packages ({})", list),
      util::Severity::error);
}

} // namespace kct::tracker
