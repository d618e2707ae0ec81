#pragma once
// The version of a kernel (or any source) that its last notice fixed, as
// report-latest-usn-version answers it (uct doc §10.6) for prepare-kernel-usn and
// kernel-abi-check: the highest version any notice gave the source in the release, remapped
// through the kernel glitch table (§5.3) to what actually reached -security.
#include "kernels/glitches.h"
#include "usn/store.h"

#include <optional>
#include <string>
#include <vector>

namespace kct::workflow {

struct LastUsn {
  std::string version;
  std::string notice_id; // the notice that named the version; empty when from the `~` glitch
  bool from_glitch = false;
  std::vector<std::string> glitch_chain; // the versions the remap walked: the notice's (or `~`) first
};

// `release` may be a tracker name (`trusty/esm`): notices and the glitch table use the base
// codename, which is what is queried. With `glitches` (nullptr: no remap), the notice's version
// is remapped, and when no notice names the source the `~` glitch is tried. nullopt when
// neither gives a version; the caller then falls back to the archive.
std::optional<LastUsn> last_usn_version(usn::Store& store, const std::string& release, const std::string& source,
                                        const kernels::GlitchTable* glitches);

} // namespace kct::workflow
