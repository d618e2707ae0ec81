#pragma once
// The USN database behind one interface, so SQLite (one file, zero set-up) and PostgreSQL
// (a team publishing at once) behave the same. It replaces the pickle and its "social lock":
// every logical change is one transaction, every notice carries a revision so an edit based
// on a stale read is refused instead of overwriting someone else's work, and every change is
// appended to a history (who, when, and an RFC 6902 JSON Patch from the old document to the
// new one; replaying a notice's patches from null rebuilds any revision of it).
#include "usn/notice.h"
#include "usn/reverted.h"
#include "util/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kct::usn {

struct StoredNotice {
  Notice notice;
  int64_t revision = 0; // 1 when created, +1 per change
};

// Expected revisions for put() and remove().
inline constexpr int64_t k_must_not_exist = 0; // create: refused when the id is taken
inline constexpr int64_t k_any_revision = -1;  // import: overwrite whatever is there

// All given criteria must hold.
struct ListFilter {
  std::optional<std::string> cve = {};     // listed in `cves`
  std::optional<std::string> package = {}; // a source, binary or all-binary name in any release
  std::optional<std::string> release = {}; // has a `releases.<release>` entry
};

// One notice's version of a source in one release (`releases.<release>.sources.<source>`).
struct SourceVersion {
  std::string notice_id;
  std::string version;
};

// Who makes a change, and why; the store records when.
struct Author {
  std::string name;
  std::string comment;
};

// History subject of changes to the reverted-CVE list (notice changes use the notice id).
inline constexpr const char* k_reverted_subject = "reverted-CVEs";

struct HistoryEntry {
  int64_t sequence = 0; // increasing across the whole store
  std::string subject;  // a notice id, or k_reverted_subject
  std::string action;   // create, update, delete, reserve, reverted
  int64_t revision = 0; // the notice's revision after the change (0 after delete)
  std::string author;
  std::string comment;
  std::string at; // UTC, ISO 8601 with milliseconds: 2024-05-01T12:00:00.123Z
  Json patch;     // JSON Patch from the previous document (null when none) to the new one
};

// put()/remove() refused because the notice changed since the caller read it.
class ConflictError : public Error {
public:
  using Error::Error;
};

class Store {
public:
  virtual ~Store() = default;

  // Where the store lives (a path or a redacted URL), for messages.
  virtual std::string location() const = 0;
  virtual int schema_version() = 0;

  virtual std::optional<StoredNotice> get(const std::string& id) = 0;
  // Ids in USN order (usn_id_less).
  virtual std::vector<std::string> list(const ListFilter& filter = {}) = 0;

  // Every notice's version of `source` in `release` (a plain codename, as notices write it),
  // in USN order; entries without a version are left out.
  virtual std::vector<SourceVersion> source_versions(const std::string& source, const std::string& release) = 0;

  // Writes the notice if its stored revision is `expected_revision` (k_must_not_exist for a
  // new one, k_any_revision to skip the check); returns the new revision. Throws
  // ConflictError, saying who changed it and when, otherwise. Writing a notice equal to the
  // stored one changes nothing and returns the stored revision.
  virtual int64_t put(const Notice& notice, int64_t expected_revision, const Author& author) = 0;
  // put(notice, k_any_revision) for each notice, all in one transaction: all or nothing.
  virtual void put_all(const std::vector<Notice>& notices, const Author& author) = 0;
  // Throws ConflictError as put() does, and kct::Error when the notice does not exist.
  virtual void remove(const std::string& id, int64_t expected_revision, const Author& author) = 0;

  // One past the highest number used or reserved, as `<number>-1`.
  virtual std::string next_free_id() = 0;
  // Takes next_free_id() atomically, so two publishers never get the same one.
  virtual std::string reserve_id(const Author& author) = 0;

  virtual RevertedList reverted() = 0;
  virtual void set_reverted(const RevertedList& list, const Author& author) = 0;

  // Oldest first; every subject when `subject` is empty.
  virtual std::vector<HistoryEntry> history(const std::string& subject = "") = 0;
};

} // namespace kct::usn
