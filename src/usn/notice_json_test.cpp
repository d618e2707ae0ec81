#include "usn/notice_json.h"

#include "usn/json_io.h"
#include "usn/usn_test_support.h"
#include "util/error.h"
#include "util/files.h"

#include <gtest/gtest.h>

namespace kct::usn {
namespace {

using testing::published_notice_paths;
using testing::strictly_equal;

std::string error_of(const Json& value, std::string_view dict_key = "") {
  try {
    notice_from_json(value, "4151-2.json", dict_key);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

Json minimal() {
  return Json::parse(R"({"id": "USN-4151-2", "timestamp": 1575912345.123456,
    "releases": {"bionic": {"binaries": {"linux-image-4.15.0-72-generic": {"version": "4.15.0-72.81"}}}}})");
}

TEST(NoticeJson, RoundTripsEveryPublishedNotice) {
  std::vector<std::string> paths = published_notice_paths();
  if (paths.empty() && !std::filesystem::exists(testing::published_dir())) {
    ASSERT_FALSE(kct::testing::shared_data_present())
        << "shared data present but " << testing::published_dir() << " missing";
    GTEST_SKIP() << "no shared USN data";
  }
  ASSERT_GE(paths.size(), 60u);
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    std::string text;
    ASSERT_FALSE(util::read_file(path, text));
    Json original = Json::parse(text);
    Notice notice = read_notice_file(path); // throws, failing the test, on a decoding error
    Json back = notice_to_json(notice);
    EXPECT_TRUE(strictly_equal(original, back)) << Json::diff(original, back).dump();
    // And through the text form, as a file written by kct would be read again.
    EXPECT_EQ(parse_notice(dump_notice(notice), path), notice);
  }
}

TEST(NoticeJson, ReadsTheKeysOfAKernelNotice) {
  std::string path = testing::published_dir() + "/4184-1.json";
  if (!std::filesystem::exists(path)) {
    ASSERT_FALSE(kct::testing::shared_data_present());
    GTEST_SKIP();
  }
  Notice notice = read_notice_file(path);
  EXPECT_EQ(notice.id, "4184-1");
  EXPECT_EQ(notice.id_form, IdForm::prefixed);
  ASSERT_TRUE(notice.timestamp);
  EXPECT_DOUBLE_EQ(notice.timestamp->seconds(), 1573605914.198936);
  const Release& bionic = notice.releases.at("bionic");
  const BinaryEntry& image = bionic.allbinaries->at("linux-image-5.0.0-35-generic");
  EXPECT_EQ(image.pocket, "security");
  EXPECT_EQ(image.source, "linux-signed-hwe");
  EXPECT_EQ(bionic.sources->at("linux-hwe").description, "Linux hardware enablement (HWE) kernel");
  EXPECT_GT(bionic.archs->at("amd64").urls->size(), 100u);
}

TEST(NoticeJson, KeepsUnknownKeysAtEveryLevel) {
  Json value = minimal();
  value["is_hidden"] = "False";
  value["releases"]["bionic"]["esm"] = true;
  value["releases"]["bionic"]["binaries"]["linux-image-4.15.0-72-generic"]["arch"] = {"amd64"};
  value["releases"]["bionic"]["sources"] = {{"linux", {{"version", "1"}, {"component", "main"}}}};
  value["releases"]["bionic"]["archs"] = {
      {"amd64", {{"signed", 1}, {"urls", {{"http://x/a.deb", {{"md5", "ab"}, {"size", 5}, {"sha256", "cd"}}}}}}}};
  Notice notice = notice_from_json(value, "t.json");
  EXPECT_EQ(notice.extras, Json({{"is_hidden", "False"}}));
  EXPECT_EQ(notice.releases.at("bionic").extras, Json({{"esm", true}}));
  EXPECT_EQ(notice.releases.at("bionic").sources->at("linux").extras, Json({{"component", "main"}}));
  EXPECT_TRUE(strictly_equal(notice_to_json(notice), value));
}

TEST(NoticeJson, KeepsIntegerAndFloatTimestampsApart) {
  Json value = minimal();
  value["timestamp"] = 1575912345;
  Json back = notice_to_json(notice_from_json(value, "t.json"));
  EXPECT_TRUE(back["timestamp"].is_number_integer());
  value["timestamp"] = 1575912345.0;
  back = notice_to_json(notice_from_json(value, "t.json"));
  EXPECT_TRUE(back["timestamp"].is_number_float());
  EXPECT_TRUE(strictly_equal(back, value));
}

TEST(NoticeJson, KeepsAbsentApartFromEmpty) {
  Json value = minimal();
  value["cves"] = Json::array();
  value["releases"]["bionic"]["sources"] = Json::object();
  Notice notice = notice_from_json(value, "t.json");
  ASSERT_TRUE(notice.cves);
  EXPECT_TRUE(notice.cves->empty());
  EXPECT_TRUE(notice.releases.at("bionic").sources);
  EXPECT_FALSE(notice.releases.at("bionic").allbinaries);
  EXPECT_FALSE(notice_from_json(minimal(), "t.json").cves);
  EXPECT_TRUE(strictly_equal(notice_to_json(notice), value));
}

TEST(NoticeJson, NamesTheFileAndPathOfABadValue) {
  Json value = minimal();
  value["releases"]["bionic"]["binaries"]["linux-image-4.15.0-72-generic"] = "4.15.0-72.81";
  EXPECT_EQ(error_of(value), "4151-2.json: releases.bionic.binaries[\"linux-image-4.15.0-72-generic\"]: "
                             "expected an object, got a string");
  value = minimal();
  value["cves"] = {"CVE-2019-1", 7};
  EXPECT_EQ(error_of(value), "4151-2.json: cves[1]: expected a string, got an integer");
  value = minimal();
  value["timestamp"] = "yesterday";
  EXPECT_EQ(error_of(value), "4151-2.json: timestamp: expected a number, got a string");
  value = minimal();
  value["releases"]["bionic"]["archs"] = {{"amd64", {{"urls", {{"http://x/a.deb", {{"size", 1.5}}}}}}}};
  EXPECT_EQ(error_of(value), "4151-2.json: releases.bionic.archs.amd64.urls[\"http://x/a.deb\"].size: "
                             "expected an integer, got a float");
  EXPECT_EQ(error_of(Json::array()), "4151-2.json: top level: expected an object, got an array");
}

TEST(NoticeJson, ChecksTheId) {
  Json value = minimal();
  value.erase("id");
  EXPECT_EQ(error_of(value), "4151-2.json: top level: missing key `id`");
  EXPECT_EQ(notice_from_json(value, "database.json", "4151-2").id_form, IdForm::absent);
  value["id"] = "USN-N-1";
  EXPECT_EQ(error_of(value), "4151-2.json: id: expected a USN id such as 4313-1 or USN-4313-1, got `USN-N-1`");
  value["id"] = "4151-3";
  EXPECT_EQ(error_of(value, "4151-2"), "4151-2.json: 4151-2.id: `4151-3` does not match the key `4151-2` it is "
                                       "filed under");
  value = minimal();
  value.erase("releases");
  EXPECT_EQ(error_of(value), "4151-2.json: top level: missing key `releases`");
}

TEST(UsnId, ParsesAndOrdersNumerically) {
  ASSERT_TRUE(parse_usn_id("USN-4151-2"));
  EXPECT_EQ(parse_usn_id("USN-4151-2")->text(), "4151-2");
  EXPECT_FALSE(parse_usn_id("N-1"));
  EXPECT_FALSE(parse_usn_id("4151"));
  EXPECT_FALSE(parse_usn_id("4151--2"));
  EXPECT_FALSE(parse_usn_id("4151-2x"));
  EXPECT_TRUE(usn_id_less("4151-2", "4151-10"));
  EXPECT_TRUE(usn_id_less("999-1", "4151-1"));
  EXPECT_FALSE(usn_id_less("4151-1", "4151-1"));
}

} // namespace
} // namespace kct::usn
