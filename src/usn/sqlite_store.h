#pragma once
// The SQLite USN store: one file, zero set-up, the default backend. Every logical change runs
// in one BEGIN IMMEDIATE transaction, which takes the write lock before reading the revision
// it checks, so two publishers can never both pass the optimistic-concurrency check; WAL mode
// lets readers (and backups) go on meanwhile.
#include "db/sqlite.h"
#include "usn/sqlite_notice_rows.h"
#include "usn/store.h"

#include <memory>
#include <string>

namespace kct::usn {

// A history patch as the history table keeps it (schema 3 on): JSON text, or, from
// k_pack_patches_from bytes on (a creation carries the whole notice, 250 KB for a kernel
// notice), deflate_text() of it in a BLOB, which SQLite keeps apart by type.
struct StoredPatch {
  std::string bytes;
  bool packed = false;
};
inline constexpr size_t k_pack_patches_from = 1024;
StoredPatch stored_patch(std::string text);

class SqliteStore : public Store {
public:
  // Opens or creates the store at `path` (":memory:" for tests) and migrates it to the
  // current schema; throws kct::Error for a file that is not a SQLite database or a schema
  // newer than this kct.
  explicit SqliteStore(const std::string& path);

  std::string location() const override { return m_db->path(); }
  int schema_version() override;

  std::optional<StoredNotice> get(const std::string& id) override;
  std::vector<std::string> list(const ListFilter& filter = {}) override;
  std::vector<SourceVersion> source_versions(const std::string& source, const std::string& release) override;

  int64_t put(const Notice& notice, int64_t expected_revision, const Author& author) override;
  void put_all(const std::vector<Notice>& notices, const Author& author) override;
  void remove(const std::string& id, int64_t expected_revision, const Author& author) override;

  std::string next_free_id() override;
  std::string reserve_id(const Author& author) override;

  RevertedList reverted() override;
  void set_reverted(const RevertedList& list, const Author& author) override;

  std::vector<HistoryEntry> history(const std::string& subject = "") override;

private:
  int64_t put_locked(const Notice& notice, int64_t expected_revision, const Author& author);
  int64_t last_revision(const std::string& id); // the highest in its history, 0 when none
  void check_revision(const std::string& id, std::optional<int64_t> current, int64_t expected);
  void append_history(const std::string& subject, const char* action, int64_t revision, const Author& author,
                      const Json& patch);
  void append_history(const std::string& subject, const char* action, int64_t revision, const Author& author,
                      const StoredPatch& patch);

  std::unique_ptr<db::Sqlite> m_db;
  std::unique_ptr<NoticeRows> m_rows;
  std::unique_ptr<db::Statement> m_last_revision; // declared after m_db: finalized before it closes
};

} // namespace kct::usn
