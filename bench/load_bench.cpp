// Load + check of the whole shared snapshot against the raw cost of reading its files.
// Run: KCT_SNAPSHOT=build/snapshot/uct-2019-12-29 build/kct_bench --benchmark_filter=Tracker
// The figures and the command go in the README's performance table.
#include "catalog/catalog.h"
#include "tracker/check.h"
#include "tracker/tracker.h"
#include "util/files.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <dirent.h>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

std::string snapshot() {
  const char* s = std::getenv("KCT_SNAPSHOT");
  return s ? s : "build/snapshot/uct-2019-12-29";
}

std::vector<std::string> all_files(const std::string& root) {
  std::vector<std::string> out;
  for (const char* d : {"active", "retired", "ignored"}) {
    std::string dir = root + "/" + d;
    DIR* h = ::opendir(dir.c_str());
    if (h == nullptr) {
      continue;
    }
    while (dirent* e = ::readdir(h)) {
      if (e->d_name[0] != '.') {
        out.push_back(dir + "/" + e->d_name);
      }
    }
    ::closedir(h);
  }
  return out;
}

double peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// The baseline: list the directories and read every file once, one thread, like `cat`.
void BM_TrackerRawRead(benchmark::State& state) {
  std::string root = snapshot();
  std::string buffer;
  int64_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const std::string& path : all_files(root)) {
      if (!kct::util::read_file(path, buffer)) {
        bytes += static_cast<int64_t>(buffer.size());
      }
    }
    benchmark::DoNotOptimize(bytes);
  }
  if (bytes == 0) {
    state.SkipWithError("no snapshot: set KCT_SNAPSHOT");
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_TrackerRawRead)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TrackerLoadAndCheck(benchmark::State& state) {
  static const kct::catalog::Catalog catalog = kct::catalog::Catalog::load_file(kct::catalog::default_catalog_path());
  std::string root = snapshot();
  size_t diagnostics = 0;
  size_t files = 0;
  for (auto _ : state) {
    auto tracker = kct::tracker::Tracker::load(root, catalog);
    kct::tracker::CheckResult r = kct::tracker::check_tracker(*tracker, {});
    diagnostics = r.diagnostics.size();
    files = tracker->files().size();
    benchmark::DoNotOptimize(r);
    // kct leaves the tree to the OS at exit, so freeing it is not part of a run.
    state.PauseTiming();
    tracker.reset();
    state.ResumeTiming();
  }
  if (files == 0) {
    state.SkipWithError("no snapshot: set KCT_SNAPSHOT");
  }
  state.counters["files"] = static_cast<double>(files);
  state.counters["diagnostics"] = static_cast<double>(diagnostics);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_TrackerLoadAndCheck)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TrackerLoadOnly(benchmark::State& state) {
  static const kct::catalog::Catalog catalog = kct::catalog::Catalog::load_file(kct::catalog::default_catalog_path());
  std::string root = snapshot();
  for (auto _ : state) {
    auto tracker = kct::tracker::Tracker::load(root, catalog);
    benchmark::DoNotOptimize(tracker);
    state.PauseTiming();
    tracker.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_TrackerLoadOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
