#pragma once
// sync-from-usns (uct doc §10.9): compare the tracker with the published notices and, with
// `update`, bring the tracker in line: Ubuntu-Description from kernel notices, the USN
// reference, PublicDateAtUSN, and `released (version)` for every CVE, release and source a
// notice fixed. Every edit goes through tracker::Editor (minimal, atomic per file).
#include "catalog/catalog.h"
#include "tracker/tracker.h"
#include "usn/notice.h"
#include "usn/reverted.h"

#include <optional>
#include <string>
#include <vector>

namespace kct::usn {

struct SyncOptions {
  std::optional<std::string> usn; // only this notice
  bool update = false;            // -u: write the changes
  bool use_usn_version = false;   // -U: the notice's version wins over the tracker's
  bool retired = false;           // -r: also CVEs in retired/
};

struct SyncReport {
  std::vector<std::string> messages; // in the original's order, one line each
  int64_t errors = 0;
  bool fatal = false;                     // an empty PublicDate: the original exits 1
  std::vector<std::string> changed_files; // written (update) or that would be (report)
  std::vector<std::string> updated_usns;  // notices whose CVEs' tracker data changed
};

struct SyncInputs {
  const std::vector<Notice>* notices = nullptr;
  RevertedList reverted;            // meta_lists/reverted-CVEs.txt
  RevertedList ignored_description; // meta_lists/ignored-modified-USN-descriptions.txt
};

SyncReport sync_from_usns(tracker::Tracker& tracker, const catalog::Catalog& catalog, const SyncInputs& inputs,
                          const SyncOptions& options);

} // namespace kct::usn
