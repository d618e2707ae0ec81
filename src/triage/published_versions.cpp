// Reads what the kernel team's LP step leaves for each `tags-lp` target (§1.6 f). These files
// are the only version source for Ubuntu trees, so a bad line is reported, never guessed at: the
// decision walk (§1.9.6) trusts their order.
#include "triage/published_versions.h"

#include "debver/version.h"
#include "util/files.h"
#include "util/strings.h"

#include <fmt/format.h>

#include <filesystem>
#include <unordered_set>

namespace kct::triage {

namespace {

constexpr std::string_view k_pockets_form = "'<release> <security> <updates> <proposed> <build>'";

struct Line {
  std::string_view text; // without surrounding blanks
  int number = 0;
  size_t column = 0; // 1-based column of `text`
};

// The non-blank lines of `text`.
std::vector<Line> content_lines(std::string_view text) {
  std::vector<Line> out;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view raw = text.substr(pos, end - pos);
    std::string_view body = util::strip(raw);
    ++number;
    if (!body.empty()) {
      out.push_back(Line{body, number, static_cast<size_t>(body.data() - raw.data()) + 1});
    }
    pos = end + 1;
  }
  return out;
}

void report(std::vector<util::Diagnostic>& diagnostics, util::Severity severity, const std::string& path, int line,
            size_t column, std::string message) {
  diagnostics.push_back(util::Diagnostic{path, line, static_cast<int64_t>(column), severity, std::move(message)});
}

enum class Read { ok, missing, failed };

// Reads `path` into `text`. An absent file is for the caller to judge; an unreadable one is an
// error diagnostic here.
Read read_if_present(const std::string& path, std::string& text, std::vector<util::Diagnostic>& diagnostics) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Read::missing;
  }
  if (std::optional<std::string> err = util::read_file(path, text)) {
    report(diagnostics, util::Severity::error, path, 0, 0, fmt::format("cannot read: {}", *err));
    return Read::failed;
  }
  return Read::ok;
}

class VersionsReader {
public:
  VersionsReader(std::vector<std::string>& versions, std::vector<util::Diagnostic>& diagnostics)
      : m_versions(versions), m_diagnostics(diagnostics) {}

  void read(const std::string& path, std::string_view text) {
    for (const Line& l : content_lines(text)) {
      if (std::optional<std::string> why = debver::invalid_reason(l.text)) {
        report(m_diagnostics, util::Severity::error, path, l.number, l.column,
               fmt::format("invalid version '{}': {}", l.text, *why));
        continue;
      }
      if (!m_seen.emplace(l.text).second) {
        continue; // a manual addition the LP step has since published too
      }
      // The engine walks versions in list order, newest last; it does not sort them.
      if (!m_versions.empty() && debver::compare(l.text, m_versions.back()) < 0) {
        report(m_diagnostics, util::Severity::warning, path, l.number, l.column,
               fmt::format("version '{}' sorts before '{}' but comes after it; kept in file order, as "
                           "cves-kernel-versions-lookup does",
                           l.text, m_versions.back()));
      }
      m_versions.emplace_back(l.text);
    }
  }

private:
  std::vector<std::string>& m_versions;
  std::vector<util::Diagnostic>& m_diagnostics;
  std::unordered_set<std::string> m_seen;
};

std::optional<CvePockets> parse_pockets(const std::string& path, std::string_view text,
                                        std::vector<util::Diagnostic>& diagnostics) {
  std::vector<Line> lines = content_lines(text);
  if (lines.empty()) {
    report(diagnostics, util::Severity::error, path, 1, 1,
           fmt::format("empty pockets file (expected {})", k_pockets_form));
    return std::nullopt;
  }
  if (lines.size() > 1) {
    report(diagnostics, util::Severity::error, path, lines[1].number, lines[1].column,
           fmt::format("unexpected second line (a pockets file is the one line {})", k_pockets_form));
    return std::nullopt;
  }
  const Line& l = lines[0];
  std::vector<std::pair<std::string_view, size_t>> fields; // text, 1-based column
  for (size_t i = 0; i < l.text.size();) {
    size_t start = i;
    while (i < l.text.size() && !util::is_space(l.text[i])) {
      ++i;
    }
    fields.emplace_back(l.text.substr(start, i - start), l.column + start);
    while (i < l.text.size() && util::is_space(l.text[i])) {
      ++i;
    }
  }
  if (fields.size() != 5) {
    size_t column = fields.size() > 5 ? fields[5].second : l.column + l.text.size();
    report(diagnostics, util::Severity::error, path, l.number, column,
           fmt::format("expected 5 fields {}, got {}", k_pockets_form, fields.size()));
    return std::nullopt;
  }
  CvePockets p;
  std::optional<std::string>* slots[] = {&p.release, &p.security, &p.updates, &p.proposed, &p.build};
  bool ok = true;
  for (size_t i = 0; i < 5; ++i) {
    auto [value, column] = fields[i];
    if (value == "None") {
      continue;
    }
    if (std::optional<std::string> why = debver::invalid_reason(value)) {
      report(diagnostics, util::Severity::error, path, l.number, column,
             fmt::format("invalid version '{}': {} (expected a version or None)", value, *why));
      ok = false;
      continue;
    }
    *slots[i] = std::string(value);
  }
  return ok ? std::optional<CvePockets>(p) : std::nullopt;
}

} // namespace

PublishedVersions read_published_versions(const std::string& state_dir, const std::string& file_key,
                                          const std::string& source, std::vector<util::Diagnostic>& diagnostics) {
  std::string lp = state_dir + "/lp/";
  std::string stem = file_key + "_" + source;
  PublishedVersions out;
  std::string text;

  // Versions: the LP file, then the manual additions (the lookup script gives up without the
  // LP file, manual ones included).
  std::string tags = lp + stem + "_tags";
  Read r = read_if_present(tags, text, diagnostics);
  if (r == Read::ok) {
    VersionsReader reader(out.versions, diagnostics);
    reader.read(tags, text);
    std::string manual = lp + "manual/" + stem + "_tags";
    if (read_if_present(manual, text, diagnostics) == Read::ok) {
      reader.read(manual, text);
    }
  } else if (r == Read::missing) {
    report(diagnostics, util::Severity::warning, tags, 0, 0,
           "no published-versions file (has the LP step run for this target?); the target has no versions");
  }

  // Pockets: the LP file, else the manual one; neither means no pocket is known.
  std::string pockets = lp + stem + "_cve-pockets";
  r = read_if_present(pockets, text, diagnostics);
  if (r == Read::missing) {
    pockets = lp + "manual/" + stem + "_cve-pockets";
    r = read_if_present(pockets, text, diagnostics);
  }
  if (r != Read::ok) {
    return out;
  }
  out.pockets = parse_pockets(pockets, text, diagnostics);
  return out;
}

} // namespace kct::triage
