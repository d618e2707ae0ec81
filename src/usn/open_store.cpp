#include "usn/open_store.h"

#include "usn/postgres_store.h"
#include "usn/sqlite_store.h"

namespace kct::usn {

bool is_postgres_uri(const std::string& location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Store> open_store(const std::string& location) {
  if (is_postgres_uri(location)) {
    return std::make_unique<PostgresStore>(location);
  }
  return std::make_unique<SqliteStore>(location);
}

} // namespace kct::usn
