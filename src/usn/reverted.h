#pragma once
// meta_lists/reverted-CVEs.txt (uct doc §10.2 get_reverted): one line per notice,
// `<usn> <CVE>…` separated by single spaces, e.g. `544-1 CVE-2007-4572`. It names the CVEs
// whose fix in that notice was reverted, which sync-from-usns must not count as fixed.
// meta_lists/ignored-modified-USN-descriptions.txt has the same format.
#include <string>
#include <string_view>
#include <vector>

namespace kct::usn {

struct RevertedEntry {
  std::string usn;
  std::vector<std::string> cves; // file order, no duplicates
  bool operator==(const RevertedEntry&) const = default;
};

// In file order; a notice named on two lines is merged into its first entry, since the
// reader builds usn → set of CVEs.
using RevertedList = std::vector<RevertedEntry>;

// Throws kct::Error `origin:line: …` for a line without a CVE or with a bad USN id.
RevertedList parse_reverted(std::string_view text, std::string_view origin);
std::string format_reverted(const RevertedList& list);
bool is_reverted(const RevertedList& list, std::string_view usn, std::string_view cve);

} // namespace kct::usn
