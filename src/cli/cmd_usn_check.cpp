// `kct usn check [ID…]`: the rules of check-unreplaced-templates.py and usn_lib's
// packages_dict (uct doc §10.2). Errors: a missing description, title or summary; "XXX" in
// description, title, summary, cves or action; the same (release, source, version) in two
// notices that have cves ("Saw … twice"). Warnings: "XXX" in isummary, a "(needed)" binary
// version, a release without binaries. Exit 1 on any error.
#include "cli/usn_common.h"

#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>

namespace kct::cli {
namespace {

struct Finding {
  std::string usn;
  bool error = false;
  std::string message;
};

void check_notice(const usn::Notice& n, std::vector<Finding>& out) {
  auto error = [&](std::string message) { out.push_back({n.id, true, std::move(message)}); };
  auto warning = [&](std::string message) { out.push_back({n.id, false, std::move(message)}); };
  const std::pair<const char*, const std::optional<std::string>*> required[] = {
      {"description", &n.description}, {"title", &n.title}, {"summary", &n.summary}};
  for (const auto& [name, value] : required) {
    if (!*value) {
      error(fmt::format("no {}", name));
    }
  }
  const std::pair<const char*, const std::optional<std::string>*> templated[] = {
      {"description", &n.description}, {"title", &n.title}, {"summary", &n.summary}, {"action", &n.action}};
  for (const auto& [name, value] : templated) {
    if (*value && (*value)->find("XXX") != std::string::npos) {
      error(fmt::format("unreplaced XXX in {}", name));
    }
  }
  for (const std::string& cve : n.cves.value_or(std::vector<std::string>{})) {
    if (cve.find("XXX") != std::string::npos) {
      error(fmt::format("unreplaced XXX in cves: {}", cve));
    }
  }
  if (n.isummary && n.isummary->find("XXX") != std::string::npos) {
    warning("unreplaced XXX in isummary");
  }
  for (const auto& [name, release] : n.releases) {
    if (!release.binaries || release.binaries->empty()) {
      warning(fmt::format("release {} has no binaries", name));
      continue;
    }
    for (const auto& [binary, entry] : *release.binaries) {
      if (entry.version && entry.version->find("(needed)") != std::string::npos) {
        warning(fmt::format("binary {} in {} has version {}", binary, name, *entry.version));
      }
    }
  }
}

// usn_lib.packages_dict: notices with cves, releases with sources, one notice per version.
void check_duplicates(const std::vector<usn::Notice>& notices, const std::set<std::string>& selected,
                      std::vector<Finding>& out) {
  std::map<std::tuple<std::string, std::string, std::string>, std::string> seen; // (rel, src, version) -> usn
  for (const usn::Notice& n : notices) {
    if (!n.cves) {
      continue;
    }
    for (const auto& [rel, release] : n.releases) {
      for (const auto& [src, entry] : release.sources.value_or(std::map<std::string, usn::SourceEntry>{})) {
        std::string version = entry.version.value_or("");
        auto [it, fresh] = seen.emplace(std::make_tuple(rel, src, version), n.id);
        if (!fresh && it->second != n.id && (selected.empty() || selected.count(n.id) || selected.count(it->second))) {
          out.push_back(
              {n.id, true, fmt::format("Saw {} {} in {} twice (also in USN {})", src, version, rel, it->second)});
        }
      }
    }
  }
}

} // namespace

int cmd_usn_check(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Check notices for unreplaced templates and duplicate versions (check-unreplaced-templates\n"
               "and usn_lib rules). Prints `<id>: error|warning: <message>`; exit 1 when there is an error.",
               usn_app_name("check"));
  add_global_options(app, ctx.options());
  std::string location;
  add_usn_db_option(app, location);
  std::vector<std::string> ids;
  bool json = false;
  app.add_option("ID", ids, "Only these notices (default: all)");
  app.add_flag("--json", json, "Print a JSON array of {usn, severity, message}");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  std::vector<usn::Notice> notices = all_notices(*store);
  std::set<std::string> selected;
  for (const std::string& id : ids) {
    std::optional<usn::UsnId> parsed = usn::parse_usn_id(id);
    std::string canonical = parsed ? parsed->text() : id;
    if (!store->get(canonical)) {
      return usn_error("check", fmt::format("no USN {} in {}", id, store->location()));
    }
    selected.insert(canonical);
  }
  std::vector<Finding> findings;
  for (const usn::Notice& n : notices) {
    if (selected.empty() || selected.count(n.id)) {
      check_notice(n, findings);
    }
  }
  check_duplicates(notices, selected, findings);
  size_t errors = 0;
  std::string out;
  nlohmann::json array = nlohmann::json::array();
  for (const Finding& f : findings) {
    errors += f.error ? 1 : 0;
    if (json) {
      array.push_back({{"usn", f.usn}, {"severity", f.error ? "error" : "warning"}, {"message", f.message}});
    } else {
      out += fmt::format("{}: {}: {}\n", f.usn, f.error ? "error" : "warning", f.message);
    }
  }
  if (json) {
    print_json(array);
  } else {
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  if (!ctx.options().quiet) {
    std::fprintf(stderr, "kct usn check: %zu notices, %zu errors, %zu warnings\n",
                 selected.empty() ? notices.size() : selected.size(), errors, findings.size() - errors);
  }
  return errors > 0 ? 1 : 0;
}

} // namespace kct::cli
