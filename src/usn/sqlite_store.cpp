#include "usn/sqlite_store.h"

#include "usn/notice_json.h"
#include "usn/sqlite_schema.h"
#include "usn/store_common.h"
#include "util/deflate.h"

#include <chrono>
#include <future>
#include <string_view>
#include <thread>

namespace kct::usn {

SqliteStore::SqliteStore(const std::string& path) {
  // Several processes opening a new file at once race to switch it to WAL: SQLite then answers
  // "database is locked" at once instead of waiting out the busy timeout (the lock upgrade
  // would deadlock), so the loser retries the open a bounded number of times.
  for (int attempt = 1;; ++attempt) {
    try {
      m_db = std::make_unique<db::Sqlite>(path);
      migrate_sqlite_schema(*m_db);
      break;
    } catch (const Error& e) {
      m_db.reset();
      if (attempt == 50 || std::string_view(e.what()).find("database is locked") == std::string_view::npos) {
        throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2 * attempt));
    }
  }
  m_rows = std::make_unique<NoticeRows>(*m_db);
}

int SqliteStore::schema_version() {
  return sqlite_schema_version(*m_db);
}

std::optional<StoredNotice> SqliteStore::get(const std::string& id) {
  return m_rows->read(id);
}

std::vector<std::string> SqliteStore::list(const ListFilter& filter) {
  // Only constant SQL fragments are chosen here; every value is a bound parameter. IN
  // (subquery) rather than EXISTS lets SQLite start from the name/cve indexes instead of
  // probing every notice, which keeps `list --cve` under a millisecond at 10,000 notices.
  std::string sql = "SELECT id FROM notices n WHERE 1";
  std::vector<std::string> values;
  if (filter.cve) {
    sql += " AND n.id IN (SELECT notice_id FROM notice_cves WHERE cve = ?)";
    values.push_back(*filter.cve);
  }
  if (filter.release) {
    sql += " AND n.id IN (SELECT notice_id FROM releases WHERE release = ?)";
    values.push_back(*filter.release);
  }
  if (filter.package) {
    // With --release too, the package must be in that release.
    const char* in_release = filter.release ? " AND release = ?" : "";
    const char* joiner = " AND n.id IN (";
    for (const char* table : {"sources", "binaries", "allbinaries"}) {
      sql += std::string(joiner) + "SELECT notice_id FROM " + table + " WHERE name = ?" + in_release;
      joiner = " UNION ";
      values.push_back(*filter.package);
      if (filter.release) {
        values.push_back(*filter.release);
      }
    }
    sql += ")";
  }
  sql += " ORDER BY number, suffix, id";
  db::Statement query = m_db->prepare(sql);
  for (size_t i = 0; i < values.size(); ++i) {
    query.bind(static_cast<int>(i + 1), values[i]);
  }
  std::vector<std::string> ids;
  while (query.step()) {
    ids.push_back(query.text_at(0));
  }
  return ids;
}

std::vector<SourceVersion> SqliteStore::source_versions(const std::string& source, const std::string& release) {
  // sources_name finds the rows (the release is in that index too, as part of the key).
  db::Statement query =
      m_db->prepare("SELECT s.notice_id, s.version FROM sources s JOIN notices n ON n.id = s.notice_id "
                    "WHERE s.name = ? AND s.release = ? AND s.version IS NOT NULL "
                    "ORDER BY n.number, n.suffix, n.id");
  query.bind(1, source).bind(2, release);
  std::vector<SourceVersion> out;
  while (query.step()) {
    out.push_back(SourceVersion{query.text_at(0), query.text_at(1)});
  }
  return out;
}

int64_t SqliteStore::put(const Notice& notice, int64_t expected_revision, const Author& author) {
  db::Transaction transaction(*m_db);
  int64_t revision = put_locked(notice, expected_revision, author);
  transaction.commit();
  return revision;
}

StoredPatch stored_patch(std::string text) {
  if (text.size() < k_pack_patches_from) {
    return StoredPatch{std::move(text), false};
  }
  return StoredPatch{util::deflate_text(text), true};
}

