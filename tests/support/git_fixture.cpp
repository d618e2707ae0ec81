#include "support/git_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace kct::testing {

namespace fs = std::filesystem;

namespace {

// Everything that could make git behave differently from one machine to the next.
constexpr const char* k_gitconfig = R"([user]
	name = Kernel Fixture
	email = fixture@example.com
[init]
	defaultBranch = master
[safe]
	directory = *
[commit]
	gpgSign = false
[tag]
	gpgSign = false
[gc]
	auto = 0
[core]
	autocrlf = false
	hooksPath = /dev/null
[advice]
	detachedHead = false
)";

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

std::string join(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) {
    s += s.empty() ? "" : " ";
    s += a;
  }
  return s;
}

void write_text(const fs::path& p, const std::string& contents, std::ios::openmode mode) {
  if (p.has_parent_path()) {
    fs::create_directories(p.parent_path());
  }
  std::ofstream out(p, std::ios::binary | mode);
  out << contents;
  if (!out) {
    throw std::runtime_error("cannot write " + p.string());
  }
}

std::string full_message(const std::string& subject, const std::string& body) {
  std::string m = subject + "\n";
  if (!body.empty()) {
    m += "\n" + body;
    if (m.back() != '\n') {
      m += "\n";
    }
  }
  return m;
}

} // namespace

GitEnv::GitEnv(int64_t start) : m_now(start) {
  write_text(fs::path(home()) / ".gitconfig", k_gitconfig, std::ios::trunc);
}

int64_t GitEnv::advance(int64_t seconds) {
  m_now += seconds;
  return m_now;
}

