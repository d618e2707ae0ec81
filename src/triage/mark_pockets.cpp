// mark-pockets (§1.11.1): closes `pending (V)` lines that the archive pockets already settle.
// The bot writes `pending (V)` for a fix it found in version V (§1.10); the security team turns
// that into `released` when the USN is out. Two cases need no USN: V is in the release pocket
// (the fix shipped with the release itself, or nothing is published yet, so the first upload
// will carry it), and kernels that never get a USN, which release themselves once V reaches
// -updates.
#include "triage/post_passes.h"

#include "debver/version.h"
#include "triage/status_text.h"

namespace kct::triage {

namespace {

// `dpkg --compare-versions a le b`; an invalid version makes dpkg fail, which the original's
// `if` reads as false.
bool at_most(std::string_view a, const std::optional<std::string>& b) {
  return b && !debver::invalid_reason(a) && !debver::invalid_reason(*b) && debver::compare(a, *b) <= 0;
}

} // namespace

std::optional<EngineResult> mark_pockets(const tracker::CveFile& file, const std::string& cve_path,
                                         const ScanTarget& target, const std::optional<CvePockets>& pockets,
                                         std::string_view devel) {
  if (!target.mark_pockets || !pockets) {
    return std::nullopt;
  }
  std::string_view release = line_release(target.key, devel);
  std::optional<StatusText> line = find_status_text(file, release, target.source);
  // Only a versioned pending: a bare `pending` has no version to compare.
  if (!line || line->state != "pending" || line->annot.empty() || line->annot.front() != '(') {
    return std::nullopt;
  }
  std::string_view version = line->note;
  bool supported = !target.unsupported && !target.no_usn;
  const char* state = nullptr;
  if (!pockets->release && !pockets->security && !pockets->updates) {
    state = "not-affected";
  } else if (at_most(version, pockets->release)) {
    state = "not-affected";
  } else if (supported) {
    return std::nullopt; // waiting for the security team's USN
  } else if (at_most(version, pockets->updates)) {
    state = "released";
  } else {
    return std::nullopt;
  }
  return EngineResult{cve_path, std::string(release), target.source, "-", state, std::string(version)};
}

} // namespace kct::triage
