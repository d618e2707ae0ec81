#include "compose/notice_text.h"

#include "usn/description.h"

#include <algorithm>
#include <fmt/format.h>

namespace kct::compose {

std::string lead_kernel(const std::vector<std::string>& sources, const kernels::KernelTable& table) {
  if (sources.empty()) {
    return "";
  }
  std::vector<std::string> sorted = sources;
  std::sort(sorted.begin(), sorted.end());
  for (const char* first : {"linux", "linux-hwe"}) {
    if (std::find(sorted.begin(), sorted.end(), first) != sorted.end()) {
      return first;
    }
  }
  for (const std::string& s : sorted) {
    if (table.is_lts_kernel(s)) {
      return s;
    }
  }
  return sorted.front();
}

std::string title_suffix(size_t cve_count, bool regression) {
  if (cve_count == 0) {
    return regression ? " regression" : " update";
  }
  std::string out = cve_count == 1 ? " vulnerability" : " vulnerabilities";
  if (regression) {
    out += " and regression";
  }
  return out;
}

std::string compose_title(const std::vector<std::string>& sources, size_t cve_count, bool regression,
                          const kernels::KernelTable& table) {
  std::string lead = lead_kernel(sources, table);
  std::string name = table.pretty_name("linux");
  bool one_name = !sources.empty() && std::all_of(sources.begin(), sources.end(), [&](const std::string& s) {
    return table.pretty_name(s) == table.pretty_name(lead);
  });
  if (lead != "linux" && (table.is_lts_kernel(lead) || one_name)) {
    name = table.pretty_name(lead);
  }
  return name + title_suffix(cve_count, regression);
}

std::string compose_summary(const std::vector<std::string>& sources, size_t cve_count, bool regression,
                            const kernels::KernelTable& table) {
  std::string lead = lead_kernel(sources, table);
  std::vector<std::string> rest;
  for (const std::string& s : sources) {
    if (s != lead && std::find(rest.begin(), rest.end(), s) == rest.end()) {
      rest.push_back(s);
    }
  }
  std::sort(rest.begin(), rest.end());
  std::string out = lead;
  for (const std::string& s : rest) {
    out += ", " + s;
  }
  return out + title_suffix(cve_count, regression);
}

std::string compose_isummary(size_t cve_count, bool regression) {
  if (regression) {
    return "Several issues were fixed in the Linux kernel.\n";
  }
  if (cve_count == 1) {
    return "A security issue was fixed in the Linux kernel.\n";
  }
  return "Several security issues were fixed in the Linux kernel.\n";
}

std::string compose_action(bool abi_changed) {
  std::string out = "After a standard system update you need to reboot your computer to make\n"
                    "all the necessary changes.\n";
  if (abi_changed) {
    out += "\n"
           "ATTENTION: Due to an unavoidable ABI change the kernel updates have\n"
           "been given a new version number, which requires you to recompile and\n"
           "reinstall all third party kernel modules you might have installed.\n"
           "Unless you manually uninstalled the standard kernel metapackages\n"
           "(e.g. linux-generic, linux-generic-lts-RELEASE, linux-virtual,\n"
           "linux-powerpc), a standard system upgrade will automatically perform\n"
           "this as well.\n";
  }
  return out;
}

std::string fill(const std::string& text, size_t width) {
  std::string out;
  for (const std::string& line : usn::wrap_text(text, width)) {
    out += line;
    out += '\n';
  }
  return out;
}

std::string hwe_paragraph(const std::string& origin_id, const std::string& from_release_label,
                          const std::string& to_release_label) {
  return fill(fmt::format("USN-{} fixed vulnerabilities in the Linux kernel for Ubuntu {}. This update provides "
                          "the corresponding updates for the Linux Hardware Enablement (HWE) kernel from Ubuntu {} "
                          "for Ubuntu {}.",
                          origin_id, from_release_label, from_release_label, to_release_label),
              70);
}

} // namespace kct::compose
