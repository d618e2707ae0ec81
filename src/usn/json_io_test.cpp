#include "usn/json_io.h"

#include "usn/notice_json.h"
#include "usn/usn_test_support.h"
#include "util/error.h"
#include "util/files.h"

#include <gtest/gtest.h>

namespace kct::usn {
namespace {

using testing::published_notice_paths;
using testing::strictly_equal;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const char* k_small = R"({"id": "4151-2", "title": "Python vulnerabilities", "cves": ["CVE-2019-9636"],
  "timestamp": 1570000000.5, "releases": {"trusty": {"sources": {"python2.7": {"version": "2.7.6-8ubuntu0.6+esm2",
  "description": "An interactive high-level object-oriented language"}}, "binaries": {"python2.7":
  {"version": "2.7.6-8ubuntu0.6+esm2", "pocket": "esm-infra"}}}}})";

TEST(UsnJsonIo, MalformedJsonGivesFileLineAndColumn) {
  kct::testing::ScopedTempDir dir;
  std::string path = dir.write("4151-2.json", "{\n  \"id\": \"USN-4151-2\",\n  \"title\": oops\n}\n");
  EXPECT_EQ(error_of([&] { read_notice_file(path); }),
            path + ":3:12: malformed JSON: syntax error while parsing value - invalid literal; last read: "
                   "'\"title\": o'");
  EXPECT_EQ(error_of([&] { read_notice_file(dir.path() + "/missing.json"); }),
            dir.path() + "/missing.json: cannot read: No such file or directory");
}

TEST(UsnJsonIo, BadValueInAFileNamesFileAndPath) {
  kct::testing::ScopedTempDir dir;
  Json value = Json::parse(k_small);
  value["releases"]["trusty"]["sources"] = Json::array();
  std::string path = dir.write("4151-2.json", value.dump());
  EXPECT_EQ(error_of([&] { read_notice_file(path); }),
            path + ": releases.trusty.sources: expected an object, got an array");
}

TEST(UsnJsonIo, DatabaseDictRoundTripsEveryPublishedNotice) {
  std::vector<std::string> paths = published_notice_paths();
  if (paths.empty()) {
    ASSERT_FALSE(kct::testing::shared_data_present());
    GTEST_SKIP() << "no shared USN data";
  }
  std::vector<Notice> notices;
  for (const std::string& path : paths) {
    notices.push_back(read_notice_file(path));
  }
  kct::testing::ScopedTempDir dir;
  std::string path = dir.path() + "/database.json";
  write_database_file(path, notices);
  std::vector<Notice> back = read_database_file(path);
  ASSERT_EQ(back.size(), notices.size());
  for (size_t i = 0; i < notices.size(); ++i) {
    SCOPED_TRACE(notices[i].id);
    EXPECT_EQ(back[i], notices[i]);
  }
  std::string text;
  ASSERT_FALSE(util::read_file(path, text));
  EXPECT_TRUE(strictly_equal(Json::parse(text), database_to_json(back)));
}

TEST(UsnJsonIo, DatabaseDictKeysSupplyAndCheckIds) {
  Json notice = Json::parse(k_small);
  notice.erase("id");
  Json dict = {{"4151-2", notice}, {"999-1", notice}};
  dict["999-1"]["id"] = "999-1";
  std::vector<Notice> notices = parse_database(dict.dump(), "database.json");
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].id, "999-1"); // numeric order
  EXPECT_EQ(notices[1].id_form, IdForm::absent);
  EXPECT_TRUE(strictly_equal(database_to_json(notices), dict));
  dict["4151-2"]["releases"]["trusty"]["binaries"]["python2.7"]["version"] = 2;
  EXPECT_EQ(error_of([&] { parse_database(dict.dump(), "database.json"); }),
            "database.json: 4151-2.releases.trusty.binaries[\"python2.7\"].version: expected a string, got an integer");
  EXPECT_EQ(error_of([&] { parse_database("[]", "database.json"); }),
            "database.json: top level: expected an object of notices keyed by USN id");
}

TEST(UsnJsonIo, DatabaseDictRefusesTwoNoticesWithOneId) {
  Notice notice = parse_notice(k_small, "4151-2.json");
  EXPECT_EQ(error_of([&] {
              database_to_json({notice, notice});
            }),
            "USN 4151-2 appears twice; database.json holds one notice per id");
}

TEST(UsnJsonIo, WritesANoticeFileThatReadsBack) {
  kct::testing::ScopedTempDir dir;
  Notice notice = parse_notice(k_small, "4151-2.json");
  notice.description = "caf\xc3\xa9\n";
  std::string path = dir.path() + "/4151-2.json";
  write_notice_file(path, notice);
  std::string text;
  ASSERT_FALSE(util::read_file(path, text));
  EXPECT_NE(text.find("caf\\u00e9"), std::string::npos); // ASCII, as published
  EXPECT_EQ(read_notice_file(path), notice);
}

} // namespace
} // namespace kct::usn
