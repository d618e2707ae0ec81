#include "kgit/range_reader.h"

namespace kct::kgit {
namespace {

constexpr size_t k_batch = 1024;
// A linear stretch is held until its base shows it is complete; past this many commits the
// two-step reading, which streams, is cheaper than the memory.
constexpr size_t k_linear_limit = size_t{1} << 16;

int rank(const BaseCandidate& c, const std::string& series, const std::string& source) {
  if (c.row.series == series && c.row.source == source) {
    return 0;
  }
  return c.row.series == series ? 1 : 2;
}

// Stored rows come before pending ones: a pending row gets its tid after every stored one.
bool better(const BaseCandidate& a, const BaseCandidate& b, const std::string& series, const std::string& source) {
  int ra = rank(a, series, source);
  int rb = rank(b, series, source);
  if (ra != rb) {
    return ra < rb;
  }
  if ((a.pending < 0) != (b.pending < 0)) {
    return a.pending < 0;
  }
  return a.pending < 0 ? a.row.tid < b.row.tid : a.pending < b.pending;
}

const BaseCandidate& best_base(const std::vector<BaseCandidate>& found, const std::string& series,
                               const std::string& source) {
  const BaseCandidate* best = &found.front();
  for (const BaseCandidate& c : found) {
    if (better(c, *best, series, source)) {
      best = &c;
    }
  }
  return *best;
}

// Hands commits on k_batch at a time.
class Batches {
public:
  explicit Batches(const std::function<void(std::vector<RawCommit>&&)>& emit) : m_emit(emit) {}
  void add(RawCommit&& commit) {
    m_batch.push_back(std::move(commit));
    if (m_batch.size() == k_batch) {
      flush();
    }
  }
  void flush() {
    if (!m_batch.empty()) {
      m_emit(std::move(m_batch));
      m_batch.clear(); // moved from: valid, made empty
    }
  }

private:
  const std::function<void(std::vector<RawCommit>&&)>& m_emit;
  std::vector<RawCommit> m_batch;
};

} // namespace

BaseCandidates stored_base_candidates(ProvenanceStore& store) {
  BaseCandidates result;
  for (TagRow& row : store.base_rows()) {
    RawId id = to_raw_id(row.commit);
    result[id].push_back({std::move(row), -1});
  }
  return result;
}

std::optional<BaseCandidate> read_version_range(const Repository& repo, const CommitId& tip,
                                                const BaseCandidates& candidates, const std::string& series,
                                                const std::string& source,
                                                const std::function<void(std::vector<RawCommit>&&)>& emit) {
  // One walk when the history from the tag down to its base has no merge: base..tip is then
  // exactly the commits met before the base, in the same order. The walk starts at the tag
  // itself, so a version on the very same commit as the tag is never its base.
  RawId tip_id = to_raw_id(tip);
  std::optional<BaseCandidate> base;
  std::vector<RawCommit> linear;
  bool is_linear = true;
  repo.walk_raw(tip, {}, WalkOrder::lazy, [&](RawCommit&& commit) {
    if (commit.id() != tip_id) {
      if (auto it = candidates.find(commit.id()); it != candidates.end()) {
        base = best_base(it->second, series, source);
        return false;
      }
    }
    if (commit.parents() > 1 || linear.size() >= k_linear_limit) {
      is_linear = false;
      return false;
    }
    linear.push_back(std::move(commit));
    return true;
  });
  Batches batches(emit);
  if (is_linear) {
    for (RawCommit& commit : linear) {
      batches.add(std::move(commit));
    }
    batches.flush();
    return base;
  }
  // A merge is in the way: the base is the first scanned version among the ancestors of the
  // tag's parents in git log order, and the range is what `git log base..tip` lists.
  linear.clear();
  base.reset();
  std::vector<CommitId> parents = repo.parents(tip);
  if (!parents.empty()) {
    repo.walk_ids(parents, [&](const RawId& id) {
      auto it = candidates.find(id);
      if (it == candidates.end()) {
        return true;
      }
      base = best_base(it->second, series, source);
      return false;
    });
  }
  std::vector<CommitId> hide;
  if (base) {
    hide.push_back(base->row.commit);
  }
  repo.walk_raw(tip, hide, WalkOrder::date, [&](RawCommit&& commit) {
    batches.add(std::move(commit));
    return true;
  });
  batches.flush();
  return base;
}

} // namespace kct::kgit
