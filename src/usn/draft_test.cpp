// The draft text form: every shared notice round-trips, texts read as published, awkward
// strings and number kinds survive, and each error names its line and column.
#include "usn/draft.h"

#include "usn/json_io.h"
#include "usn/notice_json.h"
#include "usn/usn_test_support.h"
#include "util/error.h"

#include <cstdlib>
#include <gtest/gtest.h>

namespace kct::usn {
namespace {

Notice small_notice() {
  Notice n;
  n.id = "4300-1";
  n.title = "Linux kernel vulnerabilities";
  n.summary = "linux, linux-aws vulnerabilities";
  n.isummary = "Several security issues were fixed in the Linux kernel.\n";
  n.description = "It was discovered that foo. (CVE-2019-1001)\n\nA flaw in bar. (CVE-2019-1002)\n";
  n.action = "After a standard system update you need to reboot your computer.";
  n.cves = std::vector<std::string>{"CVE-2019-1001", "CVE-2019-1002"};
  n.timestamp = Timestamp{1575334808.582256};
  Release xenial;
  xenial.sources =
      std::map<std::string, SourceEntry>{{"linux", SourceEntry{"4.4.0-170.199", "Linux kernel", Json::object()}}};
  xenial.binaries = std::map<std::string, BinaryEntry>{
      {"linux-image-4.4.0-170-generic", BinaryEntry{"4.4.0-170.199", {}, {}, Json::object()}}};
  xenial.archs = std::map<std::string, ArchEntry>{
      {"amd64",
       ArchEntry{std::map<std::string, UrlEntry>{{"http://security.ubuntu.com/ubuntu/pool/main/l/linux/x_1:2_amd64.deb",
                                                  UrlEntry{"0123456789abcdef", 2386, Json::object()}}},
                 Json::object()}}};
  n.releases["xenial"] = xenial;
  return n;
}

Notice round_trip(const Notice& n) {
  return parse_draft(render_draft(n), "USN-4300-1.yaml");
}

// Readable on failure: the two JSON documents.
std::string json_of(const Notice& n) {
  return notice_to_json(n).dump(1);
}

std::string error_of(std::string_view text) {
  try {
    parse_draft(text, "d.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(UsnDraft, EverySharedNoticeRoundTrips) {
  std::vector<std::string> paths = testing::published_notice_paths();
  if (paths.empty()) {
    ASSERT_FALSE(kct::testing::shared_data_present());
    GTEST_SKIP() << "no shared USN data";
  }
  EXPECT_EQ(paths.size(), 67u);
  for (const std::string& path : paths) {
    Notice n = read_notice_file(path);
    std::string text = render_draft(n);
    Notice back = parse_draft(text, path + ".yaml");
    EXPECT_EQ(back, n) << path;
    EXPECT_TRUE(testing::strictly_equal(notice_to_json(back), notice_to_json(n))) << path;
    EXPECT_EQ(render_draft(back), text) << path;
  }
}

TEST(UsnDraft, TextsAreLiteralBlocksInReviewOrder) {
  Notice n = small_notice();
  n.description = " Indented first line.\nSecond.\n\n\n";
  std::string text = render_draft(n);
  EXPECT_NE(text.find("# Lines starting with # are ignored."), std::string::npos) << text;
  EXPECT_NE(text.find("\nid: 4300-1\ntitle: Linux kernel vulnerabilities\nsummary: linux, linux-aws vulnerabilities\n"
                      "isummary: |\n  Several security issues were fixed in the Linux kernel.\ncves:\n"
                      "  - CVE-2019-1001\n  - CVE-2019-1002\ndescription: |2+\n   Indented first line.\n  Second.\n"
                      "\n\naction: |-\n  After a standard system update you need to reboot your computer.\n"
                      "timestamp: 1575334808.582256\nreleases:\n  xenial:\n    sources:\n      linux:\n"
                      "        version: 4.4.0-170.199\n        description: Linux kernel\n    binaries:\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    archs:\n      amd64:\n        urls:\n"
                      "          http://security.ubuntu.com/ubuntu/pool/main/l/linux/x_1:2_amd64.deb:\n"
                      "            md5: 0123456789abcdef\n            size: 2386\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(json_of(round_trip(n)), json_of(n));
  EXPECT_EQ(round_trip(n), n);
}

TEST(UsnDraft, AwkwardStringsSurviveAsValuesKeysAndListItems) {
  const std::vector<std::string> strings = {"",
                                            " leading space",
                                            "trailing space ",
                                            "yes",
                                            "true",
                                            "False",
                                            "null",
                                            "~",
                                            "1.0",
                                            "42",
                                            "0x1F",
                                            "0o17",
                                            "+1",
                                            ".5",
                                            "1e3",
                                            ".inf",
                                            "2019-12-03",
                                            "1:2.3-1ubuntu0.1",
                                            "#not a comment",
                                            "a: b",
                                            "a #b",
                                            "ends with colon:",
                                            "- dash",
                                            "? question",
                                            "@at `tick` %pct [bracket] {brace} *star &amp !bang |pipe >gt",
                                            "'single' \"double\" \\backslash",
                                            "tab\tinside",
                                            "one line\n",
                                            "\n",
                                            "\n\n",
                                            " \n",
                                            "a\n \nb\n",
                                            "\ttab first\nsecond",
                                            "\nleading newline\n",
                                            "\n  indented after a blank line\n",
                                            "trailing spaces   \non lines  \n",
                                            "no final newline\nsecond",
                                            "three finals\n\n\n",
                                            "unicode: caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8e\x89\n",
                                            "control \x01 and \x7f and NEL \xc2\x85 and LS \xe2\x80\xa8",
                                            "crlf\r\nline",
                                            "--- a document marker\n...\n"};
  for (const std::string& s : strings) {
    Notice n = small_notice();
    n.title = s;
    n.description = s;
    n.cves = std::vector<std::string>{s, "CVE-2019-1001"};
    n.releases["xenial"].sources->emplace(s.empty() ? "empty-key-stand-in" : s, SourceEntry{s, s, Json::object()});
    n.extras["x-" + s] = s;
    Notice back = round_trip(n);
    EXPECT_EQ(json_of(back), json_of(n)) << "string: [" << s << "]\n" << render_draft(n);
    EXPECT_EQ(back, n);
  }
}

TEST(UsnDraft, NumbersBooleansAndNestedExtrasKeepTheirKinds) {
  Notice n = small_notice();
  n.timestamp = Timestamp{int64_t{1575334808}};
  n.extras["is_hidden"] = "false";
  n.extras["flag"] = true;
  n.extras["nothing"] = nullptr;
  n.extras["ratio"] = 2.0;
  n.extras["big"] = Json(uint64_t{18446744073709551615u});
  n.extras["nested"] = Json::parse(R"({"list": [1, 2.5, "three", [true, null], {"k": "v"}], "empty": {}, "none": []})");
  n.releases["xenial"].extras["pocket-note"] = "esm-apps";
  Notice back = round_trip(n);
  EXPECT_EQ(json_of(back), json_of(n)) << render_draft(n);
  EXPECT_EQ(back, n);
  EXPECT_TRUE(testing::strictly_equal(notice_to_json(back), notice_to_json(n))) << render_draft(n);
  EXPECT_TRUE(std::holds_alternative<int64_t>(back.timestamp->value));
  n.timestamp = Timestamp{1575334808.0};
  EXPECT_TRUE(std::holds_alternative<double>(round_trip(n).timestamp->value));
}

TEST(UsnDraft, ANoticeFiledWithoutItsIdGetsTheBareOne) {
  Notice n = small_notice();
  n.id_form = IdForm::absent;
  Notice back = round_trip(n);
  EXPECT_EQ(back.id_form, IdForm::bare);
  back.id_form = IdForm::absent;
  EXPECT_EQ(back, n);
}

TEST(UsnDraft, CommentsAddedByTheReviewerAreIgnored) {
  std::string text = render_draft(small_notice());
  size_t at = text.find("title:");
  text.insert(at, "# reviewed by alice\n  # an indented comment\n");
  text += "# trailing comment\n";
  EXPECT_EQ(json_of(parse_draft(text, "d.yaml")), json_of(small_notice()));
  EXPECT_EQ(parse_draft(text, "d.yaml"), small_notice());
}

TEST(UsnDraft, ErrorsNameLineColumnAndWhatWasExpected) {
  EXPECT_EQ(error_of("id: 4300-1\ntitle: [unclosed\nreleases: {}\n"),
            "d.yaml:3:9: YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(error_of("id: 4300-1\nreleases:\n  xenial:\n    sources:\n      linux:\n        version: 1.0\n"),
            "d.yaml:6:18: releases.xenial.sources.linux.version: expected a string, got a float (write it quoted: "
            "\"1.0\")");
  EXPECT_EQ(error_of("id: 4300-1\ncves: CVE-2019-1001\nreleases: {}\n"),
            "d.yaml:2:7: cves: expected a list of strings, got a string");
  EXPECT_EQ(error_of("id: 4300-1\ncves:\n  - CVE-1\n  - 12\nreleases: {}\n"),
            "d.yaml:4:5: cves[1]: expected a string, got an integer (write it quoted: \"12\")");
  EXPECT_EQ(error_of("id: 4300-1\ntitle:\nreleases: {}\n"), "d.yaml:2:1: title: expected a string, got an empty value");
  EXPECT_EQ(error_of("id: 4300-1\nreleases:\n  xenial:\n    archs:\n      amd64:\n        urls:\n          u:\n"
                     "            size: big\n"),
            "d.yaml:8:19: releases.xenial.archs.amd64.urls.u.size: expected an integer, got a string");
  EXPECT_EQ(error_of("id: 4300-1\ntimestamp: \"now\"\nreleases: {}\n"),
            "d.yaml:2:12: timestamp: expected a number, got a string");
  EXPECT_EQ(error_of("id: USN-43\nreleases: {}\n"),
            "d.yaml:1:5: id: expected a USN id such as 4313-1 or USN-4313-1, got `USN-43`");
  EXPECT_EQ(error_of("id: 4300-1\ntitle: a\ntitle: b\nreleases: {}\n"), "d.yaml:3:1: title: duplicate key");
  EXPECT_EQ(error_of("id: 4300-1\nreleases: []\n"), "d.yaml:2:11: releases: expected a mapping, got a list");
  EXPECT_EQ(error_of("- a list\n"),
            "d.yaml:1:1: expected a mapping of the notice's keys (id, title, summary, ..., releases)");
  EXPECT_EQ(error_of("# only a comment\n"),
            "d.yaml:1:1: expected a mapping of the notice's keys (id, title, summary, ..., releases)");
  EXPECT_EQ(error_of("id: 4300-1\nreleases: {}\n---\nid: 4300-2\n"),
            "d.yaml:4:1: a draft holds one notice; found a second YAML document");
  EXPECT_EQ(error_of("id: 4300-1\ntitle: !!binary aGk=\nreleases: {}\n"),
            "d.yaml:2:8: title: unsupported tag `tag:yaml.org,2002:binary` on `aGk=`");
  EXPECT_EQ(error_of("id: 4300-1\ntitle: x\n"), "d.yaml: top level: missing key `releases`");
  // A tag the core schema knows is honoured.
  Notice tagged = parse_draft("id: 4300-1\ntitle: !!str 1.0\ntimestamp: !!float 5\nreleases: {}\n", "d.yaml");
  EXPECT_EQ(tagged.title, "1.0");
  EXPECT_TRUE(std::holds_alternative<double>(tagged.timestamp->value));
}

TEST(UsnDraft, ProblemsBeforePublishingAreLocated) {
  Notice n = small_notice();
  n.description = "It was discovered that foo. (CVE-2019-1001)\n\nXXX FILL ME IN (CVE-2019-1002)\n";
  n.summary = "";
  n.title = std::nullopt;
  n.releases["bionic"] = Release{};
  n.releases["xenial"].binaries->emplace("linux-XXX-FIXME", BinaryEntry{"1", {}, {}, Json::object()});
  std::string text = render_draft(n);
  std::vector<util::Diagnostic> problems = draft_problems(text, "USN-4300-1.yaml");
  std::vector<std::string> got;
  for (const util::Diagnostic& d : problems) {
    got.push_back(util::format(d));
  }
  // Lines of the rendered draft (after the 6-line header; no title): id 7 (where the notice
  // starts, for a missing key), summary 8, isummary 9-10, cves 11-13, description 14 with its
  // XXX paragraph on 17, action 18-19, timestamp 20, releases 21, `bionic: {}` 22, then
  // xenial 23, its sources 24-27 and binaries 28, whose first key (sorted) is on 29.
  EXPECT_EQ(got, (std::vector<std::string>{
                     "USN-4300-1.yaml:7:1: error: title: missing; the notice needs one before it is published",
                     "USN-4300-1.yaml:8:10: error: summary: empty; the notice needs one before it is published",
                     "USN-4300-1.yaml:17:3: error: description: unreplaced template marker (XXX); write the text "
                     "before publishing",
                     "USN-4300-1.yaml:22:11: error: releases.bionic: no sources; name the fixed source packages",
                     "USN-4300-1.yaml:29:13: error: releases.xenial.binaries.linux-XXX-FIXME: unreplaced template "
                     "marker (XXX) in a key"}))
      << text;
  EXPECT_TRUE(draft_problems(render_draft(small_notice()), "d.yaml").empty());
}

TEST(UsnDraft, PathsAndTheDefaultDirectory) {
  EXPECT_EQ(draft_path("drafts", "4300-1"), "drafts/USN-4300-1.yaml");
  EXPECT_EQ(draft_path("drafts/", "USN-4300-1"), "drafts/USN-4300-1.yaml");
  EXPECT_EQ(draft_path("", "4300-1"), "USN-4300-1.yaml");
  ::setenv("KCT_USN_DRAFTS", "/srv/drafts", 1);
  EXPECT_EQ(default_draft_dir(), "/srv/drafts");
  ::unsetenv("KCT_USN_DRAFTS");
  EXPECT_EQ(default_draft_dir(), "usn-drafts");
}

} // namespace
} // namespace kct::usn
