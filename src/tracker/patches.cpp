// Patches_<pkg> sections (uct §2.6): ` type: payload` lines, and break-fix pairs whose tokens
// are `-`, a 40-hex sha, `local-<id>`, a Gerrit `I<40hex>` Change-Id or a URL, with `|`
// separating alternatives.
#include "tracker/break_fix.h"
#include "tracker/parser.h"
#include "util/strings.h"

#include <fmt/format.h>

namespace kct::tracker {

TokenKind classify_token(std::string_view token) {
  if (token == "-") {
    return TokenKind::unknown_commit;
  }
  if (token.size() == 40 && util::is_hex(token) && token.find_first_of("ABCDEF") == std::string_view::npos) {
    return TokenKind::sha;
  }
  if (util::starts_with(token, "local-") && token.size() > 6) {
    return TokenKind::local;
  }
  if (token.size() == 41 && token[0] == 'I' && util::is_hex(token.substr(1))) {
    return TokenKind::gerrit;
  }
  if (util::starts_with(token, "http://") || util::starts_with(token, "https://")) {
    return TokenKind::url;
  }
  if (token.size() >= 4 && token.size() < 40 && util::is_hex(token)) {
    return TokenKind::short_sha;
  }
  return TokenKind::invalid;
}

void Parser::parse_patch_line(uint32_t index, std::string_view line) {
  std::string_view field_name = m_file.view(last_field()->name);
  Span package = span_of(field_name.substr(field_name.find('_') + 1));
  std::string_view body = util::strip(line);
  size_t colon = body.find(':');
  std::string_view type = util::strip(body.substr(0, colon));
  std::string_view payload =
      colon == std::string_view::npos ? body.substr(body.size()) : util::strip(body.substr(colon + 1));
  m_file.m_patch_lines.push_back(PatchLine{package, span_of(type), span_of(payload), index});
  if (type == "break-fix") {
    parse_break_fix(index, package, payload);
  }
}

void Parser::parse_break_fix(uint32_t index, Span package, std::string_view payload) {
  std::vector<std::string_view> sides;
  size_t i = 0;
  while (i < payload.size()) {
    while (i < payload.size() && util::is_space(payload[i])) {
      ++i;
    }
    size_t start = i;
    while (i < payload.size() && !util::is_space(payload[i])) {
      ++i;
    }
    if (i > start) {
      sides.push_back(payload.substr(start, i - start));
    }
  }
  if (sides.size() != 2) {
    error(index, payload.empty() ? m_file.line(index) : payload,
          fmt::format("break-fix needs exactly 2 tokens, the introducing and the fixing commit, got {}", sides.size()));
    return;
  }
  BreakFix bf;
  bf.package = package;
  bf.line = index;
  bool ok = true;
  for (int side = 0; side < 2; ++side) {
    std::vector<BreakFixToken>& out = side == 0 ? bf.introduced : bf.fixed;
    std::string_view list = sides[side];
    size_t start = 0;
    for (;;) {
      size_t bar = list.find('|', start);
      std::string_view token = list.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
      TokenKind kind = classify_token(token);
      if (kind == TokenKind::short_sha) {
        ok = false;
        error(index, token,
              fmt::format("short sha '{}' in break-fix ({} characters; expected a full 40-character sha)", token,
                          token.size()));
      } else if (kind == TokenKind::invalid) {
        ok = false;
        error(index, token.empty() ? list : token,
              fmt::format("invalid break-fix token '{}' (expected '-', a 40-character sha, local-<id>, a "
                          "Gerrit I<sha> Change-Id or a URL)",
                          token));
      }
      out.push_back(BreakFixToken{span_of(token), kind});
      if (bar == std::string_view::npos) {
        break;
      }
      start = bar + 1;
    }
  }
  if (ok) {
    m_file.m_break_fixes.push_back(std::move(bf));
  }
}

} // namespace kct::tracker
