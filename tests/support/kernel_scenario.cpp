#include "support/kernel_scenario.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace kct::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_upstream_sob = "Signed-off-by: Jane Hacker <jane@example.org>\n";
constexpr const char* k_stable_sob = "Signed-off-by: Greg Kroah-Hartman <gregkh@linuxfoundation.org>\n";
constexpr const char* k_ubuntu_sob = "Signed-off-by: Ubuntu Kernel Developer <ubuntu-dev@example.com>\n";
constexpr const char* k_maintainer = "Ubuntu Kernel Bot <kernel-bot@example.com>";

std::string makefile(int patchlevel, int sublevel, const std::string& extraversion) {
  return "# SPDX-License-Identifier: GPL-2.0\n"
         "VERSION = 4\n"
         "PATCHLEVEL = " +
         std::to_string(patchlevel) + "\nSUBLEVEL = " + std::to_string(sublevel) +
         "\nEXTRAVERSION =" + (extraversion.empty() ? "" : " " + extraversion) +
         "\nNAME = Roaring Lionus\n\n"
         "# The fixture models only the version lines of the kernel Makefile.\n";
}

// A C source file whose content says which commit last changed it, so every change is real.
std::string source_file(const std::string& name, const std::string& state) {
  return "// SPDX-License-Identifier: GPL-2.0\n// " + name + "\n\nint " + name + "_state(void)\n{\n\treturn 0; /* " +
         state + " */\n}\n";
}

