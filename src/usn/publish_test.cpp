// `kct usn publish` as a library call, over a small tracker written here, a real SQLite file
// (and PostgreSQL for the store step), and drafts rendered by draft.h: what a publish
// stores, marks and writes; that publishing again changes nothing; and that a failure half
// way leaves the store and the tracker as they were.
#include "usn/publish.h"

#include "usn/draft.h"
#include "usn/json_io.h"
#include "usn/notice_json.h"
#include "usn/postgres_store.h"
#include "usn/sqlite_store.h"
#include "usn/store_contract_test.h"
#include "usn/usn_test_support.h"

#include "db/sqlite.h"
#include "util/files.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kct::usn {
namespace {

namespace fs = std::filesystem;

constexpr double k_now = 1577836800.25; // 2020-01-01T00:00:00.25Z

std::string cve_text(const std::string& id, const std::string& statuses, const std::string& public_date) {
  return "Candidate: " + id + "\nPublicDate: " + public_date +
         "\nReferences:\n https://cve.mitre.org/cgi-bin/cvename.cgi?name=" + id +
         "\nDescription:\n A flaw.\nUbuntu-Description:\nNotes:\nMitigation:\nBugs:\nPriority: medium\n"
         "Discovered-by:\nAssigned-to:\nCVSS:\n\n" +
         statuses;
}

Notice kernel_notice() {
  Notice n;
  n.id = "4300-1";
  n.title = "Linux kernel vulnerabilities";
  n.summary = "linux, linux-aws vulnerabilities";
  n.isummary = "Several security issues were fixed in the Linux kernel.\n";
  n.description = "It was discovered that the foo driver in the Linux kernel did not check\nlengths. A local "
                  "attacker could use this to cause a denial of service\n(system crash). (CVE-2019-1001)\n\nIt was "
                  "discovered that the bar subsystem leaked memory. (CVE-2019-1002)\n\nA flaw in baz. "
                  "(CVE-2019-1003)\n";
  n.action = "After a standard system update you need to reboot your computer to make\nall the necessary changes.\n";
  n.cves = std::vector<std::string>{"CVE-2019-1001", "CVE-2019-1002", "CVE-2019-1003"};
  Release xenial;
  xenial.sources = std::map<std::string, SourceEntry>{
      {"linux", SourceEntry{"4.4.0-170.199", "Linux kernel", Json::object()}},
      {"linux-aws",
       SourceEntry{"4.4.0-1099.110", "Linux kernel for Amazon Web Services (AWS) systems", Json::object()}}};
  xenial.binaries = std::map<std::string, BinaryEntry>{
      {"linux-image-4.4.0-170-generic", BinaryEntry{"4.4.0-170.199", "security", {}, Json::object()}},
      {"linux-image-4.4.0-1099-aws", BinaryEntry{"4.4.0-1099.110", "security", {}, Json::object()}}};
  Release bionic;
  bionic.sources =
      std::map<std::string, SourceEntry>{{"linux", SourceEntry{"4.15.0-74.84", "Linux kernel", Json::object()}}};
  bionic.binaries = std::map<std::string, BinaryEntry>{
      {"linux-image-4.15.0-74-generic", BinaryEntry{"4.15.0-74.84", "security", {}, Json::object()}}};
  n.releases["xenial"] = xenial;
  n.releases["bionic"] = bionic;
  return n;
}

// Every regular file under `dir`, by path.
std::map<std::string, std::string> files_under(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) {
    return out;
  }
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      std::string bytes;
      util::read_file(e.path().string(), bytes);
      out[e.path().string()] = bytes;
    }
  }
  return out;
}

ino_t inode(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_ino;
}

