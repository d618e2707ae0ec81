#include "triage/suggest.h"

#include "kgit/references.h"

#include <set>

namespace kct::triage {

kgit::Repository& Suggester::repo_for(const ScanTarget& target) {
  std::unique_ptr<kgit::Repository>& repo = m_repos[target.repo_dir];
  if (!repo) {
    repo = std::make_unique<kgit::Repository>(m_repos_dir + "/" + target.repo_dir);
  }
  return *repo;
}

// The commits of the newest version's chain that this target itself scanned (its own ranges,
// not the upstream ranges it builds on): where a lost backport would be.
Suggester::TargetCommits& Suggester::own_commits(const ScannedTarget& target) {
  auto it = m_commits.find(target.target->name());
  if (it != m_commits.end()) {
    return it->second;
  }
  TargetCommits& tc = m_commits[target.target->name()];
  if (target.chains.empty()) {
    return tc;
  }
  db::Statement q =
      m_store.db().prepare("SELECT d.id, d.tid FROM id_detail AS d JOIN tag_detail AS t ON t.tid = d.tid "
                           "WHERE d.tid = ? AND d.rule = -1 AND d.foverlay = 0 AND t.series = ? AND t.source = ?");
  for (int64_t tid : m_store.chain(target.chains.back().tip())) {
    q.bind(1, tid).bind(2, target.target->key).bind(3, target.target->source);
    while (q.step()) {
      tc.commits.emplace_back(q.text_at(0), q.int_at(1));
    }
    q.reset();
  }
  return tc;
}

std::vector<Suggestion> Suggester::suggest(const ScannedTarget& target, const std::string& wanted,
                                           PresenceIndex& presence) {
  std::vector<Suggestion> result;
  if (!target.ok || target.chains.empty()) {
    return result;
  }
  std::set<std::string> fixes;
  size_t start = 0;
  while (start <= wanted.size()) {
    size_t end = wanted.find_first_of(",|", start);
    std::string id = wanted.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (id.size() == 40 && !presence.has(target.chains.back(), id)) {
      fixes.insert(id);
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  if (fixes.empty()) {
    return result;
  }
  kgit::Repository& repo = repo_for(*target.target);
  TargetCommits& own = own_commits(target);
  auto version_of = [&](int64_t tid) {
    std::optional<kgit::TagRow> row = m_store.tag_row(tid);
    return row ? row->version : std::string("?");
  };
  for (const std::string& fix : fixes) {
    std::optional<std::string> message = repo.message(fix);
    if (!message) {
      continue; // the fix commit is not in this tree's object store: nothing to compare with
    }
    std::string subject = kgit::read_message(*message).subject;
    std::set<std::string> seen;
    for (const kgit::ProvenanceStore::TitledCommit& same : m_store.titled(subject)) {
      if (same.id != fix && target.chains.back().position(same.tid) >= 0 && seen.insert(same.id).second) {
        result.push_back({fix, subject, same.id, "subject", version_of(same.tid)});
      }
    }
    std::optional<std::string> fix_patch = repo.patch_id(fix);
    if (!fix_patch) {
      continue;
    }
    if (!own.patch_ids_done) {
      for (const auto& [commit, tid] : own.commits) {
        if (std::optional<std::string> p = repo.patch_id(commit)) {
          own.patch_ids[commit] = *p;
        }
      }
      own.patch_ids_done = true;
    }
    for (const auto& [commit, tid] : own.commits) {
      auto p = own.patch_ids.find(commit);
      if (commit != fix && p != own.patch_ids.end() && p->second == *fix_patch && seen.insert(commit).second) {
        result.push_back({fix, subject, commit, "patch-id", version_of(tid)});
      }
    }
  }
  return result;
}

} // namespace kct::triage
