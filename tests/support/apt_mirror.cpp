#include "support/apt_mirror.h"

#include "util/files.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::testing {

namespace {

std::string pool_dir(const std::string& component, const std::string& source) {
  std::string prefix = source.rfind("lib", 0) == 0 ? source.substr(0, 4) : source.substr(0, 1);
  return fmt::format("pool/{}/{}/{}", component, prefix, source);
}

// A stable fake md5 for a file name, so URLs carry distinct checksums.
std::string fake_md5(const std::string& name) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : name) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  return fmt::format("{:016x}{:016x}", h, h * 31 + 7);
}

} // namespace

void AptMirror::add_source(const std::string& dist, const std::string& pocket, const std::string& name,
                           const std::string& version, const std::string& component) {
  std::string dsc = fmt::format("{}_{}.dsc", name, version);
  std::string tarball = fmt::format("{}_{}.tar.xz", name, version);
  m_files[fmt::format("dists/{}{}/{}/source/Sources", dist, pocket, component)] +=
      fmt::format("Package: {}\nBinary: {}\nVersion: {}\nDirectory: {}\nFiles:\n {} {} {}\n {} {} {}\n\n", name, name,
                  version, pool_dir(component, name), fake_md5(dsc), dsc.size() * 10, dsc, fake_md5(tarball),
                  tarball.size() * 1000, tarball);
}

void AptMirror::add_binary(const std::string& dist, const std::string& pocket, const std::string& arch,
                           const std::string& name, const std::string& version, const std::string& source,
                           const std::string& source_version, const std::string& component) {
  std::string file = fmt::format("{}_{}_{}.deb", name, version, arch);
  std::string source_field = source_version == version ? source : fmt::format("{} ({})", source, source_version);
  std::string binary_arch = arch == "all" ? "amd64" : arch;
  m_files[fmt::format("dists/{}{}/{}/binary-{}/Packages", dist, pocket, component, binary_arch)] += fmt::format(
      "Package: {}\nArchitecture: {}\nVersion: {}\nSource: {}\nFilename: {}/{}\nSize: {}\nMD5sum: {}\n"
      "Description: {}\n\n",
      name, arch, version, source_field, pool_dir(component, source), file, file.size() * 100, fake_md5(file), name);
}

void AptMirror::write(const std::string& root) const {
  for (const auto& [relative, contents] : m_files) {
    std::filesystem::path path = std::filesystem::path(root) / relative;
    std::filesystem::create_directories(path.parent_path());
    util::write_file_atomically(path.string(), contents);
  }
}

} // namespace kct::testing
