#pragma once
// Ubuntu-Description text from a kernel notice's description (uct doc §10.9 step 1): the
// description's paragraphs, each ending in its CVE list `(CVE-A, CVE-B).`, become the
// Ubuntu-Description of those CVEs, wrapped at 75 columns as the tracker keeps it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kct::usn {

struct DescriptionSplit {
  std::map<std::string, std::string> by_cve; // CVE id → paragraph text (unwrapped)
  std::string shared;                        // a single-paragraph description: for every CVE
  std::vector<std::string> errors;           // paragraphs whose CVE list does not end in `)`
};

DescriptionSplit split_description(std::string_view description);

// Python's textwrap.wrap(text, width): greedy, on whitespace, long words kept whole.
std::vector<std::string> wrap_text(std::string_view text, size_t width = 75);

} // namespace kct::usn
