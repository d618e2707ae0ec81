#include "usn/sqlite_schema.h"

#include "usn/store_common.h"
#include "util/error.h"

#include <string>

namespace kct::usn {
namespace {

// Never edit a shipped entry; append. Optional keys are NULL when absent; `has_*` flags keep
// an absent map apart from an empty one; `extras` holds the JSON object of unknown keys (NULL
// when none); `timestamp` holds the JSON number as written, so an int stays an int.
const char* const k_migrations[] = {
    R"sql(
CREATE TABLE notices(
  id TEXT PRIMARY KEY, number INTEGER NOT NULL, suffix INTEGER NOT NULL, id_form TEXT NOT NULL,
  title TEXT, summary TEXT, isummary TEXT, description TEXT, action TEXT,
  has_cves INTEGER NOT NULL, timestamp TEXT, extras TEXT, revision INTEGER NOT NULL);
CREATE INDEX notices_number ON notices(number, suffix);
CREATE TABLE notice_cves(
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, cve TEXT NOT NULL, PRIMARY KEY(notice_id, position));
CREATE TABLE releases(
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE, release TEXT NOT NULL,
  has_sources INTEGER NOT NULL, has_binaries INTEGER NOT NULL, has_allbinaries INTEGER NOT NULL,
  has_archs INTEGER NOT NULL, extras TEXT, PRIMARY KEY(notice_id, release));
CREATE TABLE sources(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, description TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE);
CREATE TABLE binaries(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, pocket TEXT, source TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE);
CREATE TABLE allbinaries(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, pocket TEXT, source TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE);
CREATE TABLE archs(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL,
  has_urls INTEGER NOT NULL, extras TEXT, PRIMARY KEY(notice_id, release, arch),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE);
CREATE TABLE urls(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL, url TEXT NOT NULL,
  md5 TEXT, size INTEGER, extras TEXT, PRIMARY KEY(notice_id, release, arch, url),
  FOREIGN KEY(notice_id, release, arch) REFERENCES archs(notice_id, release, arch) ON DELETE CASCADE);
CREATE TABLE history(
  sequence INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL, action TEXT NOT NULL,
  revision INTEGER NOT NULL, author TEXT NOT NULL, comment TEXT NOT NULL, at TEXT NOT NULL,
  patch TEXT NOT NULL);
CREATE INDEX history_subject ON history(subject, sequence);
)sql",
    // 2: lookups by CVE, package and release for `kct usn list`; the reverted-CVE list;
    // id reservations (get-next-usn).
    R"sql(
CREATE INDEX notice_cves_cve ON notice_cves(cve);
CREATE INDEX releases_release ON releases(release);
CREATE INDEX sources_name ON sources(name);
CREATE INDEX binaries_name ON binaries(name);
CREATE INDEX allbinaries_name ON allbinaries(name);
CREATE TABLE reverted_cves(
  usn TEXT NOT NULL, cve TEXT NOT NULL, line INTEGER NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY(usn, cve));
CREATE INDEX reverted_cves_cve ON reverted_cves(cve);
CREATE TABLE reserved_ids(
  id TEXT PRIMARY KEY, number INTEGER NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL);
)sql",
    // 3: the child tables without rowids (their primary key is the table: one B-tree per
    // row instead of two, a third less to write on import), rebuilt by renaming each aside
    // (SQLite repoints the children's foreign keys), copying and dropping the old ones.
    // And a new meaning: history.patch may now be a BLOB, util::deflate_text of the JSON
    // patch, for patches of 1 KiB and more (sqlite_store.h); a kct of schema 2 would misread
    // those, so it must refuse this store, which the version bump makes it do.
    R"sql(
ALTER TABLE notice_cves RENAME TO notice_cves_v2;
ALTER TABLE releases RENAME TO releases_v2;
ALTER TABLE sources RENAME TO sources_v2;
ALTER TABLE binaries RENAME TO binaries_v2;
ALTER TABLE allbinaries RENAME TO allbinaries_v2;
ALTER TABLE archs RENAME TO archs_v2;
ALTER TABLE urls RENAME TO urls_v2;
DROP INDEX notice_cves_cve;
DROP INDEX releases_release;
DROP INDEX sources_name;
DROP INDEX binaries_name;
DROP INDEX allbinaries_name;
CREATE TABLE notice_cves(
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, cve TEXT NOT NULL, PRIMARY KEY(notice_id, position)) WITHOUT ROWID;
CREATE TABLE releases(
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE, release TEXT NOT NULL,
  has_sources INTEGER NOT NULL, has_binaries INTEGER NOT NULL, has_allbinaries INTEGER NOT NULL,
  has_archs INTEGER NOT NULL, extras TEXT, PRIMARY KEY(notice_id, release)) WITHOUT ROWID;
CREATE TABLE sources(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, description TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE binaries(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, pocket TEXT, source TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE allbinaries(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, pocket TEXT, source TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE archs(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL,
  has_urls INTEGER NOT NULL, extras TEXT, PRIMARY KEY(notice_id, release, arch),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE urls(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL, url TEXT NOT NULL,
  md5 TEXT, size INTEGER, extras TEXT, PRIMARY KEY(notice_id, release, arch, url),
  FOREIGN KEY(notice_id, release, arch) REFERENCES archs(notice_id, release, arch) ON DELETE CASCADE)
  WITHOUT ROWID;
INSERT INTO notice_cves SELECT * FROM notice_cves_v2;
INSERT INTO releases SELECT * FROM releases_v2;
INSERT INTO sources SELECT * FROM sources_v2;
INSERT INTO binaries SELECT * FROM binaries_v2;
INSERT INTO allbinaries SELECT * FROM allbinaries_v2;
INSERT INTO archs SELECT * FROM archs_v2;
INSERT INTO urls SELECT * FROM urls_v2;
DROP TABLE urls_v2;
DROP TABLE archs_v2;
DROP TABLE allbinaries_v2;
DROP TABLE binaries_v2;
DROP TABLE sources_v2;
DROP TABLE releases_v2;
DROP TABLE notice_cves_v2;
CREATE INDEX notice_cves_cve ON notice_cves(cve);
CREATE INDEX releases_release ON releases(release);
CREATE INDEX sources_name ON sources(name);
CREATE INDEX binaries_name ON binaries(name);
CREATE INDEX allbinaries_name ON allbinaries(name);
)sql",
};

constexpr int k_migration_count = static_cast<int>(sizeof k_migrations / sizeof k_migrations[0]);
static_assert(k_migration_count == k_sqlite_schema_version);

void set_version(db::Sqlite& db, int version) {
  db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, std::to_string(version))
      .run();
}

} // namespace

int sqlite_schema_version(db::Sqlite& db) {
  db::Statement has_meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!has_meta.step()) {
    return 0;
  }
  db::Statement query = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!query.step()) {
    return 0;
  }
  return parse_schema_version(query.text_at(0), db.path());
}

void migrate_sqlite_schema(db::Sqlite& db, int target) {
  db::Transaction transaction(db);
  db.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  int version = sqlite_schema_version(db);
  if (version > k_sqlite_schema_version) {
    throw Error(db.path() + ": USN store schema " + std::to_string(version) + " is newer than this kct (" +
                std::to_string(k_sqlite_schema_version) + "); upgrade kct");
  }
  if (version >= target) {
    return;
  }
  for (; version < target; ++version) {
    db.exec(k_migrations[version]);
  }
  set_version(db, version);
  transaction.commit();
}

} // namespace kct::usn
