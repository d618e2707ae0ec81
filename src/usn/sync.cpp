#include "usn/sync.h"

#include "debver/version.h"
#include "tracker/editor.h"
#include "usn/description.h"
#include "util/error.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>
#include <unordered_map>

namespace kct::usn {
namespace {

bool touches_kernel(const Notice& n, const catalog::Catalog& catalog) {
  const std::vector<std::string>& kernels = catalog.kernel_sources();
  for (const auto& [rel, release] : n.releases) {
    if (!release.sources) {
      continue;
    }
    for (const auto& [src, entry] : *release.sources) {
      if (std::find(kernels.begin(), kernels.end(), src) != kernels.end()) {
        return true;
      }
    }
  }
  return false;
}

// The release name a CVE file uses for a notice's release: `<rel>/esm` once the release is EOL
// and its ESM is active.
std::string cve_release_for(const catalog::Catalog& catalog, const std::string& rel) {
  const catalog::Release* esm = catalog.live_esm(rel);
  return esm != nullptr ? esm->name : rel;
}

bool skipped_source(const std::string& src) {
  return src == "linux-ti-omap" || src == "linux-qcm-msm" || src.rfind("firefox-3.", 0) == 0;
}

class Syncer {
public:
  Syncer(tracker::Tracker& tracker, const catalog::Catalog& catalog, const SyncInputs& inputs, const SyncOptions& o)
      : m_catalog(catalog), m_inputs(inputs), m_options(o) {
    for (tracker::TrackedFile& tf : tracker.files()) {
      if (tf.file.kind() == tracker::FileKind::cve) {
        m_files[tf.name].push_back(&tf);
      }
    }
  }

  SyncReport run() {
    std::vector<const Notice*> notices;
    for (const Notice& n : *m_inputs.notices) {
      if ((!m_options.usn || *m_options.usn == n.id) && n.cves) {
        notices.push_back(&n);
      }
    }
    std::sort(notices.begin(), notices.end(),
              [](const Notice* a, const Notice* b) { return usn_id_less(a->id, b->id); });
    for (const Notice* n : notices) {
      sync_notice(*n);
    }
    for (tracker::TrackedFile* tf : m_dirty) {
      m_report.changed_files.push_back(tf->file.path());
      if (m_options.update) {
        tracker::save_if_changed(tf->file);
      }
    }
    return std::move(m_report);
  }

private:
  void say(std::string line) { m_report.messages.push_back(std::move(line)); }
  void error(std::string line) {
    ++m_report.errors;
    say("ERROR: " + line);
  }

  tracker::TrackedFile* find(const std::string& cve, bool& retired, bool& ignored) {
    retired = ignored = false;
    tracker::TrackedFile* active = nullptr;
    tracker::TrackedFile* old = nullptr;
    auto it = m_files.find(cve);
    if (it == m_files.end()) {
      return nullptr;
    }
    for (tracker::TrackedFile* tf : it->second) {
      if (tf->directory == tracker::Directory::active) {
        active = tf;
      } else if (tf->directory == tracker::Directory::retired) {
        old = tf;
      } else if (tf->directory == tracker::Directory::ignored) {
        ignored = true;
      }
    }
    retired = active == nullptr && old != nullptr;
    return active != nullptr ? active : old;
  }

  void changed(tracker::TrackedFile* tf, const Notice& n) {
    if (std::find(m_dirty.begin(), m_dirty.end(), tf) == m_dirty.end()) {
      m_dirty.push_back(tf);
    }
    if (std::find(m_report.updated_usns.begin(), m_report.updated_usns.end(), n.id) == m_report.updated_usns.end()) {
      m_report.updated_usns.push_back(n.id);
    }
  }

  void sync_notice(const Notice& n) {
    std::optional<UsnId> id = parse_usn_id(n.id);
    std::map<std::string, std::string> descriptions; // CVE → wrapped text, when this notice gives them
    if (id && id->number > 800 && id->suffix == 1 && n.description && touches_kernel(n, m_catalog)) {
      DescriptionSplit split = split_description(*n.description);
      for (const std::string& bad : split.errors) {
        bool excused = false;
        for (const RevertedEntry& e : m_inputs.ignored_description) {
          excused = excused || e.usn == n.id;
        }
        if (!excused) {
          error(fmt::format("USN-{}: cannot find the CVE list at the end of the paragraph \"{}\"", n.id, bad));
        }
      }
      for (const std::string& cve : *n.cves) {
        if (is_reverted(m_inputs.ignored_description, n.id, cve)) {
          continue;
        }
        auto it = split.by_cve.find(cve);
        std::string text = it != split.by_cve.end() ? it->second : split.shared;
        if (!text.empty()) {
          descriptions[cve] = text;
        }
      }
    }
    for (const std::string& cve : *n.cves) {
      if (cve.rfind("CVE-", 0) != 0 || is_reverted(m_inputs.reverted, n.id, cve)) {
        continue;
      }
      bool retired = false;
      bool ignored = false;
      tracker::TrackedFile* tf = find(cve, retired, ignored);
      if ((retired && !m_options.retired) || (tf == nullptr && ignored)) {
        continue;
      }
      if (tf == nullptr) {
        say(fmt::format("USN-{} fixed {} but it is neither active nor retired", n.id, cve));
        continue;
      }
      sync_cve(n, cve, *tf, descriptions);
    }
  }

