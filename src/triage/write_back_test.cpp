#include "triage/write_back.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

// The test catalog knows releases up to focal (devel); the verified runs' jammy, noble and
// plucky are played by disco, eoan and focal.
const std::string k_header = "Candidate: CVE-2023-1234\n"
                             "PublicDate: 2023-05-01\n"
                             "References:\n"
                             "Description:\n"
                             " A test.\n"
                             "Priority: medium\n"
                             "Assigned-to: kernel-team\n" // so an `active` line is valid
                             "\n"
                             "Patches_linux:\n"
                             " break-fix: - 0123456789abcdef0123456789abcdef01234567\n";

tracker::CveFile parse(const std::string& body) {
  tracker::CveFile file("active/CVE-2023-1234", k_header + body, tracker::FileKind::cve, testing::source_catalog());
  EXPECT_FALSE(file.has_errors()) << body;
  return file;
}

EngineResult result(std::string key, std::string source, std::string state, std::string version) {
  return EngineResult{"active/CVE-2023-1234", std::move(key),    std::move(source), "-",
                      std::move(state),       std::move(version)};
}

struct Applied {
  std::string body; // the file after the write-back, without k_header
  std::vector<LineChange> changes;
};

Applied write(const std::string& body, const std::vector<EngineResult>& results, WriteBackOptions options = {}) {
  if (options.devel.empty()) {
    options.devel = "focal";
  }
  tracker::CveFile file = parse(body);
  std::vector<LineChange> changes = write_back(file, testing::source_catalog(), results, options);
  EXPECT_EQ(file.text().substr(0, k_header.size()), k_header);
  return {file.text().substr(k_header.size()), std::move(changes)};
}

// The body after one line: `before` with `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(WriteBack, ReproducesTheVerifiedRun) {
  const std::string body = "upstream_linux: needs-triage\n"
                           "xenial_linux: needs-triage\n"
                           "bionic_linux: released (4.15.0-20.21)\n"
                           "disco_linux: needed\n"
                           "eoan_linux: ignored (was needed, whatever)\n"
                           "devel_linux: needs-triage\n";
  Applied a = write(body, {
                              result("upstream", "linux", "not-affected", "6.3"),
                              result("upstream", "linux-6.1", "released", "6.1.30"),
                              result("upstream", "linux-5.15", "released", "pending"),
                              result("bionic", "linux", "released", "4.15.0-99.100"),
                              result("xenial", "linux", "released", "1.0-3.3"),
                              result("disco", "linux", "not-affected", "5.15.0-25.25"),
                              result("eoan", "linux", "needed", "-"),
                              result("focal", "linux", "released", "pending"),
                          });
  EXPECT_EQ(a.body, "upstream_linux: released (6.3, 5.15.y, 6.1.30)\n"
                    "xenial_linux: pending (1.0-3.3)\n"
                    "bionic_linux: pending (4.15.0-99.100)\n"
                    "disco_linux: not-affected (5.15.0-25.25)\n"
                    "eoan_linux: ignored (was needed, whatever)\n"
                    "devel_linux: pending\n");
  uint32_t first = 11; // 1-based number of the first body line
  std::vector<LineChange> expected = {
      {first, "upstream_linux: needs-triage", "upstream_linux: released (6.3, 5.15.y, 6.1.30)"},
      {first + 1, "xenial_linux: needs-triage", "xenial_linux: pending (1.0-3.3)"},
      {first + 2, "bionic_linux: released (4.15.0-20.21)", "bionic_linux: pending (4.15.0-99.100)"},
      {first + 3, "disco_linux: needed", "disco_linux: not-affected (5.15.0-25.25)"},
      {first + 5, "devel_linux: needs-triage", "devel_linux: pending"},
  };
  ASSERT_EQ(a.changes.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(a.changes[i].line, expected[i].line) << i;
    EXPECT_EQ(a.changes[i].old_text, expected[i].old_text) << i;
    EXPECT_EQ(a.changes[i].new_text, expected[i].new_text) << i;
  }
}

