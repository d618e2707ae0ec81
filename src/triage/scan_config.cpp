// Reads cves-autotriage.conf as cves-config prints it (§1.4.1). The kernel team's shell readers
// take the fields with `read` and test flags with `case ",$flags," in *,scan,*`, so a flag is on
// only when spelt exactly; we keep that meaning but say so when a flag is not recognised, instead
// of letting a typo switch a target off in silence.
#include "triage/scan_config.h"

#include "util/error.h"
#include "util/files.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

namespace kct::triage {

namespace {

constexpr std::string_view k_line_form =
    "'<key> <source> <repo-dir|-> <branch|-> <flags> [<transfer-to|-> [<git-url|->]]'";

struct Word {
  std::string_view text;
  size_t offset = 0; // in the line
};

std::vector<Word> split_words(std::string_view line) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && util::is_space(line[i])) {
      ++i;
    }
    size_t start = i;
    while (i < line.size() && !util::is_space(line[i])) {
      ++i;
    }
    if (i > start) {
      words.push_back(Word{line.substr(start, i - start), start});
    }
  }
  return words;
}

std::string dash_to_empty(std::string_view s) {
  return s == "-" ? std::string() : std::string(s);
}

// Messages cannot hold spaces or commas inside the flags field, so cves-config writes a space as
// `%s` and a percent as `%%`. Decoded left to right, so `%%s` is a literal `%s`.
std::string decode_message(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 1 < v.size() && (v[i + 1] == 's' || v[i + 1] == '%')) {
      out += v[i + 1] == 's' ? ' ' : '%';
      ++i;
    } else {
      out += v[i];
    }
  }
  return out;
}

enum class Takes { nothing, value, anything };

struct FlagSpec {
  std::string_view name;
  bool prefix; // a legacy family: every flag starting with `name`
  Takes takes;
  std::string_view placeholder; // what the value looks like, for messages
  void (*apply)(ScanTarget&, std::string_view value);
};

constexpr FlagSpec k_flags[] = {
    {"scan", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.scan = true; }},
    {"tags-git", false, Takes::value, "<glob>", [](ScanTarget& t, std::string_view v) { t.tags_git_glob = v; }},
    {"tags-lp", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.tags_lp = true; }},
    {"no-pending", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.no_pending = true; }},
    {"mark-pockets", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.mark_pockets = true; }},
    {"mark-esm", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.mark_esm = true; }},
    {"mark-esm-message", false, Takes::value, "<message>",
     [](ScanTarget& t, std::string_view v) { t.mark_esm_message = decode_message(v); }},
    {"mark-ignored", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.mark_ignored = true; }},
    {"mark-ignored-message", false, Takes::value, "<message>",
     [](ScanTarget& t, std::string_view v) { t.mark_ignored_message = decode_message(v); }},
    {"unsupported", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.unsupported = true; }},
    {"no-usn", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.no_usn = true; }},
    {"pre-legacy", false, Takes::nothing, "", [](ScanTarget& t, std::string_view) { t.pre_legacy = true; }},
    {"metaonly-link", false, Takes::value, "<series>_<source>",
     [](ScanTarget& t, std::string_view v) { t.metaonly_link = v; }},
    // Items are checked and stored by the parser, which reports bad ones.
    {"archives", false, Takes::value, "<route>-<Pocket>-<reference>|...", nullptr},
    // Legacy flags that older configurations still carry; nothing reads them any more.
    {"mark-nonlp", true, Takes::anything, "", nullptr},
    {"transfer-pending", false, Takes::anything, "", nullptr},
    {"transfer-message", true, Takes::anything, "", nullptr},
};

const FlagSpec* find_flag(std::string_view name) {
  for (const FlagSpec& f : k_flags) {
    if (f.prefix ? util::starts_with(name, f.name) : name == f.name) {
      return &f;
    }
  }
  return nullptr;
}

