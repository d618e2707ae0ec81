#include "compose/kernel_notice.h"

#include "compose/binaries.h"
#include "compose/cve_description.h"
#include "compose/kernel_plan.h"
#include "compose/notice_text.h"
#include "util/error.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace kct::compose {

std::vector<KernelUpload> parse_uploads(const std::string& release, const std::vector<std::string>& pairs) {
  if (pairs.empty()) {
    throw Error("expected kernel and version pairs after the release (e.g. xenial linux 4.4.0-170.199 linux-aws "
                "4.4.0-1099.110)");
  }
  if (pairs.size() % 2 != 0) {
    throw Error(fmt::format("'{}' has no version: expected kernel and version pairs after the release (e.g. "
                            "xenial linux 4.4.0-170.199 linux-aws 4.4.0-1099.110)",
                            pairs.back()));
  }
  std::vector<KernelUpload> out;
  for (size_t i = 0; i < pairs.size(); i += 2) {
    KernelUpload u;
    u.release = release;
    std::string kernel = pairs[i];
    while (!kernel.empty() && kernel.back() == ':') {
      kernel.pop_back();
    }
    size_t slash = kernel.rfind('/');
    if (slash != std::string::npos) {
      u.release = kernel.substr(0, slash);
      kernel = kernel.substr(slash + 1);
    }
    u.source = kernel;
    u.version = pairs[i + 1];
    if (u.source.empty() || u.version.empty() || u.release.empty()) {
      throw Error(fmt::format("'{} {}': expected a kernel name and a version", pairs[i], pairs[i + 1]));
    }
    out.push_back(std::move(u));
  }
  return out;
}

std::string release_label(const catalog::Catalog& catalog, const std::string& release_key) {
  const catalog::Release* r = catalog.find_release(release_key);
  if (r == nullptr) {
    return release_key;
  }
  if (r->kind == catalog::ReleaseKind::variant) {
    const catalog::Release* base = catalog.find_release(r->base);
    return fmt::format("{} {}", base != nullptr ? base->version : r->base, r->variant_kind == "esm" ? "ESM" : r->name);
  }
  return r->lts ? r->version + " LTS" : r->version;
}

