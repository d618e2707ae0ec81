#pragma once
// Helpers shared by the USN tests: the published notices of the shared data, and a JSON
// comparison strict about number kinds (nlohmann's == holds 1 == 1.0, a round trip must not).
#include "usn/notice.h"

#include "support/test_env.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace kct::usn::testing {

inline std::string published_dir() {
  return kct::testing::shared_data_dir() + "/usn";
}

// Every *.json of the shared notices, sorted; empty when the directory is absent.
inline std::vector<std::string> published_notice_paths() {
  std::vector<std::string> paths;
  if (!std::filesystem::is_directory(published_dir())) {
    return paths;
  }
  for (const auto& entry : std::filesystem::directory_iterator(published_dir())) {
    if (entry.path().extension() == ".json") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Equal values and, for numbers, the same kind (integer or float), at every depth.
inline bool strictly_equal(const Json& a, const Json& b) {
  if (a != b || a.is_number_float() != b.is_number_float()) {
    return false;
  }
  if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!strictly_equal(value, b.at(key))) {
        return false;
      }
    }
  } else if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!strictly_equal(a[i], b[i])) {
        return false;
      }
    }
  }
  return true;
}

} // namespace kct::usn::testing
