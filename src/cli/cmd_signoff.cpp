// `kct signoff REL SRC VERSION [SRC VERSION…]`: the security sign-off of a kernel in -proposed.
#include "cli/commands.h"
#include "cli/kernel_inputs.h"
#include "cli/triage_session.h"
#include "cli/usn_common.h"
#include "signoff/signoff.h"
#include "triage/explain.h"

#include <algorithm>
#include <fmt/format.h>

namespace kct::cli {

namespace {

// The autotriage store's answer for one CVE at the upload's version: every applicable
// break-fix need has a fix present in that version's history.
signoff::FixCheck check_fix(TriageSession& session, tracker::Tracker& tree, const std::string& cve,
                            const compose::KernelPlan& plan) {
  using Status = signoff::FixCheck::Status;
  const triage::ScannedTarget* target = nullptr;
  for (const triage::ScannedTarget& t : session.run.targets) {
    if (t.ok && t.target->source == plan.upload.source &&
        (t.target->key == plan.release_key || t.target->key == plan.release)) {
      target = &t;
    }
  }
  if (target == nullptr) {
    return {Status::not_scanned, fmt::format("{}_{} is not a scanned target", plan.release_key, plan.upload.source)};
  }
  std::vector<const tracker::TrackedFile*> files = tree.find(cve);
  if (files.empty()) {
    return {Status::unknown, "not in the tracker"};
  }
  std::vector<triage::BreakFixEntry> entries = triage::break_fix_entries(files.front()->file);
  if (entries.empty()) {
    return {Status::unknown, "no break-fix entries"};
  }
  // The decision walks from the newest version down and stops at the first one lacking a fix,
  // so a walk over the whole target may never reach the upload's version: walk a copy of the
  // target that ends at it, whose first step is then that version.
  auto at = std::find(target->versions.begin(), target->versions.end(), plan.upload.version);
  if (at == target->versions.end()) {
    return {Status::not_scanned,
            fmt::format("{} is not among the scanned versions of {}", plan.upload.version, target->target->name())};
  }
  size_t count = static_cast<size_t>(at - target->versions.begin()) + 1;
  triage::ScannedTarget upto = *target;
  upto.versions.resize(count);
  upto.tags.resize(count);
  upto.chains.resize(count);
  upto.tids.resize(count);
  triage::PresenceIndex presence(*session.store);
  triage::Explanation x = triage::explain(entries, upto, presence, *session.store);
  const triage::ExplainedStep& step = x.steps.front();
  bool applicable = false;
  for (const triage::NeedCheck& need : step.needs) {
    if (!need.applicable) {
      continue;
    }
    applicable = true;
    auto present =
        std::find_if(need.fixes.begin(), need.fixes.end(), [](const triage::Evidence& e) { return e.present; });
    if (present == need.fixes.end()) {
      std::string wanted;
      for (const triage::Evidence& e : need.fixes) {
        wanted += (wanted.empty() ? "" : "|") + e.id.substr(0, 12);
      }
      return {Status::absent, "no fix " + wanted + " in " + step.tag};
    }
  }
  if (!applicable) {
    return {Status::not_affected, "the break is not in " + step.tag};
  }
  return {Status::present, "every fix found in " + step.tag};
}

void print_report(const signoff::SignoffReport& report) {
  for (const signoff::KernelSignoff& k : report.kernels) {
    const compose::KernelPlan& p = k.plan;
    if (p.skipped) {
      std::printf("%s/%s %s: %s\n", p.release.c_str(), p.upload.source.c_str(), p.upload.version.c_str(),
                  p.skip_reason.c_str());
      continue;
    }
    if (p.previous.empty()) {
      continue;
    }
    std::printf("%s/%s %s (after %s, %s): %zu CVE%s\n", p.release_key.c_str(), p.upload.source.c_str(),
                p.upload.version.c_str(), p.previous.c_str(), p.previous_from.c_str(), k.cves.size(),
                k.cves.size() == 1 ? "" : "s");
    for (const signoff::CveCheck& c : k.cves) {
      std::string fix = c.fix.status == signoff::FixCheck::Status::unknown && c.fix.detail.empty()
                            ? ""
                            : fmt::format("  fix {}: {}", signoff::status_name(c.fix.status), c.fix.detail);
      std::printf("  %s %s (%s)%s\n", c.cve.c_str(), c.state.c_str(), c.version.c_str(), fix.c_str());
      std::printf("    %s\n", c.description.empty() ? "[missing description]" : c.description.c_str());
    }
    for (const signoff::BuildCheck& b : k.builds) {
      std::printf("  built %s %s: %s%s\n", b.source.c_str(), b.version.c_str(),
                  b.built.empty() ? "nothing" : fmt::format("{}", fmt::join(b.built, " ")).c_str(),
                  b.missing.empty() ? "" : fmt::format(" (pending: {})", fmt::join(b.missing, " ")).c_str());
    }
  }
  for (const std::string& m : report.info) {
    std::fprintf(stderr, "INFO: %s\n", m.c_str());
  }
  for (const std::string& m : report.warnings) {
    std::fprintf(stderr, "warning: %s\n", m.c_str());
  }
  std::printf("verdict: %s\n", std::string(signoff::verdict_name(report.verdict)).c_str());
  for (const std::string& r : report.reasons) {
    std::printf("  %s\n", r.c_str());
  }
}

nlohmann::json report_json(const signoff::SignoffReport& report) {
  nlohmann::json kernels = nlohmann::json::array();
  for (const signoff::KernelSignoff& k : report.kernels) {
    nlohmann::json cves = nlohmann::json::array();
    for (const signoff::CveCheck& c : k.cves) {
      cves.push_back({{"cve", c.cve},
                      {"state", c.state},
                      {"version", c.version},
                      {"description", c.description},
                      {"fix", signoff::status_name(c.fix.status)},
                      {"fix_detail", c.fix.detail}});
    }
    nlohmann::json builds = nlohmann::json::array();
    for (const signoff::BuildCheck& b : k.builds) {
      builds.push_back({{"source", b.source}, {"version", b.version}, {"built", b.built}, {"missing", b.missing}});
    }
    kernels.push_back({{"release", k.plan.release_key},
                       {"source", k.plan.upload.source},
                       {"version", k.plan.upload.version},
                       {"previous", k.plan.previous},
                       {"previous_from", k.plan.previous_from},
                       {"skipped", k.plan.skipped},
                       {"cves", cves},
                       {"builds", builds}});
  }
  return {{"verdict", signoff::verdict_name(report.verdict)},
          {"reasons", report.reasons},
          {"warnings", report.warnings},
          {"kernels", kernels}};
}

} // namespace

int cmd_signoff(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Security sign-off of kernel uploads (by default in -proposed): the CVEs each fixes since\n"
               "its last notice and their descriptions, whether the fixes are in the kernel's tree (with\n"
               "--config/--repos/--state, from the autotriage store), whether the binaries are built.\n"
               "Ends with a verdict: ready (mark the sign-off Fix Released), nothing-to-sign (Invalid),\n"
               "or blocked, with reasons. Exit status 0 unless blocked.",
               "signoff");
  add_global_options(app, ctx.options());
  std::string release;
  std::vector<std::string> pairs;
  std::string usn_db = default_usn_db();
  ArchiveOptions archive_options;
  compose::ComposeOptions options;
  TriageArgs targs;
  bool json = false;
  app.add_option("RELEASE", release, "The release (a kernel may be written REL/KERNEL)")->required();
  app.add_option("KERNEL_VERSION", pairs, "Kernel and version pairs")->required();
  add_usn_db_option(app, usn_db);
  add_archive_options(app, archive_options, "Pocket holding the upload (default: Proposed; Release for a PPA)");
  app.add_flag("-e,--include-eol", options.include_eol, "Allow end-of-life releases (their ESM kernels)");
  app.add_flag("-E,--embargoed", options.embargoed,
               "The tracker lags this update: take the CVEs from --add instead of its status lines");
  app.add_option("-a,--add", options.add_cves, "A CVE the upload fixes (repeatable; with --embargoed)");
  app.add_option("-i,--ignore", options.ignore_cves, "Leave this CVE out (repeatable)");
  app.add_option("--config", targs.config, "Autotriage scan configuration, to check the fixes in the tree");
  app.add_option("--repos", targs.repos, "Directory of the bare kernel clones");
  app.add_option("--state", targs.state, "Autotriage state directory (provenance store)");
  app.add_option("--overlay", targs.overlay, "Autotriage overlay (default: active/10autotriage.linux)");
  app.add_flag("--json", json, "Print the report as JSON");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  try {
    std::vector<compose::KernelUpload> uploads = compose::parse_uploads(release, pairs);
    bool with_tree = !targs.config.empty() || !targs.repos.empty() || !targs.state.empty();
    if (with_tree && (targs.config.empty() || targs.repos.empty() || targs.state.empty())) {
      throw Error("checking fixes in the tree needs --config, --repos and --state together");
    }
    const catalog::Catalog& catalog = ctx.catalog();
    tracker::Tracker* tree = &ctx.tracker(); // descriptions, even for an embargoed update
    std::unique_ptr<usn::Store> store = open_existing_usn_store(usn_db);
    kernels::KernelTable table = load_kernel_table(archive_options);
    kernels::GlitchTable glitches = load_glitches(archive_options);
    archive::ArchiveView view(archive_location(archive_options));
    options.pocket = archive_pocket(archive_options, archive::Pocket::proposed);
    options.private_archive = !is_primary_archive(archive_options);
    // The glitch remap and the window are the same as composition's; only -proposed differs.
    options.bypass_usn_check = true;
    std::optional<TriageSession> session;
    signoff::FixChecker checker;
    if (with_tree && tree != nullptr) {
      session.emplace(open_triage_session(ctx, targs, "signoff"));
      print_diagnostics(session->diagnostics);
      checker = [&](const std::string& cve, const compose::KernelPlan& plan) {
        return check_fix(*session, *tree, cve, plan);
      };
    }
    compose::ComposeContext context{catalog, tree, *store, table, glitches, view};
    signoff::SignoffReport report = signoff::sign_off(context, uploads, options, checker);
    if (json) {
      print_json(report_json(report));
    } else {
      print_report(report);
    }
    return report.verdict == signoff::Verdict::blocked ? 1 : 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "kct signoff: error: %s\n", e.what());
    return 1;
  }
}

} // namespace kct::cli
