// `kct usn import FILE…`: per-notice JSON, the database.json dict or a pickle (told apart by
// content), every file read and checked first, then all notices written in one transaction:
// a bad file imports nothing.
#include "cli/usn_common.h"

#include "util/error.h"

#include <fmt/format.h>

namespace kct::cli {

int cmd_usn_import(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Import notices in one transaction: nothing is imported unless every file reads.\n"
               "Each FILE is a notice JSON file, a database.json dict or a pickle (database.pickle),\n"
               "recognised by its content. A notice already in the store is replaced.",
               usn_app_name("import"));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::string& location = write.location;
  AuthorOptions& author = write.author;
  std::vector<std::string> files;
  bool any_release = false;
  app.add_option("FILE", files, "Files to import")->required();
  app.add_flag("--allow-unknown-releases", any_release, "Accept release names the catalog does not know");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::vector<usn::Notice> notices;
  try {
    for (const std::string& file : files) {
      std::vector<usn::Notice> read = read_notices(file);
      for (usn::Notice& notice : read) {
        if (!any_release) {
          check_releases(ctx.catalog(), notice, file);
        }
        notices.push_back(std::move(notice));
      }
    }
  } catch (const Error& e) {
    return usn_error("import", std::string(e.what()) + " (nothing imported)");
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  store->put_all(notices, author.author());
  if (!ctx.options().quiet) {
    std::fprintf(stderr, "kct usn import: %zu notices from %zu files into %s\n", notices.size(), files.size(),
                 store->location().c_str());
  }
  return 0;
}

} // namespace kct::cli
