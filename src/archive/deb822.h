#pragma once
// deb822 paragraphs as apt indices write them (Sources, Packages): `Field: value` lines,
// paragraphs separated by blank lines. Continuation lines (leading space or tab) and `#`
// comments belong to the field above and are skipped: no field an index reader keeps spans
// lines. Field names compare case-insensitively, as in dpkg.
#include "util/diagnostic.h"
#include "util/strings.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kct::archive {

struct Deb822Paragraph {
  int line = 0;                                                      // of its first line
  std::vector<std::pair<std::string_view, std::string_view>> fields; // name, stripped value

  // The value of the first field called `name` (any case); empty when there is none.
  std::string_view get(std::string_view name) const;
};

// Calls `visit` for each paragraph of `text`; a line that is not `Field: value` is an error
// diagnostic at `path:line` naming `kind` (`Sources`, `Packages`) and is skipped.
template <class Visit>
void for_each_paragraph(std::string_view text, const std::string& path, std::string_view kind,
                        std::vector<util::Diagnostic>& diagnostics, Visit visit);

// Implementation detail of for_each_paragraph: one line into the open paragraph.
bool deb822_field(std::string_view line, Deb822Paragraph& paragraph);
bool deb822_blank(std::string_view line);

template <class Visit>
void for_each_paragraph(std::string_view text, const std::string& path, std::string_view kind,
                        std::vector<util::Diagnostic>& diagnostics, Visit visit) {
  Deb822Paragraph open;
  util::for_each_line(text, [&](int line_no, std::string_view line) {
    if (deb822_blank(line)) {
      if (open.line != 0) {
        visit(open);
      }
      open = Deb822Paragraph{};
      return;
    }
    if (open.line == 0) {
      open.line = line_no;
    }
    if (!deb822_field(line, open)) {
      diagnostics.push_back(util::Diagnostic{path, line_no, 1, util::Severity::error,
                                             "expected 'Field: value' in a " + std::string(kind) + " paragraph"});
    }
  });
  if (open.line != 0) {
    visit(open);
  }
}

} // namespace kct::archive
