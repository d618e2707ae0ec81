#include "triage/needs.h"

#include "util/strings.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace kct::triage {
namespace {

// Kernel-adjacent packages whose Patches sections cves-commits does not collect.
constexpr std::array<std::string_view, 14> k_not_kernels = {"linux-atm",
                                                            "linux-base",
                                                            "linux-firmware",
                                                            "linux-firmware-raspi2",
                                                            "linux-firmware-snapdragon",
                                                            "linux-ftpd",
                                                            "linux-ftpd-ssl",
                                                            "linux-grsec-base",
                                                            "linux-igd",
                                                            "linux-minidisc",
                                                            "linux-restricted-modules",
                                                            "linux-show-player",
                                                            "linux-user-chroot",
                                                            "linux-wlan-ng"};

bool is_kernel_section(std::string_view package) {
  if (package != "linux" && package.substr(0, 6) != "linux-") {
    return false; // also rules out `linuxptp`
  }
  return std::find(k_not_kernels.begin(), k_not_kernels.end(), package) == k_not_kernels.end();
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// URLs are tolerated: everything up to the last `/` or `=` is dropped.
std::string trim_reference(std::string_view ref) {
  size_t cut = ref.find_last_of("/=");
  return std::string(cut == std::string_view::npos ? ref : ref.substr(cut + 1));
}

std::vector<std::string> alternatives(std::string_view field) {
  std::vector<std::string> result;
  size_t start = 0;
  for (;;) {
    size_t bar = field.find('|', start);
    result.push_back(
        trim_reference(field.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start)));
    if (bar == std::string_view::npos) {
      return result;
    }
    start = bar + 1;
  }
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> result;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (i > start) {
      result.push_back(text.substr(start, i - start));
    }
  }
  return result;
}

bool is_synthetic(std::string_view id) {
  return id.substr(0, 6) == "local-" || (!id.empty() && id[0] == 'I');
}

// The engine's validity test: 40 characters, `local-*` or a Gerrit `I…` id; a fix of `-` is
// tested as forty zeros (kernel-team doc, correction 2) and kept as `-` in the need.
bool valid_break(std::string_view id) {
  return id == "-" || id.size() == 40 || is_synthetic(id);
}
bool valid_fix(std::string_view id) {
  return id == "-" || id.size() == 40 || is_synthetic(id);
}

} // namespace

std::vector<BreakFixEntry> break_fix_entries(const tracker::CveFile& file) {
  std::vector<BreakFixEntry> entries;
  for (const tracker::PatchLine& p : file.patch_lines()) {
    std::string_view package = file.view(p.package);
    if (!is_kernel_section(package)) {
      continue;
    }
    std::string_view type = file.view(p.type);
    std::vector<std::string_view> fields = words(file.view(p.payload));
    BreakFixEntry entry;
    entry.package = std::string(package);
    entry.line = static_cast<int>(p.line) + 1;
    if (iequals(type, "break-fix")) {
      if (fields.size() < 2 || (fields[0] == "-" && fields[1] == "-")) {
        continue;
      }
      std::vector<std::string> introduced = alternatives(fields[0]);
      entry.introduced = fields[0].find('|') == std::string_view::npos ? introduced[0] : std::string(fields[0]);
      entry.fixes = alternatives(fields[1]);
    } else if (iequals(type, "upstream")) {
      if (fields.empty()) {
        continue;
      }
      entry.introduced.assign(1, '-'); // assign: GCC 12 warns falsely (-Wrestrict) on = "-"
      entry.fixes = {trim_reference(fields[0])};
    } else {
      continue;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<Need> needs_for(const std::vector<BreakFixEntry>& entries, const std::string& source) {
  bool own = std::any_of(entries.begin(), entries.end(), [&](const BreakFixEntry& e) { return e.package == source; });
  const std::string& package = own ? source : std::string("linux");
  std::vector<Need> needs;
  for (const BreakFixEntry& e : entries) {
    if (e.package != package) {
      continue;
    }
    bool ok = valid_break(e.introduced) &&
              std::all_of(e.fixes.begin(), e.fixes.end(), [](const std::string& f) { return valid_fix(f); });
    if (ok) {
      needs.push_back({e.introduced, e.fixes, e.line, false});
    } else {
      needs.push_back({"-", {std::string(40, '0')}, e.line, true});
    }
  }
  return needs;
}

std::string format_wanted(const std::vector<Need>& needs) {
  std::string out;
  for (const Need& n : needs) {
    if (!out.empty()) {
      out += ',';
    }
    for (size_t i = 0; i < n.fixes.size(); ++i) {
      if (i > 0) {
        out += '|';
      }
      out += n.fixes[i];
    }
  }
  return out.empty() ? "-" : out;
}

} // namespace kct::triage
