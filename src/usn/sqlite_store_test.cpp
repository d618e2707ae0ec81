#include "usn/sqlite_store.h"

#include "usn/notice_json.h"
#include "usn/sqlite_notice_rows.h"
#include "usn/sqlite_schema.h"
#include "usn/store_contract_test.h"

namespace kct::usn::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, UsnStoreContract,
                         ::testing::Values(StoreBackend{"sqlite",
                                                        [](const std::string& dir) -> std::unique_ptr<Store> {
                                                          return std::make_unique<SqliteStore>(dir + "/usn.db");
                                                        }}),
                         backend_name);

std::string open_error(const std::string& path) {
  try {
    SqliteStore store(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SqliteUsnStore, UpgradesAVersionOneStore) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.path() + "/usn.db";
  Notice notice;
  notice.id = "4151-2";
  notice.cves = std::vector<std::string>{"CVE-2019-1"};
  notice.releases["trusty"].sources.emplace()["python2.7"].version = "2.7.6-8ubuntu0.6+esm2";
  {
    db::Sqlite db(path);
    migrate_sqlite_schema(db, 1);
    NoticeRows(db).write(notice, 1);
    EXPECT_EQ(sqlite_schema_version(db), 1);
  }
  SqliteStore store(path);
  EXPECT_EQ(store.schema_version(), k_sqlite_schema_version);
  EXPECT_EQ(store.get("4151-2")->notice, notice);
  {
    // Schema 3 rebuilt the child tables without rowids, keeping their rows.
    db::Sqlite db(path);
    db::Statement tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                      "sql LIKE '%WITHOUT ROWID' AND name IN ('notice_cves', 'releases', "
                                      "'sources', 'binaries', 'allbinaries', 'archs', 'urls')");
    tables.step();
    EXPECT_EQ(tables.int_at(0), 7);
    db::Statement leftovers = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v2'");
    leftovers.step();
    EXPECT_EQ(leftovers.int_at(0), 0);
  }
  EXPECT_EQ(store.list({.package = "python2.7"}), (std::vector<std::string>{"4151-2"}));
  EXPECT_TRUE(store.reverted().empty());
  EXPECT_EQ(store.reserve_id(Author{"alice", ""}), "4152-1");
}

Notice kernel_like_notice(const std::string& id, int binaries) {
  Notice notice;
  notice.id = id;
  notice.title = "Linux kernel vulnerabilities";
  notice.cves = std::vector<std::string>{"CVE-2019-14615", "CVE-2019-15099"};
  Release& release = notice.releases["bionic"];
  release.sources.emplace()["linux"].version = "4.15.0-76.86";
  release.binaries.emplace();
  release.allbinaries.emplace();
  for (int b = 0; b < binaries; ++b) {
    BinaryEntry entry{"4.15.0-76.86", "security", std::string("linux"), {}};
    std::string name = "linux-image-4.15.0-76-generic-" + std::to_string(b);
    (*release.allbinaries)[name] = entry;
    if (b % 3 == 0) {
      (*release.binaries)[name] = entry;
    }
  }
  return notice;
}

// Large patches are kept compressed (schema 3); small ones stay readable JSON text; a store
// of schema 2 with text patches reads as before.
TEST(SqliteUsnStore, KeepsLargeHistoryPatchesCompressed) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.path() + "/usn.db";
  Notice small = kernel_like_notice("4200-1", 1);
  Notice large = kernel_like_notice("4201-1", 300);
  {
    db::Sqlite db(path);
    migrate_sqlite_schema(db, 2);
  }
  {
    SqliteStore store(path);
    store.put_all({small, large}, Author{"alice", "import"});
    Notice edited = large;
    edited.title = "Linux kernel (HWE) vulnerabilities";
    store.put(edited, 1, Author{"bob", "title"});
    std::vector<HistoryEntry> history = store.history("4201-1");
    ASSERT_EQ(history.size(), 2u);
    Json replayed = Json().patch(history[0].patch).patch(history[1].patch);
    EXPECT_EQ(replayed, notice_to_json(edited));
    EXPECT_EQ(Json().patch(store.history("4200-1").at(0).patch), notice_to_json(small));
  }
  db::Sqlite db(path);
  db::Statement types = db.prepare("SELECT subject, typeof(patch), length(patch) FROM history ORDER BY sequence");
  std::vector<std::string> seen;
  while (types.step()) {
    seen.push_back(types.text_at(0) + " " + types.text_at(1));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"4200-1 text", "4201-1 blob", "4201-1 text"}));
  // A damaged compressed patch is reported with the store and the history entry, not parsed.
  db.exec("UPDATE history SET patch = substr(patch, 1, 40) WHERE typeof(patch) = 'blob'");
  SqliteStore store(path);
  try {
    store.history("4201-1");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": history entry 2: corrupt compressed text"), std::string::npos)
        << e.what();
  }
}

TEST(SqliteUsnStore, RefusesANewerSchema) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.path() + "/usn.db";
  {
    SqliteStore store(path);
    db::Sqlite db(path);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  EXPECT_EQ(open_error(path), path + ": USN store schema 99 is newer than this kct (" +
                                  std::to_string(k_sqlite_schema_version) + "); upgrade kct");
}

TEST(SqliteUsnStore, NamesAFileThatIsNotADatabase) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.write("usn.db", std::string(4096, 'x'));
  EXPECT_EQ(open_error(path), path + ": file is not a database");
  EXPECT_NE(open_error(dir.path() + "/no/such/dir/usn.db").find("cannot open database"), std::string::npos);
}

} // namespace
} // namespace kct::usn::testing