class PublishBase : public ::testing::Test {
protected:
  void SetUp() override {
    m_tmp.write("tracker/active/CVE-2019-1001",
                cve_text("CVE-2019-1001",
                         "Patches_linux:\nupstream_linux: released (5.4)\nxenial_linux: pending (4.4.0-170.199)\n"
                         "bionic_linux: needed\n\nPatches_linux-aws:\nxenial_linux-aws: pending (4.4.0-1099.110)\n",
                         "2019-11-04"));
    m_tmp.write("tracker/active/CVE-2019-1002",
                cve_text("CVE-2019-1002",
                         "Patches_linux:\nupstream_linux: released (5.4)\nxenial_linux: pending (4.4.0-170.199)\n"
                         "bionic_linux: released (4.15.0-70.79)\n",
                         "2019-11-05"));
    m_tmp.write("tracker/ignored/not-for-us.txt", "");
    write_draft(kernel_notice());
  }

  void write_draft(const Notice& n) {
    m_tmp.write("drafts/" + fs::path(draft_path("", n.id)).string(), render_draft(n));
  }
  std::string root() const { return m_tmp.path() + "/tracker"; }
  std::string tracker_file(const std::string& cve) const { return root() + "/active/" + cve; }
  std::string read(const std::string& path) const {
    std::string bytes;
    util::read_file(path, bytes);
    return bytes;
  }

  PublishOptions options() const {
    PublishOptions o;
    o.draft_dir = m_tmp.path() + "/drafts";
    o.website_dir = m_tmp.path() + "/web";
    o.json_dir = m_tmp.path() + "/json";
    o.osv_dir = m_tmp.path() + "/osv";
    o.author = Author{"tester", "publish test"};
    o.now = k_now;
    return o;
  }

  PublishResult publish(Store& store, const std::string& id = "4300-1") {
    return publish_notice(id, store, PublishTracker{root(), {}, {}}, kct::testing::source_catalog(), options());
  }

  std::string publish_error(Store& store, const std::string& id = "4300-1") {
    try {
      publish(store, id);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }

  // The tracker and every output, and the store's notices and history: what must not move.
  struct State {
    std::map<std::string, std::string> files;
    std::vector<std::string> ids;
    size_t history = 0;
    bool operator==(const State&) const = default;
  };
  State state(Store& store) {
    State s{files_under(root()), store.list(), store.history().size()};
    for (const char* dir : {"web", "json", "osv"}) {
      std::map<std::string, std::string> out = files_under(m_tmp.path() + "/" + dir);
      s.files.insert(out.begin(), out.end());
    }
    return s;
  }

  kct::testing::ScopedTempDir m_tmp;
};

// The same publish against both store backends.
class PublishStoreTest : public PublishBase, public ::testing::WithParamInterface<std::string> {
protected:
  std::unique_ptr<Store> open_store() {
    if (GetParam() == "postgres") {
      if (m_uri.empty()) {
        m_uri = testing::fresh_postgres_uri();
      }
      return std::make_unique<PostgresStore>(m_uri);
    }
    return std::make_unique<SqliteStore>(m_tmp.path() + "/usn.db");
  }
  std::string m_uri;
};

TEST_P(PublishStoreTest, StoresTheNoticeMarksTheTrackerAndWritesTheOutputs) {
  std::unique_ptr<Store> store = open_store();
  PublishResult r = publish(*store);
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.revision, 1);
  std::optional<StoredNotice> stored = store->get("4300-1");
  ASSERT_TRUE(stored);
  Notice expected = kernel_notice();
  expected.timestamp = Timestamp{k_now};
  EXPECT_EQ(stored->notice, expected);
  EXPECT_EQ(r.tracker_files, (std::vector<std::string>{tracker_file("CVE-2019-1001"), tracker_file("CVE-2019-1002")}));

