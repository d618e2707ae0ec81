// The test PostgreSQL server itself: it starts, listens on 127.0.0.1 only, and takes queries.
#include "support/postgres_server.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

namespace kct::testing {
namespace {

TEST(PostgresServerTest, StartsOnLoopbackAndAnswers) {
  ASSERT_TRUE(PostgresServer::available()) << "install postgresql (scripts/setup.sh does)";
  PostgresServer server;
  std::string uri = server.uri("kct_smoke");
  PGconn* conn = PQconnectdb(uri.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* r = PQexec(conn, "SELECT current_setting('listen_addresses'), 1 + 1");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "127.0.0.1");
  EXPECT_STREQ(PQgetvalue(r, 0, 1), "2");
  PQclear(r);
  PQfinish(conn);
}

} // namespace
} // namespace kct::testing
