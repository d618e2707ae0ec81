#include "debver/kernel_abi.h"

#include <charconv>
#include <cstddef>
#include <system_error>
#include <vector>

namespace kct::debver {
namespace {

// An ABI is a plain non-negative decimal number; from_chars alone would accept a
// leading '-', so require a digit first. Overflow and trailing junk give nullopt.
std::optional<long long> parse_abi_number(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    return std::nullopt;
  }
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<long long> kernel_package_abi(std::string_view version) {
  auto hyphen = version.rfind('-');
  if (hyphen == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view tail = version.substr(hyphen + 1);
  return parse_abi_number(tail.substr(0, tail.find('.')));
}

std::optional<std::string_view> kernel_package_version(std::string_view version) {
  auto hyphen = version.rfind('-');
  if (hyphen == std::string_view::npos) {
    return std::nullopt;
  }
  return version.substr(0, hyphen);
}

std::optional<long long> kernel_meta_abi(std::string_view meta_version, int offset) {
  std::vector<std::string_view> components;
  std::size_t start = 0;
  while (true) {
    auto dot = meta_version.find('.', start);
    if (dot == std::string_view::npos) {
      components.push_back(meta_version.substr(start));
      break;
    }
    components.push_back(meta_version.substr(start, dot - start));
    start = dot + 1;
  }
  // Signed arithmetic so that a too-negative offset is caught, not wrapped.
  long long size = static_cast<long long>(components.size());
  long long index = offset < 0 ? size + offset : offset;
  if (index < 0 || index >= size) {
    return std::nullopt;
  }
  return parse_abi_number(components[static_cast<std::size_t>(index)]);
}

} // namespace kct::debver
