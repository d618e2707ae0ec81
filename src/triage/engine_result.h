#pragma once
// One engine result: the decision for one (CVE, target), as the kernel team's cves-applied2
// prints it (§1.9.6) and cves-tracker-update2 reads it (§1.10):
//   <cve-path> <key> <source> <wanted> <state> <version>
// `wanted` and `version` are `-` when empty. The post-passes (§1.11) emit the same shape with
// `wanted` = `-`, a state and a note, applied with direct copy.
#include <optional>
#include <string>
#include <string_view>

namespace kct::triage {

struct EngineResult {
  std::string cve_path; // `active/CVE-2019-1234` or `retired/…`
  std::string key;      // UCT series key (`upstream`, `bionic`, `esm-infra/xenial`)
  std::string source;   // `linux`, `linux-aws`, `linux-5.4` …
  std::string wanted;   // fix lists `a|b,c`, or "-"
  std::string state;    // needs-triage, needed, not-affected, released, pending, ignored
  std::string version;  // a version, `pending`, a note for post-passes, or "-"

  std::string format() const; // the line above, without a newline
};

// Reads a line written by format() or by a post-pass: five whitespace-separated fields, then the
// rest of the line as `version` (post-pass notes such as `ESM criteria, was needed` hold spaces).
// Fields are kept as written, `-` included; nullopt when a field is missing.
std::optional<EngineResult> parse_engine_result(std::string_view line);

} // namespace kct::triage