// The routes cves-kernel-versions-prepare knows; a second stream is written `proposed#2`.
bool is_known_route(std::string_view route) {
  std::string_view base = route.substr(0, route.find('#'));
  if (base.size() < route.size()) {
    std::string_view n = route.substr(base.size() + 1);
    if (n.empty() || n.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
  }
  return base == "release" || base == "security" || base == "updates" || base == "proposed" || base == "build";
}

class ConfigParser {
public:
  ConfigParser(ScanConfig& config, std::vector<util::Diagnostic>& diagnostics)
      : m_config(config), m_diagnostics(diagnostics) {}

  void parse_line(int line_no, std::string_view line);

private:
  void report(util::Severity severity, size_t offset, std::string message) {
    m_diagnostics.push_back(
        util::Diagnostic{m_config.path, m_line, static_cast<int64_t>(offset) + 1, severity, std::move(message)});
  }
  void error(size_t offset, std::string message) { report(util::Severity::error, offset, std::move(message)); }
  void warning(size_t offset, std::string message) { report(util::Severity::warning, offset, std::move(message)); }

  bool check_name_part(const Word& w, std::string_view what);
  bool parse_flags(ScanTarget& t, const Word& flags);
  bool parse_flag(ScanTarget& t, std::string_view item, size_t offset, std::unordered_set<std::string_view>& seen);
  void parse_archives(ScanTarget& t, std::string_view value, size_t offset);

  ScanConfig& m_config;
  std::vector<util::Diagnostic>& m_diagnostics;
  int m_line = 0;
  std::unordered_map<std::string, int> m_first_line; // target name → line that defined it
};

void ConfigParser::parse_line(int line_no, std::string_view line) {
  m_line = line_no;
  std::vector<Word> w = split_words(line);
  if (w.empty() || w[0].text[0] == '#') {
    return;
  }
  if (w.size() < 5) {
    error(w.back().offset + w.back().text.size(),
          fmt::format("expected at least 5 fields {}, got {}", k_line_form, w.size()));
    return;
  }
  if (w.size() > 7) {
    error(w[7].offset, fmt::format("unexpected field '{}' (a line has at most 7 fields {})", w[7].text, k_line_form));
    return;
  }
  bool ok = check_name_part(w[0], "series key");
  ok = check_name_part(w[1], "source") && ok;

  ScanTarget t;
  t.key = w[0].text;
  t.source = w[1].text;
  t.repo_dir = dash_to_empty(w[2].text);
  t.branch = dash_to_empty(w[3].text);
  t.git_url = w.size() > 6 ? dash_to_empty(w[6].text) : std::string();
  t.line = line_no;
  ok = parse_flags(t, w[4]) && ok;
  if (w.size() > 5 && w[5].text != "-") {
    warning(w[5].offset, fmt::format("transfer-to '{}' is a legacy field that nothing reads; ignored", w[5].text));
  }
  if (!ok) {
    return;
  }
  auto [it, inserted] = m_first_line.emplace(t.name(), line_no);
  if (!inserted) {
    error(w[0].offset, fmt::format("duplicate target '{}' (first at line {})", t.name(), it->second));
    return;
  }
  m_config.targets.push_back(std::move(t));
}

// Targets are named `<key>_<source>` in tracker lines and state files, split at the first `_`.
bool ConfigParser::check_name_part(const Word& w, std::string_view what) {
  size_t underscore = w.text.find('_');
  if (underscore == std::string_view::npos) {
    return true;
  }
  error(w.offset + underscore,
        fmt::format("{} '{}' contains '_', which would make the target name <key>_<source> ambiguous", what, w.text));
  return false;
}

bool ConfigParser::parse_flags(ScanTarget& t, const Word& flags) {
  if (flags.text == "-") {
    return true;
  }
  std::unordered_set<std::string_view> seen;
  bool ok = true;
  size_t start = 0;
  for (;;) {
    size_t comma = flags.text.find(',', start);
    size_t end = comma == std::string_view::npos ? flags.text.size() : comma;
    ok = parse_flag(t, flags.text.substr(start, end - start), flags.offset + start, seen) && ok;
    if (comma == std::string_view::npos) {
      return ok;
    }
    start = comma + 1;
  }
}

bool ConfigParser::parse_flag(ScanTarget& t, std::string_view item, size_t offset,
                              std::unordered_set<std::string_view>& seen) {
  if (item.empty()) {
    warning(offset, "empty flag (a stray ',')");
    return true;
  }
  size_t colon = item.find(':');
  std::string_view name = item.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : item.substr(colon + 1);
  const FlagSpec* spec = find_flag(name);
  if (spec == nullptr) {
    warning(offset, fmt::format("unknown flag '{}'; ignored", name));
    return true;
  }
  if (spec->takes == Takes::anything) {
    return true; // legacy
  }
  if (spec->takes == Takes::nothing && colon != std::string_view::npos) {
    // The shell readers match `,scan,` exactly, so `scan:x` does not turn scanning on.
    warning(offset, fmt::format("flag '{}' takes no value, so '{}' is not recognised; ignored", name, item));
    return true;
  }
  if (spec->takes == Takes::value && value.empty()) {
    error(offset, fmt::format("flag '{}' needs a value ('{}:{}')", name, name, spec->placeholder));
    return false;
  }
  if (!seen.insert(name).second) {
    warning(offset, fmt::format("repeated flag '{}'; the last one wins", name));
  }
  if (name == "metaonly-link") {
    size_t underscore = value.find('_');
    if (underscore == 0 || underscore == std::string_view::npos || underscore + 1 == value.size()) {
      error(offset + colon + 1, fmt::format("metaonly-link '{}' is not '<series>_<source>'", value));
      return false;
    }
  }
  if (name == "archives") {
    parse_archives(t, value, offset + colon + 1);
  } else {
    spec->apply(t, value);
  }
  return true;
}

// Each item is `route-Pocket-reference`, split at the first two dashes as the LP step does; a
// reference such as `ppa:canonical-kernel-team/ubuntu/ppa` keeps its own dashes.
void ConfigParser::parse_archives(ScanTarget& t, std::string_view value, size_t offset) {
  t.archives.clear();
  size_t start = 0;
  for (;;) {
    size_t bar = value.find('|', start);
    size_t end = bar == std::string_view::npos ? value.size() : bar;
    std::string_view item = value.substr(start, end - start);
    size_t d1 = item.find('-');
    size_t d2 = d1 == std::string_view::npos ? d1 : item.find('-', d1 + 1);
    bool shaped = d2 != std::string_view::npos && d1 > 0 && d2 > d1 + 1 && d2 + 1 < item.size();
    if (!shaped || !is_known_route(item.substr(0, d1))) {
      warning(offset + start, fmt::format("archive '{}' is not '<route>-<Pocket>-<reference>' with a route of "
                                          "release, security, updates, proposed or build (#N); ignored",
                                          item));
    } else {
      t.archives.emplace_back(item);
    }
    if (bar == std::string_view::npos) {
      return;
    }
    start = bar + 1;
  }
}

} // namespace

