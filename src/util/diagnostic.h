#pragma once
// One diagnostic type for every bad input: `path:line:col: error: message`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kct::util {

enum class Severity { error, warning, note };

struct Diagnostic {
  std::string path;
  int64_t line = 0;   // 1-based; 0 when the whole file is meant
  int64_t column = 0; // 1-based; 0 when unknown
  Severity severity = Severity::error;
  std::string message;
};

// `path:line:col: error: message` (line and column 1 when unknown, as check-syntax did).
std::string format(const Diagnostic& d);

// 1-based line and column of byte `offset` in `text`; computed only when an error is built.
struct Location {
  int64_t line = 1;
  int64_t column = 1;
};
Location locate(std::string_view text, size_t offset);

struct DiagnosticCounts {
  int64_t errors = 0;
  int64_t warnings = 0;
};
DiagnosticCounts count(const std::vector<Diagnostic>& diagnostics);

// Orders by path, then line, then column, so output is stable however files were loaded.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

} // namespace kct::util
