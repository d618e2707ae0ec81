#include "usn/store_contract_test.h"

#include "usn/json_io.h"
#include "usn/notice_json.h"
#include "usn/usn_test_support.h"
#include "util/files.h"

namespace kct::usn::testing {

kct::testing::PostgresServer& postgres_server() {
  static kct::testing::PostgresServer server;
  return server;
}

std::string fresh_postgres_uri() {
  static int databases = 0;
  return postgres_server().uri("usn_test_" + std::to_string(++databases));
}

namespace {

const Author k_alice{"alice", ""};
const Author k_bob{"bob", "fix the kernel version"};

Notice sample(const std::string& id, const std::string& cve, const std::string& package) {
  Notice notice;
  notice.id = id;
  notice.title = package + " vulnerability";
  notice.cves = std::vector<std::string>{cve};
  notice.timestamp = Timestamp{1575912345.25};
  Release& release = notice.releases["bionic"];
  release.sources.emplace()[package] = SourceEntry{"1.0-1ubuntu0.1", "the " + package + " library", Json::object()};
  release.binaries.emplace()[package + "-bin"] =
      BinaryEntry{"1.0-1ubuntu0.1", "security", std::nullopt, Json::object()};
  return notice;
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST_P(UsnStoreContract, RoundTripsEveryPublishedNotice) {
  std::vector<std::string> paths = published_notice_paths();
  if (paths.empty()) {
    ASSERT_FALSE(kct::testing::shared_data_present());
    GTEST_SKIP() << "no shared USN data";
  }
  std::vector<Notice> notices;
  for (const std::string& path : paths) {
    notices.push_back(read_notice_file(path));
  }
  std::unique_ptr<Store> store = open();
  store->put_all(notices, Author{"importer", "shared data"});
  EXPECT_EQ(store->list().size(), paths.size());
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    std::string text;
    ASSERT_FALSE(util::read_file(path, text));
    Json original = Json::parse(text);
    std::optional<StoredNotice> stored = store->get(parse_usn_id(original["id"].get<std::string>())->text());
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->revision, 1);
    Json back = notice_to_json(stored->notice);
    EXPECT_TRUE(strictly_equal(original, back)) << Json::diff(original, back).dump();
  }
}

TEST_P(UsnStoreContract, ImportIsAllOrNothing) {
  std::unique_ptr<Store> store = open();
  Notice bad = sample("4152-1", "CVE-2019-2", "libfoo");
  bad.id = "N-1";
  EXPECT_NE(error_of([&] { store->put_all({sample("4151-1", "CVE-2019-1", "libbar"), bad}, k_alice); }), "no error");
  EXPECT_TRUE(store->list().empty());
  EXPECT_TRUE(store->history().empty());
  // The failed import left the store whole: the next one works and its lookups find it.
  store->put_all({sample("4151-1", "CVE-2019-1", "libbar")}, k_alice);
  EXPECT_EQ(store->list({.cve = "CVE-2019-1"}), (std::vector<std::string>{"4151-1"}));
  EXPECT_EQ(store->list({.package = "libbar-bin"}), (std::vector<std::string>{"4151-1"}));
}

// An import of new and already stored notices (and one id twice) writes each change once,
// with the history in input order, and releases reserved ids it fills.
TEST_P(UsnStoreContract, ImportMixesCreationsAndUpdatesInOrder) {
  std::unique_ptr<Store> store = open();
  store->put(sample("4150-1", "CVE-2019-1", "liba"), k_must_not_exist, k_alice);
  EXPECT_EQ(store->reserve_id(k_alice), "4151-1");
  Notice b = sample("4151-1", "CVE-2019-2", "libb");
  Notice a2 = sample("4150-1", "CVE-2019-3", "liba");
  Notice c = sample("4152-1", "CVE-2019-4", "libc");
  Notice b2 = sample("4151-1", "CVE-2019-5", "libb");
  store->put_all({b, a2, c, b2, sample("4150-1", "CVE-2019-3", "liba")}, k_bob);
  EXPECT_EQ(store->get("4150-1")->revision, 2);
  EXPECT_EQ(store->get("4151-1")->revision, 2);
  EXPECT_EQ(store->get("4151-1")->notice, b2);
  EXPECT_EQ(store->get("4152-1")->notice, c);
  std::vector<std::string> order;
  for (const HistoryEntry& entry : store->history()) {
    order.push_back(entry.subject + " " + entry.action + " " + std::to_string(entry.revision));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"4150-1 create 1", "4151-1 reserve 0", "4151-1 create 1",
                                             "4150-1 update 2", "4152-1 create 1", "4151-1 update 2"}));
  EXPECT_EQ(store->list({.cve = "CVE-2019-5"}), (std::vector<std::string>{"4151-1"}));
  EXPECT_EQ(store->next_free_id(), "4153-1");
}

