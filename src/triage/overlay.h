#pragma once
// The overlay of synthetic references, active/10autotriage.linux (§1.2.3). Two line forms:
//   <id> <id2> [<id3> …]                 wherever <id> is recorded, also record <id2>, <id3>…
//   :title('<exact subject>', ['<id>', …]) commits with exactly that subject count as the ids
// `#` starts a comment; blank lines are ignored; `:unpublished_version(...)` is accepted and
// does nothing, as in the original. The `:` forms are parsed as Python literals, never executed.
#include "util/diagnostic.h"

#include <string>
#include <string_view>
#include <vector>

namespace kct::triage {

struct OverlayMapping {
  std::string id;
  std::vector<std::string> targets;
  int line = 0;
};

struct OverlayTitle {
  std::string title;
  std::vector<std::string> ids;
  int line = 0;
};

struct Overlay {
  std::string path;
  std::vector<OverlayMapping> mappings;
  std::vector<OverlayTitle> titles;

  // Malformed lines go to `diagnostics` with their location and are left out.
  static Overlay parse(std::string path, std::string_view text, std::vector<util::Diagnostic>& diagnostics);
  static Overlay load(const std::string& path, std::vector<util::Diagnostic>& diagnostics);

  // A digest of the parsed content (not the comments), so the store knows when to re-apply it.
  std::string fingerprint() const;
};

} // namespace kct::triage
