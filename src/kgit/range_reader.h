#pragma once
// The reading half of a scan (kernel-team doc §1.9.2): a version's base, the nearest version
// already scanned below its tag, and the commits base..tag in git log order, read with
// libgit2 and handed on in batches without being parsed (kgit/range_writer.h stores them).
#include "kgit/provenance_store.h"
#include "kgit/raw_commit.h"
#include "kgit/repository.h"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kct::kgit {

// A version a range may start from: a valid stored row, or a version this scan has read but
// not yet stored (its row is written on the other thread, so its tid is not known yet).
struct BaseCandidate {
  TagRow row;           // tid is 0 while pending
  int64_t pending = -1; // the scan's own sequence number for a version not yet stored
};

using BaseCandidates = std::unordered_map<RawId, std::vector<BaseCandidate>, RawIdHash>;

// Valid, non-pending rows of the store by commit.
BaseCandidates stored_base_candidates(ProvenanceStore& store);

// Reads the range of the version tagged at `tip` and passes its commits, newest first, to
// `emit` in batches; returns the base, or nullopt when the range runs to the root. Prefers a
// base of the request's series and source, then of its series, then the oldest row.
std::optional<BaseCandidate> read_version_range(const Repository& repo, const CommitId& tip,
                                                const BaseCandidates& candidates, const std::string& series,
                                                const std::string& source,
                                                const std::function<void(std::vector<RawCommit>&&)>& emit);

} // namespace kct::kgit
