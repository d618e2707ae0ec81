#pragma once
// The website page of a notice, `content/<id>.md` in the usn website tree (what
// publish-usn-to-website rendered from usn-tool's webpage-markdown template). Layout:
//
//   ---                                   front matter, YAML with every string JSON-quoted:
//   title: "USN-<id>: <title>"
//   date: "<RFC 3339, UTC>"
//   summary: "<isummary, else summary>"
//   releases: ["<codename>", …]           newest first
//   cves: ["<CVE or URL>", …]             as the notice lists them
//   ---
//   ## Details                            the description
//   ## Update instructions                per release (### Ubuntu 18.04 LTS) a table of the
//                                         packages to install and their versions, then the action
//   ## References                         each CVE linked to its ubuntu.com page, URLs as links
//
// Every text taken from the notice is escaped, so `*`, `_`, `<`, `[` … render as themselves.
#include "catalog/catalog.h"
#include "usn/notice.h"

#include <string>
#include <string_view>

namespace kct::usn {

// Throws kct::Error for a release the catalog does not know.
std::string render_web(const Notice& notice, const catalog::Catalog& catalog);

// Markdown text that renders as `text` (its hard line breaks reflow, as paragraphs do):
// punctuation markdown would act on is backslash-escaped, line indentation dropped (it would
// make a code block), and a `#`, `-`, `+`, `=` or `1.` starting a line escaped.
std::string markdown_escape(std::string_view text);

} // namespace kct::usn
