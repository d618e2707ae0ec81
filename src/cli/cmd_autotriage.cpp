// `kct autotriage`: every kernel's CVE status from its git tree (kernel-team doc §1.8-§1.11):
// scan, decide per (CVE, target), write back with the post-passes, log every change.
#include "cli/commands.h"
#include "cli/triage_session.h"
#include "tracker/editor.h"
#include "triage/cve_results.h"
#include "triage/post_passes.h"
#include "triage/published_versions.h"
#include "triage/rejuvenate.h"
#include "triage/suggest.h"
#include "triage/write_back.h"
#include "util/error.h"
#include "util/files.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>
#include <unordered_map>

namespace kct::cli {
namespace {

bool is_kernel_cve(const tracker::CveFile& file) {
  for (const tracker::StatusEntry& s : file.statuses()) {
    std::string_view p = file.view(s.package);
    if (p == "linux" || p.substr(0, 6) == "linux-") {
      return true;
    }
  }
  return false;
}

// Published versions for every target a post-pass needs them for, by `<key>_<source>`.
std::unordered_map<std::string, triage::PublishedVersions>
published_for_post_passes(const triage::ScanConfig& config, const std::string& state,
                          std::vector<util::Diagnostic>& diagnostics) {
  std::unordered_map<std::string, triage::PublishedVersions> published;
  auto load = [&](const std::string& key, const std::string& source) {
    std::string name = key + "_" + source;
    if (published.count(name) == 0) {
      std::string file_key = key;
      std::replace(file_key.begin(), file_key.end(), '/', '@');
      published[name] = triage::read_published_versions(state, file_key, source, diagnostics);
    }
  };
  for (const triage::ScanTarget& t : config.targets) {
    if (t.mark_pockets || !t.metaonly_link.empty()) {
      load(t.key, t.source);
    }
    if (!t.metaonly_link.empty()) {
      size_t cut = t.metaonly_link.find('_');
      if (cut != std::string::npos) {
        load(t.metaonly_link.substr(0, cut), t.metaonly_link.substr(cut + 1));
      }
    }
  }
  return published;
}

// boilerplates/linux, or active/00boilerplate.linux in older trees (§1.2.2); nullopt when
// neither exists (rejuvenation is then skipped, with a warning).
std::optional<triage::Boilerplate> load_boilerplate(const std::string& explicit_path, const std::string& tracker,
                                                    const catalog::Catalog& catalog,
                                                    std::vector<util::Diagnostic>& diagnostics) {
  std::vector<std::string> candidates = {tracker + "/boilerplates/linux", tracker + "/active/00boilerplate.linux"};
  if (!explicit_path.empty()) {
    candidates = {explicit_path};
  }
  for (const std::string& path : candidates) {
    std::string text;
    if (util::read_file(path, text)) {
      continue; // not there (or unreadable): try the next place
    }
    triage::Boilerplate bp = triage::parse_boilerplate(path, text, catalog);
    diagnostics.insert(diagnostics.end(), bp.diagnostics.begin(), bp.diagnostics.end());
    return bp;
  }
  diagnostics.push_back({candidates.front(), 0, 0, util::Severity::warning,
                         explicit_path.empty()
                             ? "no kernel boilerplate (boilerplates/linux or active/00boilerplate.linux); "
                               "files are not rejuvenated"
                             : "cannot read the boilerplate"});
  return std::nullopt;
}

bool has_patches_linux(const tracker::CveFile& file) {
  for (size_t i = 0; i < file.line_count(); ++i) {
    if (file.line(i) == "Patches_linux:") {
      return true;
    }
  }
  return false;
}

} // namespace

int cmd_autotriage(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Compute every tracked kernel's status for each kernel CVE from its git tree, as the kernel team's\n"
               "autotriage does, and write it into the tracker (minimal edits, atomic, only changed files).\n"
               "A diff-like log of every change goes to stdout; diagnostics to stderr.",
               "autotriage");
  add_global_options(app, ctx.options());
  TriageArgs targs;
  add_triage_options(app, targs);
  bool results_only = false;
  bool dry_run = false;
  bool suggest = false;
  bool no_rejuvenate = false;
  std::string boilerplate_path;
  std::string devel;
  std::vector<std::string> cves;
  app.add_flag("--results", results_only,
               "Print the engine result lines `<cve-path> <key> <source> <wanted> <state> <version>` instead of "
               "writing (to compare with the kernel team's output)");
  app.add_flag("-n,--dry-run", dry_run, "Compute and log the changes, write nothing");
  app.add_flag("--suggest", suggest,
               "For CVEs still needed on a target, list commits of that tree whose exact subject or patch-id "
               "matches an upstream fix (backports that lost their provenance line); writes nothing");
  app.add_option("--boilerplate", boilerplate_path,
                 "Kernel boilerplate for rejuvenation (default: boilerplates/linux, else active/00boilerplate.linux)");
  app.add_flag("--no-rejuvenate", no_rejuvenate, "Do not add missing kernel lines from the boilerplate first");
  app.add_option("--devel", devel, "Development release codename (default: the catalog's)");
  app.add_option("cves", cves, "Only these CVE ids (default: every active and retired kernel CVE)");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  TriageSession session = open_triage_session(ctx, targs, "autotriage");
  tracker::Tracker& tree = ctx.tracker();
  const catalog::Catalog& catalog = ctx.catalog();
  if (devel.empty() && catalog.devel_release() != nullptr) {
    devel = catalog.devel_release()->name;
  }
  std::set<std::string, std::less<>> wanted(cves.begin(), cves.end());
  triage::PresenceIndex presence(*session.store);
  std::unordered_map<std::string, triage::PublishedVersions> published;
  std::optional<triage::PostPasses> post;
  std::optional<triage::Suggester> suggester;
  if (suggest) {
    suggester.emplace(*session.store, targs.repos);
    results_only = true; // a report: nothing is written
  }
  if (!results_only) {
    published = published_for_post_passes(session.config, targs.state, session.diagnostics);
    post.emplace(session.config.targets, published, devel);
  }
  std::optional<triage::Boilerplate> boilerplate;
  if (!results_only && !no_rejuvenate) {
    boilerplate = load_boilerplate(boilerplate_path, ctx.options().tracker, catalog, session.diagnostics);
  }
  std::string out;
  int64_t files_changed = 0;
  int64_t lines_changed = 0;
  int64_t cves_seen = 0;
  for (tracker::TrackedFile& tf : tree.files()) {
    if (tf.file.kind() != tracker::FileKind::cve ||
        (tf.directory != tracker::Directory::active && tf.directory != tracker::Directory::retired)) {
      continue;
    }
    if (!wanted.empty() && wanted.count(tf.name) == 0) {
      continue;
    }
    if (tf.file.has_errors()) {
      continue; // reported by the tracker load; never edit a file that does not parse
    }
    std::string cve_path = std::string(tracker::directory_name(tf.directory)) + "/" + tf.name;
    std::vector<triage::EngineResult> results = triage::cve_results(tf.file, cve_path, session.run.targets, presence);
    if (suggester) {
      for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].state != "needed") {
          continue;
        }
        const triage::ScannedTarget* target = nullptr;
        for (const triage::ScannedTarget& t : session.run.targets) {
          if (t.ok && t.target->key == results[i].key && t.target->source == results[i].source) {
            target = &t;
          }
        }
        if (target == nullptr) {
          continue;
        }
        try {
          for (const triage::Suggestion& sg : suggester->suggest(*target, results[i].wanted, presence)) {
            out += fmt::format("{} {}: fix {} \"{}\" may be in {} ({} {}, same {}); not written\n", cve_path,
                               target->target->name(), sg.fix.substr(0, 12), sg.fix_subject, sg.commit.substr(0, 12),
                               target->target->source, sg.version, sg.match);
          }
        } catch (const Error& e) {
          session.diagnostics.push_back({tf.file.path(), 0, 0, util::Severity::error, e.what()});
        }
      }
      cves_seen += results.empty() ? 0 : 1;
      continue;
    }
    if (results_only) {
      for (const triage::EngineResult& r : results) {
        out += r.format();
        out += '\n';
      }
      cves_seen += results.empty() ? 0 : 1;
      continue;
    }
    if (results.empty() && !is_kernel_cve(tf.file)) {
      continue;
    }
    ++cves_seen;
    bool retired = tf.directory == tracker::Directory::retired;
    std::vector<triage::LineChange> changes;
    try {
      // UPDATE's order: rejuvenate (step 9), then the engine's results, then the post-passes.
      if (boilerplate && has_patches_linux(tf.file)) {
        changes = triage::rejuvenate(tf.file, *boilerplate, catalog, {retired, devel});
      }
      std::vector<triage::LineChange> engine = triage::write_back(tf.file, catalog, results, {devel, retired, false});
      changes.insert(changes.end(), engine.begin(), engine.end());
      std::vector<triage::LineChange> more = post->apply(tf.file, catalog, cve_path, retired);
      changes.insert(changes.end(), more.begin(), more.end());
    } catch (const Error& e) {
      session.diagnostics.push_back({tf.file.path(), 0, 0, util::Severity::error, e.what()});
      continue;
    }
    if (changes.empty()) {
      continue;
    }
    if (retired && triage::only_boring_changes(changes)) {
      continue; // the eliminator (UPDATE step 12): pointless edits to retired files are dropped
    }
    out += triage::format_changes(cve_path, changes);
    ++files_changed;
    lines_changed += static_cast<int64_t>(changes.size());
    if (!dry_run) {
      tracker::save_if_changed(tf.file);
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (post) {
    for (const std::string& m : post->missing()) {
      session.diagnostics.push_back({targs.state, 0, 0, util::Severity::warning, m});
    }
  }
  print_diagnostics(session.diagnostics);
  if (!ctx.options().quiet) {
    const kgit::ScanStats& s = session.run.stats;
    std::fprintf(stderr,
                 "kct autotriage: %zu targets; %lld versions scanned (%lld commits), %lld kept; %lld CVEs; %s%lld "
                 "lines in %lld files\n",
                 session.run.targets.size(), static_cast<long long>(s.scanned), static_cast<long long>(s.commits),
                 static_cast<long long>(s.kept), static_cast<long long>(cves_seen),
                 suggest        ? "suggestions only, "
                 : results_only ? "results only, "
                                : (dry_run ? "dry run, would change " : "changed "),
                 static_cast<long long>(lines_changed), static_cast<long long>(files_changed));
  }
  return session.has_errors() ? 1 : 0;
}

} // namespace kct::cli
