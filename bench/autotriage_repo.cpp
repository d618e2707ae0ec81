// The history generator behind autotriage_bench.cpp. One `git fast-import` process is fed
// through a pipe: writing 300,000 commits that way takes tens of seconds, where one `git
// commit` per commit would take hours. Reverts name the real id of the commit they revert,
// which fast-import hands back through `get-mark` as the stream goes.
#include "autotriage_repo.h"

#include "util/error.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace kct::bench {

namespace fs = std::filesystem;

namespace {

// Bump when the generated history changes, so an old cache is regenerated.
constexpr int k_format = 1;
constexpr int64_t k_epoch = 1262304000; // the first commit's time; each later commit is 1 s later
constexpr const char* k_ident = "Bench Dev <bench@example.com>";
// A side branch forks and is merged back once every k_merge_period commits.
constexpr int64_t k_merge_period = 10000;
constexpr int64_t k_side_offset = 4321;

constexpr const char* k_dirs[] = {"net/core",         "mm",           "fs/ext4",    "drivers/gpu/drm/i915",
                                  "drivers/usb/core", "kernel/sched", "kernel/bpf", "arch/x86/kvm"};
constexpr const char* k_subsystems[] = {"net", "mm", "ext4", "drm/i915", "usb", "sched", "bpf", "KVM: x86"};
constexpr const char* k_nouns[] = {"refcount", "lock",  "buffer", "timer",  "queue",
                                   "mapping",  "state", "header", "policy", "context"};
constexpr const char* k_problems[] = {"leak a reference", "deadlock", "overflow the buffer", "use freed memory",
                                      "read stale data"};

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

template <size_t N>
const char* pick(const char* const (&words)[N], int64_t mark, uint64_t salt) {
  return words[mix(static_cast<uint64_t>(mark), salt) % N];
}

enum class Role { mainline, side, merge };

Role role(int64_t mark) {
  int64_t r = mark % k_merge_period;
  return r == k_side_offset ? Role::side : r == k_side_offset + 1 ? Role::merge : Role::mainline;
}

enum class Kind { plain, provenance, revert };

// 5% carry a provenance line, 0.5% revert an earlier commit.
Kind kind(int64_t mark) {
  if (role(mark) != Role::mainline) {
    return Kind::plain;
  }
  uint64_t r = mix(static_cast<uint64_t>(mark), 1) % 1000;
  return r < 5 ? Kind::revert : r < 55 ? Kind::provenance : Kind::plain;
}

std::string subject(int64_t mark) {
  // The mark in the function name keeps subjects unique, as real ones nearly are.
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%s: fix %s handling in %s_op%llx()", pick(k_subsystems, mark, 7),
                pick(k_nouns, mark, 9), pick(k_nouns, mark, 10), static_cast<unsigned long long>(mark));
  return buffer;
}

std::string prose(int64_t mark) {
  return std::string("The ") + pick(k_nouns, mark, 9) + " path could " + pick(k_problems, mark, 11) + " when the " +
         pick(k_nouns, mark, 12) + " is torn down\nconcurrently. Take the " + pick(k_nouns, mark, 10) +
         " first so readers never see it half done.\n\n";
}

std::string message(int64_t mark, const std::string& reverted_id, int64_t reverted_mark) {
  std::string signed_off = std::string("Signed-off-by: ") + k_ident + "\n";
  if (role(mark) == Role::merge) {
    return "Merge branch 'topic-" + std::to_string(mark) + "'\n\nPull the topic fixes.\n\n" + signed_off;
  }
  if (!reverted_id.empty()) {
    return "Revert \"" + subject(reverted_mark) + "\"\n\nThis reverts commit " + reverted_id + ".\n\n" + signed_off;
  }
  std::string head = subject(mark) + "\n\n";
  if (kind(mark) != Kind::provenance) {
    return head + prose(mark) + signed_off;
  }
  std::string id = provenance_id(mark);
  std::string bug = mix(static_cast<uint64_t>(mark), 3) % 2 == 0
                        ? "BugLink: https://bugs.launchpad.net/bugs/" + std::to_string(1800000 + mark % 100000) + "\n\n"
                        : "";
  switch (mix(static_cast<uint64_t>(mark), 2) % 3) {
  case 0: return head + "commit " + id + " upstream.\n\n" + prose(mark) + signed_off;
  case 1:
    return head + bug + prose(mark) + signed_off + "(cherry picked from commit " + id +
           ")\nSigned-off-by: Ubuntu Kernel <kernel@example.com>\n";
  default: return head + bug + "[ Upstream commit " + id + " ]\n\n" + prose(mark) + signed_off;
  }
}

