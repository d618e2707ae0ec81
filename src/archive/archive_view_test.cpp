// The archive view over a mirror tree built here (Sources with Files, Packages, Release files;
// plain, .gz and .xz): read from the directory and over HTTP from python3's http.server, with
// the same results; a PPA's layout; malformed, missing and corrupt indices.
#include "archive/archive_view.h"

#include "support/http_server.h"
#include "support/test_env.h"
#include "util/error.h"

#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <unistd.h>

namespace kct::archive {
namespace {

using testing::HttpServer;
using testing::ScopedTempDir;

const std::string k_md5a = "0123456789abcdef0123456789abcdef";
const std::string k_md5b = "fedcba9876543210fedcba9876543210";

std::string source(const std::string& name, const std::string& version, const std::string& binaries) {
  return "Package: " + name + "\nBinary: " + binaries + "\nVersion: " + version + "\nDirectory: pool/main/l/" + name +
         "\nFiles:\n " + k_md5a + " 5000 " + name + "_" + version + ".dsc\n " + k_md5b + " 170000000 " + name +
         "_5.4.0.orig.tar.gz\nChecksums-Sha256:\n " + std::string(64, 'a') + " 5000 " + name + "_" + version +
         ".dsc\n\n";
}

std::string binary(const std::string& name, const std::string& version, const std::string& arch,
                   const std::string& source) {
  return "Package: " + name + "\nArchitecture: " + arch + "\nVersion: " + version + "\nSource: " + source +
         "\nFilename: pool/main/l/" + name + "_" + version + "_" + arch + ".deb\nSize: 1234\nMD5sum: " + k_md5a +
         "\nDescription: a package\n with a long description\n .\n over lines\n\n";
}

// Writes `text` at `relative` under the mirror and compresses it in place with `tool` (gzip,
// xz) when one is given.
void put(const std::string& mirror, const std::string& relative, const std::string& text,
         const std::string& tool = "") {
  std::filesystem::create_directories(std::filesystem::path(mirror + "/" + relative).parent_path());
  std::string path = mirror + "/" + relative;
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  if (!tool.empty()) {
    testing::CommandResult r = testing::run_command({tool, "-f", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
}

const std::string k_focal_main_sources =
    source("linux", "5.4.0-26.30",
           "linux-headers-5.4.0-26, linux-libc-dev,\n linux-doc, linux-modules-5.4.0-26-generic") +
    source("linux-signed", "5.4.0-26.30", "linux-image-5.4.0-26-generic");

// focal in four pockets. The release pocket's Release lists amd64 and arm64 (an i386 index is
// there but must not be read) and a universe component that has no files.
void build_focal(const std::string& m) {
  put(m, "dists/focal/Release",
      "Origin: Ubuntu\nSuite: focal\nArchitectures: amd64 arm64\nComponents: main universe\nMD5Sum:\n " + k_md5a +
          " 100 main/binary-amd64/Packages\n");
  put(m, "dists/focal/main/source/Sources", k_focal_main_sources, "xz");
  std::string docs = binary("linux-doc", "5.4.0-26.30", "all", "linux");
  put(m, "dists/focal/main/binary-amd64/Packages",
      binary("linux-modules-5.4.0-26-generic", "5.4.0-26.30", "amd64", "linux") + docs +
          binary("linux-image-5.4.0-26-generic", "5.4.0-26.30", "amd64", "linux-signed (5.4.0-26.30)"),
      "gzip");
  put(m, "dists/focal/main/binary-arm64/Packages",
      docs + binary("linux-modules-5.4.0-26-generic", "5.4.0-26.30", "arm64", "linux"), "xz");
  put(m, "dists/focal/main/binary-i386/Packages",
      binary("linux-modules-5.4.0-26-generic", "5.4.0-26.30", "i386", "linux"));
  // Two versions in one pocket; by dpkg order 40.44 is the higher, by string order 9.12.
  put(m, "dists/focal-updates/Release", "Suite: focal-updates\nArchitectures: amd64\nComponents: main\n");
  put(m, "dists/focal-updates/main/source/Sources",
      source("linux", "5.4.0-9.12", "linux-libc-dev") + source("linux", "5.4.0-40.44", "linux-libc-dev"), "gzip");
  put(m, "dists/focal-updates/main/binary-amd64/Packages", binary("linux-libc-dev", "5.4.0-40.44", "amd64", "linux"));
  put(m, "dists/focal-security/Release", "Suite: focal-security\nArchitectures: amd64\nComponents: main\n");
  put(m, "dists/focal-security/main/source/Sources", source("linux", "5.4.0-40.44", "linux-libc-dev"));
  put(m, "dists/focal-security/main/binary-amd64/Packages", binary("linux-libc-dev", "5.4.0-40.44", "amd64", "linux"));
  // No Architectures: a directory is listed, a server is asked for the default ones.
  put(m, "dists/focal-proposed/Release", "Suite: focal-proposed\nComponents: main\n");
  put(m, "dists/focal-proposed/main/source/Sources", source("linux", "5.4.0-42.46", "linux-libc-dev"), "xz");
}

std::vector<std::string> names_and_archs(const std::vector<const BinaryPackage*>& packages) {
  std::vector<std::string> out;
  for (const BinaryPackage* p : packages) {
    out.push_back(p->name + "/" + p->architecture + " " + p->filename);
  }
  return out;
}

void expect_focal(ArchiveView& view) {
  const ReleaseArchive& focal = view.release("focal");
  EXPECT_TRUE(view.diagnostics().empty()) << testing::formatted(view.diagnostics()).front();
  EXPECT_EQ(&view.release("focal"), &focal) << "loaded once, then kept";
  EXPECT_EQ(focal.source_count(), 6u);

  const SourcePackage* linux = focal.source("linux", Pocket::release);
  ASSERT_NE(linux, nullptr);
  EXPECT_EQ(linux->version, "5.4.0-26.30");
  EXPECT_EQ(linux->directory, "pool/main/l/linux");
  EXPECT_EQ(linux->component, "main");
  EXPECT_EQ(linux->pocket, Pocket::release);
  EXPECT_EQ(linux->binaries, (std::vector<std::string>{"linux-headers-5.4.0-26", "linux-libc-dev", "linux-doc",
                                                       "linux-modules-5.4.0-26-generic"}));
  ASSERT_EQ(linux->files.size(), 2u);
  EXPECT_EQ(linux->files[0].name, "linux_5.4.0-26.30.dsc");
  EXPECT_EQ(linux->files[0].size, 5000);
  EXPECT_EQ(linux->files[0].md5, k_md5a);
  EXPECT_EQ(linux->files[1].name, "linux_5.4.0.orig.tar.gz");
  EXPECT_EQ(linux->files[1].size, 170000000);
  EXPECT_EQ(linux->files[1].md5, k_md5b);

  ASSERT_NE(focal.source("linux", Pocket::updates), nullptr);
  EXPECT_EQ(focal.source("linux", Pocket::updates)->version, "5.4.0-40.44");
  ASSERT_NE(focal.source("linux", Pocket::security), nullptr);
  EXPECT_EQ(focal.source("linux", Pocket::security)->version, "5.4.0-40.44");
  ASSERT_NE(focal.source("linux", Pocket::proposed), nullptr);
  EXPECT_EQ(focal.source("linux", Pocket::proposed)->version, "5.4.0-42.46");
  EXPECT_EQ(focal.source("linux-signed", Pocket::updates), nullptr);
  EXPECT_EQ(focal.source("nosuch", Pocket::release), nullptr);

  ASSERT_NE(focal.source_version("linux", "5.4.0-40.44"), nullptr);
  EXPECT_EQ(focal.source_version("linux", "5.4.0-40.44")->pocket, Pocket::security) << "security over updates";
  ASSERT_NE(focal.source_version("linux", "5.4.0-9.12"), nullptr);
  EXPECT_EQ(focal.source_version("linux", "5.4.0-9.12")->pocket, Pocket::updates);
  EXPECT_EQ(focal.source_version("linux", "5.4.0-42.46")->pocket, Pocket::proposed);
  EXPECT_EQ(focal.source_version("linux", "5.4.0-41.45"), nullptr);
  EXPECT_EQ(focal.sources_named("linux").size(), 5u);
  EXPECT_TRUE(focal.sources_named("linux-doc").empty());

  const ReleasePackages& binaries = focal.packages();
  EXPECT_EQ(binaries.size(), 6u) << "linux-doc (all) once, i386 not listed in Release";
  EXPECT_EQ(
      names_and_archs(binaries.built_from("linux", "5.4.0-26.30", Pocket::release)),
      (std::vector<std::string>{
          "linux-doc/all pool/main/l/linux-doc_5.4.0-26.30_all.deb",
          "linux-modules-5.4.0-26-generic/amd64 pool/main/l/linux-modules-5.4.0-26-generic_5.4.0-26.30_amd64.deb",
          "linux-modules-5.4.0-26-generic/arm64 pool/main/l/linux-modules-5.4.0-26-generic_5.4.0-26.30_arm64.deb"}));
  EXPECT_EQ(names_and_archs(binaries.built_from("linux-signed", "5.4.0-26.30", Pocket::release)),
            (std::vector<std::string>{
                "linux-image-5.4.0-26-generic/amd64 pool/main/l/linux-image-5.4.0-26-generic_5.4.0-26.30_amd64.deb"}));
  EXPECT_EQ(binaries.built_from("linux", "5.4.0-40.44", Pocket::security).size(), 1u);
  EXPECT_EQ(binaries.built_from("linux", "5.4.0-40.44", Pocket::updates).size(), 1u);
  EXPECT_TRUE(binaries.built_from("linux", "5.4.0-40.44", Pocket::release).empty());
}

class ArchiveViewTest : public ::testing::Test {
protected:
  ArchiveViewTest() : m_mirror(m_tmp.path() + "/www") {
    build_focal(m_mirror);
    m_server = std::make_unique<HttpServer>(m_mirror);
  }
  void SetUp() override { ASSERT_TRUE(m_server->up()); }

  const std::string& mirror() const { return m_mirror; }
  std::string url(const std::string& name = "") const { return m_server->url(name); }
  // The same tree as a directory and over HTTP.
  void for_both(const std::function<void(const ArchiveLocation&, const std::string& origin)>& check) {
    for (const std::string& spec : {mirror(), url()}) {
      SCOPED_TRACE(spec);
      ArchiveLocation location = ArchiveLocation::parse(spec);
      check(location, location.base);
    }
  }

  ScopedTempDir m_tmp;
  std::string m_mirror;
  std::unique_ptr<HttpServer> m_server;
};

TEST_F(ArchiveViewTest, ReadsPocketsFromADirectoryAndOverHttpAlike) {
  for_both([](const ArchiveLocation& location, const std::string&) {
    ArchiveView view(location);
    expect_focal(view);
    EXPECT_TRUE(view.has_release("focal"));
  });
}

TEST_F(ArchiveViewTest, OptionsNarrowPocketsArchitecturesAndBinaries) {
  for_both([](const ArchiveLocation& location, const std::string&) {
    LoadOptions options;
    options.architectures = {"amd64"};
    ArchiveView amd64(location, options);
    EXPECT_EQ(amd64.release("focal").packages().size(), 5u);
    EXPECT_EQ(amd64.release("focal").packages().built_from("linux", "5.4.0-26.30", Pocket::release).size(), 2u);

    options = LoadOptions{};
    options.binaries = false;
    ArchiveView sources(location, options);
    EXPECT_EQ(sources.release("focal").packages().size(), 0u);
    EXPECT_EQ(sources.release("focal").source_count(), 6u);

    options = LoadOptions{};
    options.pockets = {Pocket::security};
    ArchiveView security(location, options);
    EXPECT_EQ(security.release("focal").source("linux", Pocket::release), nullptr);
    EXPECT_EQ(security.release("focal").sources_named("linux").size(), 1u);
  });
}

TEST_F(ArchiveViewTest, FetchIndexDecompressesAndMissingFilesAreAbsent) {
  for_both([](const ArchiveLocation& location, const std::string&) {
    EXPECT_EQ(fetch_index(location, "dists/focal/main/source/Sources"), k_focal_main_sources);
    EXPECT_EQ(fetch_index(location, "dists/focal/universe/source/Sources"), std::nullopt);
    EXPECT_EQ(fetch_index(location, "dists/nosuch/Release"), std::nullopt);
  });
}

TEST_F(ArchiveViewTest, MissingReleaseIsAnErrorNamingLocationAndDist) {
  for_both([](const ArchiveLocation& location, const std::string& base) {
    ArchiveView view(location);
    EXPECT_FALSE(view.has_release("nosuch"));
    try {
      view.release("nosuch");
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), location.label +
                                           ": release 'nosuch' not found: no Release, Sources or "
                                           "Packages file under " +
                                           base + "/dists/nosuch*");
    }
    EXPECT_TRUE(view.diagnostics().empty());
  });
  ArchiveView nowhere(ArchiveLocation::parse(mirror() + "/nope/"));
  EXPECT_FALSE(nowhere.has_release("focal"));
  try {
    nowhere.release("focal");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), mirror() + "/nope/: no such directory (reading release 'focal')");
  }
}

TEST_F(ArchiveViewTest, MalformedParagraphsAreDiagnosticsAtTheirFileAndLine) {
  put(mirror(), "dists/jammy/Release", "Suite: jammy\nComponents: main\nArchitectures: amd64\n");
  put(mirror(), "dists/jammy/main/source/Sources",
      source("good", "1.0", "good") + "Package: nodir\nVersion: 1\n\nPackage: badfiles\nVersion: 2\n" +
          "Directory: pool/main/b/badfiles\nFiles:\n " + k_md5a + " 12 badfiles_2.dsc\n " + k_md5a +
          " 12k badfiles_2.tar.xz\n");
  put(mirror(), "dists/jammy/main/binary-amd64/Packages", "Package: x\nnot a field\n");
  for_both([](const ArchiveLocation& location, const std::string& base) {
    ArchiveView view(location);
    const ReleaseArchive& jammy = view.release("jammy");
    EXPECT_EQ(jammy.source_count(), 1u);
    ASSERT_NE(jammy.source("good", Pocket::release), nullptr);
    std::string sources = base + "/dists/jammy/main/source/Sources";
    std::string packages = base + "/dists/jammy/main/binary-amd64/Packages";
    EXPECT_EQ(
        testing::formatted(view.diagnostics()),
        (std::vector<std::string>{sources + ":11:1: error: Sources paragraph without a Directory field; skipped",
                                  sources + ":19:1: error: Sources paragraph of badfiles: Files line `" + k_md5a +
                                      " 12k badfiles_2.tar.xz` is not `<md5> <size> <name>`; skipped",
                                  packages + ":2:1: error: expected 'Field: value' in a Packages paragraph",
                                  packages + ":1:1: error: Packages paragraph without a Version field; skipped"}));
  });
}

TEST_F(ArchiveViewTest, CorruptIndexIsAnErrorNamingTheFile) {
  put(mirror(), "dists/broken/Release", "Suite: broken\nComponents: main\nArchitectures: amd64\n");
  put(mirror(), "dists/broken/main/source/Sources.xz", "this is not xz data");
  for_both([](const ArchiveLocation& location, const std::string& base) {
    ArchiveView view(location);
    std::string file = base + "/dists/broken/main/source/Sources.xz";
    try {
      view.release("broken");
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with(file + ": xz: corrupt or truncated data")) << e.what();
    }
    EXPECT_FALSE(view.has_release("broken"));
    ASSERT_EQ(view.diagnostics().size(), 1u) << "has_release says why";
    EXPECT_TRUE(view.diagnostics()[0].message.starts_with(file + ": xz: ")) << view.diagnostics()[0].message;
  });
}

