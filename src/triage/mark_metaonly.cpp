// metaonly-link (§1.11.4): a meta-only kernel K (e.g. linux-azure-fde) has no tree of its own;
// it ships the kernel L it links to (linux-azure) under its own versions. Its lines are L's,
// with each version of L translated into the first version of K that carries it.
#include "triage/post_passes.h"

#include "debver/version.h"
#include "triage/status_text.h"

namespace kct::triage {

MetaonlyMap build_metaonly_map(const std::vector<std::string>& linked_versions,
                               const std::vector<std::string>& own_versions) {
  MetaonlyMap map;
  for (const std::string& v : linked_versions) {
    if (debver::invalid_reason(v)) {
      continue; // the published-versions reader has already reported it
    }
    // The first in list order: the versions files are ascending, but a manual addition is
    // appended after them.
    for (size_t i = 0; i < own_versions.size(); ++i) {
      if (!debver::invalid_reason(own_versions[i]) && debver::compare(own_versions[i], v) >= 0) {
        map[v] = MetaonlyVersion{own_versions[i], i == 0};
        break;
      }
    }
  }
  return map;
}

std::optional<EngineResult> mark_metaonly(const tracker::CveFile& file, const std::string& cve_path,
                                          const ScanTarget& target, const MetaonlyMap& map, std::string_view devel) {
  size_t underscore = target.metaonly_link.find('_');
  if (underscore == std::string::npos) {
    return std::nullopt;
  }
  std::string_view link(target.metaonly_link);
  std::string_view linked_release = line_release(link.substr(0, underscore), devel);
  std::string_view linked_source = link.substr(underscore + 1);
  std::string_view release = line_release(target.key, devel);
  std::optional<StatusText> linked = find_status_text(file, linked_release, linked_source);
  if (!linked || !find_status_text(file, release, target.source)) {
    return std::nullopt;
  }
  std::string state(linked->state);
  if (state != "pending" && state != "needed" && state != "released" && state != "not-affected") {
    return std::nullopt;
  }
  std::string note(linked->note);
  // A version note names one of L's versions; any other note (a human's) is copied as it is
  // and then kept or not by the write-back's rules for K's line.
  if (!note.empty() && !debver::invalid_reason(note)) {
    auto mapped = map.find(note);
    if (mapped == map.end()) {
      return std::nullopt;
    }
    note = mapped->second.version;
    // Fixed in L before K's first upload: K never shipped without the fix.
    if (state == "released" && mapped->second.first) {
      state = "not-affected";
    }
  }
  return EngineResult{cve_path, std::string(release), target.source, "-", state, note.empty() ? "-" : note};
}

} // namespace kct::triage
