#include "kgit/repository.h"

#include "kgit/raw_commit.h"
#include "util/error.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <fnmatch.h>

namespace kct::kgit {
namespace {

// libgit2 must be initialised once per process before any use; shutdown is left to exit.
void ensure_libgit2() {
  static const int k_initialised = git_libgit2_init();
  (void)k_initialised;
}

std::string last_git_error() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

CommitId to_hex(const git_oid* oid) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, oid);
  return buffer;
}

template <typename T, void (*Free)(T*)>
struct Owned {
  T* ptr = nullptr;
  ~Owned() { Free(ptr); }
};

} // namespace

Repository::Repository(const std::string& path) : m_path(path) {
  ensure_libgit2();
  if (git_repository_open_ext(&m_repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    throw Error(path + ": not a git repository (" + last_git_error() + ")");
  }
}

Repository::~Repository() {
  git_repository_free(m_repo);
}

void Repository::fail(const std::string& what) const {
  throw Error(m_path + ": " + what + ": " + last_git_error());
}

std::vector<TagRef> Repository::tags(std::string_view glob) const {
  git_strarray names{};
  std::string pattern(glob);
  if (git_tag_list_match(&names, pattern.c_str(), m_repo) != 0) {
    fail("cannot list tags");
  }
  std::vector<TagRef> result;
  result.reserve(names.count);
  for (size_t i = 0; i < names.count; ++i) {
    std::string ref = std::string("refs/tags/") + names.strings[i];
    git_oid target;
    if (git_reference_name_to_id(&target, m_repo, ref.c_str()) != 0) {
      continue; // a broken ref is not a tag we can scan; git tag -l would still list it
    }
    Owned<git_object, git_object_free> peeled;
    Owned<git_object, git_object_free> object;
    if (git_object_lookup(&object.ptr, m_repo, &target, GIT_OBJECT_ANY) != 0 ||
        git_object_peel(&peeled.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) {
      continue; // tags of trees or blobs have no history
    }
    result.push_back({names.strings[i], to_hex(&target), to_hex(git_object_id(peeled.ptr))});
  }
  git_strarray_dispose(&names);
  std::sort(result.begin(), result.end(), [](const TagRef& a, const TagRef& b) { return a.name < b.name; });
  return result;
}

std::optional<CommitId> Repository::resolve(std::string_view revision) const {
  std::string spec(revision);
  Owned<git_object, git_object_free> object;
  if (git_revparse_single(&object.ptr, m_repo, spec.c_str()) != 0) {
    return std::nullopt;
  }
  Owned<git_object, git_object_free> commit;
  if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) {
    return std::nullopt;
  }
  return to_hex(git_object_id(commit.ptr));
}

namespace {
git_oid parse_oid(const CommitId& id, const std::string& repo) {
  git_oid oid;
  if (id.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, id.c_str()) != 0) {
    throw Error(repo + ": not a full commit id: " + id);
  }
  return oid;
}
} // namespace

std::optional<std::string> Repository::read_file(const CommitId& commit_id, std::string_view path) const {
  git_oid oid = parse_oid(commit_id, m_path);
  Owned<git_commit, git_commit_free> commit;
  if (git_commit_lookup(&commit.ptr, m_repo, &oid) != 0) {
    fail("cannot read commit " + commit_id);
  }
  Owned<git_tree, git_tree_free> tree;
  if (git_commit_tree(&tree.ptr, commit.ptr) != 0) {
    fail("cannot read tree of " + commit_id);
  }
  Owned<git_tree_entry, git_tree_entry_free> entry;
  std::string p(path);
  if (git_tree_entry_bypath(&entry.ptr, tree.ptr, p.c_str()) != 0) {
    return std::nullopt;
  }
  if (git_tree_entry_type(entry.ptr) != GIT_OBJECT_BLOB) {
    return std::nullopt;
  }
  Owned<git_blob, git_blob_free> blob;
  if (git_blob_lookup(&blob.ptr, m_repo, git_tree_entry_id(entry.ptr)) != 0) {
    fail("cannot read " + p + " at " + commit_id);
  }
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.ptr)),
                     static_cast<size_t>(git_blob_rawsize(blob.ptr)));
}

int64_t Repository::commit_time(const CommitId& commit_id) const {
  git_oid oid = parse_oid(commit_id, m_path);
  Owned<git_commit, git_commit_free> commit;
  if (git_commit_lookup(&commit.ptr, m_repo, &oid) != 0) {
    fail("cannot read commit " + commit_id);
  }
  return git_commit_time(commit.ptr);
}

std::optional<std::string> Repository::message(const CommitId& commit_id) const {
  git_oid oid = parse_oid(commit_id, m_path);
  Owned<git_commit, git_commit_free> commit;
  if (git_commit_lookup(&commit.ptr, m_repo, &oid) != 0) {
    return std::nullopt;
  }
  const char* raw = git_commit_message_raw(commit.ptr);
  return std::string(raw != nullptr ? raw : "");
}

