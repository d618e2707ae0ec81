#pragma once
// Writing results into one tracker file, as cves-tracker-update2 does (kernel-team doc §1.10).
// Results only ever rewrite status lines the file already has, one line at a time through
// tracker::Editor, so every other byte stays as it was; a file with nothing to change is left
// byte-identical. Human decisions are kept: manual states (deferred, ignored, DNE) and notes
// that are not versions are never overwritten, except the ESM/end-of-life markers the
// post-passes themselves leave.
#include "catalog/catalog.h"
#include "tracker/cve_file.h"
#include "triage/engine_result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kct::triage {

struct LineChange {
  uint32_t line = 0; // 1-based, as messages print it
  std::string old_text;
  std::string new_text;
};

struct WriteBackOptions {
  std::string devel;        // codename of the development release (`focal`)
  bool retired = false;     // a retired/ CVE: its upstream results are ignored
  bool direct_copy = false; // write the result's state and note as they are (the post-passes)
};

// Applies the results for one CVE (every target's) to `file` and returns the lines it changed,
// in file order. A result version `-` means "no version" and is written as no note. A result
// for the devel codename also sets the `devel_<source>` line. Throws kct::Error, leaving the
// file as it was, for a result whose state is not a tracker state; an edit the Editor refuses
// (it would make the file invalid) throws too.
std::vector<LineChange> write_back(tracker::CveFile& file, const catalog::Catalog& catalog,
                                   const std::vector<EngineResult>& results, const WriteBackOptions& options);

// The log cves-tracker-update2 prints: the file name, then `- old` and `+ new` per change.
// Empty when there are no changes.
std::string format_changes(std::string_view file_name, const std::vector<LineChange>& changes);

} // namespace kct::triage
