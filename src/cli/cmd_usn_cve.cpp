// `kct usn add-cve ID CVE…` and `kct usn remove-cve ID CVE…`: the notice's `cves` list, in
// published order (new ones appended, duplicates ignored).
#include "cli/usn_common.h"

#include "util/error.h"

#include <algorithm>
#include <fmt/format.h>

namespace kct::cli {
namespace {

int edit_cves(Context& ctx, const std::vector<std::string>& args, bool add) {
  const char* sub = add ? "add-cve" : "remove-cve";
  CLI::App app(add ? "Add CVEs (or bug URLs) to a notice's cves, in one transaction."
                   : "Remove CVEs from a notice's cves, in one transaction; each must be listed.",
               usn_app_name(sub));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::string& location = write.location;
  AuthorOptions& author = write.author;
  std::string id;
  std::vector<std::string> cves;
  std::optional<int64_t> expected;
  app.add_option("ID", id, "USN id")->required();
  app.add_option("CVE", cves, "CVE ids or URLs")->required();
  add_expect_revision_option(app, expected);
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  return edit_notice(*store, sub, id, expected, author.author(), [&](usn::Notice& notice) {
    std::vector<std::string> list = notice.cves.value_or(std::vector<std::string>{});
    for (const std::string& cve : cves) {
      auto it = std::find(list.begin(), list.end(), cve);
      if (add && it == list.end()) {
        list.push_back(cve);
      } else if (!add) {
        if (it == list.end()) {
          throw Error(fmt::format("{} is not in the cves of USN {}", cve, notice.id));
        }
        list.erase(it);
      }
    }
    notice.cves = list;
  });
}

} // namespace

int cmd_usn_add_cve(Context& ctx, const std::vector<std::string>& args) {
  return edit_cves(ctx, args, true);
}

int cmd_usn_remove_cve(Context& ctx, const std::vector<std::string>& args) {
  return edit_cves(ctx, args, false);
}

} // namespace kct::cli
