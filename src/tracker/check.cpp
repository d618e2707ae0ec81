#include "tracker/check.h"

#include "tracker/check_archive.h"
#include "util/strings.h"
#include "util/thread_pool.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <unordered_set>

namespace kct::tracker {

namespace {

// Facts about each release id, worked out once per check run rather than once per status line.
struct ReleaseFacts {
  explicit ReleaseFacts(const catalog::Catalog& c) {
    const catalog::Release* devel = c.devel_release();
    size_t n = c.releases().size();
    skip.assign(n, false);
    eol.assign(n, false);
    for (size_t i = 0; i < n; ++i) {
      const catalog::Release& r = c.releases()[i];
      std::string_view real = c.resolve_alias(r.name);
      const catalog::Release* resolved = c.find_release(real);
      skip[i] = r.name == "upstream" || (r.name == "devel" && devel == nullptr);
      eol[i] = resolved == nullptr || (resolved->kind != catalog::ReleaseKind::pseudo && resolved->eol);
      if (r.name == "product") {
        product = static_cast<catalog::ReleaseId>(i);
      } else if (r.name == "snap") {
        snap = static_cast<catalog::ReleaseId>(i);
      } else if (r.name == "devel") {
        devel_alias = static_cast<catalog::ReleaseId>(i);
      }
    }
    for (const std::string& key : c.supported_release_keys()) {
      supported.push_back(*c.find(key));
      supported_names.push_back(key);
    }
  }
  std::vector<bool> skip;
  std::vector<bool> eol;
  std::vector<catalog::ReleaseId> supported;
  std::vector<std::string> supported_names;
  catalog::ReleaseId product = catalog::k_no_release;
  catalog::ReleaseId snap = catalog::k_no_release;
  catalog::ReleaseId devel_alias = catalog::k_no_release;
};

class FileChecker {
public:
  FileChecker(const Tracker& t, const ReleaseFacts& facts, const TrackedFile& tf, const CheckOptions& options,
              std::vector<util::Diagnostic>& out, std::vector<util::Diagnostic>& once)
      : m_tracker(t), m_catalog(t.catalog()), m_facts(facts), m_tf(tf), m_file(tf.file), m_out(out) {
    if (options.archive != nullptr) {
      m_archive.emplace(m_catalog, *options.archive, options.check_versions, tf, out, once);
    }
  }

  void run() {
    m_out.insert(m_out.end(), m_file.diagnostics().begin(), m_file.diagnostics().end());
    if (m_file.has_errors()) {
      return; // rule 1: a file that does not load gets no further checks
    }
    check_not_for_us();
    check_classes();
    check_candidate();
    check_supported_releases();
    check_entries();
    if (m_archive) {
      m_archive->check_priority(); // rule 7
    }
    check_priorities();
    check_rejected();
    check_mitre_reference();
    check_dates();
    check_patches();
  }

private:
  void add(uint32_t line, std::string message, util::Severity s = util::Severity::error) {
    m_out.push_back(util::Diagnostic{m_file.path(), static_cast<int64_t>(line) + 1, 1, s, std::move(message)});
  }

  std::string_view text_of(const char* field) const {
    const Field* f = m_file.field(field);
    return f ? m_file.view(f->value) : std::string_view();
  }

  // A continuation line carries the field's value; comment and blank lines inside a block do not.
  static bool is_value_line(std::string_view line) { return !line.empty() && line[0] == ' '; }

  // Rule 2.
  void check_not_for_us() {
    if (m_tracker.in_not_for_us(m_tf.name)) {
      add(0, fmt::format("{}: duplicate CVE found in not-for-us.txt", m_tf.name));
    }
  }

  // Rule 3.
  void check_classes() {
    std::vector<Directory> classes = m_tracker.classes_of(m_tf.name);
    if (classes.size() > 1) {
      std::string list;
      for (Directory d : classes) {
        list += list.empty() ? "" : ", ";
        list += directory_name(d);
      }
      add(0, fmt::format("{} found in multiple classes: {}", m_tf.name, list));
    }
  }

