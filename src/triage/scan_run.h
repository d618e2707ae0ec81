#pragma once
// One autotriage scan over every `scan` target of the configuration (kernel-team doc §1.8):
// versions per target, the provenance store brought up to date (parallel across trees, the
// upstream trees first because distribution tags link to their ranges), the overlay
// re-applied when scans or the overlay changed, then per target the chain of every version,
// ready for decisions.
#include "kgit/provenance_store.h"
#include "kgit/scanner.h"
#include "triage/overlay.h"
#include "triage/presence.h"
#include "triage/scan_config.h"
#include "util/diagnostic.h"

#include <functional>
#include <string>
#include <vector>

namespace kct::triage {

struct ScannedTarget {
  const ScanTarget* target = nullptr;
  std::vector<std::string> versions; // oldest first, `pending` last when present
  std::vector<std::string> tags;     // parallel to versions
  std::vector<PresenceIndex::Chain> chains;
  std::vector<int64_t> tids;
  bool ok = false; // false when its tree could not be read (diagnosed)
};

struct ScanRunOptions {
  std::string repos_dir;
  std::string state_dir;
  const Overlay* overlay = nullptr;
  unsigned jobs = 1;
  // Called with one line per finished target, for progress on stderr.
  std::function<void(const std::string&)> progress;
};

struct ScanRunResult {
  std::vector<ScannedTarget> targets; // config order, `scan` targets only
  kgit::ScanStats stats;
  int64_t overlay_rows = 0;
  bool overlay_applied = false;
};

// The store's file name inside the state directory.
inline constexpr const char* k_store_file = "kct-provenance.db";

ScanRunResult run_scans(kgit::ProvenanceStore& store, const ScanConfig& config, const ScanRunOptions& options,
                        std::vector<util::Diagnostic>& diagnostics);

kgit::OverlayRules overlay_rules(const Overlay& overlay);

} // namespace kct::triage
