#include "triage/scan_run.h"

#include "triage/target_versions.h"
#include "util/error.h"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace kct::triage {
namespace {

struct Group {
  std::string repo_dir;
  std::vector<size_t> targets; // indexes into ScanRunResult::targets
  bool upstream = false;
  std::vector<util::Diagnostic> diagnostics;
  kgit::ScanStats stats;
};

void scan_group(Group& group, ScanRunResult& run, kgit::ProvenanceStore& store, std::mutex& store_lock,
                const ScanRunOptions& options) {
  std::string path = options.repos_dir + "/" + group.repo_dir;
  std::unique_ptr<kgit::Repository> repo;
  try {
    repo = std::make_unique<kgit::Repository>(path);
  } catch (const Error& e) {
    for (size_t i : group.targets) {
      group.diagnostics.push_back({path, 0, 0, util::Severity::error,
                                   std::string(e.what()) + "; " + run.targets[i].target->name() + " not scanned"});
    }
    return;
  }
  for (size_t i : group.targets) {
    ScannedTarget& scanned = run.targets[i];
    const ScanTarget& target = *scanned.target;
    try {
      TargetVersions versions = target_versions(target, *repo, options.state_dir, store, store_lock, group.diagnostics);
      for (const std::string& v : versions.untagged) {
        group.diagnostics.push_back({path, 0, 0, util::Severity::warning,
                                     target.name() + ": published version " + v + " has no Ubuntu-* tag; skipped"});
      }
      kgit::ScanRequest request{target.key, target.source, versions.versions, options.progress};
      kgit::ScanStats stats = kgit::rescan_tags(store, store_lock, *repo, request);
      group.stats.kept += stats.kept;
      group.stats.scanned += stats.scanned;
      group.stats.invalidated += stats.invalidated;
      group.stats.commits += stats.commits;
      for (const kgit::VersionTag& v : versions.versions) {
        scanned.versions.push_back(v.version);
        scanned.tags.push_back(v.tag);
      }
      scanned.ok = true;
      if (options.progress) {
        options.progress(target.name() + ": " + std::to_string(versions.versions.size()) + " versions, " +
                         std::to_string(stats.scanned) + " scanned, " + std::to_string(stats.commits) + " commits");
      }
    } catch (const Error& e) {
      group.diagnostics.push_back({path, 0, 0, util::Severity::error, target.name() + ": " + e.what()});
    }
  }
}

void run_parallel(std::vector<Group*>& groups, unsigned jobs, const std::function<void(Group&)>& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < groups.size(); i = next++) {
      fn(*groups[i]);
    }
  };
  unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(groups.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) {
    threads.emplace_back(worker);
  }
  worker();
  for (std::thread& t : threads) {
    t.join();
  }
}

} // namespace

kgit::OverlayRules overlay_rules(const Overlay& overlay) {
  kgit::OverlayRules rules;
  rules.path = overlay.path;
  for (const OverlayMapping& m : overlay.mappings) {
    rules.mappings.push_back({m.id, m.targets, m.line});
  }
  for (const OverlayTitle& t : overlay.titles) {
    rules.titles.push_back({t.title, t.ids, t.line});
  }
  return rules;
}

ScanRunResult run_scans(kgit::ProvenanceStore& store, const ScanConfig& config, const ScanRunOptions& options,
                        std::vector<util::Diagnostic>& diagnostics) {
  ScanRunResult run;
  std::map<std::string, Group> groups; // by repo directory
  for (const ScanTarget& target : config.targets) {
    if (!target.scan) {
      continue;
    }
    if (target.repo_dir.empty()) {
      diagnostics.push_back({config.path, target.line, 0, util::Severity::error,
                             target.name() + " has `scan` but no repository directory"});
      continue;
    }
    run.targets.push_back({&target, {}, {}, {}, {}, false});
    Group& group = groups[target.repo_dir];
    group.repo_dir = target.repo_dir;
    group.targets.push_back(run.targets.size() - 1);
    group.upstream = group.upstream || !target.tags_git_glob.empty();
  }
  // Distribution tags find their base among upstream versions, so upstream trees go first.
  std::mutex store_lock;
  kgit::BulkLoad bulk(store);
  for (bool upstream_phase : {true, false}) {
    std::vector<Group*> phase;
    for (auto& [dir, group] : groups) {
      if (group.upstream == upstream_phase) {
        phase.push_back(&group);
      }
    }
    run_parallel(phase, options.jobs, [&](Group& g) { scan_group(g, run, store, store_lock, options); });
  }
  for (auto& [dir, group] : groups) {
    diagnostics.insert(diagnostics.end(), group.diagnostics.begin(), group.diagnostics.end());
    run.stats.kept += group.stats.kept;
    run.stats.scanned += group.stats.scanned;
    run.stats.invalidated += group.stats.invalidated;
    run.stats.commits += group.stats.commits;
  }
  bulk.finish();
  // The overlay's rows derive from scanned rows: re-apply when either changed (§1.9.4).
  std::string fingerprint = options.overlay != nullptr ? options.overlay->fingerprint() : "";
  if (run.stats.scanned > 0 || store.meta("overlay_fingerprint").value_or("") != fingerprint) {
    kgit::OverlayRules rules = options.overlay != nullptr ? overlay_rules(*options.overlay) : kgit::OverlayRules{};
    run.overlay_rows = kgit::apply_overlay(store, rules);
    run.overlay_applied = true;
    store.set_meta("overlay_fingerprint", fingerprint);
  }
  if (run.stats.invalidated > 0) {
    kgit::clean_invalid(store);
  }
  PresenceIndex chains(store);
  for (ScannedTarget& scanned : run.targets) {
    if (!scanned.ok) {
      continue;
    }
    std::map<std::string, int64_t> tid_by_tag;
    for (const kgit::TagRow& row : store.tag_rows(scanned.target->key, scanned.target->source)) {
      tid_by_tag[row.tag] = row.tid;
    }
    for (const std::string& tag : scanned.tags) {
      auto it = tid_by_tag.find(tag);
      if (it == tid_by_tag.end()) {
        throw Error(store.db().path() + ": no scan row for " + scanned.target->name() + " tag " + tag);
      }
      scanned.tids.push_back(it->second);
      scanned.chains.push_back(chains.chain_of(it->second));
    }
  }
  return run;
}

} // namespace kct::triage
