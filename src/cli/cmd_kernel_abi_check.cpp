// `kct kernel-abi-check`: which kernels need a notice, and whether every kernel's ABI agrees
// with its meta and signed packages in the archive (uct doc §9.12; the cron job whose mail the
// security team reads). The logic is workflow/abi_check; this file is options and output.
#include "cli/commands.h"
#include "cli/kernel_inputs.h"
#include "cli/usn_common.h"
#include "util/diagnostic.h"
#include "util/error.h"
#include "workflow/abi_check.h"

#include <fmt/format.h>

namespace kct::cli {
namespace {

nlohmann::json to_json(const workflow::AbiCheckReport& report) {
  static constexpr const char* k_kinds[] = {"usn", "meta-abi", "signed-abi", "archive"};
  nlohmann::json results = nlohmann::json::array();
  for (const workflow::CheckResult& r : report.results) {
    results.push_back({{"check", k_kinds[static_cast<size_t>(r.kind)]},
                       {"ok", r.ok},
                       {"release", r.release},
                       {"pocket", r.pocket},
                       {"source", r.source},
                       {"version", r.version},
                       {"against", r.against},
                       {"against_version", r.against_version},
                       {"message", r.text}});
  }
  return {{"ok", !report.failed()}, {"results", results}};
}

} // namespace

int cmd_kernel_abi_check(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("For each kernel of the live releases (ESM skipped, as the original does): a notice is needed when\n"
               "its -security version is newer than what its last notice fixed (glitch table applied); its\n"
               "ABI must match its meta package's and its signed package's in -updates and -security.\n"
               "Prints the failures (every check with -v); exit 1 when any check fails. The kernels, metas\n"
               "and glitches come from $KCT_KERNEL_TABLE and $KCT_KERNEL_GLITCHES (default: the installed\n"
               "kernel-usn.yaml and kernel-glitches.yaml).",
               "kernel-abi-check");
  add_global_options(app, ctx.options());
  std::string usn_db;
  add_usn_db_option(app, usn_db);
  std::string mirror = default_mirror();
  workflow::AbiCheckOptions options;
  bool verbose = false;
  bool json = false;
  app.add_flag("-v,--verbose", verbose, "Print the checks that pass too");
  app.add_flag("--ignore-usn", options.ignore_usn, "Skip the USN check");
  app.add_flag("--ignore-abi", options.ignore_abi, "Skip the ABI checks");
  app.add_flag("--add-proposed", options.add_proposed, "Check the ABIs in -proposed too");
  app.add_flag("--use-updates", options.use_updates, "The USN check looks at -updates instead of -security");
  app.add_option("--mirror", mirror,
                 "Archive: a mirror directory or http(s) URL holding dists/ (default: $KCT_MIRROR)");
  app.add_flag("--json", json, "Print {ok, results: [{check, ok, release, pocket, source, version, …}]}");
  app.add_option("kernel", options.kernels, "Only the kernels listing one of these sources");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  if (mirror.empty()) {
    std::fprintf(stderr, "kct kernel-abi-check: error: no archive: give --mirror DIR|URL or set KCT_MIRROR\n");
    return 1;
  }
  // The data: catalog, kernel table, glitches; then the kernels named, which must be in the table.
  const catalog::Catalog& catalog = ctx.catalog();
  kernels::KernelTable table = kernels::KernelTable::load_file(kernels::default_kernel_table_path());
  kernels::GlitchTable glitches = kernels::GlitchTable::load_file(kernels::default_glitches_path());
  for (const std::string& entry : table.unknown_sources(catalog)) {
    std::fprintf(stderr, "kct kernel-abi-check: warning: %s: the kernel table lists a kernel the catalog does not\n",
                 entry.c_str());
  }
  if (std::vector<std::string> unknown = workflow::unknown_kernels(table, options.kernels); !unknown.empty()) {
    std::fprintf(stderr, "kct kernel-abi-check: error: unknown kernel%s %s (not in %s)\n",
                 unknown.size() > 1 ? "s" : "", fmt::format("{}", fmt::join(unknown, ", ")).c_str(),
                 kernels::default_kernel_table_path().c_str());
    return 1;
  }
  // The archive (Sources only) and the store.
  archive::LoadOptions load;
  load.pockets = {archive::Pocket::release, archive::Pocket::updates, archive::Pocket::security};
  if (options.add_proposed) {
    load.pockets.push_back(archive::Pocket::proposed);
  }
  load.binaries = false;
  archive::ArchiveView view(archive::ArchiveLocation::parse(mirror), load);
  std::unique_ptr<usn::Store> store = options.ignore_usn ? nullptr : open_existing_usn_store(usn_db, "or --ignore-usn");
  // The check, then its lines.
  workflow::AbiCheckReport report = workflow::kernel_abi_check({catalog, table, &glitches, view, store.get()}, options);
  for (const util::Diagnostic& d : view.diagnostics()) {
    std::fprintf(stderr, "%s\n", util::format(d).c_str());
  }
  if (report.results.empty() && !options.kernels.empty() && !ctx.options().quiet) {
    std::fprintf(stderr, "kct kernel-abi-check: warning: none of the kernels named is in a live release\n");
  }
  if (json) {
    print_json(to_json(report));
    return report.exit_status();
  }
  std::string out;
  for (const workflow::CheckResult& r : report.results) {
    if (verbose || !r.ok) {
      out += r.text + "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return report.exit_status();
}

} // namespace kct::cli
