// Reading a mirror's Packages indices: the Source field's forms, sizes and checksums, malformed
// paragraphs, pockets, architectures (an `all` package listed by each is kept once), plain, .gz
// and .xz files, and a damaged file.
#include "archive/packages_index.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::archive {
namespace {

std::string paragraph(const std::string& name, const std::string& version, const std::string& arch,
                      const std::string& source = "") {
  return "Package: " + name + "\nArchitecture: " + arch + "\nVersion: " + version + "\n" +
         (source.empty() ? "" : "Source: " + source + "\n") + "Filename: pool/main/l/" + name + "_" + version + "_" +
         arch + ".deb\nSize: 1234\nMD5sum: 0123456789abcdef0123456789abcdef\nSHA256: " + std::string(64, 'a') +
         "\nDescription: a package\n more text\n\n";
}

TEST(PackagesIndex, ReadsSourceFilenameSizeAndChecksums) {
  std::vector<util::Diagnostic> diags;
  std::string text = paragraph("linux-image-5.4.0-26-generic", "5.4.0-26.30", "amd64", "linux-signed (5.4.0-26.30)") +
                     paragraph("linux-libc-dev", "5.4.0-26.30", "amd64", "linux") +
                     paragraph("bash", "5.0-6ubuntu1", "amd64");
  std::vector<BinaryPackage> p = parse_packages(text, "Packages", "main", Pocket::security, diags);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(p[0].source, "linux-signed");
  EXPECT_EQ(p[0].source_version, "5.4.0-26.30");
  EXPECT_EQ(p[1].source, "linux");
  EXPECT_EQ(p[1].source_version, "5.4.0-26.30") << "a bare Source name takes the package's version";
  EXPECT_EQ(p[2].source, "bash") << "no Source field: built from the source of the same name";
  EXPECT_EQ(p[0].filename, "pool/main/l/linux-image-5.4.0-26-generic_5.4.0-26.30_amd64.deb");
  EXPECT_EQ(p[0].size, 1234);
  EXPECT_EQ(p[0].md5, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(p[0].sha256, std::string(64, 'a'));
  EXPECT_EQ(p[0].component, "main");
  EXPECT_EQ(p[0].pocket, Pocket::security);
}

TEST(PackagesIndex, MalformedParagraphsAreErrorsAtTheirFirstLine) {
  std::vector<util::Diagnostic> diags;
  std::string text = paragraph("ok", "1", "amd64") + "Package: nofile\nVersion: 1\nArchitecture: amd64\n\n" +
                     "Package: badsize\nVersion: 1\nArchitecture: all\nFilename: f.deb\nSize: 12k\n\n" +
                     "Package: nocolon\nthis line has no colon\nVersion: 1\nArchitecture: all\nFilename: g.deb\n";
  std::vector<BinaryPackage> p = parse_packages(text, "m/Packages", "main", Pocket::release, diags);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].name, "nocolon");
  EXPECT_EQ(testing::formatted(diags),
            (std::vector<std::string>{
                "m/Packages:11:1: error: Packages paragraph without a Filename field; skipped",
                "m/Packages:15:1: error: Packages paragraph of badsize: Size `12k` is not a number; skipped",
                "m/Packages:22:1: error: expected 'Field: value' in a Packages paragraph"}));
}

void write_index(const testing::ScopedTempDir& mirror, const std::string& dir, const std::string& text,
                 const std::string& tool) {
  std::string path = mirror.write("dists/" + dir + "/Packages", text);
  if (!tool.empty()) {
    testing::CommandResult r = testing::run_command({tool, "-f", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
}

TEST(PackagesIndex, LoadsPocketsArchitecturesAndCompressedFiles) {
  testing::ScopedTempDir mirror;
  std::string docs = paragraph("linux-doc", "5.4.0-26.30", "all", "linux");
  write_index(mirror, "focal/main/binary-amd64",
              paragraph("linux-image-5.4.0-26-generic", "5.4.0-26.30", "amd64", "linux-signed (5.4.0-26.30)") +
                  paragraph("linux-modules-5.4.0-26-generic", "5.4.0-26.30", "amd64", "linux") + docs,
              "");
  write_index(mirror, "focal/main/binary-arm64",
              paragraph("linux-modules-5.4.0-26-generic", "5.4.0-26.30", "arm64", "linux") + docs, "xz");
  write_index(mirror, "focal-security/main/binary-amd64",
              paragraph("linux-modules-5.4.0-40-generic", "5.4.0-40.44", "amd64", "linux"), "gzip");
  ReleasePackages focal;
  std::vector<util::Diagnostic> diags;
  ASSERT_TRUE(load_packages(mirror.path(), "focal", {"amd64", "arm64"}, focal, diags));
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(focal.size(), 5u) << "linux-doc (all) is listed for both architectures and kept once";
  std::vector<std::string> release;
  for (const BinaryPackage* p : focal.built_from("linux", "5.4.0-26.30", Pocket::release)) {
    release.push_back(p->name + ":" + p->architecture);
  }
  EXPECT_EQ(release, (std::vector<std::string>{"linux-doc:all", "linux-modules-5.4.0-26-generic:amd64",
                                               "linux-modules-5.4.0-26-generic:arm64"}));
  ASSERT_EQ(focal.built_from("linux", "5.4.0-40.44", Pocket::security).size(), 1u);
  EXPECT_TRUE(focal.built_from("linux", "5.4.0-40.44", Pocket::release).empty());
  EXPECT_EQ(focal.built_from("linux-signed", "5.4.0-26.30", Pocket::release).size(), 1u);
  EXPECT_EQ(focal.versions_of("linux-modules-5.4.0-26-generic").size(), 2u);

  ReleasePackages bionic;
  EXPECT_FALSE(load_packages(mirror.path(), "bionic", {"amd64"}, bionic, diags)) << "no file at all";

  mirror.write("dists/eoan/main/binary-amd64/Packages.xz", "not xz data");
  ReleasePackages eoan;
  try {
    load_packages(mirror.path(), "eoan", {"amd64"}, eoan, diags);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("dists/eoan/main/binary-amd64/Packages.xz"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace kct::archive