TEST_P(UsnStoreContract, RefusesAnEditOfAStaleRead) {
  std::unique_ptr<Store> mine = open();
  std::unique_ptr<Store> theirs = open();
  ASSERT_EQ(mine->put(sample("4151-1", "CVE-2019-1", "libfoo"), k_must_not_exist, k_alice), 1);
  StoredNotice read = *mine->get("4151-1");

  Notice their_edit = theirs->get("4151-1")->notice;
  their_edit.title = "libfoo vulnerabilities";
  EXPECT_EQ(theirs->put(their_edit, 1, k_bob), 2);

  read.notice.summary = "libfoo";
  std::string message;
  try {
    mine->put(read.notice, read.revision, k_alice);
  } catch (const ConflictError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("USN 4151-1 changed since you read revision 1 (now revision 2, last update by bob at "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("nothing was written: reload it and make your edit again"), std::string::npos);
  EXPECT_EQ(mine->get("4151-1")->notice, their_edit);
  EXPECT_EQ(mine->get("4151-1")->revision, 2);
}

TEST_P(UsnStoreContract, RefusesCreatingATakenIdAndEditingADeletedNotice) {
  std::unique_ptr<Store> store = open();
  Notice notice = sample("4151-1", "CVE-2019-1", "libfoo");
  store->put(notice, k_must_not_exist, k_alice);
  EXPECT_THROW(store->put(notice, k_must_not_exist, k_bob), ConflictError);
  store->remove("4151-1", 1, k_bob);
  EXPECT_FALSE(store->get("4151-1"));
  std::string message = error_of([&] { store->put(notice, 1, k_alice); });
  EXPECT_NE(message.find("USN 4151-1 no longer exists (last delete by bob at "), std::string::npos) << message;
  EXPECT_THROW(store->remove("4151-1", 1, k_alice), ConflictError);
  // A fresh notice under the freed id goes on from the old one's last revision, so an edit
  // based on a read of the old notice (revision 1) is refused, not applied to the new one.
  EXPECT_EQ(store->put(notice, k_must_not_exist, k_alice), 2);
  Notice stale = notice;
  stale.title = "edited from a read of the deleted notice";
  EXPECT_THROW(store->put(stale, 1, k_bob), ConflictError);
  EXPECT_EQ(store->get("4151-1")->revision, 2);
  // An import of a deleted notice does the same.
  store->remove("4151-1", 2, k_bob);
  store->put_all({notice}, k_alice);
  EXPECT_EQ(store->get("4151-1")->revision, 3);
  EXPECT_EQ(store->history("4151-1").back().revision, 3);
}

TEST_P(UsnStoreContract, WritingAnUnchangedNoticeChangesNothing) {
  std::unique_ptr<Store> store = open();
  Notice notice = sample("4151-1", "CVE-2019-1", "libfoo");
  store->put(notice, k_must_not_exist, k_alice);
  EXPECT_EQ(store->put(notice, 1, k_bob), 1);
  store->put_all({notice}, k_bob);
  EXPECT_EQ(store->history("4151-1").size(), 1u);
}

TEST_P(UsnStoreContract, HistoryRecordsEveryChangeAndReplays) {
  std::unique_ptr<Store> store = open();
  Notice first = sample("4151-1", "CVE-2019-1", "libfoo");
  store->put(first, k_must_not_exist, k_alice);
  Notice second = first;
  second.cves->push_back("CVE-2019-2");
  second.releases["bionic"].binaries->at("libfoo-bin").version = "1.0-1ubuntu0.2";
  store->put(second, 1, k_bob);
  store->remove("4151-1", 2, Author{"carol", "duplicate"});

  std::vector<HistoryEntry> history = store->history("4151-1");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].action, "create");
  EXPECT_EQ(history[1].action, "update");
  EXPECT_EQ(history[2].action, "delete");
  EXPECT_EQ(history[1].author, "bob");
  EXPECT_EQ(history[1].comment, "fix the kernel version");
  EXPECT_EQ(history[1].revision, 2);
  EXPECT_EQ(history[2].revision, 0);
  EXPECT_LT(history[0].sequence, history[1].sequence);
  EXPECT_EQ(history[0].at.size(), 24u);
  EXPECT_EQ(history[0].at.back(), 'Z');
  // The patches alone rebuild every revision.
  Json document;
  document = document.patch(history[0].patch);
  EXPECT_EQ(document, notice_to_json(first));
  document = document.patch(history[1].patch);
  EXPECT_EQ(document, notice_to_json(second));
  EXPECT_LE(history[1].patch.size(), 3u); // a diff, not a copy
  document = document.patch(history[2].patch);
  EXPECT_TRUE(document.is_null());
  EXPECT_EQ(store->history().size(), 3u);
}

TEST_P(UsnStoreContract, ListsByCvePackageAndRelease) {
  std::unique_ptr<Store> store = open();
  Notice xenial = sample("4151-10", "CVE-2019-1", "libfoo");
  xenial.releases["xenial"] = xenial.releases["bionic"];
  xenial.releases.erase("bionic");
  store->put_all({sample("4151-2", "CVE-2019-1", "libfoo"), xenial, sample("999-1", "CVE-2019-9", "libbar")}, k_alice);
  EXPECT_EQ(store->list(), (std::vector<std::string>{"999-1", "4151-2", "4151-10"}));
  EXPECT_EQ(store->list({.cve = "CVE-2019-1"}), (std::vector<std::string>{"4151-2", "4151-10"}));
  EXPECT_EQ(store->list({.package = "libbar-bin"}), (std::vector<std::string>{"999-1"}));
  EXPECT_EQ(store->list({.package = "libfoo", .release = "xenial"}), (std::vector<std::string>{"4151-10"}));
  EXPECT_EQ(store->list({.release = "bionic"}), (std::vector<std::string>{"999-1", "4151-2"}));
  EXPECT_TRUE(store->list({.cve = "CVE-2019-9", .package = "libfoo"}).empty());
}

