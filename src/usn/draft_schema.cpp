#include "usn/draft_schema.h"

#include <cctype>

namespace kct::usn::draft {
namespace {

bool digits(std::string_view s, bool (*ok)(char)) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!ok(c)) {
      return false;
    }
  }
  return true;
}

bool decimal(char c) {
  return c >= '0' && c <= '9';
}
bool octal(char c) {
  return c >= '0' && c <= '7';
}
bool hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

std::string_view unsigned_part(std::string_view s) {
  return !s.empty() && (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool core_float(std::string_view s) {
  s = unsigned_part(s);
  size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  if (e != std::string_view::npos && !digits(unsigned_part(s.substr(e + 1)), decimal)) {
    return false;
  }
  size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos) {
    return digits(mantissa, decimal);
  }
  std::string_view whole = mantissa.substr(0, dot);
  std::string_view fraction = mantissa.substr(dot + 1);
  if (whole.empty()) {
    return digits(fraction, decimal);
  }
  return digits(whole, decimal) && (fraction.empty() || digits(fraction, decimal));
}

} // namespace

bool is_dict(Slot slot) {
  return slot == Slot::releases || slot == Slot::sources || slot == Slot::binaries || slot == Slot::archs ||
         slot == Slot::urls;
}

Field child(Slot parent, std::string_view key) {
  switch (parent) {
  case Slot::top:
    if (key == "id") {
      return {Want::id};
    }
    if (key == "title" || key == "summary" || key == "isummary" || key == "description" || key == "action") {
      return {Want::string};
    }
    if (key == "cves") {
      return {Want::string_list};
    }
    if (key == "timestamp") {
      return {Want::number};
    }
    return key == "releases" ? Field{Want::dict, Slot::releases} : Field{};
  case Slot::releases: return {Want::record, Slot::release};
  case Slot::release:
    if (key == "sources") {
      return {Want::dict, Slot::sources};
    }
    if (key == "binaries" || key == "allbinaries") {
      return {Want::dict, Slot::binaries};
    }
    return key == "archs" ? Field{Want::dict, Slot::archs} : Field{};
  case Slot::sources: return {Want::record, Slot::source};
  case Slot::source: return key == "version" || key == "description" ? Field{Want::string} : Field{};
  case Slot::binaries: return {Want::record, Slot::binary};
  case Slot::binary: return key == "version" || key == "pocket" || key == "source" ? Field{Want::string} : Field{};
  case Slot::archs: return {Want::record, Slot::arch};
  case Slot::arch: return key == "urls" ? Field{Want::dict, Slot::urls} : Field{};
  case Slot::urls: return {Want::record, Slot::url};
  case Slot::url:
    if (key == "md5") {
      return {Want::string};
    }
    return key == "size" ? Field{Want::integer} : Field{};
  case Slot::other: return {};
  }
  return {};
}

const std::vector<std::string_view>& key_order(Slot record) {
  static const std::vector<std::string_view> top = {"id",          "title",  "summary",   "isummary", "cves",
                                                    "description", "action", "timestamp", "releases"};
  static const std::vector<std::string_view> release = {"sources", "binaries", "allbinaries", "archs"};
  static const std::vector<std::string_view> source = {"version", "description"};
  static const std::vector<std::string_view> binary = {"version", "pocket", "source"};
  static const std::vector<std::string_view> arch = {"urls"};
  static const std::vector<std::string_view> url = {"md5", "size"};
  static const std::vector<std::string_view> none;
  switch (record) {
  case Slot::top: return top;
  case Slot::release: return release;
  case Slot::source: return source;
  case Slot::binary: return binary;
  case Slot::arch: return arch;
  case Slot::url: return url;
  default: return none;
  }
}

const char* want_name(Want want) {
  switch (want) {
  case Want::record:
  case Want::dict: return "a mapping";
  case Want::string: return "a string";
  case Want::integer: return "an integer";
  case Want::number: return "a number";
  case Want::string_list: return "a list of strings";
  case Want::id: return "a USN id such as 4313-1 or USN-4313-1";
  case Want::any: return "a value";
  }
  return "a value";
}

Plain classify_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return Plain::null;
  }
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    return Plain::boolean;
  }
  if (digits(unsigned_part(s), decimal) || (s.starts_with("0o") && digits(s.substr(2), octal)) ||
      (s.starts_with("0x") && digits(s.substr(2), hex))) {
    return Plain::integer;
  }
  std::string_view u = unsigned_part(s);
  if (core_float(s) || u == ".inf" || u == ".Inf" || u == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN") {
    return Plain::floating;
  }
  return Plain::string;
}

} // namespace kct::usn::draft