  // Rule 4.
  void check_candidate() {
    const Field* c = m_file.field("Candidate");
    if (c != nullptr && m_file.view(c->value) != m_tf.name && m_tf.name != "stdin") {
      add(c->line, fmt::format("Candidate field '{}' mismatch with file name '{}'", m_file.view(c->value), m_tf.name));
    }
  }

  // Rule 5: active files list every supported release for every package.
  void check_supported_releases() {
    if (m_tf.directory != Directory::active) {
      return;
    }
    const std::vector<catalog::ReleaseId>& supported = m_facts.supported;
    // One pass over the status lines: per package, which supported releases it has (a bit
    // each), where its last line is, and whether it has product_ or snap_ lines.
    struct Seen {
      std::string_view package;
      uint64_t present = 0;
      uint32_t last_line = 0;
      bool product_or_snap = false;
    };
    std::vector<Seen> seen;
    size_t current = 0;
    for (const StatusEntry& e : m_file.statuses()) {
      std::string_view p = m_file.view(e.package);
      if (seen.empty() || seen[current].package != p) {
        current = 0;
        while (current < seen.size() && seen[current].package != p) {
          ++current;
        }
        if (current == seen.size()) {
          seen.push_back(Seen{p});
        }
      }
      Seen& s = seen[current];
      s.last_line = e.line;
      s.product_or_snap = s.product_or_snap || e.release == m_facts.product || e.release == m_facts.snap;
      for (size_t k = 0; k < supported.size() && k < 64; ++k) {
        if (supported[k] == e.release) {
          s.present |= uint64_t{1} << k;
        }
      }
    }
    for (const Seen& s : seen) {
      if (s.product_or_snap) {
        continue;
      }
      for (size_t k = 0; k < supported.size() && k < 64; ++k) {
        if ((s.present & (uint64_t{1} << k)) == 0) {
          add(s.last_line, fmt::format("{} missing supported release '{}'", s.package, m_facts.supported_names[k]));
        }
      }
    }
  }

  // Rule 6 (the parts that need no archive mirror).
  void check_entries() {
    for (const StatusEntry& e : m_file.statuses()) {
      if (m_facts.skip[e.release]) {
        continue; // 6a
      }
      std::string_view rel = m_file.view(e.release_text);
      std::string_view pkg = m_file.view(e.package);
      if (e.release == m_facts.product) { // 6b
        if (!m_catalog.is_product(pkg)) {
          add(e.line, fmt::format("{}_{}: unknown product '{}'", rel, pkg, pkg));
        }
        continue;
      }
      if (e.release == m_facts.snap) {
        if (!m_catalog.is_snap(pkg)) {
          add(e.line, fmt::format("{}_{}: unknown snap '{}'", rel, pkg, pkg));
        }
        continue;
      }
      if (m_facts.eol[e.release]) {
        continue; // 6c
      }
      if (m_tf.directory == Directory::retired && e.release == m_facts.devel_alias &&
          (e.state == State::needed || e.state == State::needs_triage || e.state == State::pending)) {
        add(e.line, fmt::format("retired but {} is listed as unfixed ({})", pkg, state_name(e.state))); // 6d
        continue;
      }
      if (e.state == State::dne) {
        if (m_archive) {
          m_archive->check_dne(e); // 6e
        }
        continue;
      }
      if (e.state == State::released_esm) {
        add(e.line, fmt::format("{}_{} has invalid state '{}'", rel, pkg, state_name(e.state))); // 6f
      }
      if (m_archive) {
        m_archive->check_entry(e); // 6g-6k
      }
      if (e.state != State::deferred && util::contains(m_file.view(e.details), "deferred")) { // 6l
        add(e.line, fmt::format("{}_{} uses 'deferred' with state '{}'. Use: 'deferred [(YYYY-MM-DD)]'", rel, pkg,
                                state_name(e.state)));
      }
    }
  }

