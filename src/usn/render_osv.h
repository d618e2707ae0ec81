#pragma once
// The OSV record of a notice (https://ossf.github.io/osv-schema/), as Ubuntu publishes them
// in ubuntu-security-notices `osv/`: id USN-<id>, summary, details, published and modified
// (the notice's timestamp, so a re-render is byte-identical), upstream and related (the
// notice's CVE ids), affected per release and source package with ecosystem
// `Ubuntu:<version>[:LTS]`, a purl, and an ECOSYSTEM range fixed at the notice's version,
// and references to the notice page and each CVE (ADVISORY, REPORT).
#include "catalog/catalog.h"
#include "usn/notice.h"

#include <string>

namespace kct::usn {

inline constexpr const char* k_osv_schema_version = "1.6.0";

// Indented JSON with a final newline. Throws kct::Error for a release the catalog does not know.
std::string render_osv(const Notice& notice, const catalog::Catalog& catalog);

} // namespace kct::usn
