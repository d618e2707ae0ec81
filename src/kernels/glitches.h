#pragma once
// The kernel glitch table (uct doc §5.3, cve_lib's kernel_glitches): for a kernel whose last
// USN named a version that never reached -security (a respin, a reverted upload), which version
// did. kernel → release → {last USN version → version actually in -security}; the key `~`
// means no USN was ever issued (a new kernel's first notice). Kept as data
// (data/kernel-glitches.yaml), one line per mapping; cycles are refused when the file is read,
// so a lookup always ends.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kct::kernels {

inline constexpr const char* k_never_published = "~";

class GlitchTable {
public:
  // Parses the YAML text; throws kct::Error `path:line:col: error: …` for a malformed entry,
  // a version mapped twice, or a cycle (naming the versions in it).
  static GlitchTable parse(const std::string& text, const std::string& path);
  static GlitchTable load_file(const std::string& path);

  // §5.3 lookup_glitch_version: from `version` (k_never_published for a kernel without a USN)
  // follow the mapping while the current version is a key; the final version when it differs
  // from `version`, else nullopt.
  std::optional<std::string> lookup(const std::string& kernel, const std::string& release,
                                    const std::string& version) const;
  // The versions that lookup() walks through, `version` first (for explanations).
  std::vector<std::string> chain(const std::string& kernel, const std::string& release,
                                 const std::string& version) const;
  size_t mappings() const;

private:
  // (kernel, release) → from → to
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> m_table;
};

// data/kernel-glitches.yaml beside the catalog (KCT_KERNEL_GLITCHES overrides).
std::string default_glitches_path();

} // namespace kct::kernels