  // Rule 8.
  void check_priorities() {
    for (const PriorityEntry& p : m_file.priorities()) {
      std::string_view name = m_file.view(p.field);
      if (name.substr(0, 9) != "Priority_") {
        continue;
      }
      std::string_view rest = name.substr(9);
      size_t us = rest.find('_');
      std::string_view pkg = rest.substr(0, us);
      bool known_package = std::any_of(m_file.statuses().begin(), m_file.statuses().end(),
                                       [&](const StatusEntry& e) { return m_file.view(e.package) == pkg; });
      if (!known_package) {
        add(p.line, fmt::format("per package priority '{}' does not match any package in the CVE", name));
        continue;
      }
      if (us == std::string_view::npos) {
        continue;
      }
      std::string_view rel = rest.substr(us + 1);
      const catalog::Release* r = m_catalog.find_release(rel);
      bool real_release = r != nullptr && r->kind != catalog::ReleaseKind::pseudo;
      if (rel != "devel" && !real_release) {
        add(p.line, fmt::format("invalid release in per package/release priority pair '{}'", name));
      } else if (m_file.status(pkg, rel) == nullptr) {
        add(p.line, fmt::format("per package/release priority '{}' does not match a {}_{} line", name, rel, pkg));
      }
    }
  }

  // Rule 9.
  void check_rejected() {
    const Field* d = m_file.field("Description");
    if (m_tf.directory != Directory::active || d == nullptr) {
      return;
    }
    // The first non-blank text of the field, without joining its lines.
    std::string_view first = util::lstrip(m_file.view(d->value));
    for (uint32_t i = d->line + 1; first.empty() && i <= d->last_line; ++i) {
      first = is_value_line(m_file.line(i)) ? util::lstrip(m_file.line(i)) : std::string_view();
    }
    if (util::starts_with(first, "** REJECT **")) {
      add(d->line,
          fmt::format("{}: Rejected by MITRE (possibly a duplicate or not a security issue); retire it", m_tf.name));
    }
  }

  static bool is_numeric_cve_id(std::string_view id) {
    if (!util::starts_with(id, "CVE-")) {
      return false;
    }
    std::string_view rest = id.substr(4);
    size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash + 1 == rest.size()) {
      return false;
    }
    auto digits = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    return digits(rest.substr(0, dash)) && digits(rest.substr(dash + 1));
  }

  // Rule 10 (a failure despite check-syntax's "WARNING" wording).
  void check_mitre_reference() {
    if (!is_numeric_cve_id(m_tf.name)) {
      return;
    }
    const Field* refs = m_file.field("References");
    std::string wanted = "https://cve.mitre.org/cgi-bin/cvename.cgi?name=" + m_tf.name;
    bool found = false;
    if (refs != nullptr) {
      found = util::contains(m_file.view(refs->value), wanted);
      for (uint32_t i = refs->line + 1; !found && i <= refs->last_line; ++i) {
        found = is_value_line(m_file.line(i)) && util::contains(m_file.line(i), wanted);
      }
    }
    if (!found) {
      add(refs ? refs->line : 0, fmt::format("References does not contain reference to {}", wanted));
    }
  }

  // Rules 12 and 13.
  void check_dates() {
    const Field* public_date = m_file.field("PublicDate");
    const Field* at_usn = m_file.field("PublicDateAtUSN");
    const Field* crd = m_file.field("CRD");
    std::string_view crd_value = crd ? m_file.view(crd->value) : std::string_view();
    if ((public_date == nullptr || public_date->value.length == 0) && crd_value.empty()) {
      add(public_date ? public_date->line : 0,
          "must specify at least one of PublicDate or CRD (CRD: YYYY-MM-DD HH:MM:SS UTC)", util::Severity::warning);
    }
    // PublicDate is checked after the overrides (CRD > PublicDateAtUSN > PublicDate), as check-syntax does.
    const Field* effective = public_date;
    if (at_usn != nullptr) {
      effective = at_usn;
    }
    if (crd != nullptr && !crd_value.empty()) {
      effective = crd;
    }
    const Field* checked[3] = {effective, at_usn != effective ? at_usn : nullptr,
                               crd != effective && crd != at_usn ? crd : nullptr};
    for (const Field* f : checked) {
      if (f != nullptr && !is_valid_tracker_date(m_file.view(f->value))) {
        add(f->line, fmt::format("{}: '{}' is not a date (expected YYYY-MM-DD [HH:MM:SS [TZ]], empty or unknown)",
                                 m_file.view(f->name), m_file.view(f->value)));
      }
    }
  }

