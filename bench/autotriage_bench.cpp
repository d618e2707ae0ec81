// Autotriage against a generated 300,000-commit history (autotriage_repo.h): the first full
// scan of an upstream tree into an empty provenance store, compared with `git log` reading the
// same messages; an incremental rescan after one more tag; and the decisions plus tracker
// write-back for 5,000 CVEs x 50 targets, in memory.
// Run: build-bench/kct_bench --benchmark_filter=Autotriage (minutes: three full scans)
// The repositories are generated on the first run (not timed) into $KCT_BENCH_DIR, default
// ./bench-data, and reused while their `.complete` marker matches.
#include "autotriage_repo.h"

#include "catalog/catalog.h"
#include "kgit/provenance_store.h"
#include "kgit/repository.h"
#include "kgit/scanner.h"
#include "kgit/tag_versions.h"
#include "tracker/cve_file.h"
#include "triage/cve_results.h"
#include "triage/presence.h"
#include "triage/scan_run.h"
#include "triage/write_back.h"
#include "util/error.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kct::bench::BenchRepo;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Runs a benchmark body on the generated repositories. A failure (git, SQLite, a generated file
// that does not parse) skips that benchmark with its message instead of ending the whole run.
void guarded(benchmark::State& state, void (*body)(benchmark::State&, const BenchRepo*)) {
  try {
    body(state, &kct::bench::bench_repo());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

// Stores of this process live in a scratch directory beside the repositories (same disk, so
// SQLite's fsyncs cost what they would in the state directory), removed at exit.
class Scratch {
public:
  explicit Scratch(const std::string& parent) {
    std::string pattern = parent + "/scratch-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw kct::Error(pattern + ": cannot create: " + std::strerror(errno));
    }
    m_path = pattern;
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

const std::string& scratch(const BenchRepo& repo) {
  static const Scratch dir(repo.dir);
  return dir.path();
}

void remove_store(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(path + suffix);
  }
}

// --- the git log baseline ------------------------------------------------------------------

// `git log` printing every id and message of the history, read and discarded as a consumer of
// its output would; the bytes read.
int64_t git_log_bytes(const BenchRepo& repo) {
  kct::bench::Child git({"git", "--git-dir=" + repo.repo, "log", "--format=%H%n%B", "refs/heads/main"}, false, true);
  std::vector<char> buffer(1 << 20);
  int64_t bytes = 0;
  for (;;) {
    ssize_t n = ::read(git.out(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    bytes += n;
  }
  if (int status = git.wait(); status != 0) {
    throw kct::Error("git log failed with status " + std::to_string(status));
  }
  return bytes;
}

// The fastest git log of this run: the full scan's ratio is taken against it.
double g_git_log_seconds = 0;

void note_git_log(double seconds) {
  g_git_log_seconds = g_git_log_seconds == 0 ? seconds : std::min(g_git_log_seconds, seconds);
}

double git_log_baseline(const BenchRepo& repo) {
  if (g_git_log_seconds == 0) {
    Clock::time_point start = Clock::now();
    git_log_bytes(repo); // the baseline benchmark was filtered out: measure it here, untimed
    note_git_log(seconds_since(start));
  }
  return g_git_log_seconds;
}

void git_log_baseline_body(benchmark::State& state, const BenchRepo* repo) {
  int64_t bytes = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    bytes = git_log_bytes(*repo);
    note_git_log(seconds_since(start));
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["commits"] = static_cast<double>(repo->shape.commits);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
void BM_AutotriageGitLogBaseline(benchmark::State& state) {
  guarded(state, git_log_baseline_body);
}
BENCHMARK(BM_AutotriageGitLogBaseline)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)->Repetitions(3);

// --- scans -------------------------------------------------------------------------------

struct Scan {
  kct::kgit::ScanStats stats;
  size_t versions = 0;
  double seconds = 0;
};

// What `kct autotriage` does for an upstream target: open the tree, list its version tags, and
// bring the store's rows for upstream/linux in line with them.
Scan scan_upstream(kct::kgit::ProvenanceStore& store, const std::string& repo_path) {
  Clock::time_point start = Clock::now();
  kct::kgit::Repository git(repo_path);
  std::vector<kct::kgit::VersionTag> tags = kct::kgit::upstream_version_tags(git, "v*");
  std::mutex lock;
  Scan scan;
  kct::kgit::BulkLoad bulk(store); // as kct autotriage's run_scans does
  scan.stats = kct::kgit::rescan_tags(store, lock, git, {"upstream", "linux", tags, {}});
  bulk.finish();
  scan.versions = tags.size();
  scan.seconds = seconds_since(start);
  return scan;
}

// The first full scan of this run: its time, and a closed copy of its store that the later
// benchmarks start from.
double g_full_scan_seconds = 0;
std::string g_scanned_store;

void keep_scanned_store(const BenchRepo& repo, const std::string& closed_store, double seconds) {
  g_full_scan_seconds = g_full_scan_seconds == 0 ? seconds : std::min(g_full_scan_seconds, seconds);
  if (g_scanned_store.empty()) {
    std::string kept = scratch(repo) + "/scanned.db";
    fs::copy_file(closed_store, kept, fs::copy_options::overwrite_existing);
    g_scanned_store = kept;
  }
}

const std::string& scanned_store(const BenchRepo& repo) {
  if (g_scanned_store.empty()) {
    // The full-scan benchmark was filtered out: scan once here, untimed.
    std::string path = scratch(repo) + "/setup.db";
    remove_store(path);
    double seconds = 0;
    {
      kct::kgit::ProvenanceStore store(path);
      seconds = scan_upstream(store, repo.repo).seconds;
    } // closed: SQLite folds the WAL back into the file, so the file alone is the store
    keep_scanned_store(repo, path, seconds);
  }
  return g_scanned_store;
}

void full_scan_body(benchmark::State& state, const BenchRepo* repo) {
  double baseline = git_log_baseline(*repo);
  std::string path = scratch(*repo) + "/full.db";
  std::optional<kct::kgit::ProvenanceStore> store;
  Scan scan;
  for (auto _ : state) {
    state.PauseTiming();
    store.reset();
    remove_store(path);
    store.emplace(path);
    state.ResumeTiming();
    scan = scan_upstream(*store, repo->repo);
  }
  store.reset();
  keep_scanned_store(*repo, path, scan.seconds);
  if (scan.stats.scanned != static_cast<int64_t>(repo->shape.tags)) {
    state.SkipWithError("the full scan did not scan every tag");
  }
  state.counters["commits"] = static_cast<double>(scan.stats.commits);
  state.counters["versions"] = static_cast<double>(scan.versions);
  state.counters["git_log_s"] = baseline;
  state.counters["ratio_to_git_log"] = scan.seconds / baseline;
  state.counters["store_MB"] = static_cast<double>(fs::file_size(path)) / (1024.0 * 1024.0);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
void BM_AutotriageFullScan(benchmark::State& state) {
  guarded(state, full_scan_body);
}
BENCHMARK(BM_AutotriageFullScan)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)->Repetitions(3);

int64_t g_recent_rows_per_rescan = 0; // id rows one 1,000-commit rescan leaves recent

void incremental_rescan_body(benchmark::State& state, const BenchRepo* repo) {
  const std::string& scanned = scanned_store(*repo);
  std::string path = scratch(*repo) + "/incremental.db";
  std::optional<kct::kgit::ProvenanceStore> store;
  Scan scan;
  double open_seconds = 0; // opening the store (its integrity check) is a cost of every run
  for (auto _ : state) {
    state.PauseTiming();
    store.reset();
    remove_store(path);
    fs::copy_file(scanned, path);
    Clock::time_point open = Clock::now();
    store.emplace(path);
    open_seconds = seconds_since(open);
    state.ResumeTiming();
    scan = scan_upstream(*store, repo->repo_plus);
  }
  store.reset();
  if (scan.stats.scanned != 1 || scan.stats.kept != static_cast<int64_t>(repo->shape.tags)) {
    state.SkipWithError("the rescan should keep every old tag and scan only the new one");
  }
  state.counters["commits"] = static_cast<double>(scan.stats.commits);
  state.counters["versions"] = static_cast<double>(scan.versions);
  state.counters["full_scan_s"] = g_full_scan_seconds;
  state.counters["ratio_to_full_scan"] = scan.seconds / g_full_scan_seconds;
  state.counters["store_open_s"] = open_seconds;
  state.counters["peak_rss_MB"] = peak_rss_mb();
  {
    kct::kgit::ProvenanceStore reopened(path);
    g_recent_rows_per_rescan = reopened.recent_rows();
  }
  state.counters["recent_rows"] = static_cast<double>(g_recent_rows_per_rescan);
}
void BM_AutotriageIncrementalRescan(benchmark::State& state) {
  guarded(state, incremental_rescan_body);
}
BENCHMARK(BM_AutotriageIncrementalRescan)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

// Rescans leave their rows out of the id and title indexes until k_fold_rows of them have
// gathered; then one fold puts them in. Its cost, spread over the rescans that gathered them,
// belongs to each rescan: measured here on the scanned store with its newest 65,536 id rows
// (and the titles of the same versions) marked recent, as that many rescans would leave them.
void fold_recent_body(benchmark::State& state, const BenchRepo* repo) {
  const std::string& scanned = scanned_store(*repo);
  std::string path = scratch(*repo) + "/fold.db";
  std::optional<kct::kgit::ProvenanceStore> store;
  int64_t folded = 0;
  double fold_seconds = 0;
  double read_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    store.reset();
    remove_store(path);
    fs::copy_file(scanned, path);
    {
      kct::kgit::ProvenanceStore setup(path);
      kct::db::Statement first = setup.db().prepare("SELECT tid FROM id_detail ORDER BY rowid DESC LIMIT 1 OFFSET ?");
      first.bind(1, kct::kgit::ProvenanceStore::k_fold_rows - 1);
      first.step();
      int64_t tid = first.int_at(0);
      setup.db().prepare("UPDATE id_detail SET recent = 1 WHERE tid >= ?").bind(1, tid).run();
      setup.db().prepare("UPDATE title_id SET recent = 1 WHERE tid >= ?").bind(1, tid).run();
      folded = setup.recent_rows();
    } // closed: checkpointed into the file
    store.emplace(path);
    // What a look-up pays before the fold: reading the recent rows into memory.
    Clock::time_point read = Clock::now();
    (void)store->events(std::string(40, '0'));
    read_seconds = seconds_since(read);
    state.ResumeTiming();
    Clock::time_point start = Clock::now();
    if (!store->fold_recent_if_due()) {
      state.SkipWithError("the fold did not run");
      return;
    }
    fold_seconds = seconds_since(start);
  }
  store.reset();
  state.counters["folded_rows"] = static_cast<double>(folded);
  state.counters["recent_read_ms"] = 1000.0 * read_seconds;
  if (g_recent_rows_per_rescan > 0) {
    double rescans = static_cast<double>(folded) / static_cast<double>(g_recent_rows_per_rescan);
    state.counters["rescans_per_fold"] = rescans;
    state.counters["ms_per_rescan"] = 1000.0 * fold_seconds / rescans;
  }
}
void BM_AutotriageFoldRecent(benchmark::State& state) {
  guarded(state, fold_recent_body);
}
BENCHMARK(BM_AutotriageFoldRecent)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

// --- decisions and write-back ----------------------------------------------------------------

constexpr int64_t k_cve_files = 5000;
constexpr size_t k_targets = 50;

// splitmix64 as a sequence, for the CVE files' choices.
class Rng {
public:
  explicit Rng(uint64_t seed) : m_state(seed) {}
  uint64_t next() { return kct::bench::mix(m_state++, 0xc0ffee); }
  int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }

private:
  uint64_t m_state;
};

// The next plain mainline commit at or after `mark`.
int64_t mainline_at(int64_t mark) {
  while (!kct::bench::is_plain_mainline(mark)) {
    ++mark;
  }
  return mark;
}

// One ` break-fix:` line: the break a commit of the history (or `-`); the fix a later commit,
// the upstream id a later Ubuntu-style commit names, an id nowhere in the history (needed), or
// alternatives.
std::string break_fix_line(Rng& rng, const std::vector<std::array<char, 40>>& ids, int64_t commits) {
  auto sha = [&](int64_t mark) { return std::string(ids.at(static_cast<size_t>(mark)).data(), 40); };
  int64_t broken = 1 + rng.below(commits * 9 / 10);
  std::string introduced = rng.below(100) < 15 ? "-" : sha(mainline_at(broken));
  int64_t later = std::min(commits - 1, broken + 1 + rng.below(commits - broken));
  int64_t roll = rng.below(100);
  std::string fixed;
  if (roll < 50) {
    fixed = sha(mainline_at(later));
  } else if (roll < 70) {
    int64_t carrier = later;
    while (carrier < commits && !kct::bench::carries_provenance(carrier)) {
      ++carrier;
    }
    fixed = carrier < commits ? kct::bench::provenance_id(carrier) : kct::bench::random_sha(rng.next());
  } else if (roll < 85) {
    fixed = kct::bench::random_sha(rng.next());
  } else {
    fixed = kct::bench::random_sha(rng.next()) + "|" + sha(mainline_at(later));
  }
  return " break-fix: " + introduced + " " + fixed + "\n";
}

// A CVE file as the tracker holds them: the header, the kernel Patches section, then a
// Patches section and status lines per source in the targets' order.
std::string cve_text(int64_t n, Rng& rng, const std::vector<std::array<char, 40>>& ids, int64_t commits,
                     const std::vector<kct::triage::ScanTarget>& targets) {
  std::string id = "CVE-2099-" + std::to_string(10000 + n);
  std::string text = "Candidate: " + id + "\nPublicDate: 2019-06-01\nReferences:\n https://example.com/" + id +
                     "\nDescription:\n A flaw in the bench subsystem.\nUbuntu-Description:\nNotes:\nMitigation:\n"
                     "Bugs:\nPriority: medium\nDiscovered-by:\nAssigned-to:\nCVSS:\n";
  std::vector<std::string> sources;
  for (const kct::triage::ScanTarget& t : targets) {
    if (std::find(sources.begin(), sources.end(), t.source) == sources.end()) {
      sources.push_back(t.source);
    }
  }
  for (const std::string& source : sources) {
    text += "\nPatches_" + source + ":\n";
    if (source == "linux") {
      int64_t roll = rng.below(100);
      int64_t lines = roll < 70 ? 1 : roll < 95 ? 2 : 3;
      for (int64_t i = 0; i < lines; ++i) {
        text += break_fix_line(rng, ids, commits);
      }
    }
    for (const kct::triage::ScanTarget& t : targets) {
      if (t.source == source) {
        text += t.key + "_" + t.source + ": needs-triage\n";
      }
    }
  }
  return text;
}

// Built once per process: everything the timed loop reads.
struct DecideFixture {
  kct::catalog::Catalog catalog;
  std::unique_ptr<kct::kgit::ProvenanceStore> store;
  std::vector<kct::triage::ScanTarget> targets;
  std::vector<kct::triage::ScannedTarget> scanned;
  std::vector<kct::tracker::CveFile> files;
  std::vector<std::string> cve_paths;
  std::string devel;
};

// upstream/linux, then the catalog's kernels (many sources per release), all reading the one
// scanned upstream store: 50 targets with their own status lines and the same chains.
std::vector<kct::triage::ScanTarget> decide_targets(const kct::catalog::Catalog& catalog) {
  std::vector<kct::triage::ScanTarget> targets(1);
  targets[0].key = "upstream";
  targets[0].source = "linux";
  targets[0].tags_git_glob = "v*";
  for (const kct::catalog::Kernel& k : catalog.kernels()) {
    if (targets.size() == k_targets) {
      break;
    }
    kct::triage::ScanTarget t;
    t.key = k.release;
    t.source = k.source;
    t.tags_lp = true;
    targets.push_back(std::move(t));
  }
  for (kct::triage::ScanTarget& t : targets) {
    t.scan = true;
  }
  return targets;
}

std::unique_ptr<DecideFixture> make_decide_fixture(const BenchRepo& repo) {
  auto f = std::make_unique<DecideFixture>();
  f->catalog = kct::catalog::Catalog::load_file(kct::catalog::default_catalog_path());
  if (const kct::catalog::Release* devel = f->catalog.devel_release()) {
    f->devel = devel->name;
  }
  std::string path = scratch(repo) + "/decide.db";
  remove_store(path);
  fs::copy_file(scanned_store(repo), path);
  f->store = std::make_unique<kct::kgit::ProvenanceStore>(path);

  // The versions, tags and chains of the scanned upstream target, as run_scans hands them on.
  kct::triage::ScannedTarget upstream;
  upstream.ok = true;
  {
    kct::kgit::Repository git(repo.repo);
    std::map<std::string, int64_t> tid_by_tag;
    for (const kct::kgit::TagRow& row : f->store->tag_rows("upstream", "linux")) {
      tid_by_tag[row.tag] = row.tid;
    }
    kct::triage::PresenceIndex chains(*f->store);
    for (const kct::kgit::VersionTag& v : kct::kgit::upstream_version_tags(git, "v*")) {
      upstream.versions.push_back(v.version);
      upstream.tags.push_back(v.tag);
      upstream.tids.push_back(tid_by_tag.at(v.tag));
      upstream.chains.push_back(chains.chain_of(upstream.tids.back()));
    }
  }
  f->targets = decide_targets(f->catalog);
  for (const kct::triage::ScanTarget& t : f->targets) {
    f->scanned.push_back(upstream);
    f->scanned.back().target = &t;
  }

  std::vector<std::array<char, 40>> ids = kct::bench::read_marks(repo.marks);
  Rng rng(20191229);
  for (int64_t n = 0; n < k_cve_files; ++n) {
    f->cve_paths.push_back("active/CVE-2099-" + std::to_string(10000 + n));
    f->files.emplace_back(f->cve_paths.back(), cve_text(n, rng, ids, repo.shape.commits, f->targets),
                          kct::tracker::FileKind::cve, f->catalog);
    if (f->files.back().has_errors()) {
      throw kct::Error(f->cve_paths.back() +
                       ": generated file does not parse: " + f->files.back().diagnostics().front().message);
    }
  }
  return f;
}

void decide_and_write_back_body(benchmark::State& state, const BenchRepo* repo) {
  static std::unique_ptr<DecideFixture> fixture;
  if (!fixture) {
    fixture = make_decide_fixture(*repo);
  }
  const DecideFixture& f = *fixture;
  kct::triage::WriteBackOptions options{f.devel, false, false};
  std::vector<kct::tracker::CveFile> files;
  std::optional<kct::triage::PresenceIndex> presence;
  int64_t results = 0;
  int64_t changed = 0;
  std::map<std::string, int64_t> states; // of the last run, to show the mix is realistic
  for (auto _ : state) {
    // Fresh files and an empty presence cache each time, as one `kct autotriage` run has.
    state.PauseTiming();
    files = f.files;
    presence.emplace(*f.store);
    results = 0;
    changed = 0;
    states.clear();
    state.ResumeTiming();
    for (size_t i = 0; i < files.size(); ++i) {
      std::vector<kct::triage::EngineResult> r =
          kct::triage::cve_results(files[i], f.cve_paths[i], f.scanned, *presence);
      std::vector<kct::triage::LineChange> c = kct::triage::write_back(files[i], f.catalog, r, options);
      results += static_cast<int64_t>(r.size());
      changed += static_cast<int64_t>(c.size());
      ++states[r.empty() ? "none" : r.front().state]; // upstream_linux's, per CVE
      benchmark::DoNotOptimize(c);
    }
  }
  state.SetItemsProcessed(state.iterations() * k_cve_files * static_cast<int64_t>(f.scanned.size()));
  state.counters["files"] = static_cast<double>(k_cve_files);
  state.counters["targets"] = static_cast<double>(f.scanned.size());
  state.counters["results"] = static_cast<double>(results);
  state.counters["lines_changed"] = static_cast<double>(changed);
  for (const auto& [name, count] : states) {
    state.counters["cves_" + name] = static_cast<double>(count);
  }
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
void BM_AutotriageDecideAndWriteBack(benchmark::State& state) {
  guarded(state, decide_and_write_back_body);
}
BENCHMARK(BM_AutotriageDecideAndWriteBack)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)->Repetitions(3);

} // namespace
