#include "util/diagnostic.h"

#include <algorithm>
#include <fmt/format.h>

namespace kct::util {

namespace {
const char* severity_name(Severity s) {
  switch (s) {
  case Severity::error: return "error";
  case Severity::warning: return "warning";
  case Severity::note: return "note";
  }
  return "error";
}
} // namespace

std::string format(const Diagnostic& d) {
  return fmt::format("{}:{}:{}: {}: {}", d.path, d.line > 0 ? d.line : 1, d.column > 0 ? d.column : 1,
                     severity_name(d.severity), d.message);
}

Location locate(std::string_view text, size_t offset) {
  Location loc;
  offset = std::min(offset, text.size());
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

DiagnosticCounts count(const std::vector<Diagnostic>& diagnostics) {
  DiagnosticCounts c;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::error) {
      ++c.errors;
    } else if (d.severity == Severity::warning) {
      ++c.warnings;
    }
  }
  return c;
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.path != b.path) {
      return a.path < b.path;
    }
    if (a.line != b.line) {
      return a.line < b.line;
    }
    return a.column < b.column;
  });
}

} // namespace kct::util
