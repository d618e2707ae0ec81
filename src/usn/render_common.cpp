#include "usn/render_common.h"

#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fmt/format.h>

namespace kct::usn {
namespace {

// "18.04" → 1804, so releases sort by age whatever their codenames.
int64_t version_rank(std::string_view version) {
  int64_t major = 0;
  int64_t minor = 0;
  size_t dot = version.find('.');
  for (char c : version.substr(0, dot)) {
    major = major * 10 + (c >= '0' && c <= '9' ? c - '0' : 0);
  }
  if (dot != std::string_view::npos) {
    for (char c : version.substr(dot + 1)) {
      minor = minor * 10 + (c >= '0' && c <= '9' ? c - '0' : 0);
    }
  }
  return major * 100 + minor;
}

} // namespace

std::vector<ReleaseLabel> release_labels(const Notice& notice, const catalog::Catalog& catalog) {
  std::vector<ReleaseLabel> out;
  for (const auto& [codename, release] : notice.releases) {
    const catalog::Release* r = catalog.find_release(codename);
    if (r == nullptr || codename.find('/') != std::string::npos || r->version.empty()) {
      throw Error(fmt::format("USN {}: releases.{}: unknown release '{}' (not a plain codename of the catalog {})",
                              notice.id, codename, codename, catalog.path()));
    }
    ReleaseLabel label{codename, r->version, r->lts, false, ""};
    label.esm = catalog.live_esm(codename) != nullptr;
    label.title = fmt::format("Ubuntu {}{}", r->version, label.esm ? " ESM" : r->lts ? " LTS" : "");
    out.push_back(std::move(label));
  }
  std::stable_sort(out.begin(), out.end(), [](const ReleaseLabel& a, const ReleaseLabel& b) {
    return version_rank(a.version) > version_rank(b.version);
  });
  return out;
}

std::string utc_time(const Notice& notice, const char* format) {
  double seconds = notice.timestamp ? notice.timestamp->seconds() : 0.0;
  std::time_t t = static_cast<std::time_t>(std::floor(seconds));
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[128];
  size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
  return std::string(buffer, n);
}

std::string rfc3339(const Notice& notice) {
  return utc_time(notice, "%Y-%m-%dT%H:%M:%SZ");
}

std::string notice_url(std::string_view id) {
  return fmt::format("https://ubuntu.com/security/notices/USN-{}", id);
}

std::string cve_url(std::string_view cve) {
  return fmt::format("https://ubuntu.com/security/{}", cve);
}

bool is_cve_id(std::string_view text) {
  if (!text.starts_with("CVE-") || text.size() < 13) {
    return false;
  }
  for (size_t i = 4; i < text.size(); ++i) {
    if (!(text[i] >= '0' && text[i] <= '9') && !(i == 8 && text[i] == '-')) {
      return false;
    }
  }
  return text[8] == '-';
}

std::string_view trimmed(std::string_view text) {
  size_t end = text.find_last_not_of('\n');
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

} // namespace kct::usn
