// Reads and validates data/catalog.yaml. Every mistake is reported as `path:line:col` with
// what was expected, because this file is edited by hand whenever a release opens.
#include "catalog/catalog.h"
#include "util/error.h"
#include "util/files.h"

#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>

namespace kct::catalog {

class CatalogReader {
public:
  CatalogReader(Catalog& out, std::string path) : m_out(out), m_path(std::move(path)) {}

  void read(const YAML::Node& root) {
    expect_map(root, "the catalog");
    check_keys(root, {"format", "releases", "pseudo-releases", "products", "snaps", "kernel-sources",
                      "unpublished-kernels", "kernels"});
    if (!root["format"] || root["format"].as<std::string>() != "1") {
      fail(root, "expected `format: 1`");
    }
    read_releases(require(root, "releases"));
    for (const std::string& name : string_list(require(root, "pseudo-releases"))) {
      Release r;
      r.name = name;
      r.kind = ReleaseKind::pseudo;
      add_release(root["pseudo-releases"], std::move(r));
    }
    m_out.index_releases();
    m_out.m_products = string_list(root["products"]);
    m_out.m_snaps = string_list(root["snaps"]);
    m_out.m_kernel_sources = string_list(require(root, "kernel-sources"));
    m_out.m_unpublished_kernels = string_list(root["unpublished-kernels"]);
    read_kernels(root["kernels"]);
  }

private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) {
    YAML::Mark m = node.Mark();
    throw Error(fmt::format("{}:{}:{}: error: {}", m_path, m.line + 1, m.column + 1, message));
  }

  void expect_map(const YAML::Node& node, const char* what) {
    if (!node.IsMap()) {
      fail(node, fmt::format("expected {} to be a mapping", what));
    }
  }

