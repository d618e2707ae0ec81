#pragma once
// The provenance store (kernel-team doc §1.9.1), a SQLite file in the state directory: per
// scanned version (TagDetail) the commits since the nearest already-scanned ancestor version
// and every reference their messages carry (IdDetail), the subject of every scanned commit
// (TitleId), plus caches kct adds: changelog versions by tag object, per-target identities
// and the overlay fingerprint. Versioned schema; one transaction per logical change.
#include "db/sqlite.h"
#include "kgit/tag_versions.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kct::kgit {

// IdDetail.rule: a ReferenceRule, or one of these.
inline constexpr int k_rule_commit = -1;   // the commit itself (base row)
inline constexpr int k_rule_revert = 100;  // removal recorded by a revert
inline constexpr int k_rule_overlay = 101; // synthesised from the overlay

struct TagRow {
  int64_t tid = 0;
  std::string series;
  std::string source;
  std::string version;
  std::string tag;
  CommitId commit;
  std::optional<int64_t> link;
  CommitId base_commit; // the commit the range was read from (the link's commit then); "" for a root
  bool valid = true;
};

// One IdDetail row: an id recorded (or removed) somewhere.
struct IdEvent {
  int64_t tid = 0;
  int64_t order = 0; // git log position within the range, 0 = newest
  bool revert = false;
  bool overlay = false;
  std::string carrier; // the commit that carried the reference ("" for the commit itself)
  int rule = k_rule_commit;
  std::string evidence; // the message line, or the overlay line
};

class ProvenanceStore {
public:
  static constexpr int k_schema_version = 2;
  // Recent id rows that make fold_recent_if_due fold them into the lookup indexes. At this
  // size the first look-up reads them into memory in ~80 ms and a fold takes ~0.4 s, ~6 ms
  // for each of the ~60 rescans of 1,000 commits that gathered them (README, "Autotriage").
  static constexpr int64_t k_fold_rows = 65536;

  // Opens or creates the store; migrates older schemas; refuses newer ones. A store SQLite
  // reports as corrupt is moved aside to `<path>.corrupt` and rebuilt empty (everything in it
  // can be recomputed from the trees), with rebuilt_reason() saying why; a store that cannot
  // be opened at all (permissions, a directory) throws kct::Error naming it.
  explicit ProvenanceStore(const std::string& path);

  db::Sqlite& db() { return *m_db; }
  // Every scan row as (tid, linked tid or -1).
  std::vector<std::pair<int64_t, int64_t>> links();
  // Copies the write-ahead log into the database file (BulkLoad::finish).
  void checkpoint();
  // Creates the id and title lookup indexes that a BulkLoad left out (also on every open,
  // so a run killed mid-load heals on the next one).
  void ensure_lookup_indexes();
  const std::string& rebuilt_reason() const { return m_rebuilt_reason; }

  std::optional<ChangelogVersion> cached_tag_version(const std::string& object_id);
  void remember_tag_version(const std::string& object_id, const ChangelogVersion& version);

  std::optional<std::string> meta(const std::string& key);
  void set_meta(const std::string& key, const std::string& value);

  std::vector<TagRow> tag_rows(const std::string& series, const std::string& source, bool valid_only = true);
  std::optional<TagRow> tag_row(int64_t tid);
  // Valid rows of real versions (not `pending`) of every target: where a new range may start.
  std::vector<TagRow> base_rows();
  // Points rows that link to an invalid row at a valid row of the same series, source and
  // version (a version rescanned after its tag moved or its parent changed).
  void relink();
  // [tid, link, link of link, …] — newest first.
  std::vector<int64_t> chain(int64_t tid);
  // Every row recording `id`, recent or not. Like everything here, not for two threads at
  // once: callers that scan in parallel hold their store lock.
  std::vector<IdEvent> events(const std::string& id);
  struct TitledCommit {
    std::string id;
    int64_t tid = 0;
  };
  // Every scanned commit whose subject is exactly `title`.
  std::vector<TitledCommit> titled(const std::string& title);

  // Recent rows: written by incremental scans and left out of the id and title lookup
  // indexes. Inserting 1,000 commits' random ids into those indexes dirtied ~5,000 pages
  // (two thirds of a rescan's time); the recent rows are instead read into memory when
  // looked up, and folded into the indexes once there are k_fold_rows of them.
  int64_t recent_mark() const { return m_bulk ? 0 : 1; } // the `recent` value new rows get
  int64_t recent_rows();
  void fold_recent();
  bool fold_recent_if_due(int64_t threshold = k_fold_rows);

private:
  friend class BulkLoad;
  struct RecentRows {
    std::unordered_map<std::string, std::vector<IdEvent>> events;
    std::unordered_map<std::string, std::vector<TitledCommit>> titled;
    int64_t loaded_at_change = -1; // the connection's change count when read
  };
  void migrate();
  void tune();
  const RecentRows& recent();

  std::unique_ptr<db::Sqlite> m_db;
  std::string m_rebuilt_reason;
  bool m_bulk = false;
  std::unique_ptr<RecentRows> m_recent;
  // Prepared once: a decision run looks up tens of thousands of ids.
  std::optional<db::Statement> m_events_query;
  std::optional<db::Statement> m_titled_query;
};

// While a first scan fills an empty store, the id and title lookup indexes (four of the
// five) are left out and built once at the end: maintaining them row by row was 40% of a
// full scan. The revert lookup by carrier commit, which scans need, stays. Does nothing on a
// store that already has id rows, where scans are incremental and small: there finish()
// folds the recent rows into the lookup indexes once they are many (fold_recent_if_due).
class BulkLoad {
public:
  explicit BulkLoad(ProvenanceStore& store);
  ~BulkLoad();
  BulkLoad(const BulkLoad&) = delete;
  BulkLoad& operator=(const BulkLoad&) = delete;
  bool active() const { return m_active; }
  // Builds the indexes (or folds); call before anything reads ids or titles.
  void finish();

private:
  ProvenanceStore& m_store;
  bool m_active = false;
  bool m_finished = false;
};

} // namespace kct::kgit
