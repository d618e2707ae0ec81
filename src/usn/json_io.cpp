#include "usn/json_io.h"

#include "usn/notice_json.h"
#include "util/diagnostic.h"
#include "util/error.h"
#include "util/files.h"

#include <algorithm>

namespace kct::usn {
namespace {

// nlohmann's message starts "[json.exception.parse_error.101] parse error at line 1, column
// 2: "; the position is reported by us from the byte offset, so keep only what follows.
std::string parse_reason(const std::string& what) {
  size_t column = what.find("column ");
  size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
  if (colon != std::string::npos) {
    return what.substr(colon + 2);
  }
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

Json parse_json(std::string_view text, std::string_view origin) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    size_t offset = e.byte > 0 ? std::min<size_t>(e.byte - 1, text.size()) : 0;
    util::Location at = util::locate(text, offset);
    throw Error(std::string(origin) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                ": malformed JSON: " + parse_reason(e.what()));
  }
}

std::string read_or_throw(const std::string& path) {
  std::string text;
  if (std::optional<std::string> error = util::read_file(path, text)) {
    throw Error(path + ": cannot read: " + *error);
  }
  return text;
}

} // namespace

Notice parse_notice(std::string_view text, std::string_view origin) {
  return notice_from_json(parse_json(text, origin), origin);
}

Notice read_notice_file(const std::string& path) {
  return parse_notice(read_or_throw(path), path);
}

std::vector<Notice> parse_database(std::string_view text, std::string_view origin) {
  Json document = parse_json(text, origin);
  if (!document.is_object()) {
    throw Error(std::string(origin) + ": top level: expected an object of notices keyed by USN id");
  }
  std::vector<Notice> notices;
  notices.reserve(document.size());
  for (const auto& [key, value] : document.items()) {
    notices.push_back(notice_from_json(value, origin, key));
  }
  std::sort(notices.begin(), notices.end(), [](const Notice& a, const Notice& b) { return usn_id_less(a.id, b.id); });
  return notices;
}

std::vector<Notice> read_database_file(const std::string& path) {
  return parse_database(read_or_throw(path), path);
}

// ensure_ascii: the published files escape non-ASCII as \uXXXX, as Python's json does.
std::string dump_notice(const Notice& notice) {
  return notice_to_json(notice).dump(2, ' ', true);
}

Json database_to_json(const std::vector<Notice>& notices) {
  Json out = Json::object();
  for (const Notice& notice : notices) {
    if (out.contains(notice.id)) {
      throw Error("USN " + notice.id + " appears twice; database.json holds one notice per id");
    }
    out[notice.id] = notice_to_json(notice);
  }
  return out;
}

std::string dump_database(const std::vector<Notice>& notices, int indent) {
  return database_to_json(notices).dump(indent, ' ', true);
}

void write_notice_file(const std::string& path, const Notice& notice) {
  util::write_file_atomically(path, dump_notice(notice) + "\n");
}

void write_database_file(const std::string& path, const std::vector<Notice>& notices, int indent) {
  util::write_file_atomically(path, dump_database(notices, indent));
}

} // namespace kct::usn
