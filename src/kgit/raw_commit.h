#pragma once
// A commit as the object database holds it, for scans that read hundreds of thousands of
// commits: the id in its 20 binary bytes and the raw object shared with libgit2's cache, so
// nothing is parsed or copied while walking. It can be read and released on another thread
// than the walk's (libgit2 counts references to cached objects atomically), which is how a
// scan hands commits from the thread that walks to the thread that stores them.
#include "kgit/repository.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

struct git_odb_object;

namespace kct::kgit {

struct RawIdHash {
  size_t operator()(const RawId& id) const {
    size_t h = 0;
    std::memcpy(&h, id.data(), sizeof h); // an object id is already uniformly distributed
    return h;
  }
};

// The 40 lowercase hex characters of `id`.
CommitId to_commit_id(const RawId& id);
// The binary form of a full 40-character id; throws kct::Error for anything else.
RawId to_raw_id(const CommitId& id);

class RawCommit {
public:
  RawCommit(const RawId& id, git_odb_object* object); // takes over the reference
  ~RawCommit();
  RawCommit(RawCommit&& other) noexcept;
  RawCommit& operator=(RawCommit&& other) noexcept;
  RawCommit(const RawCommit&) = delete;
  RawCommit& operator=(const RawCommit&) = delete;

  const RawId& id() const { return m_id; }
  // The message after the header, as git_commit_message_raw gives it.
  std::string_view message() const { return m_message; }
  unsigned parents() const { return m_parents; }

private:
  RawId m_id;
  git_odb_object* m_object = nullptr;
  std::string_view m_message;
  unsigned m_parents = 0;
};

} // namespace kct::kgit