// An earlier provenance-carrying commit of the same stream for a revert to name, or 0.
int64_t revert_target(int64_t mark, int64_t first) {
  for (int64_t t = mark - 1 - static_cast<int64_t>(mix(static_cast<uint64_t>(mark), 6) % 3000); t >= first; --t) {
    if (carries_provenance(t)) {
      return t;
    }
  }
  return 0;
}

std::string tag_name(int64_t index) {
  // v1.0, then v1.N-rc1, -rc2, -rc3 and v1.N per cycle.
  if (index == 0) {
    return "v1.0";
  }
  int64_t minor = 1 + (index - 1) / 4;
  int64_t step = (index - 1) % 4;
  std::string name = "v1." + std::to_string(minor);
  return step < 3 ? name + "-rc" + std::to_string(step + 1) : name;
}

void check_errno(bool ok, const std::string& what) {
  if (!ok) {
    throw Error(what + ": " + std::strerror(errno));
  }
}

void run_git(const std::vector<std::string>& argv) {
  Child child(argv, false, false);
  if (int status = child.wait(); status != 0) {
    std::string line;
    for (const std::string& a : argv) {
      line += (line.empty() ? "" : " ") + a;
    }
    throw Error("`" + line + "` failed with status " + std::to_string(status));
  }
}

// The fast-import input, buffered: one write() per megabyte instead of per line.
class Stream {
public:
  explicit Stream(Child& child) : m_child(child) {}

  void put(std::string_view text) {
    m_buffer += text;
    if (m_buffer.size() >= (1u << 20)) {
      flush();
    }
  }
  void data(std::string_view bytes) {
    put("data " + std::to_string(bytes.size()) + "\n");
    put(bytes);
    put("\n");
  }
  void flush() {
    size_t done = 0;
    while (done < m_buffer.size()) {
      ssize_t n = ::write(m_child.in(), m_buffer.data() + done, m_buffer.size() - done);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      check_errno(n > 0, "writing to git fast-import");
      done += static_cast<size_t>(n);
    }
    m_buffer.clear();
  }
  // The commit id fast-import gave `mark`; a round trip, so used only for reverts.
  std::string get_mark(int64_t mark) {
    put("get-mark :" + std::to_string(mark) + "\n");
    flush();
    char answer[41];
    size_t have = 0;
    while (have < sizeof answer) {
      ssize_t n = ::read(m_child.out(), answer + have, sizeof answer - have);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      check_errno(n > 0, "reading git fast-import's get-mark answer");
      have += static_cast<size_t>(n);
    }
    return std::string(answer, 40);
  }

private:
  Child& m_child;
  std::string m_buffer;
};

struct TagAt {
  int64_t mark;
  int64_t index;
};

void write_commit(Stream& s, int64_t mark, const std::string& ref, const std::string& from, const std::string& merge,
                  const std::string& text) {
  std::string when = std::to_string(k_epoch + mark) + " +0000\n";
  s.put("commit " + ref + "\nmark :" + std::to_string(mark) + "\n");
  s.put(std::string("author ") + k_ident + " " + when);
  s.put(std::string("committer ") + k_ident + " " + when);
  s.data(text);
  if (!from.empty()) {
    s.put("from " + from + "\n");
  }
  if (!merge.empty()) {
    s.put("merge " + merge + "\n");
  }
  if (role(mark) != Role::merge) {
    // One small file per commit, among 64 paths in 8 directories.
    std::string path =
        std::string(pick(k_dirs, mark, 4)) + "/file" + std::to_string(mix(static_cast<uint64_t>(mark), 5) % 8) + ".c";
    s.put("M 100644 inline " + path + "\n");
    s.data("/* " + path + " */\nint op" + std::to_string(mark) + "(void)\n{\n\treturn " + std::to_string(mark % 977) +
           ";\n}\n");
  }
  s.put("\n");
}

