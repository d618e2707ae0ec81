// `kct usn publish ID…`: reviewed drafts become published notices (usn/publish.h): each one
// stored and its tracker CVE files marked, in one all-or-nothing step per notice, then the
// website page, notice JSON and OSV record written when their directories are given, and the
// announcement e-mail printed. Several ids are independent: one failing does not stop the
// others, and the exit code reports the worst.
#include "cli/usn_common.h"
#include "usn/draft.h"
#include "usn/publish.h"
#include "util/error.h"
#include "util/files.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::cli {
namespace {

usn::RevertedList read_list(const std::string& path) {
  std::string text;
  if (util::read_file(path, text)) {
    return {}; // not there: nothing is reverted or ignored
  }
  return usn::parse_reverted(text, path);
}

nlohmann::json result_json(const usn::PublishResult& r, bool dry_run) {
  nlohmann::json outputs = nlohmann::json::array();
  for (const usn::OutputFile& o : r.outputs) {
    outputs.push_back({{"kind", o.kind}, {"path", o.path}, {"action", usn::file_action_name(o.action)}});
  }
  bool changed = r.created || !r.tracker_files.empty();
  return {{"id", r.id},
          {"status", dry_run   ? "dry-run"
                     : changed ? "published"
                               : "unchanged"},
          {"draft", r.draft},
          {"created", r.created},
          {"revision", r.revision},
          {"timestamp", r.notice.timestamp ? r.notice.timestamp->to_json() : nlohmann::json()},
          {"tracker_files", r.tracker_files},
          {"messages", r.messages},
          {"sync_errors", r.sync_errors},
          {"outputs", outputs},
          {"email", r.email}};
}

// What happened, on stderr: stdout carries the e-mail.
void report(const usn::PublishResult& r, bool dry_run) {
  std::string out;
  for (const std::string& m : r.messages) {
    out += "  " + m + "\n";
  }
  const char* verb = dry_run ? "would " : "";
  std::string stored = r.created ? fmt::format("{}store it", verb) : "already stored, equal";
  if (r.revision > 0) {
    stored += fmt::format(" (revision {})", r.revision);
  }
  out += fmt::format("kct usn publish: USN {}: {}; {}mark {} tracker file(s)\n", r.id, stored, verb,
                     r.tracker_files.size());
  for (const std::string& f : r.tracker_files) {
    out += "  " + f + "\n";
  }
  for (const usn::OutputFile& o : r.outputs) {
    out += fmt::format("  {} {}: {}\n", o.kind, o.path, usn::file_action_name(o.action));
  }
  std::fputs(out.c_str(), stderr);
}

} // namespace

int cmd_usn_publish(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Publish reviewed drafts (<draft-dir>/USN-<id>.yaml). Per notice, all or nothing: store it\n"
               "(a new one gets the current timestamp; one stored with the same content is left alone,\n"
               "one stored with other content is refused) and mark the tracker as sync-from-usns does\n"
               "(pending -> released, the USN reference, PublicDateAtUSN). Then write the outputs whose\n"
               "directories are given, each only when its bytes change, and print the announcement\n"
               "e-mail. Publishing again changes nothing.",
               usn_app_name("publish"));
  WriteOptions write;
  add_write_options(app, ctx, write);
  std::vector<std::string> ids;
  usn::PublishOptions options;
  options.draft_dir = usn::default_draft_dir();
  std::string website;
  std::string json_dir;
  std::string osv_dir;
  bool json = false;
  app.add_option("ID", ids, "USN ids, e.g. 4210-1")->required();
  app.add_option("--draft-dir", options.draft_dir, "Where the drafts are (default: $KCT_USN_DRAFTS, else usn-drafts)");
  app.add_option("--website", website, "Website tree: write content/<id>.md (default: not written)");
  app.add_option("--json-dir", json_dir, "Write the notice JSON as <dir>/<id>.json (default: not written)");
  app.add_option("--osv-dir", osv_dir, "Write the OSV record as <dir>/USN-<id>.json (default: not written)");
  app.add_flag("-n,--dry-run", options.dry_run, "Show what would be stored, marked and written; write nothing");
  app.add_flag("--json", json, "Print a JSON list of results instead of the e-mails");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  auto given = [](const std::string& dir) { return dir.empty() ? std::nullopt : std::optional<std::string>(dir); };
  options.website_dir = given(website);
  options.json_dir = given(json_dir);
  options.osv_dir = given(osv_dir);
  options.author = write.author.author();
  const std::string& root = ctx.options().tracker;
  std::error_code ec;
  if (!std::filesystem::is_directory(root + "/active", ec)) {
    return usn_error("publish", fmt::format("{} does not look like a tracker (no active/ directory); use --tracker "
                                            "DIR or set UCT",
                                            root));
  }
  std::unique_ptr<usn::Store> store = open_usn_store(write.location);
  usn::PublishTracker tracker{root, store->reverted(),
                              read_list(root + "/meta_lists/ignored-modified-USN-descriptions.txt")};
  if (tracker.reverted.empty()) {
    tracker.reverted = read_list(root + "/meta_lists/reverted-CVEs.txt");
  }
  int exit_code = 0;
  nlohmann::json results = nlohmann::json::array();
  std::string emails;
  for (const std::string& id : ids) {
    try {
      usn::PublishResult r = usn::publish_notice(id, *store, tracker, ctx.catalog(), options);
      results.push_back(result_json(r, options.dry_run));
      emails += (emails.empty() ? "" : "\n") + r.email;
      if (!ctx.options().quiet || options.dry_run) {
        report(r, options.dry_run);
      }
    } catch (const usn::PublishWriteError& e) {
      results.push_back({{"id", id}, {"status", "failed"}, {"error", e.what()}});
      usn_error("publish", e.what());
      exit_code = 2;
    } catch (const Error& e) {
      results.push_back({{"id", id}, {"status", "failed"}, {"error", e.what()}});
      usn_error("publish", e.what());
      exit_code = std::max(exit_code, 1);
    }
  }
  if (json) {
    print_json(results);
  } else {
    std::fwrite(emails.data(), 1, emails.size(), stdout);
  }
  return exit_code;
}

} // namespace kct::cli
