// Autotriage end to end over real git trees built by the kernel scenario fixture: versions
// from changelogs and tags, the provenance store, the decision per (CVE, target), incremental
// re-runs, moved tags, overlay changes, and the `kct autotriage` / `kct why` commands.
#include "kgit/provenance_store.h"
#include "support/kernel_scenario.h"
#include "support/test_env.h"
#include "tracker/cve_file.h"
#include "triage/cve_results.h"
#include "triage/scan_run.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

namespace kct::triage {
namespace {

namespace fs = std::filesystem;
using testing::KernelScenario;

std::string cve_text(const std::string& id, const std::string& patches) {
  return "Candidate: " + id +
         "\nPublicDate: 2019-06-01\nReferences:\nDescription:\n test\nUbuntu-Description:\n"
         "Notes:\nMitigation:\nBugs:\nPriority: medium\nDiscovered-by:\nAssigned-to:\nCVSS:\n\n" +
         patches;
}

struct Cve {
  const char* id;
  std::string break_sha;
  std::string fix;
};

class AutotriageTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_dir = new testing::ScopedTempDir();
    s_scenario = new KernelScenario(testing::build_kernel_scenario(s_dir->path()));
  }
  static void TearDownTestSuite() {
    delete s_scenario;
    delete s_dir;
  }

  // A fresh state directory, tracker and config per test (the trees are shared, read-only
  // unless a test copies one).
  void SetUp() override {
    const KernelScenario& s = *s_scenario;
    m_root = m_tmp.path();
    m_state = m_root + "/state";
    fs::create_directories(m_state + "/lp");
    for (const testing::ScenarioTarget* t : s.targets()) {
      if (!t->published.empty()) {
        m_tmp.write("state/lp/" + t->lp_tags_file(), t->lp_tags_text());
      }
    }
    m_config_path = m_tmp.write("autotriage.conf", s.scan_config());
    m_overlay_path = m_tmp.write("tracker/active/10autotriage.linux",
                                 "# overlay\n:title('" + s.sauce_subject + "', ['local-foo-fix'])\n");
    m_tmp.write("tracker/retired/.keep", "");
    m_tmp.write("tracker/ignored/not-for-us.txt", "");
    const std::string b = s.upstream.b;
    m_cves = {{"CVE-2099-1001", b, s.upstream.f1},
              {"CVE-2099-1002", b, s.upstream.f2},
              {"CVE-2099-1003", b, s.upstream.f3},
              {"CVE-2099-1004", b, s.upstream.f4},
              {"CVE-2099-1005", b, s.upstream.x},
              {"CVE-2099-1006", "-", "local-foo-fix"},
              {"CVE-2099-1007", std::string(40, 'e'), s.upstream.f1}};
    for (const Cve& c : m_cves) {
      m_tmp.write(
          "tracker/active/" + std::string(c.id),
          cve_text(c.id, "Patches_linux:\n break-fix: " + c.break_sha + " " + c.fix +
                             "\nupstream_linux: needs-triage\nbionic_linux: needs-triage\n"
                             "focal_linux: needs-triage\n\nPatches_linux-aws:\nbionic_linux-aws: needs-triage\n"));
    }
  }

  ScanRunResult scan(kgit::ProvenanceStore& store, const Overlay* overlay, std::vector<util::Diagnostic>& diags) {
    if (m_config.targets.empty()) {
      m_config = ScanConfig::load(m_config_path, diags); // results keep pointers into it
    }
    ScanRunOptions options;
    options.repos_dir = s_scenario->repos_dir;
    options.state_dir = m_state;
    options.overlay = overlay;
    options.jobs = 2;
    return run_scans(store, m_config, options, diags);
  }

  // `<key>_<source>` → "state version" for one CVE.
  std::map<std::string, std::string> results_for(const Cve& c, const ScanRunResult& run, kgit::ProvenanceStore& store) {
    tracker::CveFile file(
        "active/" + std::string(c.id),
        cve_text(c.id, "Patches_linux:\n break-fix: " + c.break_sha + " " + c.fix + "\nupstream_linux: needs-triage\n"),
        tracker::FileKind::cve, testing::source_catalog());
    PresenceIndex presence(store);
    std::map<std::string, std::string> out;
    for (const EngineResult& r : cve_results(file, "active/" + std::string(c.id), run.targets, presence)) {
      out[r.key + "_" + r.source] = r.state + " " + r.version;
    }
    return out;
  }

