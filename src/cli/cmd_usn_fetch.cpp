// `kct usn fetch URL`, replacing fetch-db (uct doc §10.4): downloads URL and the checksum
// beside it (URL.sha256), verifies the download, unpacks a .bz2, and imports the notices
// (JSON or pickle) in one transaction. Any failure imports nothing and names the URL.
#include "cli/usn_common.h"
#include "cli/usn_fetch_io.h"

#include "net/http.h"
#include "util/error.h"
#include "util/files.h"

#include <fmt/format.h>

namespace kct::cli {
namespace {

bool is_bzip2(const std::string& url, std::string_view bytes) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  return path.ends_with(".bz2") || bytes.starts_with("BZh");
}

} // namespace

int cmd_usn_fetch(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Download a USN database (database.pickle[.bz2], database.json, a notice JSON) and import\n"
               "it in one transaction, after checking it against the SHA-256 in URL.sha256 (sha256sum's\n"
               "`<hex>  <name>`, or the hex alone). A .bz2 download is unpacked. On any failure nothing is\n"
               "imported.",
               usn_app_name("fetch"));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::string& location = write.location;
  AuthorOptions& author = write.author;
  std::string url;
  std::string sha256_url;
  std::string save;
  bool any_release = false;
  app.add_option("URL", url, "What to download, e.g. https://…/usn/database.pickle.bz2")->required();
  app.add_option("--sha256-url", sha256_url, "Where the checksum is (default: URL.sha256)");
  app.add_option("--save", save, "Also write the (unpacked) download to this file, as fetch-db did");
  app.add_flag("--allow-unknown-releases", any_release, "Accept release names the catalog does not know");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  if (sha256_url.empty()) {
    sha256_url = url + ".sha256";
  }
  std::vector<usn::Notice> notices;
  try {
    std::string body = net::http_get(url);
    std::string expected = parse_sha256_file(net::http_get(sha256_url), sha256_url);
    std::string actual = sha256_hex(body);
    if (actual != expected) {
      throw Error(
          fmt::format("{}: checksum mismatch: {} says {}, the download has {}", url, sha256_url, expected, actual));
    }
    if (is_bzip2(url, body)) {
      body = bunzip2(body, url);
    }
    notices = parse_notices(body, url);
    if (!any_release) {
      for (const usn::Notice& notice : notices) {
        check_releases(ctx.catalog(), notice, url);
      }
    }
    if (!save.empty()) {
      util::write_file_atomically(save, body);
    }
  } catch (const Error& e) {
    return usn_error("fetch", std::string(e.what()) + " (nothing imported)");
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  usn::Author who = author.author();
  if (who.comment.empty()) {
    who.comment = "fetched from " + url;
  }
  store->put_all(notices, who);
  if (!ctx.options().quiet) {
    std::fprintf(stderr, "kct usn fetch: %zu notices from %s into %s\n", notices.size(), url.c_str(),
                 store->location().c_str());
  }
  return 0;
}

} // namespace kct::cli
