// The scan reads each version's range base..tip in one walk where the history down to the
// base is linear, and in two steps (find the base, then read) where a merge is in the way:
// either way the stored range must be exactly `git rev-list base..tip`, in git log order.
#include "kgit/provenance_store.h"
#include "kgit/raw_commit.h"
#include "kgit/repository.h"
#include "kgit/scanner.h"

#include "support/git_fixture.h"
#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <mutex>

namespace kct::kgit {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

TEST(ScanRanges, EqualGitRevListOnLinearAndMergedStretches) {
  kct::testing::ScopedTempDir dir;
  kct::testing::GitRepo git = kct::testing::GitRepo::init(dir.path() + "/up");
  git.commit("root");
  git.commit("one");
  git.tag("v1");
  git.commit("two");
  git.commit("three");
  git.tag("v2"); // linear from v1
  git.checkout_new_branch("side", "v2");
  git.commit("side one");
  git.commit("side two");
  git.checkout("master");
  git.commit("four");
  git.merge("side", "Merge branch 'side'");
  git.commit("five");
  git.tag("v3"); // a merge between v2 and v3
  git.commit("six");
  git.tag("v4"); // linear again from v3

  Repository repo(git.path());
  ProvenanceStore store(dir.path() + "/store.db");
  std::vector<VersionTag> versions;
  for (const char* tag : {"v1", "v2", "v3", "v4"}) {
    versions.push_back({tag, tag, git.commit_of(tag)});
  }
  std::mutex lock;
  ScanStats stats = rescan_tags(store, lock, repo, {"upstream", "linux", versions, {}});
  EXPECT_EQ(stats.scanned, 4);
  std::vector<TagRow> rows = store.tag_rows("upstream", "linux");
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string range = i == 0 ? rows[i].tag : rows[i - 1].tag + ".." + rows[i].tag;
    std::vector<std::string> expected = lines(git.git({"rev-list", range}));
    std::vector<std::string> stored;
    db::Statement q = store.db().prepare("SELECT id FROM id_detail WHERE tid = ? AND rule = -1 ORDER BY iorder");
    q.bind(1, rows[i].tid);
    while (q.step()) {
      stored.push_back(q.text_at(0));
    }
    EXPECT_EQ(stored, expected) << range;
    if (i > 0) {
      ASSERT_TRUE(rows[i].link.has_value());
      EXPECT_EQ(*rows[i].link, rows[i - 1].tid) << rows[i].tag << " links to the version before";
    }
  }
}

// The scan reads commits raw from libgit2's cache (kgit/raw_commit.h): the message and the
// parent count must be what libgit2's parsed commit gives, merges and multi-line messages too.
TEST(ScanRanges, RawCommitsReadLikeParsedOnes) {
  kct::testing::ScopedTempDir dir;
  kct::testing::GitRepo git = kct::testing::GitRepo::init(dir.path() + "/up");
  git.commit("root");
  git.commit("subject", "body line\n\ncommit 0123456789abcdef0123456789abcdef01234567 upstream.");
  git.checkout_new_branch("side", "HEAD");
  git.commit("side");
  git.checkout("master");
  git.commit("main");
  git.merge("side", "Merge branch 'side'");

  Repository repo(git.path());
  int seen = 0;
  repo.walk_raw(git.commit_of("HEAD"), {}, WalkOrder::date, [&](RawCommit&& commit) {
    CommitId id = to_commit_id(commit.id());
    EXPECT_EQ(to_raw_id(id), commit.id());
    EXPECT_EQ(std::string(commit.message()), repo.message(id).value()) << id;
    EXPECT_EQ(commit.parents(), repo.parents(id).size()) << id;
    ++seen;
    return true;
  });
  EXPECT_EQ(seen, 5);
}

// Reading fails part way (a version's commit is not in the tree): the versions before it are
// stored whole, the failing one not at all, and the error reaches the caller.
TEST(ScanRanges, ReadingErrorKeepsEarlierVersionsAndWritesNothingOfTheFailedOne) {
  kct::testing::ScopedTempDir dir;
  kct::testing::GitRepo git = kct::testing::GitRepo::init(dir.path() + "/up");
  git.commit("root");
  git.tag("v1");
  git.commit("one");
  git.tag("v2");

  Repository repo(git.path());
  ProvenanceStore store(dir.path() + "/store.db");
  std::vector<VersionTag> versions{
      {"v1", "v1", git.commit_of("v1")}, {"v2", "v2", git.commit_of("v2")}, {"v3", "v3", std::string(40, 'e')}};
  std::mutex lock;
  EXPECT_THROW(rescan_tags(store, lock, repo, {"upstream", "linux", versions, {}}), Error);
  std::vector<TagRow> rows = store.tag_rows("upstream", "linux");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].tag, "v1");
  EXPECT_EQ(rows[1].tag, "v2");
  db::Statement q = store.db().prepare("SELECT count(*) FROM id_detail WHERE tid NOT IN (SELECT tid FROM tag_detail)");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.int_at(0), 0);
  db::Statement all = store.db().prepare("SELECT count(*) FROM id_detail WHERE rule = -1");
  ASSERT_TRUE(all.step());
  EXPECT_EQ(all.int_at(0), 2); // root in v1, one in v2
}

} // namespace
} // namespace kct::kgit
