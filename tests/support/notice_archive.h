#pragma once
// Test helper for the real-data kernel notice tests: apt indices rebuilt from what a published
// notice records (binaries, versions, pool URLs, sizes, md5 sums), so composing the notice again
// from them can be compared with the published one. The primary archive's releases get
// `dists/<rel>-security/<component>/{source/Sources,binary-<arch>/Packages}` under `mirror`;
// ESM releases (no URLs in the notice) get a PPA layout `dists/<rel>/main/…` for k_esm_ppa
// under `ppa_base`.
// Decoys keep the selection honest: every kernel source also appears in -proposed with a
// higher version and in -updates with a lower one, binaries included.
#include "usn/notice.h"

#include <string>

namespace kct::testing {

struct NoticeArchive {
  std::string mirror;   // primary archive root (holds dists/)
  std::string ppa_base; // where PPAs live (--ppa-base); "" when the notice has no ESM release
};

// The ESM PPA the notice's ESM releases are written as (under ppa_base).
inline constexpr const char* k_esm_ppa = "ubuntu-esm/esm";

// Writes the indices of `notice` under `dir`. Throws on a URL it cannot read as a pool path,
// except the truncated one 4184-1 carries (skipped, as the test lists it).
NoticeArchive write_notice_archive(const usn::Notice& notice, const std::string& dir);

} // namespace kct::testing
