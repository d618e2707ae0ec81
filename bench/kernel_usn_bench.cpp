// Kernel notice composition at the size the security team works at: one notice for 40 kernels
// of xenial, bionic, disco and eoan over apt indices of 60,000 binary packages per release and
// pocket, and the full shared tracker. The kernels, their versions and the previous notices'
// versions come from the snapshot's own status lines, so the CVE windows are real.
// Measured, in one run: loading the tracker; loading the indices and composing (indices read
// once for the whole notice); and `kct usn prepare --dry-run` end to end.
// Run: KCT_SNAPSHOT=build/snapshot/uct-2019-12-29 build-bench/kct_bench --benchmark_filter=KernelUsn
#include "support/apt_mirror.h"
#include "support/test_env.h"

#include "catalog/catalog.h"
#include "compose/kernel_notice.h"
#include "debver/kernel_abi.h"
#include "debver/version.h"
#include "kernels/glitches.h"
#include "kernels/kernel_table.h"
#include "tracker/tracker.h"
#include "usn/sqlite_store.h"
#include "util/files.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <set>

namespace {

namespace fs = std::filesystem;
using namespace kct;

constexpr int k_kernels = 40;
constexpr int k_packages_per_pocket = 60000;
const char* const k_releases[] = {"xenial", "bionic", "disco", "eoan"};
const char* const k_archs[] = {"amd64", "arm64", "ppc64el", "s390x"};
const std::pair<const char*, int> k_pockets[] = {{"", -2}, {"-updates", -1}, {"-security", 0}, {"-proposed", 1}};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

struct Upload {
  std::string release, source, version, previous;
};

// Versions in the tracker for (release, source), highest first.
std::vector<std::string> tracker_versions(const tracker::Tracker& tree, const std::string& release,
                                          const std::string& source) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  std::optional<catalog::ReleaseId> id = tree.catalog().find(release);
  for (tracker::State state : {tracker::State::released, tracker::State::pending}) {
    for (const tracker::EntryRef& ref : tree.entries(*id, source, state)) {
      const tracker::CveFile& f = tree.files()[ref.file].file;
      std::string v(f.view(f.statuses()[ref.entry].details));
      if (!v.empty() && !debver::invalid_reason(v) && debver::kernel_package_abi(v) && seen.insert(v).second) {
        out.push_back(v);
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) { return debver::compare(a, b) > 0; });
  return out;
}

// A version `delta` uploads away: 4.15.0-72.81 → 4.15.0-73.82 for +1.
std::string shifted(const std::string& version, int delta) {
  size_t dash = version.rfind('-');
  size_t dot = version.find('.', dash);
  long abi = std::stol(version.substr(dash + 1, dot - dash - 1));
  size_t end = dot + 1;
  while (end < version.size() && std::isdigit(static_cast<unsigned char>(version[end]))) {
    ++end;
  }
  long upload = std::stol(version.substr(dot + 1, end - dot - 1));
  return fmt::format("{}-{}.{}{}", version.substr(0, dash), abi + delta, upload + delta, version.substr(end));
}

std::string meta_version(const std::string& version) {
  size_t dash = version.rfind('-');
  std::string abi = std::to_string(*debver::kernel_package_abi(version));
  return fmt::format("{}.{}.{}", version.substr(0, dash), abi, 100 + std::stol(abi) % 50);
}

struct World {
  std::string dir;
  std::unique_ptr<tracker::Tracker> tree;
  std::vector<Upload> uploads;
  std::unique_ptr<usn::SqliteStore> store;
  kernels::KernelTable table;
  kernels::GlitchTable glitches;
  std::string error;
};

// The kernels of one release's pocket, then filler sources up to k_packages_per_pocket.
void write_pocket(testing::AptMirror& m, const std::string& release, const char* pocket, int delta,
                  const std::vector<Upload>& uploads, const kernels::KernelTable& table) {
  int packages = 0;
  for (const Upload& u : uploads) {
    if (u.release != release) {
      continue;
    }
    std::string version = delta == 0 ? u.version : shifted(u.version, delta);
    std::string abi = std::to_string(*debver::kernel_package_abi(version));
    std::string base = version.substr(0, version.rfind('-'));
    std::string flavour = u.source == "linux" ? "generic" : u.source.substr(6);
    std::string meta = kernels::meta_name(u.source);
    std::string signed_source = kernels::signed_name(u.source);
    std::string meta_v = meta_version(version);
    m.add_source(release, pocket, u.source, version);
    m.add_source(release, pocket, meta, meta_v);
    m.add_source(release, pocket, signed_source, version);
    for (const char* arch : k_archs) {
      for (const char* kind :
           {"image", "image-unsigned", "modules", "modules-extra", "headers", "buildinfo", "cloud-tools", "tools"}) {
        m.add_binary(release, pocket, arch, fmt::format("linux-{}-{}-{}-{}", kind, base, abi, flavour), version,
                     u.source, version);
        ++packages;
      }
      m.add_binary(release, pocket, arch, fmt::format("linux-image-{}-{}-{}", base, abi, flavour), version,
                   signed_source, version);
      for (const char* kind : {"image", "headers", "tools", "cloud-tools"}) {
        for (const char* suffix : {"", "-lts-18.04", "-hwe-16.04-edge"}) {
          m.add_binary(release, pocket, arch, fmt::format("linux-{}-{}{}", kind, flavour, suffix), meta_v, meta,
                       meta_v);
          ++packages;
        }
      }
      packages += 1;
    }
    m.add_binary(release, pocket, "all", fmt::format("linux-{}-headers-{}-{}", u.source, base, abi), version, u.source,
                 version);
    ++packages;
  }
  // Everything else a release publishes.
  for (int i = 0; packages < k_packages_per_pocket; ++i) {
    std::string source = fmt::format("pkg{:05d}", i);
    std::string version = fmt::format("1.{}-{}ubuntu{}", i % 97, i % 7, 2 + delta);
    m.add_source(release, pocket, source, version, i % 3 == 0 ? "universe" : "main");
    for (int b = 0; b < 6 && packages < k_packages_per_pocket; ++b, ++packages) {
      m.add_binary(release, pocket, k_archs[b % 4], fmt::format("{}-bin{}", source, b), version, source, version,
                   i % 3 == 0 ? "universe" : "main");
    }
  }
  (void)table;
}

World& world() {
  static World w = [] {
    World out;
    try {
      // The directory name changes with what is generated, so an old tree is never reused.
      out.dir = env_or("KCT_BENCH_DIR", "bench-data") + "/kernel-usn-4rel";
      const catalog::Catalog& catalog = testing::source_catalog();
      out.tree = tracker::Tracker::load(env_or("KCT_SNAPSHOT", "build/snapshot/uct-2019-12-29"), catalog);
      out.table = kernels::KernelTable::load_file(testing::source_dir() + "/data/kernel-usn.yaml");
      out.glitches = kernels::GlitchTable::load_file(testing::source_dir() + "/data/kernel-glitches.yaml");
      for (const char* release : k_releases) {
        for (const catalog::Kernel* k : catalog.kernels_of(release)) {
          const kernels::MetaKernel* entry = out.table.find(release, k->source);
          if (entry != nullptr && entry->ignore_usn) {
            continue; // edge kernels get no notice
          }
          std::vector<std::string> versions = tracker_versions(*out.tree, release, k->source);
          if (versions.size() >= 2 && static_cast<int>(out.uploads.size()) < k_kernels) {
            out.uploads.push_back({release, k->source, versions[0], versions[1]});
          }
        }
      }
      if (!fs::exists(out.dir + "/.complete")) {
        fs::remove_all(out.dir);
        testing::AptMirror m;
        for (const char* release : k_releases) {
          for (const auto& [pocket, delta] : k_pockets) {
            write_pocket(m, release, pocket, delta, out.uploads, out.table);
          }
        }
        m.write(out.dir + "/mirror");
        util::write_file_atomically(out.dir + "/.complete", "");
      }
      fs::remove(out.dir + "/usn.db");
      out.store = std::make_unique<usn::SqliteStore>(out.dir + "/usn.db");
      std::vector<usn::Notice> previous;
      for (size_t i = 0; i < out.uploads.size(); ++i) {
        usn::Notice n;
        n.id = fmt::format("{}-1", 4000 + i);
        n.releases[out.uploads[i].release].sources.emplace()[out.uploads[i].source].version = out.uploads[i].previous;
        previous.push_back(n);
      }
      out.store->put_all(previous, usn::Author{"bench", ""});
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    return out;
  }();
  return w;
}

void BM_KernelUsnTrackerLoad(benchmark::State& state) {
  std::string snapshot = env_or("KCT_SNAPSHOT", "build/snapshot/uct-2019-12-29");
  for (auto _ : state) {
    auto tree = tracker::Tracker::load(snapshot, testing::source_catalog());
    benchmark::DoNotOptimize(tree.get());
    (void)tree.release(); // as kct does: the OS frees it at exit
  }
}
BENCHMARK(BM_KernelUsnTrackerLoad)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

void BM_KernelUsnCompose40(benchmark::State& state) {
  World& w = world();
  if (!w.error.empty()) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  std::vector<compose::KernelUpload> uploads;
  for (const Upload& u : w.uploads) {
    uploads.push_back({u.release, u.source, u.version});
  }
  size_t cves = 0;
  size_t binaries = 0;
  size_t errors = 0;
  double index_seconds = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    archive::LoadOptions load;
    load.binary_pockets = {archive::Pocket::security}; // as kct usn prepare reads them
    archive::ArchiveView view(archive::ArchiveLocation::parse(w.dir + "/mirror"), load);
    for (const char* release : k_releases) {
      view.release(release); // the indices, read once for the notice
    }
    index_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    compose::ComposeContext context{testing::source_catalog(), w.tree.get(), *w.store, w.table, w.glitches, view};
    compose::ComposeOptions options;
    options.usn_id = "5000-1";
    compose::ComposeResult r = compose::compose_kernel_notice(context, uploads, options);
    cves = r.notice.cves->size();
    errors = r.errors.size();
    binaries = 0;
    for (const auto& [release, entry] : r.notice.releases) {
      binaries += entry.binaries ? entry.binaries->size() : 0;
    }
  }
  state.counters["kernels"] = static_cast<double>(uploads.size());
  state.counters["cves"] = static_cast<double>(cves);
  state.counters["binaries"] = static_cast<double>(binaries);
  state.counters["errors"] = static_cast<double>(errors);
  state.counters["index_load_s"] = index_seconds;
}
BENCHMARK(BM_KernelUsnCompose40)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

// For comparison: every pocket's Packages (what sign-off reads), 4 releases x 4 pockets x 60,000.
void BM_KernelUsnIndicesAllPockets(benchmark::State& state) {
  World& w = world();
  if (!w.error.empty()) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  size_t packages = 0;
  for (auto _ : state) {
    archive::ArchiveView view(archive::ArchiveLocation::parse(w.dir + "/mirror"));
    packages = 0;
    for (const char* release : k_releases) {
      packages += view.release(release).packages().size();
    }
  }
  state.counters["packages"] = static_cast<double>(packages);
}
BENCHMARK(BM_KernelUsnIndicesAllPockets)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

// The whole command as a user runs it: tracker, indices, database, composition, draft text.
void BM_KernelUsnPrepareCommand(benchmark::State& state) {
  World& w = world();
  if (!w.error.empty()) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  std::vector<std::string> args = {testing::kct_binary(),
                                   "--tracker",
                                   env_or("KCT_SNAPSHOT", "build/snapshot/uct-2019-12-29"),
                                   "usn",
                                   "prepare",
                                   "--dry-run",
                                   "--force",
                                   "--usn-db",
                                   w.dir + "/usn.db",
                                   "--mirror",
                                   w.dir + "/mirror",
                                   "--usn",
                                   "5000-1",
                                   "xenial"};
  for (const Upload& u : w.uploads) {
    args.push_back(u.release + "/" + u.source);
    args.push_back(u.version);
  }
  int exit_code = -1;
  for (auto _ : state) {
    testing::CommandResult r = testing::run_command(args);
    exit_code = r.exit_code;
  }
  state.counters["exit_code"] = exit_code;
}
BENCHMARK(BM_KernelUsnPrepareCommand)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3);

} // namespace
