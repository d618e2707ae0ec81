#pragma once
// Builds small git repositories for tests by driving the real `git` command.
//
// Tests of the scanner need real histories (merges, reverts, annotated tags, bare clones that
// share objects), and the simplest faithful way to make them is git itself. Every call runs
//   env -i PATH=… HOME=<private temp dir> LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1
//       GIT_AUTHOR_*/GIT_COMMITTER_* … git -c safe.directory=* -C <repo> …
// so the result depends neither on the user's configuration (`~/.gitconfig`, hooks, GIT_DIR
// from a surrounding hook, signing) nor on the locale, and the same script gives the same
// shas on every machine: author, committer and dates are fixed, the dates come from a fake
// clock that moves forward one hour per commit. `env -i` is used because run_command appends
// its extra entries after the inherited environment, where getenv() would never see them.
#include "support/test_env.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kct::testing {

// The private HOME (with a fixed .gitconfig) and the fake clock. Repositories that should
// interleave their commit dates (a clone and its origin) share one GitEnv.
class GitEnv {
public:
  // 2019-01-01 00:00:00 UTC.
  static constexpr int64_t k_default_start = 1546300800;
  static constexpr int64_t k_commit_step = 3600;
  static constexpr const char* k_name = "Kernel Fixture";
  static constexpr const char* k_email = "fixture@example.com";

  explicit GitEnv(int64_t start = k_default_start);
  GitEnv(const GitEnv&) = delete;
  GitEnv& operator=(const GitEnv&) = delete;

  // Seconds since the epoch, UTC; what the next git call uses as author and committer date.
  int64_t now() const { return m_now; }
  // Moves the clock forward and returns the new time.
  int64_t advance(int64_t seconds = k_commit_step);
  // Sets the clock; going backwards is allowed but breaks "commit date orders tags".
  void set_time(int64_t t) { m_now = t; }
  const std::string& home() const { return m_home.path(); }

  // The argv that runs `git -C dir args…` in the fixed environment.
  std::vector<std::string> argv(const std::string& dir, const std::vector<std::string>& args) const;

private:
  ScopedTempDir m_home;
  int64_t m_now;
};

// A git repository (work tree or bare) under test. Mutating calls throw std::runtime_error
// carrying the git command line and git's stderr when git fails.
class GitRepo {
public:
  // Wraps an existing repository; with no env, a fresh one is made.
  explicit GitRepo(std::string path, std::shared_ptr<GitEnv> env = nullptr);

  // `git init` of a non-bare work tree at path (created if missing), branch `master`.
  static GitRepo init(const std::string& path, std::shared_ptr<GitEnv> env = nullptr);

  const std::string& path() const { return m_path; }
  const std::shared_ptr<GitEnv>& env() const { return m_env; }

  // Runs git in the repository; returns stdout, throws on a non-zero exit.
  std::string git(const std::vector<std::string>& args) const;
  // Runs git and returns the result whatever the exit code.
  CommandResult try_git(const std::vector<std::string>& args) const;

  // Work-tree files, relative to path(); parent directories are created.
  void write_file(const std::string& rel, const std::string& contents) const;
  void append_file(const std::string& rel, const std::string& contents) const;
  std::string read_file(const std::string& rel) const;
  void remove_file(const std::string& rel) const;

  // Advances the clock one step (or sets it to `time` when given, Unix seconds), stages
  // everything (`git add -A`) and commits, allowing an empty commit. The message is
  // `subject`, then a blank line and `body` when body is not empty, kept verbatim.
  // Returns the full sha.
  std::string commit(const std::string& subject, const std::string& body = "", int64_t time = 0) const;

  // A tag on rev: annotated with `message` as its message, lightweight when message is "".
  // The tagger date is the clock's current time (not advanced).
  void tag(const std::string& name, const std::string& rev = "HEAD", const std::string& message = "") const;

  void branch(const std::string& name, const std::string& start = "HEAD") const;
  void delete_branch(const std::string& name) const;
  void checkout(const std::string& rev) const;
  // `git checkout -b name start`.
  void checkout_new_branch(const std::string& name, const std::string& start) const;

  // A merge commit (always `--no-ff`) of rev into the current branch; returns its sha.
  std::string merge(const std::string& rev, const std::string& subject, const std::string& body = "") const;

  // Applies the change of `sha` (`git cherry-pick -n`) and commits it with a new message.
  // `sha` must be in this repository's object store (fetch it first). Returns the new sha.
  std::string cherry_pick_as(const std::string& sha, const std::string& subject, const std::string& body) const;

  // Reverts `sha`. The subject is git's `Revert "<subject of sha>"`; the body is `body`, or
  // git's own "This reverts commit <sha>." when body is "". Returns the new sha.
  std::string revert(const std::string& sha, const std::string& body = "") const;

  // `git rev-parse --verify rev` (a tag name gives the tag object for an annotated tag).
  std::string rev_parse(const std::string& rev) const;
  // The commit rev points at, peeling tags.
  std::string commit_of(const std::string& rev) const;
  bool is_ancestor(const std::string& ancestor, const std::string& rev) const;
  bool has_object(const std::string& sha) const;
  // The file at rev (`git show rev:path`).
  std::string show_file(const std::string& rev, const std::string& path) const;
  // The full message exactly as stored in the commit object.
  std::string message_of(const std::string& rev) const;
  // Its first line.
  std::string subject_of(const std::string& rev) const;
  // What follows the subject and its blank line ("" if nothing does).
  std::string body_of(const std::string& rev) const;

  // `git clone --bare` into path, then every tag fetched as well, sharing this GitEnv. The
  // clone goes through the pack transport (`--no-local`) rather than copying the object
  // directory, so the clone holds only objects reachable from its refs, as a real mirror.
  GitRepo clone_bare_to(const std::string& path) const;

  // `git fetch --no-tags from refspecs…`: only what the refspecs name (spell tags out as
  // `refs/tags/v1:refs/tags/v1`), so tags of the other repository never leak in.
  void fetch(const std::string& from, const std::vector<std::string>& refspecs) const;

private:
  std::string commit_staged(const std::string& subject, const std::string& body, int64_t time) const;

  std::string m_path;
  std::shared_ptr<GitEnv> m_env;
};

} // namespace kct::testing
