#pragma once
// One tracker file, kept losslessly: the exact bytes plus an index of its lines and the parsed
// structure (fields, status lines, patches, break-fix pairs, notes, CVSS, tags, priorities).
// Everything parsed is a Span into the bytes, so writing the file back is emitting its lines,
// and an edit replaces whole lines and re-parses (files are small; this keeps the model and
// the bytes from ever disagreeing).
#include "catalog/catalog.h"
#include "tracker/state.h"
#include "util/diagnostic.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kct::tracker {

struct Span {
  uint32_t offset = 0;
  uint32_t length = 0;
};

enum class FileKind : uint8_t { cve, boilerplate, other };

// Status lines are headers too, but live only in statuses(): they are 60% of all lines and a
// Field each would cost 35 MB over the snapshot.
enum class FieldKind : uint8_t { candidate, priority, patches, tags, known, unknown };

// A header line `Name: value` and the continuation lines that belong to it.
struct Field {
  Span name;              // stripped
  Span value;             // stripped value on the header line
  uint32_t line = 0;      // 0-based index of the header line
  uint32_t last_line = 0; // last continuation line (== line when there is none)
  FieldKind kind = FieldKind::known;
  bool repeated = false; // a later copy of a field seen before; the first one counts
};

struct StatusEntry {
  Span release_text; // as written: `devel`, `trusty/esm`
  Span package;      // directly after release_text and its '_'
  Span details;      // without the surrounding parentheses; the version itself in the legacy form
  uint32_t line = 0;
  catalog::ReleaseId release = 0;
  State state = State::needs_triage;
  bool legacy_version = false; // `upstream_linux: 2.6.32.1` read as released
};

enum class TokenKind : uint8_t { unknown_commit, sha, local, gerrit, url, short_sha, invalid };

struct BreakFixToken {
  Span text;
  TokenKind kind = TokenKind::invalid;
};

// ` break-fix: <introducing> <fixing>`, each side a `|`-separated list of alternatives.
struct BreakFix {
  Span package;
  uint32_t line = 0;
  std::vector<BreakFixToken> introduced;
  std::vector<BreakFixToken> fixed;
};

// Any ` type: payload` line of a Patches_<pkg> section (break-fix lines included).
struct PatchLine {
  Span package;
  Span type;
  Span payload;
  uint32_t line = 0;
};

struct Note {
  std::string author;
  std::string text;
  uint32_t line = 0;
  char separator = '>';
};

struct CvssEntry {
  Span source;
  Span vector;
  uint32_t line = 0;
  double base_score = 0;
};

struct TagEntry {
  Span key; // after `Tags_`: `linux` or `linux_natty`
  Span tag;
  uint32_t line = 0;
};

struct PriorityEntry {
  Span field; // `Priority`, `Priority_linux`, `Priority_linux_precise/esm`
  Span value; // first word of the value
  uint32_t line = 0;
};

class CveFile {
public:
  CveFile() = default;
  // Parses `text`; never throws on bad data, which becomes diagnostics().
  CveFile(std::string path, std::string text, FileKind kind, const catalog::Catalog& catalog);

  const std::string& path() const { return m_path; }
  const std::string& text() const { return m_text; }
  FileKind kind() const { return m_kind; }
  std::string_view view(Span s) const { return std::string_view(m_text).substr(s.offset, s.length); }

  size_t line_count() const { return m_line_starts.size(); }
  // The line's bytes without its '\n'.
  std::string_view line(size_t index) const;

  // Re-emits the file from its lines. Byte-identical to text() by construction; the round-trip
  // check compares the two.
  std::string write() const;

  const std::vector<Field>& fields() const { return m_fields; }
  const std::vector<StatusEntry>& statuses() const { return m_statuses; }
  const std::vector<PatchLine>& patch_lines() const { return m_patch_lines; }
  const std::vector<BreakFix>& break_fixes() const { return m_break_fixes; }
  const std::vector<Note>& notes() const { return m_notes; }
  const std::vector<CvssEntry>& cvss() const { return m_cvss; }
  const std::vector<TagEntry>& tags() const { return m_tags; }
  const std::vector<PriorityEntry>& priorities() const { return m_priorities; }
  const std::vector<util::Diagnostic>& diagnostics() const { return m_diagnostics; }
  bool has_errors() const;

  // First (non-repeated) field of that name, or nullptr.
  const Field* field(std::string_view name) const;
  // The field's value with continuation lines joined by '\n' (as cve_lib does).
  std::string field_text(const Field& f) const;
  const StatusEntry* status(std::string_view package, std::string_view release_text) const;
  // Packages in order of first appearance among status lines and Patches_ sections.
  std::vector<std::string_view> packages() const;
  // Effective priority of (package, release): Priority_<pkg>_<rel>, Priority_<pkg>, Priority.
  std::string_view priority_for(std::string_view package, std::string_view release) const;

private:
  friend class Parser;
  friend class Editor;
  void reparse(const catalog::Catalog& catalog);

  std::string m_path;
  std::string m_text;
  FileKind m_kind = FileKind::cve;
  std::vector<uint32_t> m_line_starts;
  std::vector<Field> m_fields;
  std::vector<StatusEntry> m_statuses;
  std::vector<PatchLine> m_patch_lines;
  std::vector<BreakFix> m_break_fixes;
  std::vector<Note> m_notes;
  std::vector<CvssEntry> m_cvss;
  std::vector<TagEntry> m_tags;
  std::vector<PriorityEntry> m_priorities;
  std::vector<util::Diagnostic> m_diagnostics;
};

} // namespace kct::tracker
