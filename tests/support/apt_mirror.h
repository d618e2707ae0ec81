#pragma once
// Test and benchmark helper: writes a small apt archive (dists/<dist><pocket>/<component>/
// {source/Sources,binary-<arch>/Packages}) from declared sources and binaries, so archive
// readers are exercised on real index files.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kct::testing {

class AptMirror {
public:
  // `pocket` is the suffix: "" (release), "-updates", "-security", "-proposed".
  void add_source(const std::string& dist, const std::string& pocket, const std::string& name,
                  const std::string& version, const std::string& component = "main");
  // A binary built from `source` at `source_version`; Architecture `arch` (may be "all").
  void add_binary(const std::string& dist, const std::string& pocket, const std::string& arch, const std::string& name,
                  const std::string& version, const std::string& source, const std::string& source_version,
                  const std::string& component = "main");
  // Writes every index under `root` (which then holds dists/).
  void write(const std::string& root) const;

private:
  std::map<std::string, std::string> m_files; // relative path → contents
};

} // namespace kct::testing
