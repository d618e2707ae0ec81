#pragma once
// `kct usn publish`: a reviewed draft (draft.h) becomes a published notice. Each notice is one
// transaction over the store and the tracker: the notice is stored and the tracker marked
// (sync-from-usns for that notice: `pending (V)` → `released (V)`, the USN reference,
// PublicDateAtUSN), or, on any failure, neither. Then the derived outputs are written: the
// website page, the notice JSON and the OSV record, each only when its bytes change.
//
// How all-or-nothing holds without a transaction spanning a database and files:
//  1. everything that can be refused is checked, and every output rendered, before anything
//     is written (draft, store state, catalog releases, the tracker edits computed in memory
//     on the notice's CVE files, read fresh from disk with their original bytes kept);
//  2. the tracker files are written one by one (each atomically); if one fails, those already
//     written get their original bytes back;
//  3. the store write is the commit point: one database transaction, last, so its failure
//     (a refused put, a conflict with a notice stored meanwhile, a read-only database) only
//     needs the tracker files restored, while a store write done first could not be taken
//     back without leaving a creation and a deletion in the history;
//  4. outputs are written after the commit: they are derived, and publishing again (a no-op
//     for the store and the tracker) writes any that failed.
// Publishing a notice already stored with the same content (ignoring its timestamp) changes
// nothing in the store; one stored with other content is refused.
#include "catalog/catalog.h"
#include "usn/notice.h"
#include "usn/reverted.h"
#include "usn/store.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <vector>

namespace kct::usn {

struct PublishOptions {
  std::string draft_dir;                  // drafts are read from draft_path(draft_dir, id)
  std::optional<std::string> website_dir; // <dir>/content/<id>.md
  std::optional<std::string> json_dir;    // <dir>/<id>.json, the published per-notice layout
  std::optional<std::string> osv_dir;     // <dir>/USN-<id>.json
  bool dry_run = false;                   // compute and report everything, write nothing
  Author author;
  std::optional<double> now; // the timestamp of a new notice; default the clock
};

// The tracker side: its root (CVE files are read from active/, retired/, ignored/) and the
// lists sync-from-usns honours.
struct PublishTracker {
  std::string root;
  RevertedList reverted;
  RevertedList ignored_description;
};

// A write that failed (a tracker file, the store, an output): an environment failure rather
// than bad input. The message says what was restored, or that the notice is published.
class PublishWriteError : public Error {
public:
  using Error::Error;
};

enum class FileAction { written, unchanged, would_write };
const char* file_action_name(FileAction action);

struct OutputFile {
  std::string kind; // website, json, osv
  std::string path;
  FileAction action = FileAction::unchanged;
};

struct PublishResult {
  std::string id;
  std::string draft;
  Notice notice;                          // as published, with its timestamp
  bool created = false;                   // stored by this publish (or would be); false: it was there, equal
  int64_t revision = 0;                   // in the store; 0 in a dry run of a new notice
  std::vector<std::string> tracker_files; // written, or that would be
  std::vector<std::string> messages;      // sync-from-usns' report for this notice
  int64_t sync_errors = 0;                // its ERROR lines (reported, not fatal, as in sync)
  std::vector<OutputFile> outputs;
  std::string email; // the announcement
};

// Publishes one notice (`id` as 4210-1 or USN-4210-1). Throws kct::Error, with nothing
// written, for a missing or unparsable draft, a draft that is not ready (draft_problems), a
// notice stored with other content, an unknown release, a tracker CVE file with an empty
// PublicDate; PublishWriteError for a failed write (the message says what was restored), and
// for an output that fails after the commit (saying the notice is published).
PublishResult publish_notice(const std::string& id, Store& store, const PublishTracker& tracker,
                             const catalog::Catalog& catalog, const PublishOptions& options);

} // namespace kct::usn
