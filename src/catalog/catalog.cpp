#include "catalog/catalog.h"

#include "util/hash.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace kct::catalog {

std::optional<ReleaseId> Catalog::find(std::string_view name) const {
  if (m_release_slots.empty()) {
    return std::nullopt;
  }
  size_t mask = m_release_slots.size() - 1;
  for (size_t h = util::fast_hash(name) & mask;; h = (h + 1) & mask) {
    ReleaseId id = m_release_slots[h];
    if (id == k_no_release) {
      return std::nullopt;
    }
    if (m_releases[id].name == name) {
      return id;
    }
  }
}

void Catalog::index_releases() {
  size_t capacity = 16;
  while (capacity < m_releases.size() * 4) {
    capacity *= 2;
  }
  m_release_slots.assign(capacity, k_no_release);
  for (size_t i = 0; i < m_releases.size(); ++i) {
    size_t h = util::fast_hash(m_releases[i].name) & (capacity - 1);
    while (m_release_slots[h] != k_no_release) {
      h = (h + 1) & (capacity - 1);
    }
    m_release_slots[h] = static_cast<ReleaseId>(i);
  }
}

const Release* Catalog::find_release(std::string_view name) const {
  std::optional<ReleaseId> id = find(name);
  return id ? &m_releases[*id] : nullptr;
}

const Release* Catalog::devel_release() const {
  for (const Release& r : m_releases) {
    if (r.devel) {
      return &r;
    }
  }
  return nullptr;
}

std::string_view Catalog::resolve_alias(std::string_view name) const {
  if (name == "devel") {
    const Release* d = devel_release();
    return d ? std::string_view(d->name) : name;
  }
  return name;
}

std::vector<std::string> Catalog::supported_release_keys() const {
  std::vector<std::string> keys;
  for (const Release& r : m_releases) {
    if (r.kind == ReleaseKind::pseudo || r.eol) {
      continue;
    }
    keys.push_back(r.devel ? std::string("devel") : r.name);
  }
  return keys;
}

bool Catalog::is_live(std::string_view name) const {
  const Release* r = find_release(resolve_alias(name));
  return r != nullptr && r->kind != ReleaseKind::pseudo && !r->eol;
}

const Release* Catalog::live_esm(std::string_view release) const {
  const Release* base = find_release(release);
  if (base == nullptr || !base->eol) {
    return nullptr;
  }
  const Release* esm = find_release(std::string(release) + "/esm");
  return esm != nullptr && !esm->eol ? esm : nullptr;
}

namespace {
bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}
} // namespace

bool Catalog::is_kernel_source(std::string_view package) const {
  return contains(m_kernel_sources, package);
}
bool Catalog::is_product(std::string_view package) const {
  return contains(m_products, package);
}
bool Catalog::is_snap(std::string_view package) const {
  return contains(m_snaps, package);
}

bool Catalog::is_unpublished_kernel(std::string_view package, std::string_view release) const {
  std::string with_release = std::string(package) + "/" + std::string(release);
  return contains(m_unpublished_kernels, package) || contains(m_unpublished_kernels, with_release);
}

std::vector<const Kernel*> Catalog::kernels_of(std::string_view release) const {
  std::vector<const Kernel*> out;
  for (const Kernel& k : m_kernels) {
    if (k.release == release) {
      out.push_back(&k);
    }
  }
  return out;
}

std::string default_catalog_path() {
  if (const char* env = std::getenv("KCT_CATALOG"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  if (std::filesystem::exists(KCT_SOURCE_CATALOG, ec)) {
    return KCT_SOURCE_CATALOG;
  }
  return KCT_INSTALLED_CATALOG;
}

} // namespace kct::catalog