  std::string one = read(tracker_file("CVE-2019-1001"));
  EXPECT_TRUE(one.starts_with("PublicDateAtUSN: 2019-11-04\nCandidate: CVE-2019-1001\n")) << one;
  EXPECT_NE(one.find("name=CVE-2019-1001\n https://usn.ubuntu.com/usn/usn-4300-1\nDescription:"), std::string::npos)
      << one;
  EXPECT_NE(one.find("Ubuntu-Description:\n It was discovered that the foo driver in the Linux kernel did not check\n"),
            std::string::npos)
      << one;
  EXPECT_NE(one.find("xenial_linux: released (4.4.0-170.199)\nbionic_linux: released (4.15.0-74.84)\n"),
            std::string::npos)
      << one;
  EXPECT_NE(one.find("xenial_linux-aws: released (4.4.0-1099.110)\n"), std::string::npos) << one;
  std::string two = read(tracker_file("CVE-2019-1002"));
  EXPECT_NE(two.find("xenial_linux: released (4.4.0-170.199)\nbionic_linux: released (4.15.0-70.79)\n"),
            std::string::npos)
      << two;
  EXPECT_NE(two.find(" https://usn.ubuntu.com/usn/usn-4300-1\n"), std::string::npos) << two;
  bool untracked = false;
  for (const std::string& m : r.messages) {
    untracked = untracked || m == "USN-4300-1 fixed CVE-2019-1003 but it is neither active nor retired";
  }
  EXPECT_TRUE(untracked);

  ASSERT_EQ(r.outputs.size(), 3u);
  for (const OutputFile& o : r.outputs) {
    EXPECT_EQ(o.action, FileAction::written) << o.path;
  }
  EXPECT_EQ(r.outputs[0].path, m_tmp.path() + "/web/content/4300-1.md");
  EXPECT_EQ(r.outputs[1].path, m_tmp.path() + "/json/4300-1.json");
  EXPECT_EQ(r.outputs[2].path, m_tmp.path() + "/osv/USN-4300-1.json");
  Notice from_json = read_notice_file(r.outputs[1].path);
  EXPECT_EQ(from_json.id_form, IdForm::prefixed);
  from_json.id_form = IdForm::bare;
  EXPECT_EQ(from_json, expected);
  EXPECT_TRUE(
      r.email.starts_with("==========================================================================\n"
                          "Ubuntu Security Notice USN-4300-1\nJanuary 01, 2020\n\nLinux kernel vulnerabilities\n"))
      << r.email;
}

TEST_P(PublishStoreTest, PublishingAgainChangesNothing) {
  std::unique_ptr<Store> store = open_store();
  publish(*store);
  State before = state(*store);
  std::map<std::string, ino_t> inodes;
  for (const auto& [path, bytes] : before.files) {
    inodes[path] = inode(path);
  }
  PublishOptions later = options();
  later.now = k_now + 3600;
  PublishResult again =
      publish_notice("USN-4300-1", *store, PublishTracker{root(), {}, {}}, kct::testing::source_catalog(), later);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.revision, 1);
  EXPECT_TRUE(again.tracker_files.empty());
  for (const OutputFile& o : again.outputs) {
    EXPECT_EQ(o.action, FileAction::unchanged) << o.path;
  }
  EXPECT_EQ(again.notice.timestamp, Timestamp{k_now}); // the stored one, not the clock
  EXPECT_EQ(state(*store), before);
  EXPECT_EQ(store->history("4300-1").size(), 1u);
  for (const auto& [path, node] : inodes) {
    EXPECT_EQ(inode(path), node) << path << " was rewritten";
  }
}

