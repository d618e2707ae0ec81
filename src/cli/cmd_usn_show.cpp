// `kct usn show ID`: one notice with its revision (which an edit can pass back as
// --expect-revision), as readable text or --json {revision, notice}.
#include "cli/usn_common.h"

#include "usn/notice_json.h"

#include <ctime>
#include <fmt/format.h>

namespace kct::cli {
namespace {

std::string utc(double seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

void field(std::string& out, std::string_view name, const std::optional<std::string>& value) {
  if (!value) {
    return;
  }
  if (value->find('\n') == std::string::npos) {
    out += fmt::format("{}: {}\n", name, *value);
    return;
  }
  out += fmt::format("{}:\n", name);
  size_t start = 0;
  while (start <= value->size()) {
    size_t end = value->find('\n', start);
    std::string_view line = std::string_view(*value).substr(start, end == std::string::npos ? end : end - start);
    out += line.empty() ? "\n" : fmt::format("  {}\n", line);
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
}

void binaries(std::string& out, const char* kind, const std::optional<std::map<std::string, usn::BinaryEntry>>& map) {
  for (const auto& [name, b] : map.value_or(std::map<std::string, usn::BinaryEntry>{})) {
    out += fmt::format("    {} {} {}", kind, name, b.version.value_or("(no version)"));
    out += b.pocket ? fmt::format(" [{}]", *b.pocket) : "";
    out += b.source ? fmt::format(" (source {})", *b.source) : "";
    out += "\n";
  }
}

std::string render(const usn::StoredNotice& stored) {
  const usn::Notice& n = stored.notice;
  std::string out = fmt::format("USN-{} (revision {})\n", n.id, stored.revision);
  field(out, "title", n.title);
  field(out, "summary", n.summary);
  field(out, "isummary", n.isummary);
  if (n.cves) {
    out += fmt::format("cves: {}\n", fmt::join(*n.cves, " "));
  }
  if (n.timestamp) {
    out += fmt::format("published: {}\n", utc(n.timestamp->seconds()));
  }
  field(out, "action", n.action);
  field(out, "description", n.description);
  for (const auto& [name, release] : n.releases) {
    out += fmt::format("release {}:\n", name);
    for (const auto& [src, s] : release.sources.value_or(std::map<std::string, usn::SourceEntry>{})) {
      out += fmt::format("    source {} {}{}\n", src, s.version.value_or("(no version)"),
                         s.description ? " - " + *s.description : "");
    }
    binaries(out, "binary", release.binaries);
    binaries(out, "allbinary", release.allbinaries);
    for (const auto& [arch, a] : release.archs.value_or(std::map<std::string, usn::ArchEntry>{})) {
      for (const auto& [url, u] : a.urls.value_or(std::map<std::string, usn::UrlEntry>{})) {
        out += fmt::format("    url {} {} size {} md5 {}\n", arch, url, u.size ? std::to_string(*u.size) : "?",
                           u.md5.value_or("?"));
      }
    }
  }
  return out;
}

} // namespace

int cmd_usn_show(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Show one notice and its revision. --json prints {\"revision\": N, \"notice\": {...}}\n"
               "with the notice in the published JSON layout.",
               usn_app_name("show"));
  add_global_options(app, ctx.options());
  std::string location;
  add_usn_db_option(app, location);
  std::string id;
  bool json = false;
  app.add_option("ID", id, "USN id, e.g. 4151-2 or USN-4151-2")->required();
  app.add_flag("--json", json, "Print JSON");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  std::optional<usn::UsnId> parsed = usn::parse_usn_id(id);
  std::optional<usn::StoredNotice> stored = store->get(parsed ? parsed->text() : id);
  if (!stored) {
    return usn_error("show", fmt::format("no USN {} in {}", id, store->location()));
  }
  if (json) {
    print_json({{"revision", stored->revision}, {"notice", usn::notice_to_json(stored->notice)}});
  } else {
    std::fputs(render(*stored).c_str(), stdout);
  }
  return 0;
}

} // namespace kct::cli
