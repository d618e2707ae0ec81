// cve-rejuvenate (kernel-team doc §1.11.5) as four passes over one file, each re-reading the
// file the previous one left: (1) remove duplicate keys and stale kernel sections, (2) rewrite
// devel names and forced DNE lines, (3) insert missing boilerplate lines, (4) append missing
// kernels. Removals go first so that a rename never meets the duplicate it replaces (the Editor
// would refuse the intermediate file).
//
// Decisions where the spec is vague:
// - Only kernel sections are touched: packages the boilerplate lists or named `linux*`. Other
//   packages in a kernel CVE belong to the security team.
// - Duplicate keys are compared after renaming (`focal_linux` and `devel_linux` are one key
//   while focal is in development); the first line in file order wins, as the parser does.
// - "Latest series" ignores variants (`trusty/esm`) and pseudo-releases, as the kernel team's
//   tool does. A devel_ line is stale only when the release after that series is not the
//   development release and the boilerplate's own latest series for the kernel is newer
//   (without the second test a boilerplate that skips releases would rename the devel_ line
//   it just added on the next run). Known limit: in retired mode, a boilerplate whose live
//   devel_ line follows DNE releases can still rename on a second run.
// - Devel naming is the same with -r: the eliminator's "devel_linux needs-triage" exception
//   exists because retired files receive that line.
// - Forced DNE writes plain `DNE`, whatever state or note the line had: the boilerplate says the
//   kernel does not exist in that release, so any other value is stale.
// - An unknown kernel section is dropped only when it also has no ` break-fix:` or other patch
//   lines and no hand-written note (§1.15 #9); its separating blank line goes with it when the
//   section is one block of lines.
// - Missing lines go before the section's first line of a later release, else after its last
//   status line, else after its Patches_ header; they are written in the canonical form.
// - Skipped: blank-line normalisation and --ocd sorting (they rewrite lines nobody asked to
//   change, against the minimal-edit rule).
#include "triage/rejuvenate.h"

#include "tracker/editor.h"
#include "util/strings.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace kct::triage {

using tracker::State;
using util::starts_with;
using util::strip;

