// Source packages of the archive view: Sources paragraphs read in full (unlike parse_sources,
// which keeps only Package and Version for check-syntax's map, this keeps the pool directory,
// the binaries and the multi-line `Files` field, whose lines are ` <md5> <size> <name>`), and
// a release's sources looked up by name, pocket and version.
#include "archive/archive_view.h"
#include "archive/deb822.h"
#include "debver/version.h"
#include "util/strings.h"

#include <charconv>
#include <fmt/format.h>

namespace kct::archive {

namespace {

// The next blank-separated word of `rest`, consumed; empty at the end.
std::string_view next_word(std::string_view& rest) {
  size_t begin = 0;
  while (begin < rest.size() && util::is_space(rest[begin])) {
    ++begin;
  }
  size_t end = begin;
  while (end < rest.size() && !util::is_space(rest[end])) {
    ++end;
  }
  std::string_view word = rest.substr(begin, end - begin);
  rest.remove_prefix(end);
  return word;
}

bool parse_file_line(std::string_view line, SourceFile& file) {
  std::string_view md5 = next_word(line);
  std::string_view size = next_word(line);
  std::string_view name = next_word(line);
  if (md5.size() != 32 || !util::is_hex(md5) || name.empty() || !next_word(line).empty()) {
    return false;
  }
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), file.size);
  if (ec != std::errc() || end != size.data() + size.size() || size.empty() || file.size < 0) {
    return false;
  }
  file.md5 = std::string(md5);
  file.name = std::string(name);
  return true;
}

// `Binary: a, b,` + continuation ` c, d` → a b c d.
void split_binaries(std::string_view list, std::vector<std::string>& out) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(',', pos);
    if (end == std::string_view::npos) {
      end = list.size();
    }
    std::string_view name = util::strip(list.substr(pos, end - pos));
    if (!name.empty()) {
      out.emplace_back(name);
    }
    pos = end + 1;
  }
}

// Which pocket's copy source_version() prefers when several publish the same version.
int pocket_rank(Pocket pocket) {
  switch (pocket) {
  case Pocket::security: return 3;
  case Pocket::updates: return 2;
  case Pocket::release: return 1;
  case Pocket::proposed: return 0;
  }
  return 0;
}

} // namespace

std::vector<SourcePackage> parse_source_packages(std::string_view text, const std::string& path,
                                                 std::string_view component, Pocket pocket,
                                                 std::vector<util::Diagnostic>& diagnostics) {
  std::vector<SourcePackage> out;
  for_each_paragraph(text, path, "Sources", diagnostics, [&](const Deb822Paragraph& paragraph) {
    SourcePackage s;
    s.name = std::string(paragraph.get("Package"));
    s.version = std::string(paragraph.get("Version"));
    s.directory = std::string(paragraph.get("Directory"));
    for (const auto& [field, value] :
         {std::pair{"Package", &s.name}, {"Version", &s.version}, {"Directory", &s.directory}}) {
      if (value->empty()) {
        diagnostics.push_back(util::Diagnostic{path, paragraph.line, 1, util::Severity::error,
                                               fmt::format("Sources paragraph without a {} field; skipped", field)});
        return;
      }
    }
    split_binaries(paragraph.get("Binary"), s.binaries);
    split_binaries(paragraph.continuation("Binary"), s.binaries);
    bool ok = true;
    auto add_file = [&](std::string_view line) {
      if (!ok || util::strip(line).empty() || line[0] == '#') {
        return;
      }
      SourceFile file;
      if (!parse_file_line(line, file)) {
        ok = false;
        util::Location at = util::locate(text, static_cast<size_t>(line.data() - text.data()));
        diagnostics.push_back(util::Diagnostic{
            path, at.line, 1, util::Severity::error,
            fmt::format("Sources paragraph of {}: Files line `{}` is not `<md5> <size> <name>`; skipped", s.name,
                        util::strip(line))});
        return;
      }
      s.files.push_back(std::move(file));
    };
    add_file(paragraph.get("Files"));
    util::for_each_line(paragraph.continuation("Files"), [&](int, std::string_view line) { add_file(line); });
    if (!ok) {
      return;
    }
    s.component = std::string(component);
    s.pocket = pocket;
    out.push_back(std::move(s));
  });
  return out;
}

void ReleaseArchive::add_sources(std::vector<SourcePackage> sources) {
  m_sources.reserve(m_sources.size() + sources.size());
  for (SourcePackage& s : sources) {
    m_by_name[s.name].push_back(m_sources.size());
    m_sources.push_back(std::move(s));
  }
}

const SourcePackage* ReleaseArchive::source(std::string_view name, Pocket pocket) const {
  const SourcePackage* best = nullptr;
  for (const SourcePackage* s : sources_named(name)) {
    if (s->pocket == pocket && (best == nullptr || debver::compare(s->version, best->version) > 0)) {
      best = s;
    }
  }
  return best;
}

const SourcePackage* ReleaseArchive::source_version(std::string_view name, std::string_view version) const {
  const SourcePackage* best = nullptr;
  for (const SourcePackage* s : sources_named(name)) {
    if (debver::compare(s->version, version) == 0 &&
        (best == nullptr || pocket_rank(s->pocket) > pocket_rank(best->pocket))) {
      best = s;
    }
  }
  return best;
}

const SourcePackage* ReleaseArchive::earliest_published(std::string_view name) const {
  const SourcePackage* earliest = nullptr;
  for (const SourcePackage* s : sources_named(name)) {
    if (s->pocket != Pocket::proposed && (earliest == nullptr || debver::compare(s->version, earliest->version) < 0)) {
      earliest = s;
    }
  }
  return earliest;
}

std::vector<const SourcePackage*> ReleaseArchive::sources_named(std::string_view name) const {
  std::vector<const SourcePackage*> out;
  auto it = m_by_name.find(std::string(name));
  if (it != m_by_name.end()) {
    for (size_t i : it->second) {
      out.push_back(&m_sources[i]);
    }
  }
  return out;
}

} // namespace kct::archive
