#pragma once
// The kernel team's scan configuration (cves-autotriage.conf, kernel-team doc §1.4.1): one
// whitespace-separated line per scan target,
//   <uct-series-key> <source> <repo-dir|-> <branch|-> <flags> <transfer-to|-> <git-url|->
// with comma-separated flags `name` or `name:value`. Read as the kernel team writes it, so
// their file works unchanged; a malformed line is an error naming file and line.
#include "util/diagnostic.h"

#include <string>
#include <vector>

namespace kct::triage {

struct ScanTarget {
  std::string key;      // UCT series key: `upstream`, `bionic`, `esm-infra/xenial`, `trusty/esm`
  std::string source;   // source package: `linux`, `linux-5.4`, `linux-aws`
  std::string repo_dir; // bare clone directory name under --repos; "" for `-`
  std::string branch;   // branch whose tip is the `pending` version; "" for `-`
  std::string git_url;  // "" for `-`

  // Flags (§1.4.1 table).
  bool scan = false;
  std::string tags_git_glob; // `tags-git:<glob>`; non-empty means versions are upstream git tags
  bool tags_lp = false;      // versions from the published version files (§1.6 f)
  bool no_pending = false;
  bool mark_pockets = false;
  bool mark_esm = false;
  std::string mark_esm_message = "ESM criteria";
  bool mark_ignored = false;
  std::string mark_ignored_message; // `%s` decoded to a space and `%%` to `%`
  bool unsupported = false;
  bool no_usn = false;
  bool pre_legacy = false;
  std::string metaonly_link;         // `<series>_<source>` of the linked kernel, or ""
  std::vector<std::string> archives; // `archives:` items, `route-Pocket-reference`

  int line = 0; // 1-based line in the configuration file

  // `<key>_<source>` with `/` kept, as tracker lines and `kct why` name a target.
  std::string name() const { return key + "_" + source; }
  // The key as state file names write it: `/` replaced by `@` (§1.6 b).
  std::string file_key() const;
};

struct ScanConfig {
  std::string path;
  std::vector<ScanTarget> targets; // in file order (upstream first, as cves-config writes it)

  // Parses `text`; malformed lines are reported in `diagnostics` (path:line:col) and left out,
  // every other line is kept.
  static ScanConfig parse(std::string path, std::string_view text, std::vector<util::Diagnostic>& diagnostics);
  // Reads and parses a file; throws kct::Error when it cannot be read.
  static ScanConfig load(const std::string& path, std::vector<util::Diagnostic>& diagnostics);

  // The target named `<key>_<source>`, or nullptr.
  const ScanTarget* find(std::string_view key_and_source) const;
};

} // namespace kct::triage
