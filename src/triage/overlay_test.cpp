#include "triage/overlay.h"

#include "support/test_env.h"
#include "util/error.h"
#include "util/files.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kct::triage {
namespace {

using testing::formatted;

Overlay parse(const std::string& text, std::vector<std::string>& diagnostics) {
  std::vector<util::Diagnostic> d;
  Overlay o = Overlay::parse("10autotriage.linux", text, d);
  diagnostics = formatted(d);
  return o;
}

// Lines from the 2019 snapshot's active/10autotriage.linux and from §1.2.3.
const std::string k_real = "# CVE-2011-1182 -- upstream provenance truncated\n"
                           "5ab3f07c1f2ae5426b3d7617b00c71a1c15b59e1 243b422af9ea9af4ead07a8ad54c90d4f9b6081a\n"
                           "\n"
                           ":title('UBUNTU: SAUCE: shiftfs: Fix refcount underflow in btrfs ioctl handling', "
                           "['local-2019-15791-fix'])\n"
                           ":title(\"UBUNTU: SAUCE: xen/netback: don't leak pages on failure in "
                           "xen_netbk_tx_check_gop.\", ['7d5145d8eb2b9791533ffe4dc003b129b9696c48'])\n"
                           ":title('nl80211: fix overflow in ssid_len - CVE-2011-2517', "
                           "['208c72f4fe44fe09577e7975ba0e7fa0278f3d03', '57a27e1d6a3bb9ad4efeebd3a8c71156d6207536'])\n"
                           "66c83ca9f05093f15479cf0bf32af8d74c188329 9915672d41273f5b77f1b3c29b391ffb7732b84b "
                           "local-2010-4249\n";

TEST(Overlay, ReadsMappingsAndTitles) {
  std::vector<std::string> d;
  Overlay o = parse(k_real, d);
  EXPECT_TRUE(d.empty()) << d[0];
  ASSERT_EQ(o.mappings.size(), 2u);
  EXPECT_EQ(o.mappings[0].id, "5ab3f07c1f2ae5426b3d7617b00c71a1c15b59e1");
  EXPECT_EQ(o.mappings[0].targets, (std::vector<std::string>{"243b422af9ea9af4ead07a8ad54c90d4f9b6081a"}));
  EXPECT_EQ(o.mappings[0].line, 2);
  EXPECT_EQ(o.mappings[1].targets,
            (std::vector<std::string>{"9915672d41273f5b77f1b3c29b391ffb7732b84b", "local-2010-4249"}));
  EXPECT_EQ(o.mappings[1].line, 7);

  ASSERT_EQ(o.titles.size(), 3u);
  EXPECT_EQ(o.titles[0].title, "UBUNTU: SAUCE: shiftfs: Fix refcount underflow in btrfs ioctl handling");
  EXPECT_EQ(o.titles[0].ids, (std::vector<std::string>{"local-2019-15791-fix"}));
  EXPECT_EQ(o.titles[0].line, 4);
  EXPECT_EQ(o.titles[1].title, "UBUNTU: SAUCE: xen/netback: don't leak pages on failure in xen_netbk_tx_check_gop.");
  EXPECT_EQ(o.titles[2].ids, (std::vector<std::string>{"208c72f4fe44fe09577e7975ba0e7fa0278f3d03",
                                                       "57a27e1d6a3bb9ad4efeebd3a8c71156d6207536"}));
}

TEST(Overlay, DecodesPythonStringLiterals) {
  std::vector<std::string> d;
  Overlay o = parse(":title ( 'a\\\\b \\'q\\' \\\"d\\\" \\n\\t\\x41\\u00e9\\101' \"+\"  u'c' r'\\d\\'' , "
                    "[ \"local-x\" 'y' , 'I0123abcdef',\t] , )  # a Python comment\n",
                    d);
  EXPECT_TRUE(d.empty()) << d[0];
  ASSERT_EQ(o.titles.size(), 1u);
  EXPECT_EQ(o.titles[0].title, "a\\b 'q' \"d\" \n\tA\xc3\xa9"
                               "A+c\\d\\'");
  EXPECT_EQ(o.titles[0].ids, (std::vector<std::string>{"local-xy", "I0123abcdef"}));
}

TEST(Overlay, UnpublishedVersionIsAcceptedAndIgnored) {
  std::vector<std::string> d;
  Overlay o = parse(":unpublished_version('4.15.0-100.101')\n:unpublished_version(['a', 'b'], 2, None)\n", d);
  EXPECT_TRUE(d.empty()) << d[0];
  EXPECT_TRUE(o.titles.empty());
  EXPECT_TRUE(o.mappings.empty());
}

TEST(Overlay, HashStartsATrailingComment) {
  std::vector<std::string> d;
  Overlay o = parse("  # indented comment\nlocal-a local-b #local-c d\n", d);
  EXPECT_TRUE(d.empty()) << d[0];
  ASSERT_EQ(o.mappings.size(), 1u);
  EXPECT_EQ(o.mappings[0].targets, (std::vector<std::string>{"local-b"}));
}

TEST(Overlay, WarnsAboutAbbreviatedShas) {
  std::vector<std::string> d;
  Overlay o = parse("1234567 abcdef0123 local-1234567\n:title('x', ['deadbeef', 'cafe12'])\n", d);
  EXPECT_EQ(d, (std::vector<std::string>{
                   "10autotriage.linux:1:1: warning: '1234567' looks like an abbreviated sha (7 characters); only "
                   "full 40-character shas match",
                   "10autotriage.linux:1:9: warning: 'abcdef0123' looks like an abbreviated sha (10 characters); "
                   "only full 40-character shas match",
                   "10autotriage.linux:2:14: warning: 'deadbeef' looks like an abbreviated sha (8 characters); only "
                   "full 40-character shas match",
               }));
  // Warnings keep the line.
  EXPECT_EQ(o.mappings.size(), 1u);
  EXPECT_EQ(o.titles.size(), 1u);
}

TEST(Overlay, WarnsAboutUnknownEscapesAndEmptyIdLists) {
  std::vector<std::string> d;
  Overlay o = parse(":title('a\\db', [])\n", d);
  EXPECT_EQ(d, (std::vector<std::string>{
                   "10autotriage.linux:1:10: warning: unknown escape '\\d' kept as written, as Python does",
                   "10autotriage.linux:1:16: warning: empty id list; this title line does nothing",
               }));
  ASSERT_EQ(o.titles.size(), 1u);
  EXPECT_EQ(o.titles[0].title, "a\\db");
}

struct ErrorCase {
  const char* name;
  std::string text;
  std::string expected;
};

class OverlayErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OverlayErrors, ReportLineColumnAndLeaveTheLineOut) {
  std::vector<std::string> d;
  // A good line after the bad one shows parsing goes on.
  Overlay o = parse("# header\n" + GetParam().text + "\nlocal-a local-b\n", d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], GetParam().expected);
  EXPECT_TRUE(o.titles.empty());
  ASSERT_EQ(o.mappings.size(), 1u);
  EXPECT_EQ(o.mappings[0].id, "local-a");
}

