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

// Starts `argv` in the background with stdout and stderr discarded; -1 on failure.
inline pid_t spawn_background(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace kct::testing