  static testing::ScopedTempDir* s_dir;
  static KernelScenario* s_scenario;
  testing::ScopedTempDir m_tmp;
  std::string m_root, m_state, m_config_path, m_overlay_path;
  ScanConfig m_config;
  std::vector<Cve> m_cves;
};
testing::ScopedTempDir* AutotriageTest::s_dir = nullptr;
KernelScenario* AutotriageTest::s_scenario = nullptr;

using Expect = std::map<std::string, std::string>;

TEST_F(AutotriageTest, VersionsComeFromChangelogsAndTagsWithThePendingTipLast) {
  kgit::ProvenanceStore store(m_state + "/kct-provenance.db");
  std::vector<util::Diagnostic> diags;
  ScanRunResult run = scan(store, nullptr, diags);
  EXPECT_EQ(util::count(diags).errors, 0) << (diags.empty() ? "" : util::format(diags[0]));
  ASSERT_EQ(run.targets.size(), 4u);
  EXPECT_EQ(run.targets[0].versions, (std::vector<std::string>{"4.9~rc1", "4.9", "4.10~rc1", "4.10", "pending"}));
  EXPECT_EQ(run.targets[1].versions, (std::vector<std::string>{"4.9.1", "4.9.2", "pending"}));
  EXPECT_EQ(run.targets[2].versions,
            (std::vector<std::string>{"4.9.0-1.1", "4.9.0-2.2", "4.9.0-3.3", "4.9.0-4.4", "4.9.0-5.5", "pending"}));
  // The misnamed tag is found through its changelog.
  EXPECT_EQ(run.targets[2].tags[4], "Ubuntu-4.9.0-5.5-misnamed");
  EXPECT_EQ(run.targets[3].versions, (std::vector<std::string>{"4.9.0-1001.1", "4.9.0-1002.2", "pending"}));
}

TEST_F(AutotriageTest, DecisionsFollowTheKernelTeamsEngine) {
  kgit::ProvenanceStore store(m_state + "/kct-provenance.db");
  std::vector<util::Diagnostic> diags;
  Overlay overlay = Overlay::load(m_overlay_path, diags);
  ScanRunResult run = scan(store, &overlay, diags);
  const std::map<std::string, Expect> expected = {
      {"CVE-2099-1001",
       {{"upstream_linux", "released 4.10~rc1"},
        {"upstream_linux-4.9", "not-affected 4.9.1"},
        {"bionic_linux", "released pending"},
        {"bionic_linux-aws", "not-affected 4.9.0-1001.1"}}},
      {"CVE-2099-1002",
       {{"upstream_linux", "released 4.10"},
        {"upstream_linux-4.9", "not-affected 4.9.1"},
        {"bionic_linux", "released 4.9.0-3.3"},
        {"bionic_linux-aws", "released 4.9.0-1002.2"}}},
      // A revert of a revert still records a removal: F3 stays absent upstream.
      {"CVE-2099-1003",
       {{"upstream_linux", "needed -"},
        {"upstream_linux-4.9", "needed -"},
        {"bionic_linux", "released 4.9.0-3.3"},
        {"bionic_linux-aws", "needed -"}}},
      // The stable tree's own revert removes F4 there; the imported one in bionic is lost.
      {"CVE-2099-1004",
       {{"upstream_linux", "released 4.10~rc1"},
        {"upstream_linux-4.9", "needed -"},
        {"bionic_linux", "released 4.9.0-3.3"},
        {"bionic_linux-aws", "needed -"}}},
      // The prose line counts (as in the engine).
      {"CVE-2099-1005",
       {{"upstream_linux", "released 4.10~rc1"},
        {"upstream_linux-4.9", "needed -"},
        {"bionic_linux", "released 4.9.0-3.3"},
        {"bionic_linux-aws", "needed -"}}},
      // The SAUCE fix through the overlay's :title line.
      {"CVE-2099-1006",
       {{"upstream_linux", "needed -"},
        {"upstream_linux-4.9", "needed -"},
        {"bionic_linux", "released 4.9.0-3.3"},
        {"bionic_linux-aws", "needed -"}}},
      // The break is never present: not affected since the oldest version.
      {"CVE-2099-1007",
       {{"upstream_linux", "not-affected 4.9~rc1"},
        {"upstream_linux-4.9", "not-affected 4.9.1"},
        {"bionic_linux", "not-affected 4.9.0-1.1"},
        {"bionic_linux-aws", "not-affected 4.9.0-1001.1"}}},
  };
  for (const Cve& c : m_cves) {
    EXPECT_EQ(results_for(c, run, store), expected.at(c.id)) << c.id;
  }
}

