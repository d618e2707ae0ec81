// Autotriage inputs that are wrong: a corrupt or unreadable store, a tag whose changelog has no
// version, a published version without a tag, a missing branch.
#include "kgit/provenance_store.h"
#include "kgit/tag_versions.h"
#include "support/git_fixture.h"
#include "support/test_env.h"
#include "triage/target_versions.h"
#include "util/error.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace kct::triage {
namespace {

namespace fs = std::filesystem;

TEST(ProvenanceStoreInput, ACorruptStoreIsMovedAsideAndRebuilt) {
  testing::ScopedTempDir tmp;
  std::string path = tmp.write("kct-provenance.db", std::string(4096, 'x'));
  kgit::ProvenanceStore store(path);
  EXPECT_NE(store.rebuilt_reason().find("not a database"), std::string::npos) << store.rebuilt_reason();
  EXPECT_TRUE(fs::exists(path + ".corrupt"));
  EXPECT_EQ(store.meta("schema_version").value_or(""), std::to_string(kgit::ProvenanceStore::k_schema_version));
  // A good store reopens without a word.
  kgit::ProvenanceStore again(path);
  EXPECT_EQ(again.rebuilt_reason(), "");
}

TEST(ProvenanceStoreInput, AnUnopenableStoreIsAnErrorNamingIt) {
  testing::ScopedTempDir tmp;
  std::string path = tmp.path() + "/kct-provenance.db";
  fs::create_directories(path); // a directory where the file should be
  try {
    kgit::ProvenanceStore store(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(ProvenanceStoreInput, ANewerSchemaIsRefused) {
  testing::ScopedTempDir tmp;
  std::string path = tmp.path() + "/kct-provenance.db";
  {
    kgit::ProvenanceStore store(path);
    store.set_meta("schema_version", "99");
  }
  try {
    kgit::ProvenanceStore store(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this kct"), std::string::npos) << e.what();
  }
}

TEST(ChangelogHead, ReadsPackageAndVersionOrNothing) {
  auto head = kgit::parse_changelog_head("linux-aws (4.9.0-1001.1) bionic; urgency=medium\n\n  * x\n");
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->first, "linux-aws");
  EXPECT_EQ(head->second, "4.9.0-1001.1");
  EXPECT_FALSE(kgit::parse_changelog_head("linux bionic; urgency=medium\n").has_value());
  EXPECT_FALSE(kgit::parse_changelog_head("").has_value());
  EXPECT_EQ(kgit::upstream_tag_version("v6.3-rc2"), "6.3~rc2");
  EXPECT_EQ(kgit::upstream_tag_version("refs/tags/v4.9"), "4.9");
}

class TargetVersionsTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_repo = std::make_unique<testing::GitRepo>(testing::GitRepo::init(m_tmp.path() + "/work"));
    m_repo->write_file("debian/debian.env", "DEBIAN=debian.master\n");
    m_repo->write_file(
        "debian.master/changelog",
        "linux (1.0-1.1) bionic; urgency=medium\n\n  * one\n\n -- A <a@b.c>  Tue, 01 Jan 2019 00:00:00 +0000\n");
    m_repo->commit("UBUNTU: Ubuntu-1.0-1.1");
    m_repo->tag("Ubuntu-1.0-1.1", "HEAD", "Ubuntu-1.0-1.1");
    m_repo->write_file("debian.master/changelog", "this is not a changelog\n");
    m_repo->commit("broken changelog");
    m_repo->tag("Ubuntu-1.0-2.2", "HEAD", "Ubuntu-1.0-2.2");
    m_repo->checkout_new_branch("master-next", "HEAD");
    m_tmp.write("state/lp/bionic_linux_tags", "1.0-1.1\n1.0-2.2\n");
  }
  testing::ScopedTempDir m_tmp;
  std::unique_ptr<testing::GitRepo> m_repo;
};

TEST_F(TargetVersionsTest, AChangelogWithoutAVersionLeavesThatVersionUntagged) {
  kgit::Repository repo(m_repo->path());
  kgit::ProvenanceStore store(m_tmp.path() + "/state/kct-provenance.db");
  std::mutex lock;
  std::vector<util::Diagnostic> diags;
  std::vector<util::Diagnostic> config_diags;
  ScanConfig config = ScanConfig::parse("conf", "bionic linux work master-next scan,tags-lp - -\n", config_diags);
  ASSERT_EQ(config.targets.size(), 1u);
  TargetVersions v = target_versions(config.targets[0], repo, m_tmp.path() + "/state", store, lock, diags);
  EXPECT_EQ(v.untagged, (std::vector<std::string>{"1.0-2.2"}));
  ASSERT_EQ(v.versions.size(), 2u); // 1.0-1.1 and the tip as pending
  EXPECT_EQ(v.versions[0].version, "1.0-1.1");
  EXPECT_EQ(v.versions[1].version, "pending");
  // The unreadable changelog is cached as such, by tag object.
  std::vector<kgit::TagRef> tags = repo.tags("Ubuntu-*");
  ASSERT_EQ(tags.size(), 2u);
  std::optional<kgit::ChangelogVersion> cached = store.cached_tag_version(tags[1].object_id);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->version, "-");
}

TEST_F(TargetVersionsTest, AMissingBranchIsAWarningAndNoPendingVersion) {
  kgit::Repository repo(m_repo->path());
  kgit::ProvenanceStore store(m_tmp.path() + "/state/kct-provenance.db");
  std::mutex lock;
  std::vector<util::Diagnostic> diags;
  std::vector<util::Diagnostic> config_diags;
  ScanConfig config = ScanConfig::parse("conf", "bionic linux work no-such-branch scan,tags-lp - -\n", config_diags);
  TargetVersions v = target_versions(config.targets[0], repo, m_tmp.path() + "/state", store, lock, diags);
  ASSERT_EQ(v.versions.size(), 1u);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].severity, util::Severity::warning);
  EXPECT_NE(diags[0].message.find("no-such-branch"), std::string::npos);
}

TEST(RepositoryInput, AMissingRepositoryIsAnErrorNamingIt) {
  try {
    kgit::Repository repo("/nonexistent/repo.git");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/repo.git: not a git repository"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace kct::triage
