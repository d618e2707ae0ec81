#include "triage/write_back.h"

#include "tracker/editor.h"
#include "triage/status_text.h"
#include "triage/upstream_aggregate.h"
#include "util/error.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace kct::triage {

namespace {

using util::starts_with;

struct Value {
  std::string state;
  std::string note; // the result's version, "" for `-`
};

// Keyed by `<key>_<source>`, the item the file's lines are named by. A later result for the
// same item wins, as in the original's dictionary.
using Values = std::map<std::string, Value, std::less<>>;

void aggregate_upstream(Values& values) {
  auto linus = values.find("upstream_linux");
  if (linus == values.end()) {
    return;
  }
  std::vector<StableResult> stables;
  constexpr std::string_view k_stable_prefix = "upstream_linux-";
  for (auto it = values.lower_bound(k_stable_prefix); it != values.end() && starts_with(it->first, k_stable_prefix);
       ++it) {
    stables.push_back({std::string_view(it->first).substr(9), it->second.state, it->second.note});
  }
  linus->second.note = upstream_note(linus->second.note, stables);
}

Values collect_values(const std::vector<EngineResult>& results, const WriteBackOptions& options) {
  Values values;
  for (const EngineResult& r : results) {
    if (options.retired && r.key == "upstream") {
      continue;
    }
    Value v{r.state, r.version == "-" ? "" : r.version};
    if (!options.devel.empty() && r.key == options.devel) {
      values["devel_" + r.source] = v;
    }
    values[r.key + "_" + r.source] = std::move(v);
  }
  aggregate_upstream(values);
  return values;
}

// Manual states and notes that are not versions were set by a person (§1.15 #9); the markers
// are the post-passes' own and may be overwritten.
bool set_by_hand(const StatusText& t) {
  if (is_esm_eol_marker(t.annot)) {
    return false;
  }
  if (t.state == "deferred" || t.state == "ignored" || t.state == "DNE") {
    return true;
  }
  return !t.annot.empty() && (t.note.empty() || t.note[0] < '0' || t.note[0] > '9');
}

// The "New value" table of §1.10; nullopt leaves the line as it is.
std::optional<Value> new_value(const Value& engine, const StatusText& current, bool upstream_item, bool direct_copy) {
  const std::string& state = engine.state;
  const std::string& note = engine.note;
  if (direct_copy) {
    return engine;
  }
  if (state == "needs-triage") {
    bool open = current.state == "active" || current.state == "needs-triage" || current.state == "pending" ||
                current.state == "released";
    return open ? std::optional<Value>(Value{state, ""}) : std::nullopt;
  }
  if (state == "needed") {
    return Value{state, ""};
  }
  if (state == "not-affected") {
    if (note.empty() || note == "pending") {
      return Value{state, ""};
    }
    return upstream_item ? Value{"released", note} : Value{state, note};
  }
  if (state == "released") {
    if (note == "pending") {
      return Value{"pending", ""};
    }
    if (upstream_item) {
      return Value{"released", note};
    }
    // Only the security team writes `released` for a supported kernel, once the USN is out;
    // the bot proposes the version as `pending (V)` and leaves a matching line alone.
    bool same = (current.state == "released" || current.state == "pending") && current.note == note;
    return same ? std::nullopt : std::optional<Value>(Value{"pending", note});
  }
  return std::nullopt;
}

struct Edit {
  uint32_t line = 0;
  std::string package;
  std::string release;
  tracker::State state = tracker::State::needs_triage;
  std::string note;
};

std::optional<Edit> plan_edit(const tracker::CveFile& file, const tracker::StatusEntry& e, const Values& values,
                              const WriteBackOptions& options) {
  std::string_view release = file.view(e.release_text);
  std::string_view package = file.view(e.package);
  std::optional<StatusText> t = split_status_text(file.line(e.line));
  if (!t || !item_names(t->item, release, package)) {
    return std::nullopt;
  }
  // Every upstream_linux* line (e.g. upstream_linux-aws) takes the aggregated value (correction 7).
  std::string_view lookup = starts_with(t->item, "upstream_linux") ? "upstream_linux" : t->item;
  auto found = values.find(lookup);
  // An empty state (`upstream_linux:`) is left alone, as the original's split leaves it.
  if (found == values.end() || t->state.empty() || set_by_hand(*t)) {
    return std::nullopt;
  }
  // A repeated item is a check-syntax error; Editor rewrites the first line of that name, so
  // only the first one is considered.
  if (file.status(package, release) != &e) {
    return std::nullopt;
  }
  std::optional<Value> next = new_value(found->second, *t, starts_with(t->item, "upstream_"), options.direct_copy);
  if (!next || (next->state == t->state && next->note == t->note)) {
    return std::nullopt;
  }
  std::optional<tracker::State> state = tracker::parse_state(next->state);
  if (!state) {
    throw Error(fmt::format("{}:{}: result state '{}' for {} is not a tracker state (valid states are: {})",
                            file.path(), e.line + 1, next->state, lookup, tracker::valid_state_list()));
  }
  return Edit{e.line, std::string(package), std::string(release), *state, next->note};
}

} // namespace

std::vector<LineChange> write_back(tracker::CveFile& file, const catalog::Catalog& catalog,
                                   const std::vector<EngineResult>& results, const WriteBackOptions& options) {
  // Plan every edit before making any: an edit re-parses the file, which moves the entries.
  Values values = collect_values(results, options);
  std::vector<Edit> edits;
  for (const tracker::StatusEntry& e : file.statuses()) {
    if (std::optional<Edit> edit = plan_edit(file, e, values, options)) {
      edits.push_back(std::move(*edit));
    }
  }
  // Each edit replaces one line by one line, so the planned line numbers stay valid.
  // All lines are replaced with one re-parse, as set_status would write them one by one.
  std::vector<LineChange> changes;
  std::vector<std::pair<size_t, std::string>> lines;
  for (const Edit& edit : edits) {
    if (!catalog.find(edit.release)) {
      throw Error(
          fmt::format("{}: unknown release '{}' (not in the catalog {})", file.path(), edit.release, catalog.path()));
    }
    std::string text = tracker::format_status_line(edit.package, edit.release, edit.state, edit.note);
    if (text != file.line(edit.line)) {
      changes.push_back({edit.line + 1, std::string(file.line(edit.line)), text});
      lines.emplace_back(edit.line, std::move(text));
    }
  }
  if (!lines.empty()) {
    tracker::Editor(file, catalog).replace_lines(lines);
  }
  return changes;
}

std::string format_changes(std::string_view file_name, const std::vector<LineChange>& changes) {
  if (changes.empty()) {
    return {};
  }
  std::string out = fmt::format("{}\n", file_name);
  for (const LineChange& c : changes) {
    out += fmt::format("- {}\n+ {}\n", c.old_text, c.new_text);
  }
  return out;
}

} // namespace kct::triage
