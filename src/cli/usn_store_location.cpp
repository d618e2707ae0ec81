// Opens the store behind --usn-db: PostgreSQL for a postgresql:// URI, SQLite otherwise.
#include "cli/usn_common.h"

#include "usn/open_store.h"
#include "util/error.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::cli {

bool is_postgres_location(const std::string& location) {
  return usn::is_postgres_uri(location);
}

std::unique_ptr<usn::Store> open_usn_store(const std::string& location) {
  return usn::open_store(location);
}

std::unique_ptr<usn::Store> open_existing_usn_store(const std::string& location, std::string_view hint) {
  std::error_code ec;
  if (!is_postgres_location(location) && !std::filesystem::exists(location, ec)) {
    throw Error(fmt::format("{}: no USN store there; give --usn-db LOCATION (or $KCT_USN_DB){}", location,
                            hint.empty() ? "" : ", " + std::string(hint)));
  }
  return open_usn_store(location);
}

} // namespace kct::cli
