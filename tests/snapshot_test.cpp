// The shared real tracker snapshot (32,465 files): every file parses, writes back byte-exact,
// and check reports only the known problems of that data.
#include "tracker/check.h"
#include "tracker/tracker.h"
#include "triage/needs.h"
#include "triage/overlay.h"

#include "support/test_env.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>

namespace kct::tracker {
namespace {

class SnapshotTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    std::string root = testing::snapshot_dir();
    if (!root.empty() && std::filesystem::is_directory(root + "/active")) {
      s_tracker = Tracker::load(root, testing::source_catalog()).release();
    }
  }
  static void TearDownTestSuite() {
    delete s_tracker;
    s_tracker = nullptr;
  }
  void SetUp() override {
    if (s_tracker == nullptr) {
      // The shared data is there, so its extraction must be too: fail rather than skip.
      ASSERT_FALSE(testing::shared_data_present())
          << "the shared snapshot was not extracted to " << testing::snapshot_dir();
      GTEST_SKIP() << "no shared data beside the source tree";
    }
  }
  static Tracker* s_tracker;
};
Tracker* SnapshotTest::s_tracker = nullptr;

TEST_F(SnapshotTest, LoadsEveryFile) {
  EXPECT_EQ(s_tracker->files().size(), 32465u);
  EXPECT_TRUE(s_tracker->diagnostics().empty());
  size_t cves = 0;
  for (const TrackedFile& tf : s_tracker->files()) {
    cves += tf.file.kind() == FileKind::cve ? 1 : 0;
  }
  EXPECT_EQ(cves, 32363u);
}

TEST_F(SnapshotTest, EveryFileRoundTripsByteExact) {
  size_t checked = 0;
  for (const TrackedFile& tf : s_tracker->files()) {
    ASSERT_EQ(tf.file.write(), tf.file.text()) << tf.file.path();
    ++checked;
  }
  EXPECT_EQ(checked, 32465u);
}

// Independent of the parser: count break-fix lines and kernel status states with a plain scan.
TEST_F(SnapshotTest, ParsedCountsAgreeWithAPlainLineScan) {
  size_t scanned_break_fix = 0;
  size_t parsed_break_fix = 0;
  std::map<std::string, size_t> scanned_states;
  std::map<std::string, size_t> parsed_states;
  for (const TrackedFile& tf : s_tracker->files()) {
    if (tf.file.kind() != FileKind::cve) {
      continue;
    }
    const CveFile& f = tf.file;
    for (size_t i = 0; i < f.line_count(); ++i) {
      std::string_view l = f.line(i);
      if (l.rfind(" break-fix:", 0) == 0) {
        ++scanned_break_fix;
      }
      if (l.rfind("xenial_linux: ", 0) == 0) {
        std::string_view v = l.substr(14);
        scanned_states[std::string(v.substr(0, v.find(' ')))]++;
      }
    }
    parsed_break_fix += f.break_fixes().size();
    for (const StatusEntry& e : f.statuses()) {
      if (f.view(e.release_text) == "xenial" && f.view(e.package) == "linux") {
        parsed_states[std::string(state_name(e.state))]++;
      }
    }
  }
  EXPECT_GT(scanned_break_fix, 1500u);
  EXPECT_EQ(parsed_break_fix + 1, scanned_break_fix); // the one with a short sha is refused
  EXPECT_EQ(parsed_states, scanned_states);
}

TEST_F(SnapshotTest, CheckReportsOnlyTheKnownProblems) {
  CheckOptions options;
  options.roundtrip = true;
  CheckResult r = check_tracker(*s_tracker, options);
  EXPECT_EQ(r.files_checked, 32363u);
  std::vector<std::string> errors;
  size_t indent_warnings = 0;
  for (const util::Diagnostic& d : r.diagnostics) {
    std::string rel = d.path.substr(testing::snapshot_dir().size() + 1);
    if (d.severity == util::Severity::error) {
      errors.push_back(rel + ":" + std::to_string(d.line) + ": " + d.message.substr(0, 40));
    } else if (d.message == "Note continuations should be indented by 2 spaces") {
      ++indent_warnings;
    } else {
      ADD_FAILURE() << "unexpected diagnostic " << util::format(d);
    }
  }
  // Real problems in the 2019-12-29 data, found by kct and kept as its regression baseline.
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "retired/CVE-2005-1080:13: Note entry with no author: ' test script",
                        "retired/CVE-2014-9778:197: short sha 'af85054aa6a1bcd38be2354921f2f",
                        "retired/CVE-2017-2636:26: Note entry with no author: 'mako and man",
                        "retired/CVE-2017-2636:27: Note entry with no author: ' not support",
                    }));
  EXPECT_EQ(indent_warnings, 570u);
}

} // namespace
} // namespace kct::tracker

namespace kct::tracker {
namespace {

// The autotriage reading of the real data (cves-commits semantics): every ` break-fix:` line of
// a kernel Patches section, counted independently with a plain line scan, becomes one entry
// (both-`-` lines excepted); the real overlay parses without errors.
TEST_F(SnapshotTest, AutotriageReadsEveryKernelBreakFixLine) {
  size_t entries = 0;
  size_t malformed = 0;
  size_t scanned = 0;
  for (const TrackedFile& tf : s_tracker->files()) {
    if (tf.file.kind() != FileKind::cve) {
      continue;
    }
    std::vector<triage::BreakFixEntry> e = triage::break_fix_entries(tf.file);
    entries += e.size();
    size_t scanned_before = scanned;
    for (const triage::Need& n : triage::needs_for(e, "linux")) {
      malformed += n.malformed ? 1 : 0;
    }
    bool kernel_section = false;
    for (size_t i = 0; i < tf.file.line_count(); ++i) {
      std::string_view line = tf.file.line(i);
      if (line.rfind("Patches_", 0) == 0) {
        std::string_view pkg = line.substr(8, line.find(':') - 8);
        kernel_section = (pkg == "linux" || pkg.rfind("linux-", 0) == 0) && pkg != "linux-firmware" &&
                         pkg != "linux-atm" && pkg != "linux-base";
      } else if (kernel_section && line.find_first_not_of(' ') != std::string_view::npos && line[0] == ' ') {
        // Patch lines may be indented by more than one space (old retired files use two).
        std::string_view body = line.substr(line.find_first_not_of(' '));
        if ((body.rfind("break-fix: ", 0) == 0 && body != "break-fix: - -") || body.rfind("upstream: ", 0) == 0) {
          ++scanned;
        }
      }
    }
    EXPECT_EQ(e.size(), scanned - scanned_before) << tf.file.path();
  }
  EXPECT_GT(entries, 2000u);
  EXPECT_EQ(entries, scanned);
  // Malformed entries (short shas, `|` in the break) are rare in the real data.
  EXPECT_LT(malformed * 100, entries);
  std::vector<util::Diagnostic> diags;
  triage::Overlay overlay = triage::Overlay::load(testing::snapshot_dir() + "/active/10autotriage.linux", diags);
  EXPECT_EQ(util::count(diags).errors, 0);
  EXPECT_GT(overlay.mappings.size() + overlay.titles.size(), 0u);
}

} // namespace
} // namespace kct::tracker
