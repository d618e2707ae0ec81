// mark-esm and mark-ignored (§1.11.2, §1.11.3): open lines of kernels past standard support are
// closed as `ignored (<message>, was <old>)`. The old state and note stay readable in the new
// note, with their parentheses turned into brackets so the note still parses.
#include "triage/post_passes.h"
#include "triage/status_text.h"

#include <algorithm>

namespace kct::triage {

namespace {

std::string ignored_note(std::string_view message, std::string_view old) {
  std::string was(old);
  std::replace(was.begin(), was.end(), '(', '[');
  std::replace(was.begin(), was.end(), ')', ']');
  return message.empty() ? "was " + was : std::string(message) + ", was " + was;
}

// The first word of this file's `Priority:` line, "" without one.
std::string_view file_priority(const tracker::CveFile& file) {
  for (const tracker::PriorityEntry& p : file.priorities()) {
    if (file.view(p.field) == "Priority") {
      return file.view(p.value);
    }
  }
  return {};
}

} // namespace

std::optional<EngineResult> mark_esm(const tracker::CveFile& file, const std::string& cve_path,
                                     const ScanTarget& target, std::string_view devel) {
  if (!target.mark_esm) {
    return std::nullopt;
  }
  // Only the `Priority:` line counts, as in the original (Priority_<pkg> lines are not read).
  // The original also let a file without that line inherit the previous file's priority
  // (correction 5); here a file without one is simply not high or critical.
  std::string_view priority = file_priority(file);
  if (priority == "critical" || priority == "high") {
    return std::nullopt;
  }
  std::string_view release = line_release(target.key, devel);
  std::optional<StatusText> line = find_status_text(file, release, target.source);
  if (!line || (line->state != "needs-triage" && line->state != "needed")) {
    return std::nullopt;
  }
  std::string_view message = target.mark_esm_message.empty() ? "ESM criteria" : target.mark_esm_message;
  return EngineResult{cve_path, std::string(release), target.source, "-", "ignored", ignored_note(message, line->data)};
}

std::optional<EngineResult> mark_ignored(const tracker::CveFile& file, const std::string& cve_path,
                                         const ScanTarget& target, std::string_view devel) {
  if (!target.mark_ignored) {
    return std::nullopt;
  }
  std::string_view release = line_release(target.key, devel);
  std::optional<StatusText> line = find_status_text(file, release, target.source);
  // `deferred` is proposed too, and then kept by the write-back because it is a manual state:
  // the original does the same, and keeping it keeps our results the same as theirs. `pending`
  // is left for the security team to close.
  if (!line || (line->state != "needs-triage" && line->state != "needed" && line->state != "deferred")) {
    return std::nullopt;
  }
  return EngineResult{cve_path,      std::string(release),
                      target.source, "-",
                      "ignored",     ignored_note(target.mark_ignored_message, line->data)};
}

} // namespace kct::triage
