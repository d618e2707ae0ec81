#include "usn/render_web.h"

#include "usn/render_common.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kct::usn {
namespace {

std::string json_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string yaml_list(const std::vector<std::string>& items) {
  if (items.empty()) {
    return " []\n";
  }
  std::string out = "\n";
  for (const std::string& item : items) {
    out += "  - " + json_quoted(item) + "\n";
  }
  return out;
}

// Punctuation that acts anywhere in a line (emphasis, code, links, HTML, entities, table
// cells, strikethrough, images), backslash-escaped as CommonMark allows for any of it.
std::string escape_inline(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\`*_[]<>&|~!").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// A line of a paragraph: also what would start a heading, a list, a quote or a code block.
std::string escape_line(std::string_view line) {
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    return "";
  }
  line.remove_prefix(start);
  std::string out;
  size_t digits = line.find_first_not_of("0123456789");
  if (digits > 0 && digits != std::string_view::npos && (line[digits] == '.' || line[digits] == ')')) {
    out.append(line.substr(0, digits)).append("\\");
    line.remove_prefix(digits);
  } else if (line[0] == '#' || line[0] == '-' || line[0] == '+' || line[0] == '=') {
    out += '\\';
  }
  return out + escape_inline(line);
}

void details(const Notice& notice, std::string& out) {
  out += "## Details\n\n" + markdown_escape(trimmed(notice.description.value_or(""))) + "\n\n";
}

void update_instructions(const Notice& notice, const std::vector<ReleaseLabel>& labels, std::string& out) {
  out += "## Update instructions\n\n"
         "The problem can be corrected by updating your system to the following package versions:\n\n";
  for (const ReleaseLabel& label : labels) {
    const Release& release = notice.releases.at(label.codename);
    out += "### " + label.title + "\n\n| Package | Version |\n| --- | --- |\n";
    bool binaries = release.binaries && !release.binaries->empty();
    if (binaries) {
      for (const auto& [name, binary] : *release.binaries) {
        out += fmt::format("| {} | {} |\n", escape_inline(name), escape_inline(binary.version.value_or("")));
      }
    } else if (release.sources) {
      for (const auto& [name, source] : *release.sources) {
        out += fmt::format("| {} | {} |\n", escape_inline(name), escape_inline(source.version.value_or("")));
      }
    }
    out += "\n";
  }
  if (notice.action && !trimmed(*notice.action).empty()) {
    out += markdown_escape(trimmed(*notice.action)) + "\n\n";
  }
}

void references(const Notice& notice, std::string& out) {
  out += "## References\n\n";
  for (const std::string& cve : notice.cves.value_or(std::vector<std::string>{})) {
    bool link = cve.starts_with("https://") && cve.find_first_of(" <>()[]\"'`\\") == std::string::npos;
    if (is_cve_id(cve)) {
      out += fmt::format("- [{}]({})\n", cve, cve_url(cve));
    } else if (link) {
      out += fmt::format("- <{}>\n", cve);
    } else {
      out += "- " + markdown_escape(cve) + "\n";
    }
  }
}

} // namespace

std::string markdown_escape(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    out += escape_line(text.substr(start, end - start));
    if (end < text.size()) {
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

std::string render_web(const Notice& notice, const catalog::Catalog& catalog) {
  std::vector<ReleaseLabel> labels = release_labels(notice, catalog);
  std::vector<std::string> codenames;
  for (const ReleaseLabel& label : labels) {
    codenames.push_back(label.codename);
  }
  std::string summary(trimmed(notice.isummary ? *notice.isummary : notice.summary.value_or("")));
  std::string out = "---\n";
  out += "title: " + json_quoted(fmt::format("USN-{}: {}", notice.id, trimmed(notice.title.value_or("")))) + "\n";
  out += "date: " + json_quoted(rfc3339(notice)) + "\n";
  out += "summary: " + json_quoted(summary) + "\n";
  out += "releases:" + yaml_list(codenames);
  out += "cves:" + yaml_list(notice.cves.value_or(std::vector<std::string>{}));
  out += "---\n\n";
  details(notice, out);
  update_instructions(notice, labels, out);
  references(notice, out);
  return out;
}

} // namespace kct::usn