TEST_P(PublishStoreTest, ANoticeStoredWithOtherContentIsRefusedAndNothingIsWritten) {
  std::unique_ptr<Store> store = open_store();
  Notice other = kernel_notice();
  other.title = "Linux kernel (AWS) vulnerabilities";
  other.timestamp = Timestamp{k_now};
  store->put(other, k_must_not_exist, Author{"bob", ""});
  State before = state(*store);
  std::string error = publish_error(*store);
  EXPECT_NE(error.find("USN 4300-1 is already in " + store->location() + " (revision 1) and differs from the draft " +
                       m_tmp.path() + "/drafts/USN-4300-1.yaml in: title."),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("`kct usn set`"), std::string::npos) << error;
  EXPECT_EQ(state(*store), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, PublishStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

class PublishTest : public PublishBase {
protected:
  std::string db() const { return m_tmp.path() + "/usn.db"; }
};

TEST_F(PublishTest, ATrackerWriteFailingHalfWayRestoresTheFilesAndStoresNothing) {
  SqliteStore store(db());
  State before = state(store);
  // The atomic write of the second file goes through `<file>.kct-tmp-<pid>`; a directory
  // there makes it fail, for root too, after the first file was replaced.
  fs::create_directory(tracker_file("CVE-2019-1002") + ".kct-tmp-" + std::to_string(::getpid()));
  try {
    publish(store);
    FAIL() << "published";
  } catch (const PublishWriteError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("cannot create " + tracker_file("CVE-2019-1002") + ".kct-tmp-"), std::string::npos)
        << message;
    EXPECT_NE(message.find("; restored 1 tracker file(s) already written; nothing stored"), std::string::npos)
        << message;
  }
  EXPECT_EQ(state(store), before);
  EXPECT_FALSE(store.get("4300-1"));
}

// A store whose put() lets another publisher store the id first, as if between the check and
// the write.
class RacingStore : public SqliteStore {
public:
  RacingStore(const std::string& path, Notice other) : SqliteStore(path), m_path(path), m_other(std::move(other)) {}
  int64_t put(const Notice& notice, int64_t expected, const Author& author) override {
    SqliteStore(m_path).put(m_other, k_must_not_exist, Author{"bob", "meanwhile"});
    return SqliteStore::put(notice, expected, author);
  }

private:
  std::string m_path;
  Notice m_other;
};

TEST_F(PublishTest, ANoticeStoredMeanwhileByOthersRestoresTheTracker) {
  Notice other = kernel_notice();
  other.title = "Someone else's notice";
  RacingStore store(db(), other);
  std::map<std::string, std::string> tracker_before = files_under(root());
  std::string error = publish_error(store);
  EXPECT_NE(error.find("USN 4300-1: not stored: "), std::string::npos) << error;
  EXPECT_NE(error.find("bob"), std::string::npos) << error; // the conflict names who stored it
  EXPECT_NE(error.find("; restored 2 tracker file(s) already written"), std::string::npos) << error;
  EXPECT_EQ(files_under(root()), tracker_before);
  std::optional<StoredNotice> stored = store.get("4300-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->notice.title, "Someone else's notice");
  EXPECT_EQ(store.history("4300-1").size(), 1u);
  EXPECT_TRUE(files_under(m_tmp.path() + "/web").empty());
}

TEST_F(PublishTest, AStoreThatRefusesWritesRestoresTheTracker) {
  { SqliteStore created(db()); }
  {
    db::Sqlite raw(db());
    raw.exec("CREATE TRIGGER read_only BEFORE INSERT ON notices BEGIN SELECT RAISE(ABORT, 'notices are read-only'); "
             "END");
  }
  SqliteStore store(db());
  State before = state(store);
  try {
    publish(store);
    FAIL() << "published";
  } catch (const PublishWriteError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("notices are read-only"), std::string::npos) << message;
    EXPECT_NE(message.find("restored 2 tracker file(s)"), std::string::npos) << message;
  }
  EXPECT_EQ(state(store), before);
}

TEST_F(PublishTest, DryRunReportsAndWritesNothing) {
  SqliteStore store(db());
  State before = state(store);
  PublishOptions o = options();
  o.dry_run = true;
  PublishResult r = publish_notice("4300-1", store, PublishTracker{root(), {}, {}}, kct::testing::source_catalog(), o);
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.revision, 0);
  EXPECT_EQ(r.tracker_files.size(), 2u);
  ASSERT_EQ(r.outputs.size(), 3u);
  EXPECT_EQ(r.outputs[0].action, FileAction::would_write);
  EXPECT_FALSE(r.email.empty());
  EXPECT_EQ(state(store), before);
}

