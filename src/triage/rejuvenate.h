#pragma once
// The rejuvenate pre-pass (kernel-team doc §1.11.5, UPDATE step 9) and its eliminator (step
// 12). Rejuvenate brings the kernel sections of one CVE file in line with the kernel
// boilerplate (boilerplates/linux, or active/00boilerplate.linux in older trees): it adds the
// release lines a section lacks, forces the boilerplate's DNE lines, names the development
// release `devel_`, drops duplicate keys and stale kernel sections, and appends kernels the
// file lacks. Every edit goes through tracker::Editor one whole line at a time, so the lines
// it does not concern stay byte-identical, and a file already in line is not touched.
#include "catalog/catalog.h"
#include "tracker/cve_file.h"
#include "tracker/state.h"
#include "triage/write_back.h"
#include "util/diagnostic.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kct::triage {

struct BoilerplateLine {
  std::string release; // as written: `upstream`, `trusty/esm`, `devel`
  tracker::State state = tracker::State::needs_triage;
  std::string details; // without the parentheses
  uint32_t line = 0;   // 0-based, for messages
};

struct BoilerplateStanza {
  std::string package;                // `linux-hwe`
  std::vector<BoilerplateLine> lines; // in file order
};

struct Boilerplate {
  std::string path;
  std::vector<BoilerplateStanza> stanzas; // in file order
  // Lines left out because their release is not in the catalog or their state is unknown.
  std::vector<util::Diagnostic> diagnostics;

  const BoilerplateStanza* find(std::string_view package) const;
};

// Reads the kernel stanzas of a boilerplate: each status line `<release>_<package>: <state>`
// is filed under its own package, in file order. Header fields, comments and ` break-fix:`
// lines are ignored. Never throws on bad data: a bad line becomes a diagnostic.
Boilerplate parse_boilerplate(std::string path, std::string_view text, const catalog::Catalog& catalog);

struct RejuvenateOptions {
  bool retired = false; // -r: DNE and ignored boilerplate lines are not added
  std::string devel;    // codename of the development release (`focal`); "" when none is open
};

// Rejuvenates one CVE file in place and returns its changes in the order they were made. Each
// change's `line` is 1-based and counts in the file as it was at that edit: a removal has an
// empty new_text, an insertion an empty old_text. A file without a `Patches_linux:` section is
// not a kernel CVE and is left alone. Throws kct::Error (file left as the last successful edit
// made it) when the Editor refuses an edit.
std::vector<LineChange> rejuvenate(tracker::CveFile& file, const Boilerplate& bp, const catalog::Catalog& catalog,
                                   const RejuvenateOptions& options);

// The eliminator's test for one added or rewritten line (a `+` line of the diff): true when it
// mentions DNE, not-affected, released, ignored, Patches_ or upstream_, is a devel_linux
// needs-triage line, or is blank. Substring tests, as the kernel team's tool does.
bool is_boring_addition(std::string_view line);

// True when every change to a retired file only adds or rewrites boring lines (removals are
// boring: the diff has no `+` line for them), so the caller can restore the file as it was.
// An empty change list is boring too.
bool only_boring_changes(const std::vector<LineChange>& changes);

} // namespace kct::triage
