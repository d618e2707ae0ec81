#include "tracker/cve_file.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

namespace kct::tracker {
namespace {

CveFile parse(const std::string& text, FileKind kind = FileKind::cve) {
  return CveFile("active/CVE-2020-0001", text, kind, testing::source_catalog());
}

std::vector<std::string> formatted(const CveFile& f) {
  std::vector<std::string> out;
  for (const util::Diagnostic& d : f.diagnostics()) {
    out.push_back(util::format(d));
  }
  return out;
}

const char* k_head = "Candidate: CVE-2020-0001\n"
                     "PublicDate: 2020-01-02\n"
                     "References:\n"
                     " https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2020-0001\n"
                     "Description:\n"
                     " first line\n"
                     " second line\n";

TEST(Parser, ReadsHeaderFieldsWithContinuationLines) {
  CveFile f = parse(std::string(k_head) + "Priority: medium\n");
  EXPECT_TRUE(f.diagnostics().empty()) << formatted(f)[0];
  const Field* d = f.field("Description");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(f.field_text(*d), "\nfirst line\nsecond line");
  EXPECT_EQ(d->line, 4u);
  EXPECT_EQ(d->last_line, 6u);
  EXPECT_EQ(f.priority_for("linux", "xenial"), "medium");
}

TEST(Parser, ValueOnHeaderLineIsKeptForMultiLineFields) {
  CveFile f = parse("Candidate: CVE-2020-0001\nPublicDate: 2020-01-02\nDescription: inline\n more\n");
  EXPECT_EQ(f.field_text(*f.field("Description")), "inline\nmore");
}

TEST(Parser, ReadsStatusLinesWithDetailsAndVariants) {
  CveFile f =
      parse(std::string(k_head) + "Patches_linux:\n"
                                  "upstream_linux: released (5.6~rc3)\n"
                                  "trusty/esm_linux: ignored (was pending \\[5.3.0-19.20~18.04.2\\] now end-of-life)\n"
                                  "xenial_linux: needed\n"
                                  "devel_linux: \n"
                                  "precise_linux: 2.6.32.1\n");
  ASSERT_TRUE(f.diagnostics().empty()) << formatted(f)[0];
  ASSERT_EQ(f.statuses().size(), 5u);
  const StatusEntry& up = f.statuses()[0];
  EXPECT_EQ(f.view(up.release_text), "upstream");
  EXPECT_EQ(f.view(up.package), "linux");
  EXPECT_EQ(up.state, State::released);
  EXPECT_EQ(f.view(up.details), "5.6~rc3");
  EXPECT_EQ(f.view(f.statuses()[1].release_text), "trusty/esm");
  EXPECT_EQ(f.view(f.statuses()[1].details), "was pending \\[5.3.0-19.20~18.04.2\\] now end-of-life");
  EXPECT_EQ(f.statuses()[2].state, State::needed);
  EXPECT_EQ(f.view(f.statuses()[2].details), "");
  EXPECT_EQ(f.statuses()[3].state, State::needs_triage); // empty value
  EXPECT_EQ(f.statuses()[4].state, State::released);     // legacy version-only form
  EXPECT_TRUE(f.statuses()[4].legacy_version);
  EXPECT_EQ(f.view(f.statuses()[4].details), "2.6.32.1");
}

TEST(Parser, ParsesBreakFixAlternativesAndTokenKinds) {
  CveFile f = parse(std::string(k_head) + "Patches_linux:\n"
                                          " break-fix: - 0123456789abcdef0123456789abcdef01234567|local-2020-0001-fix\n"
                                          " break-fix: local-a I0123456789abcdef0123456789abcdef01234567\n"
                                          " upstream: https://git.kernel.org/x\n"
                                          "upstream_linux: needed\n");
  ASSERT_TRUE(f.diagnostics().empty()) << formatted(f)[0];
  ASSERT_EQ(f.break_fixes().size(), 2u);
  const BreakFix& b = f.break_fixes()[0];
  EXPECT_EQ(f.view(b.package), "linux");
  ASSERT_EQ(b.introduced.size(), 1u);
  EXPECT_EQ(b.introduced[0].kind, TokenKind::unknown_commit);
  ASSERT_EQ(b.fixed.size(), 2u);
  EXPECT_EQ(b.fixed[0].kind, TokenKind::sha);
  EXPECT_EQ(b.fixed[1].kind, TokenKind::local);
  EXPECT_EQ(f.view(b.fixed[1].text), "local-2020-0001-fix");
  EXPECT_EQ(f.break_fixes()[1].fixed[0].kind, TokenKind::gerrit);
  ASSERT_EQ(f.patch_lines().size(), 3u);
  EXPECT_EQ(f.view(f.patch_lines()[2].type), "upstream");
  EXPECT_EQ(f.view(f.patch_lines()[2].payload), "https://git.kernel.org/x");
}

TEST(Parser, ToleratesAStrayValueOnPatchesHeader) {
  CveFile f = parse(std::string(k_head) + "Patches_linux-lts-quantal: DNE\n");
  EXPECT_TRUE(f.diagnostics().empty());
}

TEST(Parser, ReadsNotesWithAuthorsAndSeparators) {
  CveFile f = parse(std::string(k_head) + "Notes:\n"
                                          " alice> first\n"
                                          "  continued\n"
                                          " alice| joined\n"
                                          "  too\n"
                                          " bob> other\n");
  ASSERT_TRUE(f.diagnostics().empty()) << formatted(f)[0];
  ASSERT_EQ(f.notes().size(), 3u);
  EXPECT_EQ(f.notes()[0].author, "alice");
  EXPECT_EQ(f.notes()[0].text, "first\ncontinued");
  EXPECT_EQ(f.notes()[1].text, "joined too");
  EXPECT_EQ(f.notes()[2].author, "bob");
}

TEST(Parser, NoteWithoutAuthorIsAnErrorAndOneSpaceIndentAWarning) {
  CveFile f = parse(std::string(k_head) + "Notes:\n  orphan text\n alice> x\n one space\n");
  std::vector<std::string> d = formatted(f);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "active/CVE-2020-0001:9:1: error: Note entry with no author: ' orphan text'");
  EXPECT_EQ(d[1], "active/CVE-2020-0001:11:1: warning: Note continuations should be indented by 2 spaces");
}

TEST(Parser, ReadsAndScoresCvss) {
  CveFile f = parse(std::string(k_head) + "CVSS:\n nvd: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"
                                          " ubuntu: CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N\n");
  ASSERT_TRUE(f.diagnostics().empty()) << formatted(f)[0];
  ASSERT_EQ(f.cvss().size(), 2u);
  EXPECT_DOUBLE_EQ(f.cvss()[0].base_score, 9.8);
  EXPECT_DOUBLE_EQ(f.cvss()[1].base_score, 6.5);
}

TEST(Parser, BadCvssVectorNamesWhatIsMissing) {
  CveFile f = parse(std::string(k_head) + "CVSS:\n nvd: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H\n");
  std::vector<std::string> d = formatted(f);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "active/CVE-2020-0001:9:7: error: bad CVSS vector 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' "
                  "from nvd: missing base metric A");
}

