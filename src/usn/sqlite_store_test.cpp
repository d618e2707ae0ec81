#include "usn/sqlite_store.h"

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
  EXPECT_EQ(store.list({.package = "python2.7"}), (std::vector<std::string>{"4151-2"}));
  EXPECT_TRUE(store.reverted().empty());
  EXPECT_EQ(store.reserve_id(Author{"alice", ""}), "4152-1");
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
