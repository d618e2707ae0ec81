#pragma once
// kernel-abi-check (uct doc §9.12): the daily look at every kernel of the live releases. Does a
// kernel in -security need a notice (its version is newer than the one its last notice fixed)?
// Does every kernel's ABI agree with its meta package's and its signed package's in each
// pocket? A mismatch means the kernel publishing went wrong. The original asked Launchpad for
// the Published version per pocket; here the archive's apt indices answer (archive_view.h).
//
// Lines, one per check (`<rel>-<pocket>` is the dists name: `xenial-updates`):
//   USN needed: <rel>/<src>: <ver> (last USN: <last>)
//   ok: <rel>/<src>: <ver> (last USN: <last>)[ [ignore-usn]]
//   FAIL: ABI mismatch in <rel>-<pocket>: <src> <ver> (ABI n) != <meta> <mver> (ABI m)
//         [; alternate <alt> <aver> (ABI k) does not match either]
//   FAIL: ABI mismatch in <rel>-<pocket>: <signed> <sver> (ABI n) != <src> <ver> (ABI m)
//   ok: <rel>-<pocket>: <src> <ver> (ABI n) == <meta> <mver> (ABI n)
//   ok: <rel>-<pocket>: <src> <ver> (ABI n) != <meta> <mver> (ABI m); alternate <alt> <aver> (ABI m) ==
//   ok: <rel>-<pocket>: <src> <ver> (ABI n) != <meta> <mver> (ABI m): ignored (ignore-mabi|mabi-glitch)
//   FAIL: no archive indices for <rel> in <mirror>; its kernels were not checked
// A version the pocket does not publish is `0.0.0.0` and its ABI is written `(DNE)`; an ABI
// that does not parse is `(ABI ?)`. Pairs where neither side is published in a pocket are not
// checked (nothing to compare).
#include "archive/archive_view.h"
#include "catalog/catalog.h"
#include "kernels/glitches.h"
#include "kernels/kernel_table.h"
#include "usn/store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kct::workflow {

inline constexpr const char* k_not_published = "0.0.0.0";

struct AbiCheckOptions {
  bool ignore_usn = false;
  bool ignore_abi = false;
  bool add_proposed = false;        // check the -proposed pocket's ABIs too
  bool use_updates = false;         // the USN check looks at -updates instead of -security
  std::vector<std::string> kernels; // only entries listing one of these sources; empty: all
};

enum class CheckKind : uint8_t { usn, meta_abi, signed_abi, archive };

struct CheckResult {
  CheckKind kind = CheckKind::usn;
  bool ok = true;
  std::string release = {};
  std::string pocket = {}; // "updates", "security", "proposed"; empty for the USN check
  std::string source = {};
  std::string version = {};         // the source's published version in the pocket
  std::string against = {};         // the meta or signed source; "last USN" for the USN check
  std::string against_version = {}; // its version, or the last USN version
  std::string text = {};            // the line as printed (see above)
};

struct AbiCheckReport {
  std::vector<CheckResult> results;
  bool failed() const;
  int exit_status() const { return failed() ? 1 : 0; }
};

// What the check reads.
struct AbiCheckInputs {
  const catalog::Catalog& catalog;
  const kernels::KernelTable& kernels;
  const kernels::GlitchTable* glitches; // nullptr: no remap of last-USN versions
  archive::ArchiveView& archive;        // loaded with the release, updates and security pockets
  usn::Store* store;                    // nullptr only with ignore_usn
};

// The names of `kernels` that no entry of the table lists (an error for the caller to report).
std::vector<std::string> unknown_kernels(const kernels::KernelTable& table, const std::vector<std::string>& kernels);

// Every table entry of a live, non-ESM release of the catalog (the original skips ESM), in
// table order: the USN check, then the ABI checks per pocket (updates, security, proposed).
AbiCheckReport kernel_abi_check(const AbiCheckInputs& inputs, const AbiCheckOptions& options);

} // namespace kct::workflow
