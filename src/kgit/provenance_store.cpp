#include "kgit/provenance_store.h"

#include "util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kct::kgit {
namespace {

// Each entry upgrades the schema from version i to i + 1. Never edit a shipped entry; append.
const char* const k_migrations[] = {
    R"sql(
CREATE TABLE tag_detail(
  tid INTEGER PRIMARY KEY AUTOINCREMENT,
  series TEXT NOT NULL, source TEXT NOT NULL, version TEXT NOT NULL, tag TEXT NOT NULL,
  commit_id TEXT NOT NULL, tid_link INTEGER, base_commit TEXT, valid INTEGER NOT NULL DEFAULT 1);
CREATE INDEX tag_detail_target ON tag_detail(series, source, tag);
CREATE INDEX tag_detail_commit ON tag_detail(commit_id);
CREATE INDEX tag_detail_link ON tag_detail(tid_link);
CREATE TABLE id_detail(
  id TEXT NOT NULL, cid TEXT, tid INTEGER NOT NULL, iorder INTEGER NOT NULL,
  frevert INTEGER NOT NULL DEFAULT 0, foverlay INTEGER NOT NULL DEFAULT 0,
  rule INTEGER NOT NULL DEFAULT -1, evidence TEXT);
CREATE INDEX id_detail_id ON id_detail(id);
CREATE INDEX id_detail_cid ON id_detail(cid);
CREATE INDEX id_detail_tid ON id_detail(tid);
CREATE TABLE title_id(title TEXT NOT NULL, tid INTEGER NOT NULL, id TEXT NOT NULL);
CREATE INDEX title_id_title ON title_id(title);
CREATE INDEX title_id_tid ON title_id(tid);
CREATE TABLE tag_version(object_id TEXT PRIMARY KEY, package TEXT NOT NULL, version TEXT NOT NULL,
  kernel_version TEXT NOT NULL);
)sql",
    // Recent rows (ProvenanceStore::recent_mark): the id and title lookup indexes become
    // partial, over folded rows only (ensure_lookup_indexes builds them); the recent ones are
    // found through an index that only ever grows at its end.
    R"sql(
ALTER TABLE id_detail ADD COLUMN recent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE title_id ADD COLUMN recent INTEGER NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS id_detail_id;
DROP INDEX IF EXISTS title_id_title;
CREATE INDEX id_detail_recent ON id_detail(recent) WHERE recent = 1;
CREATE INDEX title_id_recent ON title_id(recent) WHERE recent = 1;
)sql",
};

constexpr int k_migration_count = static_cast<int>(sizeof k_migrations / sizeof k_migrations[0]);
static_assert(k_migration_count == ProvenanceStore::k_schema_version);

} // namespace

namespace {
// Opens the file and makes SQLite read it: a garbage file opens fine and fails on first use.
std::unique_ptr<db::Sqlite> open_checked(const std::string& path) {
  auto db = std::make_unique<db::Sqlite>(path);
  db::Statement check = db->prepare("PRAGMA quick_check");
  if (!check.step() || check.view_at(0) != "ok") {
    throw Error(path + ": integrity check failed: " + (check.is_null(0) ? "" : check.text_at(0)));
  }
  return db;
}

bool looks_corrupt(const std::string& message) {
  for (const char* sign : {"not a database", "malformed", "integrity check failed", "corrupt"}) {
    if (message.find(sign) != std::string::npos) {
      return true;
    }
  }
  return false;
}
} // namespace

ProvenanceStore::ProvenanceStore(const std::string& path) {
  try {
    m_db = open_checked(path);
    tune();
    migrate();
    ensure_lookup_indexes();
  } catch (const Error& e) {
    if (!looks_corrupt(e.what())) {
      throw;
    }
    m_db.reset();
    std::string aside = path + ".corrupt";
    if (std::rename(path.c_str(), aside.c_str()) != 0) {
      throw Error(path + ": corrupt provenance store, and it cannot be moved aside: " + std::strerror(errno));
    }
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    m_rebuilt_reason = std::string(e.what()) + "; moved to " + aside + " and rebuilt from the trees";
    m_db = open_checked(path);
    tune();
    migrate();
    ensure_lookup_indexes();
  }
}