TEST_F(AutotriageTest, ARerunScansNothingAndGivesTheSameResults) {
  kgit::ProvenanceStore store(m_state + "/kct-provenance.db");
  std::vector<util::Diagnostic> diags;
  ScanRunResult first = scan(store, nullptr, diags);
  EXPECT_EQ(first.stats.scanned, 17);
  EXPECT_GT(first.stats.commits, 0);
  ScanRunResult second = scan(store, nullptr, diags);
  EXPECT_EQ(second.stats.scanned, 0);
  EXPECT_EQ(second.stats.kept, 17);
  EXPECT_EQ(second.stats.commits, 0);
  EXPECT_FALSE(second.overlay_applied);
  for (const Cve& c : m_cves) {
    EXPECT_EQ(results_for(c, first, store), results_for(c, second, store)) << c.id;
  }
}

// Scans into a store that already has rows leave theirs recent (out of the id and title
// indexes, kgit::ProvenanceStore::recent_mark); the results must not depend on it.
TEST_F(AutotriageTest, RecentRowsGiveTheSameResultsAsFoldedOnes) {
  std::vector<util::Diagnostic> diags;
  Overlay overlay = Overlay::load(m_overlay_path, diags);
  kgit::ProvenanceStore bulk_store(m_state + "/bulk.db");
  ScanRunResult bulk = scan(bulk_store, &overlay, diags);
  EXPECT_EQ(bulk_store.recent_rows(), bulk.overlay_rows) << "only the overlay's, applied after the bulk load";

  kgit::ProvenanceStore store(m_state + "/stepwise.db");
  // One row of no version makes the store non-empty, so no scan is a bulk load.
  store.db().exec("INSERT INTO id_detail(id, tid, iorder) VALUES('not-a-commit', 0, 0)");
  ScanRunResult stepwise = scan(store, &overlay, diags);
  EXPECT_EQ(stepwise.stats.scanned, bulk.stats.scanned);
  EXPECT_GT(store.recent_rows(), stepwise.stats.commits) << "every commit, and the references and overlay rows";
  EXPECT_GT(stepwise.overlay_rows, 0);
  EXPECT_EQ(stepwise.overlay_rows, bulk.overlay_rows);
  std::vector<Cve> cves = m_cves;
  cves.push_back({"CVE-2099-1008", "-", "local-other-fix"});
  for (const Cve& c : cves) {
    EXPECT_EQ(results_for(c, stepwise, store), results_for(c, bulk, bulk_store)) << c.id << ", recent";
  }
  store.fold_recent();
  EXPECT_EQ(store.recent_rows(), 0);
  for (const Cve& c : cves) {
    EXPECT_EQ(results_for(c, stepwise, store), results_for(c, bulk, bulk_store)) << c.id << ", folded";
  }
}

TEST_F(AutotriageTest, AMovedTagRescansExactlyItAndWhatBuildsOnIt) {
  // Work on a private copy of the Ubuntu tree: move the last tag to the branch tip, where F1
  // is back.
  std::string repos = m_root + "/repos";
  fs::create_directories(repos);
  for (const testing::ScenarioTarget* t : s_scenario->targets()) {
    fs::copy(t->repo_path, repos + "/" + t->repo_dir, fs::copy_options::recursive);
  }
  kgit::ProvenanceStore store(m_state + "/kct-provenance.db");
  std::vector<util::Diagnostic> diags;
  m_config = ScanConfig::load(m_config_path, diags);
  ScanRunOptions options;
  options.repos_dir = repos;
  options.state_dir = m_state;
  options.jobs = 1;
  ScanRunResult first = run_scans(store, m_config, options, diags);
  EXPECT_EQ(results_for(m_cves[0], first, store).at("bionic_linux"), "released pending");

  testing::CommandResult moved =
      testing::run_command({"git", "-c", "safe.directory=*", "-C", repos + "/bionic-linux.git", "tag", "-f", "-a", "-m",
                            "moved", "Ubuntu-4.9.0-5.5-misnamed", s_scenario->bionic.f1_readd});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  ScanRunResult second = run_scans(store, m_config, options, diags);
  // 4.9.0-5.5, and pending, whose range was read against the old 4.9.0-5.5 commit.
  EXPECT_EQ(second.stats.scanned, 2);
  EXPECT_EQ(second.stats.kept, 15);
  EXPECT_EQ(results_for(m_cves[0], second, store).at("bionic_linux"), "released 4.9.0-5.5");
  // The invalid rows are gone once nothing links to them.
  db::Statement q = store.db().prepare("SELECT count(*) FROM tag_detail WHERE valid = 0");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.int_at(0), 0);
}