namespace {

// A line that the parser reads as a status line, taken apart from the raw text: duplicate
// copies are not in CveFile::statuses(), so pass (1) has to look at the lines themselves.
struct RawStatus {
  std::string_view release;
  std::string_view package;
  size_t name_end = 0; // just after the package name: a rename keeps the rest byte for byte
  std::optional<State> state;
  std::string_view details;
};

std::optional<RawStatus> raw_status(std::string_view line) {
  if (line.empty() || line[0] == ' ' || line[0] == '#') {
    return std::nullopt;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view name = strip(line.substr(0, colon));
  size_t underscore = name.find('_');
  if (underscore == std::string_view::npos || util::contains(name, "Priority") || util::contains(name, "Patches_") ||
      util::contains(name, "Tags_")) {
    return std::nullopt;
  }
  RawStatus r{name.substr(0, underscore), name.substr(underscore + 1), 0, {}, {}};
  r.name_end = static_cast<size_t>(name.data() - line.data()) + name.size();
  std::string_view value = strip(line.substr(colon + 1));
  std::string_view word = value.substr(0, value.find(' '));
  r.state = word.empty() ? std::optional<State>(State::needs_triage) : tracker::parse_state(word);
  r.details = strip(value.substr(word.size()));
  return r;
}

bool is_blank(std::string_view line) {
  return strip(line).empty();
}

class Rejuvenator {
public:
  Rejuvenator(tracker::CveFile& file, const Boilerplate& bp, const catalog::Catalog& catalog,
              const RejuvenateOptions& options)
      : m_file(file), m_bp(bp), m_catalog(catalog), m_options(options), m_editor(file, catalog) {}

  std::vector<LineChange> run() {
    fix_existing_lines();
    add_missing_lines();
    add_missing_packages();
    return std::move(m_changes);
  }

private:
  bool is_kernel(std::string_view package) const {
    return m_bp.find(package) != nullptr || starts_with(package, "linux");
  }

  // The name a release is written under: the live development codename becomes `devel`.
  std::string_view canonical(std::string_view release) const {
    return !m_options.devel.empty() && release == m_options.devel ? std::string_view("devel") : release;
  }

  // Position in release order: upstream first, devel at the development release, unknown last.
  int64_t order(std::string_view release) const {
    if (release == "upstream") {
      return -1;
    }
    if (release == "devel" && !m_options.devel.empty()) {
      release = m_options.devel;
    }
    std::optional<catalog::ReleaseId> id = m_catalog.find(release);
    return id ? static_cast<int64_t>(*id) : INT64_MAX;
  }

  // Newest plain release (no variant, no pseudo-release) among `releases`, or k_no_release.
  template <typename Range, typename Get>
  catalog::ReleaseId latest_series(const Range& range, Get get) const {
    catalog::ReleaseId latest = catalog::k_no_release;
    for (const auto& item : range) {
      std::optional<catalog::ReleaseId> id = m_catalog.find(get(item));
      if (id && m_catalog.release(*id).kind == catalog::ReleaseKind::release &&
          (latest == catalog::k_no_release || *id > latest)) {
        latest = *id;
      }
    }
    return latest;
  }

  // What `devel_` meant when this kernel's section was last brought up to date, or "" when it
  // still means the development release.
  std::string stale_devel_name(std::string_view package, const std::vector<std::string_view>& releases) const {
    catalog::ReleaseId latest = latest_series(releases, [](std::string_view r) { return r; });
    if (latest == catalog::k_no_release) {
      return {};
    }
    if (const BoilerplateStanza* s = m_bp.find(package)) {
      catalog::ReleaseId bp_latest = latest_series(s->lines, [](const BoilerplateLine& l) { return l.release; });
      if (bp_latest == catalog::k_no_release || bp_latest <= latest) {
        return {};
      }
    }
    const std::vector<catalog::Release>& all = m_catalog.releases();
    for (size_t i = latest + 1; i < all.size(); ++i) {
      if (all[i].kind == catalog::ReleaseKind::release) {
        return all[i].name == m_options.devel ? std::string() : all[i].name;
      }
    }
    return {};
  }

  const BoilerplateLine* boilerplate_line(const BoilerplateStanza* stanza, std::string_view release) const {
    if (stanza == nullptr) {
      return nullptr;
    }
    for (const BoilerplateLine& l : stanza->lines) {
      if (canonical(l.release) == release) {
        return &l;
      }
    }
    return nullptr;
  }

  bool droppable(std::string_view package, const std::vector<size_t>& status_lines) const {
    if (m_bp.find(package) != nullptr || !starts_with(package, "linux")) {
      return false;
    }
    for (const tracker::PatchLine& p : m_file.patch_lines()) {
      if (m_file.view(p.package) == package) {
        return false;
      }
    }
    for (size_t i : status_lines) {
      RawStatus r = *raw_status(m_file.line(i));
      if (r.release == "upstream") {
        continue;
      }
      bool plain = r.state == State::needs_triage || r.state == State::needed || r.state == State::dne;
      bool human_note = !r.details.empty() && !(r.details[0] >= '0' && r.details[0] <= '9');
      if (!plain || human_note) {
        return false;
      }
    }
    return true;
  }

  // Lines of a dropped section, plus the blank line that separates it from its neighbours.
  void plan_drop(std::string_view package, const std::vector<size_t>& status_lines, std::set<size_t>& removals) const {
    std::vector<size_t> lines = status_lines;
    if (const tracker::Field* f = m_file.field("Patches_" + std::string(package))) {
      for (size_t i = f->line; i <= f->last_line; ++i) {
        lines.push_back(i);
      }
    }
    std::sort(lines.begin(), lines.end());
    removals.insert(lines.begin(), lines.end());
    if (lines.empty() || lines.back() - lines.front() + 1 != lines.size()) {
      return;
    }
    if (lines.front() > 0 && is_blank(m_file.line(lines.front() - 1))) {
      removals.insert(lines.front() - 1);
    } else if (lines.back() + 1 < m_file.line_count() && is_blank(m_file.line(lines.back() + 1))) {
      removals.insert(lines.back() + 1);
    }
  }

  void fix_existing_lines() {
    // Kernel status lines by package, in file order, duplicates included.
    std::map<std::string, std::vector<size_t>, std::less<>> by_package;
    for (size_t i = 0; i < m_file.line_count(); ++i) {
      std::optional<RawStatus> r = raw_status(m_file.line(i));
      // A line with an unknown release is already a parse error; renaming it would not help.
      if (r && is_kernel(r->package) && m_catalog.find(r->release)) {
        by_package[std::string(r->package)].push_back(i);
      }
    }
    std::set<size_t> removals;
    std::map<size_t, std::string> rewrites;
    for (const tracker::Field& f : m_file.fields()) {
      std::string_view name = m_file.view(f.name);
      if (f.kind == tracker::FieldKind::patches && !f.repeated && is_kernel(name.substr(name.find('_') + 1))) {
        by_package.try_emplace(std::string(name.substr(name.find('_') + 1)));
      }
    }
    for (const auto& [package, lines] : by_package) {
      if (droppable(package, lines)) {
        plan_drop(package, lines, removals);
        continue;
      }
      std::vector<std::string_view> releases;
      for (size_t i : lines) {
        releases.push_back(raw_status(m_file.line(i))->release);
      }
      std::string stale = stale_devel_name(package, releases);
      const BoilerplateStanza* stanza = m_bp.find(package);
      std::set<std::string, std::less<>> seen;
      for (size_t i : lines) {
        RawStatus r = *raw_status(m_file.line(i));
        std::string release(r.release == "devel" && !stale.empty() ? std::string_view(stale) : canonical(r.release));
        if (!seen.insert(release).second) {
          removals.insert(i);
          continue;
        }
        std::string_view line = m_file.line(i);
        std::string text(line);
        if (release != r.release) {
          text = release + "_" + package + std::string(line.substr(r.name_end));
        }
        const BoilerplateLine* l = boilerplate_line(stanza, release);
        if (l != nullptr && l->state == State::dne && r.state != State::dne) {
          text = tracker::format_status_line(package, release, State::dne, "");
        }
        if (text != line) {
          rewrites[i] = std::move(text);
        }
      }
    }
    for (auto it = removals.rbegin(); it != removals.rend(); ++it) {
      std::string old(m_file.line(*it));
      m_editor.remove_line(*it);
      m_changes.push_back({static_cast<uint32_t>(*it + 1), std::move(old), ""});
    }
    for (const auto& [line, text] : rewrites) {
      size_t shifted = line - static_cast<size_t>(std::distance(removals.begin(), removals.lower_bound(line)));
      std::string old(m_file.line(shifted));
      m_editor.replace_line(shifted, text);
      m_changes.push_back({static_cast<uint32_t>(shifted + 1), std::move(old), text});
    }
  }

  bool skipped_when_retired(const BoilerplateLine& l) const {
    return m_options.retired && (l.state == State::dne || l.state == State::ignored);
  }

  bool file_has_package(std::string_view package) const {
    if (m_file.field("Patches_" + std::string(package)) != nullptr) {
      return true;
    }
    return std::any_of(m_file.statuses().begin(), m_file.statuses().end(),
                       [&](const tracker::StatusEntry& e) { return m_file.view(e.package) == package; });
  }

  // Where a missing `release` line of `package` goes (see the decisions above).
  size_t insert_position(std::string_view package, std::string_view release) const {
    const tracker::StatusEntry* last = nullptr;
    for (const tracker::StatusEntry& e : m_file.statuses()) {
      if (m_file.view(e.package) != package) {
        continue;
      }
      if (order(m_file.view(e.release_text)) > order(release)) {
        return e.line;
      }
      last = &e;
    }
    if (last != nullptr) {
      return last->line + 1;
    }
    return m_file.field("Patches_" + std::string(package))->last_line + 1;
  }

  void add_missing_lines() {
    for (const BoilerplateStanza& s : m_bp.stanzas) {
      if (!file_has_package(s.package)) {
        continue;
      }
      for (const BoilerplateLine& l : s.lines) {
        std::string_view release = canonical(l.release);
        if (skipped_when_retired(l) || m_file.status(s.package, release) != nullptr) {
          continue;
        }
        size_t at = insert_position(s.package, release);
        std::string text = tracker::format_status_line(s.package, release, l.state, l.details);
        m_editor.insert_line(at, text);
        m_changes.push_back({static_cast<uint32_t>(at + 1), "", std::move(text)});
      }
    }
  }

  void add_missing_packages() {
    for (const BoilerplateStanza& s : m_bp.stanzas) {
      bool wanted = std::any_of(s.lines.begin(), s.lines.end(), [](const BoilerplateLine& l) {
        return l.release != "upstream" && l.state != State::dne && l.state != State::ignored;
      });
      if (!wanted || file_has_package(s.package)) {
        continue;
      }
      std::vector<tracker::StatusLine> lines;
      for (const BoilerplateLine& l : s.lines) {
        if (!skipped_when_retired(l)) {
          lines.push_back({std::string(canonical(l.release)), l.state, l.details});
        }
      }
      size_t before = m_file.line_count();
      m_editor.add_package(s.package, lines);
      for (size_t i = before; i < m_file.line_count(); ++i) {
        m_changes.push_back({static_cast<uint32_t>(i + 1), "", std::string(m_file.line(i))});
      }
    }
  }

  tracker::CveFile& m_file;
  const Boilerplate& m_bp;
  const catalog::Catalog& m_catalog;
  const RejuvenateOptions& m_options;
  tracker::Editor m_editor;
  std::vector<LineChange> m_changes;
};

} // namespace

std::vector<LineChange> rejuvenate(tracker::CveFile& file, const Boilerplate& bp, const catalog::Catalog& catalog,
                                   const RejuvenateOptions& options) {
  // UPDATE runs rejuvenate only on files with a Patches_linux section; checking here keeps a
  // stray userspace CVE from growing kernel sections whoever calls this.
  if (file.field("Patches_linux") == nullptr) {
    return {};
  }
  return Rejuvenator(file, bp, catalog, options).run();
}

} // namespace kct::triage
