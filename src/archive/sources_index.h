#pragma once
// A mirror's apt `Sources` indices reduced to what check-syntax's archive map holds (uct §4.5):
// for each live release, each source package's highest published version and its component.
// Read from `<mirror>/dists/<dist><pocket>/<component>/source/Sources[.gz|.xz]`.
#include "catalog/catalog.h"
#include "util/diagnostic.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kct::archive {

enum class Pocket : uint8_t { release, updates, security, proposed };
inline constexpr std::string_view k_pocket_suffixes[] = {"", "-updates", "-security", "-proposed"};
inline constexpr std::string_view k_components[] = {"main", "restricted", "universe", "multiverse"};

struct PublishedSource {
  // Highest outside -proposed; the highest in -proposed only when the package is nowhere else,
  // since check-syntax's map leaves -proposed out (it loads the devel one on the side).
  std::string version;
  std::string component; // of that version
  bool proposed_only = false;
};

using ReleaseSources = std::unordered_map<std::string, PublishedSource>;

struct SourcesIndex {
  // By catalog release name (`focal`, `trusty/esm`). A release with no index file at all is
  // absent, which is not the same as present and empty.
  std::map<std::string, ReleaseSources, std::less<>> releases;
  std::vector<util::Diagnostic> diagnostics;
};

struct SourceStanza {
  std::string_view package;
  std::string_view version;
};

// The Package and Version of each deb822 paragraph of `text` (continuation lines ignored). A
// paragraph without one of them is an error diagnostic at `path:line` and is left out.
std::vector<SourceStanza> parse_sources(std::string_view text, const std::string& path,
                                        std::vector<util::Diagnostic>& diagnostics);

// Folds one index file's stanzas into `into`, keeping the highest version by dpkg order.
void merge_sources(const std::vector<SourceStanza>& stanzas, std::string_view component, Pocket pocket,
                   ReleaseSources& into);

// Every live release of the catalog except overlays (which source_map fills from supported
// lists, not Sources files). An ESM variant reads its base release's dists. Missing files are
// fine; an unreadable one throws kct::Error.
SourcesIndex load_sources_index(const std::string& mirror, const catalog::Catalog& catalog);

} // namespace kct::archive
