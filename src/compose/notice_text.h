#pragma once
// The hand-editing rules of the workflow page ("Bits of the USN to be sure to edit"), applied
// by the tool instead of by hand: one title for the whole notice ("Linux kernel
// vulnerabilities", or the HWE/backport kernel's own name when it leads), a summary with
// linux, linux-hwe or linux-lts-RELEASE first and derived kernels after, no meta or signed
// sources anywhere; and the fixed texts sis-generate-usn writes in kernel mode (uct doc §10.8).
#include "kernels/kernel_table.h"

#include <string>
#include <vector>

namespace kct::compose {

// The kernel a notice is named after: `linux` when present, else linux-hwe, else a
// linux-lts-* kernel, else the first by name.
std::string lead_kernel(const std::vector<std::string>& sources, const kernels::KernelTable& table);

// " vulnerability", " vulnerabilities", " vulnerability and regression", " regression", …
std::string title_suffix(size_t cve_count, bool regression);

// "Linux kernel vulnerabilities"; "Linux kernel (Xenial HWE) vulnerabilities" when an LTS/HWE
// kernel leads, or when every kernel shares one name.
std::string compose_title(const std::vector<std::string>& sources, size_t cve_count, bool regression,
                          const kernels::KernelTable& table);
// "linux, linux-aws, linux-kvm vulnerabilities": the lead kernel, then the others by name.
std::string compose_summary(const std::vector<std::string>& sources, size_t cve_count, bool regression,
                            const kernels::KernelTable& table);
std::string compose_isummary(size_t cve_count, bool regression);
// The reboot instructions, plus the ABI-change paragraph when a kernel's ABI changed.
std::string compose_action(bool abi_changed);

// The paragraph a backport follow-up (`N-2`) opens with: "USN-N-1 fixed vulnerabilities in the
// Linux kernel for Ubuntu 16.04 LTS. This update provides the corresponding updates for the
// Linux Hardware Enablement (HWE) kernel from Ubuntu 16.04 LTS for Ubuntu 14.04 ESM."
std::string hwe_paragraph(const std::string& origin_id, const std::string& from_release_label,
                          const std::string& to_release_label);

// Python's textwrap.fill: `text` wrapped at `width`, lines joined by '\n', with a final '\n'.
std::string fill(const std::string& text, size_t width);

} // namespace kct::compose
