#pragma once
// Many rows per INSERT statement: `INSERT INTO t(a, b) VALUES (?, ?), (?, ?), …`. Each step of
// a one-row INSERT pays for starting and ending a statement (a quarter of a bulk import's
// time in SQLite); a batch of 32 rows pays once. Rows are collected, then bound and run
// together when the batch is full or on flush(). Text passed as `kept` must stay alive until
// then; everything else is copied.
#include "db/sqlite.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kct::db {

class BatchInsert {
public:
  // `head` is "INSERT INTO table(col, …)"; `columns` the number of columns it names.
  BatchInsert(Sqlite& db, std::string head, int columns, int rows_per_statement = 32);
  ~BatchInsert() = default;
  BatchInsert(const BatchInsert&) = delete;
  BatchInsert& operator=(const BatchInsert&) = delete;

  // The values of one row, in column order; the row is complete after `columns` values.
  BatchInsert& add(int64_t value);
  BatchInsert& add_null();
  BatchInsert& add_kept(std::string_view text);
  BatchInsert& add_kept(const std::string& text) { return add_kept(std::string_view(text)); }
  BatchInsert& add_kept(const std::optional<std::string>& text) { return text ? add_kept(*text) : add_null(); }
  BatchInsert& add_copy(std::string text);

  // Runs the rows collected so far. Call before reading the table or before kept text dies.
  void flush();
  // Forgets collected rows without writing them (after a failed transaction).
  void discard();

private:
  struct Kept {
    std::string_view text;
  };
  using Value = std::variant<std::monostate, int64_t, Kept, std::string>;

  void after_value();
  Statement& statement_for(int rows);

  Sqlite& m_db;
  std::string m_head;
  int m_columns;
  int m_rows_per_statement;
  std::vector<Value> m_values;
  std::map<int, std::unique_ptr<Statement>> m_statements; // by row count
};

} // namespace kct::db
