// `kct usn add-source|add-binary|add-url`: a release's entries, as usn.py's --release R
// --package P --source-version V [--source-description D], --binary-version /
// --all-binary-version, and --arch A --url U --url-size S --url-md5 M (uct doc §10.2).
// The release must be a plain codename of the catalog.
#include "cli/usn_common.h"

#include "util/error.h"

#include <fmt/format.h>

namespace kct::cli {
namespace {

struct ReleaseArgs {
  std::string location;
  AuthorOptions author;
  std::string id;
  std::string release;
  std::optional<int64_t> expected;
};

void add_common(CLI::App& app, Context& ctx, ReleaseArgs& a) {
  add_global_options(app, ctx.options());
  add_usn_db_option(app, a.location);
  add_author_options(app, a.author);
  add_expect_revision_option(app, a.expected);
  app.add_option("ID", a.id, "USN id")->required();
  app.add_option("RELEASE", a.release, "Release codename, e.g. bionic")->required();
}

int edit_release(Context& ctx, const char* sub, ReleaseArgs& a, const std::function<void(usn::Release&)>& change) {
  const catalog::Catalog& catalog = ctx.catalog();
  if (a.release.find('/') != std::string::npos || catalog.find_release(a.release) == nullptr) {
    return usn_error(
        sub, fmt::format("unknown release '{}' (not a plain codename of the catalog {})", a.release, catalog.path()));
  }
  std::unique_ptr<usn::Store> store = open_usn_store(a.location);
  return edit_notice(*store, sub, a.id, a.expected, a.author.author(),
                     [&](usn::Notice& notice) { change(notice.releases[a.release]); });
}

} // namespace

int cmd_usn_add_source(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Set releases.RELEASE.sources.SOURCE.version (and its description).", usn_app_name("add-source"));
  ReleaseArgs a;
  add_common(app, ctx, a);
  std::string source;
  std::string version;
  std::optional<std::string> description;
  app.add_option("SOURCE", source, "Source package")->required();
  app.add_option("VERSION", version, "Fixed version")->required();
  app.add_option("--description", description, "The source's one-line description");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  return edit_release(ctx, "add-source", a, [&](usn::Release& release) {
    if (!release.sources) {
      release.sources.emplace();
    }
    usn::SourceEntry& e = (*release.sources)[source];
    e.version = version;
    if (description) {
      e.description = *description;
    }
  });
}

int cmd_usn_add_binary(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Set releases.RELEASE.binaries.BINARY.version, or allbinaries with --all.", usn_app_name("add-binary"));
  ReleaseArgs a;
  add_common(app, ctx, a);
  std::string binary;
  std::string version;
  std::optional<std::string> pocket;
  std::optional<std::string> source;
  bool all = false;
  app.add_option("BINARY", binary, "Binary package")->required();
  app.add_option("VERSION", version, "Fixed version")->required();
  app.add_option("--pocket", pocket, "Pocket: security, esm-infra, esm-apps");
  app.add_option("--source", source, "The source it is built from, when not of the same name");
  app.add_flag("--all", all, "An all-binaries entry (the complete list) instead of binaries");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  return edit_release(ctx, "add-binary", a, [&](usn::Release& release) {
    auto& map = all ? release.allbinaries : release.binaries;
    if (!map) {
      map.emplace();
    }
    usn::BinaryEntry& e = (*map)[binary];
    e.version = version;
    if (pocket) {
      e.pocket = *pocket;
    }
    if (source) {
      e.source = *source;
    }
  });
}

int cmd_usn_add_url(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Set releases.RELEASE.archs.ARCH.urls.URL to {md5, size}.", usn_app_name("add-url"));
  ReleaseArgs a;
  add_common(app, ctx, a);
  std::string arch;
  std::string url;
  int64_t size = 0;
  std::string md5;
  app.add_option("ARCH", arch, "Architecture, or source / all")->required();
  app.add_option("URL", url, "Download URL")->required();
  app.add_option("--size", size, "Size in bytes")->required()->check(CLI::NonNegativeNumber);
  app.add_option("--md5", md5, "MD5 sum, 32 hex digits")->required();
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  if (md5.size() != 32 || md5.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return usn_error("add-url", fmt::format("--md5 '{}' is not 32 hex digits", md5));
  }
  return edit_release(ctx, "add-url", a, [&](usn::Release& release) {
    if (!release.archs) {
      release.archs.emplace();
    }
    usn::ArchEntry& entry = (*release.archs)[arch];
    if (!entry.urls) {
      entry.urls.emplace();
    }
    usn::UrlEntry& u = (*entry.urls)[url];
    u.md5 = md5;
    u.size = size;
  });
}

} // namespace kct::cli
