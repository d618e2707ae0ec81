#include "cli/usn_common.h"

#include "usn/json_io.h"
#include "usn/notice_json.h"
#include "usn/pickle.h"
#include "util/error.h"
#include "util/files.h"

#include <cstdlib>
#include <fmt/format.h>

namespace kct::cli {

std::string usn_app_name(std::string_view sub) {
  return fmt::format("usn {}", sub);
}

std::string default_usn_db() {
  const char* env = std::getenv("KCT_USN_DB");
  return env != nullptr && *env != '\0' ? env : "usn.db";
}

void add_usn_db_option(CLI::App& app, std::string& location) {
  location = default_usn_db();
  app.add_option("--usn-db", location,
                 "USN store: an SQLite file, or a postgresql:// URI (default: $KCT_USN_DB, else usn.db in the "
                 "current directory)");
}

void add_author_options(CLI::App& app, AuthorOptions& options) {
  const char* user = std::getenv("USER");
  options.name = user != nullptr && *user != '\0' ? user : "unknown";
  app.add_option("--author", options.name, "Who makes the change, for the history (default: $USER)");
  app.add_option("-m,--comment", options.comment, "Why, for the history");
}

namespace {

bool looks_like_database(const nlohmann::json& document) {
  if (!document.is_object() || document.empty()) {
    return document.is_object(); // {} is an empty database
  }
  for (const auto& [key, value] : document.items()) {
    if (!usn::parse_usn_id(key) || !value.is_object()) {
      return false;
    }
  }
  return true;
}

std::vector<usn::Notice> notices_from_pickle(std::string_view bytes, const std::string& origin) {
  nlohmann::ordered_json value = usn::read_pickle(bytes, origin);
  if (!value.is_object()) {
    throw Error(origin + ": top level: expected a dict of notices keyed by USN id");
  }
  std::vector<usn::Notice> notices;
  notices.reserve(value.size());
  for (const auto& [key, notice] : value.items()) {
    notices.push_back(usn::notice_from_json(nlohmann::json(notice), origin, key));
  }
  std::sort(notices.begin(), notices.end(),
            [](const usn::Notice& a, const usn::Notice& b) { return usn::usn_id_less(a.id, b.id); });
  return notices;
}

} // namespace

std::vector<usn::Notice> parse_notices(std::string_view bytes, const std::string& origin) {
  size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    throw Error(origin + ": empty file; expected notice JSON, database.json or a pickle");
  }
  if (bytes[first] != '{') {
    return notices_from_pickle(bytes, origin);
  }
  // Parse once to tell the two JSON forms apart; the readers give the located errors.
  nlohmann::json document = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (!document.is_discarded() && looks_like_database(document)) {
    return usn::parse_database(bytes, origin);
  }
  return {usn::parse_notice(bytes, origin)};
}

std::vector<usn::Notice> read_notices(const std::string& path) {
  std::string bytes;
  if (std::optional<std::string> error = util::read_file(path, bytes)) {
    throw Error(path + ": cannot read: " + *error);
  }
  return parse_notices(bytes, path);
}

std::vector<usn::Notice> all_notices(usn::Store& store) {
  std::vector<usn::Notice> notices;
  for (const std::string& id : store.list()) {
    if (std::optional<usn::StoredNotice> stored = store.get(id)) {
      notices.push_back(std::move(stored->notice));
    }
  }
  return notices;
}

void check_releases(const catalog::Catalog& catalog, const usn::Notice& notice, const std::string& origin) {
  for (const auto& [name, release] : notice.releases) {
    if (name.find('/') != std::string::npos || catalog.find_release(name) == nullptr) {
      throw Error(fmt::format("{}: USN {}: releases.{}: unknown release '{}' (not a plain codename of the catalog {})",
                              origin, notice.id, name, name, catalog.path()));
    }
  }
}

void add_expect_revision_option(CLI::App& app, std::optional<int64_t>& expected) {
  app.add_option("--expect-revision", expected,
                 "Refuse the edit unless the notice is still at this revision (as `kct usn show` printed it)");
}

int usn_error(std::string_view sub, const std::string& message) {
  std::fprintf(stderr, "kct usn %.*s: error: %s\n", static_cast<int>(sub.size()), sub.data(), message.c_str());
  return 1;
}

int edit_notice(usn::Store& store, const std::string& sub, const std::string& id, std::optional<int64_t> expected,
                const usn::Author& author, const std::function<void(usn::Notice&)>& change) {
  std::string canonical = usn::parse_usn_id(id) ? usn::parse_usn_id(id)->text() : id;
  try {
    std::optional<usn::StoredNotice> stored = store.get(canonical);
    if (!stored) {
      return usn_error(sub, fmt::format("no USN {} in {}", canonical, store.location()));
    }
    int64_t base = expected ? *expected : stored->revision;
    usn::Notice notice = stored->notice;
    change(notice);
    int64_t revision = store.put(notice, base, author);
    std::printf("USN %s: revision %lld\n", canonical.c_str(), static_cast<long long>(revision));
    return 0;
  } catch (const usn::ConflictError& e) {
    return usn_error(sub, e.what());
  } catch (const Error& e) {
    return usn_error(sub, e.what());
  }
}

void print_json(const nlohmann::json& value) {
  std::string out = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void add_write_options(CLI::App& app, Context& ctx, WriteOptions& options) {
  add_global_options(app, ctx.options());
  add_usn_db_option(app, options.location);
  add_author_options(app, options.author);
}

} // namespace kct::cli