TEST_F(ArchiveViewTest, DirectoryWithoutReleaseFileIsListedButAServerIsNot) {
  put(mirror(), "dists/bionic/main/source/Sources", source("foo", "1.0", "foo"));
  put(mirror(), "dists/bionic/main/binary-amd64/Packages", binary("foo", "1.0", "amd64", "foo"));
  put(mirror(), "dists/bionic/main/binary-s390x/Packages", binary("foo", "1.0", "s390x", "foo"), "gzip");
  ArchiveView local(ArchiveLocation::parse(mirror()));
  EXPECT_EQ(local.release("bionic").packages().built_from("foo", "1.0", Pocket::release).size(), 2u);
  ArchiveView remote(ArchiveLocation::parse(url()));
  EXPECT_FALSE(remote.has_release("bionic"));
}

TEST(ArchiveViewPpa, ReadsOnlyTheReleasePocketOfMain) {
  ScopedTempDir tmp;
  std::string ppa = tmp.path() + "/www/ppa/ubuntu-security/fixes/ubuntu";
  put(ppa, "dists/focal/Release", "Suite: focal\nComponents: main\nArchitectures: amd64\n");
  put(ppa, "dists/focal/main/source/Sources", source("foo", "1.0", "foo"), "gzip");
  put(ppa, "dists/focal/main/binary-amd64/Packages", binary("foo", "1.0", "amd64", "foo"), "xz");
  // Not where a PPA publishes; never asked for.
  put(ppa, "dists/focal-updates/Release", "Suite: focal-updates\nComponents: main\n");
  put(ppa, "dists/focal-updates/main/source/Sources", source("foo", "2.0", "foo"));
  HttpServer server(tmp.path() + "/www");
  ASSERT_TRUE(server.up());
  ArchiveLocation location = ArchiveLocation::parse("ppa:ubuntu-security/fixes", server.url("ppa/"));
  EXPECT_TRUE(location.ppa);
  EXPECT_EQ(location.base, server.url("ppa/ubuntu-security/fixes/ubuntu"));
  ArchiveView view(location);
  const ReleaseArchive& focal = view.release("focal");
  EXPECT_EQ(focal.sources_named("foo").size(), 1u);
  EXPECT_EQ(focal.packages().built_from("foo", "1.0", Pocket::release).size(), 1u);
}

