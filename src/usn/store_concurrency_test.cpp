// Eight publishers at once, as separate processes (fork), against each backend: every create
// and every read-modify-write edit must land exactly once, and the history must count them.
// Children never touch gtest: they report through their exit status (and a line on stderr),
// and leave with _exit so that no static destructor (the shared PostgreSQL server) runs in
// them. The parent holds no database connection across fork().
#include "usn/notice_json.h"
#include "usn/open_store.h"
#include "usn/postgres_store.h"
#include "usn/store_contract_test.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace kct::usn::testing {
namespace {

constexpr int k_processes = 8;
constexpr int k_writes = 25;           // creates, and edits, per process
constexpr int k_reservations = 3;      // reserve_id() calls per process
constexpr int k_edit_attempts = 10000; // per edit, against a livelocked store
constexpr int64_t k_ceiling = 90000;   // a notice above every created id
constexpr auto k_deadline = std::chrono::minutes(3);
const std::vector<std::string> k_shared = {"1000-1", "1001-1", "1002-1", "1003-1"};

struct ConcurrencyBackend {
  std::string name;
  std::function<std::string(const std::string& dir)> location;
};

class UsnStoreConcurrency : public ::testing::TestWithParam<ConcurrencyBackend> {
protected:
  kct::testing::ScopedTempDir m_dir;
};

std::string child_cve(int child, int i) {
  return "CVE-2099-" + std::to_string(10000 + child * 100 + i);
}

Notice created_notice(int child, int i) {
  Notice notice;
  notice.id = std::to_string(20000 + child * 100 + i) + "-1";
  notice.title = "package " + std::to_string(i) + " of publisher " + std::to_string(child);
  notice.cves = std::vector<std::string>{child_cve(child, i)};
  notice.timestamp = Timestamp{1575912345.5};
  notice.releases["bionic"].sources.emplace()["pkg" + std::to_string(i)].version = "1.0-1ubuntu0.1";
  return notice;
}

Notice shared_notice(const std::string& id) {
  Notice notice;
  notice.id = id;
  notice.title = "shared notice";
  notice.cves.emplace();
  notice.releases["focal"].sources.emplace()["linux"].version = "5.4.0-1.1";
  return notice;
}

struct PublisherReport {
  int64_t conflicts = 0; // ConflictErrors met, each answered by re-reading and editing again
  int64_t retries = 0;   // transactions the PostgreSQL store retried after serialization failures
  std::vector<std::string> reserved;
};

// One publisher: interleaves creates and edits, then reserves ids; throws on any failure.
PublisherReport publish(const std::string& location, int child, int ready_fd) {
  std::unique_ptr<Store> store = open_store(location);
  char go = 0;
  if (::read(ready_fd, &go, 1) < 0) { // every sibling has connected: start together
    throw Error("barrier read failed");
  }
  Author author{"publisher-" + std::to_string(child), ""};
  PublisherReport report;
  for (int i = 0; i < k_writes; ++i) {
    store->put(created_notice(child, i), k_must_not_exist, author);
    const std::string& target = k_shared[static_cast<size_t>(child + i) % k_shared.size()];
    for (int attempt = 0;; ++attempt) {
      if (attempt == k_edit_attempts) {
        throw Error("edit of " + target + " kept conflicting");
      }
      StoredNotice read = *store->get(target);
      read.notice.cves->push_back(child_cve(child, i));
      try {
        store->put(read.notice, read.revision, author);
        break;
      } catch (const ConflictError&) {
        ++report.conflicts;
      }
    }
  }
  for (int i = 0; i < k_reservations; ++i) {
    report.reserved.push_back(store->reserve_id(author));
  }
  if (auto* postgres = dynamic_cast<PostgresStore*>(store.get())) {
    report.retries = postgres->retries();
  }
  return report;
}

// Runs in the forked child; never returns.
[[noreturn]] void run_child(const std::string& location, int child, int ready_fd, const std::string& report) {
  int status = 0;
  try {
    PublisherReport published = publish(location, child, ready_fd);
    std::ofstream out(report);
    out << published.conflicts << " " << published.retries << "\n";
    for (const std::string& id : published.reserved) {
      out << id << "\n";
    }
    out.close();
    status = out ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "publisher %d: %s\n", child, e.what());
    status = 1;
  } catch (...) {
    status = 1;
  }
  std::fflush(stderr);
  ::_exit(status);
}

