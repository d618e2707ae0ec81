#pragma once
// A status line split the way the kernel team's scripts split it, not the way the tracker
// parser reads it. cves-tracker-update2 and the cves-mark-* passes decide on raw text: a line
// counts only with exactly one ':', a legacy `upstream_linux: 2.6.32` has the "state"
// `2.6.32`, and `upstream_linux:` has no state at all. Deciding on these pieces keeps our
// edits the same as theirs.
#include "tracker/cve_file.h"

#include <optional>
#include <string_view>

namespace kct::triage {

struct StatusText {
  std::string_view item;  // before the ':', as written (`bionic_linux`)
  std::string_view data;  // after the ':', stripped (`pending (4.15.0-99.100)`)
  std::string_view state; // first word of data; empty for `upstream_linux:`
  std::string_view annot; // the rest of data, stripped, parentheses kept
  std::string_view note;  // annot without one leading '(' and one trailing ')'
};

// nullopt unless `line` has exactly one ':' (the scripts' `len(line.split(':')) == 2`).
std::optional<StatusText> split_status_text(std::string_view line);

// Whether `item` reads exactly `<release>_<package>` (no stray blanks, which the scripts'
// dictionary lookup would not match either).
bool item_names(std::string_view item, std::string_view release, std::string_view package);

// The line `<release>_<package>:` of `file`, split as above; nullopt when the file has no such
// line or it is not a plain `<release>_<package>: …` line.
std::optional<StatusText> find_status_text(const tracker::CveFile& file, std::string_view release,
                                           std::string_view package);

// How the post-passes name a target's line: the devel codename is written `devel`.
inline std::string_view line_release(std::string_view key, std::string_view devel) {
  return !devel.empty() && key == devel ? std::string_view("devel") : key;
}

// The notes the ESM and end-of-life passes leave (§1.10): the only ones the write-back may
// overwrite, so that "engine says needed, pass says ignored" stays stable from run to run.
bool is_esm_eol_marker(std::string_view annot);

} // namespace kct::triage
