#include "compose/kernel_plan.h"

#include "debver/kernel_abi.h"
#include "debver/version.h"

#include <fmt/format.h>

namespace kct::compose {

namespace {

// The base codename and the tracker key of `release`: an EOL release whose ESM variant lives
// is tracked as `<rel>/esm` (report-pending-fixes -r rel/esm).
bool resolve_release(const catalog::Catalog& catalog, const KernelUpload& upload, const ComposeOptions& options,
                     KernelPlan& plan, ComposeResult& result) {
  const catalog::Release* given = catalog.find_release(upload.release);
  if (given == nullptr || given->kind == catalog::ReleaseKind::pseudo) {
    result.errors.push_back(fmt::format("{}: unknown release (not in {})", upload.release, catalog.path()));
    return false;
  }
  const catalog::Release* base =
      given->kind == catalog::ReleaseKind::variant ? catalog.find_release(given->base) : given;
  plan.release = base->name;
  plan.release_key = given->name;
  if (base->eol) {
    const catalog::Release* esm = catalog.live_esm(base->name);
    if (esm == nullptr) {
      result.errors.push_back(fmt::format("{}: end of life with no live ESM", base->name));
      return false;
    }
    if (!options.include_eol) {
      result.errors.push_back(
          fmt::format("{}: end of life; its ESM kernels are composed with --include-eol (and --ppa)", base->name));
      return false;
    }
    plan.release_key = esm->name;
  }
  return true;
}

// The highest publication of `source` in `pocket` whose meta ABI equals `abi`.
const archive::SourcePackage* meta_for_abi(const archive::ReleaseArchive& archive, const std::string& source,
                                           archive::Pocket pocket, long long abi) {
  const archive::SourcePackage* best = nullptr;
  for (const archive::SourcePackage* s : archive.sources_named(source)) {
    if (s->pocket != pocket || debver::kernel_meta_abi(s->version) != abi) {
      continue;
    }
    if (best == nullptr || debver::compare(best->version, s->version) < 0) {
      best = s;
    }
  }
  return best;
}

// The kernel's own publication at the given version, with an error saying where it is instead.
bool check_published(const archive::ReleaseArchive& archive, const KernelUpload& upload, const KernelPlan& plan,
                     archive::Pocket pocket, const std::string& where, ComposeResult& result) {
  for (const archive::SourcePackage* s : archive.sources_named(upload.source)) {
    if (s->version == upload.version && s->pocket == pocket) {
      return true;
    }
  }
  const archive::SourcePackage* elsewhere = archive.source_version(upload.source, upload.version);
  if (elsewhere != nullptr) {
    result.errors.push_back(fmt::format("{}/{} {}: published in {}-{}, not in the {} pocket of {}", plan.release,
                                        upload.source, upload.version, plan.release,
                                        archive::pocket_name(elsewhere->pocket), archive::pocket_name(pocket), where));
    return false;
  }
  const archive::SourcePackage* current = archive.source(upload.source, pocket);
  result.errors.push_back(fmt::format("{}/{} {}: version not in the archive ({}; {} has {})", plan.release,
                                      upload.source, upload.version, where, archive::pocket_name(pocket),
                                      current == nullptr ? std::string("no such source") : current->version));
  return false;
}

void resolve_previous(ComposeContext& context, const KernelUpload& upload, const archive::ReleaseArchive& archive,
                      KernelPlan& plan) {
  std::optional<workflow::LastUsn> last =
      workflow::last_usn_version(context.store, plan.release, upload.source, &context.glitches);
  if (last) {
    plan.previous = last->version;
    if (last->from_glitch) {
      std::string chain;
      for (const std::string& v : last->glitch_chain) {
        chain += (chain.empty() ? "" : " → ") + v;
      }
      plan.previous_from = last->notice_id.empty() ? "glitch table: " + chain
                                                   : fmt::format("USN-{}, glitch table: {}", last->notice_id, chain);
    } else {
      plan.previous_from = "USN-" + last->notice_id;
    }
    return;
  }
  // report-latest-usn-version without a notice: the earliest published version.
  const archive::SourcePackage* earliest = archive.earliest_published(upload.source);
  if (earliest != nullptr && earliest->version != upload.version) {
    plan.previous = earliest->version;
    plan.previous_from = "earliest published (no notice yet)";
  } else {
    plan.previous = "0";
    plan.previous_from = "none (first publication)";
  }
}

} // namespace

KernelPlan plan_kernel(ComposeContext& context, const KernelUpload& upload, const ComposeOptions& options,
                       ComposeResult& result) {
  KernelPlan plan;
  plan.upload = upload;
  if (!resolve_release(context.catalog, upload, options, plan, result)) {
    return plan;
  }
  if (!context.catalog.is_kernel_source(upload.source)) {
    result.errors.push_back(
        fmt::format("{}: unknown kernel (not a kernel source of {})", upload.source, context.catalog.path()));
    return plan;
  }
  if (debver::invalid_reason(upload.version) || !debver::kernel_package_abi(upload.version)) {
    result.errors.push_back(fmt::format("{}/{}: '{}' is not a kernel version (expected e.g. 4.15.0-72.81)",
                                        plan.release, upload.source, upload.version));
    return plan;
  }
  const kernels::MetaKernel* entry = context.table.find(plan.release, upload.source);
  if (entry != nullptr && entry->ignore_usn) {
    plan.skipped = true;
    plan.skip_reason = fmt::format("{} kernel: no notice (ignore-usn in the kernel table, line {})",
                                   entry->edge ? "an edge" : "an ignored", entry->line);
    result.info.push_back(
        fmt::format("{}/{} {}: skipped, {}", plan.release, upload.source, upload.version, plan.skip_reason));
    return plan;
  }

  const archive::ReleaseArchive* archive = nullptr;
  try {
    archive = &context.archive.release(plan.release);
  } catch (const Error& e) {
    result.errors.push_back(e.what());
    return plan;
  }
  std::string where = context.archive.location().label;
  if (!check_published(*archive, upload, plan, options.pocket, where, result)) {
    return plan;
  }
  long long abi = *debver::kernel_package_abi(upload.version);
  std::string meta = entry != nullptr ? entry->meta : kernels::meta_name(upload.source);
  if (const archive::SourcePackage* m = meta_for_abi(*archive, meta, options.pocket, abi)) {
    plan.meta = meta;
    plan.meta_version = m->version;
  } else {
    result.warnings.push_back(fmt::format("{}/{} {}: no {} with ABI {} in the {} pocket; its binaries are left out",
                                          plan.release, upload.source, upload.version, meta, abi,
                                          archive::pocket_name(options.pocket)));
  }
  // Without a table entry the convention decides, and the archive whether it exists.
  std::string signed_source = entry != nullptr ? entry->signed_source : kernels::signed_name(upload.source);
  if (!signed_source.empty()) {
    const archive::SourcePackage* s = archive->source_version(signed_source, upload.version);
    if (s != nullptr && s->pocket == options.pocket) {
      plan.signed_source = signed_source;
      plan.signed_version = s->version;
    } else if (entry != nullptr) {
      result.warnings.push_back(fmt::format("{}/{} {}: {} {} is not published in the {} pocket", plan.release,
                                            upload.source, upload.version, signed_source, upload.version,
                                            archive::pocket_name(options.pocket)));
    }
  }

  resolve_previous(context, upload, *archive, plan);
  if (plan.previous == upload.version && !options.bypass_usn_check) {
    result.errors.push_back(fmt::format("{}/{} {}: a USN already exists for this version ({}); --bypass-usn-check "
                                        "if this is meant",
                                        plan.release, upload.source, upload.version, plan.previous_from));
    return plan;
  }
  if (debver::compare(plan.previous, upload.version) > 0) {
    result.errors.push_back(fmt::format("{}/{} {}: older than the last notice's version {} ({})", plan.release,
                                        upload.source, upload.version, plan.previous, plan.previous_from));
    return plan;
  }
  std::optional<long long> previous_abi = debver::kernel_package_abi(plan.previous);
  plan.abi_changed = !previous_abi || *previous_abi != abi;

  if (!options.embargoed && context.tracker != nullptr) {
    workflow::PendingReport report =
        workflow::pending_fixes(*context.tracker, workflow::PendingQuery{upload.source, plan.release_key, plan.previous,
                                                                         upload.version, options.add_cves});
    for (const std::string& w : report.warnings) {
      result.warnings.push_back(w);
    }
    for (const workflow::PendingFix& fix : report.fixes) {
      if (fix.older_than_current && !fix.forced) {
        result.info.push_back(fmt::format("{}: {}_{} is {} ({}), older than {}: an embargoed fix published "
                                          "on its own?",
                                          fix.cve, plan.release_key, upload.source, tracker::state_name(fix.state),
                                          fix.version, upload.version));
      }
    }
    plan.fixes = std::move(report.fixes);
  }
  return plan;
}

} // namespace kct::compose
