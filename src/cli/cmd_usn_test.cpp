// `kct usn` end to end through the real binary, against a temporary SQLite store.
#include "cli/cmd_usn_test_support.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sqlite3.h>

namespace fs = std::filesystem;
using kct::testing::CommandResult;
using kct::testing::kct_usn;
using kct::testing::kct_usn_read;
using kct::testing::parse_out;
using kct::testing::ScopedTempDir;
using nlohmann::json;

namespace {

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

std::vector<std::string> shared_notice_files() {
  std::vector<std::string> files;
  fs::path dir = fs::path(kct::testing::shared_data_dir()) / "usn";
  if (fs::is_directory(dir)) {
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".json") {
        files.push_back(e.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A notice that passes every check rule.
json clean_notice(const std::string& id) {
  return {{"id", id},
          {"title", "Foo vulnerability"},
          {"summary", "foo: fixed"},
          {"description", "It was discovered that foo was bad. (CVE-2020-1000)"},
          {"cves", {"CVE-2020-1000"}},
          {"timestamp", 1577836800.5},
          {"releases",
           {{"bionic",
             {{"sources", {{"foo", {{"version", "1.0-1ubuntu0.1"}, {"description", "the foo tool"}}}}},
              {"binaries", {{"foo", {{"version", "1.0-1ubuntu0.1"}}}}}}}}}};
}

std::string write_notice(const ScopedTempDir& tmp, const json& notice) {
  return tmp.write(notice["id"].get<std::string>() + ".json", notice.dump(2));
}

} // namespace

TEST(UsnCliTest, HelpListsSubcommandsAndTheDefaultStore) {
  CommandResult r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"import", "export", "fetch", "show", "list", "history", "diff", "check", "new", "set",
                          "add-cve", "remove-cve", "add-source", "add-binary", "add-url", "remove", "backup"}) {
    EXPECT_NE(r.out.find(std::string("  ") + sub + " "), std::string::npos) << sub;
  }
  r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "import", "--help"});
  EXPECT_NE(r.out.find("$KCT_USN_DB, else usn.db"), std::string::npos) << r.out;
  r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "frobnicate"});
  EXPECT_EQ(r.exit_code, 1);
}

