#include "usn/postgres_store.h"

#include "usn/notice_json.h"
#include "usn/postgres_schema.h"
#include "usn/store_common.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <type_traits>

namespace kct::usn {
namespace {

// A serialization failure means another publisher committed first; retrying re-reads the
// notice, so the retry either succeeds or finds a genuine conflict. Under heavy contention a
// few rounds suffice; the bound only stops a pathological storm from spinning forever.
constexpr int k_max_attempts = 30;
constexpr int64_t k_max_backoff_ms = 100;

std::optional<std::string> text_param(int64_t value) {
  return std::to_string(value);
}

} // namespace

PostgresStore::PostgresStore(const std::string& uri)
    : m_db(std::make_unique<db::Postgres>(uri)), m_jitter(std::random_device{}()) {
  // A COMMIT that fails to serialize ends the transaction, so the guard's ROLLBACK then draws
  // a "no transaction in progress" warning, which libpq would print on stderr at each retry.
  m_db->exec("SET client_min_messages = error");
  migrate_postgres_schema(*m_db);
  m_rows = std::make_unique<PgNoticeRows>(*m_db);
}

template <class Fn>
auto PostgresStore::write_transaction(Fn fn) -> decltype(fn()) {
  for (int attempt = 1;; ++attempt) {
    try {
      db::PgTransaction transaction(*m_db);
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        transaction.commit();
        return;
      } else {
        auto result = fn();
        transaction.commit();
        return result;
      }
    } catch (const ConflictError&) {
      // The snapshot postdates the caller's read, so a revision that differs is a change
      // someone committed, whether or not this transaction could have committed.
      throw;
    } catch (const Error& e) {
      if (!db::is_retryable(e)) {
        throw;
      }
      if (attempt == k_max_attempts) {
        throw Error(std::string(e.what()) + " (gave up after " + std::to_string(attempt) + " attempts)");
      }
      // Random backoff, doubling up to a cap, so the losers do not collide again in step.
      ++m_retries;
      int64_t cap = std::min<int64_t>(int64_t{1} << std::min(attempt, 10), k_max_backoff_ms);
      std::uniform_int_distribution<int64_t> wait_us(0, cap * 1000);
      std::this_thread::sleep_for(std::chrono::microseconds(wait_us(m_jitter)));
    }
  }
}

template <class Fn>
auto PostgresStore::read_transaction(Fn fn) -> decltype(fn()) {
  // A read-only REPEATABLE READ transaction never fails to serialize.
  db::PgTransaction transaction(*m_db, "REPEATABLE READ READ ONLY");
  auto result = fn();
  transaction.commit();
  return result;
}

int PostgresStore::schema_version() {
  return postgres_schema_version(*m_db);
}

std::optional<StoredNotice> PostgresStore::get(const std::string& id) {
  return read_transaction([&] { return m_rows->read(id); });
}

std::vector<std::string> PostgresStore::list(const ListFilter& filter) {
  // Only constant SQL fragments are chosen here; every value is a parameter.
  std::string sql = "SELECT id FROM notices n WHERE true";
  std::vector<std::optional<std::string>> values;
  auto param = [&](const std::string& value) {
    values.push_back(value);
    return "$" + std::to_string(values.size());
  };
  if (filter.cve) {
    sql += " AND n.id IN (SELECT notice_id FROM notice_cves WHERE cve = " + param(*filter.cve) + ")";
  }
  if (filter.release) {
    sql += " AND n.id IN (SELECT notice_id FROM releases WHERE release = " + param(*filter.release) + ")";
  }
  if (filter.package) {
    // With --release too, the package must be in that release.
    std::string package = param(*filter.package);
    std::string in_release = filter.release ? " AND release = " + param(*filter.release) : "";
    const char* joiner = " AND n.id IN (";
    for (const char* table : {"sources", "binaries", "allbinaries"}) {
      sql += std::string(joiner) + "SELECT notice_id FROM " + table + " WHERE name = " + package + in_release;
      joiner = " UNION ";
    }
    sql += ")";
  }
  sql += " ORDER BY number, suffix, id";
  db::PgResult rows = m_db->exec(sql, values);
  std::vector<std::string> ids;
  ids.reserve(static_cast<size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    ids.push_back(rows.text(i, 0));
  }
  return ids;
}

std::vector<SourceVersion> PostgresStore::source_versions(const std::string& source, const std::string& release) {
  db::PgResult rows = m_db->exec("SELECT s.notice_id, s.version FROM sources s JOIN notices n ON n.id = s.notice_id "
                                 "WHERE s.name = $1 AND s.release = $2 AND s.version IS NOT NULL "
                                 "ORDER BY n.number, n.suffix, n.id",
                                 {source, release});
  std::vector<SourceVersion> out;
  out.reserve(static_cast<size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    out.push_back(SourceVersion{rows.text(i, 0), rows.text(i, 1)});
  }
  return out;
}

int64_t PostgresStore::put(const Notice& notice, int64_t expected_revision, const Author& author) {
  return write_transaction([&] { return put_locked(notice, expected_revision, author); });
}

void PostgresStore::put_all(const std::vector<Notice>& notices, const Author& author) {
  write_transaction([&] {
    for (const Notice& notice : notices) {
      put_locked(notice, k_any_revision, author);
    }
  });
}