TEST(WriteBack, LeavesAFileWithNothingToChangeByteIdentical) {
  // Odd spacing and a missing final newline survive, because no line needs a new value.
  const std::string body = "upstream_linux: released (5.2)\n"
                           "xenial_linux:   needed   \n"
                           "bionic_linux: pending  (4.15.0-99.100)\n"
                           "disco_linux: released (5.0.0-10.11)\n"
                           "eoan_linux: not-affected";
  Applied a = write(body, {
                              result("upstream", "linux", "not-affected", "5.2"),
                              result("xenial", "linux", "needed", "-"),
                              result("bionic", "linux", "released", "4.15.0-99.100"),
                              result("disco", "linux", "released", "5.0.0-10.11"),
                              result("eoan", "linux", "not-affected", "-"),
                          });
  EXPECT_EQ(a.body, body);
  EXPECT_TRUE(a.changes.empty());
}

TEST(WriteBack, OnlyLinesWithAResultChange) {
  const std::string body = "xenial_linux: needs-triage\nbionic_linux: needs-triage\n";
  Applied a = write(body, {result("bionic", "linux", "needed", "-"), result("bionic", "linux-aws", "needed", "-")});
  EXPECT_EQ(a.body, "xenial_linux: needs-triage\nbionic_linux: needed\n");
}

TEST(WriteBack, NeverAddsLines) {
  const std::string body = "xenial_linux: needs-triage\n";
  Applied a = write(body, {result("eoan", "linux", "needed", "-"), result("focal", "linux", "needed", "-"),
                           result("upstream", "linux", "released", "5.4")});
  EXPECT_EQ(a.body, body);
  EXPECT_TRUE(a.changes.empty());
}

TEST(WriteBack, KeepsManualStates) {
  const std::string body = "xenial_linux: deferred\n"
                           "bionic_linux: ignored (end of life)\n"
                           "disco_linux: DNE\n"
                           "eoan_linux: deferred (2019-11-01)\n";
  Applied a = write(body, {result("xenial", "linux", "needed", "-"), result("bionic", "linux", "needed", "-"),
                           result("disco", "linux", "released", "5.0.0-1.2"),
                           result("eoan", "linux", "not-affected", "5.3.0-1.2")});
  EXPECT_EQ(a.body, body);
}

TEST(WriteBack, RewritesEveryEsmAndEndOfLifeMarker) {
  const std::vector<std::string> markers = {"(was needed ESM criteria)",
                                            "(was needs-triage ESM criteria)",
                                            "(ESM criteria, was needed)",
                                            "(ESM criteria, was needs-triage)",
                                            "(end of standard support)",
                                            "(end of standard support, was needed)",
                                            "(end of standard support, was needs-triage)"};
  for (const std::string& marker : markers) {
    Applied a = write("xenial_linux: ignored " + marker + "\n", {result("xenial", "linux", "needed", "-")});
    EXPECT_EQ(a.body, "xenial_linux: needed\n") << marker;
  }
  // Near misses are somebody's words: a custom message, an end-of-life note, brackets inside.
  for (std::string_view note : {"(end of life, was needed)", "(ESM criteria, was needed [foo])", "(ESM criteria)"}) {
    const std::string body = "xenial_linux: ignored " + std::string(note) + "\n";
    EXPECT_EQ(write(body, {result("xenial", "linux", "needed", "-")}).body, body) << note;
  }
}

TEST(WriteBack, KeepsHumanNotesButUpdatesVersionNotes) {
  const std::string body = "xenial_linux: needed (waiting for upstream)\n"
                           "bionic_linux: pending (4.15.0-50.54)\n"
                           "disco_linux: released (was pending)\n";
  Applied a =
      write(body, {result("xenial", "linux", "released", "4.4.0-1.2"),
                   result("bionic", "linux", "released", "4.15.0-99.100"), result("disco", "linux", "needed", "-")});
  EXPECT_EQ(a.body, replaced(body, "pending (4.15.0-50.54)", "pending (4.15.0-99.100)"));
}

