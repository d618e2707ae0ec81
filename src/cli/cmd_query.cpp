// `kct query`: status entries filtered by package, release, state and effective priority,
// one line each exactly as the entry reads in its file, or --json.
#include "cli/commands.h"
#include "cli/json_output.h"
#include "util/strings.h"

#include <fmt/format.h>

namespace kct::cli {

namespace {
struct Filter {
  std::string package;
  std::string release;
  std::string state;
  std::string priority;
  std::vector<std::string> directories;
};

bool release_matches(const catalog::Catalog& c, std::string_view written, const std::string& wanted) {
  // `--release focal` also finds `devel_` lines while focal is the development release.
  return wanted.empty() || written == wanted || c.resolve_alias(written) == wanted ||
         written == c.resolve_alias(wanted);
}

bool directory_wanted(const Filter& f, tracker::Directory d) {
  if (f.directories.empty()) {
    return true;
  }
  std::string_view name = tracker::directory_name(d);
  return std::find(f.directories.begin(), f.directories.end(), name) != f.directories.end();
}
} // namespace

int cmd_query(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("List status entries, one per line as `<CVE-ID> <release>_<package>: <state> [(<details>)]`.\n"
               "Filters combine; --priority is the effective priority of the entry's package and release.",
               "query");
  add_global_options(app, ctx.options());
  Filter f;
  bool json = false;
  app.add_option("-p,--package", f.package, "Source package, e.g. linux");
  app.add_option("-r,--release", f.release,
                 "Release as written (xenial, trusty/esm, devel, upstream) or the devel codename");
  app.add_option("-s,--status", f.state, "State, e.g. needed");
  app.add_option("--priority", f.priority, "Effective priority, e.g. high");
  app.add_option("--dir", f.directories, "Only these directories (active, retired, ignored); repeatable")
      ->check(CLI::IsMember({"active", "retired", "ignored", "embargoed"}));
  app.add_flag("--json", json, "Print a JSON array of {cve, release, package, state, details}");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::optional<tracker::State> state;
  if (!f.state.empty()) {
    state = tracker::parse_state(f.state);
    if (!state) {
      std::fprintf(stderr, "kct query: error: unknown state '%s' (valid states are: %.*s)\n", f.state.c_str(),
                   static_cast<int>(tracker::valid_state_list().size()), tracker::valid_state_list().data());
      return 1;
    }
  }
  if (!f.priority.empty() && !tracker::is_valid_priority(f.priority)) {
    std::fprintf(stderr, "kct query: error: unknown priority '%s'\n", f.priority.c_str());
    return 1;
  }
  tracker::Tracker& t = ctx.tracker();
  const catalog::Catalog& c = t.catalog();
  if (!f.release.empty() && c.find_release(f.release) == nullptr) {
    std::fprintf(stderr, "kct query: error: unknown release '%s' (not in the catalog %s)\n", f.release.c_str(),
                 c.path().c_str());
    return 1;
  }
  std::string out;
  nlohmann::json array = nlohmann::json::array();
  auto visit = [&](const tracker::TrackedFile& tf) {
    if (tf.file.kind() != tracker::FileKind::cve || !directory_wanted(f, tf.directory)) {
      return;
    }
    const tracker::CveFile& file = tf.file;
    for (const tracker::StatusEntry& e : file.statuses()) {
      std::string_view pkg = file.view(e.package);
      std::string_view rel = file.view(e.release_text);
      if ((!f.package.empty() && pkg != f.package) || (state && e.state != *state) ||
          !release_matches(c, rel, f.release) || (!f.priority.empty() && file.priority_for(pkg, rel) != f.priority)) {
        continue;
      }
      if (json) {
        array.push_back(entry_to_json(tf, e));
      } else {
        out += fmt::format("{} {}\n", tf.name, util::strip(file.line(e.line)));
      }
    }
  };
  if (!f.package.empty()) {
    for (uint32_t i : t.files_with_package(f.package)) {
      visit(t.files()[i]);
    }
  } else {
    for (const tracker::TrackedFile& tf : t.files()) {
      visit(tf);
    }
  }
  if (json) {
    out = array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  ctx.warn_about_broken_files("query");
  return 0;
}

} // namespace kct::cli
