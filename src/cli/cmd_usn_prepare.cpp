// `kct usn prepare REL SRC VERSION [SRC VERSION…]`: compose one kernel notice for many kernels
// (prepare-kernel-usn.py, uct doc §10.5), as a draft a reviewer reads and `kct usn publish`
// stores. No ssh, no shell script: the id comes from the database, the draft is a file.
#include "cli/editor_launch.h"
#include "cli/kernel_inputs.h"
#include "cli/usn_common.h"
#include "compose/kernel_notice.h"
#include "usn/draft.h"
#include "usn/notice_json.h"
#include "util/files.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::cli {

namespace {

struct PrepareOptions {
  std::string release;
  std::vector<std::string> pairs;
  bool dry_run = false;
  bool reserve = false;
  std::string usn;
  bool force = false;
  bool edit = false;
  bool json = false;
  std::string draft_dir;
  ArchiveOptions archive;
  compose::ComposeOptions compose;
};

void print_plan(const compose::ComposeResult& result) {
  for (const compose::KernelPlan& k : result.kernels) {
    if (k.skipped) {
      std::fprintf(stderr, "%s/%s %s: %s\n", k.release.c_str(), k.upload.source.c_str(), k.upload.version.c_str(),
                   k.skip_reason.c_str());
      continue;
    }
    if (k.release.empty() || k.previous.empty()) {
      continue; // refused; the error says why
    }
    std::string line =
        fmt::format("{}/{} {}: after {} ({}); {} CVE{}", k.release_key, k.upload.source, k.upload.version, k.previous,
                    k.previous_from, k.fixes.size(), k.fixes.size() == 1 ? "" : "s");
    if (!k.meta.empty()) {
      line += fmt::format("; {} {}", k.meta, k.meta_version);
    }
    if (!k.signed_source.empty()) {
      line += fmt::format("; {} {}", k.signed_source, k.signed_version);
    }
    if (k.abi_changed) {
      line += "; new ABI";
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  for (const std::string& m : result.info) {
    std::fprintf(stderr, "INFO: %s\n", m.c_str());
  }
  for (const std::string& m : result.warnings) {
    std::fprintf(stderr, "warning: %s\n", m.c_str());
  }
  for (const std::string& cve : result.missing_descriptions) {
    std::fprintf(stderr, "error: %s: missing description (no Ubuntu-Description in the tracker)\n", cve.c_str());
  }
  for (const std::string& m : result.errors) {
    std::fprintf(stderr, "error: %s\n", m.c_str());
  }
}

nlohmann::json plan_json(const compose::ComposeResult& result) {
  nlohmann::json kernels = nlohmann::json::array();
  for (const compose::KernelPlan& k : result.kernels) {
    nlohmann::json cves = nlohmann::json::array();
    for (const workflow::PendingFix& f : k.fixes) {
      cves.push_back({{"cve", f.cve}, {"state", tracker::state_name(f.state)}, {"version", f.version}});
    }
    kernels.push_back({{"release", k.release_key},
                       {"source", k.upload.source},
                       {"version", k.upload.version},
                       {"previous", k.previous},
                       {"previous_from", k.previous_from},
                       {"meta", k.meta},
                       {"meta_version", k.meta_version},
                       {"signed", k.signed_source},
                       {"signed_version", k.signed_version},
                       {"abi_changed", k.abi_changed},
                       {"skipped", k.skipped},
                       {"skip_reason", k.skip_reason},
                       {"cves", cves}});
  }
  return {{"notice", usn::notice_to_json(result.notice)},
          {"kernels", kernels},
          {"missing_descriptions", result.missing_descriptions},
          {"errors", result.errors},
          {"warnings", result.warnings},
          {"info", result.info}};
}

std::string source_list(const compose::ComposeResult& result) {
  std::string out;
  for (const compose::KernelPlan& k : result.kernels) {
    if (!k.skipped && out.find(k.upload.source) == std::string::npos) {
      out += (out.empty() ? "" : " ") + k.upload.source;
    }
  }
  return out;
}

} // namespace

int cmd_usn_prepare(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Compose one kernel notice for one or more kernel uploads (prepare-kernel-usn).\n"
               "For each kernel: the last notice's version (glitch-aware), the CVEs the tracker says are\n"
               "pending or released since, and what the archive publishes (sources, binaries, URLs).\n"
               "Title, summary and descriptions follow the workflow page's rules. The draft is written\n"
               "to the draft directory for review; `kct usn publish ID` stores it.",
               usn_app_name("prepare"));
  PrepareOptions o;
  WriteOptions write;
  add_write_options(app, ctx, write);
  app.add_option("RELEASE", o.release, "The primary release (a kernel may be written REL/KERNEL)")->required();
  app.add_option("KERNEL_VERSION", o.pairs, "Kernel and version pairs: linux 4.4.0-170.199 linux-aws …")->required();
  app.add_flag("-n,--dry-run", o.dry_run, "Print the draft; write and reserve nothing");
  app.add_flag("-f,--reserve", o.reserve, "Take the next free USN id from the database");
  app.add_option("-u,--usn", o.usn, "Use this USN id (e.g. 4300-2 for a backport follow-up)");
  app.add_option("-i,--ignore", o.compose.ignore_cves, "Leave this CVE out (repeatable)");
  app.add_option("-a,--add", o.compose.add_cves, "Force this CVE in (repeatable)");
  app.add_flag("-e,--include-eol", o.compose.include_eol, "Allow end-of-life releases (their ESM kernels)");
  app.add_flag("-E,--embargoed", o.compose.embargoed, "Skip the tracker look-up (the CVEs come from --add)");
  app.add_flag("-r,--regression", o.compose.regression, "A regression fix");
  app.add_flag("-b,--bypass-usn-check", o.compose.bypass_usn_check, "Allow a version that already has a notice");
  app.add_flag("-F,--force", o.force, "Write the draft despite missing descriptions (and over an existing draft)");
  app.add_flag("--edit", o.edit, "Open the draft in $EDITOR, then check it");
  app.add_flag("--json", o.json, "Print the notice and the per-kernel findings as JSON");
  app.add_option("--draft-dir", o.draft_dir, "Where drafts go (default: $KCT_USN_DRAFTS, else usn-drafts)");
  add_archive_options(app, o.archive, "Pocket to take the kernels from (default: Security; Release for a PPA)");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  int modes = int(o.dry_run && o.usn.empty()) + int(o.reserve) + int(!o.usn.empty());
  if (modes != 1 || (o.reserve && o.dry_run)) {
    return usn_error("prepare", "give one of --dry-run, --reserve or --usn ID (--dry-run may go with --usn)");
  }
  try {
    std::vector<compose::KernelUpload> uploads = compose::parse_uploads(o.release, o.pairs);
    const catalog::Catalog& catalog = ctx.catalog();
    const tracker::Tracker* tracker = o.compose.embargoed ? nullptr : &ctx.tracker();
    std::unique_ptr<usn::Store> store = open_existing_usn_store(write.location);
    kernels::KernelTable table = load_kernel_table(o.archive);
    kernels::GlitchTable glitches = load_glitches(o.archive);
    o.compose.pocket = archive_pocket(o.archive, archive::Pocket::security);
    archive::LoadOptions load;
    load.binary_pockets = {o.compose.pocket}; // the other pockets' sources only
    archive::ArchiveView view(archive_location(o.archive), load);
    o.compose.private_archive = !is_primary_archive(o.archive);
    if (!o.usn.empty()) {
      std::optional<usn::UsnId> id = usn::parse_usn_id(o.usn);
      if (!id) {
        return usn_error("prepare", fmt::format("--usn {}: not a USN id (expected NNNN-N)", o.usn));
      }
      o.compose.usn_id = id->text();
      if (!o.dry_run && store->get(o.compose.usn_id)) {
        return usn_error("prepare", fmt::format("USN {} already exists in {}", o.compose.usn_id, store->location()));
      }
    } else if (o.reserve) {
      o.compose.usn_id = store->next_free_id();
    }
    compose::ComposeContext context{catalog, tracker, *store, table, glitches, view};
    compose::ComposeResult result = compose::compose_kernel_notice(context, uploads, o.compose);
    if (o.json) {
      print_json(plan_json(result));
    } else {
      print_plan(result);
    }
    if (!result.ok()) {
      return 1;
    }
    if (!result.missing_descriptions.empty() && !o.force) {
      std::fprintf(stderr,
                   "kct usn prepare: %zu CVE(s) lack a description: write them in the tracker "
                   "(Ubuntu-Description), or --force\n",
                   result.missing_descriptions.size());
      return 1;
    }
    if (o.dry_run) {
      if (!o.json) {
        std::fputs(usn::render_draft(result.notice).c_str(), stdout);
      }
      return 0;
    }
    std::string dir = o.draft_dir.empty() ? usn::default_draft_dir() : o.draft_dir;
    // Refused before an id is reserved, so a refusal uses none up.
    std::string path = usn::draft_path(dir, result.notice.id);
    if (std::filesystem::exists(path) && !o.force) {
      return usn_error("prepare",
                       fmt::format("{} exists (a draft of USN {}); --force replaces it", path, result.notice.id));
    }
    if (o.reserve) {
      result.notice.id = store->reserve_id(write.author.author());
      path = usn::draft_path(dir, result.notice.id);
    }
    std::filesystem::create_directories(dir);
    util::write_file_atomically(path, usn::render_draft(result.notice));
    if (o.edit) {
      int status = run_editor(path);
      if (status != 0) {
        return usn_error("prepare",
                         fmt::format("the editor exited with status {}; the draft is kept at {}", status, path));
      }
      std::string text = util::read_file_or_throw(path, "draft");
      usn::parse_draft(text, path); // a draft that no longer parses is an error now, not at publish
      for (const util::Diagnostic& d : usn::draft_problems(text, path)) {
        std::fprintf(stderr, "%s\n", util::format(d).c_str());
      }
    }
    std::fprintf(stderr, "draft: %s\n", path.c_str());
    std::printf("SRCPKG=\"%s\"\nUSN=%s\n", source_list(result).c_str(), result.notice.id.c_str());
  } catch (const Error& e) {
    return usn_error("prepare", e.what());
  }
  return 0;
}

} // namespace kct::cli
