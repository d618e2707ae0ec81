#include "triage/explain.h"

#include "kgit/references.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace kct::triage {
namespace {

std::string where_of(kgit::ProvenanceStore& store, int64_t tid) {
  std::optional<kgit::TagRow> row = store.tag_row(tid);
  return row ? row->series + "_" + row->source + " " + row->version : "range " + std::to_string(tid);
}

Evidence evidence_for(const std::string& id, const PresenceIndex::Chain& chain, PresenceIndex& presence,
                      kgit::ProvenanceStore& store) {
  Evidence e;
  e.id = id;
  std::optional<kgit::IdEvent> last = presence.last_event(chain, id);
  if (!last) {
    return e;
  }
  e.recorded = true;
  e.present = !last->revert;
  e.line = last->evidence;
  e.commit = last->carrier.empty() ? id : last->carrier;
  e.where = where_of(store, last->tid);
  if (last->overlay) {
    e.kind = "overlay";
  } else if (last->revert) {
    e.kind = "revert";
  } else if (last->rule == kgit::k_rule_commit) {
    e.kind = "commit";
  } else {
    e.kind = "reference";
    e.rule = kgit::rule_name(static_cast<kgit::ReferenceRule>(last->rule));
  }
  return e;
}

std::string upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

// A commit in the chain of `tip` whose subject is `Revert "<subject of carrier>"`.
std::optional<std::string> revert_by_subject(kgit::ProvenanceStore& store, int64_t tip, const std::string& carrier) {
  db::Statement subject = store.db().prepare("SELECT title FROM title_id WHERE id = ? LIMIT 1");
  subject.bind(1, carrier);
  if (!subject.step()) {
    return std::nullopt;
  }
  std::vector<int64_t> chain = store.chain(tip);
  for (const kgit::ProvenanceStore::TitledCommit& c : store.titled("Revert \"" + subject.text_at(0) + "\"")) {
    if (std::find(chain.begin(), chain.end(), c.tid) != chain.end()) {
      return c.id;
    }
  }
  return std::nullopt;
}

} // namespace

Explanation explain(const std::vector<BreakFixEntry>& entries, const ScannedTarget& target, PresenceIndex& presence,
                    kgit::ProvenanceStore& store) {
  Explanation x;
  const std::string& source = target.target->source;
  bool own = std::any_of(entries.begin(), entries.end(), [&](const BreakFixEntry& e) { return e.package == source; });
  x.package = own ? source : "linux";
  x.needs = needs_for(entries, source);
  x.decision = decide_for_target(entries, target, presence, true);
  for (const WalkStep& step : x.decision.walk) {
    size_t k = static_cast<size_t>(std::find(target.versions.begin(), target.versions.end(), step.version) -
                                   target.versions.begin());
    ExplainedStep s;
    s.version = step.version;
    s.tag = k < target.tags.size() ? target.tags[k] : "";
    s.outcome = step.outcome;
    for (size_t i = 0; i < x.needs.size(); ++i) {
      const Need& need = x.needs[i];
      NeedCheck check;
      check.applicable = step.applicable[i];
      if (need.introduced != "-") {
        check.introduced = evidence_for(need.introduced, target.chains[k], presence, store);
      }
      if (check.applicable) {
        for (const std::string& fix : need.fixes) {
          check.fixes.push_back(evidence_for(fix, target.chains[k], presence, store));
        }
      }
      s.needs.push_back(std::move(check));
    }
    x.steps.push_back(std::move(s));
  }
  // Blind spots worth a human look.
  for (const Need& need : x.needs) {
    if (need.malformed) {
      x.warnings.push_back("the break-fix entry on line " + std::to_string(need.line) +
                           " is malformed; it counts as a fix that is never present, so the state stays needed");
    }
    for (const std::string& fix : need.fixes) {
      if (target.chains.empty() || fix.size() != 40) {
        continue;
      }
      const PresenceIndex::Chain& newest = target.chains.back();
      if (presence.last_event(newest, upper(fix)) && upper(fix) != fix) {
        x.warnings.push_back("a reference to " + fix +
                             " written in upper case was ignored, as the kernel team's "
                             "engine ignores it; check whether the fix is in fact there");
      }
      std::optional<kgit::IdEvent> last = presence.last_event(newest, fix);
      if (last && !last->revert && last->rule == static_cast<int>(kgit::ReferenceRule::upstream_commit)) {
        x.warnings.push_back("fix " + fix.substr(0, 12) + " counts as present only through the line \"" +
                             last->evidence + "\": make sure it is not prose that merely mentions the commit");
      }
      if (last && !last->revert && last->rule != kgit::k_rule_commit && !last->overlay) {
        // A stable revert names the stable sha, which a distribution tree does not contain, so
        // the engine misses it (kernel-team doc, correction 3): look for a revert by subject.
        if (std::optional<std::string> reverter = revert_by_subject(store, newest.tip(), last->carrier)) {
          x.warnings.push_back("commit " + last->carrier.substr(0, 12) + " carrying fix " + fix.substr(0, 12) +
                               " looks reverted by " + reverter->substr(0, 12) +
                               " (same subject), which names a commit not in this tree; the engine still counts "
                               "the fix as present");
        }
      }
    }
  }
  return x;
}

} // namespace kct::triage
