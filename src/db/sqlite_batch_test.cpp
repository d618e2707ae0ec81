#include "db/sqlite_batch.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::db {
namespace {

std::vector<std::string> rows(Sqlite& db) {
  std::vector<std::string> out;
  Statement query = db.prepare("SELECT k, coalesce(v, 'NULL'), coalesce(n, -1) FROM t ORDER BY k");
  while (query.step()) {
    out.push_back(query.text_at(0) + "|" + query.text_at(1) + "|" + std::to_string(query.int_at(2)));
  }
  return out;
}

TEST(BatchInsert, WritesFullAndPartialBatchesWithEveryKindOfValue) {
  Sqlite db(":memory:");
  db.exec("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT, n INTEGER)");
  BatchInsert insert(db, "INSERT INTO t(k, v, n)", 3, 4);
  std::vector<std::string> keys;
  for (int i = 0; i < 10; ++i) {
    keys.push_back("k" + std::to_string(i));
  }
  for (int i = 0; i < 10; ++i) {
    insert.add_kept(keys[i]);
    i % 2 == 0 ? insert.add_copy("v" + std::to_string(i)) : insert.add_null();
    insert.add(int64_t{i});
    if (i == 3) {
      EXPECT_EQ(rows(db).size(), 4u) << "a full batch runs at once";
    }
  }
  EXPECT_EQ(rows(db).size(), 8u);
  insert.flush();
  std::vector<std::string> all = rows(db);
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(all[0], "k0|v0|0");
  EXPECT_EQ(all[1], "k1|NULL|1");
  EXPECT_EQ(all[9], "k9|NULL|9");
}

TEST(BatchInsert, ReportsAFailedBatchAndStartsAfresh) {
  Sqlite db(":memory:");
  db.exec("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT, n INTEGER)");
  BatchInsert insert(db, "INSERT INTO t(k, v, n)", 3, 2);
  insert.add_copy("a").add_null().add(1);
  EXPECT_THROW(insert.add_copy("a").add_null().add(2), Error) << "the full batch runs and fails: duplicate key";
  EXPECT_TRUE(rows(db).empty());
  insert.add_copy("b").add_null().add(3).flush();
  EXPECT_EQ(rows(db), (std::vector<std::string>{"b|NULL|3"})) << "the failed rows are gone, not retried";
  insert.add_copy("c").add_null();
  EXPECT_THROW(insert.flush(), Error) << "an incomplete row is refused";
  insert.discard();
  insert.add_copy("d").add_copy("x").add(4).flush();
  EXPECT_EQ(rows(db), (std::vector<std::string>{"b|NULL|3", "d|x|4"}));
  EXPECT_THROW(BatchInsert(db, "INSERT INTO t(k, v, n)", 3, 20000), Error);
}

} // namespace
} // namespace kct::db
