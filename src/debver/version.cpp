#include "debver/version.h"

#include <climits>
#include <cstddef>

namespace kct::debver {
namespace {

// dpkg uses its own locale-independent c_is* helpers; mirror them rather than
// <cctype>, whose answers depend on the current locale.
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// strtol skips any isspace() character before the number, not only blanks.
bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_blank(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

enum class EpochError { none, empty, not_number, negative, too_big };

struct Epoch {
  long long value = 0;
  EpochError error = EpochError::none;
};

// dpkg parses the epoch with strtol(), so leading whitespace and a sign are
// accepted ("+1:1.0" is valid, "-0:1.0" is epoch 0), and the number must end
// exactly at the colon. Accumulating ourselves avoids both errno and overflow.
Epoch parse_epoch(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_c_space(text[i])) {
    ++i;
  }
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i == text.size() || !is_digit(text[i])) {
    // strtol consumed nothing: dpkg reports this as an empty epoch.
    return {0, EpochError::empty};
  }
  long long value = 0;
  bool too_big = false;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    if (value > INT_MAX) {
      too_big = true; // keep scanning so "not a number" still wins if it applies
      continue;
    }
    value = value * 10 + (text[i] - '0');
  }
  if (i != text.size()) {
    return {0, EpochError::not_number};
  }
  if (negative && value != 0) {
    return {0, EpochError::negative};
  }
  if (too_big || value > INT_MAX) {
    return {0, EpochError::too_big};
  }
  return {value, EpochError::none};
}

// dpkg's order(): digits weigh 0 (they are handled as numbers), letters sort by
// ASCII, '~' before everything including the end of the string, and any other
// character after all letters. dpkg reads through a plain (signed on x86) char,
// so bytes >= 0x80 are negative there; cast the same way to stay byte-exact.
int order(char c) {
  if (is_digit(c)) {
    return 0;
  }
  if (is_alpha(c)) {
    return c;
  }
  if (c == '~') {
    return -1;
  }
  if (c != '\0') {
    return static_cast<signed char>(c) + 256;
  }
  return 0;
}

// dpkg's verrevcmp() over string_views; reading past the end yields '\0' just
// like dpkg's NUL terminator does.
int verrevcmp(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      int ac = order(at(a, i));
      int bc = order(at(b, j));
      if (ac != bc) {
        return ac - bc;
      }
      ++i;
      ++j;
    }
    while (at(a, i) == '0') {
      ++i;
    }
    while (at(b, j) == '0') {
      ++j;
    }
    // Compare digit runs without converting them, so arbitrarily long runs
    // cannot overflow: the longer run wins, otherwise the first differing digit.
    int first_diff = 0;
    while (is_digit(at(a, i)) && is_digit(at(b, j))) {
      if (first_diff == 0) {
        first_diff = at(a, i) - at(b, j);
      }
      ++i;
      ++j;
    }
    if (is_digit(at(a, i))) {
      return 1;
    }
    if (is_digit(at(b, j))) {
      return -1;
    }
    if (first_diff != 0) {
      return first_diff;
    }
  }
  return 0;
}

int sign(long long v) {
  return (v > 0) - (v < 0);
}

} // namespace

Parts split(std::string_view version) {
  Parts parts;
  std::string_view rest = trim_blanks(version);
  if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    parts.epoch_text = rest.substr(0, colon);
    parts.epoch = parse_epoch(parts.epoch_text).value;
    rest.remove_prefix(colon + 1);
  }
  if (auto hyphen = rest.rfind('-'); hyphen != std::string_view::npos) {
    parts.revision = rest.substr(hyphen + 1);
    rest = rest.substr(0, hyphen);
  }
  parts.upstream = rest;
  return parts;
}

std::optional<std::string> invalid_reason(std::string_view version) {
  // Same checks, in the same order, as dpkg's parseversion(), with its messages.
  std::string_view text = trim_blanks(version);
  if (text.empty()) {
    return "version string is empty";
  }
  for (char c : text) {
    if (is_blank(c)) {
      return "version string has embedded spaces";
    }
  }
  Parts parts = split(text);
  std::string_view after_epoch = text;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    switch (parse_epoch(parts.epoch_text).error) {
    case EpochError::empty: return "epoch in version is empty";
    case EpochError::not_number: return "epoch in version is not number";
    case EpochError::negative: return "epoch in version is negative";
    case EpochError::too_big: return "epoch in version is too big";
    case EpochError::none: break;
    }
    after_epoch = text.substr(colon + 1);
    if (after_epoch.empty()) {
      return "nothing after colon in version number";
    }
  }
  // split() cannot tell "no revision" from "empty revision"; look for the hyphen.
  if (after_epoch.find('-') != std::string_view::npos && parts.revision.empty()) {
    return "revision number is empty";
  }
  if (parts.upstream.empty()) {
    return "version number is empty";
  }
  if (!is_digit(parts.upstream.front())) {
    return "version number does not start with digit";
  }
  for (char c : parts.upstream) {
    if (!is_digit(c) && !is_alpha(c) && std::string_view(".-+~:").find(c) == std::string_view::npos) {
      return "invalid character in version number";
    }
  }
  for (char c : parts.revision) {
    if (!is_digit(c) && !is_alpha(c) && std::string_view(".+~").find(c) == std::string_view::npos) {
      return "invalid character in revision number";
    }
  }
  return std::nullopt;
}

int compare(std::string_view a, std::string_view b) {
  // `dpkg --compare-versions` treats an empty argument as "no version", which
  // sorts before every real version (even "0" or "~") and equals only itself.
  if (a.empty() || b.empty()) {
    return static_cast<int>(!a.empty()) - static_cast<int>(!b.empty());
  }
  Parts pa = split(a);
  Parts pb = split(b);
  if (pa.epoch != pb.epoch) {
    return pa.epoch < pb.epoch ? -1 : 1;
  }
  if (int rc = verrevcmp(pa.upstream, pb.upstream); rc != 0) {
    return sign(rc);
  }
  return sign(verrevcmp(pa.revision, pb.revision));
}

std::optional<Op> parse_op(std::string_view op) {
  // dpkg also accepts bare '<' and '>', but they historically mean <= and >=
  // and are deprecated; rejecting them avoids silently surprising callers.
  struct Entry {
    std::string_view name;
    Op op;
  };
  static constexpr Entry entries[] = {
      {"lt", Op::lt}, {"le", Op::le}, {"eq", Op::eq}, {"ne", Op::ne}, {"ge", Op::ge}, {"gt", Op::gt},
      {"<<", Op::lt}, {"<=", Op::le}, {"=", Op::eq},  {">=", Op::ge}, {">>", Op::gt},
  };
  for (const Entry& e : entries) {
    if (e.name == op) {
      return e.op;
    }
  }
  return std::nullopt;
}

bool satisfies(std::string_view a, Op op, std::string_view b) {
  int rc = compare(a, b);
  switch (op) {
  case Op::lt: return rc < 0;
  case Op::le: return rc <= 0;
  case Op::eq: return rc == 0;
  case Op::ne: return rc != 0;
  case Op::ge: return rc >= 0;
  case Op::gt: return rc > 0;
  }
  return false;
}

} // namespace kct::debver