namespace {

std::optional<usn::UsnId> origin_of(const std::string& id) {
  std::optional<usn::UsnId> parsed = usn::parse_usn_id(id);
  if (!parsed || parsed->suffix <= 1) {
    return std::nullopt;
  }
  return usn::UsnId{parsed->number, 1};
}

// Where the LTS/HWE kernel of a follow-up comes from ("16.04 LTS"), from the catalog.
std::string backport_origin_label(const catalog::Catalog& catalog, const KernelPlan& plan) {
  for (const catalog::Kernel* k : catalog.kernels_of(plan.release_key)) {
    if (k->source == plan.upload.source && !k->derived_from_release.empty()) {
      return release_label(catalog, k->derived_from_release);
    }
  }
  return "XXX-FIXME-XXX";
}

std::string indent(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    out += line.empty() ? "" : " ";
    out += line;
    out += '\n';
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

std::string compose_notice_description(ComposeContext& context, const std::vector<KernelPlan>& plans,
                                       const std::vector<std::string>& cves, const ComposeOptions& options,
                                       ComposeResult& result) {
  std::string text;
  std::optional<usn::UsnId> origin = origin_of(options.usn_id);
  std::optional<usn::StoredNotice> origin_notice;
  if (origin) {
    origin_notice = context.store.get(origin->text());
    if (!origin_notice) {
      result.warnings.push_back(fmt::format("USN-{} is a follow-up, but USN-{} is not in the database ({})",
                                            options.usn_id, origin->text(), context.store.location()));
    }
    // A backport follow-up brings the origin's fixes to another release; a follow-up of the
    // same releases (a regression fix) does not get the paragraph.
    auto origin_covers = [&](const std::string& release) {
      return origin_notice && origin_notice->notice.releases.contains(release);
    };
    for (const KernelPlan& plan : plans) {
      if (!plan.skipped && !options.regression && !origin_covers(plan.release) &&
          context.table.is_lts_kernel(plan.upload.source)) {
        text += hwe_paragraph(origin->text(), backport_origin_label(context.catalog, plan),
                              release_label(context.catalog, plan.release_key));
        break;
      }
    }
  }
  if (options.regression) {
    text += (text.empty() ? "" : "\n") + fill("XXX-FIXME-XXX Describe the regression this update fixes.", 70);
  }
  if (!cves.empty()) {
    std::vector<CveText> texts;
    for (const std::string& cve : cves) {
      if (context.tracker != nullptr) {
        texts.push_back(cve_text(*context.tracker, cve));
      } else {
        texts.push_back(CveText{cve, "", "", false, ""});
      }
    }
    ComposedDescription d = compose_description(std::move(texts), true);
    result.missing_descriptions = d.missing;
    if (options.regression && origin_notice && origin_notice->notice.description) {
      text += "\nOriginal advisory details:\n\n" + indent(*origin_notice->notice.description);
    } else {
      text += (text.empty() ? "" : "\n") + d.text;
    }
  }
  return text;
}

} // namespace

ComposeResult compose_kernel_notice(ComposeContext& context, const std::vector<KernelUpload>& uploads,
                                    const ComposeOptions& options) {
  ComposeResult result;
  if (!usn::parse_usn_id(options.usn_id) && options.usn_id != "N-1") {
    result.errors.push_back(fmt::format("{}: not a USN id (expected NNNN-N)", options.usn_id));
  }
  std::vector<KernelPlan> plans;
  for (const KernelUpload& u : uploads) {
    plans.push_back(plan_kernel(context, u, options, result));
  }
  // Releases in catalog order, kernels by name (as prepare-kernel-usn orders them).
  auto release_rank = [&](const KernelPlan& p) {
    std::optional<catalog::ReleaseId> id = context.catalog.find(p.release);
    return id ? *id : catalog::k_no_release;
  };
  std::stable_sort(plans.begin(), plans.end(), [&](const KernelPlan& a, const KernelPlan& b) {
    if (release_rank(a) != release_rank(b)) {
      return release_rank(a) < release_rank(b);
    }
    return a.upload.source < b.upload.source;
  });

  std::set<std::string> cve_set(options.add_cves.begin(), options.add_cves.end());
  for (const KernelPlan& plan : plans) {
    for (const workflow::PendingFix& fix : plan.fixes) {
      cve_set.insert(fix.cve);
    }
  }
  for (const std::string& ignored : options.ignore_cves) {
    cve_set.erase(ignored);
  }
  std::vector<std::string> cves(cve_set.begin(), cve_set.end());
  std::sort(cves.begin(), cves.end(), cve_id_less);
  if (cves.empty()) {
    result.info.push_back("no CVEs found: is this a regression or an embargoed update?");
  }

  usn::Notice& notice = result.notice;
  notice.id = options.usn_id;
  notice.id_form = usn::IdForm::bare;
  notice.cves = cves;
  std::vector<std::string> sources;
  bool abi_changed = false;
  std::map<std::string, std::vector<const KernelPlan*>> by_release;
  for (const KernelPlan& plan : plans) {
    if (plan.skipped || plan.release.empty()) {
      continue;
    }
    by_release[plan.release].push_back(&plan);
    if (std::find(sources.begin(), sources.end(), plan.upload.source) == sources.end()) {
      sources.push_back(plan.upload.source);
    }
    abi_changed = abi_changed || plan.abi_changed;
  }
  for (const auto& [release, release_plans] : by_release) {
    usn::Release& entry = notice.releases[release];
    const catalog::Release* info = context.catalog.find_release(release);
    bool esm = release_plans.front()->release_key != release;
    BinaryOptions binary_options;
    binary_options.pocket = options.pocket;
    binary_options.with_urls = !options.private_archive && !esm;
    binary_options.with_source = !esm;
    binary_options.pocket_label =
        (info != nullptr && info->lts && !esm) ? std::string(archive::pocket_name(options.pocket)) : "";
    ReleaseBinaries binaries;
    std::vector<std::string> kernels_here;
    auto& entry_sources = entry.sources.emplace();
    for (const KernelPlan* plan : release_plans) {
      kernels_here.push_back(plan->upload.source);
      usn::SourceEntry source;
      source.version = plan->upload.version;
      source.description = context.table.description(plan->upload.source).value_or("XXX-FIXME-XXX kernel description");
      entry_sources.emplace(plan->upload.source, std::move(source));
      if (!result.ok()) {
        continue; // the archive may not even have been readable
      }
      PublishedKernel published{plan->upload.source,  plan->upload.version, plan->signed_source,
                                plan->signed_version, plan->meta,           plan->meta_version};
      binaries.add_kernel(context.archive.release(release), published, context.table, binary_options, result.warnings);
    }
    binaries.finish(entry, info != nullptr ? info->version : "", kernels_here);
  }
  notice.title = compose_title(sources, cves.size(), options.regression, context.table);
  notice.summary = compose_summary(sources, cves.size(), options.regression, context.table);
  notice.isummary = compose_isummary(cves.size(), options.regression);
  notice.action = compose_action(abi_changed);
  notice.description = compose_notice_description(context, plans, cves, options, result);
  if (options.usn_id.ends_with("-1")) {
    for (const KernelPlan& plan : plans) {
      if (plan.skipped || !context.table.is_lts_kernel(plan.upload.source) || plan.upload.source == "linux-hwe") {
        continue;
      }
      result.warnings.push_back(fmt::format("{}/{} is a backport kernel: it is usually published as an N-2 "
                                            "follow-up of the notice for the kernel it comes from (--usn N-2)",
                                            plan.release, plan.upload.source));
    }
  }
  result.kernels = std::move(plans);
  return result;
}

} // namespace kct::compose
