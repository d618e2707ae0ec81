// Checks the git fixture and the kernel scenario built with it, through the git command, so
// scanner tests can rely on what kernel_scenario.h documents.
#include "support/git_fixture.h"
#include "support/kernel_scenario.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>

namespace kct::testing {
namespace {

namespace fs = std::filesystem;

std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    end = end == std::string::npos ? s.size() : end;
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// ---- GitRepo ----

TEST(GitFixture, CommitsWithTheFixedIdentityOneHourApart) {
  ScopedTempDir tmp;
  GitRepo repo = GitRepo::init(tmp.path() + "/r");
  repo.write_file("a.txt", "one\n");
  std::string first = repo.commit("first", "Body line.\n\nSigned-off-by: A <a@example.com>");
  repo.write_file("a.txt", "two\n");
  std::string second = repo.commit("second");

  EXPECT_EQ(repo.git({"log", "-1", "--format=%an <%ae>|%cn <%ce>", second}),
            "Kernel Fixture <fixture@example.com>|Kernel Fixture <fixture@example.com>\n");
  EXPECT_EQ(repo.git({"log", "--format=%at %ct", "master"}), std::to_string(GitEnv::k_default_start + 7200) + " " +
                                                                 std::to_string(GitEnv::k_default_start + 7200) + "\n" +
                                                                 std::to_string(GitEnv::k_default_start + 3600) + " " +
                                                                 std::to_string(GitEnv::k_default_start + 3600) + "\n");
  EXPECT_EQ(repo.message_of(first), "first\n\nBody line.\n\nSigned-off-by: A <a@example.com>\n");
  EXPECT_EQ(repo.subject_of(first), "first");
  EXPECT_EQ(repo.body_of(first), "Body line.\n\nSigned-off-by: A <a@example.com>\n");
  EXPECT_EQ(repo.message_of(second), "second\n");
  EXPECT_EQ(repo.body_of(second), "");
  EXPECT_EQ(repo.rev_parse("HEAD"), second);
  EXPECT_EQ(repo.commit_of("HEAD~1"), first);
  EXPECT_EQ(repo.git({"symbolic-ref", "HEAD"}), "refs/heads/master\n");
}

TEST(GitFixture, ExplicitTimeAndEmptyCommits) {
  ScopedTempDir tmp;
  GitRepo repo = GitRepo::init(tmp.path() + "/r");
  std::string empty = repo.commit("empty", "", 2000000000);
  EXPECT_EQ(repo.git({"log", "-1", "--format=%ct", empty}), "2000000000\n");
  std::string next = repo.commit("next");
  EXPECT_EQ(repo.git({"log", "-1", "--format=%ct", next}), "2000003600\n");
  EXPECT_EQ(repo.git({"rev-list", "--count", "HEAD"}), "2\n");
}

TEST(GitFixture, SameScriptGivesSameShas) {
  auto build = [](const std::string& path) {
    GitRepo repo = GitRepo::init(path);
    repo.write_file("dir/f.c", "int f;\n");
    repo.commit("add f");
    repo.tag("t1", "HEAD", "tag one");
    repo.remove_file("dir/f.c");
    return repo.commit("remove f", "Because.");
  };
  ScopedTempDir a;
  ScopedTempDir b;
  EXPECT_EQ(build(a.path() + "/r"), build(b.path() + "/other-name"));
  GitRepo repo(a.path() + "/r");
  EXPECT_FALSE(fs::exists(a.path() + "/r/dir/f.c"));
  EXPECT_EQ(repo.git({"ls-tree", "-r", "--name-only", "HEAD"}), "");
}

TEST(GitFixture, IgnoresTheCallersGitEnvironment) {
  ScopedTempDir tmp;
  ::setenv("GIT_AUTHOR_NAME", "Intruder", 1);
  ::setenv("GIT_DIR", "/nonexistent", 1);
  ::setenv("GIT_COMMITTER_DATE", "@1 +0000", 1);
  std::string sha;
  std::string who;
  try {
    GitRepo repo = GitRepo::init(tmp.path() + "/r");
    sha = repo.commit("c");
    who = repo.git({"log", "-1", "--format=%an %ct", sha});
  } catch (...) {
    ::unsetenv("GIT_AUTHOR_NAME");
    ::unsetenv("GIT_DIR");
    ::unsetenv("GIT_COMMITTER_DATE");
    throw;
  }
  ::unsetenv("GIT_AUTHOR_NAME");
  ::unsetenv("GIT_DIR");
  ::unsetenv("GIT_COMMITTER_DATE");
  EXPECT_EQ(who, "Kernel Fixture " + std::to_string(GitEnv::k_default_start + 3600) + "\n");
}

TEST(GitFixture, FailureThrowsWithGitsMessage) {
  ScopedTempDir tmp;
  GitRepo repo = GitRepo::init(tmp.path() + "/r");
  repo.commit("c");
  try {
    repo.checkout("no-such-branch");
    FAIL() << "checkout of a missing branch did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), "git checkout -q no-such-branch")) << e.what();
    EXPECT_TRUE(contains(e.what(), "did not match")) << e.what();
  }
  EXPECT_THROW(repo.rev_parse("no-such-rev"), std::runtime_error);
  EXPECT_FALSE(repo.has_object("0123456789012345678901234567890123456789"));
}

TEST(GitFixture, AnnotatedAndLightweightTags) {
  ScopedTempDir tmp;
  GitRepo repo = GitRepo::init(tmp.path() + "/r");
  std::string c = repo.commit("c");
  repo.tag("annotated", c, "The message");
  repo.tag("light", c);
  EXPECT_EQ(repo.git({"cat-file", "-t", "annotated"}), "tag\n");
  EXPECT_EQ(repo.git({"cat-file", "-t", "light"}), "commit\n");
  EXPECT_NE(repo.rev_parse("annotated"), c);
  EXPECT_EQ(repo.commit_of("annotated"), c);
  EXPECT_EQ(repo.rev_parse("light"), c);
  EXPECT_TRUE(contains(repo.git({"cat-file", "tag", "annotated"}), "\n\nThe message\n"));
  // The tagger date is the clock's, not the wall clock's.
  EXPECT_EQ(repo.git({"for-each-ref", "--format=%(taggerdate:raw)", "refs/tags/annotated"}),
            std::to_string(GitEnv::k_default_start + 3600) + " +0000\n");
}

TEST(GitFixture, CherryPickAsAndRevert) {
  ScopedTempDir tmp;
  GitRepo repo = GitRepo::init(tmp.path() + "/r");
  repo.write_file("f", "base\n");
  std::string base = repo.commit("base");
  repo.checkout_new_branch("topic", base);
  repo.write_file("f", "fixed\n");
  std::string fix = repo.commit("fix f", "Original body.");
  repo.checkout("master");
  repo.write_file("g", "other\n");
  repo.commit("other");

  std::string pick = repo.cherry_pick_as(fix, "fix f", "(cherry picked from commit " + fix + ")");
  EXPECT_EQ(repo.read_file("f"), "fixed\n");
  EXPECT_EQ(repo.message_of(pick), "fix f\n\n(cherry picked from commit " + fix + ")\n");
  EXPECT_EQ(repo.commit_of(pick + "~1"), repo.commit_of("master~1"));

  std::string revert = repo.revert(pick);
  EXPECT_EQ(repo.read_file("f"), "base\n");
  EXPECT_EQ(repo.message_of(revert), "Revert \"fix f\"\n\nThis reverts commit " + pick + ".\n");
  std::string again = repo.revert(revert, "This reverts commit " + revert + ".\n\nBack again.");
  EXPECT_EQ(repo.read_file("f"), "fixed\n");
  EXPECT_EQ(repo.subject_of(again), "Revert \"Revert \"fix f\"\"");

  std::string merge = repo.merge("topic", "Merge branch 'topic'");
  EXPECT_EQ(repo.commit_of(merge + "^2"), fix);
  EXPECT_TRUE(repo.is_ancestor(fix, "master"));
  EXPECT_FALSE(repo.is_ancestor("master", fix));
}

TEST(GitFixture, BareCloneHasEveryBranchAndTagButOnlyReachableObjects) {
  ScopedTempDir tmp;
  GitRepo repo = GitRepo::init(tmp.path() + "/r");
  std::string c = repo.commit("c");
  repo.checkout_new_branch("side", c);
  std::string side = repo.commit("side");
  repo.tag("side-tag", side);
  std::string gone = repo.commit("gone");
  repo.checkout("master");
  repo.delete_branch("side");

  GitRepo bare = repo.clone_bare_to(tmp.path() + "/r.git");
  EXPECT_EQ(bare.git({"rev-parse", "--is-bare-repository"}), "true\n");
  EXPECT_EQ(bare.git({"for-each-ref", "--format=%(refname)"}), "refs/heads/master\nrefs/tags/side-tag\n");
  EXPECT_EQ(bare.rev_parse("side-tag"), side);
  EXPECT_FALSE(bare.has_object(gone));

  GitRepo other = GitRepo::init(tmp.path() + "/other", repo.env());
  other.fetch(bare.path(), {"refs/heads/master:refs/remotes/r/master"});
  EXPECT_EQ(other.git({"for-each-ref", "--format=%(refname)"}), "refs/remotes/r/master\n");
}

// ---- The kernel scenario ----

class KernelScenarioTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_dir = std::make_unique<ScopedTempDir>();
    s_env = std::make_shared<GitEnv>();
    auto start = std::chrono::steady_clock::now();
    try {
      s_scenario = std::make_unique<KernelScenario>(build_kernel_scenario(s_dir->path()));
    } catch (const std::exception& e) {
      s_error = e.what();
    }
    s_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  static void TearDownTestSuite() {
    s_scenario.reset();
    s_dir.reset();
    s_env.reset();
  }
  void SetUp() override {
    ASSERT_EQ(s_error, "");
    ASSERT_NE(s_scenario, nullptr);
  }

