#pragma once
// `kct autotriage --suggest`: for a CVE still `needed` on a target, commits of that target's
// own history whose exact subject or patch-id matches an upstream fix, i.e. backports that lost
// their provenance line. Reported for a human to confirm (an overlay line, or a break-fix
// edit); never written. Beyond the kernel team's engine, which has no such matching.
#include "kgit/provenance_store.h"
#include "kgit/repository.h"
#include "triage/scan_run.h"

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace kct::triage {

struct Suggestion {
  std::string fix; // the upstream fix commit
  std::string fix_subject;
  std::string commit;  // the candidate in the target's tree
  std::string match;   // `subject` or `patch-id`
  std::string version; // the target version whose range holds the candidate
};

class Suggester {
public:
  Suggester(kgit::ProvenanceStore& store, std::string repos_dir) : m_store(store), m_repos_dir(std::move(repos_dir)) {}

  // Candidates for every 40-hex fix alternative of `wanted` (`a|b,c`) that is not present in
  // the target's newest version.
  std::vector<Suggestion> suggest(const ScannedTarget& target, const std::string& wanted, PresenceIndex& presence);

private:
  struct TargetCommits {
    std::vector<std::pair<std::string, int64_t>> commits;   // own-range commits and their tid
    std::unordered_map<std::string, std::string> patch_ids; // computed lazily
    bool patch_ids_done = false;
  };
  kgit::Repository& repo_for(const ScanTarget& target);
  TargetCommits& own_commits(const ScannedTarget& target);

  kgit::ProvenanceStore& m_store;
  std::string m_repos_dir;
  std::map<std::string, std::unique_ptr<kgit::Repository>> m_repos;
  std::map<std::string, TargetCommits> m_commits; // by target name
};

} // namespace kct::triage
