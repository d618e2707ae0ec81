#pragma once
// Helpers for the `kct usn` CLI tests: running `kct usn …` against a store, reading JSON
// output, and starting a background process.
#include "support/test_env.h"

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace kct::testing {

inline CommandResult kct_usn(const std::string& db, std::vector<std::string> args) {
  std::vector<std::string> argv = {kct_binary(), "usn"};
  argv.push_back(args.at(0));
  argv.push_back("--usn-db");
  argv.push_back(db);
  argv.push_back("--author");
  argv.push_back("tester");
  argv.insert(argv.end(), args.begin() + 1, args.end());
  return run_command(argv);
}

// Subcommands without --author (read-only ones).
inline CommandResult kct_usn_read(const std::string& db, std::vector<std::string> args) {
  std::vector<std::string> argv = {kct_binary(), "usn"};
  argv.push_back(args.at(0));
  argv.push_back("--usn-db");
  argv.push_back(db);
  argv.insert(argv.end(), args.begin() + 1, args.end());
  return run_command(argv);
}

inline nlohmann::json parse_out(const CommandResult& r) {
  return nlohmann::json::parse(r.out);
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace kct::testing