  // Rule 14.
  void check_patches() {
    auto check_type = [&](uint32_t line, std::string_view type, std::string_view whole) {
      // Two independent conditions, as check-syntax has them: a type can fail both.
      if (util::contains(type, "http")) {
        add(line, fmt::format("patch reference '{}' doesn't contain a type modifier", whole));
      }
      if (util::contains(type, "patch")) {
        add(line, fmt::format("invalid type modifier '{}' (use upstream:, vendor:, debdiff:, other:)", type));
      }
    };
    for (const Field& f : m_file.fields()) {
      if (f.kind == FieldKind::patches && f.value.length > 0) {
        std::string_view v = m_file.view(f.value);
        check_type(f.line, v.substr(0, v.find(':')), v);
      }
    }
    for (const PatchLine& p : m_file.patch_lines()) {
      check_type(p.line, m_file.view(p.type), util::strip(m_file.line(p.line)));
    }
  }

  const Tracker& m_tracker;
  const catalog::Catalog& m_catalog;
  const ReleaseFacts& m_facts;
  const TrackedFile& m_tf;
  const CveFile& m_file;
  std::vector<util::Diagnostic>& m_out;
  std::optional<ArchiveRules> m_archive;
};

void check_one(const Tracker& tracker, const ReleaseFacts& facts, const TrackedFile& tf, const CheckOptions& options,
               std::vector<util::Diagnostic>& out, std::vector<util::Diagnostic>& once) {
  if (tf.file.kind() != FileKind::cve) {
    out.insert(out.end(), tf.file.diagnostics().begin(), tf.file.diagnostics().end());
    return;
  }
  FileChecker(tracker, facts, tf, options, out, once).run();
}

// check-syntax prints some warnings once per run: of equal messages, the first by path and line stays.
void merge_once(std::vector<util::Diagnostic>& once, std::vector<util::Diagnostic>& out) {
  util::sort_diagnostics(once);
  std::unordered_set<std::string> seen;
  for (util::Diagnostic& d : once) {
    if (seen.insert(d.message).second) {
      out.push_back(std::move(d));
    }
  }
}

} // namespace

void check_file(const Tracker& tracker, const TrackedFile& tf, std::vector<util::Diagnostic>& out,
                const CheckOptions& options) {
  ReleaseFacts facts(tracker.catalog());
  std::vector<util::Diagnostic> once;
  check_one(tracker, facts, tf, options, out, once);
  merge_once(once, out);
}

CheckResult check_tracker(const Tracker& tracker, const CheckOptions& options) {
  const auto& files = tracker.files();
  std::vector<std::vector<util::Diagnostic>> per_file(files.size());
  std::vector<std::vector<util::Diagnostic>> once_per_file(files.size());
  ReleaseFacts facts(tracker.catalog());
  unsigned jobs = options.jobs == 0 ? util::default_jobs() : options.jobs;
  util::parallel_for(files.size(), jobs, [&](unsigned, size_t i) {
    const TrackedFile& tf = files[i];
    if (tf.file.kind() == FileKind::boilerplate) {
      return; // templates, not CVEs
    }
    check_one(tracker, facts, tf, options, per_file[i], once_per_file[i]);
    if (options.roundtrip && tf.file.write() != tf.file.text()) {
      per_file[i].push_back(util::Diagnostic{tf.file.path(), 1, 1, util::Severity::error,
                                             "round-trip: parse then write does not give back the same bytes"});
    }
  });
  CheckResult result;
  result.diagnostics = tracker.diagnostics();
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].file.kind() == FileKind::cve) {
      ++result.files_checked;
    }
    result.diagnostics.insert(result.diagnostics.end(), per_file[i].begin(), per_file[i].end());
  }
  std::vector<util::Diagnostic> once;
  for (std::vector<util::Diagnostic>& o : once_per_file) {
    once.insert(once.end(), std::make_move_iterator(o.begin()), std::make_move_iterator(o.end()));
  }
  merge_once(once, result.diagnostics);
  util::sort_diagnostics(result.diagnostics);
  return result;
}

std::vector<std::string_view> check_rules_needing_mirror() {
  return {"6e", "6g", "6h", "6i", "6j", "7"};
}

} // namespace kct::tracker
