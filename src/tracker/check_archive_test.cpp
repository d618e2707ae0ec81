// The check-syntax rules that need the archive map (uct §11 6e, 6g-6j, 7): a failing and a
// passing case each, over a small tracker and a small mirror written by the test and read by
// archive::load_sources_index, plus `kct check --mirror` run as a program.
#include "archive/sources_index.h"
#include "tracker/check.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kct::tracker {
namespace {

constexpr const char* k_id = "CVE-2019-2000";

// A valid active file: package `foo` with a line for upstream and every live release.
std::string cve_for(const std::string& id, const std::string& priority = "medium", const std::string& extra = "") {
  return "Candidate: " + id +
         "\nPublicDate: 2019-06-01\nReferences:\n https://cve.mitre.org/cgi-bin/cvename.cgi?name=" + id +
         "\nDescription:\n An overflow.\nUbuntu-Description:\nNotes:\nMitigation:\nBugs:\nPriority: " + priority +
         "\nDiscovered-by:\nAssigned-to:\nCVSS:\n" + extra +
         "\n"
         "upstream_foo: needs-triage\n"
         "precise/esm_foo: DNE\n"
         "trusty/esm_foo: needed\n"
         "xenial_foo: needed\n"
         "bionic_foo: needed\n"
         "disco_foo: needed\n"
         "eoan_foo: needed\n"
         "devel_foo: needed\n";
}

std::string cve(const std::string& priority = "medium", const std::string& extra = "") {
  return cve_for(k_id, priority, extra);
}

// As it would sit in retired/: nothing open in devel (rule 6d).
std::string retired(std::string text) {
  size_t at = text.find("devel_");
  size_t colon = text.find(": needed", at);
  return text.replace(colon, 8, ": not-affected");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

std::string renamed(std::string text, const std::string& package) {
  for (size_t at = text.find("_foo:"); at != std::string::npos; at = text.find("_foo:", at)) {
    text.replace(at + 1, 3, package);
  }
  return text;
}

int64_t line_of(const std::string& text, const std::string& prefix) {
  int64_t line = 1;
  for (size_t start = 0; start < text.size(); start = text.find('\n', start) + 1, ++line) {
    if (text.compare(start, prefix.size(), prefix) == 0) {
      return line;
    }
  }
  ADD_FAILURE() << prefix;
  return 0;
}

// A mirror holding `foo` 1.0-1 in main of every live release but precise (where the file says
// DNE); tests change it with set().
class Fixture {
public:
  Fixture() {
    for (const char* dist : {"trusty", "xenial", "bionic", "disco", "eoan", "focal"}) {
      set(dist, "main", "foo", "1.0-1");
    }
    set("precise", "main", "", "");
    for (const char* d : {"active", "retired", "ignored"}) {
      std::filesystem::create_directories(m_tree.path() + "/" + d);
    }
  }

  // Puts `package` at `version` into dists/<dist>/<component>, taking it out of the dist's other
  // components; an empty version only takes it out. The index file exists either way.
  void set(const std::string& dist, const std::string& component, const std::string& package,
           const std::string& version) {
    auto& index = m_indices[dist + "/" + component];
    for (auto& [key, packages] : m_indices) {
      if (key.rfind(dist + "/", 0) == 0) {
        packages.erase(package);
      }
    }
    if (!package.empty() && !version.empty()) {
      index[package] = version;
    }
  }

  void add(const std::string& relative, const std::string& text) { m_tree.write(relative, text); }

  std::vector<std::string> check(bool check_versions = false) {
    std::string mirror = write_mirror();
    archive::SourcesIndex index = archive::load_sources_index(mirror, testing::source_catalog());
    EXPECT_EQ(testing::formatted(index.diagnostics), std::vector<std::string>{});
    ArchiveMap map;
    for (auto& [release, sources] : index.releases) {
      ReleasePackages& packages = map.releases[release]; // present even when empty
      for (auto& [name, p] : sources) {
        packages.emplace(name, ArchivePackage{p.version, p.component, p.proposed_only});
      }
    }
    std::unique_ptr<Tracker> t = Tracker::load(m_tree.path(), testing::source_catalog());
    CheckOptions options;
    options.archive = &map;
    options.check_versions = check_versions;
    std::vector<std::string> out;
    for (const std::string& d : testing::formatted(check_tracker(*t, options).diagnostics)) {
      out.push_back(d.substr(m_tree.path().size() + 1)); // relative to the tree
    }
    return out;
  }

  // Writes the indices afresh as plain Sources files; returns the mirror's root.
  std::string write_mirror() {
    std::string root = m_mirror.path();
    std::filesystem::remove_all(root + "/dists");
    for (const auto& [key, packages] : m_indices) {
      size_t slash = key.find('/');
      std::string text;
      for (const auto& [name, version] : packages) {
        text += "Package: " + name + "\nBinary: " + name + "\nVersion: " + version + "\n\n";
      }
      m_mirror.write("dists/" + key.substr(0, slash) + "/" + key.substr(slash + 1) + "/source/Sources", text);
    }
    return root;
  }

  const std::string& tree() const { return m_tree.path(); }

private:
  testing::ScopedTempDir m_tree;
  testing::ScopedTempDir m_mirror;
  std::map<std::string, std::map<std::string, std::string>> m_indices;
};

using Lines = std::vector<std::string>;
const std::string k_path = std::string("active/") + k_id;

std::string at(const std::string& text, const std::string& prefix, const std::string& rest) {
  return k_path + ":" + std::to_string(line_of(text, prefix)) + ":1: " + rest;
}

TEST(CheckArchiveRules, ValidFileAndMirrorHaveNoDiagnostics) {
  Fixture f;
  f.add(k_path, cve());
  EXPECT_EQ(f.check(true), Lines{});
}

// --- 6e ---------------------------------------------------------------------------------------

TEST(CheckArchiveRules, DneForAPackageInThatReleaseIsAnError) {
  Fixture f;
  f.set("precise", "universe", "foo", "0.9");
  std::string text = cve();
  f.add(k_path, text);
  EXPECT_EQ(f.check(),
            Lines{at(text, "precise/esm_foo:", "error: precise/esm_foo: package 'foo' DOES exist in precise/esm")});
}

TEST(CheckArchiveRules, DneForAPackageOnlyInProposedIsAccepted) {
  Fixture f;
  f.set("precise-proposed", "main", "foo", "0.9");
  f.add(k_path, cve());
  EXPECT_EQ(f.check(), Lines{});
}

// --- 6g ---------------------------------------------------------------------------------------

TEST(CheckArchiveRules, ActivePackageInNoReleaseIsUnknown) {
  Fixture f;
  std::string text = renamed(cve(), "bar");
  f.add(k_path, text);
  Lines want;
  for (const char* rel : {"trusty/esm", "xenial", "bionic", "disco", "eoan", "devel"}) {
    want.push_back(at(text, std::string(rel) + "_bar:", "error: " + std::string(rel) + "_bar: unknown package 'bar'"));
  }
  EXPECT_EQ(f.check(), want);
}

TEST(CheckArchiveRules, UnknownPackageIsAcceptedForLtsKernelsUnpublishedKernelsAndRetiredFiles) {
  Fixture f;
  f.add(k_path, renamed(cve(), "linux-lts-foo"));
  f.add("retired/CVE-2019-2001", retired(renamed(cve_for("CVE-2019-2001"), "bar")));
  // linux-azure-edge is on the unpublished list for xenial only; published in bionic here.
  f.set("bionic", "main", "linux-azure-edge", "5.0.0-1");
  f.add("active/CVE-2019-2002", renamed(cve_for("CVE-2019-2002"), "linux-azure-edge"));
  Lines got = f.check();
  // Only 6h for linux-azure-edge in trusty/esm, disco, eoan and devel; nothing for xenial or
  // the other files.
  for (const std::string& line : got) {
    EXPECT_EQ(line.find("xenial"), std::string::npos) << line;
    EXPECT_NE(line.find("active/CVE-2019-2002"), std::string::npos) << line;
    EXPECT_NE(line.find("not in"), std::string::npos) << line;
  }
  EXPECT_EQ(got.size(), 4u);
}

// --- 6h ---------------------------------------------------------------------------------------

TEST(CheckArchiveRules, ActivePackageMissingFromOneReleaseIsAnError) {
  Fixture f;
  f.set("disco", "main", "foo", "");
  f.set("xenial-proposed", "main", "foo", "1.0-2"); // -proposed is not the map, outside devel
  f.set("xenial", "main", "foo", "");
  std::string text = cve();
  f.add(k_path, text);
  EXPECT_EQ(f.check(), (Lines{at(text, "xenial_foo:", "error: xenial_foo: package 'foo' not in xenial"),
                              at(text, "disco_foo:", "error: disco_foo: package 'foo' not in disco")}));
}

TEST(CheckArchiveRules, DevelPackageOnlyInDevelProposedAndRetiredFilesAreAccepted) {
  Fixture f;
  f.set("focal", "main", "foo", "");
  f.set("focal-proposed", "main", "foo", "1.0-2");
  f.add(k_path, cve());
  f.set("eoan", "main", "foo", "");
  f.add("retired/CVE-2019-2001", retired(cve_for("CVE-2019-2001")));
  Lines got = f.check();
  // The active file's eoan entry is the only complaint.
  std::string text = cve();
  EXPECT_EQ(got, Lines{at(text, "eoan_foo:", "error: eoan_foo: package 'foo' not in eoan")});
}

// --- 6i ---------------------------------------------------------------------------------------

TEST(CheckArchiveRules, ReleasedVersionAboveTheArchiveIsAnErrorWithCheckVersions) {
  Fixture f;
  f.set("xenial-updates", "main", "foo", "1.0-2");
  std::string text = replaced(cve(), "xenial_foo: needed", "xenial_foo: released (1.0-3)");
  f.add(k_path, text);
  EXPECT_EQ(f.check(true), Lines{at(text, "xenial_foo:", "error: foo has 1.0-3 > 1.0-2 (in xenial)")});
  EXPECT_EQ(f.check(false), Lines{});
}

TEST(CheckArchiveRules, ReleasedVersionAtOrBelowTheArchiveIsAccepted) {
  Fixture f;
  f.set("xenial-security", "main", "foo", "1:0.1");
  f.set("bionic-updates", "main", "foo", "1.0-3");
  std::string text = replaced(replaced(cve(), "xenial_foo: needed", "xenial_foo: released (1.0-3)"),
                              "bionic_foo: needed", "bionic_foo: released (1.0-3)");
  f.add(k_path, text);
  EXPECT_EQ(f.check(true), Lines{});
}

// --- 6j ---------------------------------------------------------------------------------------

TEST(CheckArchiveRules, PublishedUnpublishedKernelIsWarnedAboutOnce) {
  Fixture f;
  for (const char* dist : {"trusty", "xenial", "bionic", "disco", "eoan", "focal"}) {
    f.set(dist, "main", "linux-azure-edge", "5.0.0-1");
  }
  std::string text = renamed(cve(), "linux-azure-edge");
  f.add(k_path, text);
  f.add("active/CVE-2019-2001", renamed(cve_for("CVE-2019-2001"), "linux-azure-edge"));
  EXPECT_EQ(f.check(), Lines{at(text, "xenial_linux-azure-edge:",
                                "warning: linux-azure-edge in xenial is now published; please remove it from "
                                "the catalog's unpublished-kernels")});
}

TEST(CheckArchiveRules, UnpublishedKernelStillUnpublishedIsAccepted) {
  Fixture f;
  for (const char* dist : {"trusty", "bionic", "disco", "eoan", "focal"}) {
    f.set(dist, "main", "linux-azure-edge", "5.0.0-1");
  }
  f.add(k_path, renamed(cve(), "linux-azure-edge"));
  EXPECT_EQ(f.check(), Lines{});
}

// --- 7 ----------------------------------------------------------------------------------------

TEST(CheckArchiveRules, OpenSupportedPackageWithoutARealPriorityIsAnError) {
  Fixture f;
  f.set("disco", "universe", "foo", "1.0-1"); // not supported there
  std::string text = replaced(cve("untriaged"), "eoan_foo: needed", "eoan_foo: not-affected");
  f.add(k_path, text);
  EXPECT_EQ(f.check(), Lines{at(text, "Priority:",
                                "error: Priority missing with supported packages (foo/trusty/esm, foo/xenial, "
                                "foo/bionic, foo/focal)")});
}

TEST(CheckArchiveRules, PriorityIsNotNeededForUniverseTaggedOrRetiredPackages) {
  Fixture f;
  for (const char* dist : {"trusty", "xenial", "bionic", "disco", "eoan", "focal"}) {
    f.set(dist, "universe", "foo", "1.0-1");
  }
  f.set("focal", "restricted", "baz", "1");
  f.add(k_path, cve("untriaged"));
  f.add("active/CVE-2019-2001", renamed(cve_for("CVE-2019-2001", "untriaged", "Tags_baz: universe-binary\n"), "baz"));
  Lines got = f.check();
  // baz is only in focal: 6h for the others, but never rule 7 (it is tagged universe-binary).
  for (const std::string& line : got) {
    EXPECT_EQ(line.find("Priority"), std::string::npos) << line;
  }
  EXPECT_EQ(got.size(), 5u);
}

TEST(CheckArchiveRules, WithoutAnArchiveMapTheRulesAreSkipped) {
  testing::ScopedTempDir tree;
  for (const char* d : {"active", "retired", "ignored"}) {
    std::filesystem::create_directories(tree.path() + "/" + d);
  }
  tree.write(k_path, renamed(cve("untriaged"), "bar"));
  std::unique_ptr<Tracker> t = Tracker::load(tree.path(), testing::source_catalog());
  EXPECT_EQ(testing::formatted(check_tracker(*t, {}).diagnostics), std::vector<std::string>{});
}

// --- kct check --mirror -------------------------------------------------------------------------

TEST(CheckArchiveCli, MirrorOptionRunsTheArchiveRules) {
  Fixture f;
  f.set("precise", "main", "foo", "0.9");
  std::string text = replaced(cve(), "xenial_foo: needed", "xenial_foo: released (1.0-3)");
  f.add(k_path, text);
  std::string mirror = f.write_mirror();
  std::string catalog = testing::source_dir() + "/data/catalog.yaml";
  testing::CommandResult r = testing::run_command({testing::kct_binary(), "--tracker", f.tree(), "--catalog", catalog,
                                                   "check", "--mirror", mirror, "--check-versions"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::string file = f.tree() + "/" + k_path;
  EXPECT_NE(r.err.find(file + ":" + std::to_string(line_of(text, "precise/esm_foo:")) +
                       ":1: error: precise/esm_foo: package 'foo' DOES exist in precise/esm\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: foo has 1.0-3 > 1.0-1 (in xenial)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 errors, 0 warnings"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ran the archive rules 6e, 6g, 6h, 6i, 6j, 7\n"), std::string::npos) << r.err;

  r = testing::run_command({testing::kct_binary(), "--tracker", f.tree(), "--catalog", catalog, "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped the archive rules 6e, 6g, 6h, 6i, 6j, 7 (no --mirror)"), std::string::npos) << r.err;

  r = testing::run_command(
      {testing::kct_binary(), "--tracker", f.tree(), "--catalog", catalog, "check", "--mirror", mirror});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.find("1.0-3 >"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ran the archive rules 6e, 6g, 6h, 6j, 7 (6i needs --check-versions)"), std::string::npos)
      << r.err;
}

} // namespace
} // namespace kct::tracker
