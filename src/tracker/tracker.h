#pragma once
// The whole tracker in memory: every file of active/, retired/, ignored/ (and embargoed/ when
// present), parsed in parallel, with indexes by CVE id, by package, and by
// (release, package, state).
#include "catalog/catalog.h"
#include "tracker/cve_file.h"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kct::tracker {

enum class Directory : uint8_t { active, retired, ignored, embargoed };
std::string_view directory_name(Directory d);

struct TrackedFile {
  Directory directory = Directory::active;
  std::string name; // basename: `CVE-2019-1234`, `00boilerplate.linux`, `Makefile`
  CveFile file;
};

// One status entry somewhere in the tracker.
struct EntryRef {
  uint32_t file = 0;  // index into Tracker::files()
  uint32_t entry = 0; // index into that file's statuses()
};

struct LoadOptions {
  unsigned jobs = 0; // 0: one per core
  // When non-empty, only these files (paths relative to the root or absolute) are loaded.
  std::vector<std::string> only;
};

class Tracker {
public:
  // Loads the tree. Unreadable directories and files become diagnostics(), never a silent skip.
  static std::unique_ptr<Tracker> load(const std::string& root, const catalog::Catalog& catalog,
                                       const LoadOptions& options = {});

  const std::string& root() const { return m_root; }
  const catalog::Catalog& catalog() const { return *m_catalog; }
  const std::vector<TrackedFile>& files() const { return m_files; }
  std::vector<TrackedFile>& files() { return m_files; }
  // Problems of the tree itself (unreadable directory or file); file contents report their own.
  const std::vector<util::Diagnostic>& diagnostics() const { return m_diagnostics; }

  // CVE files with this id, in directory order active, retired, ignored, embargoed.
  std::vector<const TrackedFile*> find(std::string_view cve_id) const;
  // CVE files that have status lines or a Patches_ section for this package.
  const std::vector<uint32_t>& files_with_package(std::string_view package) const;
  // Status entries for (release, package, state); release as written (`devel`, `trusty/esm`).
  const std::vector<EntryRef>& entries(catalog::ReleaseId release, std::string_view package, State state) const;
  bool in_not_for_us(std::string_view cve_id) const;
  // The directories holding a CVE file of this id (from the index, or from the disk when only
  // some files were loaded).
  std::vector<Directory> classes_of(std::string_view cve_id) const;
  bool partial() const { return m_partial; }
  size_t not_for_us_size() const { return m_not_for_us.size(); }
  // Every package seen in a CVE file, sorted.
  std::vector<std::string_view> packages() const;

private:
  void build_indexes();
  void build_entry_index() const;

  std::string m_root;
  bool m_partial = false;
  const catalog::Catalog* m_catalog = nullptr;
  std::vector<TrackedFile> m_files;
  std::vector<util::Diagnostic> m_diagnostics;
  std::unordered_map<std::string_view, std::vector<uint32_t>> m_by_id;
  std::unordered_map<std::string_view, std::vector<uint32_t>> m_by_package;
  std::unordered_map<std::string_view, uint32_t> m_package_ids;
  std::string m_not_for_us_text; // owns what m_not_for_us points into
  std::unordered_set<std::string_view> m_not_for_us;
  // Built on first use: report and query need it, load and check do not.
  mutable std::once_flag m_entry_index_once;
  mutable std::unordered_map<uint64_t, std::vector<EntryRef>> m_by_entry;
};

} // namespace kct::tracker
