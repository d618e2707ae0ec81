#include "tracker/editor.h"

#include "tracker/break_fix.h"
#include "util/error.h"
#include "util/files.h"
#include "util/strings.h"

#include <fmt/format.h>

namespace kct::tracker {

std::string format_status_line(std::string_view package, std::string_view release, State state,
                               std::string_view details) {
  std::string line = fmt::format("{}_{}: {}", release, package, state_name(state));
  if (!details.empty()) {
    line += fmt::format(" ({})", details);
  }
  return line;
}

void Editor::splice(size_t first, size_t count, const std::string& replacement) {
  const std::string& text = m_file.m_text;
  size_t lines = m_file.line_count();
  size_t begin = first < lines ? m_file.m_line_starts[first] : text.size();
  size_t end = first + count < lines ? m_file.m_line_starts[first + count] : text.size();
  std::string updated;
  updated.reserve(text.size() + replacement.size() + 1);
  updated.append(text, 0, begin);
  // Inserting after a last line that has no newline: end that line first.
  if (begin == text.size() && !text.empty() && text.back() != '\n') {
    updated += '\n';
  }
  updated += replacement;
  updated.append(text, end, std::string::npos);
  if (updated == text) {
    return;
  }
  size_t errors_before = 0;
  for (const util::Diagnostic& d : m_file.m_diagnostics) {
    errors_before += d.severity == util::Severity::error ? 1 : 0;
  }
  std::string previous = std::move(m_file.m_text);
  m_file.m_text = std::move(updated);
  m_file.reparse(m_catalog);
  size_t errors_after = 0;
  std::string first_error;
  for (const util::Diagnostic& d : m_file.m_diagnostics) {
    if (d.severity == util::Severity::error) {
      ++errors_after;
      first_error = first_error.empty() ? util::format(d) : first_error;
    }
  }
  if (errors_after > errors_before) {
    m_file.m_text = std::move(previous);
    m_file.reparse(m_catalog);
    throw Error(fmt::format("edit refused, it would make {} invalid: {}", m_file.path(), first_error));
  }
}

bool Editor::set_status(std::string_view package, std::string_view release, State state, std::string_view details) {
  if (!m_catalog.find(release)) {
    throw Error(
        fmt::format("{}: unknown release '{}' (not in the catalog {})", m_file.path(), release, m_catalog.path()));
  }
  std::string line = format_status_line(package, release, state, details) + "\n";
  if (const StatusEntry* e = m_file.status(package, release)) {
    std::string before = m_file.m_text;
    splice(e->line, 1, line);
    return m_file.m_text != before;
  }
  const StatusEntry* last = nullptr;
  for (const StatusEntry& e : m_file.statuses()) {
    if (m_file.view(e.package) == package) {
      last = &e;
    }
  }
  if (last == nullptr) {
    throw Error(fmt::format("{}: package '{}' has no status lines; add the package first", m_file.path(), package));
  }
  splice(last->line + 1, 0, line);
  return true;
}

bool Editor::add_break_fix(std::string_view package, std::string_view introduced, std::string_view fixed) {
  for (std::string_view side : {introduced, fixed}) {
    size_t start = 0;
    for (;;) {
      size_t bar = side.find('|', start);
      std::string_view token = side.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
      TokenKind kind = classify_token(token);
      if (kind == TokenKind::short_sha || kind == TokenKind::invalid) {
        throw Error(fmt::format("{}: bad break-fix token '{}' (expected '-', a 40-character sha, local-<id>, a "
                                "Gerrit I<sha> Change-Id or a URL)",
                                m_file.path(), token));
      }
      if (bar == std::string_view::npos) {
        break;
      }
      start = bar + 1;
    }
  }
  for (const BreakFix& b : m_file.break_fixes()) {
    std::string_view line = m_file.line(b.line);
    if (m_file.view(b.package) == package &&
        line.find(fmt::format("{} {}", introduced, fixed)) != std::string_view::npos) {
      return false;
    }
  }
  std::string line = fmt::format(" break-fix: {} {}\n", introduced, fixed);
  std::string header = fmt::format("Patches_{}", package);
  if (const Field* f = m_file.field(header)) {
    splice(f->last_line + 1, 0, line);
    return true;
  }
  for (const StatusEntry& e : m_file.statuses()) {
    if (m_file.view(e.package) == package) {
      splice(e.line, 0, header + ":\n" + line);
      return true;
    }
  }
  throw Error(fmt::format("{}: package '{}' has no section; add the package first", m_file.path(), package));
}

bool Editor::add_package(std::string_view package, const std::vector<StatusLine>& lines) {
  std::string header = fmt::format("Patches_{}", package);
  if (m_file.field(header) != nullptr) {
    throw Error(fmt::format("{}: package '{}' already has a section", m_file.path(), package));
  }
  for (const StatusEntry& e : m_file.statuses()) {
    if (m_file.view(e.package) == package) {
      throw Error(fmt::format("{}: package '{}' already has status lines", m_file.path(), package));
    }
  }
  std::string block = "\n" + header + ":\n";
  for (const StatusLine& l : lines) {
    if (!m_catalog.find(l.release)) {
      throw Error(
          fmt::format("{}: unknown release '{}' (not in the catalog {})", m_file.path(), l.release, m_catalog.path()));
    }
    block += format_status_line(package, l.release, l.state, l.details) + "\n";
  }
  splice(m_file.line_count(), 0, block);
  return true;
}

bool Editor::set_field(std::string_view name, std::string_view value) {
  std::string line = value.empty() ? fmt::format("{}:\n", name) : fmt::format("{}: {}\n", name, value);
  if (const Field* f = m_file.field(name)) {
    if (f->last_line != f->line) {
      throw Error(fmt::format("{}: field '{}' spans several lines; set_field only replaces one-line fields",
                              m_file.path(), name));
    }
    std::string before = m_file.m_text;
    splice(f->line, 1, line);
    return m_file.m_text != before;
  }
  splice(0, 0, line);
  return true;
}

bool Editor::set_multiline_field(std::string_view name, const std::vector<std::string>& lines) {
  const Field* f = m_file.field(name);
  if (f == nullptr) {
    throw Error(fmt::format("{}: no '{}' field to update", m_file.path(), name));
  }
  std::string header(m_file.line(f->line));
  std::string replacement = header + "\n";
  for (const std::string& l : lines) {
    replacement += " " + l + "\n";
  }
  std::string before = m_file.m_text;
  splice(f->line, f->last_line - f->line + 1, replacement);
  return m_file.m_text != before;
}

bool Editor::add_reference(std::string_view url) {
  const Field* f = m_file.field("References");
  if (f == nullptr) {
    throw Error(fmt::format("{}: no 'References' field to add {} to", m_file.path(), url));
  }
  for (uint32_t i = f->line; i <= f->last_line; ++i) {
    std::string_view l = m_file.line(i);
    if (i == f->line) {
      l = l.substr(l.find(':') + 1);
    }
    if (util::strip(l) == url) {
      return false;
    }
  }
  splice(f->last_line + 1, 0, " " + std::string(url) + "\n");
  return true;
}

void Editor::check_line_edit(size_t index, std::string_view text, bool allow_end) const {
  size_t limit = m_file.line_count() + (allow_end ? 1 : 0);
  if (index >= limit) {
    throw Error(fmt::format("{}: line {} is past the end of the file ({} lines)", m_file.path(), index + 1,
                            m_file.line_count()));
  }
  if (text.find('\n') != std::string_view::npos) {
    throw Error(fmt::format("{}: a line edit got several lines: '{}'", m_file.path(), text));
  }
}

bool Editor::replace_lines(const std::vector<std::pair<size_t, std::string>>& lines) {
  std::vector<const std::string*> replacement(m_file.line_count(), nullptr);
  for (const auto& [index, text] : lines) {
    check_line_edit(index, text, false);
    replacement[index] = &text;
  }
  std::string all;
  all.reserve(m_file.m_text.size() + 64 * lines.size());
  for (size_t i = 0; i < m_file.line_count(); ++i) {
    all += replacement[i] != nullptr ? std::string_view(*replacement[i]) : m_file.line(i);
    // Keep a missing final newline missing.
    if (i + 1 < m_file.line_count() || m_file.m_text.empty() || m_file.m_text.back() == '\n') {
      all += '\n';
    }
  }
  std::string before = m_file.m_text;
  splice(0, m_file.line_count(), all);
  return m_file.m_text != before;
}

void Editor::insert_line(size_t index, std::string_view text) {
  check_line_edit(index, text, true);
  splice(index, 0, std::string(text) + "\n");
}

void Editor::remove_line(size_t index) {
  check_line_edit(index, {}, false);
  splice(index, 1, std::string());
}

bool Editor::replace_line(size_t index, std::string_view text) {
  check_line_edit(index, text, false);
  if (m_file.line(index) == text) {
    return false;
  }
  // A last line without '\n' keeps going without one, so only that line's bytes change.
  bool last_without_newline = index + 1 == m_file.line_count() && m_file.text().back() != '\n';
  splice(index, 1, std::string(text) + (last_without_newline ? "" : "\n"));
  return true;
}

bool save_if_changed(const CveFile& file) {
  std::string on_disk;
  if (!util::read_file(file.path(), on_disk) && on_disk == file.text()) {
    return false;
  }
  util::write_file_atomically(file.path(), file.text());
  return true;
}

} // namespace kct::tracker
