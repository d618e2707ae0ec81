// `kct sync-from-usns`: the tracker brought in line with the published notices (uct doc §10.9):
// report mode by default, `--update` to write (minimal edits, atomic per file).
#include "cli/commands.h"
#include "usn/json_io.h"
#include "usn/sqlite_store.h"
#include "usn/sync.h"
#include "util/error.h"
#include "util/files.h"

#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace kct::cli {
namespace {

namespace fs = std::filesystem;

// Notices from JSON: a directory of per-notice files, a per-notice file, or database.json.
void read_json_notices(const std::string& path, std::vector<usn::Notice>& out) {
  if (fs::is_directory(path)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(path)) {
      if (e.path().extension() == ".json") {
        files.push_back(e.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      read_json_notices(f, out);
    }
    return;
  }
  std::string text;
  if (std::optional<std::string> err = util::read_file(path, text)) {
    throw Error(path + ": " + *err);
  }
  if (fs::path(path).filename() == "database.json") {
    std::vector<usn::Notice> all = usn::read_database_file(path);
    out.insert(out.end(), all.begin(), all.end());
  } else {
    out.push_back(usn::read_notice_file(path));
  }
}

usn::RevertedList read_list(const std::string& path) {
  std::string text;
  if (util::read_file(path, text)) {
    return {}; // not there: nothing is reverted or ignored
  }
  return usn::parse_reverted(text, path);
}

// `git add` each file, without a shell; returns false when git fails.
bool stage(const std::string& tracker, const std::vector<std::string>& files) {
  std::vector<std::string> args = {"git", "-C", tracker, "add", "--"};
  args.insert(args.end(), files.begin(), files.end());
  std::vector<char*> argv;
  for (std::string& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "git", nullptr, nullptr, argv.data(), environ) != 0) {
    return false;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

int cmd_sync_from_usns(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Compare the tracker with the published notices and, with --update, bring it in line:\n"
               "Ubuntu-Description from kernel notices, the USN reference, PublicDateAtUSN, and\n"
               "`released (version)` for every CVE, release and source a notice fixed (uct doc §10.9).",
               "sync-from-usns");
  add_global_options(app, ctx.options());
  std::string usn_db;
  std::vector<std::string> json_inputs;
  usn::SyncOptions options;
  std::string only;
  bool stage_files = false;
  app.add_option("--usn-db", usn_db, "USN database (SQLite file); default $KCT_USN_DB");
  app.add_option("--json", json_inputs,
                 "Notices as JSON instead: a directory of notice files, a notice file, or "
                 "database.json (repeatable)");
  app.add_option("--usn", only, "Only this notice, e.g. 4151-1");
  app.add_flag("-u,--update", options.update, "Write the changes (default: report only)");
  app.add_flag("-U,--use-usn-version", options.use_usn_version, "Use the notice's version over the tracker's");
  app.add_flag("-r,--retired", options.retired, "Also update CVEs in retired/");
  app.add_flag("-g,--stage", stage_files, "git add every file changed (needs --update)");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  if (stage_files && !options.update) {
    std::fprintf(stderr, "kct sync-from-usns: error: --stage needs --update\n");
    return 1;
  }
  if (!only.empty()) {
    std::optional<usn::UsnId> id = usn::parse_usn_id(only);
    if (!id) {
      std::fprintf(stderr, "kct sync-from-usns: error: '%s' is not a USN id (expected N-N)\n", only.c_str());
      return 1;
    }
    options.usn = id->text();
  }
  if (usn_db.empty() && json_inputs.empty()) {
    const char* env = std::getenv("KCT_USN_DB");
    if (env == nullptr || *env == '\0') {
      std::fprintf(stderr, "kct sync-from-usns: error: give --usn-db, $KCT_USN_DB or --json\n");
      return 1;
    }
    usn_db = env;
  }
  std::vector<usn::Notice> notices;
  for (const std::string& j : json_inputs) {
    read_json_notices(j, notices);
  }
  usn::SyncInputs inputs;
  if (!usn_db.empty()) {
    usn::SqliteStore store(usn_db);
    for (const std::string& id : store.list()) {
      if (std::optional<usn::StoredNotice> n = store.get(id)) {
        notices.push_back(n->notice);
      }
    }
    inputs.reverted = store.reverted();
  }
  const std::string& root = ctx.options().tracker;
  if (inputs.reverted.empty()) {
    inputs.reverted = read_list(root + "/meta_lists/reverted-CVEs.txt");
  }
  inputs.ignored_description = read_list(root + "/meta_lists/ignored-modified-USN-descriptions.txt");
  inputs.notices = &notices;
  tracker::Tracker& tree = ctx.tracker();
  ctx.warn_about_broken_files("sync-from-usns");
  usn::SyncReport report = usn::sync_from_usns(tree, ctx.catalog(), inputs, options);
  std::string out;
  for (const std::string& m : report.messages) {
    out += m + "\n";
  }
  if (options.update && !report.updated_usns.empty()) {
    out += "Updated:";
    for (const std::string& id : report.updated_usns) {
      out += " USN-" + id;
    }
    out += "\n";
  }
  // Like the original, the report goes to stderr; stdout stays for data.
  std::fwrite(out.data(), 1, out.size(), stderr);
  if (stage_files && !report.changed_files.empty() && !stage(root, report.changed_files)) {
    std::fprintf(stderr, "kct sync-from-usns: error: git add failed in %s\n", root.c_str());
    return 2;
  }
  if (!ctx.options().quiet) {
    std::fprintf(stderr, "kct sync-from-usns: %zu notices, %zu files %s, %lld errors\n", notices.size(),
                 report.changed_files.size(), options.update ? "changed" : "would change",
                 static_cast<long long>(report.errors));
  }
  return report.fatal || report.errors > 0 ? 1 : 0;
}

} // namespace kct::cli
