#include "tracker/parser.h"

#include "tracker/cvss.h"

#include "util/hash.h"
#include "util/strings.h"

#include <algorithm>
#include <fmt/format.h>

namespace kct::tracker {

using util::contains;
using util::rstrip;
using util::strip;

namespace {
constexpr std::string_view k_known_fields[] = {
    "References",  "Description", "Ubuntu-Description", "Notes", "Bugs",          "Assigned-to",
    "Approved-by", "PublicDate",  "PublicDateAtUSN",    "CRD",   "Discovered-by", "Mitigation",
    "CVSS"};

bool is_known_field(std::string_view name) {
  return std::find(std::begin(k_known_fields), std::end(k_known_fields), name) != std::end(k_known_fields);
}
} // namespace

Span Parser::span_of(std::string_view part) const {
  return Span{static_cast<uint32_t>(part.data() - m_file.m_text.data()), static_cast<uint32_t>(part.size())};
}

void Parser::report(util::Severity severity, uint32_t line, std::string_view at, std::string message) {
  int64_t column = 1;
  if (at.data() != nullptr) {
    column = static_cast<int64_t>(at.data() - m_file.m_text.data()) - m_file.m_line_starts[line] + 1;
  }
  m_file.m_diagnostics.push_back(
      util::Diagnostic{m_file.m_path, static_cast<int64_t>(line) + 1, column, severity, std::move(message)});
}

void Parser::error(uint32_t line, std::string_view at, std::string message) {
  report(util::Severity::error, line, at, std::move(message));
}

void Parser::warning(uint32_t line, std::string_view at, std::string message) {
  report(util::Severity::warning, line, at, std::move(message));
}

void Parser::run() {
  const std::string& text = m_file.m_text;
  // Line index first: one memchr pass, so every later reference is a line number.
  m_file.m_line_starts.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    m_file.m_line_starts.push_back(static_cast<uint32_t>(pos));
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    pos = nl == nullptr ? text.size() : static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1;
  }
  if (size_t bad = util::invalid_utf8_offset(text); bad != std::string_view::npos) {
    util::Location loc = util::locate(text, bad);
    m_file.m_diagnostics.push_back(util::Diagnostic{
        m_file.m_path, loc.line, loc.column, util::Severity::error,
        fmt::format("invalid UTF-8 byte 0x{:02x} (tracker files are UTF-8)", static_cast<unsigned char>(text[bad]))});
  }
  if (m_file.m_kind == FileKind::other) {
    return; // kept byte-for-byte, not parsed as a CVE
  }
  for (uint32_t i = 0; i < m_file.m_line_starts.size(); ++i) {
    parse_line(i, m_file.line(i));
  }
  finish();
}

void Parser::parse_line(uint32_t index, std::string_view raw) {
  std::string_view line = rstrip(raw);
  if (line.empty() || line[0] == '#') {
    return;
  }
  if (line[0] == ' ') {
    parse_continuation(index, line);
  } else {
    parse_header(index, line);
  }
}

