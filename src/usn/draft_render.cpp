// The writing half of draft.h. yaml-cpp's emitter is not used: it writes every literal block
// as `|` whatever the string's trailing newlines, so `|-`/`|+` texts and texts whose first
// line starts with a space would not come back equal. Writing block YAML is simple enough
// when each string picks the first form that reads back exactly: plain (only for safe ASCII
// that the core schema reads as a string), a literal block (multi-line texts), or a
// double-quoted string with escapes.
#include "usn/draft.h"

#include "usn/draft_schema.h"
#include "usn/notice_json.h"
#include "util/error.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>

namespace kct::usn {
namespace {

using draft::Field;
using draft::Slot;
using draft::Want;

constexpr const char* k_header =
    "# USN draft: the notice as it will be published (the keys of its JSON document, as YAML).\n"
    "# Lines starting with # are ignored. Multi-line texts are literal blocks: `|` ends the text\n"
    "# with one newline, `|-` with none, `|+` keeps the blank lines after it, and a digit after\n"
    "# `|` is the indentation of the text. Quote a value that should stay a string but reads as\n"
    "# a number, true/false or null. Replace every XXX placeholder, then run\n"
    "#   kct usn publish {}\n";

// Code points YAML does not take raw in a scalar (C1 controls, NEL, line and paragraph
// separators, BOM); -1 for invalid UTF-8. Sets `length` to the sequence's byte count.
int32_t decode(std::string_view s, size_t i, size_t& length) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > s.size()) {
    return -1;
  }
  int32_t cp = length == 1 ? c : c & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return -1;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static const int32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < k_min[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  return cp;
}

bool yaml_printable(int32_t cp) {
  return (cp >= 0x20 && cp < 0x7F) || cp == '\t' || cp == '\n' ||
         (cp > 0x9F && cp != 0x2028 && cp != 0x2029 && cp != 0xFEFF && cp != 0xFFFE && cp != 0xFFFF);
}

std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t length = 0;
    int32_t cp = decode(s, i, length);
    if (cp < 0) {
      throw Error(fmt::format("cannot write the draft: the text `{}` is not valid UTF-8", s.substr(0, 60)));
    }
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (!yaml_printable(cp)) {
      out += fmt::format("\\u{:04X}", cp);
    } else {
      out.append(s.substr(i, length));
    }
    i += length;
  }
  return out + "\"";
}

bool yaml11_word(std::string_view s) {
  for (std::string_view w :
       {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}) {
    if (s == w) {
      return true;
    }
  }
  return false;
}

// Short ASCII text that reads back as this very string when written plain, in block
// context: it starts with a letter or digit, has no `: `, ` #`, trailing space or
// indicator that could end or retype it, and the core schema reads it as a string (YAML 1.1
// booleans like `yes` are quoted too, for other readers of the file).
bool plain_ok(std::string_view s) {
  if (s.empty() || s.size() > 200 || !std::isalnum(static_cast<unsigned char>(s[0])) || s.back() == ' ' ||
      s.back() == ':') {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) ||
              std::string_view(" ._/+~,()@=%'!?&*;<>$^-").find(c) != std::string_view::npos;
    if (c == ':') {
      ok = s[i + 1] != ' ';
    }
    if (!ok) {
      return false;
    }
  }
  return draft::classify_plain(s) == draft::Plain::string && !yaml11_word(s);
}

// Text a literal block holds exactly: printable, no line that is only whitespace (whose
// spaces a block would read as indentation), no tab starting a line, some content. Other
// strings are blocks only when multi-line; the notice's texts always are, so a reviewer can
// add a line without changing the style.
bool literal_ok(std::string_view s, bool text_field) {
  if (!text_field && s.find('\n') == std::string_view::npos) {
    return false;
  }
  bool content = false;
  size_t line_start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      std::string_view line = s.substr(line_start, i - line_start);
      bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
      if ((blank && !line.empty()) || (!line.empty() && line[0] == '\t')) {
        return false;
      }
      content = content || !line.empty();
      line_start = i + 1;
      continue;
    }
    size_t length = 0;
    int32_t cp = decode(s, i, length);
    if (cp < 0 || !yaml_printable(cp)) {
      return false;
    }
    i += length - 1;
  }
  return content;
}

std::string key_text(const std::string& key) {
  return plain_ok(key) ? key : yaml_quoted(key);
}

