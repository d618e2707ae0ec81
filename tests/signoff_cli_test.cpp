// `kct signoff` end to end through the real binary. Without the tree options: the verdict lines
// and exit codes (ready, nothing-to-sign, blocked) and --json, over a tracker, an apt mirror and
// a SQLite USN store. With --config/--repos/--state: the autotriage store's answer per CVE over
// the kernel scenario's git trees (a fix present at the upload's tag, one reverted there, a
// break the tree never had), for an upload the mirror publishes in -proposed at a tag's version.
#include "support/apt_mirror.h"
#include "support/kernel_cves.h"
#include "support/kernel_scenario.h"
#include "support/signoff_world.h"
#include "support/test_env.h"
#include "usn/sqlite_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kct {
namespace {

using testing::CommandResult;

// The inputs every run shares: tracker, catalog, USN store, kernel table, glitches, mirror.
class SignoffWorld {
public:
  SignoffWorld() {
    m_tmp.write("tracker/retired/.keep", "");
    m_glitches = m_tmp.write("glitches.yaml", "format: 1\nglitches: {}\n");
  }

  CommandResult signoff(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {testing::kct_binary(),
                                     "--tracker",
                                     m_tmp.path() + "/tracker",
                                     "--catalog",
                                     testing::source_dir() + "/data/catalog.yaml",
                                     "signoff",
                                     "--jobs",
                                     "1",
                                     "--usn-db",
                                     m_tmp.path() + "/usn.db",
                                     "--mirror",
                                     m_tmp.path() + "/mirror",
                                     "--kernel-table",
                                     testing::source_dir() + "/data/kernel-usn.yaml",
                                     "--glitches",
                                     m_glitches};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_command(argv);
  }

  const testing::ScopedTempDir& tmp() const { return m_tmp; }

private:
  testing::ScopedTempDir m_tmp;
  std::string m_glitches;
};

// --- without the tree: verdicts and exit codes ---------------------------------------------

class SignoffCliTest : public ::testing::Test {
protected:
  void SetUp() override { testing::write_signoff_world(world.tmp().path()); }

