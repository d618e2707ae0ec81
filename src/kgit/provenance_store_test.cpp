#include "kgit/provenance_store.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kct::kgit {
namespace {

std::vector<std::string> lookup_indexes(ProvenanceStore& store) {
  std::vector<std::string> names;
  db::Statement q = store.db().prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN "
                                       "('id_detail_id', 'id_detail_tid', 'title_id_title', 'title_id_tid', "
                                       "'id_detail_cid') ORDER BY name");
  while (q.step()) {
    names.push_back(q.text_at(0));
  }
  return names;
}

const std::vector<std::string> k_all{"id_detail_cid", "id_detail_id", "id_detail_tid", "title_id_tid",
                                     "title_id_title"};

TEST(BulkLoad, LeavesLookupIndexesOutOfAFirstScanOnly) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.path() + "/kct-provenance.db";
  {
    ProvenanceStore store(path);
    EXPECT_EQ(lookup_indexes(store), k_all);
    BulkLoad bulk(store);
    EXPECT_TRUE(bulk.active());
    EXPECT_EQ(lookup_indexes(store), std::vector<std::string>{"id_detail_cid"}) << "the revert lookup stays";
    store.db().exec("INSERT INTO id_detail(id, tid, iorder) VALUES('abc', 1, 0)");
    bulk.finish();
    EXPECT_EQ(lookup_indexes(store), k_all);
    BulkLoad again(store);
    EXPECT_FALSE(again.active()) << "a store with rows is scanned incrementally, indexes kept";
    EXPECT_EQ(lookup_indexes(store), k_all);
  }
  {
    // A run killed mid-load left the indexes out: the next open builds them.
    ProvenanceStore store(path);
    store.db().exec("DROP INDEX id_detail_id; DROP INDEX title_id_title");
  }
  ProvenanceStore store(path);
  EXPECT_EQ(lookup_indexes(store), k_all);
}

// Rows as a scan writes them: the commit itself and its subject, marked recent or not.
void add_commit(ProvenanceStore& store, const std::string& id, int64_t tid, const std::string& title, int64_t recent) {
  store.db()
      .prepare("INSERT INTO id_detail(id, tid, iorder, recent) VALUES(?, ?, 0, ?)")
      .bind(1, id)
      .bind(2, tid)
      .bind(3, recent)
      .run();
  store.db()
      .prepare("INSERT INTO title_id(title, tid, id, recent) VALUES(?, ?, ?, ?)")
      .bind(1, title)
      .bind(2, tid)
      .bind(3, id)
      .bind(4, recent)
      .run();
}

std::vector<int64_t> tids_of(const std::vector<IdEvent>& events) {
  std::vector<int64_t> tids;
  for (const IdEvent& e : events) {
    tids.push_back(e.tid);
  }
  std::sort(tids.begin(), tids.end());
  return tids;
}

std::vector<int64_t> tids_of(const std::vector<ProvenanceStore::TitledCommit>& commits) {
  std::vector<int64_t> tids;
  for (const ProvenanceStore::TitledCommit& c : commits) {
    tids.push_back(c.tid);
  }
  std::sort(tids.begin(), tids.end());
  return tids;
}

std::string plan_of(ProvenanceStore& store, const std::string& sql) {
  std::string plan;
  db::Statement q = store.db().prepare("EXPLAIN QUERY PLAN " + sql);
  q.bind(1, "x");
  while (q.step()) {
    plan += q.text_at(3) + "\n";
  }
  return plan;
}