TEST(WriteBack, MarkerNoteOnAnOpenStateIsNotHuman) {
  const std::string body = "xenial_linux: needed (end of standard support)\n";
  EXPECT_EQ(write(body, {result("xenial", "linux", "released", "4.4.0-1.2")}).body,
            "xenial_linux: pending (4.4.0-1.2)\n");
}

TEST(WriteBack, NeedsTriageReplacesOnlyActiveNeedsTriagePendingAndReleased) {
  const std::string body = "upstream_linux: released (5.2)\n"
                           "xenial_linux: active\n"
                           "bionic_linux: pending (4.15.0-1.2)\n"
                           "disco_linux: needed\n"
                           "eoan_linux: not-affected (5.3.0-1.2)\n"
                           "devel_linux: pending\n";
  std::vector<EngineResult> results;
  for (const char* key : {"upstream", "xenial", "bionic", "disco", "eoan", "focal"}) {
    results.push_back(result(key, "linux", "needs-triage", "-"));
  }
  EXPECT_EQ(write(body, results).body, "upstream_linux: needs-triage\n"
                                       "xenial_linux: needs-triage\n"
                                       "bionic_linux: needs-triage\n"
                                       "disco_linux: needed\n"
                                       "eoan_linux: not-affected (5.3.0-1.2)\n"
                                       "devel_linux: needs-triage\n");
}

TEST(WriteBack, NeededDropsTheNote) {
  const std::string body = "upstream_linux: released (5.2)\nxenial_linux: pending (4.4.0-1.2)\nbionic_linux: "
                           "not-affected (4.15.0-1.2)\n";
  Applied a = write(body, {result("upstream", "linux", "needed", "-"), result("xenial", "linux", "needed", "-"),
                           result("bionic", "linux", "needed", "0123456789abcdef0123456789abcdef01234567")});
  EXPECT_EQ(a.body, "upstream_linux: needed\nxenial_linux: needed\nbionic_linux: needed\n");
}

TEST(WriteBack, NotAffectedWithoutAVersionOrPendingHasNoNote) {
  const std::string body = "xenial_linux: needed\nbionic_linux: pending (4.15.0-1.2)\n";
  Applied a = write(
      body, {result("xenial", "linux", "not-affected", "-"), result("bionic", "linux", "not-affected", "pending")});
  EXPECT_EQ(a.body, "xenial_linux: not-affected\nbionic_linux: not-affected\n");
}

TEST(WriteBack, NotAffectedWithAVersionIsReleasedUpstream) {
  const std::string body = "upstream_linux: needs-triage\nxenial_linux: needed\n";
  Applied a = write(body, {result("upstream", "linux", "not-affected", "4.1"),
                           result("xenial", "linux", "not-affected", "4.4.0-1.2")});
  EXPECT_EQ(a.body, "upstream_linux: released (4.1)\nxenial_linux: not-affected (4.4.0-1.2)\n");
}

TEST(WriteBack, ReleasedPendingBecomesAPlainPending) {
  const std::string body = "upstream_linux: needed\nxenial_linux: pending (4.4.0-1.2)\nbionic_linux: released "
                           "(4.15.0-1.2)\n";
  Applied a =
      write(body, {result("upstream", "linux", "released", "pending"), result("xenial", "linux", "released", "pending"),
                   result("bionic", "linux", "released", "pending")});
  EXPECT_EQ(a.body, "upstream_linux: pending\nxenial_linux: pending\nbionic_linux: pending\n");
}