// Everything in the store can be recomputed from the trees, so losing the last transactions
// to a power cut is acceptable (WAL keeps the file itself consistent); a larger page cache
// keeps the five indexes of a 300,000-commit scan in memory.
void ProvenanceStore::tune() {
  m_db->exec("PRAGMA synchronous=NORMAL");
  m_db->exec("PRAGMA cache_size=-65536");
}

namespace {
// The indexes a BulkLoad leaves out (all but id_detail_cid, which scans read).
struct LookupIndex {
  const char* name;
  const char* on;
};
// Queries reach the two partial ones only with the literal term `recent = 0`.
const LookupIndex k_lookup_indexes[] = {{"id_detail_id", "id_detail(id) WHERE recent = 0"},
                                        {"id_detail_tid", "id_detail(tid)"},
                                        {"title_id_title", "title_id(title) WHERE recent = 0"},
                                        {"title_id_tid", "title_id(tid)"}};
} // namespace

void ProvenanceStore::ensure_lookup_indexes() {
  for (const LookupIndex& index : k_lookup_indexes) {
    m_db->exec(("CREATE INDEX IF NOT EXISTS " + std::string(index.name) + " ON " + index.on).c_str());
  }
}

BulkLoad::BulkLoad(ProvenanceStore& store) : m_store(store) {
  db::Statement any = store.db().prepare("SELECT 1 FROM id_detail LIMIT 1");
  if (any.step()) {
    return;
  }
  for (const LookupIndex& index : k_lookup_indexes) {
    store.db().exec(("DROP INDEX IF EXISTS " + std::string(index.name)).c_str());
  }
  // One checkpoint at the end: SQLite's automatic one after every version's commit copied
  // the same pages into the file a hundred times over (a quarter of a full scan).
  store.db().exec("PRAGMA wal_autocheckpoint=0");
  store.m_bulk = true; // rows go straight into the indexes built at the end
  m_active = true;
}

BulkLoad::~BulkLoad() {
  try {
    finish();
  } catch (const Error&) { // NOLINT(bugprone-empty-catch): the next open builds them
  }
}

void BulkLoad::finish() {
  if (m_finished) {
    return;
  }
  m_finished = true;
  if (!m_active) {
    m_store.fold_recent_if_due();
    return;
  }
  m_active = false;
  m_store.m_bulk = false;
  // Index builds sort; SQLite may use a helper thread for that (off by default).
  m_store.db().exec("PRAGMA threads=2");
  m_store.ensure_lookup_indexes();
  m_store.db().exec("PRAGMA threads=0");
  m_store.checkpoint();
  m_store.db().exec("PRAGMA wal_autocheckpoint=1000"); // SQLite's default
}

void ProvenanceStore::checkpoint() {
  m_db->exec("PRAGMA wal_checkpoint(PASSIVE)");
}

void ProvenanceStore::migrate() {
  m_db->exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db::Transaction transaction(*m_db);
  std::optional<std::string> stored = meta("schema_version");
  int version = 0;
  if (stored) {
    try {
      version = std::stoi(*stored);
    } catch (const std::exception&) {
      throw Error(m_db->path() + ": unreadable schema_version `" + *stored + "`");
    }
  }
  if (version > k_schema_version) {
    throw Error(m_db->path() + ": provenance store schema " + std::to_string(version) + " is newer than this kct (" +
                std::to_string(k_schema_version) + "); upgrade kct");
  }
  for (; version < k_schema_version; ++version) {
    m_db->exec(k_migrations[version]);
  }
  set_meta("schema_version", std::to_string(version));
  transaction.commit();
}

std::optional<std::string> ProvenanceStore::meta(const std::string& key) {
  db::Statement q = m_db->prepare("SELECT value FROM meta WHERE key = ?");
  q.bind(1, key);
  if (q.step()) {
    return q.text_at(0);
  }
  return std::nullopt;
}