std::string scalar_text(const Json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    return plain_ok(s) ? s : yaml_quoted(s);
  }
  return value.dump(); // numbers keep their kind: a float always has a `.` or an exponent
}

// A collection inside a sequence, written in flow style with every string quoted.
std::string flow_text(const Json& value) {
  if (!value.is_structured()) {
    return value.is_string() ? yaml_quoted(value.get_ref<const std::string&>()) : value.dump();
  }
  std::string out = value.is_object() ? "{" : "[";
  bool first = true;
  for (const auto& [key, member] : value.items()) {
    out += first ? "" : ", ";
    first = false;
    out += value.is_object() ? yaml_quoted(key) + ": " + flow_text(member) : flow_text(member);
  }
  return out + (value.is_object() ? "}" : "]");
}

class Writer {
public:
  std::string out;

  void mapping(const Json& object, Slot slot, size_t indent) {
    bool is_dict = draft::is_dict(slot);
    const std::vector<std::string_view>& order = draft::key_order(slot);
    if (!is_dict) {
      for (std::string_view key : order) {
        auto it = object.find(std::string(key));
        if (it != object.end()) {
          bool text = slot == Slot::top && (key == "isummary" || key == "description" || key == "action");
          entry(it.key(), *it, draft::child(slot, key), indent, text);
        }
      }
    }
    for (const auto& [key, value] : object.items()) {
      bool known = std::find(order.begin(), order.end(), key) != order.end();
      if (is_dict || !known) {
        entry(key, value, draft::child(slot, key), indent, false);
      }
    }
  }

private:
  void entry(const std::string& key, const Json& value, Field field, size_t indent, bool text_field) {
    out.append(indent, ' ').append(key_text(key)).append(":");
    if (value.is_object()) {
      if (value.empty()) {
        out += " {}\n";
        return;
      }
      out += "\n";
      mapping(value, field.want == Want::record || field.want == Want::dict ? field.slot : Slot::other, indent + 2);
    } else if (value.is_array()) {
      if (value.empty()) {
        out += " []\n";
        return;
      }
      out += "\n";
      for (const Json& item : value) {
        out.append(indent + 2, ' ').append("- ");
        out += item.is_structured() ? flow_text(item) : scalar_text(item);
        out += "\n";
      }
    } else if (value.is_string() && literal_ok(value.get_ref<const std::string&>(), text_field)) {
      literal(value.get_ref<const std::string&>(), indent);
    } else {
      out += " " + scalar_text(value) + "\n";
    }
  }

  // `|` clips to one final newline, `|-` strips it, `|+` keeps the blank lines after the
  // text. The indentation indicator (relative to the mapping) is needed when the text's first
  // line starts with spaces, which would otherwise be read as the block's indentation.
  void literal(std::string_view s, size_t indent) {
    size_t end = s.find_last_not_of('\n') + 1;
    size_t trailing = s.size() - end;
    std::string_view body = s.substr(0, end);
    std::string_view first = body.substr(body.find_first_not_of('\n'));
    out += first[0] == ' ' ? " |2" : " |";
    out += trailing == 0 ? "-\n" : trailing == 1 ? "\n" : "+\n";
    size_t start = 0;
    while (start <= body.size()) {
      size_t nl = std::min(body.find('\n', start), body.size());
      if (nl > start) {
        out.append(indent + 2, ' ').append(body.substr(start, nl - start));
      }
      out += "\n";
      start = nl + 1;
    }
    out.append(trailing > 1 ? trailing - 1 : 0, '\n');
  }
};

} // namespace

std::string render_draft(const Notice& notice) {
  Writer writer;
  writer.out = fmt::format(k_header, notice.id);
  Json document = notice_to_json(notice);
  if (notice.id_form == IdForm::absent) {
    document["id"] = notice.id; // database.json files notices by key; a draft stands alone
  }
  writer.mapping(document, Slot::top, 0);
  return std::move(writer.out);
}

std::string draft_path(const std::string& dir, const std::string& id) {
  std::optional<UsnId> parsed = parse_usn_id(id);
  std::string name = "USN-" + (parsed ? parsed->text() : id) + ".yaml";
  if (dir.empty()) {
    return name;
  }
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string default_draft_dir() {
  const char* env = std::getenv("KCT_USN_DRAFTS");
  return env != nullptr && *env != '\0' ? env : "usn-drafts";
}

} // namespace kct::usn