  SignoffWorld world;
};

TEST_F(SignoffCliTest, ReadyPrintsTheCvesBuildsAndVerdict) {
  CommandResult r = world.signoff({"xenial", "linux", "4.4.0-171.200"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "xenial/linux 4.4.0-171.200 (after 4.4.0-170.199, USN-4100-1): 1 CVE\n"
                   "  CVE-2019-1001 pending (4.4.0-171.200)\n"
                   "    An issue in the foo driver.\n"
                   "  built linux 4.4.0-171.200: amd64 arm64\n"
                   "verdict: ready\n"
                   "  1 CVE fixed, all described and built: mark the sign-off task Fix Released\n");
}

TEST_F(SignoffCliTest, NothingToSignExitsZero) {
  CommandResult r = world.signoff({"xenial", "linux-aws", "4.4.0-1100.111"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("xenial/linux-aws 4.4.0-1100.111 (after 4.4.0-1099.110, USN-4102-1): 0 CVEs\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("verdict: nothing-to-sign\n  the upload fixes no CVE the tracker knows: mark the sign-off "
                       "task Invalid\n"),
            std::string::npos)
      << r.out;
}

TEST_F(SignoffCliTest, BlockedExitsOneWithEveryReason) {
  CommandResult r = world.signoff({"xenial", "linux-kvm", "4.4.0-1064.71"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("  CVE-2019-1002 pending (4.4.0-1064.71)\n    [missing description]\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  built linux-kvm 4.4.0-1064.71: amd64 (pending: arm64)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verdict: blocked\n"
                       "  CVE-2019-1002: missing description (no Ubuntu-Description in the tracker)\n"
                       "  xenial/linux-kvm 4.4.0-1064.71: binaries pending on arm64\n"),
            std::string::npos)
      << r.out;
  // Several kernels: one blocked kernel blocks the sign-off.
  r = world.signoff({"xenial", "linux", "4.4.0-171.200", "linux-kvm", "4.4.0-1064.71"});
  EXPECT_EQ(r.exit_code, 1);
  // A version that is not in -proposed.
  r = world.signoff({"xenial", "linux", "4.4.0-172.201"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("verdict: blocked\n  xenial/linux 4.4.0-172.201: version not in the archive"), std::string::npos)
      << r.out;
}

TEST_F(SignoffCliTest, JsonCarriesTheVerdictAndEachCheck) {
  CommandResult r = world.signoff({"xenial", "linux-kvm", "4.4.0-1064.71", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "blocked");
  EXPECT_EQ(j["reasons"].size(), 2u);
  ASSERT_EQ(j["kernels"].size(), 1u);
  const nlohmann::json& k = j["kernels"][0];
  EXPECT_EQ(k["previous_from"], "USN-4101-1");
  ASSERT_EQ(k["cves"].size(), 1u);
  EXPECT_EQ(k["cves"][0]["cve"], "CVE-2019-1002");
  EXPECT_EQ(k["cves"][0]["description"], "");
  EXPECT_EQ(k["cves"][0]["fix"], "unchecked"); // no autotriage store given
  EXPECT_EQ(k["builds"][0]["built"], nlohmann::json({"amd64"}));
  EXPECT_EQ(k["builds"][0]["missing"], nlohmann::json({"arm64"}));

  r = world.signoff({"xenial", "linux", "4.4.0-171.200", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "ready");
}

TEST_F(SignoffCliTest, TreeOptionsGoTogether) {
  CommandResult r = world.signoff({"xenial", "linux", "4.4.0-171.200", "--config", "x.conf"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kct signoff: error: checking fixes in the tree needs --config, --repos and --state together"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// --- with the tree: the autotriage store decides whether each fix is in -----------------

class SignoffTreeTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_dir = new testing::ScopedTempDir();
    s_scenario = new testing::KernelScenario(testing::build_kernel_scenario(s_dir->path()));
  }
  static void TearDownTestSuite() {
    delete s_scenario;
    delete s_dir;
  }

  // bionic linux Ubuntu-4.9.0-4.4 in -proposed after 4.9.0-3.3 in -security (the last notice).
  // At that tag F2 is in, F1 was reverted, and the break `eee…` never existed.
  void SetUp() override {
    const testing::KernelScenario& s = *s_scenario;
    const testing::ScopedTempDir& tmp = world.tmp();
    std::filesystem::create_directories(tmp.path() + "/state/lp");
    for (const testing::ScenarioTarget* t : s.targets()) {
      if (!t->published.empty()) {
        tmp.write("state/lp/" + t->lp_tags_file(), t->lp_tags_text());
      }
    }
    config = tmp.write("autotriage.conf", s.scan_config());
    auto cve = [&](const std::string& id, const std::string& brk, const std::string& fix) {
      tmp.write("tracker/active/" + id,
                testing::kernel_cve_file(id, "medium", "An issue fixed by " + fix.substr(0, 12) + ".",
                                         " break-fix: " + brk + " " + fix +
                                             "\nupstream_linux: released (4.10)\n"
                                             "bionic_linux: pending (4.9.0-4.4)\n"));
    };
    cve("CVE-2099-2001", s.upstream.b, s.upstream.f2);
    cve("CVE-2099-2002", s.upstream.b, s.upstream.f1);
    cve("CVE-2099-2003", std::string(40, 'e'), s.upstream.f1);
    testing::AptMirror m;
    for (auto [pocket, version] : {std::pair{"-security", "4.9.0-3.3"}, std::pair{"-proposed", "4.9.0-4.4"}}) {
      m.add_source("bionic", pocket, "linux", version);
      m.add_binary("bionic", pocket, "amd64", "linux-image-4.9.0-generic", version, "linux", version);
    }
    m.write(tmp.path() + "/mirror");
    usn::SqliteStore(tmp.path() + "/usn.db")
        .put_all({testing::kernel_notice("4100-1", "bionic", "linux", "4.9.0-3.3")}, usn::Author{"test", ""});
  }

  CommandResult signoff(std::vector<std::string> args) {
    args.insert(args.end(),
                {"--config", config, "--repos", s_scenario->repos_dir, "--state", world.tmp().path() + "/state"});
    return world.signoff(args);
  }

  static testing::ScopedTempDir* s_dir;
  static testing::KernelScenario* s_scenario;
  SignoffWorld world;
  std::string config;
};
testing::ScopedTempDir* SignoffTreeTest::s_dir = nullptr;
testing::KernelScenario* SignoffTreeTest::s_scenario = nullptr;

TEST_F(SignoffTreeTest, BlocksOnAFixThatIsNotInTheUploadsTag) {
  CommandResult r = signoff({"bionic", "linux", "4.9.0-4.4"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::string f1 = s_scenario->upstream.f1.substr(0, 12);
  EXPECT_NE(r.out.find("bionic/linux 4.9.0-4.4 (after 4.9.0-3.3, USN-4100-1): 3 CVEs\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  CVE-2099-2001 pending (4.9.0-4.4)  fix present: every fix found in Ubuntu-4.9.0-4.4\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  CVE-2099-2002 pending (4.9.0-4.4)  fix absent: no fix " + f1 + " in Ubuntu-4.9.0-4.4\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  CVE-2099-2003 pending (4.9.0-4.4)  fix not-affected: the break is not in "
                       "Ubuntu-4.9.0-4.4\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("verdict: blocked\n  CVE-2099-2002: fix not in bionic/linux 4.9.0-4.4 (no fix " + f1 +
                       " in Ubuntu-4.9.0-4.4)\n"),
            std::string::npos)
      << r.out;
}

TEST_F(SignoffTreeTest, ReadyOnceTheMissingFixIsLeftOut) {
  CommandResult r = signoff({"bionic", "linux", "4.9.0-4.4", "--ignore", "CVE-2099-2002", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "ready") << j["reasons"].dump();
  const nlohmann::json& cves = j["kernels"][0]["cves"];
  ASSERT_EQ(cves.size(), 2u);
  EXPECT_EQ(cves[0]["cve"], "CVE-2099-2001");
  EXPECT_EQ(cves[0]["fix"], "present");
  EXPECT_EQ(cves[1]["cve"], "CVE-2099-2003");
  EXPECT_EQ(cves[1]["fix"], "not-affected");
}

} // namespace
} // namespace kct
