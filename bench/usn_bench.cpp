// The USN database: importing 10,000 generated notices (9,000 ordinary, 1,000 kernel notices
// with 300 binary packages per release in three releases) into a fresh SQLite and PostgreSQL store; looking notices up
// by CVE; and sync-from-usns in report mode over the shared snapshot and notices.
// Run: KCT_SNAPSHOT=build/snapshot/uct-2019-12-29 build-bench/kct_bench --benchmark_filter=Usn
// The PostgreSQL figures need the server binaries (apt-get install postgresql); without them
// those benchmarks are skipped with an error.
#include "support/postgres_server.h"
#include "support/test_env.h"

#include "catalog/catalog.h"
#include "tracker/tracker.h"
#include "usn/json_io.h"
#include "usn/notice.h"
#include "usn/open_store.h"
#include "usn/postgres_store.h"
#include "usn/reverted.h"
#include "usn/sqlite_store.h"
#include "usn/store.h"
#include "usn/sync.h"
#include "util/files.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kct::usn::BinaryEntry;
using kct::usn::Notice;
using kct::usn::Release;
using kct::usn::SourceEntry;

constexpr int k_ordinary_notices = 9000;
constexpr int k_kernel_notices = 1000;
constexpr int k_cve_pool = 20000;

double peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string snapshot() {
  return env_or("KCT_SNAPSHOT", "build/snapshot/uct-2019-12-29");
}

// splitmix64: the same sequence on every platform, unlike the standard distributions.
class Rng {
public:
  explicit Rng(uint64_t seed) : m_state(seed) {}
  uint64_t next() {
    uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [lo, hi].
  int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint64_t>(hi - lo + 1)); }

private:
  uint64_t m_state;
};

std::string cve_name(int i) {
  return "CVE-" + std::to_string(2015 + i % 10) + "-" + std::to_string(10000 + i);
}

const char* const k_words[] = {"discovered", "that",     "the",        "kernel",    "incorrectly", "handled",
                               "certain",    "memory",   "operations", "a",         "local",       "attacker",
                               "could",      "possibly", "use",        "this",      "issue",       "to",
                               "cause",      "denial",   "of",         "service",   "or",          "execute",
                               "arbitrary",  "code",     "remote",     "specially", "crafted",     "file"};
constexpr int k_word_count = sizeof(k_words) / sizeof(k_words[0]);

std::string description(Rng& rng, const std::vector<std::string>& cves) {
  std::string out;
  for (const std::string& cve : cves) {
    out += "It was ";
    int words = rng.between(25, 60);
    int column = 7;
    for (int w = 0; w < words; ++w) {
      std::string word = k_words[rng.next() % k_word_count];
      if (column + static_cast<int>(word.size()) > 75) {
        out += "\n";
        column = 0;
      }
      out += word + " ";
      column += static_cast<int>(word.size()) + 1;
    }
    out += "(" + cve + ")\n\n";
  }
  return out;
}

