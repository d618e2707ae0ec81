// `kct usn export`: the store as per-notice JSON files, the database.json dict, or the legacy
// pickle for the old scripts. Every file is written atomically.
#include "cli/usn_common.h"

#include "usn/json_io.h"
#include "usn/pickle.h"
#include "util/error.h"
#include "util/files.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::cli {

int cmd_usn_export(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Export the store. json: one <ID>.json per notice into --out DIR; database-json: the\n"
               "{id: notice} dict; pickle: that dict pickled, as database.pickle. Without --out the\n"
               "single-file forms go to stdout.",
               usn_app_name("export"));
  add_global_options(app, ctx.options());
  std::string location;
  add_usn_db_option(app, location);
  std::string format = "database-json";
  int protocol = 2;
  std::string out;
  int indent = -1;
  app.add_option("--format", format, "json, database-json or pickle (default: database-json)")
      ->check(CLI::IsMember({"json", "database-json", "pickle"}));
  app.add_option("--protocol", protocol,
                 "Pickle protocol 2-5 (default: 2, which Python 2 scripts such as usndb-tool can read)")
      ->check(CLI::Range(2, 5));
  app.add_option("--out", out, "Output file (database-json, pickle) or directory (json)");
  app.add_option("--indent", indent, "Indent database-json by this many spaces (default: compact)");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  std::vector<usn::Notice> notices = all_notices(*store);
  if (format == "json") {
    if (out.empty()) {
      return usn_error("export", "--format json writes one file per notice and needs --out DIR");
    }
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) {
      throw Error(fmt::format("{}: cannot create directory: {}", out, ec.message()));
    }
    for (const usn::Notice& notice : notices) {
      usn::write_notice_file(out + "/" + notice.id + ".json", notice);
    }
  } else {
    std::string bytes = format == "pickle"
                            ? usn::write_pickle(nlohmann::ordered_json(usn::database_to_json(notices)), protocol)
                            : usn::dump_database(notices, indent) + "\n";
    if (out.empty() || out == "-") {
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    } else {
      util::write_file_atomically(out, bytes);
    }
  }
  if (!ctx.options().quiet && !out.empty() && out != "-") {
    std::fprintf(stderr, "kct usn export: %zu notices to %s\n", notices.size(), out.c_str());
  }
  return 0;
}

} // namespace kct::cli
