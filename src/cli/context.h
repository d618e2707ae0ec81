#pragma once
// What a subcommand handler gets: the global options, and the catalog and tracker loaded as
// far as the command's `needs` asked for (STYLE 5.7).
#include "catalog/catalog.h"
#include "tracker/tracker.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kct::cli {

enum class Needs { none, catalog, tree };

struct GlobalOptions {
  std::string tracker; // --tracker, else $UCT, else "."
  std::string catalog; // --catalog, else $KCT_CATALOG, else the installed data file
  unsigned jobs = 0;
  bool quiet = false;
};

class Context {
public:
  explicit Context(GlobalOptions options) : m_options(std::move(options)) {}
  // The tree is left to the OS at exit: freeing 32k parsed files one by one costs tens of
  // milliseconds for nothing (as mold and ninja do with their graphs).
  ~Context() { (void)m_tracker.release(); }
  const GlobalOptions& options() const { return m_options; }
  GlobalOptions& options() { return m_options; }

  const catalog::Catalog& catalog();
  // Loads the whole tree, or only `paths` when given; prints tree-level problems on stderr.
  tracker::Tracker& tracker(const std::vector<std::string>& paths = {});
  // For commands that answer from the data (query, report, show): one stderr line when some
  // files could not be read or parsed, since their entries are missing from the answer.
  void warn_about_broken_files(const char* command);

private:
  GlobalOptions m_options;
  std::optional<catalog::Catalog> m_catalog;
  std::unique_ptr<tracker::Tracker> m_tracker;
};

// --tracker, --catalog, --jobs, --quiet on every subcommand, so they may follow its name too.
void add_global_options(CLI::App& app, GlobalOptions& options);

// Parses a handler's arguments; returns an exit code to stop with (help printed: 0; bad
// arguments: 1), or nullopt to go on.
std::optional<int> parse_arguments(CLI::App& app, const std::vector<std::string>& args);

} // namespace kct::cli
