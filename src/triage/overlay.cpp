// Reads the synthetic-reference overlay (§1.2.3). cves-applied2 hands every `:` line to Python's
// exec, so the file is in effect a program; we accept only the literal shape it is written in,
// `name('str', ['str', …])`, with Python's string quoting, so the same file gives the same ids
// without ever running anything from it.
#include "triage/overlay.h"

#include "util/error.h"
#include "util/files.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>

namespace kct::triage {

namespace {

constexpr std::string_view k_mapping_form = "'<id> <id2> [<id3> ...]'";
constexpr std::string_view k_title_form = "title('<subject>', ['<id>', ...])";

// A Python literal as far as the overlay uses them; numbers and None count as `other`.
struct Literal {
  enum class Kind { string, list, other };
  Kind kind = Kind::other;
  std::string text;
  std::vector<Literal> items;
  size_t offset = 0; // in the line
};

struct Problem {
  size_t offset = 0;
  std::string message;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Reads `:name(arg, …)` from one line. Errors stop the line; warnings (an escape Python would
// keep as written) are collected and the line still counts.
class CallReader {
public:
  explicit CallReader(std::string_view line) : m_line(line) {}

  std::string_view read_name();
  bool read_args(std::vector<Literal>& args);
  const Problem& error() const { return m_error; }
  const std::vector<Problem>& warnings() const { return m_warnings; }

private:
  bool fail(size_t offset, std::string message) {
    m_error = Problem{offset, std::move(message)};
    return false;
  }
  bool at_end() const { return m_pos >= m_line.size(); }
  char peek(size_t ahead = 0) const { return m_pos + ahead < m_line.size() ? m_line[m_pos + ahead] : '\0'; }
  void skip_space() {
    while (!at_end() && util::is_space(peek())) {
      ++m_pos;
    }
  }
  bool at_string() const;
  bool read_sequence(char close, std::vector<Literal>& items);
  bool read_value(Literal& out);
  bool read_string(std::string& out);
  bool read_escape(std::string& out);
  bool read_code_point(size_t digits, size_t escape_at, std::string& out);

  std::string_view m_line;
  size_t m_pos = 1; // past the ':'
  Problem m_error;
  std::vector<Problem> m_warnings;
};

std::string_view CallReader::read_name() {
  size_t start = m_pos;
  while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) != 0 || peek() == '_')) {
    ++m_pos;
  }
  return m_line.substr(start, m_pos - start);
}

bool CallReader::read_args(std::vector<Literal>& args) {
  skip_space();
  if (peek() != '(') {
    return fail(m_pos, "expected '(' after the command name");
  }
  ++m_pos;
  if (!read_sequence(')', args)) {
    return false;
  }
  skip_space();
  if (!at_end() && peek() != '#') {
    return fail(m_pos, "unexpected text after ')'");
  }
  return true;
}

// Items up to `close`, comma-separated, a trailing comma allowed as in Python.
bool CallReader::read_sequence(char close, std::vector<Literal>& items) {
  for (;;) {
    skip_space();
    if (peek() == close) {
      ++m_pos;
      return true;
    }
    Literal item;
    if (!read_value(item)) {
      return false;
    }
    items.push_back(std::move(item));
    skip_space();
    if (peek() == ',') {
      ++m_pos;
    } else if (peek() != close) {
      return fail(m_pos, fmt::format("expected ',' or '{}'", close));
    }
  }
}

bool CallReader::at_string() const {
  char c = peek();
  bool prefix = c == 'u' || c == 'U' || c == 'r' || c == 'R';
  char q = prefix ? peek(1) : c;
  return q == '\'' || q == '"';
}

bool CallReader::read_value(Literal& out) {
  out.offset = m_pos;
  if (at_string()) {
    out.kind = Literal::Kind::string;
    // Adjacent literals join, as in Python: 'a' "b" is "ab".
    do {
      if (!read_string(out.text)) {
        return false;
      }
      skip_space();
    } while (at_string());
    return true;
  }
  if (peek() == '[') {
    out.kind = Literal::Kind::list;
    ++m_pos;
    return read_sequence(']', out.items);
  }
  // Numbers and the constants, so `:unpublished_version(…)` with any plain argument parses.
  size_t start = m_pos;
  while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) != 0 || peek() == '.' || peek() == '-')) {
    ++m_pos;
  }
  std::string_view word = m_line.substr(start, m_pos - start);
  bool number = !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) != 0 || word[0] == '-');
  if (number || word == "None" || word == "True" || word == "False") {
    return true;
  }
  return fail(start, "expected a string, a list or a number");
}