TEST_F(PublishTest, DraftsThatAreMissingBrokenOrUnfinishedAreRefused) {
  SqliteStore store(db());
  State before = state(store);
  std::string path = m_tmp.path() + "/drafts/USN-4301-1.yaml";
  EXPECT_EQ(publish_error(store, "4301-1"),
            "USN 4301-1: cannot read the draft " + path + ": No such file or directory");
  m_tmp.write("drafts/USN-4301-1.yaml", "id: 4301-1\ntitle: [\n");
  EXPECT_NE(publish_error(store, "4301-1").find(path + ":"), std::string::npos);
  Notice unfinished = kernel_notice();
  unfinished.id = "4301-1";
  unfinished.isummary = "XXX-FIXME\n";
  write_draft(unfinished);
  EXPECT_EQ(publish_error(store, "4301-1"), "USN 4301-1: the draft is not ready to publish:\n  " + path +
                                                ":11:3: error: isummary: unreplaced template marker (XXX); write the "
                                                "text before publishing");
  Notice misfiled = kernel_notice();
  m_tmp.write("drafts/USN-4301-1.yaml", render_draft(misfiled));
  EXPECT_EQ(publish_error(store, "4301-1"), path + ": the draft's id is 4300-1, but its file name says USN-4301-1");
  EXPECT_EQ(publish_error(store, "43"), "'43' is not a USN id (<number>-<n>, e.g. 4210-1)");
  EXPECT_EQ(state(store), before);
}

TEST_F(PublishTest, AnEmptyPublicDateStopsThePublication) {
  m_tmp.write("tracker/active/CVE-2019-1002",
              cve_text("CVE-2019-1002", "Patches_linux:\nxenial_linux: pending (4.4.0-170.199)\n", ""));
  SqliteStore store(db());
  State before = state(store);
  std::string error = publish_error(store);
  EXPECT_NE(error.find("USN 4300-1: the tracker cannot be marked:"), std::string::npos) << error;
  EXPECT_NE(error.find("CVE-2019-1002: empty PublicDate, cannot set PublicDateAtUSN"), std::string::npos) << error;
  EXPECT_EQ(state(store), before);
}

