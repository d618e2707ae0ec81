#include "kgit/references.h"

#include <cctype>

namespace kct::kgit {
namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_any_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// A cursor over one line, with the small matching steps the rules are built from. Each rule
// is a regular expression in the original; spelling them out keeps the scan of a million
// kernel commits fast and the case rules explicit.
class Cursor {
public:
  Cursor(std::string_view line, size_t pos, bool icase) : m_line(line), m_pos(pos), m_icase(icase) {}
  size_t pos() const { return m_pos; }
  bool literal(std::string_view text) {
    if (m_line.size() - m_pos < text.size()) {
      return false;
    }
    for (size_t i = 0; i < text.size(); ++i) {
      char c = m_line[m_pos + i];
      if (m_icase ? lower(c) != lower(text[i]) : c != text[i]) {
        return false;
      }
    }
    m_pos += text.size();
    return true;
  }
  bool one_of(std::string_view chars) {
    if (m_pos < m_line.size() && chars.find(m_icase ? lower(m_line[m_pos]) : m_line[m_pos]) != std::string_view::npos) {
      ++m_pos;
      return true;
    }
    return false;
  }
  // \s+ (at least one) or \s* (none needed).
  bool spaces(bool required) {
    size_t start = m_pos;
    while (m_pos < m_line.size() && (m_line[m_pos] == ' ' || m_line[m_pos] == '\t')) {
      ++m_pos;
    }
    return !required || m_pos > start;
  }
  // A non-space word (\S+).
  bool word() {
    size_t start = m_pos;
    while (m_pos < m_line.size() && m_line[m_pos] != ' ' && m_line[m_pos] != '\t') {
      ++m_pos;
    }
    return m_pos > start;
  }
  // Exactly 40 hex digits followed by a word boundary.
  std::optional<std::string> sha() {
    size_t n = 0;
    while (m_pos + n < m_line.size() && n < 40 &&
           (m_icase ? is_any_hex(m_line[m_pos + n]) : is_lower_hex(m_line[m_pos + n]))) {
      ++n;
    }
    if (n != 40 || (m_pos + 40 < m_line.size() && is_word(m_line[m_pos + 40]))) {
      return std::nullopt;
    }
    std::string result(m_line.substr(m_pos, 40));
    m_pos += 40;
    return result;
  }

private:
  std::string_view m_line;
  size_t m_pos;
  bool m_icase;
};

using Matcher = std::optional<std::string> (*)(std::string_view line, size_t pos);

// `commit <sha> upstream`
std::optional<std::string> stable_header(std::string_view line, size_t pos) {
  Cursor c(line, pos, false);
  if (!c.literal("commit ")) {
    return std::nullopt;
  }
  std::optional<std::string> sha = c.sha();
  if (sha && c.literal(" upstream")) {
    return sha;
  }
  return std::nullopt;
}

// `[ Upstream commit <sha> ]`
std::optional<std::string> upstream_bracket(std::string_view line, size_t pos) {
  Cursor c(line, pos, false);
  if (!c.literal("[") || !c.spaces(false) || !c.literal("Upstream commit") || !c.spaces(true)) {
    return std::nullopt;
  }
  std::optional<std::string> sha = c.sha();
  if (sha && c.spaces(false) && c.literal("]")) {
    return sha;
  }
  return std::nullopt;
}

// (cherry[ -]picked|back-?port(ed)?) from [<word> ]commit <sha>, any case.
std::optional<std::string> cherry_pick(std::string_view line, size_t pos) {
  Cursor c(line, pos, true);
  if (c.literal("cherry")) {
    if (!c.one_of(" -") || !c.literal("picked")) {
      return std::nullopt;
    }
  } else if (c.literal("back")) {
    c.literal("-");
    if (!c.literal("port")) {
      return std::nullopt;
    }
    c.literal("ed");
  } else {
    return std::nullopt;
  }
  if (!c.spaces(true) || !c.literal("from") || !c.spaces(true)) {
    return std::nullopt;
  }
  Cursor direct = c;
  if (direct.literal("commit") && direct.spaces(true)) {
    if (std::optional<std::string> sha = direct.sha()) {
      return sha;
    }
  }
  // One arbitrary word first: `backported from linux-next commit <sha>`.
  if (c.word() && c.spaces(true) && c.literal("commit") && c.spaces(true)) {
    return c.sha();
  }
  return std::nullopt;
}

// `upstream commit: <sha>`, `upstream commit <sha>`, `upstream-commit <sha>`, `commit upstream <sha>`.
std::optional<std::string> upstream_commit(std::string_view line, size_t pos) {
  Cursor c(line, pos, true);
  if (c.literal("upstream")) {
    if (!c.one_of(" -") || !c.literal("commit")) {
      return std::nullopt;
    }
    c.literal(":");
    if (!c.spaces(true)) {
      return std::nullopt;
    }
    return c.sha();
  }
  if (c.literal("commit") && c.spaces(true) && c.literal("upstream") && c.spaces(true)) {
    return c.sha();
  }
  return std::nullopt;
}

// Tries `match` at every position of the line (Python's re.search).
std::optional<std::string> search(std::string_view line, Matcher match) {
  for (size_t pos = 0; pos < line.size(); ++pos) {
    if (std::optional<std::string> sha = match(line, pos)) {
      return sha;
    }
  }
  return std::nullopt;
}

bool has_hex_run(std::string_view line, size_t length) {
  size_t run = 0;
  for (char c : line) {
    run = is_any_hex(c) ? run + 1 : 0;
    if (run >= length) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> change_id(std::string_view line) {
  size_t at = line.find("Change-Id: I");
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  size_t start = at + 11;
  size_t end = start + 1;
  while (end < line.size() && is_any_hex(line[end])) {
    ++end;
  }
  if (end == start + 1) {
    return std::nullopt;
  }
  return std::string(line.substr(start, end - start));
}

std::optional<std::string> bug_link(std::string_view line) {
  size_t at = line.find("BugLink:");
  if (at == std::string_view::npos || line.find("launchpad.net/", at) == std::string_view::npos) {
    return std::nullopt;
  }
  size_t end = line.size();
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) {
    --end;
  }
  size_t start = end;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(line[start - 1]))) {
    --start;
  }
  if (start == end || start == 0 || line[start - 1] != '/') {
    return std::nullopt;
  }
  return "bug#" + std::string(line.substr(start, end - start));
}

