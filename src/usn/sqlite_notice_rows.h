#pragma once
// A notice as rows of the normalised SQLite schema (sqlite_schema.cpp): writing, reading and
// erasing one notice with statements prepared once per connection, since an import writes
// thousands of rows per kernel notice. Callers own the transaction.
#include "db/sqlite.h"
#include "db/sqlite_batch.h"
#include "usn/store.h"

#include <optional>
#include <string>

namespace kct::usn {

class NoticeRows {
public:
  explicit NoticeRows(db::Sqlite& db);

  std::optional<int64_t> revision(const std::string& id);
  std::optional<StoredNotice> read(const std::string& id);
  void write(const Notice& notice, int64_t revision);
  void erase(const std::string& id);

private:
  void write_rows(const Notice& notice, int64_t revision);
  void write_release(const std::string& id, const std::string& name, const Release& release);
  void read_children(const std::string& id, Notice& notice);

  db::Sqlite& m_db;
  db::Statement m_revision;
  db::Statement m_insert_notice;
  db::Statement m_insert_cve;
  db::Statement m_insert_release;
  db::BatchInsert m_insert_source;
  db::BatchInsert m_insert_binary;
  db::BatchInsert m_insert_allbinary;
  db::Statement m_insert_arch;
  db::Statement m_insert_url;
};

} // namespace kct::usn
