#include "support/notice_archive.h"

#include "debver/kernel_abi.h"
#include "util/error.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>

namespace kct::testing {

namespace {

struct Deb {
  std::string name, version, arch, source, filename, md5, component;
  int64_t size = 0;
};

struct Src {
  std::string name, version, directory, component;
  std::vector<std::tuple<std::string, int64_t, std::string>> files; // name, size, md5
};

// pool/<component>/<prefix>/<source>/<file>
bool split_pool(const std::string& path, std::string& component, std::string& source, std::string& file) {
  if (path.rfind("pool/", 0) != 0) {
    return false;
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  if (parts.size() != 5 || parts[4].empty()) {
    return false;
  }
  component = parts[1];
  source = parts[3];
  file = parts[4];
  return true;
}

std::string pool_path(const std::string& url) {
  for (const char* base :
       {"http://security.ubuntu.com/ubuntu/", "http://ports.ubuntu.com/ubuntu-ports/", "http://ports.ubuntu.com/"}) {
    if (url.rfind(base, 0) == 0) {
      return url.substr(std::string(base).size());
    }
  }
  return "";
}

void append(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::app);
  out << text;
}

std::string packages_paragraph(const Deb& d) {
  return fmt::format("Package: {}\nArchitecture: {}\nVersion: {}\nSource: {}\nFilename: {}\nSize: {}\nMD5sum: {}\n"
                     "Description: test package\n\n",
                     d.name, d.arch, d.version, d.source, d.filename, d.size, d.md5);
}

std::string sources_paragraph(const Src& s) {
  std::string files;
  for (const auto& [name, size, md5] : s.files) {
    files += fmt::format(" {} {} {}\n", md5, size, name);
  }
  return fmt::format("Package: {}\nVersion: {}\nDirectory: {}\nFiles:\n{}\n", s.name, s.version, s.directory, files);
}

// A decoy version: `ver` with the last number moved by `delta` (4.4.0-166.195 → 4.4.0-166.196).
std::string bump(const std::string& version, int delta) {
  size_t end = version.size();
  size_t start = end;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(version[start - 1]))) {
    --start;
  }
  if (start == end) {
    return version + (delta > 0 ? "+1" : "~1");
  }
  long n = std::stol(version.substr(start)) + delta;
  return version.substr(0, start) + std::to_string(n < 0 ? 0 : n);
}

void write_primary_release(const std::string& release, const usn::Release& entry, const std::string& mirror) {
  std::map<std::string, Src> sources; // by directory
  std::vector<Deb> debs;
  for (const auto& [arch, arch_entry] : *entry.archs) {
    if (!arch_entry.urls) {
      continue;
    }
    for (const auto& [url, u] : *arch_entry.urls) {
      std::string path = pool_path(url);
      std::string component, source, file;
      if (!split_pool(path, component, source, file)) {
        if (url.ends_with("/pool/")) {
          continue; // 4184-1's truncated URL
        }
        throw Error("cannot read a pool path from " + url);
      }
      if (arch == "source") {
        Src& s = sources[source];
        s.name = source;
        s.component = component;
        s.directory = path.substr(0, path.size() - file.size() - 1);
        s.files.emplace_back(file, u.size.value_or(0), u.md5.value_or(""));
        if (file.ends_with(".dsc")) {
          s.version = file.substr(source.size() + 1, file.size() - source.size() - 5);
        }
        continue;
      }
      // <name>_<version>_<arch>.deb|.udeb
      size_t first = file.find('_');
      size_t second = file.find('_', first + 1);
      size_t dot = file.rfind('.');
      if (first == std::string::npos || second == std::string::npos || dot == std::string::npos) {
        throw Error("not a .deb file name: " + url);
      }
      Deb d;
      d.name = file.substr(0, first);
      d.version = file.substr(first + 1, second - first - 1);
      d.arch = file.substr(second + 1, dot - second - 1);
      d.source = source;
      d.filename = path;
      d.md5 = u.md5.value_or("");
      d.size = u.size.value_or(0);
      d.component = component;
      debs.push_back(d);
    }
  }
  std::string security = mirror + "/dists/" + release + "-security/";
  std::string updates = mirror + "/dists/" + release + "-updates/";
  std::string proposed = mirror + "/dists/" + release + "-proposed/";
  for (const auto& [dir, s] : sources) {
    append(security + s.component + "/source/Sources", sources_paragraph(s));
    Src newer = s;
    newer.version = bump(s.version, 1);
    append(proposed + s.component + "/source/Sources", sources_paragraph(newer));
    Src older = s;
    older.version = bump(s.version, -1);
    append(updates + s.component + "/source/Sources", sources_paragraph(older));
  }
  for (Deb d : debs) {
    const Src& s = sources.at(d.source);
    std::string source_field = d.source + (d.version == s.version ? "" : " (" + s.version + ")");
    std::string binary_arch = d.arch == "all" ? "amd64" : d.arch;
    Deb published = d;
    published.source = source_field;
    append(security + d.component + "/binary-" + binary_arch + "/Packages", packages_paragraph(published));
    for (auto [pocket_dir, delta] : {std::pair{proposed, 1}, std::pair{updates, -1}}) {
      Deb decoy = d;
      decoy.version = bump(d.version, delta);
      decoy.source = d.source + " (" + bump(s.version, delta) + ")";
      decoy.filename = d.filename + (delta > 0 ? ".proposed" : ".updates");
      append(pocket_dir + d.component + "/binary-" + binary_arch + "/Packages", packages_paragraph(decoy));
    }
  }
}

