#pragma once
// The CVE file parser (uct §2). It implements cve_lib.load_cve's rules: first-':' split,
// continuation lines, substring-based field classification, first value wins on repeats,
// the Notes and CVSS sub-parsers. Unlike load_cve it never stops at the first error and never
// writes to the file (the "missing upstream" append is reported, not done).
#include "tracker/cve_file.h"

namespace kct::tracker {

class Parser {
public:
  Parser(CveFile& file, const catalog::Catalog& catalog) : m_file(file), m_catalog(catalog) {}
  void run();

private:
  void parse_line(uint32_t index, std::string_view raw);
  void parse_header(uint32_t index, std::string_view line);
  void parse_continuation(uint32_t index, std::string_view line);
  void parse_status(uint32_t index, Span name, Span value);
  void parse_tags(uint32_t index, Span name, Span value);
  void parse_priority(uint32_t index, Span name, Span value);
  void parse_note_line(uint32_t index, std::string_view line);
  void parse_cvss_line(uint32_t index, std::string_view line);
  void parse_patch_line(uint32_t index, std::string_view line);
  void parse_break_fix(uint32_t index, Span package, std::string_view payload);
  void finish();
  void check_repeats();
  void check_required_fields();

  Span span_of(std::string_view part) const;
  void error(uint32_t line, std::string_view at, std::string message);
  void warning(uint32_t line, std::string_view at, std::string message);
  void report(util::Severity severity, uint32_t line, std::string_view at, std::string message);

  CveFile& m_file;
  const catalog::Catalog& m_catalog;
  Field* last_field() { return m_last < 0 ? nullptr : &m_file.m_fields[static_cast<size_t>(m_last)]; }
  int64_t m_last = -1; // index of the field continuation lines attach to
  bool m_last_takes_continuations = false;
  // Notes accumulate across continuation lines until the author or separator changes.
  Note m_note;
  bool m_note_open = false;
};

} // namespace kct::tracker