TEST_F(AutotriageTest, AnOverlayChangeIsReappliedWithoutRescanning) {
  kgit::ProvenanceStore store(m_state + "/kct-provenance.db");
  std::vector<util::Diagnostic> diags;
  Overlay overlay = Overlay::load(m_overlay_path, diags);
  ScanRunResult with = scan(store, &overlay, diags);
  EXPECT_EQ(results_for(m_cves[5], with, store).at("bionic_linux"), "released 4.9.0-3.3");
  Overlay changed = Overlay::parse("overlay", s_scenario->bionic.sauce + " local-other-fix\n", diags);
  ScanRunResult after = scan(store, &changed, diags);
  EXPECT_EQ(after.stats.scanned, 0);
  EXPECT_TRUE(after.overlay_applied);
  EXPECT_EQ(results_for(m_cves[5], after, store).at("bionic_linux"), "needed -");
  // A plain mapping line: the commit id maps to the token.
  Cve other{"CVE-2099-1008", "-", "local-other-fix"};
  EXPECT_EQ(results_for(other, after, store).at("bionic_linux"), "released 4.9.0-3.3");
}

TEST_F(AutotriageTest, AMissingTreeIsAnErrorAndTheOtherTargetsStillScan) {
  std::ofstream(m_config_path, std::ios::app) << "focal linux focal-linux.git master-next scan,tags-lp - -\n";
  kgit::ProvenanceStore store(m_state + "/kct-provenance.db");
  std::vector<util::Diagnostic> diags;
  ScanRunResult run = scan(store, nullptr, diags);
  ASSERT_EQ(run.targets.size(), 5u);
  EXPECT_FALSE(run.targets[4].ok);
  EXPECT_TRUE(run.targets[2].ok);
  bool named = false;
  for (const util::Diagnostic& d : diags) {
    named = named || (d.severity == util::Severity::error && d.path.find("focal-linux.git") != std::string::npos &&
                      d.message.find("focal_linux not scanned") != std::string::npos);
  }
  EXPECT_TRUE(named);
}

// --- the commands, through the real binary ---------------------------------------------

