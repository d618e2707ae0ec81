#include "cli/triage_session.h"

#include "util/error.h"

#include <filesystem>
#include <set>
#include <thread>
#include <unistd.h>

namespace kct::cli {

void add_triage_options(CLI::App& app, TriageArgs& args) {
  app.add_option("--config", args.config, "Scan configuration in the kernel team's format (cves-autotriage.conf)")
      ->required();
  app.add_option("--repos", args.repos, "Directory of the bare kernel clones named in the configuration")->required();
  app.add_option("--state", args.state,
                 "State directory: lp/<key>_<source>_{tags,cve-pockets} and kct's provenance store")
      ->required();
  app.add_option("--overlay", args.overlay, "Overlay of synthetic references (default: active/10autotriage.linux)");
}

bool TriageSession::has_errors() const {
  return util::count(diagnostics).errors > 0;
}

void print_diagnostics(std::vector<util::Diagnostic> diagnostics) {
  util::sort_diagnostics(diagnostics);
  // The scan and the post-passes read the same published-version files, so a problem in one
  // would otherwise be reported twice.
  std::set<std::string> seen;
  std::string out;
  for (const util::Diagnostic& d : diagnostics) {
    std::string line = util::format(d);
    if (seen.insert(line).second) {
      out += line;
      out += '\n';
    }
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
}

TriageSession open_triage_session(Context& ctx, const TriageArgs& args, const char* command) {
  namespace fs = std::filesystem;
  TriageSession session;
  session.config = triage::ScanConfig::load(args.config, session.diagnostics);
  std::string overlay_path = args.overlay;
  if (overlay_path.empty()) {
    std::string fallback = ctx.options().tracker + "/active/10autotriage.linux";
    if (fs::exists(fallback)) {
      overlay_path = fallback;
    }
  }
  if (!overlay_path.empty()) {
    session.overlay = triage::Overlay::load(overlay_path, session.diagnostics);
  }
  if (!fs::is_directory(args.state)) {
    throw Error(args.state + ": state directory does not exist");
  }
  if (!fs::is_directory(args.repos)) {
    throw Error(args.repos + ": repository directory does not exist");
  }
  session.store = std::make_unique<kgit::ProvenanceStore>(args.state + "/" + triage::k_store_file);
  if (!session.store->rebuilt_reason().empty()) {
    session.diagnostics.push_back(
        {session.store->db().path(), 0, 0, util::Severity::warning, session.store->rebuilt_reason()});
  }
  triage::ScanRunOptions options;
  options.repos_dir = args.repos;
  options.state_dir = args.state;
  options.overlay = session.overlay ? &*session.overlay : nullptr;
  options.jobs = ctx.options().jobs != 0 ? ctx.options().jobs : std::max(1u, std::thread::hardware_concurrency());
  if (!ctx.options().quiet && isatty(STDERR_FILENO)) {
    options.progress = [command](const std::string& line) {
      std::fprintf(stderr, "kct %s: %s\n", command, line.c_str());
    };
  }
  session.run = triage::run_scans(*session.store, session.config, options, session.diagnostics);
  return session;
}

} // namespace kct::cli
