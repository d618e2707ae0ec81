#include "kgit/scanner.h"

#include "kgit/range_reader.h"
#include "kgit/range_writer.h"
#include "util/error.h"

#include <chrono>
#include <map>
#include <set>

namespace kct::kgit {
namespace {

// Reports at most once a second, and only once a second has passed.
class Ticker {
public:
  explicit Ticker(const std::function<void(const std::string&)>& report) : m_report(report) {}
  template <typename Describe>
  void tick(Describe describe) {
    if (!m_report) {
      return;
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
};

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

// Keeps the version's stored row when it is still at the tag's commit and its range still
// holds; otherwise invalidates every row of the tag. Returns whether the version is kept.
bool keep_stored(ProvenanceStore& store, const ScanRequest& request, const VersionTag& version, ScanStats& stats) {
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
  return keep;
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
  std::set<std::string> stored_tags; // tags with a valid row before this scan
  BaseCandidates candidates;
  {
    // Step 1: rows whose (tag, version) pair is no longer in the list are outdated.
    std::lock_guard lock(store_lock);
    db::Transaction transaction(store.db());
    for (const TagRow& row : store.tag_rows(request.series, request.source)) {
      auto it = wanted.find(row.tag);
      if (it == wanted.end() || it->second->version != row.version) {
        invalidate(store, row.tid);
        ++stats.invalidated;
      } else {
        stored_tags.insert(row.tag);
      }
    }
    transaction.commit();
    candidates = stored_base_candidates(store);
  }
  // This thread reads git; the writer parses and stores on another. A version is checked
  // against the store only once everything before it is stored, as if it were all one thread.
  RangeWriter writer(store, store_lock, request.series, request.source);
  bool writer_idle = true; // nothing handed over since the last wait
  for (const VersionTag& version : request.versions) {
    if (stored_tags.count(version.tag) != 0) {
      if (!writer_idle) {
        writer.wait_idle();
        writer_idle = true;
      }
      std::lock_guard lock(store_lock);
      if (keep_stored(store, request, version, stats)) {
        ++stats.kept;
        continue;
      }
      candidates = stored_base_candidates(store); // every version sent so far is stored now
    }
    std::string what = request.series + "_" + request.source + " " + version.version;
    int64_t sequence = writer.begin(version);
    writer_idle = false;
    std::optional<BaseCandidate> base = read_version_range(
        repo, version.commit, candidates, request.series, request.source, [&](std::vector<RawCommit>&& commits) {
          stats.commits += static_cast<int64_t>(commits.size());
          writer.add(std::move(commits));
          ticker.tick([&] { return what + ": " + std::to_string(stats.commits) + " commits read"; });
        });
    std::optional<RangeBase> range_base;
    if (base) {
      range_base = RangeBase{base->row.tid, base->pending, base->row.commit};
    }
    writer.finish(range_base);
    ++stats.scanned;
    stored_tags.insert(version.tag); // a tag listed twice is checked against this row
    if (version.version != "pending") {
      // A base for the versions after it, before the writer has given it a tid.
      TagRow row;
      row.series = request.series;
      row.source = request.source;
      row.version = version.version;
      row.tag = version.tag;
      row.commit = version.commit;
      candidates[to_raw_id(version.commit)].push_back({std::move(row), sequence});
    }
  }
  writer.close();
  return stats;
}

int64_t clean_invalid(ProvenanceStore& store) {
  db::Sqlite& db = store.db();
  db::Transaction transaction(db);
  store.relink();
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
  // A :title line maps every commit with exactly that subject. Looked up before anything is
  // written below: any write makes the store read its recent rows again (ProvenanceStore::titled).
  std::vector<std::set<std::string>> titled_ids;
  for (const OverlayRules::Title& t : overlay.titles) {
    std::set<std::string>& ids = titled_ids.emplace_back();
    for (ProvenanceStore::TitledCommit& c : store.titled(t.title)) {
      ids.insert(std::move(c.id));
    }
  }
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
  for (size_t i = 0; i < overlay.titles.size(); ++i) {
    const OverlayRules::Title& t = overlay.titles[i];
    std::string evidence = overlay.path + ":" + std::to_string(t.line) + " (title)";
    for (const std::string& commit : titled_ids[i]) {
      for (const std::string& target : t.ids) {
        add.bind(1, commit).bind(2, target).bind(3, evidence).run();
      }
    }
  }
  // Folded and recent rows apart: only the literal `recent = 0` reaches the id index.
  int64_t written = 0;
  for (const char* recent : {"0", "1"}) {
    db.prepare(std::string("INSERT INTO id_detail(id, cid, tid, iorder, frevert, foverlay, rule, evidence, recent) "
                           "SELECT m.target_id, COALESCE(d.cid, d.id), d.tid, d.iorder, d.frevert, 1, 101, "
                           "m.evidence || ': ' || m.source_id, ?1 "
                           "FROM overlay_map AS m JOIN id_detail AS d ON d.id = m.source_id "
                           "WHERE d.foverlay = 0 AND d.recent = ") +
               recent)
        .bind(1, store.recent_mark())
        .run();
    written += db.changes();
  }
  transaction.commit();
  return written;
}

} // namespace kct::kgit
