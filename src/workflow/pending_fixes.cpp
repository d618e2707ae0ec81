#include "workflow/pending_fixes.h"

#include "debver/version.h"
#include "util/strings.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <set>

namespace kct::workflow {

std::string collapsed_description(const tracker::CveFile& file) {
  const tracker::Field* field = file.field("Ubuntu-Description");
  return field == nullptr ? std::string() : util::collapse_whitespace(file.field_text(*field));
}

PendingReport pending_fixes(const tracker::Tracker& tracker, const PendingQuery& query) {
  PendingReport report;
  std::optional<catalog::ReleaseId> release = tracker.catalog().find(query.release_key);
  if (!release) {
    report.warnings.push_back(fmt::format("{}: not a release of the catalog", query.release_key));
    return report;
  }
  std::set<std::string, std::less<>> forced(query.added.begin(), query.added.end());
  std::set<std::string, std::less<>> seen;
  std::string previous = query.previous.empty() ? "0" : query.previous;
  for (tracker::State state : {tracker::State::pending, tracker::State::released, tracker::State::released_esm}) {
    for (const tracker::EntryRef& ref : tracker.entries(*release, query.package, state)) {
      const tracker::TrackedFile& tracked = tracker.files()[ref.file];
      if (tracked.directory != tracker::Directory::active && tracked.directory != tracker::Directory::embargoed) {
        continue;
      }
      const tracker::CveFile& file = tracked.file;
      const tracker::StatusEntry& entry = file.statuses()[ref.entry];
      std::string version(util::strip(file.view(entry.details)));
      bool is_forced = forced.contains(tracked.name);
      if (version.empty() && !is_forced) {
        continue; // `released` without a version cannot be placed in the window
      }
      if (!version.empty() && debver::invalid_reason(version)) {
        report.warnings.push_back(fmt::format("{}:{}: '{}' is not a Debian version; {} left out", file.path(),
                                              entry.line + 1, version, tracked.name));
        continue;
      }
      bool in_window =
          !version.empty() && debver::compare(previous, version) < 0 && debver::compare(version, query.current) <= 0;
      if (!in_window && !is_forced) {
        continue;
      }
      PendingFix fix;
      fix.cve = tracked.name;
      fix.path = file.path();
      fix.state = state;
      fix.version = version;
      fix.priority = std::string(file.priority_for(query.package, query.release_key));
      fix.description = collapsed_description(file);
      fix.forced = is_forced;
      fix.older_than_current = !version.empty() && debver::compare(version, query.current) < 0;
      seen.insert(fix.cve);
      report.fixes.push_back(std::move(fix));
    }
  }
  for (const std::string& cve : forced) {
    if (!seen.contains(cve)) {
      report.warnings.push_back(fmt::format("{}: forced in, but the tracker has no pending or released {} for {}", cve,
                                            query.package, query.release_key));
    }
  }
  std::sort(report.fixes.begin(), report.fixes.end(),
            [](const PendingFix& a, const PendingFix& b) { return a.cve < b.cve; });
  return report;
}

} // namespace kct::workflow
