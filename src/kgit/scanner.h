#pragma once
// Building the tag graph of one scan target (kernel-team doc §1.9.2) and the overlay's
// synthetic rows (§1.9.4). Git is read with libgit2 outside the store's lock, so targets in
// different trees scan in parallel while their writes to the shared store stay serial; within
// one target, the calling thread reads git (kgit/range_reader.h) while a second thread parses
// messages and writes the store (kgit/range_writer.h).
#include "kgit/provenance_store.h"
#include "kgit/repository.h"
#include "kgit/tag_versions.h"

#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace kct::kgit {

struct ScanRequest {
  std::string series;
  std::string source;
  std::vector<VersionTag> versions; // oldest first; a `pending` tip last, tagged by branch name
  // Called about once a second while a scan runs longer than a second (progress on stderr).
  std::function<void(const std::string&)> progress;
};

struct ScanStats {
  int64_t kept = 0;        // versions whose stored range was still valid
  int64_t scanned = 0;     // versions (re)scanned
  int64_t invalidated = 0; // rows made invalid (outdated, tag moved, parent invalid)
  int64_t commits = 0;     // commits read
};

// Brings the store's rows for (series, source) in line with `request` (§1.9.2 steps 1-3).
// `store_lock` serialises every use of the store's connection.
ScanStats rescan_tags(ProvenanceStore& store, std::mutex& store_lock, const Repository& repo,
                      const ScanRequest& request);

struct OverlayRules {
  struct Mapping {
    std::string id;
    std::vector<std::string> targets;
    int line = 0;
  };
  struct Title {
    std::string title;
    std::vector<std::string> ids;
    int line = 0;
  };
  std::string path;
  std::vector<Mapping> mappings;
  std::vector<Title> titles;
};

// Replaces every overlay row by rows derived from the current non-overlay rows (§1.9.4).
// Returns how many rows it wrote.
int64_t apply_overlay(ProvenanceStore& store, const OverlayRules& overlay);

// Deletes invalid rows nothing links to, with their id and title rows (§1.9.2 step 3).
int64_t clean_invalid(ProvenanceStore& store);

} // namespace kct::kgit
