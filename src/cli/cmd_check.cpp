// `kct check [--roundtrip] [PATH…]`: check-syntax over the tree or the given files.
#include "cli/commands.h"
#include "tracker/check.h"

#include <chrono>
#include <fmt/format.h>

namespace kct::cli {

namespace {
// A bare `CVE-…` means active/CVE-… (as check-syntax reads it); anything else is a path.
std::string resolve_path(const std::string& root, const std::string& arg) {
  if (arg.find('/') == std::string::npos && (arg.rfind("CVE-", 0) == 0 || arg.rfind("EMB-", 0) == 0)) {
    return root + (arg.rfind("EMB-", 0) == 0 ? "/embargoed/" : "/active/") + arg;
  }
  return arg;
}
} // namespace

int cmd_check(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Check tracker files with the check-syntax rules.\n"
               "Diagnostics go to stderr as `path:line:col: error: message`, then a summary.\n"
               "Rules that need an archive mirror (6e, 6g-6k, 7, 15) or the USN database (11) are skipped.",
               "check");
  GlobalOptions& g = ctx.options();
  add_global_options(app, g);
  bool roundtrip = false;
  std::vector<std::string> paths;
  app.add_flag("--roundtrip", roundtrip, "Also report files whose parse-then-write bytes differ");
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
  tracker::CheckResult result = tracker::check_tracker(t, options);
  std::string out;
  for (const util::Diagnostic& d : result.diagnostics) {
    out += util::format(d);
    out += '\n';
  }
  util::DiagnosticCounts counts = util::count(result.diagnostics);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!g.quiet) {
    out += fmt::format("kct check: {} CVE files, {} errors, {} warnings ({:.2f} s); skipped {} rules that need an "
                       "archive mirror\n",
                       result.files_checked, counts.errors, counts.warnings, seconds,
                       tracker::check_rules_needing_mirror().size());
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
  return counts.errors > 0 ? 1 : 0;
}

} // namespace kct::cli
