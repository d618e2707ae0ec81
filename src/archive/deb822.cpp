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

std::string_view Deb822Paragraph::continuation(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (iequals(fields[i].first, name)) {
      return continuations[i];
    }
  }
  return {};
}

bool deb822_blank(std::string_view line) {
  return util::strip(line).empty();
}

bool deb822_field(std::string_view line, Deb822Paragraph& paragraph) {
  if (line[0] == '#') {
    return true;
  }
  if (line[0] == ' ' || line[0] == '\t') {
    // Continuation lines (Files, Checksums-*, Binary, Description): widen the field's view to
    // this line's end; lines are contiguous in the text, so no copy is needed.
    if (!paragraph.continuations.empty()) {
      std::string_view& c = paragraph.continuations.back();
      const char* begin = c.empty() ? line.data() : c.data();
      c = std::string_view(begin, static_cast<size_t>(line.data() + line.size() - begin));
    }
    return true;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  paragraph.fields.emplace_back(line.substr(0, colon), util::strip(line.substr(colon + 1)));
  paragraph.continuations.emplace_back();
  return true;
}

} // namespace kct::archive
