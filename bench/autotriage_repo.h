#pragma once
// A generated kernel-like history for the autotriage benchmarks: a bare repository of
// 300,000 commits and 100 `v*` tags, built once with `git fast-import` and cached in
// $KCT_BENCH_DIR (default ./bench-data). Every choice (paths, messages, which commits carry
// provenance lines or revert another one) is a pure function of the commit's mark, so the
// CVE files of the benchmarks can name the same commits and ids without reading the history.
#include <array>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kct::bench {

struct RepoShape {
  int64_t commits = 300000;     // in `repo`, marks 1..commits
  int64_t tags = 100;           // the last one on the tip
  int64_t extra_commits = 1000; // added in `repo_plus`, then one more tag on its tip
};

struct BenchRepo {
  std::string dir;       // the cache directory
  std::string repo;      // bare repository of shape.commits commits and shape.tags tags
  std::string repo_plus; // repo + shape.extra_commits commits and one more tag
  std::string marks;     // `:<mark> <sha>` per commit of repo (fast-import --export-marks)
  RepoShape shape;
};

// Generates the repositories on first use, or reuses a complete earlier generation of the same
// shape. Prints the generation time on stderr. Throws kct::Error when git fails.
const BenchRepo& bench_repo();

// What the generator put at a mark.
bool is_plain_mainline(int64_t mark); // a single-parent commit on main (no merge, no side commit)
bool carries_provenance(int64_t mark);
std::string provenance_id(int64_t mark); // the synthetic upstream id its message names
std::string random_sha(uint64_t seed);   // a 40-hex id no commit has
uint64_t mix(uint64_t a, uint64_t b);    // the deterministic hash behind every choice

// The commit ids of repo, indexed by mark (index 0 unused).
std::vector<std::array<char, 40>> read_marks(const std::string& path);

// A program run without a shell, stdin and stdout optionally on pipes (stdout otherwise goes to
// /dev/null, so the benchmark's report stays clean); stderr is inherited.
class Child {
public:
  Child(const std::vector<std::string>& argv, bool pipe_stdin, bool pipe_stdout);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  int in() const { return m_in; }
  int out() const { return m_out; }
  void close_in();
  // Closes the pipes and waits; the exit status, or 128 + signal.
  int wait();

private:
  std::string m_name;
  pid_t m_pid = -1;
  int m_in = -1;
  int m_out = -1;
};

} // namespace kct::bench
