// `kct usn <sub>`: the USN database. One entry in the command table; the subcommands
// live in their own files (cmd_usn_*.cpp) and are listed here.
#include "cli/commands.h"
#include "cli/usn_common.h"

#include <fmt/format.h>

namespace kct::cli {

int cmd_usn_import(Context&, const std::vector<std::string>&);
int cmd_usn_export(Context&, const std::vector<std::string>&);
int cmd_usn_show(Context&, const std::vector<std::string>&);
int cmd_usn_list(Context&, const std::vector<std::string>&);
int cmd_usn_history(Context&, const std::vector<std::string>&);
int cmd_usn_diff(Context&, const std::vector<std::string>&);
int cmd_usn_check(Context&, const std::vector<std::string>&);
int cmd_usn_new(Context&, const std::vector<std::string>&);
int cmd_usn_set(Context&, const std::vector<std::string>&);
int cmd_usn_add_cve(Context&, const std::vector<std::string>&);
int cmd_usn_remove_cve(Context&, const std::vector<std::string>&);
int cmd_usn_add_source(Context&, const std::vector<std::string>&);
int cmd_usn_add_binary(Context&, const std::vector<std::string>&);
int cmd_usn_add_url(Context&, const std::vector<std::string>&);
int cmd_usn_remove(Context&, const std::vector<std::string>&);
int cmd_usn_publish(Context&, const std::vector<std::string>&);
int cmd_usn_backup(Context&, const std::vector<std::string>&);
int cmd_usn_fetch(Context&, const std::vector<std::string>&);
int cmd_usn_prepare(Context&, const std::vector<std::string>&);

const std::vector<UsnCommand>& usn_commands() {
  static const std::vector<UsnCommand> table = {
      {"import", "Import notice JSON files, database.json or a pickle, all in one transaction", cmd_usn_import},
      {"export", "Write the store as per-notice JSON, database.json or a pickle", cmd_usn_export},
      {"fetch", "Download a database (verifying its .sha256, unpacking .bz2) and import it", cmd_usn_fetch},
      {"show", "Show one notice and its revision, as text or --json", cmd_usn_show},
      {"list", "List notice ids, filtered by CVE, package and release", cmd_usn_list},
      {"history", "Who changed a notice, when, and what", cmd_usn_history},
      {"diff", "Compare two stores, or a store and a file, as usndb-tool --diff", cmd_usn_diff},
      {"check", "check-unreplaced-templates rules and usn_lib's \"Saw ... twice\"", cmd_usn_check},
      {"prepare", "Compose a kernel notice for one or more kernel uploads, as a draft to review", cmd_usn_prepare},
      {"new", "Create a notice (an id, or --reserve the next free one)", cmd_usn_new},
      {"set", "Set the title, summary, isummary, description or action", cmd_usn_set},
      {"add-cve", "Add CVEs to a notice's cves", cmd_usn_add_cve},
      {"remove-cve", "Remove CVEs from a notice's cves", cmd_usn_remove_cve},
      {"add-source", "Set a release's source package version (and description)", cmd_usn_add_source},
      {"add-binary", "Set a release's binary (or --all: all-binary) version", cmd_usn_add_binary},
      {"add-url", "Set a release's download URL for an architecture", cmd_usn_add_url},
      {"remove", "Delete a notice", cmd_usn_remove},
      {"publish", "Publish reviewed drafts: store, mark the tracker, write web/JSON/OSV, print the e-mail",
       cmd_usn_publish},
      {"backup", "Make a consistent copy of the store while others write", cmd_usn_backup},
  };
  return table;
}

int cmd_usn(Context& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::string out = "usage: kct usn <subcommand> [options]\n\n"
                      "The USN (security notice) database. Every subcommand takes --usn-db LOCATION: an SQLite\n"
                      "file or a postgresql:// URI (default: $KCT_USN_DB, else usn.db in the current directory).\n"
                      "Every change is one transaction; an edit of a notice someone changed since it was read\n"
                      "is refused.\n\nsubcommands:\n";
    for (const UsnCommand& c : usn_commands()) {
      out += fmt::format("  {:<12} {}\n", c.name, c.summary);
    }
    out += "\nRun 'kct usn <subcommand> --help' for its options.\n";
    std::fputs(out.c_str(), stdout);
    return args.empty() ? 1 : 0;
  }
  for (const UsnCommand& c : usn_commands()) {
    if (c.name == args[0]) {
      return c.handler(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  std::fprintf(stderr, "kct usn: error: unknown subcommand '%s'\nRun 'kct usn --help' for the list.\n",
               args[0].c_str());
  return 1;
}

} // namespace kct::cli
