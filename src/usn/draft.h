#pragma once
// The USN draft: the text a reviewer edits in $EDITOR before `kct usn publish`. It is the
// notice's published JSON document written as block YAML, so the texts read as they will be
// published: multi-line strings (description, action, isummary) are literal blocks, keys come
// in the order a reviewer reads a notice (id, title, summary, isummary, cves, description,
// action, timestamp, releases; per release sources, binaries, allbinaries, archs), and
// unknown keys follow the known ones. parse_draft(render_draft(n)) == n for every notice.
//
// Plain scalars are typed by the YAML 1.2 core schema (so `yes` stays a string and `1.0` is a
// float); the renderer quotes any string that would read as something else.
#include "usn/notice.h"
#include "util/diagnostic.h"

#include <string>
#include <string_view>
#include <vector>

namespace kct::usn {

// A comment header, then the document. A notice without an `id` key (as database.json files
// them) is given its bare id.
std::string render_draft(const Notice& notice);

// Throws kct::Error `path:line:col: …` for a YAML syntax error, or a value of the wrong type
// (naming its JSON path and what was expected), or a malformed id.
Notice parse_draft(std::string_view text, const std::string& path);

// What stops a parsed draft from being published, each at its line: an unreplaced template
// marker (`XXX`, as sis-generate-usn's "XXX FILL ME IN" and check-unreplaced-templates) in
// any key or value, and a missing or empty title, summary, description or releases. Throws
// as parse_draft does for a draft that does not parse.
std::vector<util::Diagnostic> draft_problems(std::string_view text, const std::string& path);

// `<dir>/USN-<id>.yaml`.
std::string draft_path(const std::string& dir, const std::string& id);
// $KCT_USN_DRAFTS, else `usn-drafts` (in the current directory).
std::string default_draft_dir();

} // namespace kct::usn
