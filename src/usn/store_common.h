#pragma once
// What the USN store backends share besides the interface: the history clock, the checks on
// a reverted list, and the wording of an optimistic-concurrency refusal, so that SQLite and
// PostgreSQL tell a publisher the very same thing.
#include "usn/store.h"

#include <optional>
#include <string>

namespace kct::usn {

// UTC now, ISO 8601 with milliseconds: 2024-05-01T12:00:00.123Z.
std::string now_utc();

// The reverted list as usn → CVEs, the document its history patches apply to.
Json reverted_json(const RevertedList& list);
// The history patch of a notice's creation, exactly what Json::diff(null, document) gives,
// without copying the document.
Json creation_patch(Json document);
// Throws kct::Error naming `location` when a USN, or a CVE of one USN, is listed twice.
void check_reverted_list(const RevertedList& list, const std::string& location);

// True when a notice at `current` (nullopt: absent) may be written by a caller that read
// `expected` (or passed k_must_not_exist / k_any_revision).
bool revision_matches(std::optional<int64_t> current, int64_t expected);
// The refusal for a write where revision_matches() is false; `last` describes the latest
// history entry of the notice ("update by bob at …"), or is empty when there is none.
// An invalid `expected` is a plain kct::Error, not a conflict.
ConflictError revision_conflict(const std::string& location, const std::string& id, std::optional<int64_t> current,
                                int64_t expected, const std::string& last);

// The `schema_version` value of a store's meta table; throws kct::Error naming `where`
// when it is not a non-negative integer.
int parse_schema_version(const std::string& text, const std::string& where);

} // namespace kct::usn
