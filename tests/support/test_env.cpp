#include "support/test_env.h"

#include <fcntl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace kct::testing {

namespace fs = std::filesystem;

ScopedTempDir::ScopedTempDir() {
  std::string templ = (fs::temp_directory_path() / "kct-test-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    std::abort();
  }
  m_path = templ;
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code ec;
  // Tests may leave read-only files behind; make them removable first.
  for (auto it = fs::recursive_directory_iterator(m_path, ec); it != fs::recursive_directory_iterator(); ++it) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(m_path, ec);
}

std::string ScopedTempDir::write(const std::string& relative, const std::string& contents) const {
  fs::path p = fs::path(m_path) / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << contents;
  return p.string();
}

namespace {
std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}
} // namespace

std::string shared_data_dir() {
  return env_or("KCT_SHARED_DATA", KCT_DEFAULT_SHARED_DATA);
}

bool shared_data_present() {
  return fs::exists(fs::path(shared_data_dir()) / "uct-2019-12-29.tar.xz");
}

std::string snapshot_dir() {
  std::string dir = env_or("KCT_SNAPSHOT", KCT_DEFAULT_SNAPSHOT);
  if (fs::is_directory(fs::path(dir) / "active") || shared_data_present()) {
    return dir;
  }
  return "";
}

std::vector<std::string> formatted(const std::vector<util::Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const util::Diagnostic& d : diagnostics) {
    out.push_back(util::format(d));
  }
  return out;
}

std::string source_dir() {
  return KCT_SOURCE_DIR;
}
std::string kct_binary() {
  return KCT_BINARY;
}

const catalog::Catalog& source_catalog() {
  static const catalog::Catalog c = catalog::Catalog::load_file(source_dir() + "/data/catalog.yaml");
  return c;
}

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
} // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  ScopedTempDir tmp;
  std::string out_path = tmp.path() + "/out";
  std::string err_path = tmp.path() + "/err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    env_strings.emplace_back(*e);
  }
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& e : env_strings) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  pid_t pid = 0;
  CommandResult r;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data()) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    return r;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

pid_t spawn_quiet(const std::vector<std::string>& argv) {
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

} // namespace kct::testing
