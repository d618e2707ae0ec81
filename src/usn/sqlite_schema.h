#pragma once
// The versioned schema of the SQLite USN store. Each migration upgrades version i to i + 1
// and runs inside the transaction that records the new version, so a store is never left
// half-migrated; a store newer than this kct is refused rather than misread.
#include "db/sqlite.h"

namespace kct::usn {

inline constexpr int k_sqlite_schema_version = 3;

// 0 for a database without the meta table (a new file).
int sqlite_schema_version(db::Sqlite& db);
// Upgrades to `target` (the current version unless a test wants an old one).
void migrate_sqlite_schema(db::Sqlite& db, int target = k_sqlite_schema_version);

} // namespace kct::usn
