#pragma once
// libgit2 behind a small RAII interface: open a (bare) repository, resolve tags and branches,
// read a file at a commit, list tags, ancestry, and walk a commit range in `git log` order.
// One Repository per thread: libgit2 objects must not be shared between threads.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct git_repository;

namespace kct::kgit {

// A full commit id as 40 lowercase hex characters (SQLite and tracker files store them so).
using CommitId = std::string;

// A commit id's 20 bytes (kgit/raw_commit.h reads commits by them).
using RawId = std::array<unsigned char, 20>;
class RawCommit;

enum class WalkOrder {
  lazy, // libgit2's unsorted order: nothing is read ahead (see walk_raw)
  date, // git log's default, commit date
};

struct TagRef {
  std::string name;      // without `refs/tags/`
  std::string object_id; // the tag object (annotated) or the commit (lightweight): the cache key
  CommitId commit;       // peeled to the commit
};

class Repository {
public:
  // Throws kct::Error naming `path` when it is not a git repository.
  explicit Repository(const std::string& path);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  const std::string& path() const { return m_path; }

  // Tags under refs/tags whose name matches the fnmatch `glob`, sorted by name.
  std::vector<TagRef> tags(std::string_view glob) const;
  // The commit a branch (refs/heads/<name>) or any revision points at, or nullopt.
  std::optional<CommitId> resolve(std::string_view revision) const;
  // The file's bytes at `commit`, or nullopt when the path does not exist there.
  std::optional<std::string> read_file(const CommitId& commit, std::string_view path) const;
  int64_t commit_time(const CommitId& commit) const;
  // The raw message of a commit, or nullopt when the object is not in this repository.
  std::optional<std::string> message(const CommitId& commit) const;
  bool is_ancestor(const CommitId& ancestor, const CommitId& descendant) const;
  std::vector<CommitId> parents(const CommitId& commit) const;

  // Calls `visit` for every commit reachable from `tip` and not from any of `hide`, newest
  // first, stopping early when it returns false. WalkOrder::date is git log's default order;
  // WalkOrder::lazy is libgit2's unsorted order, which on a linear stretch of history is simply
  // tip, parent, grandparent… and reads nothing ahead. Commits come as the object database
  // holds them (kgit/raw_commit.h), without hex ids or a parse of the signatures.
  void walk_raw(const CommitId& tip, const std::vector<CommitId>& hide, WalkOrder order,
                const std::function<bool(RawCommit&&)>& visit) const;
  // The ids of the commits reachable from any of `tips`, in the lazy order, stopping early
  // when `visit` returns false; the commits' messages are not looked at.
  void walk_ids(const std::vector<CommitId>& tips, const std::function<bool(const RawId&)>& visit) const;

  // The patch id of a commit's change against its first parent (git patch-id semantics,
  // as libgit2 computes it), or nullopt for merges and root commits.
  std::optional<std::string> patch_id(const CommitId& commit) const;

private:
  [[noreturn]] void fail(const std::string& what) const;

  git_repository* m_repo = nullptr;
  std::string m_path;
};

} // namespace kct::kgit