TEST(Parser, TagsAndPriorities) {
  CveFile f = parse(std::string(k_head) + "Priority: high\n"
                                          "Priority_linux: low\n"
                                          "Priority_linux_precise/esm: negligible this is a comment\n"
                                          "Tags_linux: apparmor pie\n"
                                          "Tags_linux_natty: stack-protector\n"
                                          "Patches_linux:\n"
                                          "precise/esm_linux: needed\n");
  ASSERT_TRUE(f.diagnostics().empty()) << formatted(f)[0];
  EXPECT_EQ(f.priority_for("linux", "precise/esm"), "negligible");
  EXPECT_EQ(f.priority_for("linux", "xenial"), "low");
  EXPECT_EQ(f.priority_for("openssl", "xenial"), "high");
  ASSERT_EQ(f.tags().size(), 3u);
  EXPECT_EQ(f.view(f.tags()[2].key), "linux_natty");
}

// Each error with its exact location.
struct ErrorCase {
  const char* name;
  std::string body;
  std::string expected;
};

class ParserErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParserErrors, ReportsLineColumnAndMessage) {
  CveFile f = parse(std::string(k_head) + GetParam().body);
  std::vector<std::string> d = formatted(f);
  ASSERT_FALSE(d.empty()) << "no diagnostic";
  EXPECT_EQ(d[0], GetParam().expected);
  EXPECT_TRUE(f.has_errors());
}