const std::string k_title = "title('<subject>', ['<id>', ...])";

INSTANTIATE_TEST_SUITE_P(
    Overlay, OverlayErrors,
    ::testing::Values(
        ErrorCase{"OneId", "  5ab3f07c1f2ae5426b3d7617b00c71a1c15b59e1  ",
                  "10autotriage.linux:2:43: error: '5ab3f07c1f2ae5426b3d7617b00c71a1c15b59e1' maps to nothing "
                  "(expected '<id> <id2> [<id3> ...]')"},
        ErrorCase{"UnknownCommand", ":titel('x', ['y'])",
                  "10autotriage.linux:2:2: error: unknown overlay command ':titel' (expected :" + k_title +
                      " or :unpublished_version(...))"},
        ErrorCase{"CodeIsNeverRun", ":__import__('os').system('touch /tmp/x')",
                  "10autotriage.linux:2:2: error: unknown overlay command ':__import__' (expected :" + k_title +
                      " or :unpublished_version(...))"},
        ErrorCase{"SpaceBeforeName", ": title('x', ['y'])",
                  "10autotriage.linux:2:2: error: unknown overlay command ':' (expected :" + k_title +
                      " or :unpublished_version(...))"},
        ErrorCase{"Expression", ":title('a' + 'b', ['x'])", "10autotriage.linux:2:12: error: expected ',' or ')'"},
        ErrorCase{"Variable", ":title(subject, ['x'])",
                  "10autotriage.linux:2:8: error: expected a string, a list or a number"},
        ErrorCase{"MissingQuote", ":title('abc, ['x'])", "10autotriage.linux:2:16: error: expected ',' or ')'"},
        ErrorCase{"StringRunsToEndOfLine", ":title('x', ['y", "10autotriage.linux:2:14: error: unterminated string"},
        ErrorCase{"MissingParenthesis", ":title 'x'",
                  "10autotriage.linux:2:8: error: expected '(' after the command name"},
        ErrorCase{"UnclosedList", ":title('x', ['y' 'z')", "10autotriage.linux:2:21: error: expected ',' or ']'"},
        ErrorCase{"OneArgument", ":title('x')",
                  "10autotriage.linux:2:2: error: title takes 2 arguments, got 1 (expected :" + k_title + ")"},
        ErrorCase{"SubjectNotAString", ":title(['x'], ['y'])",
                  "10autotriage.linux:2:8: error: the first argument of title must be the subject string (expected :" +
                      k_title + ")"},
        ErrorCase{"IdsNotAList", ":title('x', 'y')",
                  "10autotriage.linux:2:13: error: the second argument of title must be a list of ids (expected :" +
                      k_title + ")"},
        ErrorCase{"IdNotAString", ":title('x', ['y', 1])",
                  "10autotriage.linux:2:19: error: an id must be a non-empty string"},
        ErrorCase{"EmptyId", ":title('x', [''])", "10autotriage.linux:2:14: error: an id must be a non-empty string"},
        ErrorCase{"TextAfterCall", ":title('x', ['y']); run()",
                  "10autotriage.linux:2:19: error: unexpected text after ')'"},
        ErrorCase{"TruncatedHexEscape", ":title('\\xZ1', ['y'])",
                  "10autotriage.linux:2:9: error: truncated '\\x' escape (expected 2 hex digits)"},
        ErrorCase{"SurrogateEscape", ":title('\\ud800', ['y'])",
                  "10autotriage.linux:2:9: error: escape gives U+D800, which is not a Unicode character"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(Overlay, FingerprintIgnoresCommentsAndLayoutButNotContent) {
  std::vector<std::string> d;
  std::string base = parse(k_real, d).fingerprint();
  EXPECT_EQ(base.size(), 16u);
  EXPECT_EQ(base.find_first_not_of("0123456789abcdef"), std::string::npos);

  std::string relaid = "# another comment\n\n" + k_real + "\n# trailing\n";
  for (size_t pos = 0; (pos = relaid.find(" 9915", pos)) != std::string::npos; pos += 3) {
    relaid.replace(pos, 1, " \t ");
  }
  relaid.replace(relaid.find("['local-2019"), 1, "[ ");
  relaid.replace(relaid.find("\"UBUNTU: SAUCE: xen"), 1, "'");
  relaid.replace(relaid.find("gop.\""), 5, "gop.'");
  relaid.replace(relaid.find("don't"), 5, "don\\'t");
  EXPECT_EQ(parse(relaid, d).fingerprint(), base);

  std::string changed = k_real;
  changed.replace(changed.find("local-2010-4249"), 15, "local-2010-4250");
  EXPECT_NE(parse(changed, d).fingerprint(), base);

  // Where the boundaries fall matters, not just the characters.
  EXPECT_NE(parse("a b c\n", d).fingerprint(), parse("a bc\n", d).fingerprint());
  EXPECT_NE(parse("a b\n", d).fingerprint(), parse(":title('a', ['b'])\n", d).fingerprint());
  EXPECT_NE(parse("a b\n", d).fingerprint(), parse("", d).fingerprint());
}

TEST(Overlay, LoadsFromDiskAndThrowsWhenUnreadable) {
  testing::ScopedTempDir dir;
  std::string path = dir.write("active/10autotriage.linux", k_real);
  std::vector<util::Diagnostic> d;
  Overlay o = Overlay::load(path, d);
  EXPECT_EQ(o.path, path);
  EXPECT_EQ(o.mappings.size(), 2u);
  EXPECT_EQ(o.titles.size(), 3u);
  EXPECT_THROW(Overlay::load(dir.path() + "/missing", d), Error);
}

// The whole 2019 overlay reads without an error, and every line lands in one of the two lists.
TEST(Overlay, ReadsTheSnapshotOverlay) {
  std::string root = testing::snapshot_dir();
  if (root.empty()) {
    GTEST_SKIP() << "no shared data beside the source tree";
  }
  std::string path = root + "/active/10autotriage.linux";
  ASSERT_TRUE(std::filesystem::exists(path)) << "the shared snapshot was not extracted to " << root;
  std::string text;
  ASSERT_FALSE(util::read_file(path, text).has_value());
  size_t titles = 0;
  size_t mappings = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.rfind(":title(", 0) == 0) {
      ++titles;
    } else if (!line.empty() && line[0] != '#' && line[0] != ':') {
      ++mappings;
    }
  }
  std::vector<util::Diagnostic> d;
  Overlay o = Overlay::parse(path, text, d);
  EXPECT_EQ(util::count(d).errors, 0) << util::format(d[0]);
  EXPECT_EQ(o.titles.size(), titles);
  EXPECT_EQ(o.mappings.size(), mappings);
  EXPECT_GT(titles, 100u);
}

} // namespace
} // namespace kct::triage
