#include "tracker/check.h"

namespace kct::tracker {

namespace {
bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool in(char c, char lo, char hi) {
  return c >= lo && c <= hi;
}
} // namespace

bool is_valid_tracker_date(std::string_view v) {
  if (v.empty() || v == "unknown") {
    return true;
  }
  // 20YY-[01]M-[0-3]D
  if (v.size() < 10 || v[0] != '2' || v[1] != '0' || !digit(v[2]) || !digit(v[3]) || v[4] != '-' ||
      !in(v[5], '0', '1') || !digit(v[6]) || v[7] != '-' || !in(v[8], '0', '3') || !digit(v[9])) {
    return false;
  }
  std::string_view rest = v.substr(10);
  if (rest.empty()) {
    return true;
  }
  // ` [0-2]N:NN:NN`
  if (rest.size() < 9 || rest[0] != ' ' || !in(rest[1], '0', '2') || !digit(rest[2]) || rest[3] != ':' ||
      !digit(rest[4]) || !digit(rest[5]) || rest[6] != ':' || !digit(rest[7]) || !digit(rest[8])) {
    return false;
  }
  rest = rest.substr(9);
  if (rest.empty()) {
    return true;
  }
  if (rest[0] != ' ' || rest.size() < 2) {
    return false;
  }
  rest = rest.substr(1);
  if (rest[0] == '+' || rest[0] == '-') {
    // ` [+-][01][0-9]+`: an hour offset of at least two digits.
    rest = rest.substr(1);
    if (rest.size() < 2 || !in(rest[0], '0', '1')) {
      return false;
    }
    for (char c : rest) {
      if (!digit(c)) {
        return false;
      }
    }
    return true;
  }
  for (char c : rest) {
    if (!in(c, 'A', 'Z')) {
      return false;
    }
  }
  return true;
}

} // namespace kct::tracker
