#pragma once
#include "tracker/cve_file.h"

#include <string_view>

namespace kct::tracker {

// What a break-fix token is: `-`, sha, local-*, Gerrit Change-Id, URL, short sha or invalid.
TokenKind classify_token(std::string_view token);

} // namespace kct::tracker