void Parser::parse_header(uint32_t index, std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    error(index, line, fmt::format("bad line '{}' (expected 'Field: value')", line));
    return; // like load_cve, the previous field keeps collecting continuations
  }
  Field f;
  f.name = span_of(strip(line.substr(0, colon)));
  f.value = span_of(strip(line.substr(colon + 1)));
  f.line = f.last_line = index;
  std::string_view name = m_file.view(f.name);
  std::string_view value = m_file.view(f.value);
  if (m_note_open) {
    m_file.m_notes.push_back(std::move(m_note));
    m_note_open = false;
  }
  m_last_takes_continuations = true;
  // cve_lib classifies by substring ("Priority", "Patches_", "Tags_", "_" anywhere in the name).
  // One pass finds which of those can match, so most names need no substring search at all.
  bool has_p = false;
  bool has_t = false;
  bool has_underscore = false;
  for (char c : name) {
    has_p = has_p || c == 'P';
    has_t = has_t || c == 'T';
    has_underscore = has_underscore || c == '_';
  }
  if (name == "Candidate") {
    f.kind = FieldKind::candidate;
    bool ok = value.empty() || util::starts_with(value, "CVE-") || util::starts_with(value, "UEM-") ||
              util::starts_with(value, "EMB-");
    if (!ok) {
      error(index, value, fmt::format("unknown Candidate '{}' (must be /(CVE|UEM|EMB)-/)", value));
    }
  } else if (has_p && contains(name, "Priority")) {
    f.kind = FieldKind::priority;
    parse_priority(index, f.name, f.value);
  } else if (has_p && has_underscore && contains(name, "Patches_")) {
    f.kind = FieldKind::patches;
  } else if (has_t && has_underscore && contains(name, "Tags_")) {
    f.kind = FieldKind::tags;
    m_last_takes_continuations = false;
    parse_tags(index, f.name, f.value);
  } else if (has_underscore) {
    m_last_takes_continuations = false;
    parse_status(index, f.name, f.value);
    return;
  } else if (is_known_field(name)) {
    f.kind = FieldKind::known;
  } else {
    f.kind = FieldKind::unknown;
    error(index, line, fmt::format("unknown field '{}'", name));
  }
  m_file.m_fields.push_back(f);
  m_last = static_cast<int64_t>(m_file.m_fields.size()) - 1;
}

void Parser::parse_priority(uint32_t index, Span name, Span value) {
  std::string_view v = m_file.view(value);
  // Only the first word counts; the rest is a comment (cve_lib discards it).
  size_t end = 0;
  while (end < v.size() && !util::is_space(v[end])) {
    ++end;
  }
  std::string_view word = v.substr(0, end);
  if (!is_valid_priority(word)) {
    error(index, v,
          fmt::format("unknown Priority '{}' (expected one of: untriaged not-for-us negligible low "
                      "medium high critical)",
                      word));
  }
  m_file.m_priorities.push_back(PriorityEntry{name, span_of(word), index});
}

void Parser::parse_tags(uint32_t index, Span name, Span value) {
  std::string_view n = m_file.view(name);
  Span key = span_of(n.substr(n.find('_') + 1));
  std::string_view v = m_file.view(value);
  // Split on single spaces as cve_lib does, so a double space is an empty, invalid tag.
  size_t start = 0;
  for (;;) {
    size_t sp = v.find(' ', start);
    std::string_view tag = v.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start);
    if (!is_valid_tag(tag)) {
      std::string_view at = tag.empty() ? v.substr(start) : tag;
      error(index, at.data() != nullptr && !v.empty() ? at : n,
            fmt::format("invalid tag '{}' in '{}' (valid tags: universe-binary not-ue apparmor "
                        "stack-protector fortify-source symlink-restriction hardlink-restriction "
                        "heap-protector pie)",
                        tag, n));
    } else {
      m_file.m_tags.push_back(TagEntry{key, span_of(tag), index});
    }
    if (sp == std::string_view::npos) {
      break;
    }
    start = sp + 1;
  }
}

void Parser::parse_status(uint32_t index, Span name, Span value) {
  std::string_view key = m_file.view(name);
  size_t underscore = key.find('_');
  std::string_view release = key.substr(0, underscore);
  StatusEntry e;
  e.release_text = span_of(release);
  e.package = span_of(key.substr(underscore + 1));
  e.line = index;
  std::optional<catalog::ReleaseId> id = m_catalog.find(release);
  if (!id) {
    error(index, key,
          fmt::format("unknown release '{}' in '{}' (not in the catalog {})", release, key, m_catalog.path()));
    return;
  }
  e.release = *id;
  std::string_view v = m_file.view(value);
  size_t space = v.find(' ');
  std::string_view state = v.substr(0, space);
  std::string_view details = space == std::string_view::npos ? std::string_view() : strip(v.substr(space + 1));
  // One leading '(' and, independently, one trailing ')' are removed.
  if (!details.empty() && details.front() == '(') {
    details.remove_prefix(1);
  }
  if (!details.empty() && details.back() == ')') {
    details.remove_suffix(1);
  }
  Span state_span = span_of(state.empty() ? v.substr(0, 0) : state);
  e.details = details.data() != nullptr ? span_of(details) : Span{state_span.offset + state_span.length, 0};
  if (state.empty()) {
    e.state = State::needs_triage; // `upstream_linux: ` is how the boilerplate says it
  } else if (details.empty() && state[0] >= '0' && state[0] <= '9') {
    e.state = State::released; // legacy form: the version alone means released
    e.details = state_span;
    e.legacy_version = true;
  } else if (std::optional<State> s = parse_state(state)) {
    e.state = *s;
  } else {
    error(index, state,
          fmt::format("{} has unknown state: '{}' (valid states are: {})", key, state, valid_state_list()));
    return;
  }
  m_file.m_statuses.push_back(e);
}

