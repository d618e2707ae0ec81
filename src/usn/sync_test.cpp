// sync-from-usns over a small tracker written here and notices built in the test: each
// message of §10.9 and each update.
#include "usn/sync.h"

#include "support/test_env.h"
#include "usn/description.h"
#include "usn/json_io.h"
#include "util/files.h"

#include <filesystem>
#include <iostream>

#include <fstream>
#include <gtest/gtest.h>

namespace kct::usn {
namespace {

std::string cve_text(const std::string& id, const std::string& extra_fields, const std::string& statuses,
                     const std::string& public_date = "2019-11-04") {
  return "Candidate: " + id + "\n" + extra_fields + "PublicDate: " + public_date +
         "\nReferences:\n https://cve.mitre.org/cgi-bin/cvename.cgi?name=" + id +
         "\nDescription:\n A flaw.\nUbuntu-Description:\nNotes:\nMitigation:\nBugs:\nPriority: medium\n"
         "Discovered-by:\nAssigned-to:\nCVSS:\n\nPatches_linux:\n" +
         statuses;
}

Notice kernel_notice(const std::string& id, std::vector<std::string> cves, const std::string& description) {
  Notice n;
  n.id = id;
  n.title = "Linux kernel vulnerabilities";
  n.description = description;
  n.cves = std::move(cves);
  Release bionic;
  bionic.sources = std::map<std::string, SourceEntry>{{"linux", SourceEntry{"4.15.0-74.84", "Linux kernel", {}}},
                                                      {"linux-aws", SourceEntry{"4.15.0-1056.58", "", {}}}};
  Release trusty;
  trusty.sources = std::map<std::string, SourceEntry>{{"linux", SourceEntry{"3.13.0-175.226", "Linux kernel", {}}}};
  n.releases["bionic"] = bionic;
  n.releases["trusty"] = trusty;
  return n;
}

class SyncTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_tmp.write(
        "tracker/active/CVE-2019-0001",
        cve_text("CVE-2019-0001", "",
                 "upstream_linux: released (5.4)\ntrusty/esm_linux: needed\nbionic_linux: pending (4.15.0-74.84)\n"
                 "\nPatches_linux-aws:\nbionic_linux-aws: needed (4.15.0-1050.1)\n"));
    m_tmp.write(
        "tracker/active/CVE-2019-0002",
        cve_text(
            "CVE-2019-0002", "PublicDateAtUSN: 2019-11-05\n",
            "upstream_linux: released (5.4)\ntrusty/esm_linux: not-affected\nbionic_linux: pending (4.15.0-80.90)\n"
            "\nPatches_linux-aws:\nbionic_linux-aws: DNE\n"));
    m_tmp.write("tracker/retired/CVE-2019-0003", cve_text("CVE-2019-0003", "", "bionic_linux: needed\n"));
    m_tmp.write("tracker/ignored/not-for-us.txt", "");
    m_notices.push_back(kernel_notice(
        "4200-1", {"CVE-2019-0001", "CVE-2019-0002", "CVE-2019-0003", "CVE-2019-0009"},
        "It was discovered that the foo driver in the Linux kernel did not check\nlengths. A local attacker could "
        "use this to cause a denial of service\n(system crash). (CVE-2019-0001)\n\nIt was discovered that the bar "
        "subsystem leaked memory. Ubuntu 14.04 ESM was not affected. (CVE-2019-0002)\n\nA flaw in baz. "
        "(CVE-2019-0003)\n"));
  }
  SyncReport run(const SyncOptions& options) {
    m_tracker = tracker::Tracker::load(m_tmp.path() + "/tracker", testing::source_catalog());
    SyncInputs inputs;
    inputs.notices = &m_notices;
    return sync_from_usns(*m_tracker, testing::source_catalog(), inputs, options);
  }
  std::string read(const std::string& rel) {
    std::ifstream in(m_tmp.path() + "/tracker/" + rel);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool has(const SyncReport& r, const std::string& text) {
    for (const std::string& m : r.messages) {
      if (m.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
  testing::ScopedTempDir m_tmp;
  std::vector<Notice> m_notices;
  std::unique_ptr<tracker::Tracker> m_tracker;
};

TEST_F(SyncTest, ReportModeSaysEverythingAndWritesNothing) {
  std::string before = read("active/CVE-2019-0001");
  SyncReport r = run({});
  EXPECT_TRUE(has(r, "USN-4200-1 has updated Ubuntu-Description for CVE-2019-0001"));
  EXPECT_TRUE(has(r, "CVE-2019-0001: references do not include https://usn.ubuntu.com/usn/usn-4200-1"));
  EXPECT_TRUE(has(r, "CVE-2019-0001: missing PublicDateAtUSN (would be 2019-11-04)"));
  EXPECT_FALSE(has(r, "CVE-2019-0002: missing PublicDateAtUSN"));
  EXPECT_TRUE(has(r, "USN-4200-1 fixed CVE-2019-0009 but it is neither active nor retired"));
  EXPECT_TRUE(has(r, "CVE-2019-0001: trusty/esm_linux: needed -> released (3.13.0-175.226)"));
  EXPECT_TRUE(has(r, "CVE-2019-0001: bionic_linux-aws: needed (4.15.0-1050.1) -> released (4.15.0-1050.1) (USN: "
                     "4.15.0-1056.58)"));
  EXPECT_TRUE(has(r, "USN-4200-1 touches linux-aws in bionic with CVE-2019-0002 (but is marked DNE)!?"));
  EXPECT_TRUE(has(r, "ERROR: USN-4200-1: CVE-2019-0002 bionic_linux: version 4.15.0-80.90 is newer than the USN's "
                     "4.15.0-74.84; skipped"));
  EXPECT_FALSE(has(r, "CVE-2019-0003")); // retired without --retired
  EXPECT_EQ(r.errors, 1);
  EXPECT_EQ(read("active/CVE-2019-0001"), before);
}

TEST_F(SyncTest, UpdateWritesMinimalEdits) {
  SyncOptions o;
  o.update = true;
  SyncReport r = run(o);
  std::string after = read("active/CVE-2019-0001");
  EXPECT_NE(after.find("PublicDateAtUSN: 2019-11-04\nCandidate: CVE-2019-0001\n"), std::string::npos) << after;
  EXPECT_NE(after.find("name=CVE-2019-0001\n https://usn.ubuntu.com/usn/usn-4200-1\nDescription:"), std::string::npos)
      << after;
  EXPECT_NE(after.find("Ubuntu-Description:\n It was discovered that the foo driver in the Linux kernel did not check\n"
                       " lengths. A local attacker could use this to cause a denial of service\n (system crash).\n"),
            std::string::npos)
      << after;
  EXPECT_NE(after.find("trusty/esm_linux: released (3.13.0-175.226)\n"), std::string::npos) << after;
  EXPECT_NE(after.find("bionic_linux: released (4.15.0-74.84)\n"), std::string::npos) << after;
  EXPECT_NE(after.find("bionic_linux-aws: released (4.15.0-1050.1)\n"), std::string::npos) << after;
  // The release sentence is not part of the per-CVE text; the newer version stays.
  std::string two = read("active/CVE-2019-0002");
  EXPECT_NE(two.find("Ubuntu-Description:\n It was discovered that the bar subsystem leaked memory.\n"),
            std::string::npos)
      << two;
  EXPECT_NE(two.find("bionic_linux: pending (4.15.0-80.90)\n"), std::string::npos) << two;
  EXPECT_EQ(r.updated_usns, (std::vector<std::string>{"4200-1"}));
  // A second run finds nothing left to do.
  SyncReport again = run(o);
  EXPECT_FALSE(has(again, "has updated Ubuntu-Description"));
  EXPECT_FALSE(has(again, "references do not include"));
  EXPECT_FALSE(has(again, "-> released"));
}

TEST_F(SyncTest, UseUsnVersionAndRetired) {
  SyncOptions o;
  o.update = true;
  o.use_usn_version = true;
  o.retired = true;
  SyncReport r = run(o);
  EXPECT_TRUE(has(r, "USN-4200-1 touches linux in trusty/esm with CVE-2019-0003 (but is not listed in file)"));
  EXPECT_TRUE(has(r, "USN-4200-1 touches linux-aws in bionic with CVE-2019-0003 (but is not listed in file)"));
  EXPECT_NE(read("active/CVE-2019-0001").find("bionic_linux-aws: released (4.15.0-1056.58)\n"), std::string::npos);
  // A newer tracker version is still an error, -U or not.
  EXPECT_NE(read("active/CVE-2019-0002").find("bionic_linux: pending (4.15.0-80.90)\n"), std::string::npos);
  EXPECT_NE(read("retired/CVE-2019-0003").find("bionic_linux: released (4.15.0-74.84)\n"), std::string::npos);
}

TEST_F(SyncTest, AParagraphWithoutAClosedCveListIsAnError) {
  m_notices[0].description = "First flaw. (CVE-2019-0001)\n\nSecond flaw (CVE-2019-0002";
  SyncReport r = run({});
  EXPECT_TRUE(has(r, "ERROR: USN-4200-1: cannot find the CVE list at the end of the paragraph \"Second flaw "
                     "(CVE-2019-0002\""));
}

TEST_F(SyncTest, AnEmptyPublicDateIsFatal) {
  m_tmp.write("tracker/active/CVE-2019-0001", cve_text("CVE-2019-0001", "", "bionic_linux: needed\n", ""));
  SyncReport r = run({});
  EXPECT_TRUE(r.fatal);
  EXPECT_TRUE(has(r, "empty PublicDate"));
}

TEST(UsnDescription, SplitsParagraphsByCveListAndWraps) {
  DescriptionSplit s = split_description("First flaw text. (CVE-1, CVE-2)\n\nSecond flaw. This issue only affected "
                                         "Ubuntu 19.10. (CVE-3).\n\nBroken paragraph (CVE-4");
  EXPECT_EQ(s.by_cve.at("CVE-1"), "First flaw text.");
  EXPECT_EQ(s.by_cve.at("CVE-2"), "First flaw text.");
  EXPECT_EQ(s.by_cve.at("CVE-3"), "Second flaw.");
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(split_description("One paragraph only.").shared, "One paragraph only.");
  std::vector<std::string> w = wrap_text(std::string(70, 'a') + " bb cc");
  EXPECT_EQ(w, (std::vector<std::string>{std::string(70, 'a') + " bb", "cc"}));
}

} // namespace
} // namespace kct::usn

namespace kct::usn {
namespace {

// The shared snapshot with the shared notices, report mode: it runs through, writes nothing,
// and what it says about a notice is borne out by the CVE file.
TEST(SyncSnapshot, ReportsOverTheSharedTrackerAndNotices) {
  std::string root = testing::snapshot_dir();
  if (root.empty()) {
    GTEST_SKIP() << "no shared data";
  }
  std::vector<Notice> notices;
  for (const auto& e : std::filesystem::directory_iterator(testing::shared_data_dir() + "/usn")) {
    if (e.path().extension() == ".json") {
      notices.push_back(read_notice_file(e.path().string()));
    }
  }
  ASSERT_GT(notices.size(), 60u);
  std::unique_ptr<tracker::Tracker> t = tracker::Tracker::load(root, testing::source_catalog());
  SyncInputs inputs;
  inputs.notices = &notices;
  std::string reverted_text;
  util::read_file(root + "/meta_lists/reverted-CVEs.txt", reverted_text);
  inputs.reverted = parse_reverted(reverted_text, "reverted-CVEs.txt");
  SyncReport r = sync_from_usns(*t, testing::source_catalog(), inputs, {});
  EXPECT_GT(r.messages.size(), 0u);
  // Every notice after the snapshot date names CVEs; those the snapshot lacks are reported.
  size_t neither = 0;
  for (const std::string& m : r.messages) {
    neither += m.find("but it is neither active nor retired") != std::string::npos ? 1 : 0;
  }
  EXPECT_GT(r.messages.size(), neither);
  // The kernel notices' paragraphs, wrapped, are what the snapshot already holds as each CVE's
  // Ubuntu-Description (it was synced from them), so nothing is reported for them.
  size_t compared = 0;
  for (const Notice& n : notices) {
    if (n.id != "4184-1" && n.id != "4186-1" && n.id != "4210-1") {
      continue;
    }
    DescriptionSplit split = split_description(*n.description);
    for (const auto& [cve, text] : split.by_cve) {
      std::vector<const tracker::TrackedFile*> files = t->find(cve);
      ASSERT_FALSE(files.empty()) << cve;
      const tracker::Field* f = files[0]->file.field("Ubuntu-Description");
      ASSERT_NE(f, nullptr);
      std::string wanted;
      for (const std::string& l : wrap_text(text)) {
        wanted += "\n" + l;
      }
      EXPECT_EQ(files[0]->file.field_text(*f), wanted) << n.id << " " << cve;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20u);
  std::cerr << "sync over the snapshot: " << r.messages.size() << " messages, " << neither
            << " CVEs not in the tracker, " << r.errors << " errors, " << r.changed_files.size()
            << " files would change\n";
}

} // namespace
} // namespace kct::usn
