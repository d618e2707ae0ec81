#include "triage/status_text.h"

#include "util/strings.h"

#include <algorithm>
#include <iterator>

namespace kct::triage {

namespace {

// Written with the parentheses, exactly as the lines carry them; a custom mark-esm or
// mark-ignored message is not a marker, so such lines stay as a human would have left them.
constexpr std::string_view k_markers[] = {
    "(was needed ESM criteria)",
    "(was needs-triage ESM criteria)",
    "(ESM criteria, was needed)",
    "(ESM criteria, was needs-triage)",
    "(end of standard support)",
    "(end of standard support, was needed)",
    "(end of standard support, was needs-triage)",
};

} // namespace

std::optional<StatusText> split_status_text(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || line.find(':', colon + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  StatusText t;
  t.item = line.substr(0, colon);
  t.data = util::strip(line.substr(colon + 1));
  size_t end = 0;
  while (end < t.data.size() && !util::is_space(t.data[end])) {
    ++end;
  }
  t.state = t.data.substr(0, end);
  t.annot = util::strip(t.data.substr(end));
  t.note = t.annot;
  if (!t.note.empty() && t.note.front() == '(') {
    t.note.remove_prefix(1);
  }
  if (!t.note.empty() && t.note.back() == ')') {
    t.note.remove_suffix(1);
  }
  return t;
}

bool item_names(std::string_view item, std::string_view release, std::string_view package) {
  return item.size() == release.size() + 1 + package.size() && util::starts_with(item, release) &&
         item[release.size()] == '_' && item.substr(release.size() + 1) == package;
}

std::optional<StatusText> find_status_text(const tracker::CveFile& file, std::string_view release,
                                           std::string_view package) {
  const tracker::StatusEntry* e = file.status(package, release);
  if (e == nullptr) {
    return std::nullopt;
  }
  std::optional<StatusText> t = split_status_text(file.line(e->line));
  return t && item_names(t->item, release, package) ? t : std::nullopt;
}

bool is_esm_eol_marker(std::string_view annot) {
  return std::find(std::begin(k_markers), std::end(k_markers), annot) != std::end(k_markers);
}

} // namespace kct::triage