std::string ScanTarget::file_key() const {
  std::string out = key;
  for (char& c : out) {
    if (c == '/') {
      c = '@';
    }
  }
  return out;
}

ScanConfig ScanConfig::parse(std::string path, std::string_view text, std::vector<util::Diagnostic>& diagnostics) {
  ScanConfig config;
  config.path = std::move(path);
  ConfigParser parser(config, diagnostics);
  util::for_each_line(text, [&](int line_no, std::string_view line) { parser.parse_line(line_no, line); });
  return config;
}

ScanConfig ScanConfig::load(const std::string& path, std::vector<util::Diagnostic>& diagnostics) {
  return parse(path, util::read_file_or_throw(path, "scan configuration"), diagnostics);
}

const ScanTarget* ScanConfig::find(std::string_view key_and_source) const {
  // Neither keys nor sources hold `_` (the parser rejects them), so the first one splits.
  size_t underscore = key_and_source.find('_');
  if (underscore == std::string_view::npos) {
    return nullptr;
  }
  std::string_view key = key_and_source.substr(0, underscore);
  std::string_view source = key_and_source.substr(underscore + 1);
  for (const ScanTarget& t : targets) {
    if (t.key == key && t.source == source) {
      return &t;
    }
  }
  return nullptr;
}

} // namespace kct::triage
