// The reading half of draft.h: YAML → the notice's JSON document → notice_from_json. The
// conversion types plain scalars itself (YAML 1.2 core schema, as the writer assumes; quoted
// and block scalars are strings) and checks each known key's type while the YAML marks are
// still at hand, so a reviewer's slip is reported at its line and column rather than as a
// JSON path alone.
#include "usn/draft.h"

#include "usn/draft_schema.h"
#include "usn/notice_json.h"
#include "util/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>

namespace kct::usn {
namespace {

using draft::Field;
using draft::Slot;
using draft::Want;

constexpr const char* k_core_tag = "tag:yaml.org,2002:";

const char* got_name(const Json& value) {
  switch (value.type()) {
  case Json::value_t::object: return "a mapping";
  case Json::value_t::array: return "a list";
  case Json::value_t::string: return "a string";
  case Json::value_t::boolean: return "a boolean";
  case Json::value_t::null: return "an empty value";
  case Json::value_t::number_float: return "a float";
  default: return "an integer";
  }
}

bool fits(Want want, const Json& value) {
  switch (want) {
  case Want::record:
  case Want::dict: return value.is_object();
  case Want::string:
  case Want::id: return value.is_string();
  case Want::integer: return value.is_number_integer();
  case Want::number: return value.is_number();
  case Want::string_list: return value.is_array();
  case Want::any: return true;
  }
  return true;
}

class Reader {
public:
  Reader(std::string_view text, const std::string& path) : m_text(text), m_path(path) {}

  YAML::Node load() {
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(std::string(m_text));
    } catch (const YAML::ParserException& e) {
      fail(e.mark, "YAML syntax error: " + e.msg);
    }
    if (documents.size() > 1) {
      fail(documents[1].Mark(), "a draft holds one notice; found a second YAML document");
    }
    return documents.empty() ? YAML::Node() : documents[0];
  }

  Json convert(const YAML::Node& root) {
    if (!root.IsMap()) {
      fail(root.Mark(), "expected a mapping of the notice's keys (id, title, summary, ..., releases)");
    }
    return value(root, Field{Want::record, Slot::top}, "", root.Mark());
  }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    int64_t line = mark.is_null() ? 1 : mark.line + 1;
    int64_t column = mark.is_null() ? 1 : mark.column + 1;
    throw Error(fmt::format("{}:{}:{}: {}", m_path, line, column, message));
  }

private:
  // `where` locates an empty value, whose own mark yaml-cpp leaves at the next token.
  Json value(const YAML::Node& node, Field field, const std::string& path, const YAML::Mark& where) {
    Json out;
    if (node.IsMap()) {
      out = mapping(node, field, path);
    } else if (node.IsSequence()) {
      out = Json::array();
      Field item = field.want == Want::string_list ? Field{Want::string} : Field{};
      for (size_t i = 0; i < node.size(); ++i) {
        out.push_back(value(node[i], item, path + "[" + std::to_string(i) + "]", node[i].Mark()));
      }
    } else if (node.IsScalar()) {
      out = scalar(node, path);
    }
    const YAML::Mark& mark = node.IsNull() ? where : node.Mark();
    if (!fits(field.want, out)) {
      std::string hint =
          field.want == Want::string && node.IsScalar() ? " (write it quoted: \"" + node.Scalar() + "\")" : "";
      fail(mark, fmt::format("{}: expected {}, got {}{}", path, draft::want_name(field.want), got_name(out), hint));
    }
    if (field.want == Want::id && !parse_usn_id(out.get<std::string>())) {
      fail(mark, fmt::format("{}: expected {}, got `{}`", path, draft::want_name(field.want), out.get<std::string>()));
    }
    return out;
  }

  Json mapping(const YAML::Node& node, Field field, const std::string& path) {
    Slot slot = field.want == Want::record || field.want == Want::dict ? field.slot : Slot::other;
    Json out = Json::object();
    std::set<std::string> seen;
    for (const auto& member : node) {
      if (!member.first.IsScalar()) {
        fail(member.first.Mark(), fmt::format("{}: expected a name as key, got a {}", path.empty() ? "top level" : path,
                                              member.first.IsMap() ? "mapping" : "list"));
      }
      const std::string& key = member.first.Scalar();
      std::string member_path = json_path_key(path, key);
      if (!seen.insert(key).second) {
        fail(member.first.Mark(), fmt::format("{}: duplicate key", member_path));
      }
      out[key] = value(member.second, draft::child(slot, key), member_path, member.first.Mark());
    }
    return out;
  }

  Json scalar(const YAML::Node& node, const std::string& path) {
    const std::string& text = node.Scalar();
    const std::string& tag = node.Tag();
    if (tag == "!" || tag == std::string(k_core_tag) + "str") {
      return text; // quoted, a block, or tagged !!str
    }
    draft::Plain kind = draft::classify_plain(text);
    if (tag != "?") {
      static const std::pair<const char*, draft::Plain> k_tags[] = {{"null", draft::Plain::null},
                                                                    {"bool", draft::Plain::boolean},
                                                                    {"int", draft::Plain::integer},
                                                                    {"float", draft::Plain::floating}};
      bool known = false;
      for (const auto& [name, plain] : k_tags) {
        known = known || (tag == std::string(k_core_tag) + name &&
                          (kind == plain || (plain == draft::Plain::floating && kind == draft::Plain::integer)));
      }
      if (!known) {
        fail(node.Mark(), fmt::format("{}: unsupported tag `{}` on `{}`", path, tag, text));
      }
      if (tag == std::string(k_core_tag) + "float") {
        kind = draft::Plain::floating;
      }
    }
    switch (kind) {
    case draft::Plain::null: return nullptr;
    case draft::Plain::boolean: return text[0] == 't' || text[0] == 'T';
    case draft::Plain::integer: return integer(node, path);
    case draft::Plain::floating: return floating(node, path);
    case draft::Plain::string: return text;
    }
    return text;
  }

