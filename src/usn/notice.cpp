#include "usn/notice.h"

#include <charconv>

namespace kct::usn {

double Timestamp::seconds() const {
  if (const int64_t* whole = std::get_if<int64_t>(&value)) {
    return static_cast<double>(*whole);
  }
  return std::get<double>(value);
}

Json Timestamp::to_json() const {
  if (const int64_t* whole = std::get_if<int64_t>(&value)) {
    return Json(*whole);
  }
  return Json(std::get<double>(value));
}

std::string UsnId::text() const {
  return std::to_string(number) + "-" + std::to_string(suffix);
}

namespace {
bool parse_digits(std::string_view text, int64_t& out) {
  // from_chars would take a leading '-' for a signed type; a USN id has digits only.
  if (text.empty() || text.size() > 12 || text[0] < '0' || text[0] > '9') {
    return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}
} // namespace

std::optional<UsnId> parse_usn_id(std::string_view text) {
  if (text.starts_with("USN-")) {
    text.remove_prefix(4);
  }
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  UsnId id;
  if (!parse_digits(text.substr(0, dash), id.number) || !parse_digits(text.substr(dash + 1), id.suffix)) {
    return std::nullopt;
  }
  return id;
}

bool usn_id_less(const std::string& a, const std::string& b) {
  std::optional<UsnId> left = parse_usn_id(a);
  std::optional<UsnId> right = parse_usn_id(b);
  if (left && right) {
    return *left < *right;
  }
  if (left || right) {
    return static_cast<bool>(left); // well-formed ids first
  }
  return a < b;
}

} // namespace kct::usn
