#include "tracker/cvss.h"

#include <array>
#include <cmath>
#include <fmt/format.h>

namespace kct::tracker {

namespace {
// FIRST's Roundup: the smallest number, to one decimal, >= the input, computed on integers
// to avoid floating-point surprises (CVSS 3.1 specification, Appendix A).
double roundup(double value) {
  long long scaled = std::llround(value * 100000);
  if (scaled % 10000 == 0) {
    return static_cast<double>(scaled) / 100000.0;
  }
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1) / 10.0;
}

struct Metric {
  const char* name;
  const char* letters; // allowed values, matched by first letter
};
constexpr std::array<Metric, 8> k_metrics = {
    {{"AV", "NALP"}, {"AC", "LH"}, {"PR", "NLH"}, {"UI", "NR"}, {"S", "UC"}, {"C", "HLN"}, {"I", "HLN"}, {"A", "HLN"}}};
} // namespace

std::optional<CvssScore> score_cvss(std::string_view vector, std::string& why) {
  if (vector.substr(0, 9) != "CVSS:3.0/" && vector.substr(0, 9) != "CVSS:3.1/") {
    why = "expected a CVSS 3.0 or 3.1 vector starting with 'CVSS:3.0/' or 'CVSS:3.1/'";
    return std::nullopt;
  }
  std::array<char, 8> value{};
  std::string_view rest = vector.substr(9);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon + 1 >= part.size()) {
      why = fmt::format("expected 'METRIC:VALUE', got '{}'", part);
      return std::nullopt;
    }
    std::string_view name = part.substr(0, colon);
    char letter = part[colon + 1];
    for (size_t i = 0; i < k_metrics.size(); ++i) {
      if (name == k_metrics[i].name) {
        if (std::string_view(k_metrics[i].letters).find(letter) == std::string_view::npos) {
          why = fmt::format("invalid value '{}' for metric {}", part.substr(colon + 1), name);
          return std::nullopt;
        }
        value[i] = letter;
      }
    }
  }
  for (size_t i = 0; i < k_metrics.size(); ++i) {
    if (value[i] == 0) {
      why = fmt::format("missing base metric {}", k_metrics[i].name);
      return std::nullopt;
    }
  }
  auto cia = [](char c) { return c == 'H' ? 0.56 : c == 'L' ? 0.22 : 0.0; };
  bool changed = value[4] == 'C';
  double av = value[0] == 'N' ? 0.85 : value[0] == 'A' ? 0.62 : value[0] == 'L' ? 0.55 : 0.2;
  double ac = value[1] == 'L' ? 0.77 : 0.44;
  double pr = value[2] == 'N' ? 0.85 : value[2] == 'L' ? (changed ? 0.68 : 0.62) : (changed ? 0.5 : 0.27);
  double ui = value[3] == 'N' ? 0.85 : 0.62;
  double iss = 1 - (1 - cia(value[5])) * (1 - cia(value[6])) * (1 - cia(value[7]));
  CvssScore s;
  s.impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  s.exploitability = 8.22 * av * ac * pr * ui;
  if (s.impact <= 0) {
    s.base = 0;
  } else if (changed) {
    s.base = roundup(std::min(1.08 * (s.impact + s.exploitability), 10.0));
  } else {
    s.base = roundup(std::min(s.impact + s.exploitability, 10.0));
  }
  s.severity = s.base == 0 ? "NONE" : s.base < 4 ? "LOW" : s.base < 7 ? "MEDIUM" : s.base < 9 ? "HIGH" : "CRITICAL";
  return s;
}

} // namespace kct::tracker
