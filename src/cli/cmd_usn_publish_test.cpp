// `kct usn publish` through the real binary: the e-mail on stdout, several ids each on their
// own, --json, --dry-run.
#include "cli/cmd_usn_test_support.h"
#include "usn/draft.h"
#include "usn/sqlite_store.h"
#include "util/files.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace kct::cli {
namespace {

namespace fs = std::filesystem;
using kct::testing::CommandResult;
using kct::testing::kct_usn;
using kct::testing::ScopedTempDir;

usn::Notice notice(const std::string& id) {
  usn::Notice n;
  n.id = id;
  n.title = "Linux kernel vulnerability";
  n.summary = "linux vulnerability";
  n.isummary = "A security issue was fixed in the Linux kernel.\n";
  n.description = "It was discovered that the foo driver leaked memory. (CVE-2019-2001)\n";
  n.action = "After a standard system update you need to reboot your computer.\n";
  n.cves = std::vector<std::string>{"CVE-2019-2001"};
  usn::Release xenial;
  xenial.sources =
      std::map<std::string, usn::SourceEntry>{{"linux", {"4.4.0-170.199", "Linux kernel", nlohmann::json::object()}}};
  xenial.binaries = std::map<std::string, usn::BinaryEntry>{
      {"linux-image-4.4.0-170-generic", {"4.4.0-170.199", {}, {}, nlohmann::json::object()}}};
  n.releases["xenial"] = xenial;
  return n;
}

class UsnPublishCli : public ::testing::Test {
protected:
  void SetUp() override {
    m_tmp.write("tracker/active/CVE-2019-2001",
                "Candidate: CVE-2019-2001\nPublicDate: 2019-11-04\nReferences:\n https://example.com/2001\n"
                "Description:\n A flaw.\nUbuntu-Description:\nNotes:\nMitigation:\nBugs:\nPriority: medium\n"
                "Discovered-by:\nAssigned-to:\nCVSS:\n\nPatches_linux:\nxenial_linux: pending (4.4.0-170.199)\n");
    for (const char* id : {"4400-1", "4401-1"}) {
      m_tmp.write("drafts/USN-" + std::string(id) + ".yaml", usn::render_draft(notice(id)));
    }
  }
  CommandResult publish(std::vector<std::string> args) {
    std::vector<std::string> all = {
        "publish",   "--tracker",          m_tmp.path() + "/tracker", "--draft-dir", m_tmp.path() + "/drafts",
        "--website", m_tmp.path() + "/web"};
    all.insert(all.end(), args.begin(), args.end());
    return kct_usn(db(), all);
  }
  std::string db() const { return m_tmp.path() + "/usn.db"; }
  std::string cve_file() const {
    std::string text;
    util::read_file(m_tmp.path() + "/tracker/active/CVE-2019-2001", text);
    return text;
  }
  ScopedTempDir m_tmp;
};

TEST_F(UsnPublishCli, PrintsTheEmailAndGoesOnPastAFailingId) {
  CommandResult r = publish({"4400-1", "4402-1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.out.starts_with("==========================================================================\n"
                                "Ubuntu Security Notice USN-4400-1\n"))
      << r.out;
  EXPECT_EQ(r.out.find("USN-4402-1"), std::string::npos);
  EXPECT_NE(r.err.find("kct usn publish: error: USN 4402-1: cannot read the draft " + m_tmp.path() +
                       "/drafts/USN-4402-1.yaml: No such file or directory\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("kct usn publish: USN 4400-1: store it (revision 1); mark 1 tracker file(s)\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(cve_file().find("xenial_linux: released (4.4.0-170.199)\n"), std::string::npos);
  EXPECT_TRUE(fs::exists(m_tmp.path() + "/web/content/4400-1.md"));
  usn::SqliteStore store(db());
  EXPECT_EQ(store.list(), (std::vector<std::string>{"4400-1"}));
  EXPECT_EQ(store.history("4400-1").at(0).author, "tester");

  // Again, as JSON: nothing left to do for 4400-1.
  r = publish({"--json", "USN-4400-1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json out = kct::testing::parse_out(r);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["id"], "4400-1");
  EXPECT_EQ(out[0]["status"], "unchanged");
  EXPECT_EQ(out[0]["created"], false);
  EXPECT_EQ(out[0]["tracker_files"], nlohmann::json::array());
  EXPECT_EQ(out[0]["outputs"][0]["action"], "unchanged");
  EXPECT_TRUE(out[0]["email"].get<std::string>().find("Ubuntu Security Notice USN-4400-1") != std::string::npos);
}

TEST_F(UsnPublishCli, DryRunWritesNothing) {
  std::string before = cve_file();
  CommandResult r = publish({"--dry-run", "4401-1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("kct usn publish: USN 4401-1: would store it; would mark 1 tracker file(s)\n  " + m_tmp.path() +
                       "/tracker/active/CVE-2019-2001\n  website " + m_tmp.path() +
                       "/web/content/4401-1.md: would write\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("Ubuntu Security Notice USN-4401-1"), std::string::npos);
  EXPECT_EQ(cve_file(), before);
  EXPECT_FALSE(fs::exists(m_tmp.path() + "/web"));
  EXPECT_TRUE(usn::SqliteStore(db()).list().empty());
}

TEST_F(UsnPublishCli, ATrackerThatIsNotOneIsNamed) {
  CommandResult r = kct_usn(db(), {"publish", "--tracker", m_tmp.path() + "/nowhere", "4400-1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kct usn publish: error: " + m_tmp.path() +
                       "/nowhere does not look like a tracker (no active/ directory); use --tracker DIR or set UCT\n");
}

} // namespace
} // namespace kct::cli
