#pragma once
// JSON shapes shared by show and query.
#include "tracker/tracker.h"

#include <nlohmann/json.hpp>

namespace kct::cli {

nlohmann::json cve_to_json(const catalog::Catalog& catalog, const tracker::TrackedFile& tf);
nlohmann::json entry_to_json(const tracker::TrackedFile& tf, const tracker::StatusEntry& e);

} // namespace kct::cli
