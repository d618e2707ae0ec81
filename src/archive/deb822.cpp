#include "archive/deb822.h"

#include "util/strings.h"

namespace kct::archive {

namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) {
      return false;
    }
  }
  return true;
}
} // namespace

std::string_view Deb822Paragraph::get(std::string_view name) const {
  for (const auto& [field, value] : fields) {
    if (iequals(field, name)) {
      return value;
    }
  }
  return {};
}

bool deb822_blank(std::string_view line) {
  return util::strip(line).empty();
}

bool deb822_field(std::string_view line, Deb822Paragraph& paragraph) {
  if (line[0] == ' ' || line[0] == '\t' || line[0] == '#') {
    return true; // continuation lines (Files, Checksums-*, Description) and comments
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  paragraph.fields.emplace_back(line.substr(0, colon), util::strip(line.substr(colon + 1)));
  return true;
}

} // namespace kct::archive