namespace {

// The lookup indexes of `kct usn list`: maintaining them row by row costs more than twice what
// building them once costs, so a bulk import larger than the store drops and rebuilds them
// inside its transaction (readers keep seeing the old indexes until it commits).
struct LookupIndex {
  const char* name;
  const char* on;
};
const LookupIndex k_lookup_indexes[] = {{"notice_cves_cve", "notice_cves(cve)"},
                                        {"releases_release", "releases(release)"},
                                        {"sources_name", "sources(name)"},
                                        {"binaries_name", "binaries(name)"},
                                        {"allbinaries_name", "allbinaries(name)"}};

// Foreign-key enforcement is switched off for a bulk write (it cannot change inside a
// transaction): NoticeRows writes every child from its parent's map, parent first, so the
// checks could never fail, and they cost a third of an import. Restored on every exit.
class ForeignKeysOff {
public:
  explicit ForeignKeysOff(db::Sqlite& db) : m_db(db) { m_db.exec("PRAGMA foreign_keys=OFF"); }
  ~ForeignKeysOff() {
    try {
      m_db.exec("PRAGMA foreign_keys=ON");
    } catch (const Error&) { // NOLINT(bugprone-empty-catch): a failed pragma leaves the checks off, never data
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

private:
  db::Sqlite& m_db;
};

int64_t stored_notice_count(db::Sqlite& db) {
  db::Statement query = db.prepare("SELECT count(*) FROM notices");
  query.step();
  return query.int_at(0);
}

} // namespace

void SqliteStore::put_all(const std::vector<Notice>& notices, const Author& author) {
  // The history text of a newly created notice (the whole document) is encoded on a second
  // thread while this one writes rows: half of an import's time is JSON.
  std::future<std::vector<StoredPatch>> creation_patches = std::async(std::launch::async, [&notices] {
    std::vector<StoredPatch> out;
    out.reserve(notices.size());
    for (const Notice& notice : notices) {
      out.push_back(stored_patch(creation_patch(notice_to_json(notice)).dump()));
    }
    return out;
  });
  ForeignKeysOff unchecked(*m_db);
  db::Transaction transaction(*m_db);
  bool rebuild_indexes = static_cast<int64_t>(notices.size()) > stored_notice_count(*m_db);
  if (rebuild_indexes) {
    for (const LookupIndex& index : k_lookup_indexes) {
      m_db->exec(("DROP INDEX " + std::string(index.name)).c_str());
    }
  }
  // Creations' history rows wait for their patch text; an update in between writes its own
  // history at once, so the pending ones go first to keep the history in input order.
  std::vector<std::pair<size_t, int64_t>> pending; // (notice index, revision)
  std::vector<StoredPatch> patches;
  auto flush_pending = [&] {
    if (pending.empty()) {
      return;
    }
    if (patches.empty()) {
      patches = creation_patches.get();
    }
    for (const auto& [i, revision] : pending) {
      append_history(notices[i].id, "create", revision, author, patches[i]);
    }
    pending.clear();
  };
  db::Statement unreserve = m_db->prepare("DELETE FROM reserved_ids WHERE id = ?");
  for (size_t i = 0; i < notices.size(); ++i) {
    const Notice& notice = notices[i];
    if (m_rows->revision(notice.id)) {
      flush_pending();
      put_locked(notice, k_any_revision, author);
      continue;
    }
    int64_t revision = last_revision(notice.id) + 1; // 1 unless it was deleted before
    m_rows->write(notice, revision);
    unreserve.bind(1, notice.id).run();
    pending.emplace_back(i, revision);
  }
  flush_pending();
  if (rebuild_indexes) {
    // Index builds sort; SQLite may use a helper thread for that (off by default).
    m_db->exec("PRAGMA threads=2");
    for (const LookupIndex& index : k_lookup_indexes) {
      m_db->exec(("CREATE INDEX " + std::string(index.name) + " ON " + index.on).c_str());
    }
    m_db->exec("PRAGMA threads=0");
  }
  transaction.commit();
}

int64_t SqliteStore::put_locked(const Notice& notice, int64_t expected_revision, const Author& author) {
  std::optional<int64_t> current = m_rows->revision(notice.id);
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
  m_db->prepare("DELETE FROM reserved_ids WHERE id = ?").bind(1, notice.id).run();
  append_history(notice.id, current ? "update" : "create", revision, author, Json::diff(old_document, new_document));
  return revision;
}

void SqliteStore::remove(const std::string& id, int64_t expected_revision, const Author& author) {
  db::Transaction transaction(*m_db);
  std::optional<int64_t> current = m_rows->revision(id);
  if (!current) {
    check_revision(id, current, expected_revision);
    throw Error(location() + ": no USN " + id + " to delete");
  }
  check_revision(id, current, expected_revision);
  Json old_document = notice_to_json(m_rows->read(id)->notice);
  m_rows->erase(id);
  append_history(id, "delete", 0, author, Json::diff(old_document, Json()));
  transaction.commit();
}

int64_t SqliteStore::last_revision(const std::string& id) {
  if (!m_last_revision) { // prepared once: an import asks for every notice it creates
    m_last_revision = std::make_unique<db::Statement>(
        m_db->prepare("SELECT coalesce(max(revision), 0) FROM history WHERE subject = ?"));
  }
  db::Statement& query = *m_last_revision;
  query.bind(1, id);
  query.step();
  int64_t revision = query.int_at(0);
  query.reset();
  return revision;
}

void SqliteStore::check_revision(const std::string& id, std::optional<int64_t> current, int64_t expected) {
  if (revision_matches(current, expected)) {
    return;
  }
  std::string last;
  db::Statement query = m_db->prepare("SELECT action, author, at FROM history WHERE subject = ? "
                                      "ORDER BY sequence DESC LIMIT 1");
  query.bind(1, id);
  if (query.step()) {
    last = query.text_at(0) + " by " + query.text_at(1) + " at " + query.text_at(2);
  }
  throw revision_conflict(location(), id, current, expected, last);
}

void SqliteStore::append_history(const std::string& subject, const char* action, int64_t revision, const Author& author,
                                 const Json& patch) {
  append_history(subject, action, revision, author, stored_patch(patch.dump()));
}

void SqliteStore::append_history(const std::string& subject, const char* action, int64_t revision, const Author& author,
                                 const StoredPatch& patch) {
  db::Statement insert = m_db->prepare("INSERT INTO history(subject, action, revision, author, comment, at, patch) "
                                       "VALUES(?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, subject).bind(2, action).bind(3, revision).bind(4, author.name).bind(5, author.comment);
  insert.bind(6, now_utc());
  patch.packed ? insert.bind_blob(7, patch.bytes) : insert.bind(7, patch.bytes);
  insert.run();
}

std::string SqliteStore::next_free_id() {
  db::Statement query = m_db->prepare("SELECT max(coalesce((SELECT max(number) FROM notices), 0), "
                                      "coalesce((SELECT max(number) FROM reserved_ids), 0))");
  query.step();
  return std::to_string(query.int_at(0) + 1) + "-1";
}

std::string SqliteStore::reserve_id(const Author& author) {
  db::Transaction transaction(*m_db);
  std::string id = next_free_id();
  std::string at = now_utc();
  m_db->prepare("INSERT INTO reserved_ids(id, number, author, at) VALUES(?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, parse_usn_id(id)->number)
      .bind(3, author.name)
      .bind(4, at)
      .run();
  append_history(id, "reserve", 0, author, Json::array());
  transaction.commit();
  return id;
}

RevertedList SqliteStore::reverted() {
  RevertedList list;
  db::Statement query = m_db->prepare("SELECT usn, cve FROM reverted_cves ORDER BY line, position");
  while (query.step()) {
    std::string usn = query.text_at(0);
    if (list.empty() || list.back().usn != usn) {
      list.push_back(RevertedEntry{usn, {}});
    }
    list.back().cves.push_back(query.text_at(1));
  }
  return list;
}

void SqliteStore::set_reverted(const RevertedList& list, const Author& author) {
  check_reverted_list(list, location());
  db::Transaction transaction(*m_db);
  Json old_json = reverted_json(reverted());
  Json new_json = reverted_json(list);
  m_db->exec("DELETE FROM reverted_cves");
  db::Statement insert = m_db->prepare("INSERT INTO reverted_cves(usn, cve, line, position) VALUES(?, ?, ?, ?)");
  for (size_t line = 0; line < list.size(); ++line) {
    for (size_t position = 0; position < list[line].cves.size(); ++position) {
      insert.bind(1, list[line].usn).bind(2, list[line].cves[position]);
      insert.bind(3, static_cast<int64_t>(line)).bind(4, static_cast<int64_t>(position)).run();
    }
  }
  if (old_json != new_json || reverted() != list) {
    append_history(k_reverted_subject, "update", 0, author, Json::diff(old_json, new_json));
  }
  transaction.commit();
}

std::vector<HistoryEntry> SqliteStore::history(const std::string& subject) {
  const char* columns = "SELECT sequence, subject, action, revision, author, comment, at, patch FROM history";
  db::Statement query =
      m_db->prepare(std::string(columns) + (subject.empty() ? "" : " WHERE subject = ?") + " ORDER BY sequence");
  if (!subject.empty()) {
    query.bind(1, subject);
  }
  std::vector<HistoryEntry> out;
  while (query.step()) {
    Json patch = query.is_blob(7)
                     ? Json::parse(util::inflate_text(query.bytes_at(7), location() + ": history entry " +
                                                                             std::to_string(query.int_at(0))))
                     : Json::parse(query.view_at(7));
    out.push_back(HistoryEntry{query.int_at(0), query.text_at(1), query.text_at(2), query.int_at(3), query.text_at(4),
                               query.text_at(5), query.text_at(6), std::move(patch)});
  }
  return out;
}

} // namespace kct::usn
