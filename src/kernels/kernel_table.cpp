#include "kernels/kernel_table.h"

#include "util/error.h"
#include "util/files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <initializer_list>
#include <yaml-cpp/yaml.h>

namespace kct::kernels {

namespace {

[[noreturn]] void fail(const std::string& path, const YAML::Node& node, const std::string& message) {
  YAML::Mark m = node.Mark();
  throw Error(fmt::format("{}:{}:{}: error: {}", path, m.line + 1, m.column + 1, message));
}

bool is_linux_name(std::string_view name) {
  return name == "linux" || (name.size() > 6 && name.substr(0, 6) == "linux-");
}

// `linux-FOO` → `linux-<kind>-FOO`, `linux` → `linux-<kind>`.
std::string derived_name(std::string_view source, std::string_view kind) {
  if (!is_linux_name(source)) {
    throw Error(fmt::format("'{}' is not a kernel source name (expected linux or linux-…)", source));
  }
  return fmt::format("linux-{}{}", kind, source.substr(5));
}

std::string_view base_codename(std::string_view release) {
  return release.substr(0, release.find('/'));
}

// A key that ends in '*' matches every name it prefixes; an exact key wins, then the longest
// pattern.
template <class Map>
auto find_name(const Map& map, std::string_view name) -> decltype(&map.begin()->second) {
  if (auto it = map.find(name); it != map.end()) {
    return &it->second;
  }
  decltype(&map.begin()->second) best = nullptr;
  size_t best_length = 0;
  for (const auto& [key, value] : map) {
    std::string_view prefix = std::string_view(key).substr(0, key.size() - 1);
    if (!key.empty() && key.back() == '*' && name.substr(0, prefix.size()) == prefix &&
        (best == nullptr || prefix.size() > best_length)) {
      best = &value;
      best_length = prefix.size();
    }
  }
  return best;
}

} // namespace

// Reads data/kernel-usn.yaml into a KernelTable, one section at a time; every mistake throws
// with the place of the offending node.
class KernelTableReader {
public:
  KernelTableReader(const std::string& path, KernelTable& table) : m_path(path), m_table(table) {}

