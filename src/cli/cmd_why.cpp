// `kct why CVE-ID KEY_SOURCE`: where each break and fix was found or not, in which version,
// any revert, and the walk that gave the status.
#include "cli/commands.h"
#include "cli/triage_session.h"
#include "triage/explain.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kct::cli {
namespace {

std::string short_id(const std::string& id) {
  return id.size() == 40 ? id.substr(0, 12) : id;
}

std::string describe(const triage::Evidence& e) {
  if (!e.recorded) {
    return fmt::format("{}: absent (never recorded in this version's history)", short_id(e.id));
  }
  std::string state = e.present ? "present" : "absent";
  if (e.kind == "commit") {
    return fmt::format("{}: {} (the commit itself, in {})", short_id(e.id), state, e.where);
  }
  if (e.kind == "reference") {
    return fmt::format("{}: {} (commit {} in {}, {}: \"{}\")", short_id(e.id), state, short_id(e.commit), e.where,
                       e.rule, e.line);
  }
  if (e.kind == "revert") {
    return fmt::format("{}: {} (reverted by commit {} in {}: \"{}\")", short_id(e.id), state, short_id(e.commit),
                       e.where, e.line);
  }
  return fmt::format("{}: {} (overlay {}, commit {} in {})", short_id(e.id), state, e.line, short_id(e.commit),
                     e.where);
}

nlohmann::json to_json(const triage::Evidence& e) {
  return {{"id", e.id},     {"present", e.present}, {"recorded", e.recorded}, {"kind", e.kind},
          {"rule", e.rule}, {"commit", e.commit},   {"line", e.line},         {"where", e.where}};
}

} // namespace

int cmd_why(Context& ctx, const std::vector<std::string>& args) {
  CLI::App app("Explain one autotriage decision: for each break-fix need, where the break and each fix\n"
               "alternative were found or not (commit, message line and rule, or overlay line), in which\n"
               "version, any revert, and the walk over the versions that gave the status.",
               "why");
  add_global_options(app, ctx.options());
  TriageArgs targs;
  add_triage_options(app, targs);
  std::string cve;
  std::string target_name;
  bool json = false;
  app.add_option("cve", cve, "CVE id, e.g. CVE-2019-1234")->required();
  app.add_option("target", target_name, "<key>_<source> as the tracker writes it, e.g. bionic_linux")->required();
  app.add_flag("--json", json, "Print the explanation as JSON");
  if (auto code = parse_arguments(app, args)) {
    return *code;
  }
  TriageSession session = open_triage_session(ctx, targs, "why");
  print_diagnostics(session.diagnostics);
  const triage::ScannedTarget* target = nullptr;
  for (const triage::ScannedTarget& t : session.run.targets) {
    if (t.target->name() == target_name) {
      target = &t;
    }
  }
  if (target == nullptr || !target->ok) {
    std::fprintf(stderr, "kct why: error: %s is not a scanned target of %s%s\n", target_name.c_str(),
                 targs.config.c_str(), target != nullptr ? " (its tree could not be read)" : "");
    return 1;
  }
  tracker::Tracker& tree = ctx.tracker({});
  std::vector<const tracker::TrackedFile*> files = tree.find(cve);
  if (files.empty()) {
    std::fprintf(stderr, "kct why: error: %s: no such CVE in %s\n", cve.c_str(), tree.root().c_str());
    return 1;
  }
  const tracker::TrackedFile& tf = *files.front();
  std::vector<triage::BreakFixEntry> entries = triage::break_fix_entries(tf.file);
  triage::PresenceIndex presence(*session.store);
  triage::Explanation x = triage::explain(entries, *target, presence, *session.store);
  std::string cve_path = std::string(tracker::directory_name(tf.directory)) + "/" + tf.name;

  if (json) {
    nlohmann::json needs = nlohmann::json::array();
    for (const triage::Need& n : x.needs) {
      needs.push_back({{"break", n.introduced}, {"fixes", n.fixes}, {"line", n.line}, {"malformed", n.malformed}});
    }
    nlohmann::json steps = nlohmann::json::array();
    for (const triage::ExplainedStep& s : x.steps) {
      nlohmann::json checks = nlohmann::json::array();
      for (const triage::NeedCheck& c : s.needs) {
        nlohmann::json fixes = nlohmann::json::array();
        for (const triage::Evidence& f : c.fixes) {
          fixes.push_back(to_json(f));
        }
        checks.push_back({{"applicable", c.applicable},
                          {"break", c.introduced.id.empty() ? nlohmann::json(nullptr) : to_json(c.introduced)},
                          {"fixes", fixes}});
      }
      steps.push_back({{"version", s.version}, {"tag", s.tag}, {"outcome", s.outcome}, {"needs", checks}});
    }
    nlohmann::json doc = {
        {"cve", cve_path},
        {"target", target_name},
        {"package", x.package},
        {"versions", target->versions},
        {"needs", needs},
        {"walk", steps},
        {"result", {{"wanted", x.decision.wanted}, {"state", x.decision.state}, {"version", x.decision.version}}},
        {"warnings", x.warnings}};
    std::string text = doc.dump(2);
    std::printf("%s\n", text.c_str());
    return 0;
  }
  std::string out = fmt::format("{} {}: {} {}  (wanted {})\n", cve_path, target_name, x.decision.state,
                                x.decision.version, x.decision.wanted);
  if (const tracker::StatusEntry* line = tf.file.status(target->target->source, target->target->key)) {
    out += fmt::format("tracker line {}: {}\n", line->line + 1, tf.file.line(line->line));
  }
  out += fmt::format("versions (oldest first): {}\n", fmt::join(target->versions, " "));
  if (x.needs.empty()) {
    out += "no break-fix entries apply: nothing to look for, so every version is not-affected\n";
  }
  out += fmt::format("needs (from Patches_{}):\n", x.package);
  for (size_t i = 0; i < x.needs.size(); ++i) {
    const triage::Need& n = x.needs[i];
    out += fmt::format("  {}. line {}: break {} fix {}{}\n", i + 1, n.line, short_id(n.introduced),
                       fmt::join(n.fixes, "|"), n.malformed ? " (malformed: replaced by a fix never present)" : "");
  }
  out += "walk (newest first):\n";
  for (const triage::ExplainedStep& s : x.steps) {
    out += fmt::format("  {} ({}): {}\n", s.version, s.tag, s.outcome);
    for (size_t i = 0; i < s.needs.size(); ++i) {
      const triage::NeedCheck& c = s.needs[i];
      if (!c.introduced.id.empty()) {
        out += fmt::format("    need {} break {}\n", i + 1, describe(c.introduced));
      } else {
        out += fmt::format("    need {} break -: present since forever\n", i + 1);
      }
      if (!c.applicable) {
        out += "      not applicable here\n";
      }
      for (const triage::Evidence& f : c.fixes) {
        out += fmt::format("      fix {}\n", describe(f));
      }
    }
  }
  if (x.decision.state == "not-affected") {
    out += fmt::format("  ran past the oldest version: not-affected since {}\n", x.decision.version);
  }
  for (const std::string& w : x.warnings) {
    out += fmt::format("warning: {}\n", w);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

} // namespace kct::cli