// Writes marks [first, last] on top of `base` (a commit id, or "" for a root), with `tags`.
void write_history(Stream& s, int64_t first, int64_t last, const std::string& base, const std::vector<TagAt>& tags) {
  std::string previous = base; // the last mainline commit, as fast-import names it
  size_t next_tag = 0;
  for (int64_t mark = first; mark <= last; ++mark) {
    std::string self = ":" + std::to_string(mark);
    if (role(mark) == Role::side) {
      std::string fork = mark - 40 >= first ? ":" + std::to_string(mark - 40) : previous;
      write_commit(s, mark, "refs/heads/side", fork, "", message(mark, "", 0));
      continue;
    }
    std::string merge = role(mark) == Role::merge && mark - 1 >= first ? ":" + std::to_string(mark - 1) : "";
    std::string reverted_id;
    int64_t reverted = kind(mark) == Kind::revert ? revert_target(mark, first) : 0;
    if (reverted != 0) {
      reverted_id = s.get_mark(reverted);
    }
    write_commit(s, mark, "refs/heads/main", previous, merge, message(mark, reverted_id, reverted));
    previous = self;
    while (next_tag < tags.size() && tags[next_tag].mark == mark) {
      std::string name = tag_name(tags[next_tag].index);
      s.put("tag " + name + "\nfrom " + self + "\n");
      s.put(std::string("tagger ") + k_ident + " " + std::to_string(k_epoch + mark) + " +0000\n");
      s.data("Linux " + name.substr(1) + "\n");
      ++next_tag;
    }
  }
}

void fast_import(const std::string& git_dir, const std::vector<std::string>& extra, int64_t first, int64_t last,
                 const std::string& base, const std::vector<TagAt>& tags) {
  std::vector<std::string> argv = {"git", "--git-dir=" + git_dir, "fast-import", "--quiet"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Child child(argv, true, true);
  Stream s(child);
  s.put("feature done\n");
  write_history(s, first, last, base, tags);
  s.put("done\n");
  s.flush();
  child.close_in();
  if (int status = child.wait(); status != 0) {
    throw Error("git fast-import into " + git_dir + " failed with status " + std::to_string(status));
  }
}

std::string shape_text(const RepoShape& shape) {
  return "format=" + std::to_string(k_format) + " commits=" + std::to_string(shape.commits) +
         " tags=" + std::to_string(shape.tags) + " extra=" + std::to_string(shape.extra_commits) + "\n";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void generate(const BenchRepo& r) {
  // Only what this generator writes is removed: the directory may be one the user chose.
  for (const std::string& p : {r.repo, r.repo_plus, r.marks, r.dir + "/.complete"}) {
    fs::remove_all(p);
  }
  fs::create_directories(r.dir);
  // A dead fast-import must be an error from write(), not a silent SIGPIPE exit.
  std::signal(SIGPIPE, SIG_IGN);

  run_git({"git", "init", "-q", "--bare", "--initial-branch=main", r.repo});
  std::vector<TagAt> tags;
  for (int64_t k = 0; k < r.shape.tags; ++k) {
    int64_t mark = (k + 1) * r.shape.commits / r.shape.tags;
    tags.push_back({role(mark) == Role::side ? mark + 1 : mark, k});
  }
  fast_import(r.repo, {"--export-marks=" + r.marks}, 1, r.shape.commits, "", tags);

  // The incremental variant: a clone (hard links, so cheap) that gains more commits and a tag.
  run_git({"git", "clone", "-q", "--bare", r.repo, r.repo_plus});
  std::vector<std::array<char, 40>> ids = read_marks(r.marks);
  std::string tip(ids.at(static_cast<size_t>(r.shape.commits)).data(), 40);
  int64_t last = r.shape.commits + r.shape.extra_commits;
  fast_import(r.repo_plus, {}, r.shape.commits + 1, last, tip, {{last, r.shape.tags}});

  std::ofstream(r.dir + "/.complete") << shape_text(r.shape);
}

BenchRepo make_bench_repo() {
  BenchRepo r;
  const char* dir = std::getenv("KCT_BENCH_DIR");
  r.dir = dir != nullptr && *dir != '\0' ? dir : (fs::current_path() / "bench-data").string();
  r.repo = r.dir + "/repo.git";
  r.repo_plus = r.dir + "/repo-plus.git";
  r.marks = r.dir + "/repo.marks";
  if (read_text(r.dir + "/.complete") == shape_text(r.shape)) {
    std::fprintf(stderr, "autotriage bench: reusing %s\n", r.dir.c_str());
    return r;
  }
  std::fprintf(stderr, "autotriage bench: generating %lld commits, %lld tags in %s ...\n",
               static_cast<long long>(r.shape.commits), static_cast<long long>(r.shape.tags), r.dir.c_str());
  auto start = std::chrono::steady_clock::now();
  generate(r);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::fprintf(stderr, "autotriage bench: generated in %.1f s\n", took.count());
  return r;
}

} // namespace

uint64_t mix(uint64_t a, uint64_t b) {
  return splitmix(splitmix(a) ^ (b * 0x9e3779b97f4a7c15ull));
}

bool is_plain_mainline(int64_t mark) {
  return role(mark) == Role::mainline;
}

bool carries_provenance(int64_t mark) {
  return kind(mark) == Kind::provenance;
}

std::string random_sha(uint64_t seed) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(40);
  for (uint64_t word = 0; out.size() < 40; ++word) {
    uint64_t bits = mix(seed, 1000 + word);
    for (int i = 0; i < 16 && out.size() < 40; ++i, bits >>= 4) {
      out += k_hex[bits & 15];
    }
  }
  return out;
}