std::optional<std::string> find_revert(std::string_view line) {
  size_t at = line.find("This reverts commit ");
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  Cursor c(line, at + 20, false);
  return c.sha();
}

} // namespace

const char* rule_name(ReferenceRule rule) {
  switch (rule) {
  case ReferenceRule::stable_header: return "stable backport header `commit <sha> upstream`";
  case ReferenceRule::upstream_bracket: return "`[ Upstream commit <sha> ]`";
  case ReferenceRule::cherry_pick: return "cherry-pick/backport line";
  case ReferenceRule::upstream_commit: return "`upstream commit <sha>`";
  case ReferenceRule::change_id: return "Gerrit `Change-Id:`";
  case ReferenceRule::bug_link: return "`BugLink:`";
  }
  return "?";
}

MessageFacts read_message(std::string_view message) {
  MessageFacts facts;
  size_t start = 0;
  bool first = true;
  while (start < message.size()) {
    size_t end = message.find('\n', start);
    std::string_view line = message.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? message.size() : end + 1;
    if (first) {
      // git log shows the first line of the message as the subject.
      facts.subject = std::string(line);
      first = false;
    }
    if (std::optional<std::string> reverted = find_revert(line)) {
      facts.reverts = std::move(reverted);
      facts.revert_line = std::string(line);
      break; // the rest of a revert's message is ignored
    }
    std::optional<std::string> id;
    ReferenceRule rule = ReferenceRule::stable_header;
    if (has_hex_run(line, 40)) {
      if ((id = search(line, stable_header))) {
        rule = ReferenceRule::stable_header;
      } else if ((id = search(line, upstream_bracket))) {
        rule = ReferenceRule::upstream_bracket;
      } else if ((id = search(line, cherry_pick))) {
        rule = ReferenceRule::cherry_pick;
      } else if ((id = search(line, upstream_commit))) {
        rule = ReferenceRule::upstream_commit;
      }
    }
    if (!id) {
      if ((id = change_id(line))) {
        rule = ReferenceRule::change_id;
      } else if ((id = bug_link(line))) {
        rule = ReferenceRule::bug_link;
      }
    }
    if (id) {
      facts.references.push_back({std::move(*id), rule, std::string(line)});
    }
  }
  return facts;
}

} // namespace kct::kgit
