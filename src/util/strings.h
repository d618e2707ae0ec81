#pragma once
// Small string helpers with Python's semantics where the tracker format depends on them.
#include <cstdint>
#include <string>
#include <string_view>

namespace kct::util {

// Python's str.isspace() for the ASCII range, which is all the tracker uses.
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\x1c' || c == '\x1d' ||
         c == '\x1e' || c == '\x1f';
}

inline std::string_view rstrip(std::string_view s) {
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

inline std::string_view lstrip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  return s;
}

inline std::string_view strip(std::string_view s) {
  return lstrip(rstrip(s));
}

// Appends code point `cp` (at most U+10FFFF; the caller checks) encoded as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

// Calls fn(line_number, line) for each '\n'-separated line (1-based numbers, without the '\n';
// a last line without one counts too).
template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    fn(++line_no, text.substr(pos, end - pos));
    pos = end + 1;
  }
}

inline bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

inline bool contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

inline bool is_hex(std::string_view s) {
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) {
      return false;
    }
  }
  return !s.empty();
}

// Offset of the first byte that is not valid UTF-8, or npos.
size_t invalid_utf8_offset(std::string_view s);

// Runs of spaces, tabs and newlines become one space; none at either end.
std::string collapse_whitespace(std::string_view s);

} // namespace kct::util