  void read(const YAML::Node& root) {
    if (!root.IsMap() || !root["format"] || !root["format"].IsScalar() || root["format"].Scalar() != "1") {
      fail(m_path, root, "expected a mapping with `format: 1` and `meta-kernels`");
    }
    check_keys(root, {"format", "meta-kernels", "mabi-glitches", "mabi-alternates", "pretty-names", "descriptions",
                      "binary-filter", "lts-kernels"});
    read_meta_kernels(root["meta-kernels"]);
    read_mabi_glitches(root["mabi-glitches"]);
    read_name_map(root["mabi-alternates"], "mabi-alternates", m_table.m_mabi_alternates, true);
    read_name_map(root["pretty-names"], "pretty-names", m_table.m_pretty_names, false);
    read_name_map(root["descriptions"], "descriptions", m_table.m_descriptions, false);
    m_table.m_binary_flavours = read_list(root["binary-filter"], "binary-filter", false);
    m_table.m_lts_kernels = read_list(root["lts-kernels"], "lts-kernels", true);
  }

private:
  void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : map) {
      std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string expected;
        for (std::string_view a : allowed) {
          expected += (expected.empty() ? "" : ", ") + std::string(a);
        }
        fail(m_path, kv.first, fmt::format("unknown key '{}' (expected one of: {})", key, expected));
      }
    }
  }

  std::string scalar(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      fail(m_path, node, fmt::format("expected {} to be a non-empty string", what));
    }
    return node.Scalar();
  }

  // A source name; `pattern` allows a trailing '*'.
  std::string kernel_name(const YAML::Node& node, std::string_view what, bool pattern = false) {
    std::string name = scalar(node, what);
    std::string_view stem = name;
    if (pattern && stem.back() == '*') {
      stem.remove_suffix(1);
    }
    if (!(is_linux_name(stem) || (pattern && stem == "linux-" && name.back() == '*'))) {
      fail(m_path, node, fmt::format("'{}' is not a kernel source name (expected linux or linux-…)", name));
    }
    return name;
  }

  bool flag(const YAML::Node& node) {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      fail(m_path, node, "expected true or false");
    }
    return value;
  }

  void read_meta_kernels(const YAML::Node& list) {
    if (!list || list.IsNull()) {
      return;
    }
    if (!list.IsSequence()) {
      fail(m_path, list, "expected 'meta-kernels' to be a list of {release, kernel, …} entries");
    }
    for (const YAML::Node& node : list) {
      MetaKernel entry = read_meta_kernel(node);
      for (const std::string& source : entry.sources) {
        if (const MetaKernel* earlier = m_table.find(entry.release, source);
            earlier != nullptr && earlier->release == entry.release) {
          fail(m_path, node,
               fmt::format("{}/{} is listed twice (first at line {})", entry.release, source, earlier->line));
        }
      }
      m_table.m_entries.push_back(std::move(entry));
    }
  }

  MetaKernel read_meta_kernel(const YAML::Node& node) {
    if (!node.IsMap() || !node["release"] || !node["kernel"]) {
      fail(m_path, node, "expected a meta-kernels entry {release: R, kernel: linux-…}");
    }
    check_keys(node, {"release", "kernel", "subordinates", "meta", "signed", "ignore-usn", "ignore-mabi", "edge"});
    MetaKernel entry;
    entry.line = node.Mark().line + 1;
    entry.release = scalar(node["release"], "the release");
    entry.sources.push_back(kernel_name(node["kernel"], "the kernel"));
    if (const YAML::Node subs = node["subordinates"]) {
      if (!subs.IsSequence()) {
        fail(m_path, subs, "expected 'subordinates' to be a list of source names");
      }
      for (const YAML::Node& sub : subs) {
        std::string name = kernel_name(sub, "a subordinate source");
        if (std::find(entry.sources.begin(), entry.sources.end(), name) != entry.sources.end()) {
          fail(m_path, sub, fmt::format("{}/{} is listed twice", entry.release, name));
        }
        entry.sources.push_back(std::move(name));
      }
    }
    const std::string& kernel = entry.sources.front();
    entry.meta = node["meta"] ? kernel_name(node["meta"], "the meta source") : meta_name(kernel);
    entry.signed_source = signed_name(kernel);
    if (const YAML::Node s = node["signed"]) {
      entry.signed_source = scalar(s, "the signed source") == "none" ? "" : kernel_name(s, "the signed source");
    }
    entry.edge = node["edge"] && flag(node["edge"]);
    entry.ignore_usn = entry.edge || (node["ignore-usn"] && flag(node["ignore-usn"]));
    entry.ignore_mabi = entry.edge || (node["ignore-mabi"] && flag(node["ignore-mabi"]));
    for (const char* key : {"ignore-usn", "ignore-mabi"}) {
      if (entry.edge && node[key] && !flag(node[key])) {
        fail(m_path, node[key], fmt::format("{}: an edge kernel ignores both the USN and the meta ABI checks", key));
      }
    }
    return entry;
  }

  void read_mabi_glitches(const YAML::Node& map) {
    if (!map || map.IsNull()) {
      return;
    }
    if (!map.IsMap()) {
      fail(m_path, map, "expected 'mabi-glitches' to map meta source → release → [meta versions]");
    }
    for (const auto& meta_entry : map) {
      std::string meta = kernel_name(meta_entry.first, "a meta source");
      if (!meta_entry.second.IsMap()) {
        fail(m_path, meta_entry.second, fmt::format("expected the releases of {} as a mapping", meta));
      }
      if (m_table.m_mabi_glitches.count(meta) != 0) {
        fail(m_path, meta_entry.first, fmt::format("mabi-glitches: {} is listed twice", meta));
      }
      auto& releases = m_table.m_mabi_glitches[meta];
      for (const auto& release_entry : meta_entry.second) {
        std::string release = scalar(release_entry.first, "a release name");
        if (!releases.emplace(release, read_list(release_entry.second, meta + "/" + release, false)).second) {
          fail(m_path, release_entry.first, fmt::format("mabi-glitches: {}/{} is listed twice", meta, release));
        }
      }
    }
  }

  // source → text; `values_are_kernels` for maps whose values are source names too.
  void read_name_map(const YAML::Node& map, std::string_view what, std::map<std::string, std::string, std::less<>>& out,
                     bool values_are_kernels) {
    if (!map || map.IsNull()) {
      return;
    }
    if (!map.IsMap()) {
      fail(m_path, map, fmt::format("expected '{}' to map source names to text", what));
    }
    for (const auto& kv : map) {
      std::string key = kernel_name(kv.first, "a source name", !values_are_kernels);
      if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
        // at the key: an empty value has no place of its own in the text
        fail(m_path, kv.first, fmt::format("{}: {} needs a value (a non-empty string)", what, key));
      }
      std::string value = values_are_kernels ? kernel_name(kv.second, "a source name") : kv.second.Scalar();
      if (!out.emplace(key, value).second) {
        fail(m_path, kv.first, fmt::format("{}: {} is listed twice", what, key));
      }
    }
  }

  std::vector<std::string> read_list(const YAML::Node& list, std::string_view what, bool kernel_patterns) {
    if (!list || list.IsNull()) {
      return {};
    }
    if (!list.IsSequence()) {
      fail(m_path, list, fmt::format("expected '{}' to be a list", what));
    }
    std::vector<std::string> out;
    for (const YAML::Node& item : list) {
      std::string value = kernel_patterns ? kernel_name(item, "a source name", true) : scalar(item, "a list item");
      if (std::find(out.begin(), out.end(), value) != out.end()) {
        fail(m_path, item, fmt::format("{}: {} is listed twice", what, value));
      }
      out.push_back(std::move(value));
    }
    return out;
  }

  const std::string& m_path;
  KernelTable& m_table;
};

