#pragma once
// Shared test helpers: scoped temporary directories, the shared snapshot, the catalog.
#include "catalog/catalog.h"
#include "util/diagnostic.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace kct::testing {

// A fresh directory under $TMPDIR, removed with its contents at scope exit.
class ScopedTempDir {
public:
  ScopedTempDir();
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  const std::string& path() const { return m_path; }
  // Writes `contents` to path()/relative, creating directories.
  std::string write(const std::string& relative, const std::string& contents) const;

private:
  std::string m_path;
};

// The shared real data (KCT_SHARED_DATA, default ../shared/data beside the source tree).
std::string shared_data_dir();
// True when the shared data is there, so tests over it must run rather than skip.
bool shared_data_present();
// The extracted snapshot (KCT_SNAPSHOT, default build/snapshot/uct-2019-12-29). "" only when
// the shared data is absent altogether; when the tarball is there but the extraction is not,
// the path is still returned so the tests that need it fail instead of skipping.
std::string snapshot_dir();
// Each diagnostic as `path:line:col: severity: message`, for readable test expectations.
std::vector<std::string> formatted(const std::vector<util::Diagnostic>& diagnostics);
// The repository's data/catalog.yaml.
const catalog::Catalog& source_catalog();
std::string source_dir();
std::string kct_binary();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a program without a shell, with optional extra environment entries (NAME=value).
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

// Starts `argv` in the background without a shell, stdin, stdout and stderr on /dev/null;
// -1 on failure. The caller waits for it (or kills it).
pid_t spawn_quiet(const std::vector<std::string>& argv);

} // namespace kct::testing
