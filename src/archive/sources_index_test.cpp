// Reading a mirror's Sources indices: deb822 paragraphs, plain, .gz and .xz files (compressed
// here with the gzip and xz tools), dpkg ordering across pockets, and malformed paragraphs.
#include "archive/compressed_file.h"
#include "archive/sources_index.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kct::archive {
namespace {

std::string stanza(const std::string& package, const std::string& version) {
  return "Package: " + package + "\nBinary: " + package + "\nVersion: " + version + "\nFiles:\n 0123 100 " + package +
         "_" + version + ".dsc\n\n";
}

// Writes `text` as `<mirror>/dists/<dist>/<component>/source/Sources` and compresses it in place
// with `tool` (gzip or xz) when one is given.
void write_index(const testing::ScopedTempDir& mirror, const std::string& dist, const std::string& component,
                 const std::string& text, const std::string& tool = "") {
  std::string path = mirror.write("dists/" + dist + "/" + component + "/source/Sources", text);
  if (!tool.empty()) {
    testing::CommandResult r = testing::run_command({tool, "-f", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
}

TEST(SourcesIndex, ParsesPackageAndVersionOfEachParagraph) {
  std::vector<util::Diagnostic> diags;
  std::string text = "Package: foo\nversion: 1.0-1\nFiles:\n abc 1 foo.dsc\n Version: 9.9\n\n\n"
                     "package: bar\nVersion:  2:3.4 \nMaintainer: A\n B\n";
  std::vector<SourceStanza> s = parse_sources(text, "Sources", diags);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].package, "foo");
  EXPECT_EQ(s[0].version, "1.0-1"); // the continuation line ` Version: 9.9` is not a field
  EXPECT_EQ(s[1].package, "bar");
  EXPECT_EQ(s[1].version, "2:3.4");
  EXPECT_TRUE(diags.empty());
}

TEST(SourcesIndex, MalformedParagraphIsAnErrorAtItsFirstLine) {
  std::vector<util::Diagnostic> diags;
  std::string text = stanza("foo", "1.0") + "Binary: nopkg\nVersion: 1.0\n\nPackage: nover\nBinary: nover\n\n" +
                     "Package: ok\nthis line has no colon\nVersion: 2\n";
  std::vector<SourceStanza> s = parse_sources(text, "m/Sources", diags);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].package, "ok");
  EXPECT_EQ(testing::formatted(diags),
            (std::vector<std::string>{"m/Sources:7:1: error: Sources paragraph without a Package field; skipped",
                                      "m/Sources:10:1: error: Sources paragraph without a Version field; skipped",
                                      "m/Sources:14:1: error: expected 'Field: value' in a Sources paragraph"}));
}

TEST(SourcesIndex, HighestVersionWinsByDpkgOrderButProposedOnlyWhenAlone) {
  ReleaseSources r;
  std::vector<util::Diagnostic> diags;
  merge_sources(parse_sources(stanza("foo", "1.9") + stanza("bar", "1.0"), "a", diags), "main", Pocket::release, r);
  merge_sources(parse_sources(stanza("foo", "1.10") + stanza("bar", "1:0.1"), "b", diags), "universe", Pocket::updates,
                r);
  merge_sources(parse_sources(stanza("foo", "1.8"), "c", diags), "main", Pocket::security, r);
  merge_sources(parse_sources(stanza("foo", "9.0") + stanza("new", "0.1"), "d", diags), "main", Pocket::proposed, r);
  EXPECT_EQ(r["foo"].version, "1.10");
  EXPECT_EQ(r["foo"].component, "universe");
  EXPECT_FALSE(r["foo"].proposed_only);
  EXPECT_EQ(r["bar"].version, "1:0.1");
  EXPECT_EQ(r["new"].version, "0.1");
  EXPECT_TRUE(r["new"].proposed_only);
  merge_sources(parse_sources(stanza("new", "0.0.1"), "e", diags), "restricted", Pocket::release, r);
  EXPECT_EQ(r["new"].version, "0.0.1"); // a published version replaces a -proposed one
  EXPECT_FALSE(r["new"].proposed_only);
  EXPECT_TRUE(diags.empty());
}

