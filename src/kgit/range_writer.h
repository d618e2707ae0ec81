#pragma once
// The storing half of a scan: on its own thread, so that parsing messages and writing SQLite
// overlap with libgit2 reading the next commits (the two together are what a full scan costs;
// either alone is about half). Versions arrive in order as begin, batches of commits, finish;
// each is written in one transaction under the store's lock at its finish, so a version is
// stored whole or not at all and the lock is never held while git is read.
#include "kgit/provenance_store.h"
#include "kgit/raw_commit.h"
#include "kgit/tag_versions.h"
#include "util/blocking_queue.h"

#include <atomic>
#include <cstdint>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace kct::kgit {

// The version a stored range starts from: a stored row, or a version of this writer's own
// sequence that had not been stored yet when its range was read.
struct RangeBase {
  int64_t tid = 0;      // the stored row, when pending < 0
  int64_t pending = -1; // else the version's sequence number (begin)
  CommitId commit;
};

class RangeWriter {
public:
  RangeWriter(ProvenanceStore& store, std::mutex& store_lock, std::string series, std::string source);
  // Stops the thread; a version begun and not finished is rolled back.
  ~RangeWriter();
  RangeWriter(const RangeWriter&) = delete;
  RangeWriter& operator=(const RangeWriter&) = delete;

  // Each returns at once (up to a bounded backlog) and rethrows the writer's error, if any.
  // begin returns the version's sequence number, which a later version's base may name.
  int64_t begin(const VersionTag& version);
  void add(std::vector<RawCommit>&& commits);
  void finish(std::optional<RangeBase> base);
  // Waits until everything handed over is stored.
  void wait_idle();
  // Waits for the end and rethrows the writer's error, if any.
  void close();

private:
  struct Begin {
    VersionTag version;
  };
  struct Finish {
    std::optional<RangeBase> base;
  };
  struct Barrier {
    std::promise<void> reached;
  };
  using Work = std::variant<Begin, std::vector<RawCommit>, Finish, Barrier>;
  struct Open; // the version being stored

  void send(Work work);
  void stop(); // ends the queue and joins the thread
  void rethrow_error();
  void run();
  void store_begin(const VersionTag& version, std::optional<Open>& open);
  void store_commits(const std::vector<RawCommit>& commits, Open& open);
  void store_finish(const std::optional<RangeBase>& base, std::optional<Open>& open);

  ProvenanceStore& m_store;
  std::mutex& m_store_lock;
  std::string m_series;
  std::string m_source;
  util::BlockingQueue<Work> m_queue{16};
  int64_t m_sent = 0;
  std::vector<int64_t> m_tids; // by sequence number; the writer thread's own
  std::atomic<bool> m_failed{false};
  std::exception_ptr m_error; // set before m_failed
  std::thread m_thread;
};

} // namespace kct::kgit
