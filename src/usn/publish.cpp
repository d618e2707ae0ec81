#include "usn/publish.h"

#include "tracker/tracker.h"
#include "usn/draft.h"
#include "usn/json_io.h"
#include "usn/notice_json.h"
#include "usn/render_email.h"
#include "usn/render_osv.h"
#include "usn/render_web.h"
#include "usn/sync.h"
#include "util/error.h"
#include "util/files.h"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

namespace kct::usn {
namespace {

namespace fs = std::filesystem;

// The notice's tracker edits, computed in memory; `original` holds each file's bytes as read.
struct TrackerPlan {
  struct Change {
    std::string path;
    std::string original;
    std::string edited;
  };
  std::vector<Change> changes;
  SyncReport report;
};

// One rendered output and where it goes.
struct Output {
  std::string kind;
  std::string path;
  std::string bytes;
};

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    out += "\n  " + l;
  }
  return out;
}

// 1. The draft, parsed, ready to publish, and for this id.
Notice read_draft(const std::string& id, const std::string& path) {
  std::string text;
  if (std::optional<std::string> error = util::read_file(path, text)) {
    throw Error(fmt::format("USN {}: cannot read the draft {}: {}", id, path, *error));
  }
  std::vector<util::Diagnostic> problems = draft_problems(text, path);
  if (!problems.empty()) {
    std::vector<std::string> lines;
    for (const util::Diagnostic& d : problems) {
      lines.push_back(util::format(d));
    }
    throw Error(fmt::format("USN {}: the draft is not ready to publish:{}", id, join_lines(lines)));
  }
  Notice notice = parse_draft(text, path);
  if (notice.id != id) {
    throw Error(fmt::format("{}: the draft's id is {}, but its file name says USN-{}", path, notice.id, id));
  }
  return notice;
}

// Top-level keys whose values differ, ignoring the timestamp and how the id is written.
std::vector<std::string> differences(Notice a, Notice b) {
  a.timestamp = b.timestamp = std::nullopt;
  a.id_form = b.id_form = IdForm::bare;
  Json ja = notice_to_json(a);
  Json jb = notice_to_json(b);
  std::vector<std::string> keys;
  for (const auto& [key, value] : ja.items()) {
    if (!jb.contains(key) || jb[key] != value) {
      keys.push_back(key);
    }
  }
  for (const auto& [key, value] : jb.items()) {
    if (!ja.contains(key)) {
      keys.push_back(key);
    }
  }
  return keys;
}

// 4. The CVE files of the notice, read fresh, and sync-from-usns' edits of them in memory.
TrackerPlan plan_tracker(const Notice& notice, const PublishTracker& where, const catalog::Catalog& catalog) {
  TrackerPlan plan;
  tracker::LoadOptions load;
  load.jobs = 1;
  for (const std::string& cve : notice.cves.value_or(std::vector<std::string>{})) {
    for (const char* dir : {"active", "retired", "ignored"}) {
      std::string path = where.root + "/" + dir + "/" + cve;
      struct stat st {};
      if (cve.starts_with("CVE-") && cve.find('/') == std::string::npos && ::stat(path.c_str(), &st) == 0 &&
          S_ISREG(st.st_mode)) {
        load.only.push_back(path);
      }
    }
  }
  if (load.only.empty()) {
    return plan; // none of its CVEs is tracked: nothing to mark
  }
  std::unique_ptr<tracker::Tracker> tree = tracker::Tracker::load(where.root, catalog, load);
  if (!tree->diagnostics().empty()) {
    throw Error(fmt::format("USN {}: {}", notice.id, util::format(tree->diagnostics().front())));
  }
  std::map<std::string, std::string> originals;
  for (const tracker::TrackedFile& tf : tree->files()) {
    originals[tf.file.path()] = tf.file.text();
  }
  std::vector<Notice> notices = {notice};
  SyncInputs inputs{&notices, where.reverted, where.ignored_description};
  SyncOptions options;
  options.usn = notice.id;
  plan.report = sync_from_usns(*tree, catalog, inputs, options); // report mode: edits stay in memory
  if (plan.report.fatal) {
    throw Error(fmt::format("USN {}: the tracker cannot be marked:{}", notice.id, join_lines(plan.report.messages)));
  }
  for (const std::string& path : plan.report.changed_files) {
    for (const tracker::TrackedFile& tf : tree->files()) {
      if (tf.file.path() == path && tf.file.text() != originals[path]) {
        plan.changes.push_back(TrackerPlan::Change{path, originals[path], tf.file.text()});
      }
    }
  }
  return plan;
}

// Puts back the original bytes of the files already written; says which could not be.
std::string undo(const std::vector<TrackerPlan::Change>& written) {
  std::string failed;
  for (auto it = written.rbegin(); it != written.rend(); ++it) {
    try {
      util::write_file_atomically(it->path, it->original);
    } catch (const Error& e) {
      failed += fmt::format("; could NOT restore {}: {}", it->path, e.what());
    }
  }
  return failed.empty() ? fmt::format("; restored {} tracker file(s) already written", written.size()) : failed;
}

// 5a. The tracker files, each atomically; on a failure the ones written are restored.
void write_tracker(const std::string& id, const TrackerPlan& plan, std::vector<TrackerPlan::Change>& written) {
  for (const TrackerPlan::Change& change : plan.changes) {
    std::string on_disk;
    std::optional<std::string> error = util::read_file(change.path, on_disk);
    if (error) {
      std::string restored = undo(written);
      throw PublishWriteError(
          fmt::format("USN {}: cannot read {}: {}{}; nothing stored", id, change.path, *error, restored));
    }
    if (on_disk != change.original) {
      std::string restored = undo(written);
      throw Error(fmt::format("USN {}: {} changed on disk while publishing{}; nothing stored, publish again", id,
                              change.path, restored));
    }
    try {
      util::write_file_atomically(change.path, change.edited);
    } catch (const Error& e) {
      std::string restored = undo(written);
      throw PublishWriteError(fmt::format("USN {}: {}{}; nothing stored", id, e.what(), restored));
    }
    written.push_back(change);
  }
}