// The outputs of a real kernel notice, already stored (imported), published from its draft.
TEST_F(PublishTest, ARealKernelNoticesOutputsAreWellFormed) {
  std::string source = testing::published_dir() + "/4210-1.json";
  if (!fs::exists(source)) {
    ASSERT_FALSE(kct::testing::shared_data_present());
    GTEST_SKIP() << "no shared USN data";
  }
  Notice real = read_notice_file(source);
  SqliteStore store(db());
  store.put(real, k_must_not_exist, Author{"import", ""});
  write_draft(real);
  PublishResult r = publish(store, "4210-1");
  EXPECT_FALSE(r.created);
  EXPECT_TRUE(r.tracker_files.empty()); // none of its CVEs is in this tracker
  EXPECT_EQ(store.history("4210-1").size(), 1u);

  // The JSON is the published file's content.
  Json written = Json::parse(read(m_tmp.path() + "/json/4210-1.json"));
  EXPECT_TRUE(testing::strictly_equal(written, Json::parse(read(source))));

  // OSV: parses, with the schema's required fields and one entry per release and source.
  Json osv = Json::parse(read(m_tmp.path() + "/osv/USN-4210-1.json"));
  EXPECT_EQ(osv["id"], "USN-4210-1");
  EXPECT_EQ(osv["schema_version"], "1.6.0");
  EXPECT_EQ(osv["published"], "2019-12-03T01:00:08Z");
  EXPECT_EQ(osv["modified"], "2019-12-03T01:00:08Z");
  EXPECT_EQ(osv["summary"], *real.summary);
  EXPECT_EQ(osv["details"], *real.description);
  EXPECT_EQ(osv["upstream"], Json(*real.cves));
  EXPECT_EQ(osv["related"], Json(*real.cves));
  size_t sources = 0;
  for (const auto& [name, release] : real.releases) {
    sources += release.sources->size();
  }
  ASSERT_EQ(osv["affected"].size(), sources);
  const Json& first = osv["affected"][0]; // bionic (18.04) comes first, then its sources by name
  EXPECT_EQ(first["package"]["ecosystem"], "Ubuntu:18.04:LTS");
  EXPECT_EQ(first["package"]["name"], real.releases["bionic"].sources->begin()->first);
  EXPECT_EQ(first["ranges"][0]["type"], "ECOSYSTEM");
  EXPECT_EQ(first["ranges"][0]["events"],
            Json::parse(R"([{"introduced": "0"}, {"fixed": ")" +
                        *real.releases["bionic"].sources->begin()->second.version + "\"}]"));
  EXPECT_EQ(osv["affected"][sources - 1]["package"]["ecosystem"], "Ubuntu:16.04:LTS");
  ASSERT_EQ(osv["references"].size(), real.cves->size() + 1);
  EXPECT_EQ(osv["references"][0], Json::parse(R"({"type": "ADVISORY",
            "url": "https://ubuntu.com/security/notices/USN-4210-1"})"));
  EXPECT_EQ(osv["references"][1]["url"], "https://ubuntu.com/security/CVE-2019-16746");

  // The website page: front matter, then the three sections.
  std::string md = read(m_tmp.path() + "/web/content/4210-1.md");
  EXPECT_TRUE(md.starts_with("---\ntitle: \"USN-4210-1: Linux kernel vulnerabilities\"\n"
                             "date: \"2019-12-03T01:00:08Z\"\n"
                             "summary: \"Several security issues were fixed in the Linux kernel.\"\n"
                             "releases:\n  - \"bionic\"\n  - \"xenial\"\ncves:\n  - \"CVE-2019-16746\"\n"))
      << md.substr(0, 400);
  EXPECT_NE(md.find("\n---\n\n## Details\n\nIt was discovered that a buffer overflow existed in the 802.11 Wi-Fi\n"),
            std::string::npos)
      << md.substr(0, 1200);
  EXPECT_NE(md.find("## Update instructions\n"), std::string::npos);
  EXPECT_NE(md.find("### Ubuntu 18.04 LTS\n\n| Package | Version |\n| --- | --- |\n"), std::string::npos);
  EXPECT_LT(md.find("### Ubuntu 18.04 LTS"), md.find("### Ubuntu 16.04 LTS"));
  EXPECT_NE(md.find("- [CVE-2019-19075](https://ubuntu.com/security/CVE-2019-19075)\n"), std::string::npos);

  // The e-mail.
  EXPECT_TRUE(r.email.starts_with("==========================================================================\n"
                                  "Ubuntu Security Notice USN-4210-1\nDecember 03, 2019\n\n"
                                  "Linux kernel vulnerabilities\n"
                                  "==========================================================================\n\n"
                                  "A security issue affects these releases of Ubuntu and its derivatives:\n\n"
                                  "- Ubuntu 18.04 LTS\n- Ubuntu 16.04 LTS\n\nSummary:\n\n"
                                  "Several security issues were fixed in the Linux kernel.\n\n"
                                  "Software Description:\n- linux: "))
      << r.email.substr(0, 800);
  EXPECT_NE(r.email.find("\nDetails:\n\nIt was discovered that a buffer overflow"), std::string::npos);
  EXPECT_NE(r.email.find("\nUbuntu 18.04 LTS:\n  linux-image-"), std::string::npos);
  EXPECT_NE(r.email.find("\nReferences:\n  https://ubuntu.com/security/notices/USN-4210-1\n  CVE-2019-16746\n"),
            std::string::npos);
  EXPECT_NE(r.email.find("\nPackage Information:\n  https://launchpad.net/ubuntu/+source/"), std::string::npos);
}

} // namespace
} // namespace kct::usn
