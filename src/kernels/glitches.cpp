#include "kernels/glitches.h"

#include "catalog/catalog.h"
#include "util/error.h"
#include "util/files.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>

namespace kct::kernels {

namespace {

[[noreturn]] void fail(const std::string& path, const YAML::Node& node, const std::string& message) {
  YAML::Mark m = node.Mark();
  throw Error(fmt::format("{}:{}:{}: error: {}", path, m.line + 1, m.column + 1, message));
}

// YAML reads a bare `~` key as null: that is the never-published key.
std::string version_key(const std::string& path, const YAML::Node& key) {
  if (key.IsNull()) {
    return k_never_published;
  }
  if (!key.IsScalar() || key.Scalar().empty()) {
    fail(path, key, "expected a version (or `~`) as the key");
  }
  return key.Scalar();
}

std::string scalar(const std::string& path, const YAML::Node& node, const char* what) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    fail(path, node, fmt::format("expected {} to be a non-empty string", what));
  }
  return node.Scalar();
}

} // namespace

GlitchTable GlitchTable::parse(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}:{}: error: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  if (!root.IsMap() || !root["format"] || root["format"].as<std::string>() != "1") {
    fail(path, root, "expected a mapping with `format: 1` and `glitches`");
  }
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>();
    if (key != "format" && key != "glitches") {
      fail(path, kv.first, fmt::format("unknown key '{}' (expected one of: format, glitches)", key));
    }
  }
  GlitchTable table;
  YAML::Node glitches = root["glitches"];
  if (!glitches || glitches.IsNull()) {
    return table;
  }
  if (!glitches.IsMap()) {
    fail(path, glitches, "expected 'glitches' to be a mapping of kernel → release → {from: to}");
  }
  for (const auto& kernel_entry : glitches) {
    std::string kernel = scalar(path, kernel_entry.first, "a kernel source name");
    if (!kernel_entry.second.IsMap()) {
      fail(path, kernel_entry.second, fmt::format("expected the releases of {} as a mapping", kernel));
    }
    for (const auto& release_entry : kernel_entry.second) {
      std::string release = scalar(path, release_entry.first, "a release name");
      if (!release_entry.second.IsMap()) {
        fail(path, release_entry.second, fmt::format("expected {}/{} to map versions to versions", kernel, release));
      }
      std::map<std::string, std::string>& mapping = table.m_table[{kernel, release}];
      std::map<std::string, YAML::Node> where;
      for (const auto& m : release_entry.second) {
        std::string from = version_key(path, m.first);
        if (!m.second.IsScalar() || m.second.Scalar().empty()) {
          // at the key: an empty value has no place of its own in the text
          fail(path, m.first,
               fmt::format("{}/{}: {} maps to nothing; expected the version in -security", kernel, release, from));
        }
        std::string to = m.second.Scalar();
        if (!mapping.emplace(from, to).second) {
          fail(path, m.first, fmt::format("{}/{}: {} is mapped twice", kernel, release, from));
        }
        where[from] = m.first;
      }
      // Refuse cycles here, so that lookup() needs no guard against looping.
      for (const auto& [start, unused] : mapping) {
        std::vector<std::string> walk{start};
        std::set<std::string> seen{start};
        for (auto it = mapping.find(start); it != mapping.end(); it = mapping.find(it->second)) {
          if (!seen.insert(it->second).second) {
            std::string loop;
            for (const std::string& v : walk) {
              loop += v + " → ";
            }
            fail(path, where[start], fmt::format("{}/{}: the mapping loops: {}{}", kernel, release, loop, it->second));
          }
          walk.push_back(it->second);
        }
      }
    }
  }
  return table;
}

GlitchTable GlitchTable::load_file(const std::string& path) {
  std::string text;
  if (std::optional<std::string> err = util::read_file(path, text)) {
    throw Error(path + ": cannot read: " + *err);
  }
  return parse(text, path);
}

std::vector<std::string> GlitchTable::chain(const std::string& kernel, const std::string& release,
                                            const std::string& version) const {
  std::vector<std::string> out{version};
  auto table = m_table.find({kernel, release});
  if (table == m_table.end()) {
    return out;
  }
  for (auto it = table->second.find(version); it != table->second.end(); it = table->second.find(it->second)) {
    out.push_back(it->second);
  }
  return out;
}

std::optional<std::string> GlitchTable::lookup(const std::string& kernel, const std::string& release,
                                               const std::string& version) const {
  std::vector<std::string> walked = chain(kernel, release, version);
  if (walked.back() == version) {
    return std::nullopt;
  }
  return walked.back();
}

size_t GlitchTable::mappings() const {
  size_t n = 0;
  for (const auto& [key, mapping] : m_table) {
    n += mapping.size();
  }
  return n;
}

std::string default_glitches_path() {
  if (const char* env = std::getenv("KCT_KERNEL_GLITCHES"); env != nullptr && *env != '\0') {
    return env;
  }
  return (std::filesystem::path(catalog::default_catalog_path()).parent_path() / "kernel-glitches.yaml").string();
}

} // namespace kct::kernels