  static const KernelScenario& sc() { return *s_scenario; }
  static GitRepo open(const ScenarioTarget& t) { return GitRepo(t.repo_path, s_env); }
  static std::string makefile_version(const GitRepo& repo, const std::string& rev) {
    std::map<std::string, std::string> v;
    for (const std::string& line : lines(repo.show_file(rev, "Makefile"))) {
      size_t eq = line.find(" =");
      if (eq != std::string::npos) {
        std::string value = line.substr(eq + 2);
        v[line.substr(0, eq)] = value.empty() ? "" : value.substr(1);
      }
    }
    return v["VERSION"] + "." + v["PATCHLEVEL"] + "." + v["SUBLEVEL"] + v["EXTRAVERSION"];
  }

  static std::unique_ptr<ScopedTempDir> s_dir;
  static std::shared_ptr<GitEnv> s_env;
  static std::unique_ptr<KernelScenario> s_scenario;
  static std::string s_error;
  static double s_seconds;
};

std::unique_ptr<ScopedTempDir> KernelScenarioTest::s_dir;
std::shared_ptr<GitEnv> KernelScenarioTest::s_env;
std::unique_ptr<KernelScenario> KernelScenarioTest::s_scenario;
std::string KernelScenarioTest::s_error;
double KernelScenarioTest::s_seconds = 0;

TEST_F(KernelScenarioTest, BuildsTheFourBareClonesOfTheScanConfig) {
  RecordProperty("build_seconds", std::to_string(s_seconds));
  EXPECT_EQ(sc().scan_config(),
            "upstream linux linux-linus.git master scan,tags-git:v* - -\n"
            "upstream linux-4.9 stable-queue-branches.git stable-queue-4.9 scan,tags-git:v4.9.* - -\n"
            "bionic linux bionic-linux.git master-next scan,tags-lp - -\n"
            "bionic linux-aws bionic-linux-aws.git master-next scan,tags-lp - -\n");
  for (const ScenarioTarget* t : sc().targets()) {
    EXPECT_EQ(t->repo_path, sc().repos_dir + "/" + t->repo_dir);
    GitRepo repo = open(*t);
    EXPECT_EQ(repo.git({"rev-parse", "--is-bare-repository"}), "true\n") << t->repo_dir;
    EXPECT_EQ(repo.git({"symbolic-ref", "HEAD"}), "refs/heads/" + t->branch + "\n") << t->repo_dir;
    EXPECT_EQ(repo.git({"for-each-ref", "--format=%(refname)", "refs/heads"}), "refs/heads/" + t->branch + "\n")
        << t->repo_dir;
  }
  EXPECT_TRUE(fs::is_directory(sc().work_dir + "/linux/.git"));
}

TEST_F(KernelScenarioTest, NamedShasAreDistinctFullShas) {
  std::set<std::string> seen;
  for (const auto& [name, sha] : sc().named_shas()) {
    EXPECT_TRUE(std::regex_match(sha, std::regex("[0-9a-f]{40}"))) << name << " " << sha;
    EXPECT_TRUE(seen.insert(sha).second) << name << " repeats " << sha;
  }
  EXPECT_EQ(seen.size(), 38u);
}

TEST_F(KernelScenarioTest, UpstreamTagsAreInCommitDateOrder) {
  const ScenarioTarget& t = sc().upstream_target;
  GitRepo up = open(t);
  EXPECT_EQ(up.git({"tag", "-l", "v*"}), "v4.10\nv4.10-rc1\nv4.9\nv4.9-rc1\n");
  std::vector<std::string> expected_commits = {sc().upstream.v4_9_rc1, sc().upstream.v4_9, sc().upstream.v4_10_rc1,
                                               sc().upstream.v4_10};
  ASSERT_EQ(t.tags.size(), 4u);
  long previous = 0;
  for (size_t i = 0; i < t.tags.size(); ++i) {
    EXPECT_EQ(up.commit_of(t.tags[i].tag), expected_commits[i]);
    EXPECT_EQ(up.git({"cat-file", "-t", t.tags[i].tag}), "tag\n") << t.tags[i].tag;
    long ct = std::stol(up.git({"log", "-1", "--format=%ct", t.tags[i].tag}));
    EXPECT_GT(ct, previous) << t.tags[i].tag;
    previous = ct;
  }
  EXPECT_EQ(t.tags[0].version, "4.9~rc1");
  EXPECT_EQ(t.tags[3].version, "4.10");
  EXPECT_TRUE(t.published.empty());
  EXPECT_EQ(makefile_version(up, "v4.9-rc1"), "4.9.0-rc1");
  EXPECT_EQ(makefile_version(up, "v4.10"), "4.10.0");
  EXPECT_EQ(makefile_version(up, sc().upstream.root), "4.8.0");
  EXPECT_EQ(up.commit_of("master"), sc().upstream.f3_reapply);
}

TEST_F(KernelScenarioTest, UpstreamCommitsSitBetweenTheDocumentedTags) {
  const UpstreamCommits& u = sc().upstream;
  GitRepo up = open(sc().upstream_target);
  EXPECT_EQ(up.git({"rev-list", "--max-parents=0", "master"}), u.root + "\n");
  EXPECT_TRUE(up.is_ancestor(u.b, "v4.9-rc1"));
  for (const std::string& fix : {u.f1, u.x, u.f3, u.f4}) {
    EXPECT_FALSE(up.is_ancestor(fix, "v4.9"));
    EXPECT_TRUE(up.is_ancestor(fix, "v4.10-rc1"));
  }
  EXPECT_FALSE(up.is_ancestor(u.f2, "v4.10-rc1"));
  EXPECT_TRUE(up.is_ancestor(u.f2, "v4.10"));
  EXPECT_EQ(up.commit_of(u.merge_f2 + "^2"), u.f2);
  EXPECT_EQ(up.commit_of(u.f2 + "^"), u.v4_10_rc1);
  EXPECT_TRUE(up.is_ancestor(u.f3_revert, "v4.10"));
  EXPECT_FALSE(up.is_ancestor(u.f3_reapply, "v4.10"));

  EXPECT_EQ(up.subject_of(u.b), "net: foo: add a fast path for small packets");
  EXPECT_TRUE(contains(up.message_of(u.f1), "\nFixes: " + u.b.substr(0, 12) + " (\""));
  EXPECT_EQ(up.subject_of(u.f3_revert), "Revert \"fs: baz: check the name length\"");
  EXPECT_TRUE(contains(up.message_of(u.f3_revert), "\nThis reverts commit " + u.f3 + ".\n"));
  EXPECT_TRUE(contains(up.message_of(u.f3_reapply), "\nThis reverts commit " + u.f3_revert + ".\n"));
  EXPECT_EQ(up.show_file("v4.10-rc1", "fs/baz.c"), up.show_file("master", "fs/baz.c"));
  EXPECT_NE(up.show_file("v4.10", "fs/baz.c"), up.show_file("master", "fs/baz.c"));
}

TEST_F(KernelScenarioTest, StableBranchesAtV4_9AndCarriesProvenance) {
  const StableCommits& s = sc().stable;
  const UpstreamCommits& u = sc().upstream;
  GitRepo st = open(sc().stable_target);
  EXPECT_EQ(st.git({"tag", "-l"}), "v4.9\nv4.9-rc1\nv4.9.1\nv4.9.2\n");
  EXPECT_EQ(st.git({"tag", "-l", "v4.9.*"}), "v4.9.1\nv4.9.2\n");
  EXPECT_EQ(st.git({"merge-base", "stable-queue-4.9", "v4.9"}), u.v4_9 + "\n");
  EXPECT_EQ(st.commit_of(s.f1 + "^"), u.v4_9);
  EXPECT_EQ(st.git({"cat-file", "-t", "v4.9.1"}), "tag\n");
  EXPECT_EQ(st.git({"cat-file", "-t", "v4.9.2"}), "commit\n");
  EXPECT_EQ(st.commit_of("v4.9.1"), s.v4_9_1);
  EXPECT_EQ(st.commit_of("v4.9.2"), s.v4_9_2);
  EXPECT_EQ(st.commit_of("stable-queue-4.9"), s.v4_9_2);
  EXPECT_EQ(makefile_version(st, "v4.9.1"), "4.9.1");
  EXPECT_EQ(makefile_version(st, "v4.9.2"), "4.9.2");

  EXPECT_EQ(st.body_of(s.f1).rfind("commit " + u.f1 + " upstream.\n\n", 0), 0u);
  EXPECT_EQ(st.body_of(s.f2).rfind("[ Upstream commit " + u.f2 + " ]\n\n", 0), 0u);
  EXPECT_EQ(st.body_of(s.f4).rfind("commit " + u.f4 + " upstream.\n\n", 0), 0u);
  EXPECT_EQ(st.subject_of(s.f2), "net: qux: validate the header length");
  EXPECT_TRUE(st.is_ancestor(s.f4, "v4.9.1"));
  EXPECT_FALSE(st.is_ancestor(s.f4_revert, "v4.9.1"));
  EXPECT_TRUE(st.is_ancestor(s.f4_revert, "v4.9.2"));
  EXPECT_EQ(
      st.body_of(s.f4_revert).rfind("This reverts commit " + s.f4 + " which is\ncommit " + u.f4 + " upstream.\n", 0),
      0u);
  EXPECT_FALSE(st.has_object(u.f1)); // only the backports, not the upstream commits
}

TEST_F(KernelScenarioTest, UbuntuTreeSharesTheUpstreamObjects) {
  const UpstreamCommits& u = sc().upstream;
  GitRepo ub = open(sc().bionic_target);
  EXPECT_EQ(ub.git({"merge-base", "master-next", "v4.9"}), u.v4_9 + "\n");
  EXPECT_EQ(ub.rev_parse("v4.9"), GitRepo(sc().upstream_target.repo_path, s_env).rev_parse("v4.9"));
  EXPECT_TRUE(ub.is_ancestor(u.b, "master-next"));
  EXPECT_EQ(ub.commit_of(sc().bionic.v1_1 + "^"), u.v4_9);
  // Fixes arrive as new commits only; the upstream and stable originals are not in the tree.
  for (const std::string& sha : {u.f1, u.f2, u.f3, u.f4, u.x, sc().stable.f4, sc().stable.f4_revert}) {
    EXPECT_FALSE(ub.has_object(sha)) << sha;
  }
  EXPECT_EQ(ub.git({"tag", "-l", "v*"}), "v4.9\nv4.9-rc1\n");
}

TEST_F(KernelScenarioTest, UbuntuChangelogsReadAsDocumented) {
  const ScenarioTarget& t = sc().bionic_target;
  GitRepo ub = open(t);
  EXPECT_EQ(ub.git({"tag", "-l", "Ubuntu-*"}),
            "Ubuntu-4.9.0-1.1\nUbuntu-4.9.0-2.2\nUbuntu-4.9.0-3.3\nUbuntu-4.9.0-4.4\nUbuntu-4.9.0-5.5-misnamed\n");
  const UbuntuCommits& b = sc().bionic;
  std::vector<std::string> commits = {b.v1_1, b.v2_2, b.v3_3, b.v4_4, b.v5_5};
  ASSERT_EQ(t.tags.size(), commits.size());
  std::regex trailer(
      R"( -- [^<]+ <[^>]+>  (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000)");
  bool have_dpkg = run_command({"dpkg-parsechangelog", "--version"}).exit_code == 0;
  ScopedTempDir tmp;
  for (size_t i = 0; i < t.tags.size(); ++i) {
    const TagVersion& tv = t.tags[i];
    EXPECT_EQ(ub.commit_of(tv.tag), commits[i]) << tv.tag;
    EXPECT_EQ(ub.git({"cat-file", "-t", tv.tag}), "tag\n") << tv.tag;
    EXPECT_EQ(ub.show_file(tv.tag, "debian/debian.env"), "DEBIAN=debian.master\n");
    std::string changelog = ub.show_file(tv.tag, "debian.master/changelog");
    EXPECT_EQ(first_line(changelog), "linux (" + tv.version + ") bionic; urgency=medium") << tv.tag;
    // One entry per release so far, newest first, each closed by a trailer.
    size_t entries = 0;
    size_t trailers = 0;
    for (const std::string& line : lines(changelog)) {
      if (line.rfind("linux (", 0) == 0) {
        EXPECT_EQ(line, "linux (" + t.tags[i - entries].version + ") bionic; urgency=medium");
        ++entries;
      } else if (line.rfind(" -- ", 0) == 0) {
        EXPECT_TRUE(std::regex_match(line, trailer)) << line;
        ++trailers;
      }
    }
    EXPECT_EQ(entries, i + 1);
    EXPECT_EQ(trailers, i + 1);
    EXPECT_EQ(makefile_version(ub, tv.tag), "4.9.0");
    EXPECT_EQ(ub.subject_of(tv.tag), "UBUNTU: Ubuntu-" + tv.version);
    if (have_dpkg) {
      std::string file = tmp.write("changelog-" + std::to_string(i), changelog);
      CommandResult r = run_command({"dpkg-parsechangelog", "-l", file, "-S", "Version"});
      EXPECT_EQ(r.out, tv.version + "\n") << r.err;
      EXPECT_EQ(r.err, "");
    }
  }
  EXPECT_EQ(t.published, (std::vector<std::string>{"4.9.0-1.1", "4.9.0-2.2", "4.9.0-3.3", "4.9.0-4.4", "4.9.0-5.5"}));
  EXPECT_EQ(t.lp_tags_file(), "bionic_linux_tags");
  EXPECT_EQ(t.lp_tags_text(), "4.9.0-1.1\n4.9.0-2.2\n4.9.0-3.3\n4.9.0-4.4\n4.9.0-5.5\n");
}

TEST_F(KernelScenarioTest, MisnamedTagNameDisagreesWithItsChangelog) {
  GitRepo ub = open(sc().bionic_target);
  const TagVersion& last = sc().bionic_target.tags.back();
  EXPECT_EQ(last.tag, "Ubuntu-4.9.0-5.5-misnamed");
  EXPECT_EQ(last.version, "4.9.0-5.5");
  EXPECT_EQ(first_line(ub.show_file(last.tag, "debian.master/changelog")), "linux (4.9.0-5.5) bionic; urgency=medium");
  EXPECT_TRUE(ub.try_git({"rev-parse", "--verify", "--quiet", "Ubuntu-4.9.0-5.5"}).exit_code != 0);
}

TEST_F(KernelScenarioTest, UbuntuProvenanceLinesAreAsDocumented) {
  const UpstreamCommits& u = sc().upstream;
  const UbuntuCommits& b = sc().bionic;
  GitRepo ub = open(sc().bionic_target);
  std::string f1 = ub.message_of(b.f1);
  EXPECT_TRUE(contains(f1, "\nBugLink: https://bugs.launchpad.net/bugs/123456\n")) << f1;
  EXPECT_TRUE(contains(f1, "\n(cherry picked from commit " + u.f1 + ")\n")) << f1;
  EXPECT_EQ(ub.subject_of(b.f1), GitRepo(sc().upstream_target.repo_path, s_env).subject_of(u.f1));

  std::string upper = u.f2;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  ASSERT_NE(upper, u.f2);
  EXPECT_TRUE(contains(ub.message_of(b.f2_upper), "\n(backported from commit " + upper + ")\n"));
  EXPECT_FALSE(contains(ub.message_of(b.f2_upper), u.f2));
  EXPECT_TRUE(contains(ub.message_of(b.f2), "\n(backported from commit " + u.f2 + ")\n"));
  EXPECT_TRUE(contains(ub.message_of(b.f3_case), "\n(Cherry Picked From Commit " + u.f3 + ")\n"));
  EXPECT_TRUE(contains(ub.message_of(b.stable_f4), "\ncommit " + u.f4 + " upstream.\n"));

  EXPECT_EQ(ub.subject_of(b.sauce), sc().sauce_subject);
  EXPECT_EQ(ub.body_of(b.sauce).find("commit"), std::string::npos);
  EXPECT_EQ(ub.body_of(b.sauce).find("BugLink"), std::string::npos);
  EXPECT_TRUE(contains(ub.message_of(b.prose), "\nthe fix from upstream commit " + u.x + " is not included here.\n"));

  EXPECT_EQ(ub.message_of(b.f1_revert)
                .rfind("Revert \"net: foo: fix use-after-free in the fast path\"\n\n"
                       "This reverts commit " +
                           b.f1 + ".\n",
                       0),
            0u);
  EXPECT_TRUE(contains(ub.message_of(b.f1_readd), "\n(backported from commit " + u.f1 + ")\n"));
  EXPECT_TRUE(contains(ub.message_of(b.f1_readd), "\nBugLink: https://bugs.launchpad.net/bugs/123461\n"));
}

TEST_F(KernelScenarioTest, UbuntuCommitsLandInTheDocumentedTags) {
  const UbuntuCommits& b = sc().bionic;
  GitRepo ub = open(sc().bionic_target);
  auto first_tag = [&](const std::string& sha) {
    for (const TagVersion& tv : sc().bionic_target.tags) {
      if (ub.is_ancestor(sha, tv.tag)) {
        return tv.version;
      }
    }
    return std::string("pending");
  };
  EXPECT_EQ(first_tag(b.f1), "4.9.0-2.2");
  EXPECT_EQ(first_tag(b.f2_upper), "4.9.0-2.2");
  for (const std::string& sha : {b.f2, b.f3_case, b.stable_f4, b.sauce, b.prose}) {
    EXPECT_EQ(first_tag(sha), "4.9.0-3.3") << sha;
  }
  EXPECT_EQ(first_tag(b.f1_revert), "4.9.0-4.4");
  EXPECT_EQ(first_tag(b.stable_f4_revert), "4.9.0-4.4");
  EXPECT_EQ(first_tag(b.f1_readd), "pending");
  // The pending rule (§1.8): the newest tag is an ancestor of the branch, which is past it.
  EXPECT_EQ(ub.commit_of("master-next"), b.f1_readd);
  EXPECT_EQ(ub.commit_of(b.f1_readd + "^"), b.v5_5);
  // The re-add really restores F1's change, the revert really removed it.
  EXPECT_EQ(ub.show_file(b.v4_4, "drivers/net/foo.c"), ub.show_file("v4.9", "drivers/net/foo.c"));
  EXPECT_EQ(ub.show_file("master-next", "drivers/net/foo.c"), ub.show_file(b.v3_3, "drivers/net/foo.c"));
  EXPECT_NE(ub.show_file(b.v3_3, "drivers/net/foo.c"), ub.show_file("v4.9", "drivers/net/foo.c"));
}

TEST_F(KernelScenarioTest, ImportedStableRevertNamesAStableShaTheUbuntuTreeLacks) {
  GitRepo ub = open(sc().bionic_target);
  std::string message = ub.message_of(sc().bionic.stable_f4_revert);
  EXPECT_TRUE(contains(message, "\nThis reverts commit " + sc().stable.f4 + " which is\ncommit " + sc().upstream.f4 +
                                    " upstream.\n"))
      << message;
  EXPECT_FALSE(ub.has_object(sc().stable.f4));
  EXPECT_NE(sc().bionic.stable_f4, sc().stable.f4);
  EXPECT_EQ(ub.show_file(sc().bionic.v4_4, "drivers/usb/gadget.c"), ub.show_file("v4.9", "drivers/usb/gadget.c"));
}

TEST_F(KernelScenarioTest, AwsForksFromUbuntu2_2WithItsOwnDebianDirectory) {
  const ScenarioTarget& t = sc().aws_target;
  const AwsCommits& a = sc().aws;
  GitRepo aws = open(t);
  EXPECT_EQ(aws.git({"tag", "-l"}),
            "Ubuntu-4.9.0-1.1\nUbuntu-4.9.0-2.2\nUbuntu-aws-4.9.0-1001.1\nUbuntu-aws-4.9.0-1002.2\nv4.9\nv4.9-rc1\n");
  EXPECT_EQ(aws.commit_of(a.v1001_1 + "^"), sc().bionic.v2_2);
  EXPECT_EQ(aws.rev_parse("Ubuntu-4.9.0-2.2"), open(sc().bionic_target).rev_parse("Ubuntu-4.9.0-2.2"));
  EXPECT_FALSE(aws.has_object(sc().bionic.v3_3));
  EXPECT_EQ(aws.commit_of("master-next"), a.v1002_2);
  std::vector<std::string> commits = {a.v1001_1, a.v1002_2};
  ASSERT_EQ(t.tags.size(), 2u);
  for (size_t i = 0; i < t.tags.size(); ++i) {
    const TagVersion& tv = t.tags[i];
    EXPECT_EQ(aws.commit_of(tv.tag), commits[i]);
    EXPECT_EQ(aws.show_file(tv.tag, "debian/debian.env"), "DEBIAN=debian.aws\n");
    EXPECT_EQ(first_line(aws.show_file(tv.tag, "debian.aws/changelog")),
              "linux-aws (" + tv.version + ") bionic; urgency=medium");
    // The Ubuntu changelog is still there, so only debian.env tells the packages apart.
    EXPECT_EQ(first_line(aws.show_file(tv.tag, "debian.master/changelog")), "linux (4.9.0-2.2) bionic; urgency=medium");
  }
  EXPECT_TRUE(contains(aws.message_of(a.f2), "\n(cherry picked from commit " + sc().upstream.f2 + ")\n"));
  EXPECT_TRUE(aws.is_ancestor(sc().bionic.f2_upper, a.v1001_1));
  EXPECT_EQ(t.published, (std::vector<std::string>{"4.9.0-1001.1", "4.9.0-1002.2"}));
  EXPECT_EQ(t.lp_tags_file(), "bionic_linux-aws_tags");
}

TEST_F(KernelScenarioTest, EveryCommitIsNewerThanItsParents) {
  for (const ScenarioTarget* t : sc().targets()) {
    GitRepo repo = open(*t);
    std::map<std::string, long> time;
    std::vector<std::vector<std::string>> rows;
    for (const std::string& line : lines(repo.git({"log", "--all", "--format=%H %ct %P"}))) {
      std::vector<std::string> fields;
      size_t start = 0;
      while (start < line.size()) {
        size_t sp = std::min(line.find(' ', start), line.size());
        fields.push_back(line.substr(start, sp - start));
        start = sp + 1;
      }
      time[fields[0]] = std::stol(fields[1]);
      rows.push_back(fields);
    }
    for (const std::vector<std::string>& f : rows) {
      for (size_t i = 2; i < f.size(); ++i) {
        ASSERT_EQ(time.count(f[i]), 1u) << f[i];
        EXPECT_GT(time[f[0]], time[f[i]]) << t->repo_dir << " " << f[0];
      }
    }
  }
}

TEST_F(KernelScenarioTest, RebuildingGivesTheSameShas) {
  ScopedTempDir other;
  KernelScenario again = build_kernel_scenario(other.path());
  EXPECT_EQ(again.named_shas(), sc().named_shas());
}

} // namespace
} // namespace kct::testing
