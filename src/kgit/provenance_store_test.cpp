#include "kgit/provenance_store.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

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

} // namespace
} // namespace kct::kgit