INSTANTIATE_TEST_SUITE_P(
    AllForms, ParserErrors,
    ::testing::Values(
        ErrorCase{"LineWithoutColon", "this line has no colon\n",
                  "active/CVE-2020-0001:8:1: error: bad line 'this line has no colon' (expected 'Field: value')"},
        ErrorCase{"RepeatedField", "Priority: low\nPriority: high\n",
                  "active/CVE-2020-0001:9:1: error: repeated field 'Priority' (first at line 8)"},
        ErrorCase{"RepeatedStatusLine", "Patches_linux:\nxenial_linux: needed\nxenial_linux: DNE\n",
                  "active/CVE-2020-0001:10:1: error: repeated field 'xenial_linux' (first at line 9)"},
        ErrorCase{"UnknownState", "Patches_linux:\nxenial_linux: fixed (1.0)\n",
                  "active/CVE-2020-0001:9:15: error: xenial_linux has unknown state: 'fixed' (valid states are: "
                  "needs-triage needed active pending released released-esm deferred DNE ignored not-affected)"},
        ErrorCase{"TabInsteadOfSpace", "Patches_linux:\nxenial_linux: needed\t(x)\n",
                  "active/CVE-2020-0001:9:15: error: xenial_linux has unknown state: 'needed\t(x)' (valid states "
                  "are: needs-triage needed active pending released released-esm deferred DNE ignored not-affected)"},
        ErrorCase{"UnknownRelease", "Patches_linux:\njammy_linux: needed\n",
                  "active/CVE-2020-0001:9:1: error: unknown release 'jammy' in 'jammy_linux' (not in the catalog " +
                      kct::testing::source_dir() + "/data/catalog.yaml)"},
        ErrorCase{"ShortSha", "Patches_linux:\n break-fix: - 1234567abc\n",
                  "active/CVE-2020-0001:9:15: error: short sha '1234567abc' in break-fix (10 characters; expected a "
                  "full 40-character sha)"},
        ErrorCase{"BreakFixWithOneToken", "Patches_linux:\n break-fix: -\n",
                  "active/CVE-2020-0001:9:13: error: break-fix needs exactly 2 tokens, the introducing and the fixing "
                  "commit, got 1"},
        ErrorCase{"InvalidBreakFixToken", "Patches_linux:\n break-fix: - nonsense\n",
                  "active/CVE-2020-0001:9:15: error: invalid break-fix token 'nonsense' (expected '-', a 40-character "
                  "sha, local-<id>, a Gerrit I<sha> Change-Id or a URL)"},
        ErrorCase{"UnknownField", "Colour: blue\n", "active/CVE-2020-0001:8:1: error: unknown field 'Colour'"},
        ErrorCase{"UnknownPriority", "Priority: urgent\n",
                  "active/CVE-2020-0001:8:11: error: unknown Priority 'urgent' (expected one of: untriaged not-for-us "
                  "negligible low medium high critical)"},
        ErrorCase{"InvalidTag", "Tags_linux: apparmor  pie\n",
                  "active/CVE-2020-0001:8:22: error: invalid tag '' in 'Tags_linux' (valid tags: universe-binary "
                  "not-ue apparmor stack-protector fortify-source symlink-restriction hardlink-restriction "
                  "heap-protector pie)"},
        ErrorCase{"ContinuationAfterStatusLine", "Patches_linux:\nxenial_linux: needed\n stray\n",
                  "active/CVE-2020-0001:10:1: error: bad line ' stray' (a continuation line must follow a field "
                  "that takes one; status and Tags lines do not)"},
        ErrorCase{"ActiveWithoutAssignee", "Patches_linux:\nxenial_linux: active\n",
                  "active/CVE-2020-0001:9:1: error: xenial_linux has state 'active' but lacks 'Assigned-to'"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(Parser, BadCandidatePrefixAndMissingFields) {
  CveFile f = parse("Candidate: XYZ-1\n");
  std::vector<std::string> d = formatted(f);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0], "active/CVE-2020-0001:1:12: error: unknown Candidate 'XYZ-1' (must be /(CVE|UEM|EMB)-/)");
  EXPECT_EQ(d[1], "active/CVE-2020-0001:1:1: error: missing required field 'PublicDate'");
  EXPECT_EQ(d[2], "active/CVE-2020-0001:1:1: error: missing required field 'Description'");
}

TEST(Parser, NonUtf8ByteIsLocated) {
  CveFile f = parse(std::string(k_head) + "Mitigation: caf\xe9 au lait\n");
  std::vector<std::string> d = formatted(f);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "active/CVE-2020-0001:8:16: error: invalid UTF-8 byte 0xe9 (tracker files are UTF-8)");
}

TEST(Parser, TruncatedFileIsReported) {
  std::string text = std::string(k_head) + "Patches_linux:\nxenial_linux: relea";
  CveFile f = parse(text);
  std::vector<std::string> d = formatted(f);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "active/CVE-2020-0001:9:15: error: xenial_linux has unknown state: 'relea' (valid states are: "
                  "needs-triage needed active pending released released-esm deferred DNE ignored not-affected)");
  EXPECT_EQ(d[1], "active/CVE-2020-0001:9:20: warning: file does not end with a newline (truncated?)");
  EXPECT_EQ(f.write(), text);
}

TEST(Parser, FirstValueOfARepeatedStatusLineWins) {
  CveFile f = parse(std::string(k_head) + "Patches_linux:\nxenial_linux: needed\nxenial_linux: DNE\n");
  ASSERT_EQ(f.statuses().size(), 1u);
  EXPECT_EQ(f.statuses()[0].state, State::needed);
}

TEST(Parser, CommentsAndBlankLinesAreKept) {
  std::string text =
      std::string(k_head) + "# a comment\n\n   \nPatches_linux:\n#upstream_linux: x\nxenial_linux: DNE\n";
  CveFile f = parse(text);
  EXPECT_TRUE(f.diagnostics().empty());
  EXPECT_EQ(f.write(), text);
  EXPECT_EQ(f.statuses().size(), 1u);
}

TEST(Parser, OtherFilesAreKeptByteForByte) {
  std::string text = "# not a CVE\nanything: at all\n\xff\n";
  CveFile f = parse(text, FileKind::other);
  EXPECT_EQ(f.write(), text);
  EXPECT_TRUE(f.statuses().empty());
}

TEST(Parser, PackagesInOrderOfAppearance) {
  CveFile f = parse(std::string(k_head) + "Patches_b:\nxenial_b: DNE\nPatches_a:\nxenial_a: DNE\nxenial_c: DNE\n");
  std::vector<std::string_view> p = f.packages();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], "b");
  EXPECT_EQ(p[1], "a");
  EXPECT_EQ(p[2], "c");
}

} // namespace
} // namespace kct::tracker
