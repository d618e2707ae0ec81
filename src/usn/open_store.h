#pragma once
// The store behind a `--usn-db` location: a PostgreSQL URI for a team, a file path otherwise.
#include "usn/store.h"

#include <memory>
#include <string>

namespace kct::usn {

// True for `postgresql://…` and `postgres://…`.
bool is_postgres_uri(const std::string& location);
// PostgresStore for a PostgreSQL URI, SqliteStore for anything else (a path, or ":memory:").
std::unique_ptr<Store> open_store(const std::string& location);

} // namespace kct::usn
