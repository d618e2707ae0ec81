// `kct usn backup DEST`: a consistent copy while others write. SQLite: the online backup API
// copies one snapshot (a read transaction, which WAL lets writers go on beside) into
// DEST.kct-tmp-<pid>, renamed over DEST once complete. PostgreSQL: database.json, written
// atomically from one listing of the store.
#include "cli/usn_common.h"

#include "db/sqlite.h"
#include "usn/json_io.h"
#include "util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kct::cli {
namespace {

void backup_sqlite(const std::string& source, const std::string& dest) {
  struct stat st {};
  if (::stat(source.c_str(), &st) != 0) {
    throw Error(source + ": no such USN store");
  }
  db::Sqlite from(source, false);
  std::string tmp = fmt::format("{}.kct-tmp-{}", dest, ::getpid());
  std::remove(tmp.c_str());
  sqlite3* to = nullptr;
  if (sqlite3_open(tmp.c_str(), &to) != SQLITE_OK) {
    std::string message = to != nullptr ? sqlite3_errmsg(to) : "out of memory";
    sqlite3_close(to);
    throw Error(fmt::format("{}: cannot create the backup: {}", dest, message));
  }
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from.raw(), "main");
  int rc = SQLITE_OK;
  if (backup == nullptr) {
    rc = sqlite3_errcode(to);
  } else {
    // All pages in one step: one read transaction, hence one snapshot. A writer holding the
    // lock at the start (rollback-journal mode) makes it BUSY; wait and retry.
    for (int attempt = 0; attempt < 600; ++attempt) {
      rc = sqlite3_backup_step(backup, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
        break;
      }
      sqlite3_sleep(50);
    }
    sqlite3_backup_finish(backup);
  }
  std::string message = sqlite3_errmsg(to);
  sqlite3_close(to);
  if (rc != SQLITE_DONE && rc != SQLITE_OK) {
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: backup of {} failed: {}", dest, source, message));
  }
  std::remove((tmp + "-wal").c_str());
  std::remove((tmp + "-shm").c_str());
  if (std::rename(tmp.c_str(), dest.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: cannot rename the backup into place: {}", dest, std::strerror(errno)));
  }
}

int64_t last_change(usn::Store& store) {
  std::vector<usn::HistoryEntry> history = store.history();
  return history.empty() ? 0 : history.back().sequence;
}

// Reads every notice, again until no change was committed meanwhile: a listing and the
// reads after it are separate transactions, so this is what makes the copy one state.
void backup_json(usn::Store& store, const std::string& dest) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int64_t before = last_change(store);
    std::vector<usn::Notice> notices = all_notices(store);
    if (last_change(store) == before) {
      usn::write_database_file(dest, notices);
      return;
    }
  }
  throw Error(store.location() + ": changes kept arriving during 20 attempts at a consistent copy; try again");
}

} // namespace

int cmd_usn_backup(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Copy the store consistently while others write. An SQLite store is copied with SQLite's\n"
               "online backup into DEST (an SQLite file); a PostgreSQL store is written as database.json.\n"
               "DEST is replaced atomically.",
               usn_app_name("backup"));
  add_global_options(app, ctx.options());
  std::string location;
  add_usn_db_option(app, location);
  std::string dest;
  app.add_option("DEST", dest, "The copy")->required();
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  try {
    if (is_postgres_location(location)) {
      std::unique_ptr<usn::Store> store = open_usn_store(location);
      backup_json(*store, dest);
    } else {
      backup_sqlite(location, dest);
    }
  } catch (const Error& e) {
    return usn_error("backup", e.what());
  }
  if (!ctx.options().quiet) {
    std::fprintf(stderr, "kct usn backup: %s -> %s\n", location.c_str(), dest.c_str());
  }
  return 0;
}

} // namespace kct::cli
