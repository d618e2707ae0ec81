#pragma once
// What the publication renderers (render_email.h, render_web.h, render_osv.h) share: a
// notice's releases as Ubuntu names them, newest first, its publication time, and the URLs
// of the notice and its CVEs.
#include "catalog/catalog.h"
#include "usn/notice.h"

#include <string>
#include <string_view>
#include <vector>

namespace kct::usn {

struct ReleaseLabel {
  std::string codename; // bionic
  std::string version;  // 18.04
  bool lts = false;
  bool esm = false;  // the release is past its end of life and its ESM is live
  std::string title; // "Ubuntu 18.04 LTS", "Ubuntu 14.04 ESM", "Ubuntu 19.10"
};

// The notice's releases, newest first. Throws kct::Error naming the notice for a release the
// catalog does not know as a plain codename.
std::vector<ReleaseLabel> release_labels(const Notice& notice, const catalog::Catalog& catalog);

// The notice's timestamp in UTC through strftime `format` (the epoch when it has none).
std::string utc_time(const Notice& notice, const char* format);
// RFC 3339 in UTC to the second: 2019-12-03T01:00:08Z.
std::string rfc3339(const Notice& notice);

// https://ubuntu.com/security/notices/USN-<id>
std::string notice_url(std::string_view id);
// https://ubuntu.com/security/<CVE>
std::string cve_url(std::string_view cve);
bool is_cve_id(std::string_view text);

// The text without its trailing newlines (the fields end in one; sections add their own).
std::string_view trimmed(std::string_view text);

} // namespace kct::usn
