#pragma once
// Kernel package version helpers with the semantics of Ubuntu's cve_lib
// (kernel_package_abi, kernel_package_version, kernel_meta_abi).

#include <optional>
#include <string_view>

namespace kct::debver {

// ABI of a kernel package version: the part after the LAST '-', up to the first
// '.', as an integer. "4.15.0-101.102" -> 101; "4.15.0-1037.39~16.04.1" -> 1037.
// nullopt if not parsable.
std::optional<long long> kernel_package_abi(std::string_view version);

// "4.15.0-45.54" -> "4.15.0" (text before the last '-'); nullopt if no '-'.
// The view points into `version`.
std::optional<std::string_view> kernel_package_version(std::string_view version);

// Meta package ABI: the '.'-separated component at index size+offset for a
// negative offset (Python-style; a non-negative offset counts from the front).
// "4.15.0.45.57" -> 45 with the default offset -2. nullopt when out of range or
// not an integer.
std::optional<long long> kernel_meta_abi(std::string_view meta_version, int offset = -2);

} // namespace kct::debver
