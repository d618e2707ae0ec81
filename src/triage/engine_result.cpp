#include "triage/engine_result.h"

#include "util/strings.h"

#include <fmt/format.h>

namespace kct::triage {

namespace {
std::string_view or_dash(const std::string& s) {
  return s.empty() ? std::string_view("-") : std::string_view(s);
}

// The next whitespace-separated word of `rest`, which is advanced past it.
std::string_view next_word(std::string_view& rest) {
  rest = util::lstrip(rest);
  size_t end = 0;
  while (end < rest.size() && !util::is_space(rest[end])) {
    ++end;
  }
  std::string_view word = rest.substr(0, end);
  rest.remove_prefix(end);
  return word;
}
} // namespace

std::string EngineResult::format() const {
  return fmt::format("{} {} {} {} {} {}", cve_path, key, source, or_dash(wanted), state, or_dash(version));
}

std::optional<EngineResult> parse_engine_result(std::string_view line) {
  std::string_view rest = line;
  std::string_view fields[5];
  for (std::string_view& f : fields) {
    f = next_word(rest);
    if (f.empty()) {
      return std::nullopt;
    }
  }
  // The sixth field runs to the end of the line: a post-pass note is free text.
  std::string_view version = util::strip(rest);
  if (version.empty()) {
    return std::nullopt;
  }
  return EngineResult{std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
                      std::string(fields[3]), std::string(fields[4]), std::string(version)};
}

} // namespace kct::triage
