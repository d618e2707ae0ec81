#include "usn/render_email.h"

#include "usn/render_common.h"

#include <fmt/format.h>

namespace kct::usn {
namespace {

constexpr const char* k_rule = "==========================================================================\n";

// Name and version of what a user installs in one release: the binaries the notice lists,
// else its sources.
std::vector<std::pair<std::string, std::string>> packages(const Release& release) {
  std::vector<std::pair<std::string, std::string>> out;
  if (release.binaries && !release.binaries->empty()) {
    for (const auto& [name, binary] : *release.binaries) {
      out.emplace_back(name, binary.version.value_or(""));
    }
  } else if (release.sources) {
    for (const auto& [name, source] : *release.sources) {
      out.emplace_back(name, source.version.value_or(""));
    }
  }
  return out;
}

void software_description(const Notice& notice, std::string& out) {
  std::map<std::string, std::string> sources;
  for (const auto& [codename, release] : notice.releases) {
    for (const auto& [name, source] : release.sources.value_or(std::map<std::string, SourceEntry>{})) {
      std::string& description = sources[name];
      if (description.empty()) {
        description = source.description.value_or("");
      }
    }
  }
  out += "Software Description:\n";
  for (const auto& [name, description] : sources) {
    out += description.empty() ? fmt::format("- {}\n", name) : fmt::format("- {}: {}\n", name, description);
  }
  out += "\n";
}

void update_instructions(const Notice& notice, const std::vector<ReleaseLabel>& labels, std::string& out) {
  out += "Update instructions:\n\n"
         "The problem can be corrected by updating your system to the following\n"
         "package versions:\n\n";
  for (const ReleaseLabel& label : labels) {
    std::vector<std::pair<std::string, std::string>> list = packages(notice.releases.at(label.codename));
    size_t width = 0;
    for (const auto& [name, version] : list) {
      width = std::max(width, name.size());
    }
    out += label.title + ":\n";
    for (const auto& [name, version] : list) {
      out += fmt::format("  {:<{}}  {}\n", name, width, version);
    }
    out += "\n";
  }
  if (notice.action && !trimmed(*notice.action).empty()) {
    out += fmt::format("{}\n\n", trimmed(*notice.action));
  }
}

void references(const Notice& notice, const std::vector<ReleaseLabel>& labels, std::string& out) {
  out += "References:\n  " + notice_url(notice.id) + "\n";
  for (const std::string& cve : notice.cves.value_or(std::vector<std::string>{})) {
    out += "  " + cve + "\n";
  }
  std::string info;
  for (const ReleaseLabel& label : labels) {
    const Release& release = notice.releases.at(label.codename);
    if (label.esm || !release.sources) {
      continue; // ESM packages are not on Launchpad's public pages
    }
    for (const auto& [name, source] : *release.sources) {
      if (source.version) {
        info += fmt::format("  https://launchpad.net/ubuntu/+source/{}/{}\n", name, *source.version);
      }
    }
  }
  if (!info.empty()) {
    out += "\nPackage Information:\n" + info;
  }
}

} // namespace

std::string render_email(const Notice& notice, const catalog::Catalog& catalog) {
  std::vector<ReleaseLabel> labels = release_labels(notice, catalog);
  std::string out = k_rule;
  out += fmt::format("Ubuntu Security Notice USN-{}\n{}\n\n{}\n", notice.id, utc_time(notice, "%B %d, %Y"),
                     trimmed(notice.title.value_or("")));
  out += k_rule;
  out += "\nA security issue affects these releases of Ubuntu and its derivatives:\n\n";
  for (const ReleaseLabel& label : labels) {
    out += "- " + label.title + "\n";
  }
  std::string summary(trimmed(notice.isummary ? *notice.isummary : notice.summary.value_or("")));
  out += fmt::format("\nSummary:\n\n{}\n\n", summary);
  software_description(notice, out);
  out += fmt::format("Details:\n\n{}\n\n", trimmed(notice.description.value_or("")));
  update_instructions(notice, labels, out);
  references(notice, labels, out);
  return out;
}

} // namespace kct::usn
