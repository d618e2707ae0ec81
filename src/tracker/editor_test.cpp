#include "tracker/editor.h"

#include "support/test_env.h"
#include "util/error.h"
#include "util/files.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kct::tracker {
namespace {

const std::string k_file = "Candidate: CVE-2020-0002\n"
                           "PublicDate: 2020-01-02\n"
                           "Description:\n"
                           " text\n"
                           "Priority: low\n"
                           "\n"
                           "Patches_linux:\n"
                           " break-fix: - 0123456789abcdef0123456789abcdef01234567\n"
                           "upstream_linux: needed\n"
                           "xenial_linux:   needed   \n"
                           "bionic_linux: needs-triage\n"
                           "\n"
                           "Patches_linux-hwe:\n"
                           "xenial_linux-hwe: DNE\n";

CveFile parse(const std::string& text) {
  return CveFile("CVE-2020-0002", text, FileKind::cve, testing::source_catalog());
}

// Lines of `after` that differ from `before`, assuming the same number of lines.
std::vector<size_t> changed_lines(const CveFile& before, const CveFile& after) {
  std::vector<size_t> out;
  for (size_t i = 0; i < std::max(before.line_count(), after.line_count()); ++i) {
    if (i >= before.line_count() || i >= after.line_count() || before.line(i) != after.line(i)) {
      out.push_back(i);
    }
  }
  return out;
}

TEST(Editor, SetStatusRewritesOnlyThatLine) {
  CveFile original = parse(k_file);
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.set_status("linux", "xenial", State::pending, "4.4.0-170.199"));
  EXPECT_EQ(changed_lines(original, f), std::vector<size_t>{9});
  EXPECT_EQ(f.line(9), "xenial_linux: pending (4.4.0-170.199)");
  EXPECT_EQ(f.status("linux", "xenial")->state, State::pending);
  EXPECT_FALSE(e.set_status("linux", "xenial", State::pending, "4.4.0-170.199"));
}

TEST(Editor, SetStatusInsertsAfterThePackagesLastLine) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.set_status("linux", "devel", State::not_affected, "5.4.0-8.11"));
  EXPECT_EQ(f.line(11), "devel_linux: not-affected (5.4.0-8.11)");
  EXPECT_EQ(f.line(12), "");
  EXPECT_EQ(f.line_count(), parse(k_file).line_count() + 1);
}

TEST(Editor, SetStatusRefusesUnknownReleaseAndPackage) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_THROW(e.set_status("linux", "jammy", State::needed, ""), Error);
  EXPECT_THROW(e.set_status("openssl", "xenial", State::needed, ""), Error);
  EXPECT_EQ(f.text(), k_file);
}

TEST(Editor, AddBreakFixAppendsToTheSection) {
  CveFile original = parse(k_file);
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  std::string fix = "fedcba9876543210fedcba9876543210fedcba98";
  EXPECT_TRUE(e.add_break_fix("linux", "-", fix));
  EXPECT_EQ(f.line(8), " break-fix: - " + fix);
  EXPECT_EQ(f.break_fixes().size(), 2u);
  EXPECT_FALSE(e.add_break_fix("linux", "-", fix)); // already there
  // Every original line is still there, in order, around the one inserted.
  for (size_t i = 0; i < original.line_count(); ++i) {
    EXPECT_EQ(f.line(i < 8 ? i : i + 1), original.line(i));
  }
}

TEST(Editor, AddBreakFixRefusesAShortSha) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_THROW(e.add_break_fix("linux", "-", "abc1234"), Error);
  EXPECT_EQ(f.text(), k_file);
}

TEST(Editor, AddBreakFixCreatesAMissingSectionHeader) {
  std::string text = "Candidate: CVE-2020-0002\nPublicDate: 2020-01-02\nDescription:\n x\n\nxenial_linux: needed\n";
  CveFile f = parse(text);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.add_break_fix("linux", "local-x", "local-y"));
  EXPECT_EQ(f.line(5), "Patches_linux:");
  EXPECT_EQ(f.line(6), " break-fix: local-x local-y");
  EXPECT_EQ(f.line(7), "xenial_linux: needed");
}

TEST(Editor, AddPackageAppendsASection) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.add_package("linux-aws", {{"upstream", State::needs_triage, ""}, {"xenial", State::needed, ""}}));
  EXPECT_EQ(f.text(), k_file + "\nPatches_linux-aws:\nupstream_linux-aws: needs-triage\nxenial_linux-aws: needed\n");
  EXPECT_THROW(e.add_package("linux-aws", {}), Error);
}

TEST(Editor, AddPackageEndsALastLineWithoutNewline) {
  std::string text = "Candidate: CVE-2020-0002\nPublicDate: 2020-01-02\nDescription: x";
  CveFile f = parse(text);
  Editor e(f, testing::source_catalog());
  e.add_package("curl", {{"xenial", State::dne, ""}});
  EXPECT_EQ(f.text(), text + "\n\nPatches_curl:\nxenial_curl: DNE\n");
}

