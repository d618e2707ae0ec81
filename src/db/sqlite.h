#pragma once
// A thin RAII layer over the SQLite C API: one connection, prepared statements with bound
// parameters only (never SQL built from data), and a transaction guard that rolls back
// unless committed. Failures throw kct::Error naming the database file and SQLite's message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace kct::db {

class Statement;

class Sqlite {
public:
  // Opens (creating when `create`) the database at `path`, with a busy timeout so concurrent
  // writers wait instead of failing, WAL journaling and foreign keys on.
  explicit Sqlite(const std::string& path, bool create = true);
  ~Sqlite();
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  void exec(const char* sql); // statements without parameters (schema, pragmas)
  Statement prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  int64_t changes() const;
  // Rows changed through this connection since it opened: a cheap "did anything change".
  int64_t total_changes() const;
  const std::string& path() const { return m_path; }
  sqlite3* raw() const { return m_db; }

  [[noreturn]] void fail(const std::string& what) const;

private:
  sqlite3* m_db = nullptr;
  std::string m_path;
};

class Statement {
public:
  Statement(Sqlite& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);
  // Bytes, not text: SQLite keeps them apart (typeof() = 'blob') and never re-encodes them.
  Statement& bind_blob(int index, std::string_view bytes);
  // Text that outlives the next run()/reset(): bound without the copy bind() makes, which
  // is a tenth of a bulk import.
  Statement& bind_static(int index, std::string_view text);
  Statement& bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bind_null(index);
  }

  bool step(); // true while a row is available
  void run();  // steps once and resets, for statements without results
  void reset();

  int64_t int_at(int column) const;
  std::string text_at(int column) const;
  std::string_view view_at(int column) const;  // valid until the next step
  std::string_view bytes_at(int column) const; // a BLOB's bytes, valid until the next step
  bool is_null(int column) const;
  bool is_blob(int column) const;

private:
  Sqlite* m_db;
  sqlite3_stmt* m_stmt;
};

// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed uncommitted (an exception left the scope).
class Transaction {
public:
  explicit Transaction(Sqlite& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

private:
  Sqlite& m_db;
  bool m_done = false;
};

} // namespace kct::db
