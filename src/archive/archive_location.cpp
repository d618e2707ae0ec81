// Where an archive is, as the user names it: a mirror directory, an HTTP(S) URL, or a Launchpad
// PPA (`ppa:OWNER/NAME`, Launchpad's own spelling, or just `OWNER/NAME`, as sis-changes took
// it). Also the pocket names shared by the archive commands.
#include "archive/archive_view.h"

#include "util/error.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

namespace kct::archive {

namespace {

bool is_url(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://");
}

std::string without_trailing_slash(std::string_view s) {
  while (s.size() > 1 && s.back() == '/') {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Launchpad's rule for person, team and PPA names.
bool is_launchpad_name(std::string_view s) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || !alnum(s[0])) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '+' || c == '-' || c == '.'; });
}

bool is_ppa_name(std::string_view s) {
  size_t slash = s.find('/');
  return slash != std::string_view::npos && is_launchpad_name(s.substr(0, slash)) &&
         is_launchpad_name(s.substr(slash + 1));
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

} // namespace

bool ArchiveLocation::remote() const {
  return is_url(base);
}

ArchiveLocation ArchiveLocation::parse(std::string_view spec, std::string_view ppa_base) {
  ArchiveLocation location;
  location.label = std::string(spec);
  if (spec.empty()) {
    throw Error("empty archive location: expected a mirror directory, an http(s) URL or ppa:OWNER/NAME");
  }
  if (spec == "ubuntu" || spec == "ppa:ubuntu") {
    throw Error(fmt::format("{}: the primary archive is given as a mirror directory or URL, not a PPA", spec));
  }
  if (is_url(spec)) {
    location.base = without_trailing_slash(spec);
    if (location.base.size() <= spec.find("://") + 3) {
      throw Error(fmt::format("{}: expected a host name after the scheme", spec));
    }
    return location;
  }
  bool prefixed = spec.starts_with("ppa:");
  if (!prefixed && (is_directory(std::string(spec)) || !is_ppa_name(spec))) {
    location.base = without_trailing_slash(spec);
    return location;
  }
  std::string_view name = prefixed ? spec.substr(4) : spec;
  if (!is_ppa_name(name)) {
    throw Error(fmt::format("{}: expected ppa:OWNER/NAME (Launchpad names: lower-case letters, digits, '+', '-' "
                            "and '.')",
                            spec));
  }
  location.base = fmt::format("{}/{}/ubuntu", without_trailing_slash(ppa_base), name);
  location.ppa = true;
  return location;
}

std::string_view pocket_name(Pocket pocket) {
  static constexpr std::string_view k_names[] = {"release", "updates", "security", "proposed"};
  return k_names[static_cast<size_t>(pocket)];
}

std::optional<Pocket> parse_pocket(std::string_view text) {
  for (Pocket pocket : {Pocket::release, Pocket::updates, Pocket::security, Pocket::proposed}) {
    std::string_view name = pocket_name(pocket);
    if (text.size() == name.size() &&
        std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) { return (a | 0x20) == b; })) {
      return pocket;
    }
  }
  return std::nullopt;
}

} // namespace kct::archive
