#include "archive/packages_index.h"

#include "archive/compressed_file.h"
#include "archive/deb822.h"
#include "util/strings.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fmt/format.h>

namespace kct::archive {

namespace {

// `linux-signed (5.4.0-26.30)` → name and version; a bare name keeps the package's version.
void split_source(std::string_view field, BinaryPackage& p) {
  size_t open = field.find('(');
  if (open == std::string_view::npos) {
    p.source = std::string(field);
    p.source_version = p.version;
    return;
  }
  p.source = std::string(util::strip(field.substr(0, open)));
  size_t close = field.find(')', open);
  p.source_version = std::string(
      util::strip(field.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1)));
}

} // namespace

std::vector<BinaryPackage> parse_packages(std::string_view text, const std::string& path, std::string_view component,
                                          Pocket pocket, std::vector<util::Diagnostic>& diagnostics) {
  std::vector<BinaryPackage> out;
  for_each_paragraph(text, path, "Packages", diagnostics, [&](const Deb822Paragraph& paragraph) {
    BinaryPackage p;
    p.name = std::string(paragraph.get("Package"));
    p.version = std::string(paragraph.get("Version"));
    p.architecture = std::string(paragraph.get("Architecture"));
    p.filename = std::string(paragraph.get("Filename"));
    for (const auto& [field, value] : {std::pair{"Package", &p.name},
                                       {"Version", &p.version},
                                       {"Architecture", &p.architecture},
                                       {"Filename", &p.filename}}) {
      if (value->empty()) {
        diagnostics.push_back(util::Diagnostic{path, paragraph.line, 1, util::Severity::error,
                                               fmt::format("Packages paragraph without a {} field; skipped", field)});
        return;
      }
    }
    std::string_view source = paragraph.get("Source");
    split_source(source.empty() ? std::string_view(p.name) : source, p);
    std::string_view size = paragraph.get("Size");
    if (!size.empty()) {
      auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), p.size);
      if (ec != std::errc() || end != size.data() + size.size() || p.size < 0) {
        diagnostics.push_back(util::Diagnostic{path, paragraph.line, 1, util::Severity::error,
                                               fmt::format("Packages paragraph of {}: Size `{}` is not a number; "
                                                           "skipped",
                                                           p.name, size)});
        return;
      }
    }
    p.md5 = std::string(paragraph.get("MD5sum"));
    p.sha256 = std::string(paragraph.get("SHA256"));
    p.component = std::string(component);
    p.pocket = pocket;
    out.push_back(std::move(p));
  });
  return out;
}

void ReleasePackages::add(std::vector<BinaryPackage> packages) {
  m_packages.reserve(m_packages.size() + packages.size());
  for (BinaryPackage& p : packages) {
    std::string key =
        fmt::format("{}\n{}\n{}\n{}\n{}", p.name, p.version, p.architecture, static_cast<int>(p.pocket), p.component);
    if (!m_keys.insert(std::move(key)).second) {
      continue;
    }
    size_t index = m_packages.size();
    m_by_source[p.source].push_back(index);
    m_by_name[p.name].push_back(index);
    m_packages.push_back(std::move(p));
  }
}

std::vector<const BinaryPackage*> ReleasePackages::built_from(std::string_view source, std::string_view source_version,
                                                              Pocket pocket) const {
  std::vector<const BinaryPackage*> out;
  auto it = m_by_source.find(std::string(source));
  if (it == m_by_source.end()) {
    return out;
  }
  for (size_t i : it->second) {
    const BinaryPackage& p = m_packages[i];
    if (p.source_version == source_version && p.pocket == pocket) {
      out.push_back(&p);
    }
  }
  std::sort(out.begin(), out.end(), [](const BinaryPackage* a, const BinaryPackage* b) {
    return std::tie(a->name, a->architecture) < std::tie(b->name, b->architecture);
  });
  return out;
}

std::vector<const BinaryPackage*> ReleasePackages::versions_of(std::string_view name) const {
  std::vector<const BinaryPackage*> out;
  auto it = m_by_name.find(std::string(name));
  if (it != m_by_name.end()) {
    for (size_t i : it->second) {
      out.push_back(&m_packages[i]);
    }
  }
  return out;
}

bool load_packages(const std::string& mirror, const std::string& dist, const std::vector<std::string>& architectures,
                   ReleasePackages& out, std::vector<util::Diagnostic>& diagnostics) {
  bool found = false;
  for (size_t pocket = 0; pocket < std::size(k_pocket_suffixes); ++pocket) {
    for (std::string_view component : k_components) {
      for (const std::string& arch : architectures) {
        std::filesystem::path dir = std::filesystem::path(mirror) / "dists" /
                                    (dist + std::string(k_pocket_suffixes[pocket])) / std::string(component) /
                                    ("binary-" + arch);
        std::string path = find_index_file(dir.string(), "Packages");
        if (path.empty()) {
          continue;
        }
        found = true;
        std::string text = read_compressed_file(path);
        out.add(parse_packages(text, path, component, static_cast<Pocket>(pocket), diagnostics));
      }
    }
  }
  return found;
}

} // namespace kct::archive
