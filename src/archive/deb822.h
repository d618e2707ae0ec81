#pragma once
// deb822 paragraphs as apt indices write them (Sources, Packages): `Field: value` lines,
// paragraphs separated by blank lines. Continuation lines (leading space or tab) belong to the
// field above: most readers want only the first line's value, and a multi-line field such as
// Sources' `Files` or a long `Binary` is asked for with continuation(). `#` comment lines are
// skipped. Field names compare case-insensitively, as in dpkg.
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

  // Parallel to `fields`: each field's continuation lines as one view into the text, from the
  // first one's leading blank to the last one's end (lines '\n'-separated, `#` comment lines
  // in between included); empty when the field has none.
  std::vector<std::string_view> continuations;

  // The value of the first field called `name` (any case); empty when there is none.
  std::string_view get(std::string_view name) const;
  // The continuation lines of the first field called `name`, as above.
  std::string_view continuation(std::string_view name) const;
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
      // Cleared rather than replaced: the vectors keep their capacity across paragraphs.
      open.line = 0;
      open.fields.clear();
      open.continuations.clear();
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
