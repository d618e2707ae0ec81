// `kct usn list`: notice ids in USN order with their titles, filtered by CVE, package
// (source, binary or all-binary name) and release.
#include "cli/usn_common.h"

#include <fmt/format.h>

namespace kct::cli {

int cmd_usn_list(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("List notices, one `<id> <title>` per line; filters combine (with --release, --package\n"
               "must be in that release).",
               usn_app_name("list"));
  add_global_options(app, ctx.options());
  std::string location;
  add_usn_db_option(app, location);
  std::string cve;
  std::string package;
  std::string release;
  bool json = false;
  app.add_option("--cve", cve, "Only notices listing this CVE");
  app.add_option("-p,--package", package, "Only notices naming this source, binary or all-binary package");
  app.add_option("-r,--release", release, "Only notices with this release");
  app.add_flag("--json", json, "Print a JSON array of {id, title, revision}");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  usn::ListFilter filter;
  if (!cve.empty()) {
    filter.cve = cve;
  }
  if (!package.empty()) {
    filter.package = package;
  }
  if (!release.empty()) {
    filter.release = release;
  }
  std::string out;
  nlohmann::json array = nlohmann::json::array();
  for (const std::string& id : store->list(filter)) {
    std::optional<usn::StoredNotice> stored = store->get(id);
    if (!stored) {
      continue; // deleted since list()
    }
    std::string title = stored->notice.title.value_or("");
    if (json) {
      array.push_back({{"id", id}, {"title", title}, {"revision", stored->revision}});
    } else {
      out += fmt::format("{} {}\n", id, title);
    }
  }
  if (json) {
    print_json(array);
  } else {
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}

} // namespace kct::cli
