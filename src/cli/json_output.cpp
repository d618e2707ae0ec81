#include "cli/json_output.h"

namespace kct::cli {

using nlohmann::json;

nlohmann::json entry_to_json(const tracker::TrackedFile& tf, const tracker::StatusEntry& e) {
  const tracker::CveFile& f = tf.file;
  return json{{"cve", tf.name},
              {"release", f.view(e.release_text)},
              {"package", f.view(e.package)},
              {"state", tracker::state_name(e.state)},
              {"details", f.view(e.details)}};
}

namespace {
json tokens_to_json(const tracker::CveFile& f, const std::vector<tracker::BreakFixToken>& tokens) {
  json out = json::array();
  for (const tracker::BreakFixToken& t : tokens) {
    out.push_back(f.view(t.text));
  }
  return out;
}
} // namespace

nlohmann::json cve_to_json(const catalog::Catalog&, const tracker::TrackedFile& tf) {
  const tracker::CveFile& f = tf.file;
  json fields = json::object();
  for (const tracker::Field& field : f.fields()) {
    if (!field.repeated &&
        (field.kind == tracker::FieldKind::known || field.kind == tracker::FieldKind::candidate ||
         field.kind == tracker::FieldKind::unknown) &&
        std::string_view(f.view(field.name)) != "Notes" && std::string_view(f.view(field.name)) != "CVSS") {
      fields[std::string(f.view(field.name))] = f.field_text(field);
    }
  }
  json notes = json::array();
  for (const tracker::Note& n : f.notes()) {
    notes.push_back(json{{"author", n.author}, {"text", n.text}, {"line", n.line + 1}});
  }
  json cvss = json::array();
  for (const tracker::CvssEntry& c : f.cvss()) {
    cvss.push_back(json{{"source", f.view(c.source)}, {"vector", f.view(c.vector)}, {"base_score", c.base_score}});
  }
  json priorities = json::object();
  for (const tracker::PriorityEntry& p : f.priorities()) {
    priorities[std::string(f.view(p.field))] = f.view(p.value);
  }
  json tags = json::object();
  for (const tracker::TagEntry& t : f.tags()) {
    tags[std::string(f.view(t.key))].push_back(f.view(t.tag));
  }
  json patches = json::object();
  for (const tracker::PatchLine& p : f.patch_lines()) {
    patches[std::string(f.view(p.package))].push_back(json{{"type", f.view(p.type)}, {"payload", f.view(p.payload)}});
  }
  json break_fix = json::array();
  for (const tracker::BreakFix& b : f.break_fixes()) {
    break_fix.push_back(json{{"package", f.view(b.package)},
                             {"introduced", tokens_to_json(f, b.introduced)},
                             {"fixed", tokens_to_json(f, b.fixed)},
                             {"line", b.line + 1}});
  }
  json statuses = json::array();
  for (const tracker::StatusEntry& e : f.statuses()) {
    json j = entry_to_json(tf, e);
    j.erase("cve");
    j["line"] = e.line + 1;
    statuses.push_back(std::move(j));
  }
  return json{{"cve", tf.name},
              {"path", f.path()},
              {"directory", tracker::directory_name(tf.directory)},
              {"fields", fields},
              {"priorities", priorities},
              {"notes", notes},
              {"cvss", cvss},
              {"tags", tags},
              {"patches", patches},
              {"break_fix", break_fix},
              {"statuses", statuses}};
}

} // namespace kct::cli