// RFC 2822 date as Debian changelog trailers write it; by hand to stay locale-independent.
std::string rfc2822(int64_t t) {
  static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// A debian changelog grown one entry at a time, newest first.
class Changelog {
public:
  explicit Changelog(std::string package) : m_package(std::move(package)) {}

  // Prepends an entry and returns the whole file.
  std::string add(const std::string& version, const std::vector<std::string>& changes, int64_t time) {
    std::string entry = m_package + " (" + version + ") bionic; urgency=medium\n\n";
    for (const std::string& c : changes) {
      entry += "  * " + c + "\n";
    }
    entry += "\n -- " + std::string(k_maintainer) + "  " + rfc2822(time) + "\n";
    m_text = m_text.empty() ? entry : entry + "\n" + m_text;
    return m_text;
  }

private:
  std::string m_package;
  std::string m_text;
};

// The body of a commit without its trailing newlines, plus one.
std::string body(const GitRepo& repo, const std::string& sha) {
  std::string b = repo.body_of(sha);
  while (!b.empty() && b.back() == '\n') {
    b.pop_back();
  }
  return b.empty() ? b : b + "\n";
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string buglink(int bug) {
  return "BugLink: https://bugs.launchpad.net/bugs/" + std::to_string(bug) + "\n\n";
}

// A commit that bumps the changelog to `version`, tagged `tag` (annotated, message `message`).
std::string release(const GitRepo& repo, Changelog& changelog, const std::string& changelog_path,
                    const std::string& version, const std::vector<std::string>& changes, const std::string& tag,
                    const std::string& message) {
  int64_t t = repo.env()->now() + GitEnv::k_commit_step;
  repo.write_file(changelog_path, changelog.add(version, changes, t));
  std::string sha = repo.commit("UBUNTU: " + message, "", t);
  repo.tag(tag, sha, message);
  return sha;
}

UpstreamCommits build_upstream(const GitRepo& up) {
  UpstreamCommits c;
  up.write_file("Makefile", makefile(8, 0, ""));
  up.write_file("README", "Linux kernel (fixture)\n");
  for (const char* f : {"drivers/net/foo", "net/qux", "fs/baz", "sound/bar", "drivers/usb/gadget"}) {
    std::string name = fs::path(f).filename().string();
    up.write_file(std::string(f) + ".c", source_file(name, "original"));
  }
  c.root = up.commit("Initial kernel import", std::string("Import the 4.8 tree.\n\n") + k_upstream_sob);

  up.write_file("drivers/net/foo.c", source_file("foo", "fast path, frees the buffer early"));
  c.b = up.commit("net: foo: add a fast path for small packets",
                  std::string("Skip the queue for small packets.\n\n") + k_upstream_sob);

  auto linux_release = [&](int patchlevel, const std::string& rc, const std::string& tag) {
    up.write_file("Makefile", makefile(patchlevel, 0, rc));
    std::string name = "Linux 4." + std::to_string(patchlevel) + rc;
    std::string sha = up.commit(name);
    up.tag(tag, sha, name);
    return sha;
  };
  c.v4_9_rc1 = linux_release(9, "-rc1", "v4.9-rc1");
  c.v4_9 = linux_release(9, "", "v4.9");

  up.write_file("drivers/net/foo.c", source_file("foo", "fast path, frees the buffer after its last use"));
  c.f1 = up.commit("net: foo: fix use-after-free in the fast path",
                   "The fast path frees the buffer before its last use.\n\nFixes: " + c.b.substr(0, 12) +
                       " (\"net: foo: add a fast path for small packets\")\n" + k_upstream_sob);
  up.write_file("sound/bar.c", source_file("bar", "mixer index checked"));
  c.x = up.commit("sound: bar: fix out-of-bounds read in the mixer",
                  std::string("Check the index.\n\n") + k_upstream_sob);
  up.write_file("fs/baz.c", source_file("baz", "name length checked"));
  c.f3 = up.commit("fs: baz: check the name length",
                   std::string("Reject names longer than the buffer.\n\n") + k_upstream_sob);
  up.write_file("drivers/usb/gadget.c", source_file("gadget", "freed once on disconnect"));
  c.f4 = up.commit("usb: gadget: fix double free on disconnect",
                   std::string("Free the request only once.\n\n") + k_upstream_sob);
  c.v4_10_rc1 = linux_release(10, "-rc1", "v4.10-rc1");

  // F2 arrives through a merge, as most upstream fixes do.
  up.checkout_new_branch("net-fixes", c.v4_10_rc1);
  up.write_file("net/qux.c", source_file("qux", "header length validated"));
  c.f2 = up.commit("net: qux: validate the header length",
                   std::string("Drop packets with a short header.\n\n") + k_upstream_sob);
  up.checkout("master");
  c.f3_revert =
      up.revert(c.f3, "This reverts commit " + c.f3 + ".\n\nIt breaks mounting old images.\n\n" + k_upstream_sob);
  c.merge_f2 = up.merge("net-fixes", "Merge branch 'net-fixes'", "Pull networking fixes.\n");
  up.delete_branch("net-fixes");
  c.v4_10 = linux_release(10, "", "v4.10");
  c.f3_reapply = up.revert(
      c.f3_revert, "This reverts commit " + c.f3_revert +
                       ".\n\nThe mount regression is fixed elsewhere now; bring the check back.\n\n" + k_upstream_sob);
  return c;
}

StableCommits build_stable(const GitRepo& st, const GitRepo& up, const UpstreamCommits& u) {
  StableCommits c;
  st.fetch(up.path(), {"refs/tags/v4.9-rc1:refs/tags/v4.9-rc1", "refs/tags/v4.9:refs/tags/v4.9",
                       "refs/heads/master:refs/remotes/upstream/master"});
  st.checkout_new_branch("stable-queue-4.9", "v4.9");
  auto backport = [&](const std::string& sha, const std::string& header) {
    return st.cherry_pick_as(sha, st.subject_of(sha), header + "\n\n" + body(st, sha) + k_stable_sob);
  };
  c.f1 = backport(u.f1, "commit " + u.f1 + " upstream.");
  c.f2 = backport(u.f2, "[ Upstream commit " + u.f2 + " ]");
  c.f4 = backport(u.f4, "commit " + u.f4 + " upstream.");
  st.write_file("Makefile", makefile(9, 1, ""));
  c.v4_9_1 = st.commit("Linux 4.9.1");
  st.tag("v4.9.1", c.v4_9_1, "Linux 4.9.1");
  c.f4_revert = st.revert(c.f4, "This reverts commit " + c.f4 + " which is\ncommit " + u.f4 +
                                    " upstream.\n\nIt causes a regression on some boards.\n\n" + k_stable_sob);
  st.write_file("Makefile", makefile(9, 2, ""));
  c.v4_9_2 = st.commit("Linux 4.9.2");
  st.tag("v4.9.2", c.v4_9_2); // lightweight on purpose: readers must handle both kinds
  return c;
}

UbuntuCommits build_bionic(const GitRepo& ub, const GitRepo& up, const GitRepo& st, const UpstreamCommits& u,
                           const StableCommits& s) {
  UbuntuCommits c;
  ub.fetch(up.path(), {"refs/tags/v4.9-rc1:refs/tags/v4.9-rc1", "refs/tags/v4.9:refs/tags/v4.9",
                       "refs/heads/master:refs/remotes/upstream/master"});
  ub.fetch(st.path(), {"refs/heads/stable-queue-4.9:refs/remotes/stable/stable-queue-4.9"});
  ub.checkout_new_branch("master-next", "v4.9");
  Changelog changelog("linux");
  const std::string cl = "debian.master/changelog";
  auto pick = [&](const std::string& sha, const std::string& head, const std::string& tail) {
    return ub.cherry_pick_as(sha, ub.subject_of(sha), head + body(ub, sha) + tail);
  };

  ub.write_file("debian/debian.env", "DEBIAN=debian.master\n");
  c.v1_1 =
      release(ub, changelog, cl, "4.9.0-1.1", {"Initial release for bionic."}, "Ubuntu-4.9.0-1.1", "Ubuntu-4.9.0-1.1");

  c.f1 = pick(u.f1, buglink(123456), "(cherry picked from commit " + u.f1 + ")\n" + k_ubuntu_sob);
  ub.write_file("net/qux_compat.h", "/* header length helper (partial backport) */\n");
  c.f2_upper = ub.commit("net: qux: add the header length helper",
                         buglink(123457) + "Only the helper; the check itself follows.\n\n(backported from commit " +
                             upper(u.f2) + ")\n" + k_ubuntu_sob);
  c.v2_2 = release(ub, changelog, cl, "4.9.0-2.2",
                   {"net: foo: fix use-after-free in the fast path (LP: #123456)",
                    "net: qux: add the header length helper (LP: #123457)"},
                   "Ubuntu-4.9.0-2.2", "Ubuntu-4.9.0-2.2");

  c.f2 = pick(u.f2, buglink(123457),
              "(backported from commit " + u.f2 + ")\n[ubuntu-dev: adjusted context]\n" + k_ubuntu_sob);
  c.f3_case = pick(u.f3, "", "(Cherry Picked From Commit " + u.f3 + ")\n" + k_ubuntu_sob);
  c.stable_f4 = pick(s.f4, buglink(123458), k_ubuntu_sob);
  ub.write_file("drivers/net/foo_sauce.c", source_file("foo_sauce", "hang workaround"));
  c.sauce = ub.commit("UBUNTU: SAUCE: fix foo",
                      std::string("Work around the foo hang until upstream has a fix.\n\n") + k_ubuntu_sob);
  ub.write_file("sound/bar_quirks.c", source_file("bar_quirks", "Foo codec quirk"));
  c.prose = ub.commit("sound: bar: add a quirk for the Foo codec",
                      "The Foo codec misreports its mixer size, so clamp it here. This is a\nworkaround only:\n"
                      "the fix from upstream commit " +
                          u.x + " is not included here.\n\n" + k_ubuntu_sob);
  c.v3_3 =
      release(ub, changelog, cl, "4.9.0-3.3",
              {"net: qux: validate the header length (LP: #123457)", "fs: baz: check the name length",
               "Stable update (LP: #123458)", "UBUNTU: SAUCE: fix foo", "sound: bar: add a quirk for the Foo codec"},
              "Ubuntu-4.9.0-3.3", "Ubuntu-4.9.0-3.3");

  c.f1_revert =
      ub.revert(c.f1, "This reverts commit " + c.f1 + ".\n\nIt causes a regression on some NICs.\n\n" + k_ubuntu_sob);
  c.stable_f4_revert = pick(s.f4_revert, buglink(123458), k_ubuntu_sob);
  c.v4_4 = release(ub, changelog, cl, "4.9.0-4.4",
                   {"Revert \"net: foo: fix use-after-free in the fast path\"", "Stable update (LP: #123458)"},
                   "Ubuntu-4.9.0-4.4", "Ubuntu-4.9.0-4.4");
  c.v5_5 = release(ub, changelog, cl, "4.9.0-5.5", {"Rebuild."}, "Ubuntu-4.9.0-5.5-misnamed", "Ubuntu-4.9.0-5.5");

  c.f1_readd =
      pick(u.f1, buglink(123461),
           "(backported from commit " + u.f1 + ")\n[ubuntu-dev: the NIC regression is fixed now]\n" + k_ubuntu_sob);
  return c;
}

AwsCommits build_aws(const GitRepo& aws, const GitRepo& up, const GitRepo& ub, const UpstreamCommits& u) {
  AwsCommits c;
  aws.fetch(ub.path(), {"refs/tags/v4.9-rc1:refs/tags/v4.9-rc1", "refs/tags/v4.9:refs/tags/v4.9",
                        "refs/tags/Ubuntu-4.9.0-1.1:refs/tags/Ubuntu-4.9.0-1.1",
                        "refs/tags/Ubuntu-4.9.0-2.2:refs/tags/Ubuntu-4.9.0-2.2"});
  aws.fetch(up.path(), {"refs/heads/master:refs/remotes/upstream/master"});
  aws.checkout_new_branch("master-next", "Ubuntu-4.9.0-2.2");
  Changelog changelog("linux-aws");
  const std::string cl = "debian.aws/changelog";

  aws.write_file("debian/debian.env", "DEBIAN=debian.aws\n");
  c.v1001_1 = release(aws, changelog, cl, "4.9.0-1001.1", {"Initial release for aws, based on 4.9.0-2.2."},
                      "Ubuntu-aws-4.9.0-1001.1", "Ubuntu-aws-4.9.0-1001.1");
  c.f2 = aws.cherry_pick_as(u.f2, aws.subject_of(u.f2),
                            buglink(123462) + body(aws, u.f2) + "(cherry picked from commit " + u.f2 + ")\n" +
                                k_ubuntu_sob);
  c.v1002_2 = release(aws, changelog, cl, "4.9.0-1002.2", {"net: qux: validate the header length (LP: #123462)"},
                      "Ubuntu-aws-4.9.0-1002.2", "Ubuntu-aws-4.9.0-1002.2");
  return c;
}

ScenarioTarget make_target(const std::string& repos_dir, std::string key, std::string source, std::string repo_dir,
                           std::string branch, std::string flags, std::vector<TagVersion> tags, bool lp) {
  ScenarioTarget t;
  t.key = std::move(key);
  t.source = std::move(source);
  t.repo_path = (fs::path(repos_dir) / repo_dir).string();
  t.repo_dir = std::move(repo_dir);
  t.branch = std::move(branch);
  t.flags = std::move(flags);
  t.tags = std::move(tags);
  if (lp) {
    for (const TagVersion& tv : t.tags) {
      t.published.push_back(tv.version);
    }
  }
  return t;
}

} // namespace

std::string ScenarioTarget::lp_tags_file() const {
  std::string k = key;
  std::replace(k.begin(), k.end(), '/', '@');
  return k + "_" + source + "_tags";
}

std::string ScenarioTarget::lp_tags_text() const {
  std::string s;
  for (const std::string& v : published) {
    s += v + "\n";
  }
  return s;
}

std::string ScenarioTarget::config_line() const {
  return key + " " + source + " " + repo_dir + " " + branch + " " + flags + " - -";
}

std::vector<const ScenarioTarget*> KernelScenario::targets() const {
  return {&upstream_target, &stable_target, &bionic_target, &aws_target};
}

std::string KernelScenario::scan_config() const {
  std::string s;
  for (const ScenarioTarget* t : targets()) {
    s += t->config_line() + "\n";
  }
  return s;
}

std::vector<std::pair<std::string, std::string>> KernelScenario::named_shas() const {
  const UpstreamCommits& u = upstream;
  const StableCommits& s = stable;
  const UbuntuCommits& b = bionic;
  return {
      {"upstream.root", u.root},
      {"upstream.b", u.b},
      {"upstream.v4_9_rc1", u.v4_9_rc1},
      {"upstream.v4_9", u.v4_9},
      {"upstream.f1", u.f1},
      {"upstream.x", u.x},
      {"upstream.f3", u.f3},
      {"upstream.f4", u.f4},
      {"upstream.v4_10_rc1", u.v4_10_rc1},
      {"upstream.f2", u.f2},
      {"upstream.f3_revert", u.f3_revert},
      {"upstream.merge_f2", u.merge_f2},
      {"upstream.v4_10", u.v4_10},
      {"upstream.f3_reapply", u.f3_reapply},
      {"stable.f1", s.f1},
      {"stable.f2", s.f2},
      {"stable.f4", s.f4},
      {"stable.v4_9_1", s.v4_9_1},
      {"stable.f4_revert", s.f4_revert},
      {"stable.v4_9_2", s.v4_9_2},
      {"bionic.v1_1", b.v1_1},
      {"bionic.f1", b.f1},
      {"bionic.f2_upper", b.f2_upper},
      {"bionic.v2_2", b.v2_2},
      {"bionic.f2", b.f2},
      {"bionic.f3_case", b.f3_case},
      {"bionic.stable_f4", b.stable_f4},
      {"bionic.sauce", b.sauce},
      {"bionic.prose", b.prose},
      {"bionic.v3_3", b.v3_3},
      {"bionic.f1_revert", b.f1_revert},
      {"bionic.stable_f4_revert", b.stable_f4_revert},
      {"bionic.v4_4", b.v4_4},
      {"bionic.v5_5", b.v5_5},
      {"bionic.f1_readd", b.f1_readd},
      {"aws.v1001_1", aws.v1001_1},
      {"aws.f2", aws.f2},
      {"aws.v1002_2", aws.v1002_2},
  };
}

KernelScenario build_kernel_scenario(const std::string& dir) {
  KernelScenario s;
  s.dir = fs::absolute(dir).string();
  s.repos_dir = (fs::path(s.dir) / "repos").string();
  s.work_dir = (fs::path(s.dir) / "work").string();
  fs::create_directories(s.repos_dir);
  auto env = std::make_shared<GitEnv>();
  auto work = [&](const char* name) { return GitRepo::init((fs::path(s.work_dir) / name).string(), env); };

  // The trees, in the order their histories need each other.
  GitRepo up = work("linux");
  s.upstream = build_upstream(up);
  GitRepo st = work("stable");
  s.stable = build_stable(st, up, s.upstream);
  GitRepo ub = work("bionic");
  s.bionic = build_bionic(ub, up, st, s.upstream, s.stable);
  GitRepo aws = work("bionic-aws");
  s.aws = build_aws(aws, up, ub, s.upstream);
  s.sauce_subject = "UBUNTU: SAUCE: fix foo";

  // The targets, as the scan configuration names them.
  s.upstream_target =
      make_target(s.repos_dir, "upstream", "linux", "linux-linus.git", "master", "scan,tags-git:v*",
                  {{"v4.9-rc1", "4.9~rc1"}, {"v4.9", "4.9"}, {"v4.10-rc1", "4.10~rc1"}, {"v4.10", "4.10"}}, false);
  s.stable_target = make_target(s.repos_dir, "upstream", "linux-4.9", "stable-queue-branches.git", "stable-queue-4.9",
                                "scan,tags-git:v4.9.*", {{"v4.9.1", "4.9.1"}, {"v4.9.2", "4.9.2"}}, false);
  s.bionic_target = make_target(s.repos_dir, "bionic", "linux", "bionic-linux.git", "master-next", "scan,tags-lp",
                                {{"Ubuntu-4.9.0-1.1", "4.9.0-1.1"},
                                 {"Ubuntu-4.9.0-2.2", "4.9.0-2.2"},
                                 {"Ubuntu-4.9.0-3.3", "4.9.0-3.3"},
                                 {"Ubuntu-4.9.0-4.4", "4.9.0-4.4"},
                                 {"Ubuntu-4.9.0-5.5-misnamed", "4.9.0-5.5"}},
                                true);
  s.aws_target =
      make_target(s.repos_dir, "bionic", "linux-aws", "bionic-linux-aws.git", "master-next", "scan,tags-lp",
                  {{"Ubuntu-aws-4.9.0-1001.1", "4.9.0-1001.1"}, {"Ubuntu-aws-4.9.0-1002.2", "4.9.0-1002.2"}}, true);

  // The bare clones the scanner reads.
  up.clone_bare_to(s.upstream_target.repo_path);
  st.clone_bare_to(s.stable_target.repo_path);
  ub.clone_bare_to(s.bionic_target.repo_path);
  aws.clone_bare_to(s.aws_target.repo_path);
  return s;
}

} // namespace kct::testing
