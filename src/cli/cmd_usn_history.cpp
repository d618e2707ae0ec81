// `kct usn history ID`: every change to a notice, oldest first: when, who, what action, the
// revision it made, the comment, and the paths its JSON Patch touched.
#include "cli/usn_common.h"

#include <fmt/format.h>

namespace kct::cli {

int cmd_usn_history(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Show a notice's history, oldest first. Text: one line per change, then the JSON Patch\n"
               "operations indented; --json: the entries with their full patches.",
               usn_app_name("history"));
  add_global_options(app, ctx.options());
  std::string location;
  add_usn_db_option(app, location);
  std::string id;
  bool json = false;
  app.add_option("ID", id, "USN id, or reverted-CVEs for the reverted list")->required();
  app.add_flag("--json", json, "Print a JSON array of {sequence, at, author, action, revision, comment, patch}");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  std::unique_ptr<usn::Store> store = open_usn_store(location);
  std::optional<usn::UsnId> parsed = usn::parse_usn_id(id);
  std::vector<usn::HistoryEntry> entries = store->history(parsed ? parsed->text() : id);
  if (entries.empty()) {
    return usn_error("history", fmt::format("no history for {} in {}", id, store->location()));
  }
  if (json) {
    nlohmann::json array = nlohmann::json::array();
    for (const usn::HistoryEntry& e : entries) {
      array.push_back({{"sequence", e.sequence},
                       {"subject", e.subject},
                       {"at", e.at},
                       {"author", e.author},
                       {"action", e.action},
                       {"revision", e.revision},
                       {"comment", e.comment},
                       {"patch", e.patch}});
    }
    print_json(array);
    return 0;
  }
  std::string out;
  for (const usn::HistoryEntry& e : entries) {
    out += fmt::format("{} {} {} revision {}{}\n", e.at, e.author, e.action, e.revision,
                       e.comment.empty() ? "" : ": " + e.comment);
    if (e.patch.is_array()) {
      for (const nlohmann::json& op : e.patch) {
        std::string path = op.value("path", "");
        out += fmt::format("    {} {}\n", op.value("op", "?"), path.empty() ? "(whole notice)" : path);
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

} // namespace kct::cli