TEST(Editor, SetFieldReplacesOrPrepends) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.set_field("Priority", "high"));
  EXPECT_EQ(f.line(4), "Priority: high");
  EXPECT_TRUE(e.set_field("PublicDateAtUSN", "2020-02-03"));
  EXPECT_EQ(f.line(0), "PublicDateAtUSN: 2020-02-03");
  EXPECT_EQ(f.line(1), "Candidate: CVE-2020-0002");
  EXPECT_THROW(e.set_field("Description", "x"), Error); // multi-line
}

TEST(Editor, EditThatWouldBreakTheFileIsUndone) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_THROW(e.set_field("Priority", "urgent"), Error);
  EXPECT_EQ(f.text(), k_file);
  EXPECT_FALSE(f.has_errors());
}

TEST(Editor, InsertLineAddsOneWholeLine) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  e.insert_line(8, "upstream_linux-x: needed"); // before upstream_linux
  EXPECT_EQ(f.line(8), "upstream_linux-x: needed");
  EXPECT_EQ(f.line(9), "upstream_linux: needed");
  e.insert_line(f.line_count(), "bionic_linux-hwe: DNE");
  EXPECT_EQ(f.text(), k_file.substr(0, k_file.find("upstream_linux")) + "upstream_linux-x: needed\n" +
                          k_file.substr(k_file.find("upstream_linux")) + "bionic_linux-hwe: DNE\n");
  EXPECT_THROW(e.insert_line(f.line_count() + 1, "x_linux: DNE"), Error);
  EXPECT_THROW(e.insert_line(0, "a\nb"), Error);
}

TEST(Editor, RemoveLineKeepsTheRest) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  e.remove_line(10); // bionic_linux
  std::string expected = k_file;
  expected.erase(expected.find("bionic_linux: needs-triage\n"), 27);
  EXPECT_EQ(f.text(), expected);
  EXPECT_EQ(f.status("linux", "bionic"), nullptr);
  EXPECT_THROW(e.remove_line(f.line_count()), Error);
}

TEST(Editor, ReplaceLineRewritesOnlyThatLine) {
  CveFile original = parse(k_file);
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.replace_line(10, "devel_linux: needs-triage"));
  EXPECT_EQ(changed_lines(original, f), std::vector<size_t>{10});
  EXPECT_NE(f.status("linux", "devel"), nullptr);
  EXPECT_FALSE(e.replace_line(10, "devel_linux: needs-triage"));
}

TEST(Editor, ReplaceLastLineWithoutNewlineAddsNone) {
  std::string text = "Candidate: CVE-2020-0002\nPublicDate: 2020-01-02\nDescription: x\nxenial_linux: needed";
  CveFile f = parse(text);
  Editor e(f, testing::source_catalog());
  EXPECT_TRUE(e.replace_line(3, "xenial_linux: DNE"));
  EXPECT_EQ(f.text(), "Candidate: CVE-2020-0002\nPublicDate: 2020-01-02\nDescription: x\nxenial_linux: DNE");
}

TEST(Editor, LineEditsThatBreakTheFileAreRefused) {
  CveFile f = parse(k_file);
  Editor e(f, testing::source_catalog());
  EXPECT_THROW(e.insert_line(9, "xenial_linux: needed"), Error); // a repeated key
  EXPECT_THROW(e.replace_line(9, "nonsense"), Error);
  EXPECT_THROW(e.remove_line(0), Error); // Candidate is required
  EXPECT_EQ(f.text(), k_file);
  // Removing a repeated key lowers the error count, so it is allowed.
  CveFile dup = parse(k_file + "xenial_linux-hwe: DNE\n");
  ASSERT_TRUE(dup.has_errors());
  Editor(dup, testing::source_catalog()).remove_line(dup.line_count() - 1);
  EXPECT_EQ(dup.text(), k_file);
  EXPECT_FALSE(dup.has_errors());
}

TEST(Editor, SaveWritesAtomicallyAndOnlyWhenChanged) {
  testing::ScopedTempDir dir;
  std::string path = dir.write("active/CVE-2020-0002", k_file);
  ::chmod(path.c_str(), 0640);
  std::string text;
  ASSERT_FALSE(util::read_file(path, text));
  CveFile f(path, text, FileKind::cve, testing::source_catalog());
  struct stat before {};
  ::stat(path.c_str(), &before);
  EXPECT_FALSE(save_if_changed(f)); // unchanged: not rewritten
  struct stat same {};
  ::stat(path.c_str(), &same);
  EXPECT_EQ(before.st_ino, same.st_ino);
  Editor(f, testing::source_catalog()).set_status("linux", "bionic", State::released, "4.15.0-72.81");
  EXPECT_TRUE(save_if_changed(f));
  struct stat after {};
  ::stat(path.c_str(), &after);
  EXPECT_NE(before.st_ino, after.st_ino); // replaced by rename, not rewritten in place
  EXPECT_EQ(after.st_mode & 07777, 0640u);
  ASSERT_FALSE(util::read_file(path, text));
  EXPECT_EQ(text, f.text());
  EXPECT_FALSE(std::filesystem::exists(path + ".kct-tmp-" + std::to_string(::getpid())));
}

TEST(Editor, SaveIntoAMissingDirectoryFailsWithoutTouchingAnything) {
  CveFile f("/nonexistent-dir/CVE-2020-0002", k_file, FileKind::cve, testing::source_catalog());
  EXPECT_THROW(save_if_changed(f), Error);
}

} // namespace
} // namespace kct::tracker
