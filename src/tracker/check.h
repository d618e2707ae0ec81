#pragma once
// check-syntax (uct §11). The rules that need an archive mirror (6e, 6g-6k, 7) run when
// CheckOptions::archive is given and are otherwise skipped (check_rules_needing_mirror() lists
// them); rule 15 (hardy and lucid only) is not implemented; rule 11 needs the USN database.
#include "tracker/archive_map.h"
#include "tracker/tracker.h"
#include "util/diagnostic.h"

#include <string_view>
#include <vector>

namespace kct::tracker {

struct CheckOptions {
  bool roundtrip = false; // also report files whose parse-then-write bytes differ
  unsigned jobs = 0;
  const ArchiveMap* archive = nullptr; // the mirror rules run only with one
  bool check_versions = false;         // rule 6i (check-syntax's -s); needs `archive`
};

struct CheckResult {
  std::vector<util::Diagnostic> diagnostics; // sorted by path and line
  size_t files_checked = 0;
};

CheckResult check_tracker(const Tracker& tracker, const CheckOptions& options);

// The diagnostics of one CVE file (parse errors plus rules 2-14).
void check_file(const Tracker& tracker, const TrackedFile& tf, std::vector<util::Diagnostic>& out,
                const CheckOptions& options = {});

// `20YY-MM-DD[ HH:MM:SS[ TZ|±NNNN]]`, empty or `unknown` (rule 13).
bool is_valid_tracker_date(std::string_view value);

// The rules skipped without an archive map; with one, all but rule 15 run.
std::vector<std::string_view> check_rules_needing_mirror();

} // namespace kct::tracker
