#pragma once
// The versioned schema of the PostgreSQL USN store: the tables of the SQLite store
// (sqlite_schema.cpp) in PostgreSQL types, with the same version numbers, so both backends
// migrate in step. Each migration runs inside the transaction that records the new version,
// under a transaction-scoped advisory lock, so two processes opening a fresh database at
// once neither race on CREATE TABLE nor apply a migration twice.
#include "db/postgres.h"

namespace kct::usn {

inline constexpr int k_postgres_schema_version = 2;

// 0 for a database without the meta table (a new database).
int postgres_schema_version(db::Postgres& db);
// Upgrades to `target` (the current version unless a test wants an old one).
void migrate_postgres_schema(db::Postgres& db, int target = k_postgres_schema_version);

} // namespace kct::usn