// Forks k_processes children running `body(child, ready_fd)`, releases them together, and
// waits (killing them at the deadline). Returns the exit status of each.
template <class Body>
std::vector<int> run_children(Body body) {
  int ready[2];
  if (::pipe(ready) != 0) {
    throw Error("pipe failed");
  }
  std::vector<pid_t> pids;
  for (int child = 0; child < k_processes; ++child) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(ready[1]);
      body(child, ready[0]);
    }
    pids.push_back(pid);
  }
  ::close(ready[0]);
  ::close(ready[1]); // end of file on the pipe: every child's read returns
  std::vector<int> statuses(pids.size(), -1);
  auto deadline = std::chrono::steady_clock::now() + k_deadline;
  for (size_t left = pids.size(); left > 0;) {
    for (size_t i = 0; i < pids.size(); ++i) {
      int status = 0;
      if (pids[i] > 0 && statuses[i] == -1 && ::waitpid(pids[i], &status, WNOHANG) == pids[i]) {
        statuses[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        --left;
      }
    }
    if (left > 0 && std::chrono::steady_clock::now() > deadline) {
      for (size_t i = 0; i < pids.size(); ++i) {
        if (pids[i] > 0 && statuses[i] == -1) {
          ::kill(pids[i], SIGKILL);
          ::waitpid(pids[i], nullptr, 0);
          statuses[i] = 999;
        }
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return statuses;
}

TEST_P(UsnStoreConcurrency, EightPublishersLoseNoChange) {
  std::string location = GetParam().location(m_dir.path());
  {
    // Seeded and closed before fork(): no connection is shared with a child.
    std::unique_ptr<Store> store = open_store(location);
    for (const std::string& id : k_shared) {
      store->put(shared_notice(id), k_must_not_exist, Author{"seed", ""});
    }
    Notice ceiling = shared_notice(std::to_string(k_ceiling) + "-1");
    store->put(ceiling, k_must_not_exist, Author{"seed", ""});
  }
  auto started = std::chrono::steady_clock::now();
  std::vector<int> statuses = run_children([&](int child, int ready_fd) {
    run_child(location, child, ready_fd, m_dir.path() + "/child-" + std::to_string(child) + ".txt");
  });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (int child = 0; child < k_processes; ++child) {
    EXPECT_EQ(statuses[static_cast<size_t>(child)], 0) << "publisher " << child;
  }

  // Reports: conflicts met, and the ids each child reserved.
  int64_t conflicts = 0;
  int64_t retries = 0;
  std::multiset<std::string> reserved;
  for (int child = 0; child < k_processes; ++child) {
    std::ifstream in(m_dir.path() + "/child-" + std::to_string(child) + ".txt");
    int64_t n = 0;
    int64_t r = 0;
    in >> n >> r;
    conflicts += n;
    retries += r;
    for (std::string id; in >> id;) {
      reserved.insert(id);
    }
  }
  std::printf("[ %s ] %d processes x (%d creates + %d edits + %d reservations): %.2f s, %lld conflicts "
              "re-edited, %lld serialization retries\n",
              GetParam().name.c_str(), k_processes, k_writes, k_writes, k_reservations, seconds,
              static_cast<long long>(conflicts), static_cast<long long>(retries));

  std::unique_ptr<Store> store = open_store(location);
  // Every create, exactly once and as written.
  std::vector<std::string> ids = store->list();
  EXPECT_EQ(ids.size(), size_t{k_processes * k_writes} + k_shared.size() + 1);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  for (int child = 0; child < k_processes; ++child) {
    for (int i = 0; i < k_writes; ++i) {
      Notice expected = created_notice(child, i);
      std::optional<StoredNotice> stored = store->get(expected.id);
      ASSERT_TRUE(stored) << expected.id;
      EXPECT_EQ(stored->notice, expected);
      EXPECT_EQ(stored->revision, 1);
    }
  }
  // Every edit, exactly once: each appended CVE is there once, and nothing else is.
  std::multiset<std::string> appended;
  int64_t edits_seen = 0;
  for (const std::string& id : k_shared) {
    StoredNotice stored = *store->get(id);
    appended.insert(stored.notice.cves->begin(), stored.notice.cves->end());
    edits_seen += stored.revision - 1;
    std::vector<HistoryEntry> history = store->history(id);
    ASSERT_EQ(static_cast<int64_t>(history.size()), stored.revision) << id;
    Json replayed;
    for (size_t i = 0; i < history.size(); ++i) {
      EXPECT_EQ(history[i].revision, static_cast<int64_t>(i + 1)) << id;
      replayed = replayed.patch(history[i].patch);
    }
    EXPECT_EQ(replayed, notice_to_json(stored.notice)) << id;
  }
  EXPECT_EQ(edits_seen, k_processes * k_writes);
  EXPECT_EQ(appended.size(), size_t{k_processes * k_writes});
  for (int child = 0; child < k_processes; ++child) {
    for (int i = 0; i < k_writes; ++i) {
      EXPECT_EQ(appended.count(child_cve(child, i)), 1u) << child_cve(child, i);
    }
  }
  // Every reservation distinct, right above the ceiling.
  EXPECT_EQ(reserved.size(), size_t{k_processes * k_reservations});
  for (int64_t n = 1; n <= k_processes * k_reservations; ++n) {
    EXPECT_EQ(reserved.count(std::to_string(k_ceiling + n) + "-1"), 1u) << n;
  }
  // The history counts each successful write once.
  std::map<std::string, int64_t> actions;
  for (const HistoryEntry& entry : store->history()) {
    ++actions[entry.action];
  }
  EXPECT_EQ(actions["create"], k_processes * k_writes + static_cast<int64_t>(k_shared.size()) + 1);
  EXPECT_EQ(actions["update"], k_processes * k_writes);
  EXPECT_EQ(actions["reserve"], k_processes * k_reservations);
  EXPECT_EQ(actions.size(), 3u);
}

TEST_P(UsnStoreConcurrency, EightProcessesCreateAFreshStoreAtOnce) {
  std::string location = GetParam().location(m_dir.path());
  std::vector<int> statuses = run_children([&](int child, int ready_fd) {
    int status = 1;
    try {
      char go = 0;
      if (::read(ready_fd, &go, 1) >= 0) {
        std::unique_ptr<Store> store = open_store(location);
        store->put(created_notice(child, 0), k_must_not_exist, Author{"publisher", ""});
        status = 0;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "publisher %d: %s\n", child, e.what());
    }
    std::fflush(stderr);
    ::_exit(status);
  });
  for (int child = 0; child < k_processes; ++child) {
    EXPECT_EQ(statuses[static_cast<size_t>(child)], 0) << "publisher " << child;
  }
  std::unique_ptr<Store> store = open_store(location);
  EXPECT_EQ(store->list().size(), size_t{k_processes});
  EXPECT_EQ(store->history().size(), size_t{k_processes});
}

INSTANTIATE_TEST_SUITE_P(
    Backends, UsnStoreConcurrency,
    ::testing::Values(ConcurrencyBackend{"sqlite", [](const std::string& dir) { return dir + "/usn.db"; }},
                      ConcurrencyBackend{"postgres", [](const std::string&) { return fresh_postgres_uri(); }}),
    [](const ::testing::TestParamInfo<ConcurrencyBackend>& info) { return info.param.name; });

} // namespace
} // namespace kct::usn::testing
