// `kct report`: the morning view. For each live release and each kernel, how many active CVEs
// are needs-triage, needed and pending.
#include "cli/commands.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kct::cli {

namespace {
struct Row {
  std::string release;
  std::string kernel;
  size_t counts[3] = {0, 0, 0};
};

constexpr tracker::State k_open_states[3] = {tracker::State::needs_triage, tracker::State::needed,
                                             tracker::State::pending};

size_t count_active(const tracker::Tracker& t, const std::vector<tracker::EntryRef>& refs) {
  size_t n = 0;
  for (const tracker::EntryRef& r : refs) {
    n += t.files()[r.file].directory == tracker::Directory::active ? 1 : 0;
  }
  return n;
}
} // namespace

int cmd_report(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Open kernel CVEs (active/) per live release and kernel: needs-triage, needed, pending.\n"
               "Rows are the catalog's kernels of each release, plus any kernel with open entries there.",
               "report");
  add_global_options(app, ctx.options());
  bool json = false;
  bool all = false;
  app.add_flag("--json", json, "Print JSON");
  app.add_flag("--all", all, "Also list kernels with nothing open");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  tracker::Tracker& t = ctx.tracker();
  const catalog::Catalog& c = t.catalog();
  std::vector<Row> rows;
  for (const std::string& key : c.supported_release_keys()) {
    std::string_view real = c.resolve_alias(key);
    std::optional<catalog::ReleaseId> id = c.find(key);
    if (!id) {
      continue;
    }
    for (const std::string& kernel : c.kernel_sources()) {
      Row row{std::string(real), kernel};
      size_t total = 0;
      for (int s = 0; s < 3; ++s) {
        row.counts[s] = count_active(t, t.entries(*id, kernel, k_open_states[s]));
        total += row.counts[s];
      }
      bool in_catalog = false;
      for (const catalog::Kernel* k : c.kernels_of(real)) {
        in_catalog = in_catalog || k->source == kernel;
      }
      if (total > 0 || (all && in_catalog)) {
        rows.push_back(std::move(row));
      }
    }
  }
  std::string out;
  if (json) {
    nlohmann::json array = nlohmann::json::array();
    for (const Row& r : rows) {
      array.push_back({{"release", r.release},
                       {"kernel", r.kernel},
                       {"needs_triage", r.counts[0]},
                       {"needed", r.counts[1]},
                       {"pending", r.counts[2]}});
    }
    out = array.dump(2) + "\n";
  } else {
    out = fmt::format("{:<12} {:<20} {:>12} {:>7} {:>7}\n", "release", "kernel", "needs-triage", "needed", "pending");
    size_t totals[3] = {0, 0, 0};
    for (const Row& r : rows) {
      out +=
          fmt::format("{:<12} {:<20} {:>12} {:>7} {:>7}\n", r.release, r.kernel, r.counts[0], r.counts[1], r.counts[2]);
      for (int s = 0; s < 3; ++s) {
        totals[s] += r.counts[s];
      }
    }
    out += fmt::format("{:<12} {:<20} {:>12} {:>7} {:>7}\n", "total", "", totals[0], totals[1], totals[2]);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  ctx.warn_about_broken_files("report");
  return 0;
}

} // namespace kct::cli
