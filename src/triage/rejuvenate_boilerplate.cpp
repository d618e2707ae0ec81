// Reading the kernel boilerplate, and the eliminator's "boring line" test: the two small,
// text-only halves of rejuvenate (the file edits are in rejuvenate.cpp).
#include "triage/rejuvenate.h"

#include "util/strings.h"

#include <fmt/format.h>

namespace kct::triage {

using util::contains;
using util::starts_with;
using util::strip;

const BoilerplateStanza* Boilerplate::find(std::string_view package) const {
  for (const BoilerplateStanza& s : stanzas) {
    if (s.package == package) {
      return &s;
    }
  }
  return nullptr;
}

namespace {

BoilerplateStanza& stanza_for(Boilerplate& bp, std::string_view package) {
  for (BoilerplateStanza& s : bp.stanzas) {
    if (s.package == package) {
      return s;
    }
  }
  bp.stanzas.push_back(BoilerplateStanza{std::string(package), {}});
  return bp.stanzas.back();
}

} // namespace

Boilerplate parse_boilerplate(std::string path, std::string_view text, const catalog::Catalog& catalog) {
  Boilerplate bp;
  bp.path = std::move(path);
  auto bad = [&](int line_no, std::string message) {
    bp.diagnostics.push_back(util::Diagnostic{bp.path, line_no, 1, util::Severity::error, std::move(message)});
  };
  util::for_each_line(text, [&](int line_no, std::string_view raw) {
    std::string_view line = util::rstrip(raw);
    // Continuations (` break-fix:`), comments and blank lines carry no release defaults.
    if (line.empty() || line[0] == ' ' || line[0] == '#') {
      return;
    }
    size_t colon = line.find(':');
    std::string_view name = strip(line.substr(0, colon));
    if (colon == std::string_view::npos || !contains(name, "_")) {
      return; // a header field such as `Candidate:`
    }
    if (starts_with(name, "Patches_")) {
      // A section with no status lines still names a kernel the file should have.
      stanza_for(bp, name.substr(8));
      return;
    }
    // Same classification as the tracker parser: other underscored fields are not statuses.
    if (contains(name, "Priority") || contains(name, "Tags_")) {
      return;
    }
    size_t underscore = name.find('_');
    std::string_view release = name.substr(0, underscore);
    std::string_view package = name.substr(underscore + 1);
    if (!catalog.find(release)) {
      bad(line_no, fmt::format("boilerplate line '{}': unknown release '{}' (not in the catalog {}); line ignored",
                               line, release, catalog.path()));
      return;
    }
    std::string_view value = strip(line.substr(colon + 1));
    std::string_view state = value.substr(0, value.find(' '));
    BoilerplateLine l;
    l.release = std::string(release);
    l.line = static_cast<uint32_t>(line_no - 1);
    if (!state.empty()) { // `upstream_linux: ` is an old way to say needs-triage
      std::optional<tracker::State> s = tracker::parse_state(state);
      if (!s) {
        bad(line_no, fmt::format("boilerplate line '{}': unknown state '{}' (valid states are: {}); line ignored", line,
                                 state, tracker::valid_state_list()));
        return;
      }
      l.state = *s;
    }
    if (state.size() < value.size()) {
      std::string_view details = strip(value.substr(state.size()));
      if (!details.empty() && details.front() == '(') {
        details.remove_prefix(1);
      }
      if (!details.empty() && details.back() == ')') {
        details.remove_suffix(1);
      }
      l.details = std::string(details);
    }
    stanza_for(bp, package).lines.push_back(std::move(l));
  });
  return bp;
}

bool is_boring_addition(std::string_view line) {
  if (strip(line).empty()) {
    return true;
  }
  for (std::string_view word : {"DNE", "not-affected", "released", "ignored", "Patches_", "upstream_"}) {
    if (contains(line, word)) {
      return true;
    }
  }
  // A new devel_linux line waiting for triage is what rejuvenate adds to every retired file
  // once a release opens; keeping the file for that alone would be noise.
  return contains(line, "devel_linux") && contains(line, "needs-triage");
}

bool only_boring_changes(const std::vector<LineChange>& changes) {
  for (const LineChange& c : changes) {
    if (!is_boring_addition(c.new_text)) {
      return false;
    }
  }
  return true;
}

} // namespace kct::triage
