#include "cli/editor_launch.h"

#include "util/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace kct::cli {

int run_editor(const std::string& path) {
  const char* visual = std::getenv("VISUAL");
  const char* editor = std::getenv("EDITOR");
  std::string command =
      visual != nullptr && *visual != '\0' ? visual : (editor != nullptr && *editor != '\0' ? editor : "vi");
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string w; in >> w;) {
    words.push_back(w);
  }
  words.push_back(path);
  std::vector<char*> argv;
  for (std::string& w : words) {
    argv.push_back(w.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  if (rc != 0) {
    throw Error(fmt::format("cannot start the editor '{}': {}", command, std::strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw Error(fmt::format("waiting for the editor '{}': {}", command, std::strerror(errno)));
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace kct::cli
