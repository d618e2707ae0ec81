// `kct check [--roundtrip] [--mirror DIR [--check-versions]] [PATH…]`: check-syntax over the
// tree or the given files.
#include "archive/sources_index.h"
#include "cli/commands.h"
#include "tracker/check.h"

#include <chrono>
#include <fmt/format.h>
#include <optional>

namespace kct::cli {

namespace {
// A bare `CVE-…` means active/CVE-… (as check-syntax reads it); anything else is a path.
std::string resolve_path(const std::string& root, const std::string& arg) {
  if (arg.find('/') == std::string::npos && (arg.rfind("CVE-", 0) == 0 || arg.rfind("EMB-", 0) == 0)) {
    return root + (arg.rfind("EMB-", 0) == 0 ? "/embargoed/" : "/active/") + arg;
  }
  return arg;
}

// The tracker takes the archive map as its own plain type, so that it does not depend on archive/.
tracker::ArchiveMap to_archive_map(archive::SourcesIndex& index) {
  tracker::ArchiveMap map;
  for (auto& [release, sources] : index.releases) {
    tracker::ReleasePackages& packages = map.releases[release];
    packages.reserve(sources.size());
    for (auto& [name, p] : sources) {
      packages.emplace(name, tracker::ArchivePackage{std::move(p.version), std::move(p.component), p.proposed_only});
    }
  }
  return map;
}

// Which archive rules ran, for the summary line.
std::string summary_of_rules(bool mirror, bool check_versions) {
  std::string ran;
  for (std::string_view rule : tracker::check_rules_needing_mirror()) {
    if (!mirror || rule != "6i" || check_versions) {
      ran += fmt::format("{}{}", ran.empty() ? "" : ", ", rule);
    }
  }
  if (!mirror) {
    return fmt::format("skipped the archive rules {} (no --mirror)", ran);
  }
  return fmt::format("ran the archive rules {}{}", ran, check_versions ? "" : " (6i needs --check-versions)");
}
} // namespace

int cmd_check(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Check tracker files with the check-syntax rules.\n"
               "Diagnostics go to stderr as `path:line:col: error: message`, then a summary.\n"
               "The rules that need an archive mirror (6e, 6g-6k, 7) run only with --mirror DIR, a directory\n"
               "holding dists/<release>{,-updates,-security,-proposed}/<component>/source/Sources[.gz|.xz]\n"
               "for each live release (an ESM variant reads its base release's); 6i, released versions\n"
               "newer than the archive's, also needs --check-versions. Rules 11 (USN database) and 15\n"
               "(hardy and lucid only) are not run.",
               "check");
  GlobalOptions& g = ctx.options();
  add_global_options(app, g);
  bool roundtrip = false;
  bool check_versions = false;
  std::string mirror;
  std::vector<std::string> paths;
  app.add_flag("--roundtrip", roundtrip, "Also report files whose parse-then-write bytes differ");
  CLI::Option* mirror_option =
      app.add_option("--mirror", mirror, "Archive mirror directory (with dists/) for rules 6e, 6g-6j and 7");
  app.add_flag("--check-versions", check_versions,
               "Rule 6i: a released version must not exceed the archive's (check-syntax -s)")
      ->needs(mirror_option);
  app.add_option("paths", paths, "Files to check (CVE-… means active/CVE-…); default: the whole tree");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  auto start = std::chrono::steady_clock::now();
  for (std::string& p : paths) {
    p = resolve_path(g.tracker, p);
  }
  tracker::Tracker& t = ctx.tracker(paths);
  tracker::CheckOptions options;
  options.roundtrip = roundtrip;
  options.jobs = g.jobs;
  std::vector<util::Diagnostic> mirror_diagnostics;
  std::optional<tracker::ArchiveMap> archive_map;
  if (!mirror.empty()) {
    archive::SourcesIndex index = archive::load_sources_index(mirror, ctx.catalog());
    mirror_diagnostics = std::move(index.diagnostics);
    archive_map = to_archive_map(index);
    options.archive = &*archive_map;
    options.check_versions = check_versions;
  }
  tracker::CheckResult result = tracker::check_tracker(t, options);
  // The mirror's own problems first: they explain any archive rule verdicts that follow.
  result.diagnostics.insert(result.diagnostics.begin(), mirror_diagnostics.begin(), mirror_diagnostics.end());
  std::string out;
  for (const util::Diagnostic& d : result.diagnostics) {
    out += util::format(d);
    out += '\n';
  }
  util::DiagnosticCounts counts = util::count(result.diagnostics);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!g.quiet) {
    out += fmt::format("kct check: {} CVE files, {} errors, {} warnings ({:.2f} s); {}\n", result.files_checked,
                       counts.errors, counts.warnings, seconds, summary_of_rules(!mirror.empty(), check_versions));
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
  return counts.errors > 0 ? 1 : 0;
}

} // namespace kct::cli