std::vector<std::string> pick_cves(Rng& rng, int count) {
  std::vector<std::string> out;
  while (static_cast<int>(out.size()) < count) {
    std::string c = cve_name(static_cast<int>(rng.next() % k_cve_pool));
    if (std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
  }
  return out;
}

const char* const k_releases[] = {"xenial", "bionic", "disco", "eoan", "trusty", "precise", "focal"};
const char* const k_pockets[] = {"security", "esm-infra", "esm-apps"};

Notice ordinary_notice(Rng& rng, int number) {
  Notice n;
  n.id = std::to_string(number) + "-1";
  std::string pkg = "pkg" + std::to_string(rng.between(0, 3000));
  n.title = pkg + " vulnerabilities";
  n.summary = pkg + ": several security issues";
  n.isummary = "Several security issues were fixed in " + pkg + ".";
  n.action = "In general, a standard system update will make all the necessary changes.";
  n.cves = pick_cves(rng, rng.between(2, 10));
  n.description = description(rng, *n.cves);
  n.timestamp = kct::usn::Timestamp{1500000000.0 + number * 3600.5};
  int releases = rng.between(1, 4);
  int start = rng.between(0, 6);
  int sources = rng.between(1, 5);
  int binaries = rng.between(5, 30);
  for (int r = 0; r < releases; ++r) {
    Release rel;
    std::string version = "1." + std::to_string(rng.between(0, 20)) + "-" + std::to_string(r + 1) + "ubuntu0.1";
    rel.sources.emplace();
    for (int s = 0; s < sources; ++s) {
      std::string name = s == 0 ? pkg : pkg + "-extra" + std::to_string(s);
      (*rel.sources)[name] = SourceEntry{version, "The " + name + " package", {}};
    }
    rel.binaries.emplace();
    rel.allbinaries.emplace();
    for (int b = 0; b < binaries; ++b) {
      std::string name = pkg + "-bin" + std::to_string(b);
      BinaryEntry e{version, "security", std::nullopt, {}};
      if (b % 3 == 0) {
        (*rel.binaries)[name] = e;
      }
      (*rel.allbinaries)[name] = e;
    }
    n.releases[k_releases[(start + r) % 7]] = std::move(rel);
  }
  return n;
}

Notice kernel_notice(Rng& rng, int number) {
  Notice n;
  n.id = std::to_string(number) + "-1";
  n.title = "Linux kernel vulnerabilities";
  n.summary = "linux, linux-aws, linux-azure, linux-gcp, linux-kvm vulnerabilities";
  n.isummary = "Several security issues were fixed in the Linux kernel.";
  n.action = "After a standard system update you need to reboot your computer to make\n"
             "all the necessary changes.";
  n.cves = pick_cves(rng, rng.between(5, 40));
  n.description = description(rng, *n.cves);
  n.timestamp = kct::usn::Timestamp{1500000000.0 + number * 3600.5};
  const char* const sources[] = {"linux",        "linux-aws",    "linux-azure", "linux-gcp", "linux-kvm",
                                 "linux-oracle", "linux-raspi2", "linux-hwe",   "linux-oem", "linux-meta"};
  int start = rng.between(0, 4);
  for (int r = 0; r < 3; ++r) {
    Release rel;
    std::string abi = std::to_string(rng.between(20, 90));
    std::string version = "5.4.0-" + abi + "." + std::to_string(rng.between(20, 120));
    rel.sources.emplace();
    for (const char* s : sources) {
      (*rel.sources)[s] = SourceEntry{version, "Linux kernel", {}};
    }
    rel.binaries.emplace();
    rel.allbinaries.emplace();
    // 300 binary packages per release, all listed in allbinaries; the images (every third)
    // also in binaries: in every shared notice binaries is a subset of allbinaries.
    for (int b = 0; b < 300; ++b) {
      const char* source = sources[b % 10];
      std::string flavour = std::string(source).substr(5);
      const char* kind = b % 3 == 0   ? "linux-image-5.4.0-"
                         : b % 3 == 1 ? "linux-modules-5.4.0-"
                                      : "linux-headers-5.4.0-";
      std::string name = kind + abi + (flavour.empty() ? "-generic" : flavour) + "-" + std::to_string(b);
      BinaryEntry e{version, k_pockets[b % 3], std::string(source), {}};
      if (b % 3 == 0) {
        (*rel.binaries)[name] = e;
      }
      (*rel.allbinaries)[name] = e;
    }
    n.releases[k_releases[start + r]] = std::move(rel);
  }
  return n;
}

// Generated once, deterministically: every tenth notice is a kernel notice.
const std::vector<Notice>& generated_notices() {
  static const std::vector<Notice> notices = [] {
    Rng rng(20191229);
    std::vector<Notice> out;
    out.reserve(k_ordinary_notices + k_kernel_notices);
    for (int i = 0; i < k_ordinary_notices + k_kernel_notices; ++i) {
      int number = 3000 + i;
      out.push_back(i % 10 == 9 ? kernel_notice(rng, number) : ordinary_notice(rng, number));
    }
    return out;
  }();
  return notices;
}

const kct::usn::Author k_author{"bench", "import"};

// One server for the whole run, started on first use; null (with the reason) when it cannot.
kct::testing::PostgresServer* postgres(std::string& why) {
  static std::string error;
  static std::unique_ptr<kct::testing::PostgresServer> server = []() -> std::unique_ptr<kct::testing::PostgresServer> {
    try {
      return std::make_unique<kct::testing::PostgresServer>();
    } catch (const std::exception& e) {
      error = e.what();
      return nullptr;
    }
  }();
  why = error;
  return server.get();
}

void import_counters(benchmark::State& state, size_t notices) {
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(notices));
  state.counters["notices"] = static_cast<double>(notices);
  state.counters["notices_per_s"] = benchmark::Counter(
      static_cast<double>(notices) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

void BM_UsnImportSqlite(benchmark::State& state) {
  const std::vector<Notice>& notices = generated_notices();
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<kct::testing::ScopedTempDir>();
    auto store = std::make_unique<kct::usn::SqliteStore>(dir->path() + "/usn.db");
    state.ResumeTiming();
    store->put_all(notices, k_author);
    state.PauseTiming();
    store.reset();
    dir.reset();
    state.ResumeTiming();
  }
  import_counters(state, notices.size());
}
BENCHMARK(BM_UsnImportSqlite)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

void BM_UsnImportPostgres(benchmark::State& state) {
  const std::vector<Notice>& notices = generated_notices();
  std::string why;
  kct::testing::PostgresServer* server = postgres(why);
  if (server == nullptr) {
    state.SkipWithError(("PostgreSQL cannot start: " + why).c_str());
    return;
  }
  static int database = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto store = std::make_unique<kct::usn::PostgresStore>(server->uri("import" + std::to_string(++database)));
    state.ResumeTiming();
    store->put_all(notices, k_author);
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
  import_counters(state, notices.size());
}
BENCHMARK(BM_UsnImportPostgres)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

void list_by_cve(benchmark::State& state, kct::usn::Store& store) {
  Rng rng(42);
  size_t found = 0;
  for (auto _ : state) {
    kct::usn::ListFilter filter;
    filter.cve = cve_name(static_cast<int>(rng.next() % k_cve_pool));
    std::vector<std::string> ids = store.list(filter);
    found += ids.size();
    benchmark::DoNotOptimize(ids);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["notices"] = static_cast<double>(generated_notices().size());
  state.counters["hits_per_lookup"] = static_cast<double>(found) / static_cast<double>(state.iterations());
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

void BM_UsnListByCveSqlite(benchmark::State& state) {
  static kct::testing::ScopedTempDir dir;
  static std::unique_ptr<kct::usn::SqliteStore> store = [] {
    auto s = std::make_unique<kct::usn::SqliteStore>(dir.path() + "/usn.db");
    s->put_all(generated_notices(), k_author);
    return s;
  }();
  list_by_cve(state, *store);
}
BENCHMARK(BM_UsnListByCveSqlite)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_UsnListByCvePostgres(benchmark::State& state) {
  std::string why;
  kct::testing::PostgresServer* server = postgres(why);
  if (server == nullptr) {
    state.SkipWithError(("PostgreSQL cannot start: " + why).c_str());
    return;
  }
  static std::unique_ptr<kct::usn::PostgresStore> store = [server] {
    auto s = std::make_unique<kct::usn::PostgresStore>(server->uri("lookup"));
    s->put_all(generated_notices(), k_author);
    return s;
  }();
  list_by_cve(state, *store);
}
BENCHMARK(BM_UsnListByCvePostgres)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The shared published notices, in USN order.
std::vector<Notice> shared_notices() {
  std::string dir = kct::testing::shared_data_dir() + "/usn";
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") {
      paths.push_back(e.path().string());
    }
  }
  std::vector<Notice> out;
  for (const std::string& p : paths) {
    out.push_back(kct::usn::read_notice_file(p));
  }
  std::sort(out.begin(), out.end(), [](const Notice& a, const Notice& b) { return kct::usn::usn_id_less(a.id, b.id); });
  return out;
}

kct::usn::RevertedList read_list(const std::string& path) {
  std::string text;
  if (kct::util::read_file(path, text)) {
    return {};
  }
  return kct::usn::parse_reverted(text, path);
}

void BM_UsnSyncReport(benchmark::State& state) {
  static const kct::catalog::Catalog catalog =
      kct::catalog::Catalog::load_file(kct::testing::source_dir() + "/data/catalog.yaml");
  const std::string root = snapshot();
  if (!fs::is_directory(root + "/active")) {
    state.SkipWithError("no snapshot: set KCT_SNAPSHOT");
    return;
  }
  static const std::vector<Notice> notices = shared_notices();
  if (notices.empty()) {
    state.SkipWithError("no shared notices: set KCT_SHARED_DATA");
    return;
  }
  kct::usn::SyncInputs inputs;
  inputs.notices = &notices;
  inputs.reverted = read_list(root + "/meta_lists/reverted-CVEs.txt");
  inputs.ignored_description = read_list(root + "/meta_lists/ignored-modified-USN-descriptions.txt");
  kct::usn::SyncOptions options; // report mode
  size_t changed = 0;
  size_t messages = 0;
  for (auto _ : state) {
    // Report mode still edits the files in memory: a fresh tree per run.
    state.PauseTiming();
    auto tracker = kct::tracker::Tracker::load(root, catalog);
    state.ResumeTiming();
    kct::usn::SyncReport report = kct::usn::sync_from_usns(*tracker, catalog, inputs, options);
    changed = report.changed_files.size();
    messages = report.messages.size();
    benchmark::DoNotOptimize(report);
    state.PauseTiming();
    tracker.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(notices.size()));
  state.counters["notices"] = static_cast<double>(notices.size());
  state.counters["changed_files"] = static_cast<double>(changed);
  state.counters["messages"] = static_cast<double>(messages);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_UsnSyncReport)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

} // namespace
