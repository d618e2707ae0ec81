#pragma once
// The security sign-off of a proposed kernel (workflow page, "kernel update workflow: security
// signoff"): which CVEs the upload fixes (report-pending-fixes over the window after the last
// notice, glitch-aware, `rel/esm` for ESM) and that each has a description; whether each fix is
// in that kernel's tree (from the autotriage store, when given); whether the binaries are built
// and published in the pocket. It ends in a verdict the Launchpad workflow task takes: Fix
// Released (ready), Invalid (nothing to sign) or blocked, with the reasons.
#include "compose/kernel_notice.h"

#include <functional>
#include <string>
#include <vector>

namespace kct::signoff {

// Whether one CVE's fix is in the kernel's tree at the upload's version.
struct FixCheck {
  enum class Status { unknown, present, absent, not_affected, not_scanned };
  Status status = Status::unknown; // unknown: no autotriage store was given
  std::string detail;              // the commit or the reason
};
std::string_view status_name(FixCheck::Status status);

using FixChecker = std::function<FixCheck(const std::string& cve, const compose::KernelPlan& plan)>;

struct CveCheck {
  std::string cve;
  std::string description; // "" when missing
  std::string state;       // pending, released
  std::string version;     // the tracker's version for this kernel
  FixCheck fix;
};

struct BuildCheck {
  std::string source;
  std::string version;
  std::vector<std::string> built;   // architectures with binaries in the pocket
  std::vector<std::string> missing; // built for the previous version, not (yet) for this one
};

struct KernelSignoff {
  compose::KernelPlan plan;
  std::vector<CveCheck> cves;
  std::vector<BuildCheck> builds;
};

enum class Verdict { ready, nothing_to_sign, blocked };
std::string_view verdict_name(Verdict verdict); // "ready", "nothing-to-sign", "blocked"

struct SignoffReport {
  std::vector<KernelSignoff> kernels;
  Verdict verdict = Verdict::blocked;
  std::vector<std::string> reasons; // why blocked; what was found otherwise
  std::vector<std::string> warnings;
  std::vector<std::string> info;
};

// `fix_checker` may be empty (no autotriage store): fixes are then not checked.
SignoffReport sign_off(compose::ComposeContext& context, const std::vector<compose::KernelUpload>& uploads,
                       const compose::ComposeOptions& options, const FixChecker& fix_checker);

} // namespace kct::signoff