  void sync_cve(const Notice& n, const std::string& cve, tracker::TrackedFile& tf,
                const std::map<std::string, std::string>& descriptions) {
    tracker::CveFile& file = tf.file;
    if (file.has_errors()) {
      error(fmt::format("{}: does not parse; not synced with USN-{}", file.path(), n.id));
      return;
    }
    tracker::Editor editor(file, m_catalog);
    auto desc = descriptions.find(cve);
    if (desc != descriptions.end()) {
      std::vector<std::string> wrapped = wrap_text(desc->second);
      std::string wanted;
      for (const std::string& l : wrapped) {
        wanted += "\n" + l;
      }
      const tracker::Field* field = file.field("Ubuntu-Description");
      if (field == nullptr || file.field_text(*field) != wanted) {
        say(fmt::format("USN-{} has updated Ubuntu-Description for {}", n.id, cve));
        if (field != nullptr && editor.set_multiline_field("Ubuntu-Description", wrapped)) {
          changed(&tf, n);
        }
      }
    }
    std::string url = "https://usn.ubuntu.com/usn/usn-" + n.id;
    const tracker::Field* refs = file.field("References");
    if (refs == nullptr || file.field_text(*refs).find(url) == std::string::npos) {
      say(fmt::format("{}: references do not include {}", cve, url));
      if (refs != nullptr && editor.add_reference(url)) {
        changed(&tf, n);
      }
    }
    if (file.field("PublicDateAtUSN") == nullptr) {
      const tracker::Field* public_date = file.field("PublicDate");
      std::string value = public_date != nullptr ? std::string(file.view(public_date->value)) : "";
      if (value.empty()) {
        error(fmt::format("{}: empty PublicDate, cannot set PublicDateAtUSN", file.path()));
        m_report.fatal = true;
      } else {
        say(fmt::format("{}: missing PublicDateAtUSN (would be {})", cve, value));
        if (editor.set_field("PublicDateAtUSN", value)) {
          changed(&tf, n);
        }
      }
    }
    for (const auto& [rel, release] : n.releases) {
      if (!release.sources) {
        continue;
      }
      std::string cve_rel = cve_release_for(m_catalog, rel);
      const catalog::Release* r = m_catalog.find_release(cve_rel);
      bool eol = r == nullptr || r->eol;
      bool esm = r != nullptr && r->variant_kind == "esm";
      for (const auto& [src, entry] : *release.sources) {
        sync_status(n, cve, tf, editor, cve_rel, src, entry.version.value_or(""), eol, esm);
      }
    }
  }

  void sync_status(const Notice& n, const std::string& cve, tracker::TrackedFile& tf, tracker::Editor& editor,
                   const std::string& rel, const std::string& src, const std::string& usn_version, bool eol, bool esm) {
    tracker::CveFile& file = tf.file;
    const tracker::StatusEntry* entry = file.status(src, rel);
    if (entry == nullptr && m_catalog.devel_release() != nullptr && m_catalog.devel_release()->name == rel) {
      entry = file.status(src, "devel");
    }
    if (entry == nullptr) {
      if (!skipped_source(src) && !eol) {
        say(fmt::format("USN-{} touches {} in {} with {} (but is not listed in file)", n.id, src, rel, cve));
      }
      return;
    }
    tracker::State state = entry->state;
    if (state == tracker::State::not_affected || state == tracker::State::released ||
        (state == tracker::State::dne && esm)) {
      return;
    }
    static const std::set<tracker::State> k_open = {tracker::State::needed,       tracker::State::deferred,
                                                    tracker::State::pending,      tracker::State::active,
                                                    tracker::State::needs_triage, tracker::State::ignored};
    if (k_open.count(state) == 0) {
      say(fmt::format("USN-{} touches {} in {} with {} (but is marked {})!?", n.id, src, rel, cve,
                      tracker::state_name(state)));
      return;
    }
    std::string details(file.view(entry->details));
    std::string version = details.empty() ? usn_version : details;
    bool manual = state == tracker::State::deferred || state == tracker::State::ignored;
    if (!details.empty() && details != usn_version) {
      if (debver::compare(details, usn_version) > 0 && !manual) {
        error(fmt::format("USN-{}: {} {}_{}: version {} is newer than the USN's {}; skipped", n.id, cve, rel, src,
                          details, usn_version));
        return;
      }
    }
    if (m_options.use_usn_version || manual) {
      version = usn_version;
    }
    std::string note = version != usn_version ? fmt::format(" (USN: {})", usn_version) : "";
    say(fmt::format("{}: {}_{}: {} -> released ({}){}", cve, rel, src,
                    file.line(entry->line).substr(file.line(entry->line).find(':') + 2), version, note));
    std::string release_text(file.view(entry->release_text));
    if (editor.set_status(src, release_text, tracker::State::released, version)) {
      changed(&tf, n);
    }
  }

  const catalog::Catalog& m_catalog;
  const SyncInputs& m_inputs;
  const SyncOptions& m_options;
  std::unordered_map<std::string, std::vector<tracker::TrackedFile*>> m_files;
  std::vector<tracker::TrackedFile*> m_dirty;
  SyncReport m_report;
};

} // namespace

SyncReport sync_from_usns(tracker::Tracker& tracker, const catalog::Catalog& catalog, const SyncInputs& inputs,
                          const SyncOptions& options) {
  if (inputs.notices == nullptr) {
    throw Error("sync-from-usns: no notices given");
  }
  return Syncer(tracker, catalog, inputs, options).run();
}

} // namespace kct::usn
