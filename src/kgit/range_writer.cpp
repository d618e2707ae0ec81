#include "kgit/range_writer.h"

#include "db/sqlite_batch.h"
#include "kgit/references.h"
#include "util/error.h"

namespace kct::kgit {

namespace {

struct Revert {
  CommitId commit;
  int64_t order = 0;
  std::string target;
  std::string line;
};

struct ScannedCommit {
  CommitId id;
  MessageFacts facts;
};

// Reverts are applied after the whole range is stored, newest first: the reverted commit and
// every reference it carried anywhere in this version's chain are recorded as removed.
void store_reverts(ProvenanceStore& store, int64_t tid, const std::vector<Revert>& reverts) {
  if (reverts.empty()) {
    return;
  }
  db::Sqlite& db = store.db();
  std::string chain_list;
  for (int64_t t : store.chain(tid)) {
    if (!chain_list.empty()) {
      chain_list += ',';
    }
    chain_list += std::to_string(t); // appended, not concatenated: GCC -O3 warns on the temporary
  }
  db::Statement carried = db.prepare("SELECT DISTINCT id FROM id_detail WHERE cid = ? AND foverlay = 0 AND frevert = 0 "
                                     "AND tid IN (" +
                                     chain_list + ")");
  db::Statement insert = db.prepare("INSERT INTO id_detail(id, cid, tid, iorder, frevert, foverlay, rule, evidence, "
                                    "recent) VALUES(?, ?, ?, ?, ?, 0, ?, ?, ?)");
  for (const Revert& r : reverts) {
    std::vector<std::string> removed{r.target};
    carried.bind(1, r.target);
    while (carried.step()) {
      removed.push_back(carried.text_at(0));
    }
    carried.reset();
    for (const std::string& id : removed) {
      insert.bind(1, id).bind(2, r.commit).bind(3, tid).bind(4, r.order).bind(5, int64_t{1});
      insert.bind(6, int64_t{k_rule_revert}).bind(7, r.line).bind(8, store.recent_mark()).run();
    }
  }
}

} // namespace

// A version between begin and finish: its commits, parsed as they arrive; they are written
// at finish, in one transaction, so the store's lock is never held while git is being read.
struct RangeWriter::Open {
  VersionTag version;
  std::vector<ScannedCommit> commits;
};

RangeWriter::RangeWriter(ProvenanceStore& store, std::mutex& store_lock, std::string series, std::string source)
    : m_store(store), m_store_lock(store_lock), m_series(std::move(series)), m_source(std::move(source)),
      m_thread([this] { run(); }) {}

RangeWriter::~RangeWriter() {
  stop();
}

void RangeWriter::stop() {
  m_queue.close();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

void RangeWriter::rethrow_error() {
  if (m_failed.load()) {
    std::rethrow_exception(m_error);
  }
}

void RangeWriter::send(Work work) {
  rethrow_error();
  if (!m_queue.push(std::move(work))) {
    throw Error("the store's writer has stopped");
  }
}

int64_t RangeWriter::begin(const VersionTag& version) {
  send(Begin{version});
  return m_sent++;
}

void RangeWriter::add(std::vector<RawCommit>&& commits) {
  send(std::move(commits));
}

void RangeWriter::finish(std::optional<RangeBase> base) {
  send(Finish{std::move(base)});
}

void RangeWriter::wait_idle() {
  Barrier barrier;
  std::future<void> reached = barrier.reached.get_future();
  send(std::move(barrier));
  reached.wait();
  rethrow_error();
}

void RangeWriter::close() {
  stop();
  rethrow_error();
}

void RangeWriter::run() {
  std::optional<Open> open;
  while (std::optional<Work> work = m_queue.pop()) {
    if (auto* barrier = std::get_if<Barrier>(&*work)) {
      barrier->reached.set_value();
      continue;
    }
    if (m_failed.load()) {
      continue; // drained, so that the reading side never waits on a full queue
    }
    try {
      if (auto* begin = std::get_if<Begin>(&*work)) {
        store_begin(begin->version, open);
      } else if (auto* commits = std::get_if<std::vector<RawCommit>>(&*work)) {
        store_commits(*commits, open.value());
      } else if (auto* finish = std::get_if<Finish>(&*work)) {
        store_finish(finish->base, open);
      }
    } catch (...) {
      open.reset(); // rolls the version back
      m_error = std::current_exception();
      m_failed.store(true);
    }
  }
  // A version still open here was cut short by an error on the reading side.
}

void RangeWriter::store_begin(const VersionTag& version, std::optional<Open>& open) {
  open.emplace();
  open->version = version;
}

void RangeWriter::store_commits(const std::vector<RawCommit>& commits, Open& open) {
  for (const RawCommit& commit : commits) {
    open.commits.push_back({to_commit_id(commit.id()), read_message(commit.message())});
  }
}

void RangeWriter::store_finish(const std::optional<RangeBase>& base, std::optional<Open>& open) {
  const Open& o = open.value();
  std::lock_guard lock(m_store_lock);
  db::Sqlite& db = m_store.db();
  db::Transaction transaction(db);
  db::Statement insert =
      db.prepare("INSERT INTO tag_detail(series, source, version, tag, commit_id, tid_link, base_commit, valid) "
                 "VALUES(?, ?, ?, ?, ?, ?, ?, 1)");
  insert.bind(1, m_series).bind(2, m_source).bind(3, o.version.version).bind(4, o.version.tag);
  insert.bind(5, o.version.commit);
  if (base) {
    insert.bind(6, base->pending < 0 ? base->tid : m_tids.at(static_cast<size_t>(base->pending))).bind(7, base->commit);
  } else {
    insert.bind_null(6).bind_null(7);
  }
  insert.run();
  int64_t tid = db.last_insert_rowid();
  // Many rows per statement (db/sqlite_batch.h); the texts live in `o.commits` meanwhile.
  db::BatchInsert rows(db, "INSERT INTO id_detail(id, cid, tid, iorder, frevert, rule, evidence, recent)", 8);
  db::BatchInsert titles(db, "INSERT INTO title_id(title, tid, id, recent)", 4);
  const int64_t recent = m_store.recent_mark();
  std::vector<Revert> reverts;
  for (size_t i = 0; i < o.commits.size(); ++i) {
    const ScannedCommit& c = o.commits[i];
    auto order = static_cast<int64_t>(i);
    rows.add_kept(c.id).add_null().add(tid).add(order).add(0).add(k_rule_commit).add_null().add(recent);
    titles.add_kept(c.facts.subject).add(tid).add_kept(c.id).add(recent);
    for (const Reference& r : c.facts.references) {
      rows.add_kept(r.id).add_kept(c.id).add(tid).add(order).add(0);
      rows.add(static_cast<int64_t>(r.rule)).add_kept(r.line).add(recent);
    }
    if (c.facts.reverts) {
      reverts.push_back({c.id, order, *c.facts.reverts, c.facts.revert_line});
    }
  }
  rows.flush();
  titles.flush();
  store_reverts(m_store, tid, reverts);
  m_store.relink();
  transaction.commit();
  m_tids.push_back(tid);
  open.reset();
}

} // namespace kct::kgit