std::string provenance_id(int64_t mark) {
  return random_sha(mix(static_cast<uint64_t>(mark), 77));
}

const BenchRepo& bench_repo() {
  static const BenchRepo repo = make_bench_repo();
  return repo;
}

std::vector<std::array<char, 40>> read_marks(const std::string& path) {
  std::string text = read_text(path);
  std::vector<std::array<char, 40>> ids(1);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end;
    // `:<mark> <sha>`; fast-import writes marks in order, but index by the number anyway.
    size_t space = text.find(' ', start);
    if (text[start] != ':' || space == std::string::npos || end - space - 1 != 40) {
      throw Error(path + ": unexpected marks line");
    }
    size_t mark = std::stoul(text.substr(start + 1, space - start - 1));
    if (ids.size() <= mark) {
      ids.resize(mark + 1);
    }
    std::copy(text.begin() + static_cast<std::ptrdiff_t>(space + 1), text.begin() + static_cast<std::ptrdiff_t>(end),
              ids[mark].begin());
    start = end + 1;
  }
  return ids;
}

Child::Child(const std::vector<std::string>& argv, bool pipe_stdin, bool pipe_stdout) : m_name(argv.at(0)) {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  check_errno(!pipe_stdin || ::pipe2(in, O_CLOEXEC) == 0, "pipe");
  check_errno(!pipe_stdout || ::pipe2(out, O_CLOEXEC) == 0, "pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (pipe_stdin) {
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  }
  if (pipe_stdout) {
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  int rc = ::posix_spawnp(&m_pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  // The child's ends are the child's now; ours are close-on-exec so no later child inherits them.
  for (int fd : {in[0], out[1]}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  m_in = in[1];
  m_out = out[0];
  if (rc != 0) {
    m_pid = -1;
    close_in();
    if (m_out >= 0) {
      ::close(m_out);
    }
    throw Error("cannot run " + m_name + ": " + std::strerror(rc));
  }
}

Child::~Child() {
  wait();
}

void Child::close_in() {
  if (m_in >= 0) {
    ::close(m_in);
    m_in = -1;
  }
}

int Child::wait() {
  close_in();
  if (m_out >= 0) {
    ::close(m_out);
    m_out = -1;
  }
  if (m_pid < 0) {
    return -1;
  }
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace kct::bench
