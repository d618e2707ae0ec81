#pragma once
// A thin RAII layer over libpq: one connection, parameterised statements only (PQexecParams;
// never SQL built from data), results by row and column, and a transaction guard that rolls
// back unless committed. Failures throw kct::Error with the server's message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace kct::db {

class PgResult {
public:
  explicit PgResult(pg_result* result) : m_result(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;

  int rows() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  int64_t integer(int row, int column) const;
  int64_t affected() const; // rows changed by INSERT/UPDATE/DELETE

private:
  pg_result* m_result;
};

class Postgres {
public:
  // `conninfo` is a libpq URI (`postgresql://user@127.0.0.1:5432/db`) or key=value string.
  explicit Postgres(const std::string& conninfo);
  ~Postgres();
  Postgres(const Postgres&) = delete;
  Postgres& operator=(const Postgres&) = delete;

  // Runs one statement; `params` bind $1, $2 … (nullopt is SQL NULL).
  PgResult exec(std::string_view sql, const std::vector<std::optional<std::string>>& params = {});
  const std::string& where() const { return m_where; } // the URI without a password, for messages

private:
  pg_conn* m_conn = nullptr;
  std::string m_where;
};

// BEGIN … COMMIT with the given isolation (default SERIALIZABLE: concurrent publishers either
// commit as if alone or get a serialization failure to retry, never a lost update).
class PgTransaction {
public:
  explicit PgTransaction(Postgres& db, const char* isolation = "SERIALIZABLE");
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit();

private:
  Postgres& m_db;
  bool m_done = false;
};

// True when `e` came from a serialization failure or deadlock (SQLSTATE 40001/40P01): the
// caller may retry the whole transaction.
bool is_retryable(const std::exception& e);

} // namespace kct::db
