#include "usn/render_osv.h"

#include "usn/render_common.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kct::usn {
namespace {

using Ordered = nlohmann::ordered_json;

// Percent-encodes all but the characters purl leaves bare in a version (`:` and `+` are
// encoded: 1:2.3+dfsg → 1%3A2.3%2Bdfsg).
std::string purl_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                c == '_' || c == '~';
    out += bare ? std::string(1, c) : fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

Ordered affected(const Notice& notice, const std::vector<ReleaseLabel>& labels) {
  Ordered out = Ordered::array();
  for (const ReleaseLabel& label : labels) {
    const Release& release = notice.releases.at(label.codename);
    if (!release.sources) {
      continue;
    }
    std::string ecosystem = fmt::format("Ubuntu:{}{}", label.version, label.lts ? ":LTS" : "");
    for (const auto& [name, source] : *release.sources) {
      if (!source.version) {
        continue; // nothing to say it is fixed in
      }
      Ordered package = {{"ecosystem", ecosystem},
                         {"name", name},
                         {"purl", fmt::format("pkg:deb/ubuntu/{}@{}?arch=source&distro={}", purl_escape(name),
                                              purl_escape(*source.version), label.codename)}};
      Ordered events = Ordered::array({Ordered{{"introduced", "0"}}, Ordered{{"fixed", *source.version}}});
      out.push_back(Ordered{{"package", package},
                            {"ranges", Ordered::array({Ordered{{"type", "ECOSYSTEM"}, {"events", events}}})}});
    }
  }
  return out;
}

} // namespace

std::string render_osv(const Notice& notice, const catalog::Catalog& catalog) {
  std::vector<ReleaseLabel> labels = release_labels(notice, catalog);
  Ordered cves = Ordered::array();
  Ordered references = Ordered::array({Ordered{{"type", "ADVISORY"}, {"url", notice_url(notice.id)}}});
  for (const std::string& entry : notice.cves.value_or(std::vector<std::string>{})) {
    if (is_cve_id(entry)) {
      cves.push_back(entry);
      references.push_back(Ordered{{"type", "REPORT"}, {"url", cve_url(entry)}});
    } else if (entry.starts_with("https://") || entry.starts_with("http://")) {
      references.push_back(Ordered{{"type", "REPORT"}, {"url", entry}});
    }
  }
  std::string published = rfc3339(notice);
  Ordered record = {{"schema_version", k_osv_schema_version},
                    {"id", "USN-" + notice.id},
                    {"summary", notice.summary.value_or(notice.title.value_or(""))},
                    {"details", notice.description.value_or("")},
                    {"aliases", Ordered::array()},
                    {"upstream", cves},
                    {"related", cves},
                    {"published", published},
                    {"modified", published},
                    {"affected", affected(notice, labels)},
                    {"references", references}};
  return record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace kct::usn
