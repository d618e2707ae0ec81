// `kct show CVE-ID [--json]`: one CVE file, as it reads or as structured data.
#include "cli/commands.h"
#include "cli/json_output.h"

#include <fmt/format.h>

namespace kct::cli {

int cmd_show(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Show one CVE file: its text, or with --json its parsed fields, notes, patches, "
               "break-fix pairs and status entries.",
               "show");
  add_global_options(app, ctx.options());
  std::string id;
  bool json = false;
  app.add_option("cve", id, "CVE id, e.g. CVE-2019-15794")->required();
  app.add_flag("--json", json, "Print JSON");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  tracker::Tracker& t = ctx.tracker();
  std::vector<const tracker::TrackedFile*> found = t.find(id);
  if (found.empty()) {
    // A file that is there but could not be read says so, rather than "not found".
    for (const util::Diagnostic& d : t.diagnostics()) {
      if (d.path.size() > id.size() &&
          d.path.compare(d.path.size() - id.size() - 1, std::string::npos, "/" + id) == 0) {
        std::fprintf(stderr, "%s\n", util::format(d).c_str());
        return 1;
      }
    }
    std::fprintf(stderr, "kct show: error: %s is not in %s (active, retired, ignored)\n", id.c_str(), t.root().c_str());
    return 1;
  }
  if (found.size() > 1) {
    std::fprintf(stderr, "kct show: warning: %s is in %zu directories; showing %s\n", id.c_str(), found.size(),
                 found[0]->file.path().c_str());
  }
  const tracker::TrackedFile& tf = *found[0];
  if (json) {
    std::string out = cve_to_json(t.catalog(), tf).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else {
    std::fwrite(tf.file.text().data(), 1, tf.file.text().size(), stdout);
  }
  for (const util::Diagnostic& d : tf.file.diagnostics()) {
    std::fprintf(stderr, "%s\n", util::format(d).c_str());
  }
  return tf.file.has_errors() ? 1 : 0;
}

} // namespace kct::cli
