#pragma once
// Shared test helpers: scoped temporary directories, the shared snapshot, the catalog.
#include "catalog/catalog.h"

#include <string>
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

// The extracted snapshot (KCT_SNAPSHOT), or "" when absent.
std::string snapshot_dir();
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

} // namespace kct::testing
