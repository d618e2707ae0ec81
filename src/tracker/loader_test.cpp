#include "tracker/tracker.h"

#include "support/test_env.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace kct::tracker {
namespace {

std::string cve(const std::string& id, const std::string& statuses) {
  return "Candidate: " + id + "\nPublicDate: 2020-01-01\nDescription:\n text\nPriority: medium\n\nPatches_linux:\n" +
         statuses;
}

class LoaderTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir.write("active/CVE-2020-0001",
              cve("CVE-2020-0001", "xenial_linux: needed\nbionic_linux: pending (4.15.0-1.2)\n"));
    dir.write("active/CVE-2020-0002", cve("CVE-2020-0002", "xenial_linux: needed\nxenial_openssl: DNE\n"));
    dir.write("active/CVE-2020-0003", "Candidate: CVE-2020-0003\nno colon here\n"); // bad
    dir.write("active/00boilerplate.linux",
              "Candidate:\nPublicDate:\nDescription:\n\nPatches_linux:\nxenial_linux: needs-triage\n");
    dir.write("active/10autotriage.linux", "# CVE-2020-0001 -- hint\n:title('x', ['local-a'])\n");
    dir.write("active/Makefile", "include ../Makefile.include\n");
    dir.write("retired/CVE-2019-0001", cve("CVE-2019-0001", "xenial_linux: released (4.4.0-1.1)\n"));
    dir.write("retired/CVE-2020-0002", cve("CVE-2020-0002", "xenial_linux: released (4.4.0-1.1)\n"));
    dir.write("ignored/not-for-us.txt", "# header\nCVE-2018-0001 CVE-2018-0002\nCAN-2004-0001 # old\n");
    std::filesystem::create_symlink("nowhere", std::filesystem::path(dir.path()) / "active/CVE-2020-0009");
  }
  testing::ScopedTempDir dir;
};

TEST_F(LoaderTest, LoadsEveryFileAndReportsTheUnreadableOne) {
  auto t = Tracker::load(dir.path(), testing::source_catalog(), LoadOptions{2, {}});
  EXPECT_EQ(t->files().size(), 10u);
  ASSERT_EQ(t->diagnostics().size(), 1u);
  EXPECT_EQ(util::format(t->diagnostics()[0]),
            dir.path() + "/active/CVE-2020-0009:1:1: error: cannot read file: No such file or directory");
  const TrackedFile* bad = t->find("CVE-2020-0003").at(0);
  EXPECT_TRUE(bad->file.has_errors());
  EXPECT_EQ(t->find("CVE-2020-0001").at(0)->file.statuses().size(), 2u);
}

TEST_F(LoaderTest, KeepsBoilerplatesAndOtherFilesAsWhatTheyAre) {
  auto t = Tracker::load(dir.path(), testing::source_catalog());
  for (const TrackedFile& tf : t->files()) {
    if (tf.name == "00boilerplate.linux") {
      EXPECT_EQ(tf.file.kind(), FileKind::boilerplate);
      EXPECT_EQ(tf.file.statuses().size(), 1u);
    } else if (tf.name == "10autotriage.linux" || tf.name == "Makefile" || tf.name == "not-for-us.txt") {
      EXPECT_EQ(tf.file.kind(), FileKind::other);
      EXPECT_EQ(tf.file.write(), tf.file.text());
    }
  }
  EXPECT_TRUE(t->find("00boilerplate.linux").empty()); // not indexed as a CVE
}

TEST_F(LoaderTest, IndexesByIdPackageAndReleasePackageState) {
  auto t = Tracker::load(dir.path(), testing::source_catalog());
  std::vector<const TrackedFile*> both = t->find("CVE-2020-0002");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0]->directory, Directory::active);
  EXPECT_EQ(both[1]->directory, Directory::retired);
  EXPECT_EQ(t->classes_of("CVE-2020-0002"), (std::vector<Directory>{Directory::active, Directory::retired}));
  EXPECT_EQ(t->files_with_package("linux").size(), 4u);
  EXPECT_EQ(t->files_with_package("openssl").size(), 1u);
  EXPECT_TRUE(t->files_with_package("curl").empty());
  catalog::ReleaseId xenial = *testing::source_catalog().find("xenial");
  const std::vector<EntryRef>& needed = t->entries(xenial, "linux", State::needed);
  ASSERT_EQ(needed.size(), 2u);
  for (const EntryRef& r : needed) {
    const CveFile& f = t->files()[r.file].file;
    EXPECT_EQ(f.statuses()[r.entry].state, State::needed);
    EXPECT_EQ(f.view(f.statuses()[r.entry].package), "linux");
  }
  EXPECT_EQ(t->entries(xenial, "linux", State::released).size(), 2u);
  EXPECT_TRUE(t->entries(xenial, "curl", State::needed).empty());
  EXPECT_EQ(t->packages(), (std::vector<std::string_view>{"linux", "openssl"}));
}

TEST_F(LoaderTest, ReadsTheNotForUsList) {
  auto t = Tracker::load(dir.path(), testing::source_catalog());
  EXPECT_TRUE(t->in_not_for_us("CVE-2018-0002"));
  EXPECT_TRUE(t->in_not_for_us("CAN-2004-0001"));
  EXPECT_FALSE(t->in_not_for_us("CVE-2020-0001"));
  EXPECT_EQ(t->not_for_us_size(), 3u);
}

TEST_F(LoaderTest, LoadsOnlyTheFilesAskedFor) {
  auto t =
      Tracker::load(dir.path(), testing::source_catalog(), LoadOptions{1, {dir.path() + "/retired/CVE-2020-0002"}});
  ASSERT_EQ(t->files().size(), 1u);
  EXPECT_EQ(t->files()[0].directory, Directory::retired);
  EXPECT_TRUE(t->partial());
  EXPECT_EQ(t->classes_of("CVE-2020-0002"), (std::vector<Directory>{Directory::active, Directory::retired}));
  EXPECT_TRUE(t->in_not_for_us("CVE-2018-0001"));
}

TEST_F(LoaderTest, MissingDirectoryIsReportedNotSkipped) {
  std::filesystem::remove_all(std::filesystem::path(dir.path()) / "ignored");
  auto t = Tracker::load(dir.path(), testing::source_catalog());
  ASSERT_EQ(t->diagnostics().size(), 2u);
  EXPECT_EQ(util::format(t->diagnostics()[0]),
            dir.path() + "/ignored:1:1: error: cannot read tracker directory: No such file or directory");
}

TEST_F(LoaderTest, EmbargoedDirectoryIsLoadedWhenPresent) {
  dir.write("embargoed/EMB-2020-0001", cve("EMB-2020-0001", "xenial_linux: needed\n"));
  auto t = Tracker::load(dir.path(), testing::source_catalog());
  ASSERT_EQ(t->find("EMB-2020-0001").size(), 1u);
  EXPECT_EQ(t->find("EMB-2020-0001")[0]->directory, Directory::embargoed);
}

TEST_F(LoaderTest, SameResultWithOneOrManyThreads) {
  auto one = Tracker::load(dir.path(), testing::source_catalog(), LoadOptions{1, {}});
  auto many = Tracker::load(dir.path(), testing::source_catalog(), LoadOptions{4, {}});
  ASSERT_EQ(one->files().size(), many->files().size());
  for (size_t i = 0; i < one->files().size(); ++i) {
    EXPECT_EQ(one->files()[i].file.path(), many->files()[i].file.path());
    EXPECT_EQ(one->files()[i].file.text(), many->files()[i].file.text());
  }
}

} // namespace
} // namespace kct::tracker
