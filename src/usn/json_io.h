#pragma once
// The two published JSON forms of the USN database: one file per notice
// (ubuntu-security-notices `usn/<ID>.json`) and the single `database.json` dict {id: notice}
// (usn.ubuntu.com/usn-db/database.json). Reading throws kct::Error naming the file and the
// line:column of a syntax error, or the JSON path of a bad value.
#include "usn/notice.h"

#include <string>
#include <string_view>
#include <vector>

namespace kct::usn {

Notice parse_notice(std::string_view text, std::string_view origin);
Notice read_notice_file(const std::string& path);

// Notices in the order of usn_id_less, whatever the order in the file.
std::vector<Notice> parse_database(std::string_view text, std::string_view origin);
std::vector<Notice> read_database_file(const std::string& path);

// Indented like the published per-notice files.
std::string dump_notice(const Notice& notice);
// {id: notice}; throws kct::Error when two notices share an id, which the dict cannot hold.
Json database_to_json(const std::vector<Notice>& notices);
// Compact by default: database.json is large and read by programs.
std::string dump_database(const std::vector<Notice>& notices, int indent = -1);

void write_notice_file(const std::string& path, const Notice& notice);
void write_database_file(const std::string& path, const std::vector<Notice>& notices, int indent = -1);

} // namespace kct::usn