TEST(WriteBack, ReleasedVersionIsProposedAsPendingUnlessAlreadyThere) {
  const std::string body = "upstream_linux: needed\n"
                           "xenial_linux: needed\n"
                           "bionic_linux: not-affected (4.15.0-99.100)\n"
                           "disco_linux: released (5.0.0-1.2)\n"
                           "eoan_linux: released (5.3.0-9.10)\n"
                           "devel_linux: pending (5.4.0-3.4)\n";
  Applied a = write(
      body, {result("upstream", "linux", "released", "5.4"), result("xenial", "linux", "released", "4.4.0-170.199"),
             result("bionic", "linux", "released", "4.15.0-99.100"), result("disco", "linux", "released", "5.0.0-9.10"),
             result("eoan", "linux", "released", "5.3.0-9.10"), result("focal", "linux", "released", "5.4.0-3.4")});
  EXPECT_EQ(a.body, "upstream_linux: released (5.4)\n"
                    "xenial_linux: pending (4.4.0-170.199)\n"
                    "bionic_linux: pending (4.15.0-99.100)\n"
                    "disco_linux: pending (5.0.0-9.10)\n"
                    "eoan_linux: released (5.3.0-9.10)\n"
                    "devel_linux: pending (5.4.0-3.4)\n");
  EXPECT_EQ(a.changes.size(), 4u);
}

TEST(WriteBack, OtherEngineStatesChangeNothingWithoutDirectCopy) {
  const std::string body = "xenial_linux: needed\n";
  EXPECT_EQ(write(body, {result("xenial", "linux", "ignored", "ESM criteria, was needed")}).body, body);
  EXPECT_EQ(write(body, {result("xenial", "linux", "pending", "4.4.0-1.2")}).body, body);
}

TEST(WriteBack, DirectCopyWritesStateAndNoteVerbatimWithinTheSkipRules) {
  const std::string body = "upstream_linux: needs-triage\n"
                           "xenial_linux: needed\n"
                           "bionic_linux: pending (4.15.0-99.100)\n"
                           "disco_linux: needed (a human note)\n"
                           "eoan_linux: deferred\n";
  WriteBackOptions copy{"focal", false, true};
  Applied a = write(body,
                    {result("upstream", "linux", "not-affected", "5.2"),
                     result("xenial", "linux", "ignored", "ESM criteria, was needed"),
                     result("bionic", "linux", "released", "-"), result("disco", "linux", "ignored", "end of life"),
                     result("eoan", "linux", "ignored", "end of life, was deferred")},
                    copy);
  EXPECT_EQ(a.body, "upstream_linux: not-affected (5.2)\n"
                    "xenial_linux: ignored (ESM criteria, was needed)\n"
                    "bionic_linux: released\n"
                    "disco_linux: needed (a human note)\n"
                    "eoan_linux: deferred\n");
}

TEST(WriteBack, DirectCopyOfAStateTheTrackerDoesNotKnowIsAnError) {
  tracker::CveFile file = parse("xenial_linux: needed\n");
  std::string before = file.text();
  EXPECT_THROW(write_back(file, testing::source_catalog(), {result("xenial", "linux", "fixed", "1.0")},
                          WriteBackOptions{"focal", false, true}),
               Error);
  EXPECT_EQ(file.text(), before);
}

TEST(WriteBack, DevelCodenameResultAlsoSetsTheDevelLine) {
  const std::string body = "focal_linux: needs-triage\ndevel_linux: needs-triage\neoan_linux: needs-triage\n";
  Applied a = write(body, {result("focal", "linux", "released", "5.4.0-9.12")});
  EXPECT_EQ(a.body, "focal_linux: pending (5.4.0-9.12)\ndevel_linux: pending (5.4.0-9.12)\neoan_linux: needs-triage\n");
  // Another devel codename: focal is then an ordinary release and devel_ is untouched.
  Applied b = write(body, {result("focal", "linux", "needed", "-")}, WriteBackOptions{"eoan", false, false});
  EXPECT_EQ(b.body, "focal_linux: needed\ndevel_linux: needs-triage\neoan_linux: needs-triage\n");
}