std::vector<std::string> GitEnv::argv(const std::string& dir, const std::vector<std::string>& args) const {
  const char* path = std::getenv("PATH");
  std::string date = "@" + std::to_string(m_now) + " +0000";
  std::vector<std::string> v = {
      "env",
      "-i",
      std::string("PATH=") + (path != nullptr && *path != '\0' ? path : "/usr/local/bin:/usr/bin:/bin"),
      "HOME=" + home(),
      "LC_ALL=C",
      "LANG=C",
      "TZ=UTC",
      "GIT_CONFIG_NOSYSTEM=1",
      "GIT_TERMINAL_PROMPT=0",
      std::string("GIT_AUTHOR_NAME=") + k_name,
      std::string("GIT_AUTHOR_EMAIL=") + k_email,
      std::string("GIT_COMMITTER_NAME=") + k_name,
      std::string("GIT_COMMITTER_EMAIL=") + k_email,
      "GIT_AUTHOR_DATE=" + date,
      "GIT_COMMITTER_DATE=" + date,
      "git",
      "-c",
      "safe.directory=*",
      "-C",
      dir,
  };
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

GitRepo::GitRepo(std::string path, std::shared_ptr<GitEnv> env)
    : m_path(std::move(path)), m_env(env != nullptr ? std::move(env) : std::make_shared<GitEnv>()) {}

GitRepo GitRepo::init(const std::string& path, std::shared_ptr<GitEnv> env) {
  fs::create_directories(path);
  GitRepo repo(fs::absolute(path).string(), std::move(env));
  repo.git({"init", "-q", "-b", "master"});
  return repo;
}

CommandResult GitRepo::try_git(const std::vector<std::string>& args) const {
  return run_command(m_env->argv(m_path, args));
}

std::string GitRepo::git(const std::vector<std::string>& args) const {
  CommandResult r = try_git(args);
  if (r.exit_code != 0) {
    throw std::runtime_error("git " + join(args) + " in " + m_path + " failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err + r.out);
  }
  return r.out;
}

void GitRepo::write_file(const std::string& rel, const std::string& contents) const {
  write_text(fs::path(m_path) / rel, contents, std::ios::trunc);
}

void GitRepo::append_file(const std::string& rel, const std::string& contents) const {
  write_text(fs::path(m_path) / rel, contents, std::ios::app);
}

std::string GitRepo::read_file(const std::string& rel) const {
  std::ifstream in(fs::path(m_path) / rel, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + (fs::path(m_path) / rel).string());
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void GitRepo::remove_file(const std::string& rel) const {
  git({"rm", "-q", "-f", "--", rel});
}

std::string GitRepo::commit_staged(const std::string& subject, const std::string& body, int64_t time) const {
  if (time != 0) {
    m_env->set_time(time);
  } else {
    m_env->advance();
  }
  // Through a file so multi-line messages survive untouched (no shell, no -m paragraph rules).
  fs::path msg = fs::path(m_env->home()) / "COMMIT_MSG";
  write_text(msg, full_message(subject, body), std::ios::trunc);
  git({"commit", "-q", "--allow-empty", "--no-verify", "--cleanup=verbatim", "-F", msg.string()});
  return rev_parse("HEAD");
}

std::string GitRepo::commit(const std::string& subject, const std::string& body, int64_t time) const {
  git({"add", "-A"});
  return commit_staged(subject, body, time);
}

void GitRepo::tag(const std::string& name, const std::string& rev, const std::string& message) const {
  if (message.empty()) {
    git({"tag", name, rev});
  } else {
    git({"tag", "-a", "-m", message, name, rev});
  }
}

void GitRepo::branch(const std::string& name, const std::string& start) const {
  git({"branch", name, start});
}

void GitRepo::delete_branch(const std::string& name) const {
  git({"branch", "-q", "-D", name});
}

void GitRepo::checkout(const std::string& rev) const {
  git({"checkout", "-q", rev});
}

void GitRepo::checkout_new_branch(const std::string& name, const std::string& start) const {
  git({"checkout", "-q", "-b", name, start});
}

std::string GitRepo::merge(const std::string& rev, const std::string& subject, const std::string& body) const {
  m_env->advance();
  fs::path msg = fs::path(m_env->home()) / "MERGE_MSG";
  write_text(msg, full_message(subject, body), std::ios::trunc);
  git({"merge", "-q", "--no-ff", "--no-edit", "--no-verify", "-F", msg.string(), rev});
  return rev_parse("HEAD");
}

std::string GitRepo::cherry_pick_as(const std::string& sha, const std::string& subject, const std::string& body) const {
  git({"cherry-pick", "-n", sha});
  return commit_staged(subject, body, 0);
}

std::string GitRepo::revert(const std::string& sha, const std::string& body) const {
  git({"revert", "-n", sha});
  std::string subject = "Revert \"" + subject_of(sha) + "\"";
  return commit_staged(subject, body.empty() ? "This reverts commit " + sha + "." : body, 0);
}

std::string GitRepo::rev_parse(const std::string& rev) const {
  return trim_newline(git({"rev-parse", "--verify", "--end-of-options", rev}));
}

std::string GitRepo::commit_of(const std::string& rev) const {
  return rev_parse(rev + "^{commit}");
}

bool GitRepo::is_ancestor(const std::string& ancestor, const std::string& rev) const {
  CommandResult r = try_git({"merge-base", "--is-ancestor", ancestor, rev});
  if (r.exit_code > 1) {
    throw std::runtime_error("git merge-base --is-ancestor " + ancestor + " " + rev + ": " + r.err);
  }
  return r.exit_code == 0;
}

bool GitRepo::has_object(const std::string& sha) const {
  return try_git({"cat-file", "-e", sha}).exit_code == 0;
}

std::string GitRepo::show_file(const std::string& rev, const std::string& path) const {
  return git({"show", rev + ":" + path});
}

std::string GitRepo::message_of(const std::string& rev) const {
  // From the raw object: `git log --format` would add its own terminator.
  std::string raw = git({"cat-file", "commit", rev + "^{commit}"});
  size_t at = raw.find("\n\n");
  return at == std::string::npos ? "" : raw.substr(at + 2);
}

std::string GitRepo::subject_of(const std::string& rev) const {
  std::string message = message_of(rev);
  return message.substr(0, message.find('\n'));
}

std::string GitRepo::body_of(const std::string& rev) const {
  std::string message = message_of(rev);
  size_t at = message.find("\n\n");
  return at == std::string::npos ? "" : message.substr(at + 2);
}

GitRepo GitRepo::clone_bare_to(const std::string& path) const {
  std::string target = fs::absolute(path).string();
  git({"clone", "-q", "--bare", "--no-local", "--no-hardlinks", m_path, target});
  GitRepo clone(target, m_env);
  // A tag on a commit no branch reaches would not come with the clone.
  clone.fetch(m_path, {"+refs/tags/*:refs/tags/*"});
  return clone;
}

void GitRepo::fetch(const std::string& from, const std::vector<std::string>& refspecs) const {
  std::vector<std::string> args = {"fetch", "-q", "--no-tags", "--no-write-fetch-head", from};
  args.insert(args.end(), refspecs.begin(), refspecs.end());
  git(args);
}

} // namespace kct::testing
