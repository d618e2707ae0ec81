#include "kgit/scanner.h"

#include "db/sqlite_batch.h"
#include "kgit/references.h"
#include "util/error.h"

#include <chrono>
#include <map>
#include <unordered_map>

namespace kct::kgit {
namespace {

struct ScannedCommit {
  CommitId id;
  MessageFacts facts;
};

// Reports at most once a second, and only once a second has passed.
class Ticker {
public:
  explicit Ticker(const std::function<void(const std::string&)>& report) : m_report(report) {}
  template <typename Describe>
  void tick(Describe describe) {
    if (!m_report || (++m_calls & 1023) != 0) {
      return; // look at the clock every 1024 commits only
    }
    auto now = std::chrono::steady_clock::now();
    if (now - m_last >= std::chrono::seconds(1)) {
      m_last = now;
      m_report(describe());
    }
  }

private:
  const std::function<void(const std::string&)>& m_report;
  std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
  uint64_t m_calls = 0;
};

// Reads base..tip (or all of tip's history when there is no base), newest first.
std::vector<ScannedCommit> read_range(const Repository& repo, const CommitId& tip, const std::optional<CommitId>& base,
                                      Ticker& ticker, const std::string& what) {
  std::vector<ScannedCommit> commits;
  std::vector<CommitId> hide;
  if (base) {
    hide.push_back(*base);
  }
  repo.walk(tip, hide, [&](const CommitInfo& info) {
    commits.push_back({info.id, read_message(info.message)});
    ticker.tick([&] { return what + ": " + std::to_string(commits.size()) + " commits read"; });
    return true;
  });
  return commits;
}

// Valid, non-pending rows by commit, for finding a version's base.
std::unordered_map<CommitId, std::vector<TagRow>> base_candidates(ProvenanceStore& store) {
  std::unordered_map<CommitId, std::vector<TagRow>> result;
  for (TagRow& row : store.base_rows()) {
    result[row.commit].push_back(std::move(row));
  }
  return result;
}

// Prefer the same series and source, then the same series, then the lowest tid.
const TagRow* best_base(const std::vector<TagRow>& rows, const ScanRequest& request) {
  const TagRow* best = nullptr;
  auto rank = [&](const TagRow& r) {
    if (r.series == request.series && r.source == request.source) {
      return 0;
    }
    return r.series == request.series ? 1 : 2;
  };
  for (const TagRow& r : rows) {
    if (best == nullptr || rank(r) < rank(*best) || (rank(r) == rank(*best) && r.tid < best->tid)) {
      best = &r;
    }
  }
  return best;
}

void invalidate(ProvenanceStore& store, int64_t tid) {
  store.db().prepare("UPDATE tag_detail SET valid = 0 WHERE tid = ?").bind(1, tid).run();
}

// The row's range still holds when its parent is valid and still at the commit the range was
// read from: a parent relinked to a moved tag's new row (§1.9.2) would leave a gap or overlap.
bool parent_holds(ProvenanceStore& store, const TagRow& row) {
  if (!row.link) {
    return true; // a root
  }
  std::optional<TagRow> parent = store.tag_row(*row.link);
  return parent && parent->valid && parent->commit == row.base_commit;
}

// Stores one scanned range: base rows, references, titles, then reverts newest first.
void store_range(ProvenanceStore& store, int64_t tid, const std::vector<ScannedCommit>& commits) {
  db::Sqlite& db = store.db();
  // Many rows per statement (db/sqlite_batch.h); the texts live in `commits` meanwhile.
  db::BatchInsert rows(db, "INSERT INTO id_detail(id, cid, tid, iorder, frevert, rule, evidence)", 7);
  db::BatchInsert titles(db, "INSERT INTO title_id(title, tid, id)", 3);
  for (size_t order = 0; order < commits.size(); ++order) {
    const ScannedCommit& c = commits[order];
    rows.add_kept(c.id).add_null().add(tid).add(static_cast<int64_t>(order)).add(0).add(k_rule_commit).add_null();
    titles.add_kept(c.facts.subject).add(tid).add_kept(c.id);
    for (const Reference& r : c.facts.references) {
      rows.add_kept(r.id).add_kept(c.id).add(tid).add(static_cast<int64_t>(order)).add(0);
      rows.add(static_cast<int64_t>(r.rule)).add_kept(r.line);
    }
  }
  rows.flush();
  titles.flush();
  db::Statement insert = db.prepare(
      "INSERT INTO id_detail(id, cid, tid, iorder, frevert, foverlay, rule, evidence) VALUES(?, ?, ?, ?, ?, 0, ?, ?)");
  // Reverts are applied after the whole range is read, newest first: the reverted commit and
  // every reference it carried anywhere in this version's chain are recorded as removed.
  std::vector<int64_t> chain = store.chain(tid);
  std::string chain_list;
  for (int64_t t : chain) {
    if (!chain_list.empty()) {
      chain_list += ',';
    }
    chain_list += std::to_string(t); // appended, not concatenated: GCC -O3 warns on the temporary
  }
  db::Statement carried = db.prepare("SELECT DISTINCT id FROM id_detail WHERE cid = ? AND foverlay = 0 AND frevert = 0 "
                                     "AND tid IN (" +
                                     chain_list + ")");
  for (size_t order = 0; order < commits.size(); ++order) {
    const ScannedCommit& c = commits[order];
    if (!c.facts.reverts) {
      continue;
    }
    std::vector<std::string> removed{*c.facts.reverts};
    carried.bind(1, *c.facts.reverts);
    while (carried.step()) {
      removed.push_back(carried.text_at(0));
    }
    carried.reset();
    for (const std::string& id : removed) {
      insert.bind(1, id).bind(2, c.id).bind(3, tid).bind(4, static_cast<int64_t>(order)).bind(5, int64_t{1});
      insert.bind(6, int64_t{k_rule_revert}).bind(7, c.facts.revert_line).run();
    }
  }
}

// Points rows that link to an invalid row at a valid row of the same series, source and version.
void relink(ProvenanceStore& store) {
  store.db().exec(R"sql(
UPDATE tag_detail AS child SET tid_link = (
  SELECT good.tid FROM tag_detail AS bad JOIN tag_detail AS good
    ON good.series = bad.series AND good.source = bad.source AND good.version = bad.version AND good.valid = 1
  WHERE bad.tid = child.tid_link ORDER BY good.tid DESC LIMIT 1)
WHERE child.tid_link IN (SELECT tid FROM tag_detail WHERE valid = 0)
  AND EXISTS (SELECT 1 FROM tag_detail AS bad JOIN tag_detail AS good
    ON good.series = bad.series AND good.source = bad.source AND good.version = bad.version AND good.valid = 1
    WHERE bad.tid = child.tid_link)
)sql");
}

// Finds the base, the first ancestor of the tag's parents (git log order) that is a scanned
// version (the parents, so a tag never links to another tag on the very same commit), then
// reads base..tip.
std::vector<ScannedCommit> read_range_after_base(const Repository& repo, const CommitId& tip,
                                                 const std::unordered_map<CommitId, std::vector<TagRow>>& candidates,
                                                 const ScanRequest& request, Ticker& ticker, const std::string& what,
                                                 std::optional<TagRow>& base) {
  std::vector<CommitId> parents = repo.parents(tip);
  if (!parents.empty()) {
    repo.walk_from(parents, [&](const CommitInfo& info) {
      auto it = candidates.find(info.id);
      if (it == candidates.end()) {
        return true;
      }
      base = *best_base(it->second, request);
      return false;
    });
  }
  return read_range(repo, tip, base ? std::optional<CommitId>(base->commit) : std::nullopt, ticker, what);
}

// The same base and range in one walk, when the history from the tag down to its base has no
// merge: there base..tip is exactly the commits met before the base, in the same order, so the
// range need not be read twice. Returns false (and its results are to be dropped) at the first
// merge, where only the two-step reading is exact.
bool read_linear_range(const Repository& repo, const CommitId& tip,
                       const std::unordered_map<CommitId, std::vector<TagRow>>& candidates, const ScanRequest& request,
                       Ticker& ticker, const std::string& what, std::optional<TagRow>& base,
                       std::vector<ScannedCommit>& commits) {
  bool linear = true;
  repo.walk_lazy(tip, [&](const CommitInfo& info) {
    if (info.id != tip) {
      auto it = candidates.find(info.id);
      if (it != candidates.end()) {
        base = *best_base(it->second, request);
        return false;
      }
    }
    if (info.parents > 1) {
      linear = false;
      return false;
    }
    commits.push_back({info.id, read_message(info.message)});
    ticker.tick([&] { return what + ": " + std::to_string(commits.size()) + " commits read"; });
    return true;
  });
  return linear;
}

} // namespace

ScanStats rescan_tags(ProvenanceStore& store, std::mutex& store_lock, const Repository& repo,
                      const ScanRequest& request) {
  ScanStats stats;
  Ticker ticker(request.progress);
  std::map<std::string, const VersionTag*> wanted; // tag → entry
  for (const VersionTag& v : request.versions) {
    wanted[v.tag] = &v;
  }
  {
    // Step 1: rows whose (tag, version) pair is no longer in the list are outdated.
    std::lock_guard lock(store_lock);
    db::Transaction transaction(store.db());
    for (const TagRow& row : store.tag_rows(request.series, request.source)) {
      auto it = wanted.find(row.tag);
      if (it == wanted.end() || it->second->version != row.version) {
        invalidate(store, row.tid);
        ++stats.invalidated;
      }
    }
    transaction.commit();
  }
  for (const VersionTag& version : request.versions) {
    std::unordered_map<CommitId, std::vector<TagRow>> candidates;
    {
      std::lock_guard lock(store_lock);
      bool keep = false;
      db::Transaction transaction(store.db());
      for (const TagRow& row : store.tag_rows(request.series, request.source)) {
        if (row.tag != version.tag) {
          continue;
        }
        if (row.commit == version.commit && parent_holds(store, row)) {
          keep = true; // unchanged: its stored range still holds
        } else {
          invalidate(store, row.tid); // tag moved, or its parent was rescanned
          ++stats.invalidated;
        }
      }
      transaction.commit();
      if (keep) {
        ++stats.kept;
        continue;
      }
      candidates = base_candidates(store);
    }
    std::string what = request.series + "_" + request.source + " " + version.version;
    std::optional<TagRow> base;
    std::vector<ScannedCommit> commits;
    if (!read_linear_range(repo, version.commit, candidates, request, ticker, what, base, commits)) {
      base.reset();
      commits = read_range_after_base(repo, version.commit, candidates, request, ticker, what, base);
    }
    stats.commits += static_cast<int64_t>(commits.size());
    ++stats.scanned;
    std::lock_guard lock(store_lock);
    db::Transaction transaction(store.db());
    db::Statement insert = store.db().prepare(
        "INSERT INTO tag_detail(series, source, version, tag, commit_id, tid_link, base_commit, valid) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, 1)");
    insert.bind(1, request.series).bind(2, request.source).bind(3, version.version).bind(4, version.tag);
    insert.bind(5, version.commit);
    if (base) {
      insert.bind(6, base->tid).bind(7, base->commit);
    } else {
      insert.bind_null(6).bind_null(7);
    }
    insert.run();
    int64_t tid = store.db().last_insert_rowid();
    store_range(store, tid, commits);
    relink(store);
    transaction.commit();
  }
  return stats;
}

int64_t clean_invalid(ProvenanceStore& store) {
  db::Sqlite& db = store.db();
  db::Transaction transaction(db);
  relink(store);
  int64_t deleted = 0;
  for (;;) {
    // Invalid rows that no row links to any more; deleting them may free their parents.
    db.exec("CREATE TEMP TABLE IF NOT EXISTS doomed(tid INTEGER PRIMARY KEY)");
    db.exec("DELETE FROM doomed");
    db.exec("INSERT INTO doomed SELECT tid FROM tag_detail AS t WHERE valid = 0 AND NOT EXISTS "
            "(SELECT 1 FROM tag_detail AS c WHERE c.tid_link = t.tid)");
    int64_t count = 0;
    {
      db::Statement q = db.prepare("SELECT count(*) FROM doomed");
      q.step();
      count = q.int_at(0);
    }
    if (count == 0) {
      break;
    }
    db.exec("DELETE FROM id_detail WHERE tid IN (SELECT tid FROM doomed)");
    db.exec("DELETE FROM title_id WHERE tid IN (SELECT tid FROM doomed)");
    db.exec("DELETE FROM tag_detail WHERE tid IN (SELECT tid FROM doomed)");
    deleted += count;
  }
  transaction.commit();
  return deleted;
}

int64_t apply_overlay(ProvenanceStore& store, const OverlayRules& overlay) {
  db::Sqlite& db = store.db();
  db::Transaction transaction(db);
  db.exec("DELETE FROM id_detail WHERE foverlay = 1");
  db.exec("CREATE TEMP TABLE IF NOT EXISTS overlay_map(source_id TEXT NOT NULL, target_id TEXT NOT NULL, "
          "evidence TEXT NOT NULL)");
  db.exec("DELETE FROM overlay_map");
  db::Statement add = db.prepare("INSERT INTO overlay_map(source_id, target_id, evidence) VALUES(?, ?, ?)");
  for (const OverlayRules::Mapping& m : overlay.mappings) {
    std::string evidence = overlay.path + ":" + std::to_string(m.line);
    for (const std::string& target : m.targets) {
      add.bind(1, m.id).bind(2, target).bind(3, evidence).run();
    }
  }
  // A :title line maps every commit with exactly that subject.
  db::Statement commits = db.prepare("SELECT DISTINCT id FROM title_id WHERE title = ?");
  for (const OverlayRules::Title& t : overlay.titles) {
    std::string evidence = overlay.path + ":" + std::to_string(t.line) + " (title)";
    std::vector<std::string> ids;
    commits.bind(1, t.title);
    while (commits.step()) {
      ids.push_back(commits.text_at(0));
    }
    commits.reset();
    for (const std::string& commit : ids) {
      for (const std::string& target : t.ids) {
        add.bind(1, commit).bind(2, target).bind(3, evidence).run();
      }
    }
  }
  db.exec("INSERT INTO id_detail(id, cid, tid, iorder, frevert, foverlay, rule, evidence) "
          "SELECT m.target_id, COALESCE(d.cid, d.id), d.tid, d.iorder, d.frevert, 1, 101, "
          "m.evidence || ': ' || m.source_id "
          "FROM id_detail AS d JOIN overlay_map AS m ON d.id = m.source_id WHERE d.foverlay = 0");
  int64_t written = db.changes();
  transaction.commit();
  return written;
}

} // namespace kct::kgit