bool Repository::is_ancestor(const CommitId& ancestor, const CommitId& descendant) const {
  git_oid a = parse_oid(ancestor, m_path);
  git_oid d = parse_oid(descendant, m_path);
  if (git_oid_equal(&a, &d)) {
    return true;
  }
  int rc = git_graph_descendant_of(m_repo, &d, &a);
  if (rc < 0) {
    fail("cannot compare " + ancestor + " and " + descendant);
  }
  return rc == 1;
}

std::vector<CommitId> Repository::parents(const CommitId& commit_id) const {
  git_oid oid = parse_oid(commit_id, m_path);
  Owned<git_commit, git_commit_free> commit;
  if (git_commit_lookup(&commit.ptr, m_repo, &oid) != 0) {
    fail("cannot read commit " + commit_id);
  }
  std::vector<CommitId> result;
  for (unsigned i = 0; i < git_commit_parentcount(commit.ptr); ++i) {
    result.push_back(to_hex(git_commit_parent_id(commit.ptr, i)));
  }
  return result;
}

void Repository::walk_raw(const CommitId& tip, const std::vector<CommitId>& hide, WalkOrder order,
                          const std::function<bool(RawCommit&&)>& visit) const {
  Owned<git_revwalk, git_revwalk_free> walker;
  Owned<git_odb, git_odb_free> odb;
  if (git_revwalk_new(&walker.ptr, m_repo) != 0 || git_repository_odb(&odb.ptr, m_repo) != 0) {
    fail("cannot walk history");
  }
  git_revwalk_sorting(walker.ptr, order == WalkOrder::date ? GIT_SORT_TIME : GIT_SORT_NONE);
  git_oid start = parse_oid(tip, m_path);
  if (git_revwalk_push(walker.ptr, &start) != 0) {
    fail("cannot walk from " + tip);
  }
  for (const CommitId& h : hide) {
    git_oid oid = parse_oid(h, m_path);
    if (git_revwalk_hide(walker.ptr, &oid) != 0) {
      fail("cannot hide " + h);
    }
  }
  git_oid oid;
  while (git_revwalk_next(&oid, walker.ptr) == 0) {
    // The walk has just read this object to find its parents, so this comes from the cache.
    git_odb_object* object = nullptr;
    if (git_odb_read(&object, odb.ptr, &oid) != 0) {
      fail("cannot read commit " + to_hex(&oid));
    }
    if (git_odb_object_type(object) != GIT_OBJECT_COMMIT) {
      git_odb_object_free(object);
      fail("not a commit: " + to_hex(&oid));
    }
    RawId id;
    std::memcpy(id.data(), oid.id, id.size());
    if (!visit(RawCommit(id, object))) {
      return;
    }
  }
}

void Repository::walk_ids(const std::vector<CommitId>& tips, const std::function<bool(const RawId&)>& visit) const {
  Owned<git_revwalk, git_revwalk_free> walker;
  if (git_revwalk_new(&walker.ptr, m_repo) != 0) {
    fail("cannot walk history");
  }
  // No sort flag: any sort makes libgit2 read the whole history before the first commit
  // (limit_list), and a base search usually stops after a few thousand commits.
  git_revwalk_sorting(walker.ptr, GIT_SORT_NONE);
  for (const CommitId& tip : tips) {
    git_oid oid = parse_oid(tip, m_path);
    if (git_revwalk_push(walker.ptr, &oid) != 0) {
      fail("cannot walk from " + tip);
    }
  }
  git_oid oid;
  RawId id;
  while (git_revwalk_next(&oid, walker.ptr) == 0) {
    std::memcpy(id.data(), oid.id, id.size());
    if (!visit(id)) {
      return;
    }
  }
}

std::optional<std::string> Repository::patch_id(const CommitId& commit_id) const {
  git_oid oid = parse_oid(commit_id, m_path);
  Owned<git_commit, git_commit_free> commit;
  if (git_commit_lookup(&commit.ptr, m_repo, &oid) != 0) {
    return std::nullopt;
  }
  if (git_commit_parentcount(commit.ptr) != 1) {
    return std::nullopt;
  }
  Owned<git_commit, git_commit_free> parent;
  Owned<git_tree, git_tree_free> tree;
  Owned<git_tree, git_tree_free> parent_tree;
  if (git_commit_parent(&parent.ptr, commit.ptr, 0) != 0 || git_commit_tree(&tree.ptr, commit.ptr) != 0 ||
      git_commit_tree(&parent_tree.ptr, parent.ptr) != 0) {
    return std::nullopt;
  }
  Owned<git_diff, git_diff_free> diff;
  if (git_diff_tree_to_tree(&diff.ptr, m_repo, parent_tree.ptr, tree.ptr, nullptr) != 0) {
    return std::nullopt;
  }
  git_oid id;
  if (git_diff_patchid(&id, diff.ptr, nullptr) != 0) {
    return std::nullopt;
  }
  return to_hex(&id);
}

} // namespace kct::kgit