// ESM: the notice has only names and versions; sources are inferred as the kernel's (same
// version) or its meta's (meta ABI equal to the kernel's ABI).
void write_ppa_release(const std::string& release, const usn::Release& entry, const std::string& ppa) {
  std::string dists = ppa + "/dists/" + release + "/main/";
  std::map<std::string, std::string> source_versions;
  for (const auto& [name, s] : *entry.sources) {
    source_versions[name] = *s.version;
  }
  std::map<std::string, std::string> meta_versions; // meta source → version
  for (const auto& [name, b] : *entry.allbinaries) {
    std::string source;
    std::string source_version;
    for (const auto& [src, version] : source_versions) {
      if (*b.version == version) {
        source = src;
        source_version = version;
      } else if (debver::kernel_meta_abi(*b.version) == debver::kernel_package_abi(version) && source.empty()) {
        source = src == "linux" ? "linux-meta" : "linux-meta-" + src.substr(6);
        source_version = *b.version;
        meta_versions[source] = source_version;
      }
    }
    if (source.empty()) {
      throw Error("cannot tell the source of " + name);
    }
    Deb d{name,
          *b.version,
          "amd64",
          source + (source_version == *b.version ? "" : " (" + source_version + ")"),
          fmt::format("pool/main/l/{}/{}_{}_amd64.deb", source, name, *b.version),
          std::string(32, '0'),
          "main",
          1};
    append(dists + "binary-amd64/Packages", packages_paragraph(d));
  }
  for (const auto& [name, version] : source_versions) {
    meta_versions[name] = version;
  }
  for (const auto& [name, version] : meta_versions) {
    Src s{name, version, "pool/main/l/" + name, "main", {{name + "_" + version + ".dsc", 1, std::string(32, '0')}}};
    append(dists + "source/Sources", sources_paragraph(s));
  }
}

} // namespace

NoticeArchive write_notice_archive(const usn::Notice& notice, const std::string& dir) {
  NoticeArchive out;
  out.mirror = dir + "/mirror";
  std::filesystem::create_directories(out.mirror + "/dists");
  for (const auto& [release, entry] : notice.releases) {
    if (entry.archs && !entry.archs->empty()) {
      write_primary_release(release, entry, out.mirror);
    } else {
      out.ppa_base = dir + "/ppa";
      write_ppa_release(release, entry, out.ppa_base + "/" + k_esm_ppa + "/ubuntu");
    }
  }
  return out;
}

} // namespace kct::testing