  void check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed) {
    for (const auto& kv : map) {
      std::string key = kv.first.as<std::string>();
      bool ok = false;
      for (const char* a : allowed) {
        ok = ok || key == a;
      }
      if (!ok) {
        std::string list;
        for (const char* a : allowed) {
          list += list.empty() ? a : fmt::format(", {}", a);
        }
        fail(kv.first, fmt::format("unknown key '{}' (expected one of: {})", key, list));
      }
    }
  }

  YAML::Node require(const YAML::Node& map, const char* key) {
    YAML::Node n = map[key];
    if (!n) {
      fail(map, fmt::format("missing required key '{}'", key));
    }
    return n;
  }

  std::string scalar(const YAML::Node& node, const char* what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      fail(node, fmt::format("expected {} to be a non-empty string", what));
    }
    return node.Scalar();
  }

  bool flag(const YAML::Node& map, const char* key) {
    YAML::Node n = map[key];
    if (!n) {
      return false;
    }
    if (!n.IsScalar() || (n.Scalar() != "true" && n.Scalar() != "false")) {
      fail(n, fmt::format("expected '{}' to be true or false", key));
    }
    return n.Scalar() == "true";
  }

  std::vector<std::string> string_list(const YAML::Node& node) {
    std::vector<std::string> out;
    if (!node) {
      return out;
    }
    if (!node.IsSequence()) {
      fail(node, "expected a list of names");
    }
    std::set<std::string> seen;
    for (const YAML::Node& item : node) {
      std::string s = scalar(item, "a list entry");
      if (!seen.insert(s).second) {
        fail(item, fmt::format("'{}' is listed twice", s));
      }
      out.push_back(s);
    }
    return out;
  }

  void add_release(const YAML::Node& where, Release r) {
    if (m_out.m_release_index.count(r.name) != 0) {
      fail(where, fmt::format("release '{}' is defined twice", r.name));
    }
    r.line = where.Mark().line + 1;
    m_out.m_release_index.emplace(r.name, static_cast<ReleaseId>(m_out.m_releases.size()));
    m_out.m_releases.push_back(std::move(r));
  }

  static bool valid_version(const std::string& v) {
    // "YY.MM": one or two digits, a dot, two digits.
    size_t dot = v.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 2 || v.size() - dot - 1 != 2) {
      return false;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (i != dot && (v[i] < '0' || v[i] > '9')) {
        return false;
      }
    }
    return true;
  }

  void read_releases(const YAML::Node& list) {
    if (!list.IsSequence() || list.size() == 0) {
      fail(list, "expected 'releases' to be a non-empty list");
    }
    int devels = 0;
    for (const YAML::Node& item : list) {
      expect_map(item, "a release");
      check_keys(item, {"name", "version", "lts", "eol", "devel", "variants"});
      Release r;
      r.name = scalar(require(item, "name"), "the release name");
      r.version = scalar(require(item, "version"), "the release version");
      if (!valid_version(r.version)) {
        fail(item["version"], fmt::format("expected version of '{}' as YY.MM, got '{}'", r.name, r.version));
      }
      r.lts = flag(item, "lts");
      r.eol = flag(item, "eol");
      r.devel = flag(item, "devel");
      if (r.devel && r.eol) {
        fail(item, fmt::format("release '{}' cannot be both devel and eol", r.name));
      }
      devels += r.devel ? 1 : 0;
      if (devels > 1) {
        fail(item, "at most one release can be the development release");
      }
      if (r.name.find_first_of("_/ ") != std::string::npos) {
        fail(item["name"], fmt::format("release name '{}' must not contain '_', '/' or spaces", r.name));
      }
      std::string base = r.name;
      add_release(item, std::move(r));
      read_variants(item["variants"], base);
    }
  }

  void read_variants(const YAML::Node& list, const std::string& base) {
    if (!list) {
      return;
    }
    if (!list.IsSequence()) {
      fail(list, "expected 'variants' to be a list");
    }
    for (const YAML::Node& item : list) {
      expect_map(item, "a variant");
      check_keys(item, {"name", "kind", "eol"});
      Release v;
      v.name = scalar(require(item, "name"), "the variant name");
      v.variant_kind = scalar(require(item, "kind"), "the variant kind");
      if (v.variant_kind != "esm" && v.variant_kind != "overlay") {
        fail(item["kind"], fmt::format("expected variant kind 'esm' or 'overlay', got '{}'", v.variant_kind));
      }
      if (v.name.find('/') == std::string::npos || v.name.find(base) == std::string::npos) {
        fail(item["name"], fmt::format("variant '{}' must be written `{}/<name>` or `<name>/{}`", v.name, base, base));
      }
      v.eol = flag(item, "eol");
      v.base = base;
      v.kind = ReleaseKind::variant;
      add_release(item, std::move(v));
    }
  }

  static std::pair<std::string, std::string> split_ref(const std::string& ref) {
    size_t slash = ref.rfind('/');
    if (slash == std::string::npos) {
      return {"", ref};
    }
    return {ref.substr(0, slash), ref.substr(slash + 1)};
  }

  void read_kernels(const YAML::Node& list) {
    if (!list) {
      return;
    }
    if (!list.IsSequence()) {
      fail(list, "expected 'kernels' to be a list");
    }
    std::set<std::string> seen;
    for (const YAML::Node& item : list) {
      expect_map(item, "a kernel");
      check_keys(item, {"release", "source", "derived-from", "backport"});
      Kernel k;
      k.release = scalar(require(item, "release"), "the kernel's release");
      k.source = scalar(require(item, "source"), "the kernel's source package");
      const Release* rel = m_out.find_release(k.release);
      if (rel == nullptr || rel->kind == ReleaseKind::pseudo) {
        fail(item["release"], fmt::format("unknown release '{}' for kernel '{}'", k.release, k.source));
      }
      if (!m_out.is_kernel_source(k.source)) {
        fail(item["source"], fmt::format("kernel '{}' is not listed in kernel-sources", k.source));
      }
      if (!seen.insert(k.release + "/" + k.source).second) {
        fail(item, fmt::format("kernel {}/{} is listed twice", k.release, k.source));
      }
      if (item["derived-from"]) {
        auto [r, s] = split_ref(scalar(item["derived-from"], "derived-from"));
        k.derived_from_release = r;
        k.derived_from_source = s;
        if (r.empty() || m_out.find_release(r) == nullptr) {
          fail(item["derived-from"], "expected derived-from as `<release>/<source>` with a known release");
        }
      }
      k.backport = flag(item, "backport");
      m_out.m_kernels.push_back(std::move(k));
    }
    // A derivation must name a kernel the catalog knows, so a typo cannot go unnoticed.
    size_t i = 0;
    for (const YAML::Node& item : list) {
      const Kernel& k = m_out.m_kernels[i++];
      if (!k.derived_from_source.empty() && seen.count(k.derived_from_release + "/" + k.derived_from_source) == 0) {
        fail(item["derived-from"], fmt::format("derived-from names {}/{}, which is not in 'kernels'",
                                               k.derived_from_release, k.derived_from_source));
      }
    }
  }

  Catalog& m_out;
  std::string m_path;
};

Catalog Catalog::load_text(std::string_view text, const std::string& path) {
  Catalog c;
  c.m_path = path;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}:{}: error: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  try {
    CatalogReader(c, path).read(root);
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format("{}:{}:{}: error: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return c;
}

Catalog Catalog::load_file(const std::string& path) {
  std::string text;
  if (auto err = util::read_file(path, text)) {
    throw Error(fmt::format("cannot read catalog {}: {}", path, *err));
  }
  return load_text(text, path);
}

} // namespace kct::catalog
