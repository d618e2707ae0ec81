#pragma once
// A notice's description from its CVEs' Ubuntu-Descriptions (pull-usn-desc.py, uct doc
// §10.11): one paragraph per CVE text, wrapped at 75 columns and ending in its CVE ids; CVEs
// sharing a text share a paragraph; with `prioritize`, critical first and negligible last.
#include "tracker/tracker.h"

#include <string>
#include <vector>

namespace kct::compose {

struct CveText {
  std::string cve;
  std::string text;     // Ubuntu-Description, whitespace collapsed; "" when it has none
  std::string priority; // the file's Priority, "" when unknown
  bool known = true;    // the tracker has the CVE
  std::string fallback; // what stands in for a missing text: Discovered-by and Description
};

// The CVE's text as pull-usn-desc finds it: active, then retired, then embargoed.
CveText cve_text(const tracker::Tracker& tracker, const std::string& cve);

struct ComposedDescription {
  std::string text;                 // paragraphs separated by a blank line, ending in '\n'
  std::vector<std::string> missing; // CVEs without an Ubuntu-Description (or unknown)
};

// Placeholders for missing texts keep the original's markers (`XXX-FIXME-XXX …`,
// `XXX-FIXME-<CVE>-NOT-KNOWN-TO-TRACKER-XXX`) so a notice cannot be published with them.
ComposedDescription compose_description(std::vector<CveText> cves, bool prioritize);

// Numeric CVE order: CVE-2019-9999 before CVE-2019-10000.
bool cve_id_less(const std::string& a, const std::string& b);

} // namespace kct::compose