bool CallReader::read_string(std::string& out) {
  bool raw = peek() == 'r' || peek() == 'R';
  if (peek() != '\'' && peek() != '"') {
    ++m_pos; // the u/r prefix
  }
  size_t open = m_pos;
  char quote = peek();
  ++m_pos;
  while (!at_end() && peek() != quote) {
    if (peek() != '\\') {
      out += m_line[m_pos++];
    } else if (raw) {
      // A raw string keeps the backslash, which still protects the next character.
      out += m_line[m_pos++];
      if (!at_end()) {
        out += m_line[m_pos++];
      }
    } else if (!read_escape(out)) {
      return false;
    }
  }
  if (at_end()) {
    return fail(open, "unterminated string");
  }
  ++m_pos;
  return true;
}

bool CallReader::read_escape(std::string& out) {
  size_t at = m_pos;
  char c = peek(1);
  m_pos += 2;
  switch (c) {
  case '\\':
  case '\'':
  case '"': out += c; return true;
  case 'n': out += '\n'; return true;
  case 't': out += '\t'; return true;
  case 'r': out += '\r'; return true;
  case 'a': out += '\a'; return true;
  case 'b': out += '\b'; return true;
  case 'f': out += '\f'; return true;
  case 'v': out += '\v'; return true;
  case 'x': return read_code_point(2, at, out);
  case 'u': return read_code_point(4, at, out);
  case 'U': return read_code_point(8, at, out);
  default: break;
  }
  if (c >= '0' && c <= '7') {
    uint32_t cp = static_cast<uint32_t>(c - '0');
    for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; ++i) {
      cp = cp * 8 + static_cast<uint32_t>(m_line[m_pos++] - '0');
    }
    util::append_utf8(out, cp);
    return true;
  }
  if (c == '\0') {
    m_pos = at + 1;
    return fail(at, "unterminated string");
  }
  // Python keeps an unknown escape as written; so do we, but it is most likely a mistake.
  out += '\\';
  out += c;
  m_warnings.push_back(Problem{at, fmt::format("unknown escape '\\{}' kept as written, as Python does", c)});
  return true;
}

// `\xNN`, `\uNNNN`, `\UNNNNNNNN`: a code point (Python 3 text), written out as UTF-8 like the
// commit subjects it is compared with.
bool CallReader::read_code_point(size_t digits, size_t escape_at, std::string& out) {
  uint32_t cp = 0;
  for (size_t i = 0; i < digits; ++i) {
    int d = hex_digit(peek());
    if (d < 0) {
      return fail(escape_at,
                  fmt::format("truncated '\\{}' escape (expected {} hex digits)", m_line[escape_at + 1], digits));
    }
    cp = cp * 16 + static_cast<uint32_t>(d);
    ++m_pos;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return fail(escape_at, fmt::format("escape gives U+{:X}, which is not a Unicode character", cp));
  }
  util::append_utf8(out, cp);
  return true;
}

class OverlayParser {
public:
  OverlayParser(Overlay& overlay, std::vector<util::Diagnostic>& diagnostics)
      : m_overlay(overlay), m_diagnostics(diagnostics) {}

  void parse_line(int line_no, std::string_view line);

private:
  void report(util::Severity severity, size_t offset, std::string message) {
    m_diagnostics.push_back(
        util::Diagnostic{m_overlay.path, m_line, static_cast<int64_t>(offset) + 1, severity, std::move(message)});
  }
  void error(size_t offset, std::string message) { report(util::Severity::error, offset, std::move(message)); }
  void check_id(std::string_view id, size_t offset);
  void parse_mapping(std::string_view line);
  void parse_command(std::string_view line, size_t colon);
  void add_title(const std::vector<Literal>& args, size_t name_offset);

  Overlay& m_overlay;
  std::vector<util::Diagnostic>& m_diagnostics;
  int m_line = 0;
};

void OverlayParser::parse_line(int line_no, std::string_view line) {
  m_line = line_no;
  std::string_view body = util::strip(line);
  if (body.empty() || body[0] == '#') {
    return;
  }
  size_t start = static_cast<size_t>(body.data() - line.data());
  if (body[0] == ':') {
    parse_command(line, start);
  } else {
    parse_mapping(line);
  }
}

// Provenance is matched on full 40-character shas only, so an abbreviated one never matches.
void OverlayParser::check_id(std::string_view id, size_t offset) {
  if (id.size() >= 7 && id.size() < 40 && util::is_hex(id)) {
    report(util::Severity::warning, offset,
           fmt::format("'{}' looks like an abbreviated sha ({} characters); only full 40-character shas match", id,
                       id.size()));
  }
}