TEST_P(UsnStoreContract, ListsASourcesVersionsInOneReleaseInUsnOrder) {
  std::unique_ptr<Store> store = open();
  auto kernel_notice = [](const std::string& id, const std::string& release, const std::string& source,
                          std::optional<std::string> version) {
    Notice notice = sample(id, "CVE-2019-1", "libfoo");
    (*notice.releases["bionic"].sources)["libfoo"].version = "9.9";
    notice.releases[release].sources.emplace()[source] =
        SourceEntry{std::move(version), "Linux kernel", Json::object()};
    return notice;
  };
  Notice binaries_only = sample("4000-1", "CVE-2019-2", "libbar");
  binaries_only.releases["xenial"].binaries.emplace()["linux"] =
      BinaryEntry{"4.4.0-1.1", "security", std::nullopt, Json::object()};
  store->put_all({kernel_notice("4151-10", "xenial", "linux", "4.4.0-170.199"),
                  kernel_notice("4151-2", "xenial", "linux", "4.4.0-169.198"),
                  kernel_notice("999-1", "xenial", "linux", "4.4.0-100.1"),
                  kernel_notice("1000-1", "xenial", "linux-aws", "4.4.0-1001.1"),
                  kernel_notice("1001-1", "xenial", "linux", std::nullopt), binaries_only},
                 k_alice);
  auto ids_and_versions = [&](const std::string& source, const std::string& release) {
    std::vector<std::string> out;
    for (const SourceVersion& sv : store->source_versions(source, release)) {
      out.push_back(sv.notice_id + " " + sv.version);
    }
    return out;
  };
  EXPECT_EQ(ids_and_versions("linux", "xenial"),
            (std::vector<std::string>{"999-1 4.4.0-100.1", "4151-2 4.4.0-169.198", "4151-10 4.4.0-170.199"}));
  EXPECT_EQ(ids_and_versions("linux-aws", "xenial"), (std::vector<std::string>{"1000-1 4.4.0-1001.1"}));
  EXPECT_EQ(ids_and_versions("libfoo", "bionic").size(), 5u) << "one per notice carrying it";
  EXPECT_TRUE(ids_and_versions("linux", "bionic").empty()) << "per release";
  EXPECT_TRUE(ids_and_versions("linux-lts-xenial", "trusty").empty());
  // Edits and deletions show at once.
  Notice bumped = kernel_notice("999-1", "xenial", "linux", "4.4.0-101.2");
  store->put(bumped, 1, k_bob);
  store->remove("4151-2", 1, k_bob);
  EXPECT_EQ(ids_and_versions("linux", "xenial"),
            (std::vector<std::string>{"999-1 4.4.0-101.2", "4151-10 4.4.0-170.199"}));
}

TEST_P(UsnStoreContract, ReservesEachIdOnce) {
  std::unique_ptr<Store> store = open();
  EXPECT_EQ(store->next_free_id(), "1-1");
  store->put(sample("4151-2", "CVE-2019-1", "libfoo"), k_must_not_exist, k_alice);
  EXPECT_EQ(store->next_free_id(), "4152-1");
  std::unique_ptr<Store> other = open();
  EXPECT_EQ(store->reserve_id(k_alice), "4152-1");
  EXPECT_EQ(other->reserve_id(k_bob), "4153-1");
  EXPECT_EQ(store->next_free_id(), "4154-1");
  store->put(sample("4152-1", "CVE-2019-2", "libbar"), k_must_not_exist, k_alice);
  EXPECT_EQ(store->next_free_id(), "4154-1");
  EXPECT_EQ(store->history("4153-1").at(0).action, "reserve");
}

TEST_P(UsnStoreContract, KeepsTheRevertedList) {
  std::unique_ptr<Store> store = open();
  RevertedList list = parse_reverted("544-1 CVE-2007-4572\n4151-2 CVE-2019-2 CVE-2019-1\n", "reverted-CVEs.txt");
  store->set_reverted(list, k_alice);
  EXPECT_EQ(open()->reverted(), list);
  store->set_reverted(list, k_bob); // unchanged: no history
  std::vector<HistoryEntry> history = store->history(k_reverted_subject);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].author, "alice");
  RevertedList doubled = list;
  doubled.push_back(list[0]);
  EXPECT_NE(error_of([&] { store->set_reverted(doubled, k_bob); }).find("names USN 544-1 or one of its CVEs twice"),
            std::string::npos);
  EXPECT_EQ(store->reverted(), list);
}

} // namespace
} // namespace kct::usn::testing
