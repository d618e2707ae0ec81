#pragma once
// Small string helpers with Python's semantics where the tracker format depends on them.
#include <string_view>

namespace kct::util {

// Python's str.isspace() for the ASCII range, which is all the tracker uses.
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         c == '\x1c' || c == '\x1d' || c == '\x1e' || c == '\x1f';
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

inline std::string_view strip(std::string_view s) { return lstrip(rstrip(s)); }

inline bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

inline bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

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

} // namespace kct::util