void OverlayParser::parse_mapping(std::string_view line) {
  OverlayMapping m;
  m.line = m_line;
  size_t i = 0;
  size_t first_end = 0;
  while (i < line.size()) {
    while (i < line.size() && util::is_space(line[i])) {
      ++i;
    }
    size_t start = i;
    while (i < line.size() && !util::is_space(line[i])) {
      ++i;
    }
    std::string_view word = line.substr(start, i - start);
    if (word.empty() || word[0] == '#') {
      break; // no id starts with '#', so it can only begin a comment
    }
    check_id(word, start);
    if (m.id.empty()) {
      m.id = word;
      first_end = i;
    } else {
      m.targets.emplace_back(word);
    }
  }
  if (m.targets.empty()) {
    error(first_end, fmt::format("'{}' maps to nothing (expected {})", m.id, k_mapping_form));
    return;
  }
  m_overlay.mappings.push_back(std::move(m));
}

void OverlayParser::parse_command(std::string_view line, size_t colon) {
  CallReader reader(line.substr(colon));
  std::string_view name = reader.read_name();
  if (name != "title" && name != "unpublished_version") {
    error(colon + 1,
          fmt::format("unknown overlay command ':{}' (expected :{} or :unpublished_version(...))", name, k_title_form));
    return;
  }
  std::vector<Literal> args;
  bool ok = reader.read_args(args);
  for (const Problem& w : reader.warnings()) {
    report(util::Severity::warning, colon + w.offset, w.message);
  }
  if (!ok) {
    error(colon + reader.error().offset, reader.error().message);
    return;
  }
  if (name == "title") {
    for (Literal& a : args) {
      a.offset += colon;
      for (Literal& item : a.items) {
        item.offset += colon;
      }
    }
    add_title(args, colon + 1);
  }
  // unpublished_version does nothing in cves-applied2 either.
}

void OverlayParser::add_title(const std::vector<Literal>& args, size_t name_offset) {
  if (args.size() != 2) {
    error(name_offset, fmt::format("title takes 2 arguments, got {} (expected :{})", args.size(), k_title_form));
    return;
  }
  if (args[0].kind != Literal::Kind::string) {
    error(args[0].offset,
          fmt::format("the first argument of title must be the subject string (expected :{})", k_title_form));
    return;
  }
  if (args[1].kind != Literal::Kind::list) {
    error(args[1].offset,
          fmt::format("the second argument of title must be a list of ids (expected :{})", k_title_form));
    return;
  }
  OverlayTitle t{args[0].text, {}, m_line};
  for (const Literal& item : args[1].items) {
    if (item.kind != Literal::Kind::string || item.text.empty()) {
      error(item.offset, "an id must be a non-empty string");
      return;
    }
    check_id(item.text, item.offset);
    t.ids.push_back(item.text);
  }
  if (t.ids.empty()) {
    report(util::Severity::warning, args[1].offset, "empty id list; this title line does nothing");
  }
  m_overlay.titles.push_back(std::move(t));
}

// 64-bit FNV-1a: stable across runs and builds (unlike std::hash), and spreads every byte of
// long inputs (fast_hash looks only at the ends, which suits keys, not whole files).
struct Fnv1a {
  uint64_t h = 0xcbf29ce484222325ULL;
  void add(std::string_view s) {
    // Length first, so ("ab","c") and ("a","bc") differ.
    add_bytes(std::to_string(s.size()));
    add_bytes(":");
    add_bytes(s);
  }
  void add_bytes(std::string_view s) {
    for (char c : s) {
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
  }
};

} // namespace

Overlay Overlay::parse(std::string path, std::string_view text, std::vector<util::Diagnostic>& diagnostics) {
  Overlay overlay;
  overlay.path = std::move(path);
  OverlayParser parser(overlay, diagnostics);
  util::for_each_line(text, [&](int line_no, std::string_view line) { parser.parse_line(line_no, line); });
  return overlay;
}

Overlay Overlay::load(const std::string& path, std::vector<util::Diagnostic>& diagnostics) {
  return parse(path, util::read_file_or_throw(path, "overlay"), diagnostics);
}

std::string Overlay::fingerprint() const {
  Fnv1a f;
  for (const OverlayMapping& m : mappings) {
    f.add("map");
    f.add(m.id);
    f.add(std::to_string(m.targets.size()));
    for (const std::string& t : m.targets) {
      f.add(t);
    }
  }
  for (const OverlayTitle& t : titles) {
    f.add("title");
    f.add(t.title);
    f.add(std::to_string(t.ids.size()));
    for (const std::string& id : t.ids) {
      f.add(id);
    }
  }
  return fmt::format("{:016x}", f.h);
}

} // namespace kct::triage