std::vector<Output> render_outputs(const Notice& notice, const catalog::Catalog& catalog,
                                   const PublishOptions& options) {
  std::vector<Output> out;
  if (options.website_dir) {
    out.push_back({"website", *options.website_dir + "/content/" + notice.id + ".md", render_web(notice, catalog)});
  }
  if (options.json_dir) {
    Notice published = notice;
    published.id_form = IdForm::prefixed;
    out.push_back({"json", *options.json_dir + "/" + notice.id + ".json", dump_notice(published) + "\n"});
  }
  if (options.osv_dir) {
    out.push_back({"osv", *options.osv_dir + "/USN-" + notice.id + ".json", render_osv(notice, catalog)});
  }
  return out;
}

// 6. One output, only when its bytes change.
FileAction write_output(const Output& output, bool dry_run) {
  std::string on_disk;
  if (!util::read_file(output.path, on_disk) && on_disk == output.bytes) {
    return FileAction::unchanged;
  }
  if (dry_run) {
    return FileAction::would_write;
  }
  std::error_code ec;
  fs::create_directories(fs::path(output.path).parent_path(), ec);
  if (ec) {
    throw Error(fmt::format("cannot create the directory of {}: {}", output.path, ec.message()));
  }
  util::write_file_atomically(output.path, output.bytes);
  return FileAction::written;
}

double clock_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// 2. A new notice gets its timestamp now; one stored with the same content is published
// again as stored; one stored with other content is refused.
Notice against_store(Notice draft, Store& store, PublishResult& result, const PublishOptions& options) {
  std::optional<StoredNotice> stored = store.get(result.id);
  if (!stored) {
    draft.id_form = IdForm::bare; // as usn.py stores it
    draft.timestamp = Timestamp{options.now.value_or(clock_now())};
    result.created = true;
    return draft;
  }
  std::vector<std::string> keys = differences(draft, stored->notice);
  if (!keys.empty()) {
    throw Error(fmt::format("USN {} is already in {} (revision {}) and differs from the draft {} in: {}. "
                            "Publishing never changes a stored notice: edit it with `kct usn set`, `add-cve`, "
                            "`add-source`, … (or `kct usn remove` it), or make the draft match it",
                            result.id, store.location(), stored->revision, result.draft, fmt::join(keys, ", ")));
  }
  result.revision = stored->revision;
  return std::move(stored->notice);
}

// 5. The tracker files, then the store as the commit point; a refused store write puts the
// tracker files back.
void commit(const TrackerPlan& plan, Store& store, PublishResult& result, const PublishOptions& options) {
  std::vector<TrackerPlan::Change> written;
  write_tracker(result.id, plan, written);
  if (!result.created) {
    return;
  }
  try {
    result.revision = store.put(result.notice, k_must_not_exist, options.author);
  } catch (const ConflictError& e) {
    std::string restored = undo(written);
    throw Error(fmt::format("USN {}: not stored: {}{}", result.id, e.what(), restored));
  } catch (const Error& e) {
    std::string restored = undo(written);
    throw PublishWriteError(fmt::format("USN {}: not stored: {}{}", result.id, e.what(), restored));
  }
}

} // namespace

const char* file_action_name(FileAction action) {
  switch (action) {
  case FileAction::written: return "written";
  case FileAction::unchanged: return "unchanged";
  case FileAction::would_write: return "would write";
  }
  return "unchanged";
}

PublishResult publish_notice(const std::string& requested, Store& store, const PublishTracker& tracker,
                             const catalog::Catalog& catalog, const PublishOptions& options) {
  std::optional<UsnId> parsed = parse_usn_id(requested);
  if (!parsed) {
    throw Error(fmt::format("'{}' is not a USN id (<number>-<n>, e.g. 4210-1)", requested));
  }
  PublishResult result;
  result.id = parsed->text();
  result.draft = draft_path(options.draft_dir, result.id);

  // 1. The draft; 2. the notice as it will be stored (or as it is).
  result.notice = against_store(read_draft(result.id, result.draft), store, result, options);
  // 3. Everything rendered before anything is written.
  result.email = render_email(result.notice, catalog);
  std::vector<Output> outputs = render_outputs(result.notice, catalog, options);
  // 4. The tracker edits, in memory.
  TrackerPlan plan = plan_tracker(result.notice, tracker, catalog);
  result.messages = plan.report.messages;
  result.sync_errors = plan.report.errors;
  for (const TrackerPlan::Change& change : plan.changes) {
    result.tracker_files.push_back(change.path);
  }
  // 5. Commit: the tracker files, then the store.
  if (!options.dry_run) {
    commit(plan, store, result, options);
  }
  // 6. The outputs.
  for (const Output& output : outputs) {
    try {
      result.outputs.push_back({output.kind, output.path, write_output(output, options.dry_run)});
    } catch (const Error& e) {
      throw PublishWriteError(fmt::format("USN {} is published (store and tracker), but its {} output failed: {}; "
                                          "publish it again to write the outputs",
                                          result.id, output.kind, e.what()));
    }
  }
  return result;
}

} // namespace kct::usn
