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

uint64_t hash_of(std::string_view s) {
  return std::hash<std::string_view>{}(s);
}

uint64_t mix(uint64_t seed, uint64_t h) {
  return seed ^ (h + 0x9E3779B97F4A7C15ULL + (seed << 6) + (seed >> 2));
}

bool same_identity(const BinaryPackage& a, const BinaryPackage& b) {
  return a.name == b.name && a.version == b.version && a.architecture == b.architecture && a.pocket == b.pocket &&
         a.component == b.component;
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

size_t ReleasePackages::HashChains::first(uint64_t hash) const {
  if (slots.empty()) {
    return 0;
  }
  size_t mask = slots.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots[i].second == 0 || slots[i].first == hash) {
      return slots[i].second;
    }
  }
}

void ReleasePackages::HashChains::add(uint64_t hash, size_t index) {
  if ((used + 1) * 2 > slots.size()) {
    std::vector<std::pair<uint64_t, size_t>> old = std::move(slots);
    slots.assign(std::max<size_t>(1024, old.size() * 2), {0, 0});
    for (const auto& [h, head] : old) {
      if (head != 0) {
        size_t i = h & (slots.size() - 1);
        while (slots[i].second != 0) {
          i = (i + 1) & (slots.size() - 1);
        }
        slots[i] = {h, head};
      }
    }
  }
  size_t mask = slots.size() - 1;
  size_t i = hash & mask;
  while (slots[i].second != 0 && slots[i].first != hash) {
    i = (i + 1) & mask;
  }
  if (slots[i].second == 0) {
    slots[i].first = hash;
    ++used;
  }
  next.push_back(slots[i].second);
  slots[i].second = index + 1;
}

void ReleasePackages::add(std::vector<BinaryPackage> packages) {
  m_packages.reserve(m_packages.size() + packages.size());
  for (BinaryPackage& p : packages) {
    uint64_t name_hash = hash_of(p.name);
    uint64_t identity = name_hash;
    for (std::string_view field :
         {std::string_view(p.version), std::string_view(p.architecture), std::string_view(p.component)}) {
      identity = mix(identity, hash_of(field));
    }
    identity = mix(identity, static_cast<uint64_t>(p.pocket));
    bool known = false;
    for (size_t i = m_by_identity.first(identity); i != 0 && !known; i = m_by_identity.next[i - 1]) {
      known = same_identity(m_packages[i - 1], p);
    }
    if (known) {
      continue;
    }
    size_t index = m_packages.size();
    m_by_identity.add(identity, index);
    m_by_source.add(hash_of(p.source), index);
    m_by_name.add(name_hash, index);
    m_packages.push_back(std::move(p));
  }
}

std::vector<const BinaryPackage*> ReleasePackages::built_from(std::string_view source, std::string_view source_version,
                                                              Pocket pocket) const {
  std::vector<const BinaryPackage*> out;
  for (size_t i = m_by_source.first(hash_of(source)); i != 0; i = m_by_source.next[i - 1]) {
    const BinaryPackage& p = m_packages[i - 1];
    if (p.source == source && p.source_version == source_version && p.pocket == pocket) {
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
  for (size_t i = m_by_name.first(hash_of(name)); i != 0; i = m_by_name.next[i - 1]) {
    if (m_packages[i - 1].name == name) {
      out.push_back(&m_packages[i - 1]);
    }
  }
  std::reverse(out.begin(), out.end()); // chains run newest first; give them in the order added
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
