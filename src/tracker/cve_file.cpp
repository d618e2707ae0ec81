#include "tracker/cve_file.h"

#include "tracker/parser.h"

#include <algorithm>

namespace kct::tracker {

CveFile::CveFile(std::string path, std::string text, FileKind kind, const catalog::Catalog& catalog)
    : m_path(std::move(path)), m_text(std::move(text)), m_kind(kind) {
  reparse(catalog);
}

void CveFile::reparse(const catalog::Catalog& catalog) {
  m_fields.clear();
  m_statuses.clear();
  m_patch_lines.clear();
  m_break_fixes.clear();
  m_notes.clear();
  m_cvss.clear();
  m_tags.clear();
  m_priorities.clear();
  m_diagnostics.clear();
  Parser(*this, catalog).run();
}

std::string_view CveFile::line(size_t index) const {
  size_t start = m_line_starts[index];
  size_t end = index + 1 < m_line_starts.size() ? m_line_starts[index + 1] : m_text.size();
  std::string_view l = std::string_view(m_text).substr(start, end - start);
  if (!l.empty() && l.back() == '\n') {
    l.remove_suffix(1);
  }
  return l;
}

std::string CveFile::write() const {
  std::string out;
  out.reserve(m_text.size());
  for (size_t i = 0; i < m_line_starts.size(); ++i) {
    out += line(i);
    // Every line but possibly the last ends in '\n'; a missing final newline stays missing.
    if (i + 1 < m_line_starts.size() || m_text.back() == '\n') {
      out += '\n';
    }
  }
  return out;
}

bool CveFile::has_errors() const {
  return std::any_of(m_diagnostics.begin(), m_diagnostics.end(),
                     [](const util::Diagnostic& d) { return d.severity == util::Severity::error; });
}

const Field* CveFile::field(std::string_view name) const {
  for (const Field& f : m_fields) {
    if (!f.repeated && view(f.name) == name) {
      return &f;
    }
  }
  return nullptr;
}

std::string CveFile::field_text(const Field& f) const {
  std::string out(view(f.value));
  for (uint32_t i = f.line + 1; i <= f.last_line; ++i) {
    std::string_view l = line(i);
    if (l.empty() || l[0] != ' ') {
      continue; // blank and comment lines inside a block are not part of the value
    }
    while (!l.empty() && (l.back() == ' ' || l.back() == '\r' || l.back() == '\t')) {
      l.remove_suffix(1);
    }
    out += '\n';
    out += l.substr(1);
  }
  return out;
}

const StatusEntry* CveFile::status(std::string_view package, std::string_view release_text) const {
  for (const StatusEntry& e : m_statuses) {
    if (view(e.package) == package && view(e.release_text) == release_text) {
      return &e;
    }
  }
  return nullptr;
}

std::vector<std::string_view> CveFile::packages() const {
  std::vector<std::string_view> out;
  auto add = [&](std::string_view p) {
    // Lines come grouped by package: most repeat the one just added.
    if ((out.empty() || out.back() != p) && std::find(out.begin(), out.end(), p) == out.end()) {
      out.push_back(p);
    }
  };
  // Sections and status lines interleave in file order; walk both by line number.
  size_t s = 0;
  for (const Field& f : m_fields) {
    for (; s < m_statuses.size() && m_statuses[s].line < f.line; ++s) {
      add(view(m_statuses[s].package));
    }
    if (f.kind == FieldKind::patches) {
      std::string_view name = view(f.name);
      add(name.substr(name.find('_') + 1));
    }
  }
  for (; s < m_statuses.size(); ++s) {
    add(view(m_statuses[s].package));
  }
  return out;
}

std::string_view CveFile::priority_for(std::string_view package, std::string_view release) const {
  std::string_view by_package;
  std::string_view global = "untriaged";
  for (const PriorityEntry& p : m_priorities) {
    std::string_view name = view(p.field);
    if (name == "Priority") {
      global = view(p.value);
    } else if (name.size() > 9 && name.substr(9) == package) {
      by_package = view(p.value);
    } else if (name.size() > 9 + package.size() + 1 && name.substr(9, package.size()) == package &&
               name[9 + package.size()] == '_' && name.substr(10 + package.size()) == release) {
      return view(p.value);
    }
  }
  return by_package.empty() ? global : by_package;
}

} // namespace kct::tracker
