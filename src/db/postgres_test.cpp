#include "db/postgres.h"

#include "support/postgres_server.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::db {
namespace {

TEST(PostgresTest, ParametersTransactionsAndErrors) {
  testing::PostgresServer server;
  Postgres db(server.uri("kct_db_test"));
  db.exec("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT)");
  // Data goes through parameters, quotes and all.
  db.exec("INSERT INTO t VALUES($1, $2)", {std::string("it's"), std::nullopt});
  PgResult r = db.exec("SELECT k, v FROM t WHERE k = $1", {std::string("it's")});
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), "it's");
  EXPECT_TRUE(r.is_null(0, 1));
  {
    PgTransaction tx(db);
    db.exec("INSERT INTO t VALUES('rolled back', NULL)");
  } // not committed
  EXPECT_EQ(db.exec("SELECT count(*) FROM t").integer(0, 0), 1);
  try {
    db.exec("INSERT INTO t VALUES($1, NULL)", {std::string("it's")});
    FAIL() << "expected a duplicate key error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("SQLSTATE 23505"), std::string::npos) << e.what();
    EXPECT_FALSE(is_retryable(e));
  }
}

TEST(PostgresTest, AnUnreachableServerIsAClearError) {
  try {
    Postgres db("postgresql://kct@127.0.0.1:1/nothing?connect_timeout=2");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("postgresql://kct@127.0.0.1:1/nothing"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace kct::db
