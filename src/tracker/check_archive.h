#pragma once
// check-syntax's rules that need the archive map (uct §11 6e, 6g-6k and 7), for one CVE file.
// Internal to check.cpp, which calls them between its own per-entry rules in check-syntax's order.
#include "tracker/check.h"
#include "tracker/tracker.h"

#include <string>
#include <vector>

namespace kct::tracker {

class ArchiveRules {
public:
  // `once` collects warnings check-syntax prints once per run (6i's unknown version, 6j);
  // check_tracker keeps the first of each message.
  ArchiveRules(const catalog::Catalog& catalog, const ArchiveMap& archive, bool check_versions, const TrackedFile& tf,
               std::vector<util::Diagnostic>& out, std::vector<util::Diagnostic>& once);

  // 6e, for a DNE entry of a live release.
  void check_dne(const StatusEntry& e);
  // 6g-6k, for any other entry of a live release.
  void check_entry(const StatusEntry& e);
  // Rule 7, after every entry.
  void check_priority();

private:
  void add(std::vector<util::Diagnostic>& to, uint32_t line, std::string message, util::Severity s);
  bool in_any_release(std::string_view package) const;
  bool is_supported(std::string_view package, std::string_view release) const;
  void check_version(const StatusEntry& e, std::string_view release, const ArchivePackage* published);

  const catalog::Catalog& m_catalog;
  const ArchiveMap& m_archive;
  bool m_check_versions;
  const TrackedFile& m_tf;
  const CveFile& m_file;
  std::vector<util::Diagnostic>& m_out;
  std::vector<util::Diagnostic>& m_once;
  std::vector<std::string> m_open_supported; // `pkg/rel` for rule 7
};

} // namespace kct::tracker