  Json integer(const YAML::Node& node, const std::string& path) {
    std::string_view s = node.Scalar();
    int base = s.starts_with("0o") ? 8 : s.starts_with("0x") ? 16 : 10;
    s.remove_prefix(base == 10 ? (s[0] == '+' ? 1 : 0) : 2);
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (ec == std::errc() && end == s.data() + s.size()) {
      return value;
    }
    uint64_t big = 0;
    auto [big_end, big_ec] = std::from_chars(s.data(), s.data() + s.size(), big, base);
    if (big_ec == std::errc() && big_end == s.data() + s.size()) {
      return big;
    }
    fail(node.Mark(), fmt::format("{}: integer `{}` out of range", path, node.Scalar()));
  }

  Json floating(const YAML::Node& node, const std::string& path) {
    std::string_view s = node.Scalar();
    s.remove_prefix(!s.empty() && s[0] == '+' ? 1 : 0);
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
      fail(node.Mark(), fmt::format("{}: expected a finite number, got `{}`", path, node.Scalar()));
    }
    return value;
  }

  std::string_view m_text;
  const std::string& m_path;
};

// Where `XXX` stands in a scalar: a literal block's text starts on the line after its `|`;
// the column is found in that line of the draft.
util::Diagnostic locate_marker(std::string_view text, const std::string& path, const YAML::Node& node,
                               std::string_view value, const std::string& message) {
  int64_t line = node.Mark().line + 1;
  size_t mark = static_cast<size_t>(std::max(node.Mark().pos, 0));
  if (mark < text.size() && (text[mark] == '|' || text[mark] == '>')) {
    line += 1 + std::count(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(value.find("XXX")), '\n');
  }
  size_t offset = 0;
  for (int64_t l = 1; l < line && offset < text.size(); ++l) {
    offset = text.find('\n', offset);
    offset = offset == std::string_view::npos ? text.size() : offset + 1;
  }
  size_t column = text.substr(offset, text.find('\n', offset) - offset).find("XXX");
  return util::Diagnostic{
      path, line, column != std::string_view::npos ? static_cast<int64_t>(column) + 1 : int64_t{node.Mark().column} + 1,
      util::Severity::error, message};
}

void find_markers(std::string_view text, const std::string& path, const YAML::Node& node, const std::string& where,
                  std::vector<util::Diagnostic>& out) {
  if (node.IsMap()) {
    for (const auto& member : node) {
      std::string key = member.first.IsScalar() ? member.first.Scalar() : "";
      std::string member_path = json_path_key(where, key);
      if (key.find("XXX") != std::string::npos) {
        out.push_back(
            locate_marker(text, path, member.first, key, member_path + ": unreplaced template marker (XXX) in a key"));
      }
      find_markers(text, path, member.second, member_path, out);
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      find_markers(text, path, node[i], where + "[" + std::to_string(i) + "]", out);
    }
  } else if (node.IsScalar() && node.Scalar().find("XXX") != std::string::npos) {
    out.push_back(locate_marker(text, path, node, node.Scalar(),
                                where + ": unreplaced template marker (XXX); write the text before publishing"));
  }
}

bool blank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\n") == std::string::npos;
}

} // namespace

Notice parse_draft(std::string_view text, const std::string& path) {
  Reader reader(text, path);
  return notice_from_json(reader.convert(reader.load()), path);
}

std::vector<util::Diagnostic> draft_problems(std::string_view text, const std::string& path) {
  Reader reader(text, path);
  const YAML::Node root = reader.load();
  Notice notice = notice_from_json(reader.convert(root), path);
  std::vector<util::Diagnostic> out;
  find_markers(text, path, root, "", out);
  auto at = [&](const char* key) {
    const YAML::Node node = root[key];
    return node && !node.IsNull() ? node.Mark() : root.Mark();
  };
  auto missing = [&](const char* key, const std::string& message) {
    YAML::Mark m = at(key);
    out.push_back(util::Diagnostic{path, m.line + 1, m.column + 1, util::Severity::error, message});
  };
  for (auto [key, field] : {std::pair{"title", &notice.title}, std::pair{"summary", &notice.summary},
                            std::pair{"description", &notice.description}}) {
    if (blank(*field)) {
      missing(key,
              fmt::format("{}: {} the notice needs one before it is published", key, *field ? "empty;" : "missing;"));
    }
  }
  if (notice.releases.empty()) {
    missing("releases", "releases: none; a notice fixes packages in at least one release");
  }
  for (const auto& [name, release] : notice.releases) {
    if (!release.sources || release.sources->empty()) {
      const YAML::Node releases = root["releases"];
      YAML::Mark m = releases[name].Mark();
      out.push_back(util::Diagnostic{path, m.line + 1, m.column + 1, util::Severity::error,
                                     json_path_key("releases", name) + ": no sources; name the fixed source packages"});
    }
  }
  util::sort_diagnostics(out);
  return out;
}

} // namespace kct::usn
