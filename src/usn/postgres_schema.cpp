#include "usn/postgres_schema.h"

#include "usn/store_common.h"
#include "util/error.h"

#include <string>
#include <vector>

namespace kct::usn {
namespace {

// Never edit a shipped entry; append. One statement per string, since PQexecParams runs one
// at a time. The columns mean what they mean in the SQLite schema; `extras` and `timestamp`
// stay TEXT holding JSON as written (jsonb would reorder keys and renormalise numbers).
const std::vector<std::vector<const char*>> k_migrations = {
    {
        R"sql(CREATE TABLE notices(
  id TEXT PRIMARY KEY, number BIGINT NOT NULL, suffix BIGINT NOT NULL, id_form TEXT NOT NULL,
  title TEXT, summary TEXT, isummary TEXT, description TEXT, action TEXT,
  has_cves BOOLEAN NOT NULL, timestamp TEXT, extras TEXT, revision BIGINT NOT NULL))sql",
        "CREATE INDEX notices_number ON notices(number, suffix)",
        R"sql(CREATE TABLE notice_cves(
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, cve TEXT NOT NULL, PRIMARY KEY(notice_id, position)))sql",
        R"sql(CREATE TABLE releases(
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE, release TEXT NOT NULL,
  has_sources BOOLEAN NOT NULL, has_binaries BOOLEAN NOT NULL, has_allbinaries BOOLEAN NOT NULL,
  has_archs BOOLEAN NOT NULL, extras TEXT, PRIMARY KEY(notice_id, release)))sql",
        R"sql(CREATE TABLE sources(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, description TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE))sql",
        R"sql(CREATE TABLE binaries(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, pocket TEXT, source TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE))sql",
        R"sql(CREATE TABLE allbinaries(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
  version TEXT, pocket TEXT, source TEXT, extras TEXT, PRIMARY KEY(notice_id, release, name),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE))sql",
        R"sql(CREATE TABLE archs(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL,
  has_urls BOOLEAN NOT NULL, extras TEXT, PRIMARY KEY(notice_id, release, arch),
  FOREIGN KEY(notice_id, release) REFERENCES releases(notice_id, release) ON DELETE CASCADE))sql",
        R"sql(CREATE TABLE urls(
  notice_id TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL, url TEXT NOT NULL,
  md5 TEXT, size BIGINT, extras TEXT, PRIMARY KEY(notice_id, release, arch, url),
  FOREIGN KEY(notice_id, release, arch) REFERENCES archs(notice_id, release, arch) ON DELETE CASCADE))sql",
        R"sql(CREATE TABLE history(
  sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject TEXT NOT NULL, action TEXT NOT NULL,
  revision BIGINT NOT NULL, author TEXT NOT NULL, comment TEXT NOT NULL, at TEXT NOT NULL,
  patch TEXT NOT NULL))sql",
        "CREATE INDEX history_subject ON history(subject, sequence)",
    },
    // 2: lookups by CVE, package and release for `kct usn list`; the reverted-CVE list;
    // id reservations (get-next-usn).
    {
        "CREATE INDEX notice_cves_cve ON notice_cves(cve)",
        "CREATE INDEX releases_release ON releases(release)",
        "CREATE INDEX sources_name ON sources(name)",
        "CREATE INDEX binaries_name ON binaries(name)",
        "CREATE INDEX allbinaries_name ON allbinaries(name)",
        R"sql(CREATE TABLE reverted_cves(
  usn TEXT NOT NULL, cve TEXT NOT NULL, line INTEGER NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY(usn, cve)))sql",
        "CREATE INDEX reverted_cves_cve ON reverted_cves(cve)",
        R"sql(CREATE TABLE reserved_ids(
  id TEXT PRIMARY KEY, number BIGINT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL))sql",
    },
};

// pg_advisory_xact_lock key for migrations: any constant works, since advisory locks are per
// database; this one spells "kctusn" in ASCII.
constexpr const char* k_migration_lock = "118074899788654";

} // namespace

int postgres_schema_version(db::Postgres& db) {
  db::PgResult has_meta = db.exec("SELECT to_regclass('meta') IS NOT NULL");
  if (has_meta.text(0, 0) != "t") {
    return 0;
  }
  db::PgResult query = db.exec("SELECT value FROM meta WHERE key = 'schema_version'");
  if (query.rows() == 0) {
    return 0;
  }
  return parse_schema_version(query.text(0, 0), db.where());
}

void migrate_postgres_schema(db::Postgres& db, int target) {
  if (k_migrations.size() != static_cast<size_t>(k_postgres_schema_version)) {
    throw Error("internal: PostgreSQL USN migrations and schema version disagree");
  }
  // READ COMMITTED: once the lock is ours, each statement sees what the previous holder
  // committed, so the second of two fresh openers finds the schema already there.
  db::PgTransaction transaction(db, "READ COMMITTED");
  db.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::string(k_migration_lock)});
  db.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  int version = postgres_schema_version(db);
  if (version > k_postgres_schema_version) {
    throw Error(db.where() + ": USN store schema " + std::to_string(version) + " is newer than this kct (" +
                std::to_string(k_postgres_schema_version) + "); upgrade kct");
  }
  if (version >= target) {
    transaction.commit();
    return;
  }
  for (; version < target; ++version) {
    for (const char* statement : k_migrations[static_cast<size_t>(version)]) {
      db.exec(statement);
    }
  }
  db.exec("INSERT INTO meta(key, value) VALUES('schema_version', $1) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          {std::to_string(version)});
  transaction.commit();
}

} // namespace kct::usn
