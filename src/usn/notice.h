#pragma once
// The USN model (uct doc §10.2, plus what the published JSON carries). Every key a notice can
// hold has a typed field; keys this model does not know are kept as JSON in `extras` at the
// level where they were found, so JSON → Notice → JSON gives back an equal document. Optional
// fields distinguish "absent" from "empty" because old notices lack keys (`cves`, `sources`)
// and the readers of the database (usn_lib, check-unreplaced-templates) treat the two apart.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kct::usn {

using Json = nlohmann::json;

// Publication time in seconds since the epoch. Python writes a float, but an int is valid
// JSON and pickle too; keeping which one it was makes the round trip exact.
struct Timestamp {
  std::variant<int64_t, double> value = int64_t{0};

  double seconds() const;
  Json to_json() const;
  bool operator==(const Timestamp&) const = default;
};

// `sources.<name>`.
struct SourceEntry {
  std::optional<std::string> version;
  std::optional<std::string> description;
  Json extras = Json::object();
  bool operator==(const SourceEntry&) const = default;
};

// `binaries.<name>` and `allbinaries.<name>`: the published JSON adds `pocket` (security,
// esm-infra, esm-apps) and, for all-binaries built from another source, `source`.
struct BinaryEntry {
  std::optional<std::string> version;
  std::optional<std::string> pocket;
  std::optional<std::string> source;
  Json extras = Json::object();
  bool operator==(const BinaryEntry&) const = default;
};

// `archs.<arch>.urls.<url>`.
struct UrlEntry {
  std::optional<std::string> md5;
  std::optional<int64_t> size;
  Json extras = Json::object();
  bool operator==(const UrlEntry&) const = default;
};

// `archs.<arch>` (an architecture, or `source` / `all`).
struct ArchEntry {
  std::optional<std::map<std::string, UrlEntry>> urls;
  Json extras = Json::object();
  bool operator==(const ArchEntry&) const = default;
};

// `releases.<codename>`.
struct Release {
  std::optional<std::map<std::string, SourceEntry>> sources;
  std::optional<std::map<std::string, BinaryEntry>> binaries;
  std::optional<std::map<std::string, BinaryEntry>> allbinaries;
  std::optional<std::map<std::string, ArchEntry>> archs;
  Json extras = Json::object();
  bool operator==(const Release&) const = default;
};

// How the `id` key was written: the pickle and database.json use the bare id, the
// per-notice files of ubuntu-security-notices prefix it with `USN-`.
enum class IdForm { bare, prefixed, absent };

struct Notice {
  std::string id; // canonical, without `USN-`: "4151-2"
  IdForm id_form = IdForm::bare;
  std::optional<std::string> title;
  std::optional<std::string> summary;
  std::optional<std::string> isummary;
  std::optional<std::string> description;
  std::optional<std::string> action;
  std::optional<std::vector<std::string>> cves; // order as published
  std::optional<Timestamp> timestamp;
  std::map<std::string, Release> releases;
  Json extras = Json::object();
  bool operator==(const Notice&) const = default;
};

// A parsed USN id: `<number>-<n>`, optionally written `USN-<number>-<n>`.
struct UsnId {
  int64_t number = 0;
  int64_t suffix = 0;
  std::string text() const; // "4151-2"
  auto operator<=>(const UsnId&) const = default;
};

// nullopt unless `text` is `[USN-]<digits>-<digits>`.
std::optional<UsnId> parse_usn_id(std::string_view text);
// Numeric order (4151-2 < 4151-10 < 10000-1), for listings.
bool usn_id_less(const std::string& a, const std::string& b);

} // namespace kct::usn
