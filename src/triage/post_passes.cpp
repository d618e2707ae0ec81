#include "triage/post_passes.h"

#include <fmt/format.h>

namespace kct::triage {

PostPasses::PostPasses(std::vector<ScanTarget> targets,
                       const std::unordered_map<std::string, PublishedVersions>& published, std::string devel, bool esm)
    : m_targets(std::move(targets)), m_devel(std::move(devel)), m_esm(esm) {
  m_pockets.resize(m_targets.size());
  m_metaonly.resize(m_targets.size());
  for (size_t i = 0; i < m_targets.size(); ++i) {
    const ScanTarget& t = m_targets[i];
    auto own = published.find(t.name());
    if (t.mark_pockets) {
      if (own != published.end() && own->second.pockets) {
        m_pockets[i] = own->second.pockets;
      } else {
        m_missing.push_back(fmt::format("{}: mark-pockets without cve-pockets data", t.name()));
      }
    }
    if (!t.metaonly_link.empty()) {
      auto linked = published.find(t.metaonly_link);
      if (own != published.end() && linked != published.end()) {
        m_metaonly[i] = build_metaonly_map(linked->second.versions, own->second.versions);
      } else {
        m_missing.push_back(fmt::format("{}: metaonly-link:{} without the published versions of both kernels", t.name(),
                                        t.metaonly_link));
      }
    }
  }
}

std::vector<LineChange> PostPasses::apply(tracker::CveFile& file, const catalog::Catalog& catalog,
                                          const std::string& cve_path, bool retired) const {
  enum class Pass { metaonly, pockets, esm, ignored };
  std::vector<LineChange> changes;
  WriteBackOptions options{m_devel, retired, true};
  for (Pass pass : {Pass::metaonly, Pass::pockets, Pass::esm, Pass::ignored}) {
    // One pass sees the file as the previous pass left it, as UPDATE's pipeline does.
    std::vector<EngineResult> results;
    for (size_t i = 0; i < m_targets.size(); ++i) {
      const ScanTarget& t = m_targets[i];
      std::optional<EngineResult> r;
      switch (pass) {
      case Pass::metaonly:
        r = m_metaonly[i] ? mark_metaonly(file, cve_path, t, *m_metaonly[i], m_devel) : std::nullopt;
        break;
      case Pass::pockets: r = mark_pockets(file, cve_path, t, m_pockets[i], m_devel); break;
      case Pass::esm: r = m_esm ? mark_esm(file, cve_path, t, m_devel) : std::nullopt; break;
      case Pass::ignored: r = mark_ignored(file, cve_path, t, m_devel); break;
      }
      if (r) {
        results.push_back(std::move(*r));
      }
    }
    if (results.empty()) {
      continue;
    }
    std::vector<LineChange> made = write_back(file, catalog, results, options);
    changes.insert(changes.end(), made.begin(), made.end());
  }
  return changes;
}

} // namespace kct::triage