void Parser::parse_continuation(uint32_t index, std::string_view line) {
  Field* last = last_field();
  if (last == nullptr || !m_last_takes_continuations) {
    error(index, line,
          fmt::format("bad line '{}' (a continuation line must follow a field that takes "
                      "one; status and Tags lines do not)",
                      line));
    return;
  }
  last->last_line = index;
  std::string_view name = m_file.view(last->name);
  if (last->kind == FieldKind::patches) {
    parse_patch_line(index, line);
  } else if (name == "Notes") {
    parse_note_line(index, line);
  } else if (name == "CVSS") {
    parse_cvss_line(index, line);
  }
}

void Parser::parse_note_line(uint32_t index, std::string_view line) {
  // NOTE_RE: leading whitespace, a nick [A-Za-z0-9-]+, '>' or '|', spaces, text.
  size_t i = 0;
  while (i < line.size() && util::is_space(line[i])) {
    ++i;
  }
  size_t nick_start = i;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-')) {
    ++i;
  }
  bool is_new = i > nick_start && i < line.size() && (line[i] == '>' || line[i] == '|');
  std::string_view author;
  char separator = m_note.separator;
  std::string_view text;
  if (is_new) {
    author = line.substr(nick_start, i - nick_start);
    separator = line[i];
    ++i;
    while (i < line.size() && line[i] == ' ') {
      ++i;
    }
    text = line.substr(i);
  } else {
    if (!m_note_open) {
      error(index, line, fmt::format("Note entry with no author: '{}'", line.substr(1)));
      return;
    }
    if (!util::starts_with(line, "  ")) {
      // load_cve of this era accepted these (571 lines in the 2019 snapshot); later versions
      // reject them. Reported so they can be fixed, without failing the check.
      warning(index, line, "Note continuations should be indented by 2 spaces");
    }
    author = m_note.author;
    text = strip(line);
  }
  if (m_note_open && (author != m_note.author || separator != m_note.separator)) {
    m_file.m_notes.push_back(std::move(m_note));
    m_note_open = false;
  }
  if (!m_note_open) {
    m_note = Note{std::string(author), std::string(text), index, separator};
    m_note_open = true;
    return;
  }
  m_note.text += separator == '|' ? ' ' : '\n';
  m_note.text += text;
}

void Parser::parse_cvss_line(uint32_t index, std::string_view line) {
  std::string_view body = strip(line);
  size_t colon = body.find(": ");
  if (colon == std::string_view::npos) {
    error(index, body, "expected ' source: CVSS:3.x/AV:../AC:../PR:../UI:../S:../C:../I:../A:..'");
    return;
  }
  std::string_view source = body.substr(0, colon);
  std::string_view vector = strip(body.substr(colon + 2));
  size_t end = vector.find(' ');
  vector = vector.substr(0, end);
  std::string why;
  std::optional<CvssScore> score = score_cvss(vector, why);
  if (!score) {
    error(index, vector, fmt::format("bad CVSS vector '{}' from {}: {}", vector, source, why));
    return;
  }
  m_file.m_cvss.push_back(CvssEntry{span_of(source), span_of(vector), index, score->base});
}

