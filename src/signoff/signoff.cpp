#include "signoff/signoff.h"

#include "compose/cve_description.h"
#include "compose/kernel_plan.h"
#include "debver/version.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace kct::signoff {

std::string_view status_name(FixCheck::Status status) {
  switch (status) {
  case FixCheck::Status::present: return "present";
  case FixCheck::Status::absent: return "absent";
  case FixCheck::Status::not_affected: return "not-affected";
  case FixCheck::Status::not_scanned: return "not-scanned";
  case FixCheck::Status::unknown: break;
  }
  return "unchecked";
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
  case Verdict::ready: return "ready";
  case Verdict::nothing_to_sign: return "nothing-to-sign";
  case Verdict::blocked: break;
  }
  return "blocked";
}

namespace {

std::set<std::string> architectures(const std::vector<const archive::BinaryPackage*>& packages) {
  std::set<std::string> out;
  for (const archive::BinaryPackage* p : packages) {
    if (p->architecture != "all") {
      out.insert(p->architecture);
    }
  }
  return out;
}

// The source's newest publication before `version` outside -proposed: what it used to build.
const archive::SourcePackage* previous_publication(const archive::ReleaseArchive& archive, const std::string& source,
                                                   const std::string& version) {
  const archive::SourcePackage* best = nullptr;
  for (const archive::SourcePackage* s : archive.sources_named(source)) {
    if (s->pocket == archive::Pocket::proposed || debver::compare(s->version, version) >= 0) {
      continue;
    }
    if (best == nullptr || debver::compare(best->version, s->version) < 0) {
      best = s;
    }
  }
  return best;
}

BuildCheck check_build(const archive::ReleaseArchive& archive, const std::string& source, const std::string& version,
                       archive::Pocket pocket) {
  BuildCheck check;
  check.source = source;
  check.version = version;
  std::set<std::string> built = architectures(archive.packages().built_from(source, version, pocket));
  check.built.assign(built.begin(), built.end());
  if (const archive::SourcePackage* prev = previous_publication(archive, source, version)) {
    for (const std::string& arch : architectures(archive.packages().built_from(source, prev->version, prev->pocket))) {
      if (!built.contains(arch)) {
        check.missing.push_back(arch);
      }
    }
  }
  return check;
}

} // namespace

SignoffReport sign_off(compose::ComposeContext& context, const std::vector<compose::KernelUpload>& uploads,
                       const compose::ComposeOptions& options, const FixChecker& fix_checker) {
  SignoffReport report;
  compose::ComposeResult scratch; // plan_kernel's errors, warnings and info
  size_t cve_count = 0;
  for (const compose::KernelUpload& upload : uploads) {
    KernelSignoff k;
    k.plan = compose::plan_kernel(context, upload, options, scratch);
    if (k.plan.skipped || k.plan.previous.empty()) {
      report.kernels.push_back(std::move(k));
      continue;
    }
    if (options.embargoed) {
      // The tracker lags an embargoed update: the CVEs are the ones the user names.
      for (const std::string& cve : options.add_cves) {
        workflow::PendingFix fix;
        fix.cve = cve;
        fix.forced = true;
        if (context.tracker != nullptr) {
          fix.description = compose::cve_text(*context.tracker, cve).text;
        }
        k.plan.fixes.push_back(std::move(fix));
      }
      if (options.add_cves.empty()) {
        report.reasons.push_back("embargoed: the tracker is not consulted; name the CVEs the upload fixes with --add");
      }
    }
    for (const workflow::PendingFix& fix : k.plan.fixes) {
      if (std::find(options.ignore_cves.begin(), options.ignore_cves.end(), fix.cve) != options.ignore_cves.end()) {
        continue;
      }
      CveCheck c;
      c.cve = fix.cve;
      c.description = fix.description;
      c.state = std::string(tracker::state_name(fix.state));
      c.version = fix.version;
      if (fix_checker) {
        c.fix = fix_checker(fix.cve, k.plan);
      }
      if (c.description.empty()) {
        report.reasons.push_back(fmt::format("{}: missing description (no Ubuntu-Description in the tracker)", c.cve));
      }
      if (c.fix.status == FixCheck::Status::not_scanned) {
        // Asked to check the tree and could not: signing off unchecked is what the check prevents.
        report.reasons.push_back(fmt::format("{}: fix not checked in {}/{} {} ({})", c.cve, k.plan.release_key,
                                             upload.source, upload.version, c.fix.detail));
      }
      if (c.fix.status == FixCheck::Status::absent) {
        report.reasons.push_back(fmt::format("{}: fix not in {}/{} {} ({})", c.cve, k.plan.release_key, upload.source,
                                             upload.version, c.fix.detail));
      }
      k.cves.push_back(std::move(c));
    }
    cve_count += k.cves.size();
    const archive::ReleaseArchive& archive = context.archive.release(k.plan.release);
    std::vector<std::pair<std::string, std::string>> parts = {{upload.source, upload.version}};
    if (!k.plan.signed_source.empty()) {
      parts.emplace_back(k.plan.signed_source, k.plan.signed_version);
    }
    if (!k.plan.meta.empty()) {
      parts.emplace_back(k.plan.meta, k.plan.meta_version);
    }
    for (const auto& [source, version] : parts) {
      BuildCheck b = check_build(archive, source, version, options.pocket);
      if (b.built.empty()) {
        report.reasons.push_back(fmt::format("{}/{} {}: no binaries published in the {} pocket", k.plan.release, source,
                                             version, archive::pocket_name(options.pocket)));
      } else if (!b.missing.empty()) {
        report.reasons.push_back(fmt::format("{}/{} {}: binaries pending on {}", k.plan.release, source, version,
                                             fmt::join(b.missing, ", ")));
      }
      k.builds.push_back(std::move(b));
    }
    report.kernels.push_back(std::move(k));
  }
  for (const std::string& e : scratch.errors) {
    report.reasons.insert(report.reasons.begin(), e);
  }
  report.warnings = std::move(scratch.warnings);
  report.info = std::move(scratch.info);
  if (!report.reasons.empty()) {
    report.verdict = Verdict::blocked;
  } else if (cve_count == 0) {
    report.verdict = Verdict::nothing_to_sign;
    report.reasons.push_back("the upload fixes no CVE the tracker knows: mark the sign-off task Invalid");
  } else {
    report.verdict = Verdict::ready;
    report.reasons.push_back(fmt::format("{} CVE{} fixed, all described and built: mark the sign-off task Fix Released",
                                         cve_count, cve_count == 1 ? "" : "s"));
  }
  return report;
}

} // namespace kct::signoff