TEST(RecentRows, AreFoundBeforeAndAfterTheyAreFolded) {
  kct::testing::ScopedTempDir dir;
  ProvenanceStore store(dir.path() + "/kct-provenance.db");
  EXPECT_EQ(store.recent_mark(), 1) << "an open store outside a bulk load writes recent rows";
  add_commit(store, "aaa", 1, "fix the thing", 0);
  add_commit(store, "aaa", 2, "fix the thing", 1);
  add_commit(store, "bbb", 2, "other", 1);
  EXPECT_EQ(store.recent_rows(), 2);
  EXPECT_EQ(tids_of(store.events("aaa")), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(tids_of(store.titled("fix the thing")), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(store.events("ccc").empty());

  // A row added after the recent rows were read into memory is seen on the next look-up.
  add_commit(store, "aaa", 3, "fix the thing", 1);
  EXPECT_EQ(tids_of(store.events("aaa")), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(tids_of(store.titled("fix the thing")), (std::vector<int64_t>{1, 2, 3}));

  EXPECT_FALSE(store.fold_recent_if_due(4)) << "three recent rows, below the threshold";
  EXPECT_EQ(store.recent_rows(), 3);
  EXPECT_TRUE(store.fold_recent_if_due(3));
  EXPECT_EQ(store.recent_rows(), 0);
  EXPECT_EQ(tids_of(store.events("aaa")), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(tids_of(store.titled("fix the thing")), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(tids_of(store.events("bbb")), (std::vector<int64_t>{2}));
  db::Statement folded = store.db().prepare("SELECT count(*) FROM title_id WHERE recent = 1");
  ASSERT_TRUE(folded.step());
  EXPECT_EQ(folded.int_at(0), 0);
}

TEST(RecentRows, FoldedRowsAreLookedUpThroughThePartialIndexes) {
  kct::testing::ScopedTempDir dir;
  ProvenanceStore store(dir.path() + "/kct-provenance.db");
  EXPECT_NE(plan_of(store, "SELECT tid FROM id_detail WHERE id = ? AND recent = 0").find("id_detail_id"),
            std::string::npos);
  EXPECT_NE(plan_of(store, "SELECT tid FROM title_id WHERE title = ? AND recent = 0").find("title_id_title"),
            std::string::npos);
  EXPECT_NE(plan_of(store, "SELECT tid FROM id_detail WHERE recent = 1 AND id = ?").find("id_detail_recent"),
            std::string::npos);
}

TEST(RecentRows, ABulkLoadWritesFoldedRows) {
  kct::testing::ScopedTempDir dir;
  ProvenanceStore store(dir.path() + "/kct-provenance.db");
  BulkLoad bulk(store);
  ASSERT_TRUE(bulk.active());
  EXPECT_EQ(store.recent_mark(), 0) << "its indexes are built over every row at the end";
  add_commit(store, "aaa", 1, "fix", store.recent_mark());
  bulk.finish();
  EXPECT_EQ(store.recent_mark(), 1);
  EXPECT_EQ(store.recent_rows(), 0);
  EXPECT_EQ(tids_of(store.events("aaa")), (std::vector<int64_t>{1}));
}

TEST(RecentRows, AStoreOfTheFirstSchemaIsMigratedWithItsRowsFolded) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.path() + "/kct-provenance.db";
  {
    // The tables and indexes kct wrote before rows could be recent.
    db::Sqlite old(path);
    old.exec(R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version', '1');
CREATE TABLE tag_detail(
  tid INTEGER PRIMARY KEY AUTOINCREMENT,
  series TEXT NOT NULL, source TEXT NOT NULL, version TEXT NOT NULL, tag TEXT NOT NULL,
  commit_id TEXT NOT NULL, tid_link INTEGER, base_commit TEXT, valid INTEGER NOT NULL DEFAULT 1);
CREATE INDEX tag_detail_target ON tag_detail(series, source, tag);
CREATE INDEX tag_detail_commit ON tag_detail(commit_id);
CREATE INDEX tag_detail_link ON tag_detail(tid_link);
CREATE TABLE id_detail(
  id TEXT NOT NULL, cid TEXT, tid INTEGER NOT NULL, iorder INTEGER NOT NULL,
  frevert INTEGER NOT NULL DEFAULT 0, foverlay INTEGER NOT NULL DEFAULT 0,
  rule INTEGER NOT NULL DEFAULT -1, evidence TEXT);
CREATE INDEX id_detail_id ON id_detail(id);
CREATE INDEX id_detail_cid ON id_detail(cid);
CREATE INDEX id_detail_tid ON id_detail(tid);
CREATE TABLE title_id(title TEXT NOT NULL, tid INTEGER NOT NULL, id TEXT NOT NULL);
CREATE INDEX title_id_title ON title_id(title);
CREATE INDEX title_id_tid ON title_id(tid);
CREATE TABLE tag_version(object_id TEXT PRIMARY KEY, package TEXT NOT NULL, version TEXT NOT NULL,
  kernel_version TEXT NOT NULL);
INSERT INTO id_detail(id, tid, iorder) VALUES('aaa', 1, 0);
INSERT INTO title_id(title, tid, id) VALUES('fix', 1, 'aaa');
)sql");
  }
  ProvenanceStore store(path);
  EXPECT_EQ(store.meta("schema_version"), std::to_string(ProvenanceStore::k_schema_version));
  EXPECT_EQ(store.recent_rows(), 0);
  EXPECT_EQ(tids_of(store.events("aaa")), (std::vector<int64_t>{1}));
  EXPECT_EQ(tids_of(store.titled("fix")), (std::vector<int64_t>{1}));
  db::Statement q = store.db().prepare("SELECT sql FROM sqlite_schema WHERE name = 'id_detail_id'");
  ASSERT_TRUE(q.step());
  EXPECT_NE(q.text_at(0).find("WHERE recent = 0"), std::string::npos) << q.text_at(0);
}

} // namespace
} // namespace kct::kgit
