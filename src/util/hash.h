#pragma once
// A cheap hash for short keys (release names, field names, status keys). std::hash runs a full
// murmur over every byte; these keys are mostly 5-30 bytes and hashed millions of times per
// load, where a multiply-mix of the first and last eight bytes and the length separates them
// well enough for open addressing, which compares the full key anyway.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace kct::util {

inline uint64_t fast_hash(std::string_view s) {
  uint64_t a = 0;
  uint64_t b = 0;
  size_t n = s.size();
  if (n >= 8) {
    std::memcpy(&a, s.data(), 8);
    std::memcpy(&b, s.data() + n - 8, 8);
  } else if (n > 0) {
    std::memcpy(&a, s.data(), n);
  }
  uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ n) * 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 31);
}

} // namespace kct::util
