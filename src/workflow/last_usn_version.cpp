#include "workflow/last_usn_version.h"

#include "debver/version.h"

namespace kct::workflow {

std::optional<LastUsn> last_usn_version(usn::Store& store, const std::string& release, const std::string& source,
                                        const kernels::GlitchTable* glitches) {
  std::string codename = release.substr(0, release.find('/'));
  // The highest version by dpkg order; of equal ones, the later notice (a re-issue) names it.
  std::optional<LastUsn> last;
  for (usn::SourceVersion& sv : store.source_versions(source, codename)) {
    if (!last || debver::compare(sv.version, last->version) >= 0) {
      last = LastUsn{std::move(sv.version), std::move(sv.notice_id), false, {}};
    }
  }
  if (glitches == nullptr) {
    return last;
  }
  std::vector<std::string> chain =
      glitches->chain(source, codename, last ? last->version : std::string(kernels::k_never_published));
  if (chain.size() < 2) {
    return last; // no glitch: the notice's version, or nothing
  }
  if (!last) {
    last.emplace();
  }
  last->version = chain.back();
  last->from_glitch = true;
  last->glitch_chain = std::move(chain);
  return last;
}

} // namespace kct::workflow