KernelTable KernelTable::parse(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}:{}: error: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  KernelTable table;
  KernelTableReader(path, table).read(root);
  return table;
}

KernelTable KernelTable::load_file(const std::string& path) {
  std::string text;
  if (std::optional<std::string> err = util::read_file(path, text)) {
    throw Error(path + ": cannot read: " + *err);
  }
  return parse(text, path);
}

const MetaKernel* KernelTable::find(std::string_view release, std::string_view source) const {
  for (std::string_view name : {release, base_codename(release)}) {
    for (const MetaKernel& entry : m_entries) {
      if (entry.release == name &&
          std::find(entry.sources.begin(), entry.sources.end(), source) != entry.sources.end()) {
        return &entry;
      }
    }
  }
  return nullptr;
}

bool KernelTable::ignore_kernel_mabi(std::string_view source, std::string_view meta, std::string_view release,
                                     std::string_view meta_version) const {
  if (const MetaKernel* entry = find(release, source); entry != nullptr && entry->ignore_mabi) {
    return true;
  }
  auto by_meta = m_mabi_glitches.find(meta);
  if (by_meta == m_mabi_glitches.end()) {
    return false;
  }
  auto versions = by_meta->second.find(base_codename(release));
  return versions != by_meta->second.end() &&
         std::find(versions->second.begin(), versions->second.end(), meta_version) != versions->second.end();
}

std::optional<std::string> KernelTable::mabi_alternate(std::string_view meta) const {
  if (auto it = m_mabi_alternates.find(meta); it != m_mabi_alternates.end()) {
    return it->second;
  }
  return std::nullopt;
}

std::string KernelTable::pretty_name(std::string_view source) const {
  const std::string* name = find_name(m_pretty_names, source);
  return name != nullptr ? *name : k_unknown_kernel_name;
}

bool KernelTable::has_pretty_name(std::string_view source) const {
  return find_name(m_pretty_names, source) != nullptr;
}

std::optional<std::string> KernelTable::description(std::string_view source) const {
  if (const std::string* text = find_name(m_descriptions, source)) {
    return *text;
  }
  return std::nullopt;
}

bool KernelTable::keep_binary(std::string_view binary) const {
  constexpr std::string_view k_prefix = "linux-image-";
  auto ends_with = [&](std::string_view suffix) {
    return binary.size() >= suffix.size() && binary.substr(binary.size() - suffix.size()) == suffix;
  };
  if (binary.substr(0, k_prefix.size()) != k_prefix || ends_with("-dbg") || ends_with("-dbgsym")) {
    return false;
  }
  std::string_view flavour = binary.substr(k_prefix.size());
  if (!flavour.empty() && flavour.front() >= '0' && flavour.front() <= '9') {
    return true;
  }
  return std::any_of(m_binary_flavours.begin(), m_binary_flavours.end(),
                     [&](const std::string& f) { return flavour.substr(0, f.size()) == f; });
}

bool KernelTable::is_lts_kernel(std::string_view source) const {
  return std::any_of(m_lts_kernels.begin(), m_lts_kernels.end(), [&](const std::string& pattern) {
    if (!pattern.empty() && pattern.back() == '*') {
      return source.substr(0, pattern.size() - 1) == std::string_view(pattern).substr(0, pattern.size() - 1);
    }
    return source == pattern;
  });
}

std::vector<std::string> KernelTable::unknown_sources(const catalog::Catalog& catalog) const {
  std::vector<std::string> out;
  for (const MetaKernel& entry : m_entries) {
    if (!catalog.is_kernel_source(entry.sources.front())) {
      out.push_back(entry.release + "/" + entry.sources.front());
    }
  }
  return out;
}

std::string meta_name(std::string_view source) {
  return derived_name(source, "meta");
}

std::string signed_name(std::string_view source) {
  return derived_name(source, "signed");
}

std::string default_kernel_table_path() {
  if (const char* env = std::getenv("KCT_KERNEL_TABLE"); env != nullptr && *env != '\0') {
    return env;
  }
  return (std::filesystem::path(catalog::default_catalog_path()).parent_path() / "kernel-usn.yaml").string();
}

} // namespace kct::kernels
