#include "archive/sources_index.h"

#include "archive/compressed_file.h"
#include "archive/deb822.h"
#include "debver/version.h"
#include "util/strings.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::archive {

namespace {

// All pockets and components of one dists name (`trusty`); false when no file was there.
bool load_dist(const std::string& mirror, const std::string& dist, ReleaseSources& out,
               std::vector<util::Diagnostic>& diagnostics) {
  bool found = false;
  for (size_t pocket = 0; pocket < std::size(k_pocket_suffixes); ++pocket) {
    for (std::string_view component : k_components) {
      std::filesystem::path dir = std::filesystem::path(mirror) / "dists" /
                                  (dist + std::string(k_pocket_suffixes[pocket])) / std::string(component) / "source";
      std::string path = find_index_file(dir.string(), "Sources");
      if (path.empty()) {
        continue;
      }
      found = true;
      std::string text = read_compressed_file(path);
      merge_sources(parse_sources(text, path, diagnostics), component, static_cast<Pocket>(pocket), out);
    }
  }
  return found;
}

} // namespace

std::vector<SourceStanza> parse_sources(std::string_view text, const std::string& path,
                                        std::vector<util::Diagnostic>& diagnostics) {
  std::vector<SourceStanza> out;
  for_each_paragraph(text, path, "Sources", diagnostics, [&](const Deb822Paragraph& p) {
    std::string_view package = p.get("Package");
    std::string_view version = p.get("Version");
    if (package.empty() || version.empty()) {
      const char* missing = package.empty() ? "Package" : "Version";
      diagnostics.push_back(util::Diagnostic{path, p.line, 1, util::Severity::error,
                                             fmt::format("Sources paragraph without a {} field; skipped", missing)});
      return;
    }
    out.push_back(SourceStanza{package, version});
  });
  return out;
}

void merge_sources(const std::vector<SourceStanza>& stanzas, std::string_view component, Pocket pocket,
                   ReleaseSources& into) {
  bool proposed = pocket == Pocket::proposed;
  for (const SourceStanza& s : stanzas) {
    auto [it, added] = into.try_emplace(std::string(s.package));
    PublishedSource& p = it->second;
    // A -proposed version never replaces one from another pocket; any other pocket replaces a
    // -proposed one.
    bool replace = added || (p.proposed_only && !proposed) ||
                   (p.proposed_only == proposed && debver::compare(s.version, p.version) > 0);
    if (replace) {
      p.version = std::string(s.version);
      p.component = std::string(component);
      p.proposed_only = proposed;
    }
  }
}

SourcesIndex load_sources_index(const std::string& mirror, const catalog::Catalog& catalog) {
  SourcesIndex index;
  std::map<std::string, ReleaseSources, std::less<>> by_dist; // an ESM variant and its base share one read
  for (const catalog::Release& r : catalog.releases()) {
    if (r.kind == catalog::ReleaseKind::pseudo || r.eol || r.variant_kind == "overlay") {
      continue;
    }
    std::string dist = r.kind == catalog::ReleaseKind::variant ? r.base : r.name;
    auto cached = by_dist.find(dist);
    if (cached == by_dist.end()) {
      ReleaseSources sources;
      if (!load_dist(mirror, dist, sources, index.diagnostics)) {
        index.diagnostics.push_back(
            util::Diagnostic{(std::filesystem::path(mirror) / "dists" / dist).string(), 0, 0, util::Severity::warning,
                             fmt::format("no Sources index for {}; the archive rules skip its entries", r.name)});
        continue;
      }
      cached = by_dist.emplace(dist, std::move(sources)).first;
    }
    index.releases.emplace(r.name, cached->second);
  }
  return index;
}

} // namespace kct::archive
