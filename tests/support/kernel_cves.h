#pragma once
// Fixture pieces the kernel notice tests share: a kernel CVE file for a tracker they write, and a
// notice that records one kernel's version (a "last notice" in the USN database).
#include "usn/notice.h"

#include <fmt/format.h>
#include <string>

namespace kct::testing {

// `status_lines` (each ending in '\n') go in the file's Patches_linux section; an empty
// `ubuntu_description` leaves the field out.
inline std::string kernel_cve_file(const std::string& id, const std::string& priority,
                                   const std::string& ubuntu_description, const std::string& status_lines) {
  std::string out = fmt::format("Candidate: {}\nPublicDate: 2019-11-01\nReferences:\n https://example.org/{}\n"
                                "Description:\n Upstream text for {}.\n",
                                id, id, id);
  if (!ubuntu_description.empty()) {
    out += "Ubuntu-Description:\n " + ubuntu_description + "\n";
  }
  return out + fmt::format("Notes:\nPriority: {}\nDiscovered-by: Dana Example\nAssigned-to:\n\nPatches_linux:\n{}",
                           priority, status_lines);
}

inline usn::Notice kernel_notice(const std::string& id, const std::string& release, const std::string& source,
                                 const std::string& version) {
  usn::Notice n;
  n.id = id;
  n.title = "Linux kernel vulnerabilities";
  n.description = "The original advisory text.\n";
  n.releases[release].sources.emplace()[source].version = version;
  return n;
}

} // namespace kct::testing
