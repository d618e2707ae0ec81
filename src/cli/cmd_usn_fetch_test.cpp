// `kct usn fetch` against a real HTTP server on 127.0.0.1 (python3 -m http.server).
#include "cli/cmd_usn_test_support.h"
#include "support/http_server.h"

#include <bzlib.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

using kct::testing::CommandResult;
using kct::testing::HttpServer;
using kct::testing::kct_usn;
using kct::testing::kct_usn_read;
using kct::testing::ScopedTempDir;
using nlohmann::json;

namespace {

std::string bzip2(const std::string& data) {
  std::string out(data.size() + data.size() / 100 + 600, '\0');
  unsigned int size = static_cast<unsigned int>(out.size());
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(data.data()),
                                     static_cast<unsigned int>(data.size()), 9, 0, 0),
            BZ_OK);
  out.resize(size);
  return out;
}

std::string sha256sum(const ScopedTempDir& tmp, const std::string& name) {
  CommandResult r = kct::testing::run_command({"sha256sum", tmp.path() + "/www/" + name});
  return r.out.substr(0, 64);
}

json database() {
  json notice = {{"id", "5000-1"},
                 {"title", "Foo vulnerability"},
                 {"summary", "foo: fixed"},
                 {"description", "Bad. (CVE-2020-1000)"},
                 {"cves", {"CVE-2020-1000"}},
                 {"timestamp", 1577836800.5},
                 {"releases", {{"bionic", {{"sources", {{"foo", {{"version", "1.0"}}}}}}}}}};
  json second = notice;
  second["id"] = "5001-1";
  return {{"5000-1", notice}, {"5001-1", second}};
}

} // namespace

TEST(UsnCliFetch, ChecksumBz2NotFound) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  // A pickle, bzip2-compressed, with sha256sum's `<hex>  <name>` beside it.
  std::string json_path = tmp.write("www/database.json", database().dump());
  CommandResult r = kct::testing::run_command(
      {"python3", "-c",
       "import json,pickle,sys; pickle.dump(json.load(open(sys.argv[1])), open(sys.argv[2],'wb'), protocol=2)",
       json_path, tmp.path() + "/www/database.pickle"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pickle;
  {
    std::ifstream in(tmp.path() + "/www/database.pickle", std::ios::binary);
    pickle.assign(std::istreambuf_iterator<char>(in), {});
  }
  tmp.write("www/database.pickle.bz2", bzip2(pickle));
  tmp.write("www/database.pickle.bz2.sha256", sha256sum(tmp, "database.pickle.bz2") + "  database.pickle.bz2\n");
  // Plain JSON with the bare hex; and one whose checksum is wrong.
  tmp.write("www/database.json.sha256", sha256sum(tmp, "database.json") + "\n");
  tmp.write("www/bad.json", database().dump());
  tmp.write("www/bad.json.sha256", std::string(64, '0') + "  bad.json\n");

  HttpServer server(tmp.path() + "/www");
  ASSERT_TRUE(server.up());

  std::string bad = server.url("bad.json");
  r = kct_usn(db, {"fetch", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad + ": checksum mismatch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing imported"), std::string::npos) << r.err;
  EXPECT_EQ(kct_usn_read(db, {"list"}).out, "");

  std::string missing = server.url("missing.pickle.bz2");
  r = kct_usn(db, {"fetch", missing});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(missing + ": download failed: HTTP 404"), std::string::npos) << r.err;
  EXPECT_EQ(kct_usn_read(db, {"list"}).out, "");

  r = kct_usn(db, {"fetch", server.url("database.pickle.bz2"), "--save", tmp.path() + "/saved.pickle"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(kct_usn_read(db, {"list"}).out, "5000-1 Foo vulnerability\n5001-1 Foo vulnerability\n");
  CommandResult same = kct::testing::run_command(
      {kct::testing::kct_binary(), "usn", "diff", "--exit-code", db, tmp.path() + "/www/database.json"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_EQ(
      kct::testing::run_command({"cmp", tmp.path() + "/saved.pickle", tmp.path() + "/www/database.pickle"}).exit_code,
      0);

  std::string db2 = tmp.path() + "/json.db";
  r = kct_usn(db2, {"fetch", server.url("database.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(kct_usn_read(db2, {"list", "--cve", "CVE-2020-1000"}).out.size(), kct_usn_read(db, {"list"}).out.size());
}
