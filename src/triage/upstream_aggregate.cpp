#include "triage/upstream_aggregate.h"

#include <algorithm>

namespace kct::triage {

namespace {

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Numbers of any length: no leading zeros, then shorter is smaller, then by digits.
int compare_numbers(std::string_view a, std::string_view b) {
  a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
  b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
  if (a.size() != b.size()) {
    return a.size() < b.size() ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

std::vector<std::string_view> components(std::string_view v) {
  std::vector<std::string_view> out;
  while (!v.empty()) {
    size_t dot = v.find('.');
    out.push_back(v.substr(0, dot));
    v = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  }
  return out;
}

} // namespace

bool upstream_version_less(std::string_view a, std::string_view b) {
  // The original sorts on a tuple key with non-numeric parts mapped to a huge number: two
  // non-numeric parts tie, and a shorter tuple that is a prefix sorts first.
  std::vector<std::string_view> x = components(a);
  std::vector<std::string_view> y = components(b);
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    bool xn = is_number(x[i]);
    bool yn = is_number(y[i]);
    if (xn && yn) {
      if (int c = compare_numbers(x[i], y[i]); c != 0) {
        return c < 0;
      }
    } else if (xn != yn) {
      return xn;
    }
  }
  return x.size() < y.size();
}

std::string upstream_note(std::string_view linus_version, const std::vector<StableResult>& stables) {
  std::vector<std::string> versions;
  for (const StableResult& s : stables) {
    if (s.state != "released") {
      continue;
    }
    if (s.version == "pending") {
      std::string_view series = s.source.substr(std::min(s.source.find('-') + 1, s.source.size()));
      versions.push_back(std::string(series) + ".y");
    } else if (!s.version.empty()) {
      versions.emplace_back(s.version);
    }
  }
  std::stable_sort(versions.begin(), versions.end(),
                   [](const std::string& x, const std::string& y) { return upstream_version_less(x, y); });
  // The original always starts with the Linus version, so a Linus result without one gave
  // ", 6.1.30"; we join only the parts that exist. Without stable results the note is the Linus
  // version alone, as the engine was verified to do (correction 1), and "" when neither exists.
  std::string note(linus_version);
  for (const std::string& v : versions) {
    note += note.empty() ? v : ", " + v;
  }
  return note;
}

} // namespace kct::triage
