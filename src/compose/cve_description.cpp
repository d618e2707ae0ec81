#include "compose/cve_description.h"

#include "usn/description.h"
#include "util/strings.h"
#include "workflow/pending_fixes.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <map>

namespace kct::compose {

namespace {

// critical first … negligible last; anything else (untriaged, unknown) before negligible.
int priority_rank(const std::string& priority) {
  static const std::map<std::string, int, std::less<>> ranks = {
      {"critical", 0}, {"high", 1}, {"medium", 2}, {"low", 3}, {"negligible", 5}};
  auto it = ranks.find(priority);
  return it == ranks.end() ? 4 : it->second;
}

std::pair<long, long> cve_number(const std::string& id) {
  long year = 0;
  long number = 0;
  if (id.size() > 9 && id.compare(0, 4, "CVE-") == 0) {
    std::from_chars(id.data() + 4, id.data() + 8, year);
    std::from_chars(id.data() + 9, id.data() + id.size(), number);
  }
  return {year, number};
}

std::string field_or_empty(const tracker::CveFile& file, std::string_view name) {
  const tracker::Field* field = file.field(name);
  return field == nullptr ? std::string() : file.field_text(*field);
}

std::string wrapped(const std::string& text) {
  std::string out;
  for (const std::string& line : usn::wrap_text(text, 75)) {
    out += line;
    out += '\n';
  }
  return out;
}

} // namespace

bool cve_id_less(const std::string& a, const std::string& b) {
  auto na = cve_number(a);
  auto nb = cve_number(b);
  if (na != nb) {
    return na < nb;
  }
  return a < b;
}

CveText cve_text(const tracker::Tracker& tracker, const std::string& cve) {
  CveText out;
  out.cve = cve;
  // find() lists active, retired, ignored, embargoed in that order; pull-usn-desc skips ignored.
  const tracker::TrackedFile* found = nullptr;
  for (const tracker::TrackedFile* f : tracker.find(cve)) {
    if (f->directory != tracker::Directory::ignored) {
      found = f;
      break;
    }
  }
  if (found == nullptr) {
    out.known = false;
    return out;
  }
  out.text = workflow::collapsed_description(found->file);
  out.priority = field_or_empty(found->file, "Priority");
  out.fallback = fmt::format("{}:[{}]", util::collapse_whitespace(field_or_empty(found->file, "Discovered-by")),
                             util::collapse_whitespace(field_or_empty(found->file, "Description")));
  return out;
}

ComposedDescription compose_description(std::vector<CveText> cves, bool prioritize) {
  std::stable_sort(cves.begin(), cves.end(), [&](const CveText& a, const CveText& b) {
    if (prioritize && priority_rank(a.priority) != priority_rank(b.priority)) {
      return priority_rank(a.priority) < priority_rank(b.priority);
    }
    return cve_id_less(a.cve, b.cve);
  });
  ComposedDescription out;
  // Paragraph texts in order of first use, each with its CVEs.
  std::vector<std::pair<std::string, std::vector<std::string>>> paragraphs;
  std::map<std::string, size_t, std::less<>> by_text;
  for (const CveText& c : cves) {
    std::string text = c.text;
    if (!c.known) {
      text = fmt::format("XXX-FIXME-{}-NOT-KNOWN-TO-TRACKER-XXX", c.cve);
      out.missing.push_back(c.cve);
    } else if (text.empty()) {
      text = "XXX-FIXME-XXX " + c.fallback;
      out.missing.push_back(c.cve);
    }
    auto [it, added] = by_text.try_emplace(text, paragraphs.size());
    if (added) {
      paragraphs.push_back({text, {}});
    }
    paragraphs[it->second].second.push_back(c.cve);
  }
  // One text shared by every CVE needs no list after it (the original's rule).
  bool suffix = paragraphs.size() > 1;
  for (const auto& [text, ids] : paragraphs) {
    if (!out.text.empty()) {
      out.text += '\n';
    }
    std::string paragraph = text;
    if (suffix) {
      paragraph += " (";
      for (size_t i = 0; i < ids.size(); ++i) {
        paragraph += (i == 0 ? "" : ", ") + ids[i];
      }
      paragraph += ")";
    }
    out.text += wrapped(paragraph);
  }
  return out;
}

} // namespace kct::compose
