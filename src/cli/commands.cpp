#include "cli/commands.h"

#include "util/error.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

namespace kct::cli {

const std::vector<Command>& commands() {
  // The one subcommand table: `kct help` and dispatch both read it.
  static const std::vector<Command> table = {
      {"check", "Check tracker files (check-syntax rules), optionally their byte-exact round-trip", Needs::tree,
       cmd_check},
      {"show", "Show one CVE file, as text or --json", Needs::tree, cmd_show},
      {"query", "List status entries by package, release, state and priority", Needs::tree, cmd_query},
      {"report", "Open kernel CVEs per release and kernel (needs-triage, needed, pending)", Needs::tree, cmd_report},
      {"autotriage", "Compute every kernel's CVE status from its git tree and write it back", Needs::tree,
       cmd_autotriage},
      {"why", "Explain one autotriage decision: evidence for each break and fix, and the walk", Needs::tree, cmd_why},
      {"sync-from-usns", "Bring the tracker in line with the published notices (report, or --update)", Needs::tree,
       cmd_sync_from_usns},
      {"signoff", "Security sign-off of kernel uploads: CVEs, descriptions, fixes in the tree, builds, verdict",
       Needs::catalog, cmd_signoff},
      {"kernel-abi-check", "Kernels needing a notice, and kernel/meta/signed ABI mismatches in the archive",
       Needs::catalog, cmd_kernel_abi_check},
      {"usn", "The USN database: import, export, fetch, edit, check, diff, back up (kct usn --help)", Needs::none,
       cmd_usn},
      {"compare-versions", "Compare Debian versions like dpkg --compare-versions", Needs::none, cmd_compare_versions},
      {"help", "Show the commands, or the options of one", Needs::none, cmd_help},
      {"version", "Print kct's version", Needs::none, cmd_version},
  };
  return table;
}

const Command* find_command(std::string_view name) {
  for (const Command& c : commands()) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

namespace {
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
} // namespace

std::string_view suggest_command(std::string_view name) {
  std::string_view best;
  size_t best_distance = 3; // more edits than this is a different word, not a typo
  for (const Command& c : commands()) {
    size_t d = edit_distance(name, c.name);
    if (d < best_distance || (d <= 3 && c.name.substr(0, name.size()) == name && !name.empty() && best.empty())) {
      best_distance = std::min(d, best_distance);
      best = c.name;
    }
  }
  return best;
}

int run(int argc, char** argv) {
  GlobalOptions globals;
  if (const char* uct = std::getenv("UCT"); uct != nullptr && *uct != '\0') {
    globals.tracker = uct;
  } else {
    globals.tracker = ".";
  }
  // Global options may come before the subcommand: `kct --tracker DIR check`.
  std::vector<std::string> rest;
  int i = 1;
  try {
    for (; i < argc; ++i) {
      std::string_view a = argv[i];
      auto value = [&](std::string_view flag) -> std::optional<std::string> {
        if (a == flag) {
          if (i + 1 >= argc) {
            throw Error(fmt::format("option {} needs a value", flag));
          }
          return std::string(argv[++i]);
        }
        if (a.substr(0, flag.size() + 1) == std::string(flag) + "=") {
          return std::string(a.substr(flag.size() + 1));
        }
        return std::nullopt;
      };
      if (auto v = value("--tracker")) {
        globals.tracker = *v;
      } else if (auto c = value("--catalog")) {
        globals.catalog = *c;
      } else if (a == "--help" || a == "-h") {
        rest.push_back("help");
      } else if (a == "--version") {
        rest.push_back("version");
      } else if (a == "--quiet" || a == "-q") {
        globals.quiet = true;
      } else {
        break;
      }
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "kct: error: %s\n", e.what());
    return 1;
  }
  for (; i < argc; ++i) {
    rest.emplace_back(argv[i]);
  }
  if (rest.empty()) {
    rest.push_back("help");
  }
  std::string name = rest.front();
  rest.erase(rest.begin());
  const Command* cmd = find_command(name);
  if (cmd == nullptr) {
    std::string_view hint = suggest_command(name);
    std::fprintf(stderr, "kct: error: unknown command '%s'", name.c_str());
    if (!hint.empty()) {
      std::fprintf(stderr, "; did you mean '%.*s'?", static_cast<int>(hint.size()), hint.data());
    }
    std::fprintf(stderr, "\nRun 'kct help' for the list of commands.\n");
    return 1;
  }
  Context ctx(globals);
  try {
    return cmd->handler(ctx, rest);
  } catch (const Error& e) {
    std::fprintf(stderr, "kct: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kct: internal error: %s\n", e.what());
    return 2;
  }
}

int cmd_help(Context&, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] != "--help" && args[0] != "-h") {
    const Command* c = find_command(args[0]);
    if (c == nullptr) {
      std::fprintf(stderr, "kct help: unknown command '%s'\n", args[0].c_str());
      return 1;
    }
    Context ctx(GlobalOptions{});
    return c->handler(ctx, {"--help"});
  }
  std::string out = "usage: kct [--tracker DIR] [--catalog FILE] <command> [options]\n\ncommands:\n";
  for (const Command& c : commands()) {
    out += fmt::format("  {:<18} {}\n", c.name, c.summary);
  }
  out += "\nRun 'kct <command> --help' for a command's options.\n"
         "Exit status: 0 ok, 1 bad input or a failed check, 2 environment failure.\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

int cmd_version(Context&, const std::vector<std::string>&) {
  std::printf("kct %s\n", KCT_VERSION);
  return 0;
}

} // namespace kct::cli