void ProvenanceStore::set_meta(const std::string& key, const std::string& value) {
  m_db->prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

std::optional<ChangelogVersion> ProvenanceStore::cached_tag_version(const std::string& object_id) {
  db::Statement q = m_db->prepare("SELECT package, version, kernel_version FROM tag_version WHERE object_id = ?");
  q.bind(1, object_id);
  if (q.step()) {
    return ChangelogVersion{q.text_at(0), q.text_at(1), q.text_at(2)};
  }
  return std::nullopt;
}

void ProvenanceStore::remember_tag_version(const std::string& object_id, const ChangelogVersion& version) {
  m_db->prepare("INSERT OR REPLACE INTO tag_version(object_id, package, version, kernel_version) VALUES(?, ?, ?, ?)")
      .bind(1, object_id)
      .bind(2, version.package)
      .bind(3, version.version)
      .bind(4, version.kernel_version)
      .run();
}

namespace {
TagRow row_from(const db::Statement& q) {
  TagRow row;
  row.tid = q.int_at(0);
  row.series = q.text_at(1);
  row.source = q.text_at(2);
  row.version = q.text_at(3);
  row.tag = q.text_at(4);
  row.commit = q.text_at(5);
  if (!q.is_null(6)) {
    row.link = q.int_at(6);
  }
  row.valid = q.int_at(7) != 0;
  row.base_commit = q.text_at(8);
  return row;
}
constexpr const char* k_tag_columns = "tid, series, source, version, tag, commit_id, tid_link, valid, base_commit";
} // namespace

std::vector<TagRow> ProvenanceStore::tag_rows(const std::string& series, const std::string& source, bool valid_only) {
  std::string sql = std::string("SELECT ") + k_tag_columns + " FROM tag_detail WHERE series = ? AND source = ?" +
                    (valid_only ? " AND valid = 1" : "") + " ORDER BY tid";
  db::Statement q = m_db->prepare(sql);
  q.bind(1, series).bind(2, source);
  std::vector<TagRow> rows;
  while (q.step()) {
    rows.push_back(row_from(q));
  }
  return rows;
}

std::vector<TagRow> ProvenanceStore::base_rows() {
  db::Statement q = m_db->prepare(std::string("SELECT ") + k_tag_columns +
                                  " FROM tag_detail WHERE valid = 1 AND version != 'pending'");
  std::vector<TagRow> rows;
  while (q.step()) {
    rows.push_back(row_from(q));
  }
  return rows;
}

std::optional<TagRow> ProvenanceStore::tag_row(int64_t tid) {
  db::Statement q = m_db->prepare(std::string("SELECT ") + k_tag_columns + " FROM tag_detail WHERE tid = ?");
  q.bind(1, tid);
  if (q.step()) {
    return row_from(q);
  }
  return std::nullopt;
}

void ProvenanceStore::relink() {
  m_db->exec(R"sql(
UPDATE tag_detail AS child SET tid_link = (
  SELECT good.tid FROM tag_detail AS bad JOIN tag_detail AS good
    ON good.series = bad.series AND good.source = bad.source AND good.version = bad.version AND good.valid = 1
  WHERE bad.tid = child.tid_link ORDER BY good.tid DESC LIMIT 1)
WHERE child.tid_link IN (SELECT tid FROM tag_detail WHERE valid = 0)
  AND EXISTS (SELECT 1 FROM tag_detail AS bad JOIN tag_detail AS good
    ON good.series = bad.series AND good.source = bad.source AND good.version = bad.version AND good.valid = 1
    WHERE bad.tid = child.tid_link)
)sql");
}

std::vector<int64_t> ProvenanceStore::chain(int64_t tid) {
  std::vector<int64_t> result;
  db::Statement q = m_db->prepare("SELECT tid_link FROM tag_detail WHERE tid = ?");
  for (std::optional<int64_t> current = tid; current;) {
    for (int64_t seen : result) {
      if (seen == *current) {
        throw Error(m_db->path() + ": tag link cycle at tid " + std::to_string(seen) +
                    "; delete the store to rebuild it");
      }
    }
    result.push_back(*current);
    q.bind(1, *current);
    current.reset();
    if (q.step() && !q.is_null(0)) {
      current = q.int_at(0);
    }
    q.reset();
  }
  return result;
}

std::vector<std::pair<int64_t, int64_t>> ProvenanceStore::links() {
  db::Statement q = m_db->prepare("SELECT tid, coalesce(tid_link, -1) FROM tag_detail");
  std::vector<std::pair<int64_t, int64_t>> result;
  while (q.step()) {
    result.emplace_back(q.int_at(0), q.int_at(1));
  }
  return result;
}

namespace {
constexpr const char* k_event_columns = "tid, iorder, frevert, foverlay, cid, rule, evidence";

// The columns of k_event_columns from `first` on.
IdEvent event_from(const db::Statement& q, int first) {
  IdEvent e;
  e.tid = q.int_at(first);
  e.order = q.int_at(first + 1);
  e.revert = q.int_at(first + 2) != 0;
  e.overlay = q.int_at(first + 3) != 0;
  e.carrier = q.text_at(first + 4);
  e.rule = static_cast<int>(q.int_at(first + 5));
  e.evidence = q.text_at(first + 6);
  return e;
}
} // namespace

const ProvenanceStore::RecentRows& ProvenanceStore::recent() {
  // Any change through this connection may have added, folded or deleted recent rows.
  if (m_recent && m_recent->loaded_at_change == m_db->total_changes()) {
    return *m_recent;
  }
  auto rows = std::make_unique<RecentRows>();
  db::Statement ids = m_db->prepare(std::string("SELECT id, ") + k_event_columns + " FROM id_detail WHERE recent = 1");
  while (ids.step()) {
    rows->events[ids.text_at(0)].push_back(event_from(ids, 1));
  }
  db::Statement titles = m_db->prepare("SELECT title, id, tid FROM title_id WHERE recent = 1");
  while (titles.step()) {
    rows->titled[titles.text_at(0)].push_back({titles.text_at(1), titles.int_at(2)});
  }
  rows->loaded_at_change = m_db->total_changes();
  m_recent = std::move(rows);
  return *m_recent;
}

namespace {
// The rows for `key`: the folded ones through `query` (prepared once from `sql`, which selects
// by its one parameter and `recent = 0`), then the recent ones from memory.
template <typename Row, typename Read>
std::vector<Row> folded_then_recent(db::Sqlite& db, std::optional<db::Statement>& query, std::string_view sql,
                                    const std::string& key, Read read,
                                    const std::unordered_map<std::string, std::vector<Row>>& recent) {
  if (!query) {
    query.emplace(db.prepare(sql));
  }
  db::Statement& q = *query;
  q.reset(); // in case a throw left it mid-way
  q.bind(1, key);
  std::vector<Row> result;
  while (q.step()) {
    result.push_back(read(q));
  }
  q.reset();
  if (auto it = recent.find(key); it != recent.end()) {
    result.insert(result.end(), it->second.begin(), it->second.end());
  }
  return result;
}
} // namespace

std::vector<IdEvent> ProvenanceStore::events(const std::string& id) {
  static const std::string sql =
      std::string("SELECT ") + k_event_columns + " FROM id_detail WHERE id = ? AND recent = 0";
  const RecentRows& fresh = recent();
  return folded_then_recent(
      *m_db, m_events_query, sql, id, [](const db::Statement& q) { return event_from(q, 0); }, fresh.events);
}

std::vector<ProvenanceStore::TitledCommit> ProvenanceStore::titled(const std::string& title) {
  const RecentRows& fresh = recent();
  return folded_then_recent(
      *m_db, m_titled_query, "SELECT id, tid FROM title_id WHERE title = ? AND recent = 0", title,
      [](const db::Statement& q) {
        return TitledCommit{q.text_at(0), q.int_at(1)};
      },
      fresh.titled);
}

int64_t ProvenanceStore::recent_rows() {
  db::Statement q = m_db->prepare("SELECT count(*) FROM id_detail WHERE recent = 1");
  q.step();
  return q.int_at(0);
}

void ProvenanceStore::fold_recent() {
  db::Transaction transaction(*m_db);
  m_db->exec("UPDATE id_detail SET recent = 0 WHERE recent = 1");
  m_db->exec("UPDATE title_id SET recent = 0 WHERE recent = 1");
  transaction.commit();
}

bool ProvenanceStore::fold_recent_if_due(int64_t threshold) {
  if (recent_rows() < threshold) {
    return false;
  }
  fold_recent();
  return true;
}

} // namespace kct::kgit
