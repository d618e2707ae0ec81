#include "cli/context.h"

#include "util/error.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

namespace kct::cli {

const catalog::Catalog& Context::catalog() {
  if (!m_catalog) {
    std::string path = m_options.catalog.empty() ? catalog::default_catalog_path() : m_options.catalog;
    m_catalog = catalog::Catalog::load_file(path);
  }
  return *m_catalog;
}

tracker::Tracker& Context::tracker(const std::vector<std::string>& paths) {
  if (!m_tracker) {
    const std::string& root = m_options.tracker;
    std::error_code ec;
    if (paths.empty() && !std::filesystem::is_directory(root + "/active", ec)) {
      throw Error(
          fmt::format("{} does not look like a tracker (no active/ directory); use --tracker DIR or set UCT", root));
    }
    tracker::LoadOptions lo;
    lo.jobs = m_options.jobs;
    lo.only = paths;
    m_tracker = tracker::Tracker::load(root, catalog(), lo);
  }
  return *m_tracker;
}

void Context::warn_about_broken_files(const char* command) {
  if (m_tracker == nullptr || m_options.quiet) {
    return;
  }
  size_t broken = m_tracker->diagnostics().size();
  for (const tracker::TrackedFile& tf : m_tracker->files()) {
    broken += tf.file.kind() == tracker::FileKind::cve && tf.file.has_errors() ? 1 : 0;
  }
  if (broken > 0) {
    std::fprintf(stderr,
                 "kct %s: warning: %zu files could not be read or have errors; their entries may be missing "
                 "(run 'kct check')\n",
                 command, broken);
  }
}

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--tracker", options.tracker, "Tracker checkout (default: $UCT, else the current directory)");
  app.add_option("--catalog", options.catalog,
                 "Release and kernel catalog (default: $KCT_CATALOG, else the installed one)");
  app.add_option("-j,--jobs", options.jobs, "Threads for loading and checking (default: one per core)");
  app.add_flag("-q,--quiet", options.quiet, "No progress or summary on stderr");
}

std::optional<int> parse_arguments(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them last-first
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "kct %s: error: %s\n", app.get_name().c_str(), e.what());
    std::fprintf(stderr, "Run 'kct %s --help' for usage.\n", app.get_name().c_str());
    return 1;
  }
  return std::nullopt;
}

} // namespace kct::cli