int64_t PostgresStore::put_locked(const Notice& notice, int64_t expected_revision, const Author& author) {
  std::optional<int64_t> current = m_rows->revision(notice.id, true);
  check_revision(notice.id, current, expected_revision);
  Json old_document = current ? notice_to_json(m_rows->read(notice.id)->notice) : Json();
  Json new_document = notice_to_json(notice);
  if (current && old_document == new_document) {
    return *current;
  }
  // A notice deleted and created again goes on from its last revision, so an edit based on a
  // read from before the deletion is refused, never applied to the new notice.
  int64_t revision = (current ? *current : last_revision(notice.id)) + 1;
  if (current) {
    m_rows->erase(notice.id);
  }
  m_rows->write(notice, revision);
  m_db->exec("DELETE FROM reserved_ids WHERE id = $1", {notice.id});
  append_history(notice.id, current ? "update" : "create", revision, author, Json::diff(old_document, new_document));
  return revision;
}

void PostgresStore::remove(const std::string& id, int64_t expected_revision, const Author& author) {
  write_transaction([&] {
    std::optional<int64_t> current = m_rows->revision(id, true);
    check_revision(id, current, expected_revision);
    if (!current) {
      throw Error(location() + ": no USN " + id + " to delete");
    }
    Json old_document = notice_to_json(m_rows->read(id)->notice);
    m_rows->erase(id);
    append_history(id, "delete", 0, author, Json::diff(old_document, Json()));
  });
}

int64_t PostgresStore::last_revision(const std::string& id) {
  db::PgResult row = m_db->exec("SELECT coalesce(max(revision), 0) FROM history WHERE subject = $1", {id});
  return std::stoll(row.text(0, 0));
}

void PostgresStore::check_revision(const std::string& id, std::optional<int64_t> current, int64_t expected) {
  if (revision_matches(current, expected)) {
    return;
  }
  std::string last;
  db::PgResult row = m_db->exec("SELECT action, author, at FROM history WHERE subject = $1 "
                                "ORDER BY sequence DESC LIMIT 1",
                                {id});
  if (row.rows() != 0) {
    last = row.text(0, 0) + " by " + row.text(0, 1) + " at " + row.text(0, 2);
  }
  throw revision_conflict(location(), id, current, expected, last);
}

void PostgresStore::append_history(const std::string& subject, const char* action, int64_t revision,
                                   const Author& author, const Json& patch) {
  m_db->exec(
      "INSERT INTO history(subject, action, revision, author, comment, at, patch) "
      "VALUES($1, $2, $3, $4, $5, $6, $7)",
      {subject, std::string(action), text_param(revision), author.name, author.comment, now_utc(), patch.dump()});
}

std::string PostgresStore::next_free_id() {
  return read_transaction([&] { return next_free_id_locked(); });
}

std::string PostgresStore::next_free_id_locked() {
  db::PgResult row = m_db->exec("SELECT greatest(coalesce((SELECT max(number) FROM notices), 0), "
                                "coalesce((SELECT max(number) FROM reserved_ids), 0))");
  return std::to_string(row.integer(0, 0) + 1) + "-1";
}

std::string PostgresStore::reserve_id(const Author& author) {
  // SERIALIZABLE makes two reservations that read the same maximum conflict: one retries.
  return write_transaction([&] {
    std::string id = next_free_id_locked();
    m_db->exec("INSERT INTO reserved_ids(id, number, author, at) VALUES($1, $2, $3, $4)",
               {id, text_param(parse_usn_id(id)->number), author.name, now_utc()});
    append_history(id, "reserve", 0, author, Json::array());
    return id;
  });
}

RevertedList PostgresStore::reverted() {
  return read_transaction([&] { return read_reverted(); });
}

RevertedList PostgresStore::read_reverted() {
  RevertedList list;
  db::PgResult rows = m_db->exec("SELECT usn, cve FROM reverted_cves ORDER BY line, position");
  for (int i = 0; i < rows.rows(); ++i) {
    std::string usn = rows.text(i, 0);
    if (list.empty() || list.back().usn != usn) {
      list.push_back(RevertedEntry{usn, {}});
    }
    list.back().cves.push_back(rows.text(i, 1));
  }
  return list;
}

void PostgresStore::set_reverted(const RevertedList& list, const Author& author) {
  check_reverted_list(list, location());
  Json rows = Json::array();
  for (size_t line = 0; line < list.size(); ++line) {
    for (size_t position = 0; position < list[line].cves.size(); ++position) {
      rows.push_back(
          {{"usn", list[line].usn}, {"cve", list[line].cves[position]}, {"line", line}, {"position", position}});
    }
  }
  write_transaction([&] {
    RevertedList old_list = read_reverted();
    if (old_list == list) {
      return;
    }
    m_db->exec("DELETE FROM reverted_cves");
    m_db->exec("INSERT INTO reverted_cves(usn, cve, line, position) SELECT r.usn, r.cve, r.line, r.position "
               "FROM json_to_recordset($1::json) AS r(usn TEXT, cve TEXT, line INTEGER, position INTEGER)",
               {rows.dump()});
    append_history(k_reverted_subject, "update", 0, author, Json::diff(reverted_json(old_list), reverted_json(list)));
  });
}

std::vector<HistoryEntry> PostgresStore::history(const std::string& subject) {
  std::string sql = "SELECT sequence, subject, action, revision, author, comment, at, patch FROM history";
  std::vector<std::optional<std::string>> params;
  if (!subject.empty()) {
    sql += " WHERE subject = $1";
    params.push_back(subject);
  }
  db::PgResult rows = m_db->exec(sql + " ORDER BY sequence", params);
  std::vector<HistoryEntry> out;
  out.reserve(static_cast<size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    out.push_back(HistoryEntry{rows.integer(i, 0), rows.text(i, 1), rows.text(i, 2), rows.integer(i, 3),
                               rows.text(i, 4), rows.text(i, 5), rows.text(i, 6), Json::parse(rows.text(i, 7))});
  }
  return out;
}

} // namespace kct::usn
