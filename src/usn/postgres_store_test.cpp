#include "usn/postgres_store.h"

#include "usn/open_store.h"
#include "usn/postgres_notice_rows.h"
#include "usn/postgres_schema.h"
#include "usn/sqlite_store.h"
#include "usn/store_contract_test.h"

#include <map>
#include <thread>

namespace kct::usn::testing {
namespace {

// One database per test directory, so that opening twice within a test gives two
// connections to the same store, as in the SQLite instantiation.
std::string database_for(const std::string& dir) {
  static std::map<std::string, std::string> databases;
  auto [it, added] = databases.try_emplace(dir);
  if (added) {
    it->second = fresh_postgres_uri();
  }
  return it->second;
}

INSTANTIATE_TEST_SUITE_P(Postgres, UsnStoreContract,
                         ::testing::Values(StoreBackend{"postgres",
                                                        [](const std::string& dir) -> std::unique_ptr<Store> {
                                                          return std::make_unique<PostgresStore>(database_for(dir));
                                                        }}),
                         backend_name);

std::string open_error(const std::string& uri) {
  try {
    PostgresStore store(uri);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(PostgresUsnStore, UpgradesAVersionOneStore) {
  std::string uri = fresh_postgres_uri();
  Notice notice;
  notice.id = "4151-2";
  notice.cves = std::vector<std::string>{"CVE-2019-1"};
  notice.releases["trusty"].sources.emplace()["python2.7"].version = "2.7.6-8ubuntu0.6+esm2";
  {
    db::Postgres db(uri);
    migrate_postgres_schema(db, 1);
    PgNoticeRows(db).write(notice, 1);
    EXPECT_EQ(postgres_schema_version(db), 1);
  }
  PostgresStore store(uri);
  EXPECT_EQ(store.schema_version(), k_postgres_schema_version);
  EXPECT_EQ(store.get("4151-2")->notice, notice);
  EXPECT_EQ(store.list({.package = "python2.7"}), (std::vector<std::string>{"4151-2"}));
  EXPECT_TRUE(store.reverted().empty());
  EXPECT_EQ(store.reserve_id(Author{"alice", ""}), "4152-1");
}

TEST(PostgresUsnStore, RefusesANewerSchema) {
  std::string uri = fresh_postgres_uri();
  {
    PostgresStore store(uri);
    db::Postgres db(uri);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  EXPECT_EQ(open_error(uri), uri + ": USN store schema 99 is newer than this kct (" +
                                 std::to_string(k_postgres_schema_version) + "); upgrade kct");
}

TEST(PostgresUsnStore, EightConnectionsMigrateAFreshDatabaseAtOnce) {
  std::string uri = fresh_postgres_uri();
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < errors.size(); ++i) {
    threads.emplace_back([&, i] { errors[i] = open_error(uri); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const std::string& error : errors) {
    EXPECT_EQ(error, "no error");
  }
  db::Postgres db(uri);
  EXPECT_EQ(postgres_schema_version(db), k_postgres_schema_version);
  EXPECT_EQ(db.exec("SELECT count(*) FROM meta").integer(0, 0), 1);
}

TEST(PostgresUsnStore, KeepsQuotesAndUnicodeInEveryColumn) {
  PostgresStore store(fresh_postgres_uri());
  Notice notice;
  notice.id = "4151-2";
  notice.title = "it's a \"quoted\" title; DROP TABLE notices; --";
  notice.description = "multi\nline\tdescription with ünïcödé and \\backslashes\\ and $1";
  notice.extras = Json{{"odd key", Json{{"nested", Json::array({1, 2.5, nullptr, "x'y"})}}}};
  notice.timestamp = Timestamp{int64_t{1575912345}};
  Release& release = notice.releases["trusty/esm"];
  release.extras = Json{{"note", "kept"}};
  release.archs.emplace()["amd64"].urls.emplace()["http://example.com/a b'c.deb"] =
      UrlEntry{"d41d8cd98f00b204e9800998ecf8427e", int64_t{1} << 40, Json{{"sha", "x"}}};
  release.allbinaries.emplace()["linux-image-5.0.0-1-generic"] =
      BinaryEntry{"5.0.0-1.1", "esm-infra", "linux-signed", Json::object()};
  store.put(notice, k_must_not_exist, Author{"o'brien", "comment with 'quotes'"});
  std::optional<StoredNotice> back = store.get("4151-2");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->notice, notice);
  EXPECT_EQ(store.history().at(0).author, "o'brien");
}

TEST(PostgresUsnStore, AnUnreachableServerIsNamed) {
  std::string message = open_error("postgresql://kct@127.0.0.1:1/usn?connect_timeout=2");
  EXPECT_NE(message.find("postgresql://kct@127.0.0.1:1/usn?connect_timeout=2: cannot connect"), std::string::npos)
      << message;
}

TEST(OpenUsnStore, ChoosesTheBackendFromTheLocation) {
  kct::testing::ScopedTempDir dir;
  EXPECT_TRUE(is_postgres_uri("postgresql://kct@127.0.0.1/usn"));
  EXPECT_TRUE(is_postgres_uri("postgres://kct@127.0.0.1/usn"));
  EXPECT_FALSE(is_postgres_uri("postgresql.db"));
  EXPECT_NE(dynamic_cast<SqliteStore*>(open_store(dir.path() + "/usn.db").get()), nullptr);
  std::string uri = fresh_postgres_uri();
  EXPECT_NE(dynamic_cast<PostgresStore*>(open_store(uri).get()), nullptr);
  std::string short_scheme = "postgres://" + uri.substr(std::string("postgresql://").size());
  std::unique_ptr<Store> store = open_store(short_scheme);
  EXPECT_NE(dynamic_cast<PostgresStore*>(store.get()), nullptr);
  EXPECT_EQ(store->location(), short_scheme);
}

} // namespace
} // namespace kct::usn::testing