TEST(WriteBack, RetiredCvesKeepTheirUpstreamLines) {
  const std::string body = "upstream_linux: needs-triage\nxenial_linux: needs-triage\n";
  std::vector<EngineResult> results = {result("upstream", "linux", "released", "5.2"),
                                       result("xenial", "linux", "released", "4.4.0-1.2")};
  EXPECT_EQ(write(body, results, WriteBackOptions{"focal", true, false}).body,
            "upstream_linux: needs-triage\nxenial_linux: pending (4.4.0-1.2)\n");
  EXPECT_EQ(write(body, results).body, "upstream_linux: released (5.2)\nxenial_linux: pending (4.4.0-1.2)\n");
}

TEST(WriteBack, EveryUpstreamLinuxLineTakesTheAggregatedValue) {
  const std::string body = "upstream_linux: needs-triage\n"
                           "xenial_linux: needs-triage\n"
                           "\n"
                           "Patches_linux-aws:\n"
                           "upstream_linux-aws: needs-triage\n"
                           "xenial_linux-aws: needs-triage\n";
  Applied a = write(
      body, {result("upstream", "linux", "released", "5.3"), result("upstream", "linux-4.19", "released", "4.19.80")});
  EXPECT_EQ(a.body, replaced(replaced(body, "upstream_linux: needs-triage", "upstream_linux: released (5.3, 4.19.80)"),
                             "upstream_linux-aws: needs-triage", "upstream_linux-aws: released (5.3, 4.19.80)"));
  // Stable results alone name no line.
  EXPECT_EQ(write(body, {result("upstream", "linux-4.19", "released", "4.19.80")}).body, body);
}

TEST(WriteBack, UpstreamWithoutStableResultsIsTheLinusVersion) {
  // Correction 1: the original does not crash here, and neither do we.
  EXPECT_EQ(write("upstream_linux: needs-triage\n", {result("upstream", "linux", "not-affected", "5.2")}).body,
            "upstream_linux: released (5.2)\n");
}

TEST(WriteBack, OnlyLinesWithExactlyOneColonAreUpdated) {
  const std::string body = "xenial_linux: pending (1:4.4.0-1.2)\nbionic_linux: needed\n";
  Applied a = write(
      body, {result("xenial", "linux", "released", "4.4.0-9.9"), result("bionic", "linux", "released", "4.15.0-9.9")});
  EXPECT_EQ(a.body, "xenial_linux: pending (1:4.4.0-1.2)\nbionic_linux: pending (4.15.0-9.9)\n");
}

TEST(WriteBack, LegacyVersionLineIsUpdatedAndAnEmptyStateIsNot) {
  Applied legacy = write("upstream_linux: 2.6.32\n", {result("upstream", "linux", "released", "2.6.33")});
  EXPECT_EQ(legacy.body, "upstream_linux: released (2.6.33)\n");
  Applied empty = write("upstream_linux:\n", {result("upstream", "linux", "released", "2.6.33")});
  EXPECT_EQ(empty.body, "upstream_linux:\n");
}

TEST(WriteBack, RepeatedLineUpdatesOnlyTheFirst) {
  tracker::CveFile file("active/CVE-2023-1234", k_header + "xenial_linux: needed\nxenial_linux: needed\n",
                        tracker::FileKind::cve, testing::source_catalog());
  std::vector<LineChange> changes =
      write_back(file, testing::source_catalog(), {result("xenial", "linux", "released", "4.4.0-1.2")}, {"focal"});
  EXPECT_EQ(file.text(), k_header + "xenial_linux: pending (4.4.0-1.2)\nxenial_linux: needed\n");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].line, 11u);
}

TEST(WriteBack, ChangesAreLoggedUnderTheFileName) {
  EXPECT_EQ(format_changes("active/CVE-2023-1234", {{12, "xenial_linux: needed", "xenial_linux: pending (1.0-1)"},
                                                    {13, "bionic_linux: needed", "bionic_linux: not-affected"}}),
            "active/CVE-2023-1234\n"
            "- xenial_linux: needed\n+ xenial_linux: pending (1.0-1)\n"
            "- bionic_linux: needed\n+ bionic_linux: not-affected\n");
  EXPECT_EQ(format_changes("active/CVE-2023-1234", {}), "");
}

} // namespace
} // namespace kct::triage
