#include "db/postgres.h"

#include "util/error.h"

#include <libpq-fe.h>

namespace kct::db {
namespace {

// Messages carry the SQLSTATE so callers can tell a retryable conflict from a real error.
constexpr const char* k_state_marker = " [SQLSTATE ";

std::string strip_password(const std::string& conninfo) {
  size_t scheme = conninfo.find("://");
  size_t at = conninfo.find('@');
  if (scheme == std::string::npos || at == std::string::npos) {
    return conninfo.find("password") == std::string::npos ? conninfo : "postgresql database";
  }
  size_t colon = conninfo.find(':', scheme + 3);
  if (colon != std::string::npos && colon < at) {
    return conninfo.substr(0, colon) + conninfo.substr(at);
  }
  return conninfo;
}

} // namespace

PgResult::~PgResult() {
  PQclear(m_result);
}
int PgResult::rows() const {
  return PQntuples(m_result);
}
bool PgResult::is_null(int row, int column) const {
  return PQgetisnull(m_result, row, column) != 0;
}
std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(m_result, row, column), static_cast<size_t>(PQgetlength(m_result, row, column)));
}
int64_t PgResult::integer(int row, int column) const {
  return std::stoll(text(row, column));
}
int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(m_result);
  return n != nullptr && *n != '\0' ? std::stoll(n) : 0;
}

Postgres::Postgres(const std::string& conninfo) : m_where(strip_password(conninfo)) {
  m_conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(m_conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(m_conn);
    PQfinish(m_conn);
    m_conn = nullptr;
    throw Error(m_where + ": cannot connect: " + message);
  }
  exec("SET client_min_messages = warning");
}

Postgres::~Postgres() {
  PQfinish(m_conn);
}

PgResult Postgres::exec(std::string_view sql, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::optional<std::string>& p : params) {
    values.push_back(p ? p->c_str() : nullptr);
  }
  std::string text(sql);
  pg_result* raw =
      PQexecParams(m_conn, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
  PgResult result(raw);
  ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(m_conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    throw Error(m_where + ": " + message + k_state_marker + (state != nullptr ? state : "?") + "]");
  }
  return result;
}

PgTransaction::PgTransaction(Postgres& db, const char* isolation) : m_db(db) {
  m_db.exec(std::string("BEGIN ISOLATION LEVEL ") + isolation);
}

PgTransaction::~PgTransaction() {
  if (!m_done) {
    try {
      m_db.exec("ROLLBACK");
    } catch (...) {
      // The connection is likely gone; the server rolls back on disconnect.
    }
  }
}

void PgTransaction::commit() {
  m_db.exec("COMMIT");
  m_done = true;
}

bool is_retryable(const std::exception& e) {
  std::string what = e.what();
  return what.find(std::string(k_state_marker) + "40001]") != std::string::npos ||
         what.find(std::string(k_state_marker) + "40P01]") != std::string::npos;
}

} // namespace kct::db
