#pragma once
// A notice as rows of the normalised PostgreSQL schema (postgres_schema.cpp). Each child
// table is written with one statement whose rows travel as a single JSON parameter
// (json_to_recordset), so a kernel notice with hundreds of binaries costs a handful of round
// trips instead of one per row, and no value is ever spliced into SQL. Callers own the
// transaction.
#include "db/postgres.h"
#include "usn/store.h"

#include <optional>
#include <string>

namespace kct::usn {

class PgNoticeRows {
public:
  explicit PgNoticeRows(db::Postgres& db) : m_db(db) {}

  // With `lock`, the notice row stays locked (FOR UPDATE) until the transaction ends.
  std::optional<int64_t> revision(const std::string& id, bool lock);
  std::optional<StoredNotice> read(const std::string& id);
  void write(const Notice& notice, int64_t revision);
  void erase(const std::string& id);

private:
  void read_children(const std::string& id, Notice& notice);
  void insert_rows(const char* sql, const std::string& id, const Json& rows);

  db::Postgres& m_db;
};

} // namespace kct::usn
