#include "usn/store_common.h"

#include "util/error.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace kct::usn {

std::string now_utc() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(millis));
  return out;
}

Json reverted_json(const RevertedList& list) {
  Json out = Json::object();
  for (const RevertedEntry& entry : list) {
    out[entry.usn] = entry.cves;
  }
  return out;
}

void check_reverted_list(const RevertedList& list, const std::string& location) {
  // parse_reverted() merges repeated lines; a list built otherwise must be just as clean.
  for (auto entry = list.begin(); entry != list.end(); ++entry) {
    auto same_usn = [&](const RevertedEntry& e) { return e.usn == entry->usn; };
    bool repeated_cve = false;
    for (auto cve = entry->cves.begin(); cve != entry->cves.end(); ++cve) {
      repeated_cve = repeated_cve || std::find(entry->cves.begin(), cve, *cve) != cve;
    }
    if (repeated_cve || std::find_if(list.begin(), entry, same_usn) != entry) {
      throw Error(location + ": the reverted-CVE list names USN " + entry->usn + " or one of its CVEs twice");
    }
  }
}

Json creation_patch(Json document) {
  Json operation = Json::object();
  operation["op"] = "replace";
  operation["path"] = "";
  operation["value"] = std::move(document);
  Json patch = Json::array();
  patch.push_back(std::move(operation));
  return patch;
}

bool revision_matches(std::optional<int64_t> current, int64_t expected) {
  return expected == k_any_revision || (expected == k_must_not_exist && !current) || current == expected;
}

ConflictError revision_conflict(const std::string& location, const std::string& id, std::optional<int64_t> current,
                                int64_t expected, const std::string& last_change) {
  if (expected < k_any_revision) {
    throw Error("USN " + id + ": invalid expected revision " + std::to_string(expected));
  }
  std::string last = last_change.empty() ? "an earlier change" : last_change;
  std::string where = location + ": USN " + id;
  if (expected == k_must_not_exist) {
    return ConflictError(where + " already exists (revision " + std::to_string(current.value_or(0)) + ", last " + last +
                         "); edit it instead of creating it");
  }
  if (!current) {
    return ConflictError(where + " no longer exists (last " + last + ") but you edited revision " +
                         std::to_string(expected) + "; nothing was written");
  }
  return ConflictError(where + " changed since you read revision " + std::to_string(expected) + " (now revision " +
                       std::to_string(*current) + ", last " + last +
                       "); nothing was written: reload it and make your edit again");
}

int parse_schema_version(const std::string& text, const std::string& where) {
  try {
    size_t used = 0;
    int version = std::stoi(text, &used);
    if (used == text.size() && version >= 0) {
      return version;
    }
  } catch (const std::exception&) {
  }
  throw Error(where + ": unreadable USN store schema_version `" + text + "`");
}

} // namespace kct::usn
