// Opens the store behind --usn-db: PostgreSQL for a postgresql:// URI, SQLite otherwise.
#include "cli/usn_common.h"

#include "usn/open_store.h"

namespace kct::cli {

bool is_postgres_location(const std::string& location) {
  return usn::is_postgres_uri(location);
}

std::unique_ptr<usn::Store> open_usn_store(const std::string& location) {
  return usn::open_store(location);
}

} // namespace kct::cli
