#pragma once
// The PostgreSQL USN store, for a team publishing at once (`--usn-db postgresql://…`). Same
// schema shape, history and messages as SqliteStore. Every logical change is one SERIALIZABLE
// transaction that also locks the notice row it rewrites (SELECT … FOR UPDATE), so
// concurrent publishers queue on a notice instead of overwriting each other; a transaction
// the server aborts as a serialization failure or deadlock is retried a bounded number of
// times, and a retry that then finds the notice changed reports the ordinary ConflictError.
// Reads run in one REPEATABLE READ snapshot, so a notice is never seen half-written.
#include "db/postgres.h"
#include "usn/postgres_notice_rows.h"
#include "usn/store.h"

#include <memory>
#include <random>
#include <string>

namespace kct::usn {

class PostgresStore : public Store {
public:
  // Connects to `uri` (a libpq URI or key=value string) and migrates the database to the
  // current schema; throws kct::Error naming the server when it is unreachable, or when the
  // schema is newer than this kct.
  explicit PostgresStore(const std::string& uri);

  std::string location() const override { return m_db->where(); }
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

  // Transactions retried after serialization failures since this store was opened (for tests
  // and --stats).
  int64_t retries() const { return m_retries; }

private:
  template <class Fn>
  auto write_transaction(Fn fn) -> decltype(fn());
  template <class Fn>
  auto read_transaction(Fn fn) -> decltype(fn());

  int64_t put_locked(const Notice& notice, int64_t expected_revision, const Author& author);
  int64_t last_revision(const std::string& id); // the highest in its history, 0 when none
  void check_revision(const std::string& id, std::optional<int64_t> current, int64_t expected);
  std::string next_free_id_locked();
  RevertedList read_reverted();
  void append_history(const std::string& subject, const char* action, int64_t revision, const Author& author,
                      const Json& patch);

  std::unique_ptr<db::Postgres> m_db;
  std::unique_ptr<PgNoticeRows> m_rows;
  std::minstd_rand m_jitter;
  int64_t m_retries = 0;
};

} // namespace kct::usn
