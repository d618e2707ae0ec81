#include "db/sqlite_batch.h"

#include "util/error.h"

namespace kct::db {

BatchInsert::BatchInsert(Sqlite& db, std::string head, int columns, int rows_per_statement)
    : m_db(db), m_head(std::move(head)), m_columns(columns), m_rows_per_statement(rows_per_statement) {
  if (columns <= 0 || rows_per_statement <= 0 || columns * rows_per_statement > 32766) {
    throw Error("BatchInsert: " + std::to_string(rows_per_statement) + " rows of " + std::to_string(columns) +
                " columns exceed SQLite's 32,766 parameters");
  }
  m_values.reserve(static_cast<size_t>(columns * rows_per_statement));
}

BatchInsert& BatchInsert::add(int64_t value) {
  m_values.emplace_back(value);
  after_value();
  return *this;
}

BatchInsert& BatchInsert::add_null() {
  m_values.emplace_back(std::monostate{});
  after_value();
  return *this;
}

BatchInsert& BatchInsert::add_kept(std::string_view text) {
  m_values.emplace_back(Kept{text});
  after_value();
  return *this;
}

BatchInsert& BatchInsert::add_copy(std::string text) {
  m_values.emplace_back(std::move(text));
  after_value();
  return *this;
}

void BatchInsert::after_value() {
  if (m_values.size() == static_cast<size_t>(m_columns * m_rows_per_statement)) {
    flush();
  }
}

Statement& BatchInsert::statement_for(int rows) {
  std::unique_ptr<Statement>& slot = m_statements[rows];
  if (!slot) {
    std::string row = "(";
    for (int c = 0; c < m_columns; ++c) {
      row += c == 0 ? "?" : ", ?";
    }
    row += ")";
    std::string sql = m_head + " VALUES ";
    for (int r = 0; r < rows; ++r) {
      sql += (r == 0 ? "" : ", ") + row;
    }
    slot = std::make_unique<Statement>(m_db.prepare(sql));
  }
  return *slot;
}

void BatchInsert::flush() {
  if (m_values.empty()) {
    return;
  }
  if (m_values.size() % static_cast<size_t>(m_columns) != 0) {
    throw Error(m_db.path() + ": BatchInsert: a row of `" + m_head + "` is incomplete");
  }
  Statement& insert = statement_for(static_cast<int>(m_values.size()) / m_columns);
  for (size_t i = 0; i < m_values.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    const Value& value = m_values[i];
    if (const auto* number = std::get_if<int64_t>(&value)) {
      insert.bind(index, *number);
    } else if (const auto* kept = std::get_if<Kept>(&value)) {
      insert.bind_static(index, kept->text);
    } else if (const auto* copy = std::get_if<std::string>(&value)) {
      insert.bind_static(index, *copy); // m_values holds it until run() returns
    } else {
      insert.bind_null(index);
    }
  }
  try {
    insert.run();
  } catch (...) {
    m_values.clear();
    throw;
  }
  m_values.clear();
}

void BatchInsert::discard() {
  m_values.clear();
}

} // namespace kct::db
