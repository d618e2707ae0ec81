#include "debver/version.h"
#include "support/test_env.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace kct::debver {
namespace {

struct Case {
  const char* a;
  const char* b;
  int expected; // sign of compare(a, b)
};

// Each of these pins one rule of dpkg's ordering; they are also checked against dpkg.
constexpr Case hand_picked[] = {
    {"1.0", "1.0", 0},
    {"1:0.1", "0:9.9", 1},  // epoch dominates
    {"0:1.0", "1.0", 0},    // missing epoch is 0
    {"01:1.0", "1:1.0", 0}, // epoch compared numerically
    {"+1:1.0", "1:1.0", 0}, // strtol accepts a sign
    {"1.0~rc1", "1.0", -1}, // '~' sorts before the end
    {"1.0~~", "1.0~", -1},  // '~~' before '~'
    {"1.0~~a", "1.0~", -1},
    {"1~", "1~~", 1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"5.6~rc3", "5.6", -1},
    {"1.0~rc1-1", "1.0-1", -1},
    {"1.0a", "1.0+", -1}, // letters before non-letters
    {"1.0a", "1.0.", -1},
    {"1.0+", "1.0.", -1}, // non-letters by ASCII
    {"1.0", "1.0a", -1},  // end before a letter
    {"1.0", "1.0+", -1},
    {"1.0A", "1.0a", -1}, // letters by ASCII
    {"1.001", "1.1", 0},  // leading zeros ignored
    {"1.010", "1.9", 1},
    {"0000000000000000000000000000000001", "1", 0},
    {"1.123456789012345678901234567890", "1.123456789012345678901234567891", -1},
    {"99999999999999999999999999999999", "100000000000000000000000000000000", -1},
    {"1.0-0", "1.0", 0}, // missing revision equals -0
    {"1.0-00", "1.0", 0},
    {"1.0-1", "1.0", 1},
    {"1.0-1", "1.0-1.0", -1},
    {"1.0-1~bpo1", "1.0-1", -1},
    {"1.0+dfsg-1", "1.0-1", 1},
    {"1.0-a-b", "1.0-b", 1}, // revision starts after the LAST '-'
    {"1:2:3", "1:2:4", -1},  // colons allowed in upstream with an epoch
    {" 1.0 ", "1.0", 0},     // surrounding blanks ignored
    {"", "", 0},             // empty means "no version": before all
    {"", "0", -1},
    {"", "~", -1},
    {"2.6.32-1", "2.6.32-1ubuntu1", -1},
    {"1.2.3-1ubuntu0.1", "1.2.3-1ubuntu1", -1},
    {"4.4.0-21.37", "4.4.0-21.37", 0},
    {"4.15.0-101.102", "4.15.0-99.100", 1},
    {"4.15.0-1037.39~16.04.1", "4.15.0-1037.39", -1},
    {"999-2", "1000-1", -1},
};

// Exit status of `dpkg --compare-versions -- a op b`, spawned directly (no shell,
// so no quoting issues; "--" so a leading '-' is not an option). stdout is dropped;
// stderr goes to `err_out` when given, else /dev/null. -1 if dpkg did not exit.
std::optional<int> run_dpkg(const std::string& a, const char* op, const std::string& b,
                            std::string* err_out = nullptr) {
  std::string args[] = {"dpkg", "--compare-versions", "--", a, op, b};
  char* argv[] = {args[0].data(), args[1].data(), args[2].data(), args[3].data(),
                  args[4].data(), args[5].data(), nullptr};
  int fds[2] = {-1, -1};
  if (err_out != nullptr && pipe(fds) != 0) {
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  if (err_out != nullptr) {
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  pid_t pid = 0;
  int err = posix_spawnp(&pid, "dpkg", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err_out != nullptr) {
    close(fds[1]);
    char buf[512];
    for (ssize_t n = 0; (n = read(fds[0], buf, sizeof buf)) != 0;) {
      if (n < 0 && errno != EINTR) {
        break;
      }
      err_out->append(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    close(fds[0]);
  }
  if (err != 0) {
    return std::nullopt;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool dpkg_available() {
  return run_dpkg("1", "eq", "1") == 0;
}

// dpkg's ordering of a and b derived from the exit status of `lt` then `eq`;
// anything but 0/1 (e.g. 2 for a syntax error) is reported as 99 to fail loudly.
int dpkg_compare(const std::string& a, const std::string& b) {
  std::optional<int> lt = run_dpkg(a, "lt", b);
  if (lt == 0) {
    return -1;
  }
  if (lt != 1) {
    return 99;
  }
  std::optional<int> eq = run_dpkg(a, "eq", b);
  if (eq == 0) {
    return 0;
  }
  return eq == 1 ? 1 : 99;
}

// The version in a status line such as "xenial_linux: released (4.4.0-21.37)"
// whose state is released, pending or not-affected; sets `package` ("linux").
std::optional<std::string> status_version(const std::string& line, std::string& package) {
  auto colon = line.find(": ");
  auto underscore = line.find('_');
  auto open = line.find('(');
  auto close = line.rfind(')');
  if (line.empty() || line[0] == '#' || colon == std::string::npos || underscore > colon || open == std::string::npos ||
      open < colon || close == std::string::npos || close < open || line.find(' ') < colon) {
    return std::nullopt;
  }
  std::string state = line.substr(colon + 2, open - colon - 2);
  while (!state.empty() && state.back() == ' ') {
    state.pop_back();
  }
  if (state != "released" && state != "pending" && state != "not-affected") {
    return std::nullopt;
  }
  package = line.substr(underscore + 1, colon - underscore - 1);
  return line.substr(open + 1, close - open - 1);
}

// The first `limit` distinct valid versions, visiting files in sorted order so the
// harvest is deterministic; each package contributes at most `per_package`
// versions so the sample is not all kernels.
std::vector<std::string> harvest(const std::filesystem::path& root, std::size_t limit, std::size_t per_package,
                                 std::set<std::string>& packages) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::map<std::string, std::size_t> per;
  for (const char* sub : {"active", "retired", "ignored"}) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root / sub, ec)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file);
      std::string line;
      std::string package;
      while (out.size() < limit && std::getline(in, line)) {
        std::optional<std::string> version = status_version(line, package);
        if (!version || invalid_reason(*version) || seen.count(*version) != 0 || per[package] >= per_package) {
          continue;
        }
        seen.insert(*version);
        ++per[package];
        packages.insert(package);
        out.push_back(*version);
      }
      if (out.size() >= limit) {
        return out;
      }
    }
  }
  return out;
}

TEST(DebianVersion, HandPickedOrdering) {
  for (const Case& c : hand_picked) {
    EXPECT_EQ(compare(c.a, c.b), c.expected) << '"' << c.a << "\" vs \"" << c.b << '"';
    EXPECT_EQ(compare(c.b, c.a), -c.expected) << '"' << c.b << "\" vs \"" << c.a << '"';
  }
}

TEST(DebianVersion, TildeSortsBeforeEnd) {
  EXPECT_LT(compare("1.0~", "1.0"), 0);
  EXPECT_LT(compare("1.0~~", "1.0~"), 0);
  EXPECT_LT(compare("5.6~rc3", "5.6"), 0);
}

TEST(DebianVersion, LongDigitRunsDoNotOverflow) {
  std::string big(500, '9');
  std::string bigger = "1" + std::string(500, '0');
  EXPECT_LT(compare(big, bigger), 0);
  EXPECT_EQ(compare("000" + big, big), 0);
  EXPECT_GT(compare("1." + bigger + "-1", "1." + big + "-9"), 0);
}

TEST(DebianVersion, SplitFindsEpochAndLastHyphen) {
  Parts p = split("2:4.15.0-1037.39~16.04.1");
  EXPECT_EQ(p.epoch_text, "2");
  EXPECT_EQ(p.epoch, 2);
  EXPECT_EQ(p.upstream, "4.15.0");
  EXPECT_EQ(p.revision, "1037.39~16.04.1");
  Parts q = split("1.0-a-b");
  EXPECT_EQ(q.epoch_text, "");
  EXPECT_EQ(q.epoch, 0);
  EXPECT_EQ(q.upstream, "1.0-a");
  EXPECT_EQ(q.revision, "b");
  EXPECT_EQ(split("1.0").revision, "");
}

constexpr const char* invalid_versions[] = {
    "",     "   ",  "1.0 1", ":1.0", "a:1.0", "1a:1.0",  "-1:1.0",  "2147483648:1.0", "1:",
    "1.0-", "1:-1", "a1.0",  "~1",   "1.0_1", "1.0-1_1", "1.0-1:1", "1.0-1-",         "1.0\xc3\xa9",
};
constexpr const char* valid_versions[] = {
    "0", "1.0", "1:1.0-1", "+1:1.0", "-0:1.0", " 1.0\t", "2147483647:1", "1.0-1-1", "1:2:3", "1.0~rc1+dfsg-0ubuntu0.1~",
};

TEST(DebianVersion, InvalidReasons) {
  for (const char* bad : invalid_versions) {
    EXPECT_TRUE(invalid_reason(bad).has_value()) << '"' << bad << '"';
  }
  for (const char* good : valid_versions) {
    EXPECT_EQ(invalid_reason(good), std::nullopt) << '"' << good << '"';
  }
  EXPECT_EQ(invalid_reason("1.0 1"), "version string has embedded spaces");
  EXPECT_EQ(invalid_reason("a1.0"), "version number does not start with digit");
  EXPECT_EQ(invalid_reason("1.0-"), "revision number is empty");
}

// dpkg prints "version '...' has bad syntax: <reason>" for anything we reject (an
// empty argument means "no version" to the CLI, so it is left out here).
TEST(DebianVersion, InvalidReasonsMatchDpkgMessages) {
  if (!dpkg_available()) {
    GTEST_SKIP() << "dpkg not found on PATH";
  }
  for (const char* bad : invalid_versions) {
    if (*bad == '\0') {
      continue;
    }
    std::string err;
    run_dpkg(bad, "eq", "1", &err);
    EXPECT_NE(err.find("bad syntax: " + invalid_reason(bad).value_or("?")), std::string::npos)
        << '"' << bad << "\": " << err;
  }
  for (const char* good : valid_versions) {
    std::string err;
    std::optional<int> rc = run_dpkg(good, "eq", "1", &err);
    EXPECT_EQ(rc, std::optional<int>(satisfies(good, Op::eq, "1") ? 0 : 1)) << good;
    EXPECT_EQ(err, "") << '"' << good << '"';
  }
}

TEST(DebianVersion, ParseOpAndSatisfies) {
  EXPECT_EQ(parse_op("lt"), Op::lt);
  EXPECT_EQ(parse_op("<<"), Op::lt);
  EXPECT_EQ(parse_op("<="), Op::le);
  EXPECT_EQ(parse_op("="), Op::eq);
  EXPECT_EQ(parse_op("ne"), Op::ne);
  EXPECT_EQ(parse_op(">="), Op::ge);
  EXPECT_EQ(parse_op(">>"), Op::gt);
  EXPECT_EQ(parse_op("gt"), Op::gt);
  for (const char* bad : {"", "<", ">", "==", "LT", "lt "}) {
    EXPECT_EQ(parse_op(bad), std::nullopt) << '"' << bad << '"';
  }
  EXPECT_TRUE(satisfies("5.6~rc3", Op::lt, "5.6"));
  EXPECT_TRUE(satisfies("1.0", Op::le, "1.0-0"));
  EXPECT_TRUE(satisfies("1.0", Op::eq, "0:1.0"));
  EXPECT_TRUE(satisfies("1.0", Op::ne, "1.0-1"));
  EXPECT_TRUE(satisfies("1000-1", Op::ge, "999-2"));
  EXPECT_TRUE(satisfies("1:0", Op::gt, "9999"));
  EXPECT_FALSE(satisfies("1.0", Op::gt, "1.0"));
  EXPECT_FALSE(satisfies("1.0", Op::lt, "1.0"));
}

TEST(DebianVersion, HandPickedAgreeWithDpkg) {
  if (!dpkg_available()) {
    GTEST_SKIP() << "dpkg not found on PATH";
  }
  for (const Case& c : hand_picked) {
    EXPECT_EQ(dpkg_compare(c.a, c.b), c.expected) << '"' << c.a << "\" vs \"" << c.b << '"';
  }
}

TEST(DebianVersion, SnapshotVersionsAgreeWithDpkg) {
  const std::string snapshot = kct::testing::snapshot_dir();
  if (snapshot.empty()) {
    GTEST_SKIP() << "no shared snapshot beside the source tree";
  }
  ASSERT_TRUE(dpkg_available()) << "dpkg is required to compare the snapshot's versions";
  std::set<std::string> packages;
  std::vector<std::string> versions = harvest(snapshot, 400, 40, packages);
  ASSERT_GE(versions.size(), 200u) << "too few versions harvested from " << snapshot;
  ASSERT_GE(packages.size(), 5u);

  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t i = 0; i + 1 < versions.size(); ++i) {
    pairs.emplace_back(versions[i], versions[i + 1]);
  }
  // Fisher-Yates on raw mt19937 output: unlike std::shuffle, identical everywhere.
  std::vector<std::string> shuffled = versions;
  std::mt19937 rng(20191229);
  for (std::size_t i = shuffled.size(); i > 1; --i) {
    std::swap(shuffled[i - 1], shuffled[rng() % i]);
  }
  for (std::size_t i = 0; i < versions.size(); ++i) {
    pairs.emplace_back(versions[i], shuffled[i]);
  }
  // Neighbours in our own sorted order are the closest calls, where bugs hide.
  // stable_sort stays in bounds even if a broken compare is not a strict order.
  std::vector<std::string> sorted = versions;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const std::string& x, const std::string& y) { return compare(x, y) < 0; });
  for (std::size_t i = 0; i + 1 < sorted.size(); ++i) {
    pairs.emplace_back(sorted[i], sorted[i + 1]);
  }
  ASSERT_GE(pairs.size(), 300u);

  std::map<int, int> outcomes;
  for (const auto& [a, b] : pairs) {
    int expected = dpkg_compare(a, b);
    ++outcomes[expected];
    EXPECT_EQ(compare(a, b), expected) << '"' << a << "\" vs \"" << b << '"';
    EXPECT_EQ(compare(b, a), -compare(a, b)) << '"' << a << "\" vs \"" << b << '"';
  }
  RecordProperty("dpkg_pairs", static_cast<int>(pairs.size()));
  std::printf("compared %zu harvested pairs (%zu versions, %zu packages) against dpkg: "
              "%d lt, %d eq, %d gt\n",
              pairs.size(), versions.size(), packages.size(), outcomes[-1], outcomes[0], outcomes[1]);
}

} // namespace
} // namespace kct::debver