class AutotriageCommandTest : public AutotriageTest {
protected:
  testing::CommandResult kct(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::kct_binary(), "--tracker", m_root + "/tracker", "--catalog",
                                     testing::source_dir() + "/data/catalog.yaml"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_command(argv);
  }
  std::vector<std::string> inputs() {
    return {"--config", m_config_path, "--repos", s_scenario->repos_dir, "--state", m_state};
  }
  std::string read(const std::string& cve) {
    std::ifstream in(m_root + "/tracker/active/" + cve);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(AutotriageCommandTest, DryRunLogsChangesAndWritesNothing) {
  std::string before = read("CVE-2099-1002");
  std::vector<std::string> args = {"autotriage", "--dry-run"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  testing::CommandResult r = kct(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t file = r.out.find("active/CVE-2099-1002\n");
  ASSERT_NE(file, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- bionic_linux: needs-triage\n+ bionic_linux: pending (4.9.0-3.3)\n", file), std::string::npos)
      << r.out;
  EXPECT_EQ(read("CVE-2099-1002"), before);
}

TEST_F(AutotriageCommandTest, WritesOnlyTheLinesItChangesAndASecondRunChangesNothing) {
  std::vector<std::string> args = {"autotriage"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  testing::CommandResult r = kct(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string after = read("CVE-2099-1002");
  EXPECT_NE(after.find("\nbionic_linux: pending (4.9.0-3.3)\n"), std::string::npos) << after;
  EXPECT_NE(after.find("\nbionic_linux-aws: pending (4.9.0-1002.2)\n"), std::string::npos) << after;
  EXPECT_NE(after.find("\nfocal_linux: needs-triage\n"), std::string::npos) << after; // not a target
  std::string one = read("CVE-2099-1001");
  EXPECT_NE(one.find("\nbionic_linux: pending\n"), std::string::npos) << one; // fix only on the tip
  testing::CommandResult again = kct(args);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(read("CVE-2099-1002"), after);
}

TEST_F(AutotriageCommandTest, ResultsPrintTheEngineLines) {
  std::vector<std::string> args = {"autotriage", "--results"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  args.push_back("CVE-2099-1002");
  testing::CommandResult r = kct(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string f2 = s_scenario->upstream.f2;
  EXPECT_EQ(r.out, "active/CVE-2099-1002 upstream linux " + f2 +
                       " released 4.10\n"
                       "active/CVE-2099-1002 upstream linux-4.9 " +
                       f2 +
                       " not-affected 4.9.1\n"
                       "active/CVE-2099-1002 bionic linux " +
                       f2 +
                       " released 4.9.0-3.3\n"
                       "active/CVE-2099-1002 bionic linux-aws " +
                       f2 + " released 4.9.0-1002.2\n");
}

TEST_F(AutotriageCommandTest, WhyShowsTheEvidenceAndTheLostStableRevert) {
  std::vector<std::string> args = {"why", "CVE-2099-1004", "bionic_linux"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  testing::CommandResult r = kct(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("bionic_linux: released 4.9.0-3.3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stable backport header"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("looks reverted by " + s_scenario->bionic.stable_f4_revert.substr(0, 12)), std::string::npos)
      << r.out;
  args[1] = "CVE-2099-1001";
  r = kct(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reverted by commit " + s_scenario->bionic.f1_revert.substr(0, 12)), std::string::npos) << r.out;
  args[1] = "CVE-2099-1005";
  r = kct(args);
  EXPECT_NE(r.out.find("make sure it is not prose"), std::string::npos) << r.out;
}

TEST_F(AutotriageCommandTest, SuggestFindsABackportThatLostItsProvenance) {
  // Upstream, F3 was reverted and then re-added by a revert of the revert, which the engine
  // records as a removal: F3 stays needed, yet the re-add carries F3's exact patch.
  std::string before = read("CVE-2099-1003");
  std::vector<std::string> args = {"autotriage", "--suggest"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  args.push_back("CVE-2099-1003");
  testing::CommandResult r = kct(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("active/CVE-2099-1003 upstream_linux: fix " + s_scenario->upstream.f3.substr(0, 12)),
            std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("may be in " + s_scenario->upstream.f3_reapply.substr(0, 12) + " (linux pending, same patch-id)"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(read("CVE-2099-1003"), before);
}

TEST_F(AutotriageCommandTest, RejuvenatesFromTheBoilerplateFirst) {
  m_tmp.write("tracker/active/00boilerplate.linux",
              "Patches_linux:\nupstream_linux: needs-triage\nxenial_linux: needs-triage\nbionic_linux: needs-triage\n"
              "focal_linux: needs-triage\n");
  std::vector<std::string> args = {"autotriage"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  args.push_back("CVE-2099-1002");
  testing::CommandResult r = kct(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string after = read("CVE-2099-1002");
  // The missing xenial line is added in release order, then the engine writes bionic.
  EXPECT_NE(
      after.find("upstream_linux: released (4.10)\nxenial_linux: needs-triage\nbionic_linux: pending (4.9.0-3.3)\n"),
      std::string::npos)
      << after;
  EXPECT_NE(r.out.find("+ xenial_linux: needs-triage\n"), std::string::npos) << r.out;
}

TEST_F(AutotriageCommandTest, AMalformedConfigLineIsAnErrorWithItsLocation) {
  std::ofstream(m_config_path, std::ios::app) << "bionic\n";
  std::vector<std::string> args = {"autotriage", "--dry-run"};
  for (const std::string& a : inputs()) {
    args.push_back(a);
  }
  testing::CommandResult r = kct(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(m_config_path + ":5:"), std::string::npos) << r.err;
  // The good lines were still used.
  EXPECT_NE(r.out.find("+ bionic_linux: pending (4.9.0-3.3)"), std::string::npos) << r.out;
}

} // namespace
} // namespace kct::triage
