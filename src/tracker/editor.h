#pragma once
// Line-exact edits of one CVE file (the replacement for cve_lib's update_state, add_state,
// add_patch, update_field). An edit replaces or inserts whole lines and leaves every other
// byte alone; an edit that would make the file fail to parse is refused and undone.
#include "tracker/cve_file.h"

#include <string>
#include <string_view>
#include <vector>

namespace kct::tracker {

struct StatusLine {
  std::string release; // as written: `xenial`, `trusty/esm`, `devel`, `upstream`
  State state = State::needs_triage;
  std::string details;
};

// `<release>_<package>: <state>[ (<details>)]`, as update_state writes it.
std::string format_status_line(std::string_view package, std::string_view release, State state,
                               std::string_view details);

class Editor {
public:
  Editor(CveFile& file, const catalog::Catalog& catalog) : m_file(file), m_catalog(catalog) {}

  // Rewrites the existing `<release>_<package>:` line, or inserts one after the package's last
  // status line. Returns false when the line already reads that way. Throws kct::Error when the
  // package has no status lines or the release is not in the catalog.
  bool set_status(std::string_view package, std::string_view release, State state, std::string_view details);

  // Appends ` break-fix: <introduced> <fixed>` to the Patches_<package> section, creating the
  // section header before the package's first status line when there is none. Returns false when
  // that exact pair is already there.
  bool add_break_fix(std::string_view package, std::string_view introduced, std::string_view fixed);

  // Appends a new package section at the end: a blank line, `Patches_<package>:`, then one
  // status line each. Throws kct::Error if the package already has a section or status lines.
  bool add_package(std::string_view package, const std::vector<StatusLine>& lines);

  // Sets a single-line header field (`PublicDateAtUSN: …`); a missing field becomes the first
  // line, as update_field and prepend_field do. Returns false when unchanged.
  bool set_field(std::string_view name, std::string_view value);

  // Replaces a field's continuation lines with `lines` (each written with one leading space),
  // as cve_lib.update_multiline_field does for Ubuntu-Description; the header line stays.
  // Throws kct::Error when the file has no such field. Returns false when unchanged.
  bool set_multiline_field(std::string_view name, const std::vector<std::string>& lines);

  // Appends ` <url>` to References unless some References line already reads that
  // (cve_lib.add_reference). Throws kct::Error when there is no References field.
  bool add_reference(std::string_view url);

  // Whole-line edits for passes that restructure sections (rejuvenate). `text` is one line
  // without its '\n'; an index past the end throws kct::Error. Like every edit they are refused
  // (kct::Error, file unchanged) when the result would gain a parse error.
  // Inserts `text` as line `index` (line_count() appends).
  void insert_line(size_t index, std::string_view text);
  // Removes line `index`.
  void remove_line(size_t index);
  // Replaces line `index` with `text`; returns false when it already reads that way.
  bool replace_line(size_t index, std::string_view text);
  // Several replace_line edits with one re-parse (a write-back may touch 50 lines of a file);
  // all or nothing. Returns false when every line already read that way.
  bool replace_lines(const std::vector<std::pair<size_t, std::string>>& lines);

private:
  // Replaces lines [first, first + count) with `replacement` (whole lines, each ending in '\n')
  // and re-parses; throws and restores the old text if the result gains a parse error.
  void splice(size_t first, size_t count, const std::string& replacement);
  // Throws unless `index` < line_count() + (allow_end ? 1 : 0) and `text` is a single line.
  void check_line_edit(size_t index, std::string_view text, bool allow_end) const;

  CveFile& m_file;
  const catalog::Catalog& m_catalog;
};

// Writes the file atomically when its bytes differ from what is on disk. Returns whether it wrote.
bool save_if_changed(const CveFile& file);

} // namespace kct::tracker
