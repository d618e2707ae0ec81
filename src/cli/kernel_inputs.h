#pragma once
// Options the kernel notice commands share (usn prepare, signoff): where the archive indices
// are (the primary archive's mirror, or a PPA), which pocket, and the kernel data files.
#include "archive/archive_view.h"
#include "kernels/glitches.h"
#include "kernels/kernel_table.h"

#include <CLI/CLI.hpp>
#include <string>

namespace kct::cli {

struct ArchiveOptions {
  std::string mirror;         // --mirror, else $KCT_MIRROR
  std::string ppa = "ubuntu"; // --ppa: `ubuntu` is the primary archive (the mirror)
  std::string ppa_base;       // --ppa-base, else $KCT_PPA_BASE, else Launchpad's
  std::string pocket;         // --pocket; default by ppa
  std::string kernel_table;   // --kernel-table, else the installed data/kernel-usn.yaml
  std::string glitches;       // --glitches, else the installed data/kernel-glitches.yaml
};

void add_archive_options(CLI::App& app, ArchiveOptions& options, std::string_view default_pocket_help);

// --mirror's default: $KCT_MIRROR, else "".
std::string default_mirror();

// The location to read: the PPA when one is named, else the mirror. Throws kct::Error when
// neither is given.
archive::ArchiveLocation archive_location(const ArchiveOptions& options);
bool is_primary_archive(const ArchiveOptions& options);
// --pocket, else `fallback` for the primary archive and the release pocket for a PPA (a PPA
// publishes nothing else). Throws kct::Error for an unknown pocket name.
archive::Pocket archive_pocket(const ArchiveOptions& options, archive::Pocket fallback);

kernels::KernelTable load_kernel_table(const ArchiveOptions& options);
kernels::GlitchTable load_glitches(const ArchiveOptions& options);

} // namespace kct::cli