void Parser::finish() {
  if (m_note_open) {
    m_file.m_notes.push_back(std::move(m_note));
    m_note_open = false;
  }
  check_repeats();
  if (m_file.m_kind == FileKind::cve) {
    check_required_fields();
  }
  const std::string& text = m_file.m_text;
  if (!text.empty() && text.back() != '\n') {
    uint32_t last = static_cast<uint32_t>(m_file.m_line_starts.size() - 1);
    std::string_view l = m_file.line(last);
    warning(last, l.substr(l.size()), "file does not end with a newline (truncated?)");
  }
}

void Parser::check_repeats() {
  // Header names: fields, then status keys (`release_pkg`, contiguous in the text). An
  // open-addressing set of indexes keyed by name: kernel files have ~300 headers and this runs
  // for every file, so no node allocation and no sorting.
  struct Header {
    std::string_view name;
    uint32_t line;
  };
  std::vector<Header> headers;
  headers.reserve(m_file.m_fields.size() + m_file.m_statuses.size());
  for (const Field& f : m_file.m_fields) {
    headers.push_back(Header{m_file.view(f.name), f.line});
  }
  for (const StatusEntry& e : m_file.m_statuses) {
    Span key{e.release_text.offset, e.release_text.length + 1 + e.package.length};
    headers.push_back(Header{m_file.view(key), e.line});
  }
  size_t capacity = 16;
  while (capacity < headers.size() * 2) {
    capacity *= 2;
  }
  constexpr uint32_t k_empty = UINT32_MAX;
  std::vector<uint32_t> slots(capacity, k_empty);
  std::vector<uint32_t> repeated_lines;
  for (uint32_t i = 0; i < headers.size(); ++i) {
    size_t h = util::fast_hash(headers[i].name) & (capacity - 1);
    for (;;) {
      uint32_t other = slots[h];
      if (other == k_empty) {
        slots[h] = i;
        break;
      }
      if (headers[other].name == headers[i].name) {
        repeated_lines.push_back(headers[i].line);
        break;
      }
      h = (h + 1) & (capacity - 1);
    }
  }
  if (repeated_lines.empty()) {
    return;
  }
  // Report in line order, and keep only the first value of each (as load_cve does).
  std::sort(repeated_lines.begin(), repeated_lines.end());
  auto is_repeat = [&](uint32_t line) {
    return std::binary_search(repeated_lines.begin(), repeated_lines.end(), line);
  };
  for (const Header& h : headers) {
    if (!is_repeat(h.line)) {
      continue;
    }
    uint32_t first = h.line;
    for (const Header& o : headers) {
      if (o.name == h.name) {
        first = std::min(first, o.line);
      }
    }
    error(h.line, h.name, fmt::format("repeated field '{}' (first at line {})", h.name, first + 1));
  }
  for (Field& f : m_file.m_fields) {
    f.repeated = is_repeat(f.line);
  }
  auto& st = m_file.m_statuses;
  st.erase(std::remove_if(st.begin(), st.end(), [&](const StatusEntry& e) { return is_repeat(e.line); }), st.end());
  auto& pr = m_file.m_priorities;
  pr.erase(std::remove_if(pr.begin(), pr.end(), [&](const PriorityEntry& e) { return is_repeat(e.line); }), pr.end());
}

void Parser::check_required_fields() {
  for (std::string_view required : {"Candidate", "PublicDate", "Description"}) {
    if (m_file.field(required) == nullptr) {
      m_file.m_diagnostics.push_back(util::Diagnostic{m_file.m_path, 1, 1, util::Severity::error,
                                                      fmt::format("missing required field '{}'", required)});
    }
  }
  if (const Field* c = m_file.field("Candidate"); c != nullptr && c->value.length == 0) {
    error(c->line, m_file.view(c->name), "Candidate must not be empty");
  }
  const Field* assigned = m_file.field("Assigned-to");
  bool has_assignee = assigned != nullptr && assigned->value.length > 0;
  for (const StatusEntry& e : m_file.m_statuses) {
    if (e.state == State::active && !has_assignee) {
      error(e.line, m_file.view(e.release_text),
            fmt::format("{}_{} has state 'active' but lacks 'Assigned-to'", m_file.view(e.release_text),
                        m_file.view(e.package)));
    }
  }
}

} // namespace kct::tracker
