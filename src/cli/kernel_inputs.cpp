#include "cli/kernel_inputs.h"

#include "util/error.h"

#include <cstdlib>
#include <fmt/format.h>

namespace kct::cli {

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

} // namespace

void add_archive_options(CLI::App& app, ArchiveOptions& options, std::string_view default_pocket_help) {
  app.add_option("--mirror", options.mirror,
                 "The primary archive: a mirror directory or http(s) URL holding dists/ (default: $KCT_MIRROR)");
  app.add_option("--ppa", options.ppa, "OWNER/NAME of a PPA to read instead (default: ubuntu, the primary archive)");
  app.add_option("--ppa-base", options.ppa_base,
                 "Where PPAs live (default: $KCT_PPA_BASE, else https://ppa.launchpadcontent.net)");
  app.add_option("--pocket", options.pocket, std::string(default_pocket_help));
  app.add_option("--kernel-table", options.kernel_table, "Kernel data file (default: the installed kernel-usn.yaml)");
  app.add_option("--glitches", options.glitches, "Kernel glitch table (default: the installed kernel-glitches.yaml)");
}

bool is_primary_archive(const ArchiveOptions& options) {
  return options.ppa.empty() || options.ppa == "ubuntu";
}

std::string default_mirror() {
  return env_or("KCT_MIRROR", "");
}

archive::ArchiveLocation archive_location(const ArchiveOptions& options) {
  if (!is_primary_archive(options)) {
    std::string base = options.ppa_base.empty()
                           ? env_or("KCT_PPA_BASE", std::string(archive::ArchiveLocation::k_default_ppa_base))
                           : options.ppa_base;
    return archive::ArchiveLocation::parse(options.ppa, base);
  }
  std::string mirror = options.mirror.empty() ? default_mirror() : options.mirror;
  if (mirror.empty()) {
    throw Error("no archive to read: give --mirror DIR|URL (or set $KCT_MIRROR), or --ppa OWNER/NAME");
  }
  return archive::ArchiveLocation::parse(mirror);
}

archive::Pocket archive_pocket(const ArchiveOptions& options, archive::Pocket fallback) {
  if (options.pocket.empty()) {
    return is_primary_archive(options) ? fallback : archive::Pocket::release;
  }
  std::optional<archive::Pocket> pocket = archive::parse_pocket(options.pocket);
  if (!pocket) {
    throw Error(fmt::format("--pocket {}: expected Release, Updates, Security or Proposed", options.pocket));
  }
  return *pocket;
}

kernels::KernelTable load_kernel_table(const ArchiveOptions& options) {
  return kernels::KernelTable::load_file(options.kernel_table.empty() ? kernels::default_kernel_table_path()
                                                                      : options.kernel_table);
}

kernels::GlitchTable load_glitches(const ArchiveOptions& options) {
  return kernels::GlitchTable::load_file(options.glitches.empty() ? kernels::default_glitches_path()
                                                                  : options.glitches);
}

} // namespace kct::cli
