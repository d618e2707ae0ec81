#pragma once
// What a commit message says about other commits (kernel-team doc §1.9.3): the references a
// distribution or stable commit carries to the upstream commit it came from, a revert, the
// subject. The rules are the kernel team's, in their order; only the first match per line
// counts, and lines after a revert marker are ignored, so results match their engine.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kct::kgit {

enum class ReferenceRule {
  stable_header,    // `commit <sha> upstream` (stable backports)
  upstream_bracket, // `[ Upstream commit <sha> ]`
  cherry_pick,      // `(cherry picked from commit <sha>)`, `backported from … commit <sha>` (any case)
  upstream_commit,  // `upstream commit: <sha>`, `upstream-commit <sha>`, `commit upstream <sha>` (any case)
  change_id,        // `Change-Id: I<hex>` (Gerrit)
  bug_link,         // `BugLink: …launchpad.net/…/<n>` → `bug#<n>`
};

const char* rule_name(ReferenceRule rule);

struct Reference {
  std::string id; // as captured: a case-insensitive rule may capture an uppercase sha, which
                  // (as in the kernel team's engine) then never matches a tracker sha
  ReferenceRule rule = ReferenceRule::stable_header;
  std::string line; // the message line that matched, for `kct why`
};

struct MessageFacts {
  std::string subject;                // first line
  std::optional<std::string> reverts; // `This reverts commit <sha>`
  std::string revert_line;
  std::vector<Reference> references;
};

MessageFacts read_message(std::string_view message);

} // namespace kct::kgit