TEST(UsnCliRoundTrip, EverySharedNoticeThroughTheStoreAndBack) {
  std::vector<std::string> files = shared_notice_files();
  if (files.empty()) {
    ASSERT_FALSE(kct::testing::shared_data_present()) << "shared data present but no usn/*.json";
    GTEST_SKIP() << "no shared USN data";
  }
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  std::vector<std::string> args = {"import"};
  args.insert(args.end(), files.begin(), files.end());
  CommandResult r = kct_usn(db, args);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // One file per notice: each equal to its source (key order aside).
  r = kct_usn_read(db, {"export", "--format", "json", "--out", tmp.path() + "/out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json dict = json::object();
  for (const std::string& file : files) {
    json original = read_json(file);
    std::string name = fs::path(file).filename().string();
    EXPECT_EQ(read_json(tmp.path() + "/out/" + name), original) << name;
    dict[fs::path(file).stem().string()] = original;
  }
  // database.json: the same notices keyed by id.
  r = kct_usn_read(db, {"export", "--format", "database-json", "--out", tmp.path() + "/database.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_json(tmp.path() + "/database.json"), dict);
  // Pickle (protocols 2 and 5) into a second store: no difference.
  for (const char* protocol : {"2", "5"}) {
    std::string pickle = tmp.path() + "/database.pickle" + protocol;
    r = kct_usn_read(db, {"export", "--format", "pickle", "--protocol", protocol, "--out", pickle});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string db2 = tmp.path() + "/from-pickle" + protocol + ".db";
    r = kct_usn(db2, {"import", pickle});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "diff", "--exit-code", db, db2});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "");
  }
  // Python reads the pickle back as the same dict.
  r = kct::testing::run_command({"python3", "-c",
                                 "import json,pickle,sys; d=pickle.load(open(sys.argv[1],'rb'),encoding='utf-8'); "
                                 "print(json.dumps(d)==json.dumps(json.load(open(sys.argv[2])),sort_keys=False) or "
                                 "json.loads(json.dumps(d))==json.load(open(sys.argv[2])))",
                                 tmp.path() + "/database.pickle2", tmp.path() + "/database.json"});
  EXPECT_EQ(r.out, "True\n") << r.err;
}

TEST(UsnCliImport, BadFileImportsNothingAndNamesIt) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  std::string good = write_notice(tmp, clean_notice("5000-1"));
  std::string bad = tmp.write("bad.json", "{\"id\": \"5001-1\", \"title\": ");
  CommandResult r = kct_usn(db, {"import", good, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.json:1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing imported"), std::string::npos) << r.err;
  json unknown = clean_notice("5002-1");
  unknown["releases"]["narnia"] = json::object();
  r = kct_usn(db, {"import", good, write_notice(tmp, unknown)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown release 'narnia'"), std::string::npos) << r.err;
  std::string junk = tmp.write("junk.pickle", "\x80\x02garbage");
  r = kct_usn(db, {"import", good, junk});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("junk.pickle"), std::string::npos) << r.err;
  r = kct_usn_read(db, {"list"});
  EXPECT_EQ(r.out, "");
}

TEST(UsnCliEdit, EveryOperationThenShowAndHistory) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  ASSERT_EQ(kct_usn(db, {"new", "5000-1"}).exit_code, 0);
  EXPECT_EQ(kct_usn(db, {"new", "5000-1"}).exit_code, 1); // taken
  CommandResult r = kct_usn(db, {"new", "--reserve"});
  EXPECT_EQ(r.out, "USN 5001-1: revision 1\n") << r.err;
  EXPECT_EQ(kct_usn(db, {"set", "5000-1", "--title", "Foo vulnerability", "--summary", "foo: fixed"}).exit_code, 0);
  r = kct::testing::run_command(
      {"sh", "-c", "printf 'Line one.\\n\\nLine two.\\n' | \"$0\" usn set --usn-db \"$1\" 5000-1 --description -",
       kct::testing::kct_binary(), db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(kct_usn(db, {"set", "5000-1", "--action", "Reboot.", "--isummary", "Plain words."}).exit_code, 0);
  EXPECT_EQ(kct_usn(db, {"add-cve", "5000-1", "CVE-2020-1", "CVE-2020-2", "CVE-2020-3"}).exit_code, 0);
  EXPECT_EQ(kct_usn(db, {"remove-cve", "5000-1", "CVE-2020-2"}).exit_code, 0);
  r = kct_usn(db, {"remove-cve", "5000-1", "CVE-2020-9"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("CVE-2020-9 is not in the cves of USN 5000-1"), std::string::npos) << r.err;
  EXPECT_EQ(kct_usn(db, {"add-source", "5000-1", "bionic", "foo", "1.0", "--description", "the foo"}).exit_code, 0);
  EXPECT_EQ(kct_usn(db, {"add-binary", "5000-1", "bionic", "foo-bin", "1.0", "--pocket", "security"}).exit_code, 0);
  EXPECT_EQ(kct_usn(db, {"add-binary", "5000-1", "bionic", "libfoo", "1.0", "--all", "--source", "foo"}).exit_code, 0);
  EXPECT_EQ(kct_usn(db, {"add-url", "5000-1", "bionic", "amd64", "http://x/foo.deb", "--size", "42", "--md5",
                         "0123456789abcdef0123456789abcdef"})
                .exit_code,
            0);
  r = kct_usn(db, {"add-source", "5000-1", "narnia", "foo", "1.0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown release 'narnia'"), std::string::npos) << r.err;

  r = kct_usn_read(db, {"show", "5000-1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json shown = parse_out(r);
  EXPECT_EQ(shown["revision"], 10);
  json n = shown["notice"];
  EXPECT_EQ(n["id"], "5000-1");
  EXPECT_EQ(n["title"], "Foo vulnerability");
  EXPECT_EQ(n["description"], "Line one.\n\nLine two.");
  EXPECT_EQ(n["isummary"], "Plain words.");
  EXPECT_EQ(n["cves"], json({"CVE-2020-1", "CVE-2020-3"}));
  json bionic = n["releases"]["bionic"];
  EXPECT_EQ(bionic["sources"], json({{"foo", {{"version", "1.0"}, {"description", "the foo"}}}}));
  EXPECT_EQ(bionic["binaries"], json({{"foo-bin", {{"version", "1.0"}, {"pocket", "security"}}}}));
  EXPECT_EQ(bionic["allbinaries"], json({{"libfoo", {{"version", "1.0"}, {"source", "foo"}}}}));
  EXPECT_EQ(bionic["archs"]["amd64"]["urls"]["http://x/foo.deb"],
            json({{"md5", "0123456789abcdef0123456789abcdef"}, {"size", 42}}));
  r = kct_usn_read(db, {"show", "USN-5000-1"});
  EXPECT_NE(r.out.find("USN-5000-1 (revision 10)"), std::string::npos) << r.out;

  EXPECT_EQ(kct_usn_read(db, {"list", "--cve", "CVE-2020-3"}).out, "5000-1 Foo vulnerability\n");
  EXPECT_EQ(kct_usn_read(db, {"list", "--package", "libfoo", "--release", "bionic"}).out, "5000-1 Foo vulnerability\n");
  EXPECT_EQ(kct_usn_read(db, {"list", "--cve", "CVE-2020-2"}).out, "");

  r = kct_usn_read(db, {"history", "5000-1", "--json"});
  json history = parse_out(r);
  ASSERT_EQ(history.size(), 10u) << r.out;
  EXPECT_EQ(history[0]["action"], "create");
  EXPECT_EQ(history[0]["author"], "tester");
  EXPECT_EQ(history[9]["revision"], 10);

  EXPECT_EQ(kct_usn(db, {"remove", "5000-1"}).exit_code, 0);
  EXPECT_EQ(kct_usn_read(db, {"show", "5000-1"}).exit_code, 1);
}

TEST(UsnCliEdit, StaleRevisionIsRefusedNotOverwritten) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  ASSERT_EQ(kct_usn(db, {"new", "5000-1"}).exit_code, 0);
  // Two publishers read the same revision…
  int64_t first = parse_out(kct_usn_read(db, {"show", "5000-1", "--json"}))["revision"];
  int64_t second = parse_out(kct_usn_read(db, {"show", "5000-1", "--json"}))["revision"];
  ASSERT_EQ(first, second);
  // …both write: the first wins, the second is refused with the ConflictError message.
  CommandResult a = kct_usn(db, {"set", "5000-1", "--title", "Alice", "--expect-revision", std::to_string(first)});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  CommandResult b = kct_usn(db, {"add-cve", "5000-1", "CVE-2020-9", "--expect-revision", std::to_string(second)});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("changed since you read revision 1"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("by tester"), std::string::npos) << b.err;
  json n = parse_out(kct_usn_read(db, {"show", "5000-1", "--json"}))["notice"];
  EXPECT_EQ(n["title"], "Alice");
  EXPECT_FALSE(n.contains("cves"));
  EXPECT_EQ(kct_usn(db, {"remove", "5000-1", "--expect-revision", "1"}).exit_code, 1);
}

struct CheckCase {
  const char* name;
  void (*mutate)(json&);
  const char* message; // "" for the passing case
  int exit_code;
};

class UsnCliCheck : public ::testing::TestWithParam<CheckCase> {};

TEST_P(UsnCliCheck, Rule) {
  const CheckCase& c = GetParam();
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  json notice = clean_notice("5000-1");
  c.mutate(notice);
  ASSERT_EQ(kct_usn(db, {"import", write_notice(tmp, notice)}).exit_code, 0);
  CommandResult r = kct_usn_read(db, {"check"});
  EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
  if (*c.message == '\0') {
    EXPECT_EQ(r.out, "");
  } else {
    EXPECT_NE(r.out.find(std::string("5000-1: ") + c.message), std::string::npos) << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    UsnCliRules, UsnCliCheck,
    ::testing::Values(
        CheckCase{"clean", [](json&) {}, "", 0},
        CheckCase{"no_description", [](json& n) { n.erase("description"); }, "error: no description", 1},
        CheckCase{"no_title", [](json& n) { n.erase("title"); }, "error: no title", 1},
        CheckCase{"no_summary", [](json& n) { n.erase("summary"); }, "error: no summary", 1},
        CheckCase{"xxx_description", [](json& n) { n["description"] = "XXX fill in"; },
                  "error: unreplaced XXX in description", 1},
        CheckCase{"xxx_title", [](json& n) { n["title"] = "XXX"; }, "error: unreplaced XXX in title", 1},
        CheckCase{"xxx_summary", [](json& n) { n["summary"] = "XXX"; }, "error: unreplaced XXX in summary", 1},
        CheckCase{"xxx_action", [](json& n) { n["action"] = "XXX"; }, "error: unreplaced XXX in action", 1},
        CheckCase{"xxx_cves", [](json& n) { n["cves"].push_back("CVE-2020-XXXX"); },
                  "error: unreplaced XXX in cves: CVE-2020-XXXX", 1},
        CheckCase{"action_fine", [](json& n) { n["action"] = "Reboot."; }, "", 0},
        CheckCase{"xxx_isummary", [](json& n) { n["isummary"] = "XXX"; }, "warning: unreplaced XXX in isummary", 0},
        CheckCase{"isummary_fine", [](json& n) { n["isummary"] = "Fine."; }, "", 0},
        CheckCase{"needed_binary", [](json& n) { n["releases"]["bionic"]["binaries"]["foo"]["version"] = "(needed)"; },
                  "warning: binary foo in bionic has version (needed)", 0},
        CheckCase{"no_binaries", [](json& n) { n["releases"]["bionic"].erase("binaries"); },
                  "warning: release bionic has no binaries", 0}),
    [](const ::testing::TestParamInfo<CheckCase>& info) { return std::string(info.param.name); });

TEST(UsnCliCheckDuplicates, SawTwiceOnlyBetweenNoticesWithCves) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  json second = clean_notice("5001-1");
  json legacy = clean_notice("5002-1");
  legacy.erase("cves"); // usn_lib skips notices without cves
  ASSERT_EQ(kct_usn(db, {"import", write_notice(tmp, clean_notice("5000-1")), write_notice(tmp, legacy)}).exit_code, 0);
  CommandResult r = kct_usn_read(db, {"check"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  ASSERT_EQ(kct_usn(db, {"import", write_notice(tmp, second)}).exit_code, 0);
  r = kct_usn_read(db, {"check", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  json expected = json::array({{{"usn", "5001-1"},
                                {"severity", "error"},
                                {"message", "Saw foo 1.0-1ubuntu0.1 in bionic twice (also in USN 5000-1)"}}});
  EXPECT_EQ(parse_out(r), expected);
}

TEST(UsnCliDiff, AddedRemovedChangedWithKeys) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  ASSERT_EQ(
      kct_usn(db, {"import", write_notice(tmp, clean_notice("5000-1")), write_notice(tmp, clean_notice("5001-1"))})
          .exit_code,
      0);
  json changed = clean_notice("5000-1");
  changed["title"] = "Other";
  changed["releases"]["bionic"]["binaries"]["foo"]["version"] = "2";
  changed["releases"]["xenial"] = changed["releases"]["bionic"];
  json dict = {{"5000-1", changed}, {"5002-1", clean_notice("5002-1")}};
  std::string file = tmp.write("database.json", dict.dump());
  CommandResult r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "diff", db, file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "changed 5000-1: releases.bionic.binaries, releases.xenial, title\nremoved 5001-1\nadded 5002-1\n");
  r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "diff", "--exit-code", db, file});
  EXPECT_EQ(r.exit_code, 1);
  r = kct::testing::run_command({kct::testing::kct_binary(), "usn", "diff", db, tmp.path() + "/missing"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing: no such store or file"), std::string::npos) << r.err;
}

TEST(UsnCliBackup, ConsistentCopiesWhileAnotherProcessWrites) {
  ScopedTempDir tmp;
  std::string db = tmp.path() + "/usn.db";
  ASSERT_EQ(kct_usn(db, {"import", write_notice(tmp, clean_notice("5000-1"))}).exit_code, 0);
  const int writes = 30;
  pid_t writer = kct::testing::spawn_quiet(
      {"sh", "-c",
       "i=0; while [ $i -lt " + std::to_string(writes) +
           " ]; do i=$((i+1)); \"$0\" usn add-cve --usn-db \"$1\" 5000-1 CVE-2021-$i || exit 1; done",
       kct::testing::kct_binary(), db});
  ASSERT_GT(writer, 0);
  for (int i = 0; i < 5; ++i) {
    std::string copy = tmp.path() + "/backup" + std::to_string(i) + ".db";
    CommandResult r = kct_usn_read(db, {"backup", copy});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(copy.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    // The copy is a store whose notice and history agree: revision N has N history entries.
    json shown = parse_out(kct_usn_read(copy, {"show", "5000-1", "--json"}));
    size_t cves = shown["notice"]["cves"].size();
    EXPECT_EQ(shown["revision"].get<size_t>(), cves);
    EXPECT_EQ(parse_out(kct_usn_read(copy, {"history", "5000-1", "--json"})).size(), cves);
  }
  EXPECT_EQ(kct::testing::wait_exit(writer), 0);
  json shown = parse_out(kct_usn_read(db, {"show", "5000-1", "--json"}));
  EXPECT_EQ(shown["notice"]["cves"].size(), 1u + writes);
  std::string last = tmp.path() + "/last.db";
  ASSERT_EQ(kct_usn_read(db, {"backup", last}).exit_code, 0);
  EXPECT_EQ(kct::testing::run_command({kct::testing::kct_binary(), "usn", "diff", "--exit-code", db, last}).exit_code,
            0);
}
