#include "tracker/tracker.h"

#include <algorithm>
#include <sys/stat.h>

namespace kct::tracker {

std::string_view directory_name(Directory d) {
  switch (d) {
  case Directory::active: return "active";
  case Directory::retired: return "retired";
  case Directory::ignored: return "ignored";
  case Directory::embargoed: return "embargoed";
  }
  return "active";
}

void Tracker::build_indexes() {
  std::vector<std::string_view> seen;
  for (uint32_t i = 0; i < m_files.size(); ++i) {
    const TrackedFile& tf = m_files[i];
    if (tf.file.kind() != FileKind::cve) {
      continue;
    }
    m_by_id[tf.name].push_back(i);
    // Status lines come grouped by package, so most lines repeat the previous package.
    seen.clear();
    for (std::string_view p : tf.file.packages()) {
      if (std::find(seen.begin(), seen.end(), p) == seen.end()) {
        seen.push_back(p);
        auto [it, added] = m_package_ids.emplace(p, static_cast<uint32_t>(m_package_ids.size()));
        (void)it;
        (void)added;
        m_by_package[p].push_back(i);
      }
    }
  }
}

std::vector<const TrackedFile*> Tracker::find(std::string_view cve_id) const {
  std::vector<const TrackedFile*> out;
  auto it = m_by_id.find(cve_id);
  if (it != m_by_id.end()) {
    for (uint32_t i : it->second) {
      out.push_back(&m_files[i]);
    }
  }
  return out;
}

const std::vector<uint32_t>& Tracker::files_with_package(std::string_view package) const {
  static const std::vector<uint32_t> none;
  auto it = m_by_package.find(package);
  return it == m_by_package.end() ? none : it->second;
}

namespace {
uint64_t entry_key(catalog::ReleaseId release, uint32_t package, State state) {
  return (static_cast<uint64_t>(release) << 40) | (static_cast<uint64_t>(package) << 8) | static_cast<uint64_t>(state);
}
} // namespace

void Tracker::build_entry_index() const {
  for (uint32_t i = 0; i < m_files.size(); ++i) {
    const CveFile& f = m_files[i].file;
    if (f.kind() != FileKind::cve) {
      continue;
    }
    std::string_view last_package;
    uint32_t package_id = 0;
    for (uint32_t k = 0; k < f.statuses().size(); ++k) {
      const StatusEntry& e = f.statuses()[k];
      std::string_view p = f.view(e.package);
      if (p != last_package) {
        package_id = m_package_ids.at(p);
        last_package = p;
      }
      m_by_entry[entry_key(e.release, package_id, e.state)].push_back(EntryRef{i, k});
    }
  }
}

const std::vector<EntryRef>& Tracker::entries(catalog::ReleaseId release, std::string_view package, State state) const {
  static const std::vector<EntryRef> none;
  std::call_once(m_entry_index_once, [this] { build_entry_index(); });
  auto pid = m_package_ids.find(package);
  if (pid == m_package_ids.end()) {
    return none;
  }
  auto it = m_by_entry.find(entry_key(release, pid->second, state));
  return it == m_by_entry.end() ? none : it->second;
}

bool Tracker::in_not_for_us(std::string_view cve_id) const {
  return m_not_for_us.count(cve_id) != 0;
}

std::vector<Directory> Tracker::classes_of(std::string_view cve_id) const {
  std::vector<Directory> out;
  if (!m_partial) {
    for (const TrackedFile* tf : find(cve_id)) {
      out.push_back(tf->directory);
    }
    return out;
  }
  for (Directory d : {Directory::active, Directory::retired, Directory::ignored, Directory::embargoed}) {
    std::string path = m_root + "/" + std::string(directory_name(d)) + "/" + std::string(cve_id);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      out.push_back(d);
    }
  }
  return out;
}

std::vector<std::string_view> Tracker::packages() const {
  std::vector<std::string_view> out;
  out.reserve(m_by_package.size());
  for (const auto& [name, files] : m_by_package) {
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace kct::tracker
