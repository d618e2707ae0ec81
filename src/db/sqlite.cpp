#include "db/sqlite.h"

#include "util/error.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace kct::db {

Sqlite::Sqlite(const std::string& path, bool create) : m_path(path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
    std::string message = m_db != nullptr ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    m_db = nullptr;
    throw Error(path + ": cannot open database: " + message);
  }
  sqlite3_busy_timeout(m_db, 30000);
  // Switching a fresh file to WAL needs an exclusive lock and returns SQLITE_BUSY at once,
  // without the busy handler, when another process is opening the same new file: retry it.
  for (int attempt = 0;; ++attempt) {
    int rc = sqlite3_exec(m_db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) {
      break;
    }
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt == 500) {
      std::string message = sqlite3_errmsg(m_db);
      sqlite3_close(m_db);
      m_db = nullptr;
      throw Error(path + ": " + message);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  exec("PRAGMA foreign_keys=ON");
}

Sqlite::~Sqlite() {
  sqlite3_close(m_db);
}

void Sqlite::fail(const std::string& what) const {
  throw Error(m_path + ": " + what + ": " + sqlite3_errmsg(m_db));
}

void Sqlite::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw Error(m_path + ": " + text);
  }
}

Statement Sqlite::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    fail("cannot prepare `" + std::string(sql) + "`");
  }
  return Statement(*this, stmt);
}

int64_t Sqlite::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(m_db);
}
int64_t Sqlite::changes() const {
  return sqlite3_changes(m_db);
}

int64_t Sqlite::total_changes() const {
  return sqlite3_total_changes64(m_db);
}

Statement::~Statement() {
  sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) {
  other.m_stmt = nullptr;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    m_db->fail("cannot bind parameter");
  }
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) {
    m_db->fail("cannot bind parameter");
  }
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    m_db->fail("cannot bind parameter");
  }
  return *this;
}

Statement& Statement::bind_static(int index, std::string_view text) {
  if (sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC) != SQLITE_OK) {
    m_db->fail("cannot bind parameter");
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) {
    m_db->fail("cannot bind parameter");
  }
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  m_db->fail("query failed");
}

void Statement::run() {
  // Reset on failure too: a statement left mid-step refuses every later bind, and bound
  // static text must not outlive this call.
  try {
    step();
  } catch (...) {
    reset();
    throw;
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::int_at(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}

std::string Statement::text_at(int column) const {
  return std::string(view_at(column));
}

std::string_view Statement::view_at(int column) const {
  const unsigned char* text = sqlite3_column_text(m_stmt, column);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::string_view Statement::bytes_at(int column) const {
  const void* bytes = sqlite3_column_blob(m_stmt, column);
  if (bytes == nullptr) {
    return {};
  }
  return {static_cast<const char*>(bytes), static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))};
}

bool Statement::is_blob(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_BLOB;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

Transaction::Transaction(Sqlite& db) : m_db(db) {
  m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!m_done) {
    try {
      m_db.exec("ROLLBACK");
    } catch (...) {
      // Nothing more can be done while unwinding; SQLite rolls back on close anyway.
    }
  }
}

void Transaction::commit() {
  m_db.exec("COMMIT");
  m_done = true;
}

} // namespace kct::db
