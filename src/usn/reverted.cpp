#include "usn/reverted.h"

#include "usn/notice.h"
#include "util/error.h"

#include <algorithm>

namespace kct::usn {
namespace {

// The file is written with single spaces; runs of blanks and trailing blanks are accepted
// too, because a hand edit that adds one should not stop every sync.
std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t at = 0;
  while (true) {
    at = line.find_first_not_of(" \t\r", at);
    if (at == std::string_view::npos) {
      return words;
    }
    size_t end = line.find_first_of(" \t\r", at);
    words.push_back(line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    at = end;
  }
}

} // namespace

RevertedList parse_reverted(std::string_view text, std::string_view origin) {
  RevertedList list;
  int64_t number = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++number;
    std::vector<std::string_view> words = split_words(line);
    if (words.empty()) {
      continue;
    }
    auto fail = [&](const std::string& message) {
      throw Error(std::string(origin) + ":" + std::to_string(number) + ": " + message);
    };
    if (!parse_usn_id(words[0]) || words[0].starts_with("USN-")) {
      fail("`" + std::string(words[0]) + "` is not a USN id such as 544-1");
    }
    if (words.size() < 2) {
      fail("USN " + std::string(words[0]) + " names no CVE");
    }
    auto entry = std::find_if(list.begin(), list.end(), [&](const RevertedEntry& e) { return e.usn == words[0]; });
    if (entry == list.end()) {
      entry = list.insert(list.end(), RevertedEntry{std::string(words[0]), {}});
    }
    for (size_t i = 1; i < words.size(); ++i) {
      if (std::find(entry->cves.begin(), entry->cves.end(), words[i]) == entry->cves.end()) {
        entry->cves.emplace_back(words[i]);
      }
    }
  }
  return list;
}

std::string format_reverted(const RevertedList& list) {
  std::string out;
  for (const RevertedEntry& entry : list) {
    out += entry.usn;
    for (const std::string& cve : entry.cves) {
      out += ' ';
      out += cve;
    }
    out += '\n';
  }
  return out;
}

bool is_reverted(const RevertedList& list, std::string_view usn, std::string_view cve) {
  for (const RevertedEntry& entry : list) {
    if (entry.usn == usn) {
      return std::find(entry.cves.begin(), entry.cves.end(), cve) != entry.cves.end();
    }
  }
  return false;
}

} // namespace kct::usn