TEST(SourcesIndex, ReadsPlainGzipAndXzIndicesOfEveryPocketAndComponent) {
  testing::ScopedTempDir mirror;
  write_index(mirror, "focal", "main", stanza("foo", "1.0-1"));
  write_index(mirror, "focal-updates", "universe", stanza("foo", "1.0-2") + stanza("bar", "3"), "gzip");
  write_index(mirror, "focal-security", "restricted", stanza("baz", "1"), "xz");
  write_index(mirror, "focal-proposed", "multiverse", stanza("foo", "1.0-3") + stanza("qux", "0.1"), "xz");
  ASSERT_TRUE(std::filesystem::exists(mirror.path() + "/dists/focal-updates/universe/source/Sources.gz"));
  ASSERT_TRUE(std::filesystem::exists(mirror.path() + "/dists/focal-security/restricted/source/Sources.xz"));

  SourcesIndex index = load_sources_index(mirror.path(), testing::source_catalog());
  ASSERT_EQ(index.releases.count("focal"), 1u);
  const ReleaseSources& focal = index.releases.at("focal");
  EXPECT_EQ(focal.size(), 4u);
  EXPECT_EQ(focal.at("foo").version, "1.0-2");
  EXPECT_EQ(focal.at("foo").component, "universe");
  EXPECT_EQ(focal.at("bar").version, "3");
  EXPECT_EQ(focal.at("baz").component, "restricted");
  EXPECT_TRUE(focal.at("qux").proposed_only);
}

TEST(SourcesIndex, EsmVariantsReadTheirBaseReleaseAndMissingReleasesAreWarnedAbout) {
  testing::ScopedTempDir mirror;
  write_index(mirror, "trusty", "main", stanza("foo", "1.0"));
  write_index(mirror, "xenial-security", "main", stanza("foo", "2.0"));
  SourcesIndex index = load_sources_index(mirror.path(), testing::source_catalog());
  EXPECT_EQ(index.releases.at("trusty/esm").at("foo").version, "1.0");
  EXPECT_EQ(index.releases.at("xenial").at("foo").version, "2.0");
  EXPECT_EQ(index.releases.count("trusty"), 0u); // EOL: not loaded under its own name
  EXPECT_EQ(index.releases.count("bionic"), 0u);
  // precise/esm, bionic, disco, eoan and focal have no index at all.
  std::vector<std::string> got = testing::formatted(index.diagnostics);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[1], mirror.path() + "/dists/bionic:1:1: warning: no Sources index for bionic; the archive rules "
                                    "skip its entries");
}

TEST(SourcesIndex, MalformedParagraphInAMirrorFileNamesTheFile) {
  testing::ScopedTempDir mirror;
  write_index(mirror, "focal", "main", stanza("foo", "1") + "Package: bar\n", "gzip");
  SourcesIndex index = load_sources_index(mirror.path(), testing::source_catalog());
  std::string path = mirror.path() + "/dists/focal/main/source/Sources.gz";
  std::vector<std::string> got = testing::formatted(index.diagnostics);
  EXPECT_NE(std::find(got.begin(), got.end(), path + ":7:1: error: Sources paragraph without a Version field; skipped"),
            got.end());
  EXPECT_EQ(index.releases.at("focal").count("foo"), 1u);
}

TEST(SourcesIndex, CorruptCompressedFileThrows) {
  testing::ScopedTempDir dir;
  std::string gz = dir.write("Sources.gz", "not gzip at all, but long enough to be read as data\n");
  std::string xz = dir.write("Sources.xz", "not xz\n");
  // zlib reads a file without the gzip magic as plain text, as `zcat -f` would.
  EXPECT_EQ(read_compressed_file(gz), "not gzip at all, but long enough to be read as data\n");
  EXPECT_THROW(read_compressed_file(xz), Error);
  EXPECT_THROW(read_compressed_file(dir.path() + "/missing"), Error);
}

} // namespace
} // namespace kct::archive