std::string parse_error(std::string_view spec) {
  try {
    ArchiveLocation::parse(spec);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ArchiveLocation, ParsesDirectoriesUrlsAndPpas) {
  ArchiveLocation url = ArchiveLocation::parse("https://archive.ubuntu.com/ubuntu/");
  EXPECT_EQ(url.base, "https://archive.ubuntu.com/ubuntu");
  EXPECT_EQ(url.label, "https://archive.ubuntu.com/ubuntu/");
  EXPECT_TRUE(url.remote());
  EXPECT_FALSE(url.ppa);

  ArchiveLocation dir = ArchiveLocation::parse("/srv/mirror/ubuntu/");
  EXPECT_EQ(dir.base, "/srv/mirror/ubuntu") << "a directory that does not exist is still a directory";
  EXPECT_FALSE(dir.remote());
  EXPECT_FALSE(dir.ppa);

  for (std::string_view spec : {"ppa:canonical-kernel-team/ppa", "canonical-kernel-team/ppa"}) {
    ArchiveLocation ppa = ArchiveLocation::parse(spec);
    EXPECT_EQ(ppa.base, "https://ppa.launchpadcontent.net/canonical-kernel-team/ppa/ubuntu");
    EXPECT_EQ(ppa.label, spec);
    EXPECT_TRUE(ppa.ppa);
    EXPECT_TRUE(ppa.remote());
  }
  EXPECT_EQ(ArchiveLocation::parse("ppa:a/b", "http://127.0.0.1:8000/").base, "http://127.0.0.1:8000/a/b/ubuntu");

  EXPECT_EQ(parse_error("ubuntu"), "ubuntu: the primary archive is given as a mirror directory or URL, not a PPA");
  EXPECT_EQ(parse_error("https:///"), "https:///: expected a host name after the scheme");
  EXPECT_EQ(parse_error(""), "empty archive location: expected a mirror directory, an http(s) URL or ppa:OWNER/NAME");
  for (std::string_view bad : {"ppa:owner", "ppa:Owner/Name", "ppa:a/b/c", "ppa:/x"}) {
    EXPECT_EQ(parse_error(bad), std::string(bad) + ": expected ppa:OWNER/NAME (Launchpad names: lower-case letters, "
                                                   "digits, '+', '-' and '.')");
  }
}

TEST(ArchiveLocation, AnExistingDirectoryWinsOverOwnerSlashName) {
  ScopedTempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/mirrors/focal");
  std::string cwd = std::filesystem::current_path().string();
  ASSERT_EQ(::chdir(tmp.path().c_str()), 0);
  ArchiveLocation dir = ArchiveLocation::parse("mirrors/focal");
  ArchiveLocation ppa = ArchiveLocation::parse("mirrors/jammy");
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  EXPECT_EQ(dir.base, "mirrors/focal");
  EXPECT_FALSE(dir.ppa);
  EXPECT_TRUE(ppa.ppa);
}

TEST(ArchivePockets, NamesRoundTripAnyCase) {
  for (Pocket p : {Pocket::release, Pocket::updates, Pocket::security, Pocket::proposed}) {
    EXPECT_EQ(parse_pocket(pocket_name(p)), p);
  }
  EXPECT_EQ(pocket_name(Pocket::security), "security");
  EXPECT_EQ(parse_pocket("Security"), Pocket::security);
  EXPECT_EQ(parse_pocket("PROPOSED"), Pocket::proposed);
  EXPECT_EQ(parse_pocket("Updates"), Pocket::updates);
  EXPECT_EQ(parse_pocket("backports"), std::nullopt);
  EXPECT_EQ(parse_pocket("securit"), std::nullopt);
  EXPECT_EQ(parse_pocket(""), std::nullopt);
}

TEST(SourcePackages, ParsesFilesBinariesAndReportsBadLines) {
  std::vector<util::Diagnostic> diags;
  std::string text = "Package: foo\nBinary: foo, foo-dev,\n libfoo1\nVersion: 1:2.0-1\nDirectory: pool/main/f/foo\n"
                     "Files:\n " +
                     k_md5a + " 1200 foo_2.0-1.dsc\n\t" + k_md5b +
                     "  99  foo_2.0.orig.tar.gz\nFormat: 3.0 (quilt)\n\n"
                     "Package: short\nVersion: 1\nDirectory: d\nFiles:\n abc 1 short.dsc\n\n"
                     "Package: nofiles\nVersion: 1\nDirectory: d\n";
  std::vector<SourcePackage> s = parse_source_packages(text, "S", "universe", Pocket::security, diags);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].name, "foo");
  EXPECT_EQ(s[0].version, "1:2.0-1");
  EXPECT_EQ(s[0].component, "universe");
  EXPECT_EQ(s[0].pocket, Pocket::security);
  EXPECT_EQ(s[0].binaries, (std::vector<std::string>{"foo", "foo-dev", "libfoo1"}));
  ASSERT_EQ(s[0].files.size(), 2u);
  EXPECT_EQ(s[0].files[1].name, "foo_2.0.orig.tar.gz");
  EXPECT_EQ(s[0].files[1].size, 99);
  EXPECT_EQ(s[0].files[1].md5, k_md5b);
  EXPECT_EQ(s[1].name, "nofiles");
  EXPECT_TRUE(s[1].files.empty());
  EXPECT_EQ(testing::formatted(diags),
            (std::vector<std::string>{
                "S:15:1: error: Sources paragraph of short: Files line `abc 1 short.dsc` is not `<md5> <size> <name>`; "
                "skipped"}));
}

} // namespace
} // namespace kct::archive
