#include "kgit/raw_commit.h"

#include "util/error.h"

#include <git2.h>

namespace kct::kgit {

CommitId to_commit_id(const RawId& id) {
  git_oid oid;
  std::memcpy(oid.id, id.data(), id.size());
  CommitId hex(GIT_OID_HEXSZ, '0');
  git_oid_fmt(hex.data(), &oid);
  return hex;
}

RawId to_raw_id(const CommitId& id) {
  git_oid oid;
  if (id.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, id.c_str()) != 0) {
    throw Error("not a full commit id: " + id);
  }
  RawId raw;
  std::memcpy(raw.data(), oid.id, raw.size());
  return raw;
}

RawCommit::RawCommit(const RawId& id, git_odb_object* object) : m_id(id), m_object(object) {
  const char* data = static_cast<const char*>(git_odb_object_data(object));
  std::string_view text(data, git_odb_object_size(object));
  // The header is `name value` lines up to the first empty line; the message follows it.
  size_t end = text.find("\n\n");
  std::string_view header = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
  m_message = end == std::string_view::npos ? std::string_view() : text.substr(end + 2);
  for (size_t line = 0; line < header.size();) {
    if (header.compare(line, 7, "parent ") == 0) {
      ++m_parents;
    } else if (header.compare(line, 7, "author ") == 0) {
      break; // parents come right after the tree
    }
    size_t next = header.find('\n', line);
    line = next == std::string_view::npos ? header.size() : next + 1;
  }
}

RawCommit::~RawCommit() {
  git_odb_object_free(m_object);
}

RawCommit::RawCommit(RawCommit&& other) noexcept
    : m_id(other.m_id), m_object(other.m_object), m_message(other.m_message), m_parents(other.m_parents) {
  other.m_object = nullptr;
}

RawCommit& RawCommit::operator=(RawCommit&& other) noexcept {
  if (this != &other) {
    git_odb_object_free(m_object);
    m_id = other.m_id;
    m_object = other.m_object;
    m_message = other.m_message;
    m_parents = other.m_parents;
    other.m_object = nullptr;
  }
  return *this;
}

} // namespace kct::kgit
