#include "triage/published_versions.h"

#include "support/test_env.h"
#include "triage/engine_result.h"
#include "triage/scan_config.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

using testing::formatted;

class PublishedVersionsTest : public ::testing::Test {
protected:
  PublishedVersions read(const std::string& key = "bionic", const std::string& source = "linux") {
    m_diagnostics.clear();
    return read_published_versions(m_dir.path(), key, source, m_diagnostics);
  }
  std::string lp(const std::string& name) const { return m_dir.path() + "/lp/" + name; }

  testing::ScopedTempDir m_dir;
  std::vector<util::Diagnostic> m_diagnostics;
};

TEST_F(PublishedVersionsTest, AppendsManualVersionsAndDropsDuplicates) {
  m_dir.write("lp/bionic_linux_tags", "4.15.0-20.21\n4.15.0-22.24\n\n  4.15.0-24.26  \n");
  m_dir.write("lp/manual/bionic_linux_tags", "4.15.0-24.26\n4.15.0-99.100\n4.15.0-99.100\n");
  PublishedVersions v = read();
  EXPECT_TRUE(m_diagnostics.empty()) << formatted(m_diagnostics)[0];
  EXPECT_EQ(v.versions, (std::vector<std::string>{"4.15.0-20.21", "4.15.0-22.24", "4.15.0-24.26", "4.15.0-99.100"}));
  EXPECT_FALSE(v.pockets.has_value());
}

TEST_F(PublishedVersionsTest, FileNamesUseTheKeyWithSlashesAsAt) {
  ScanTarget t;
  t.key = "esm-infra/xenial";
  t.source = "linux-aws";
  m_dir.write("lp/esm-infra@xenial_linux-aws_tags", "4.4.0-1001.10\n");
  m_dir.write("lp/esm-infra@xenial_linux-aws_cve-pockets", "4.4.0-1001.10 None None None None\n");
  PublishedVersions v = read(t.file_key(), t.source);
  EXPECT_TRUE(m_diagnostics.empty()) << formatted(m_diagnostics)[0];
  EXPECT_EQ(v.versions, (std::vector<std::string>{"4.4.0-1001.10"}));
  ASSERT_TRUE(v.pockets.has_value());
  EXPECT_EQ(v.pockets->release, "4.4.0-1001.10");
}

TEST_F(PublishedVersionsTest, ReadsPocketsWithNoneAsAbsent) {
  m_dir.write("lp/bionic_linux_tags", "4.15.0-20.21\n");
  m_dir.write("lp/bionic_linux_cve-pockets", "4.15.0-20.21 None\t4.15.0-99.100  None 4.15.0-101.102\n");
  m_dir.write("lp/manual/bionic_linux_cve-pockets", "None None None None None\n");
  PublishedVersions v = read();
  EXPECT_TRUE(m_diagnostics.empty()) << formatted(m_diagnostics)[0];
  ASSERT_TRUE(v.pockets.has_value());
  EXPECT_EQ(v.pockets->release, "4.15.0-20.21");
  EXPECT_EQ(v.pockets->security, std::nullopt);
  EXPECT_EQ(v.pockets->updates, "4.15.0-99.100");
  EXPECT_EQ(v.pockets->proposed, std::nullopt);
  EXPECT_EQ(v.pockets->build, "4.15.0-101.102");
}

TEST_F(PublishedVersionsTest, ManualPocketsOnlyWhenTheLpFileIsMissing) {
  m_dir.write("lp/bionic_linux_tags", "4.15.0-20.21\n");
  m_dir.write("lp/manual/bionic_linux_cve-pockets", "None None 5.0.0-1.2 None None\n");
  PublishedVersions v = read();
  EXPECT_TRUE(m_diagnostics.empty()) << formatted(m_diagnostics)[0];
  ASSERT_TRUE(v.pockets.has_value());
  EXPECT_EQ(v.pockets->release, std::nullopt);
  EXPECT_EQ(v.pockets->updates, "5.0.0-1.2");
}

TEST_F(PublishedVersionsTest, MissingTagsFileIsAWarningAndIgnoresManualVersions) {
  m_dir.write("lp/manual/bionic_linux_tags", "4.15.0-99.100\n");
  PublishedVersions v = read();
  EXPECT_TRUE(v.versions.empty());
  EXPECT_FALSE(v.pockets.has_value());
  EXPECT_EQ(formatted(m_diagnostics),
            (std::vector<std::string>{lp("bionic_linux_tags") +
                                      ":1:1: warning: no published-versions file (has the LP step run for this "
                                      "target?); the target has no versions"}));
  EXPECT_EQ(m_diagnostics[0].severity, util::Severity::warning);
}

TEST_F(PublishedVersionsTest, InvalidVersionsAreErrorsWithTheirLine) {
  m_dir.write("lp/bionic_linux_tags", "4.15.0-20.21\n\n  v4.15\n4.15.0-22.24\n");
  m_dir.write("lp/manual/bionic_linux_tags", "4.15.0-9x_1\n");
  PublishedVersions v = read();
  EXPECT_EQ(v.versions, (std::vector<std::string>{"4.15.0-20.21", "4.15.0-22.24"}));
  EXPECT_EQ(
      formatted(m_diagnostics),
      (std::vector<std::string>{
          lp("bionic_linux_tags") + ":3:3: error: invalid version 'v4.15': version number does not start with digit",
          lp("manual/bionic_linux_tags") +
              ":1:1: error: invalid version '4.15.0-9x_1': invalid character in revision number",
      }));
}

TEST_F(PublishedVersionsTest, WarnsWhenAManualVersionBreaksTheOrder) {
  m_dir.write("lp/bionic_linux_tags", "4.15.0-20.21\n4.15.0-30.31\n");
  m_dir.write("lp/manual/bionic_linux_tags", "\n4.15.0-25.26\n");
  PublishedVersions v = read();
  EXPECT_EQ(v.versions, (std::vector<std::string>{"4.15.0-20.21", "4.15.0-30.31", "4.15.0-25.26"}));
  EXPECT_EQ(formatted(m_diagnostics),
            (std::vector<std::string>{lp("manual/bionic_linux_tags") +
                                      ":2:1: warning: version '4.15.0-25.26' sorts before '4.15.0-30.31' but comes "
                                      "after it; kept in file order, as cves-kernel-versions-lookup does"}));
}

struct PocketsCase {
  const char* name;
  std::string text;
  std::string expected; // after "<path>:"
};

class PublishedPockets : public PublishedVersionsTest, public ::testing::WithParamInterface<PocketsCase> {};

TEST_P(PublishedPockets, MalformedFileIsAnErrorAndGivesNoPockets) {
  m_dir.write("lp/bionic_linux_tags", "4.15.0-20.21\n");
  m_dir.write("lp/bionic_linux_cve-pockets", GetParam().text);
  PublishedVersions v = read();
  EXPECT_FALSE(v.pockets.has_value());
  EXPECT_EQ(v.versions.size(), 1u);
  EXPECT_EQ(formatted(m_diagnostics),
            (std::vector<std::string>{lp("bionic_linux_cve-pockets") + ":" + GetParam().expected}));
}

const std::string k_pockets_form = "'<release> <security> <updates> <proposed> <build>'";

INSTANTIATE_TEST_SUITE_P(
    Published, PublishedPockets,
    ::testing::Values(
        PocketsCase{"Empty", "\n  \n", "1:1: error: empty pockets file (expected " + k_pockets_form + ")"},
        PocketsCase{"FourFields", "\nNone None None None\n",
                    "2:20: error: expected 5 fields " + k_pockets_form + ", got 4"},
        PocketsCase{"SixFields", "None None None None None 1.0-1\n",
                    "1:26: error: expected 5 fields " + k_pockets_form + ", got 6"},
        PocketsCase{"TwoLines", "None None None None None\n\n None None None None None\n",
                    "3:2: error: unexpected second line (a pockets file is the one line " + k_pockets_form + ")"},
        PocketsCase{"BadVersion", "None none None None None\n",
                    "1:6: error: invalid version 'none': version number does not start with digit (expected a "
                    "version or None)"}),
    [](const ::testing::TestParamInfo<PocketsCase>& info) { return std::string(info.param.name); });

TEST(EngineResult, FormatsEmptyWantedAndVersionAsDash) {
  EngineResult r{"active/CVE-2019-1234", "esm-infra/xenial", "linux", "", "needed", ""};
  EXPECT_EQ(r.format(), "active/CVE-2019-1234 esm-infra/xenial linux - needed -");
  r.wanted = "aaaa|bbbb,cccc";
  r.state = "released";
  r.version = "4.4.0-100.123";
  EXPECT_EQ(r.format(), "active/CVE-2019-1234 esm-infra/xenial linux aaaa|bbbb,cccc released 4.4.0-100.123");
}

TEST(EngineResult, ParsesTheRestOfTheLineAsVersion) {
  std::optional<EngineResult> r =
      parse_engine_result("retired/CVE-2020-0001  jammy\tlinux-aws - ignored   ESM criteria, was needed \n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->cve_path, "retired/CVE-2020-0001");
  EXPECT_EQ(r->key, "jammy");
  EXPECT_EQ(r->source, "linux-aws");
  EXPECT_EQ(r->wanted, "-");
  EXPECT_EQ(r->state, "ignored");
  EXPECT_EQ(r->version, "ESM criteria, was needed");
}

TEST(EngineResult, ParseAndFormatRoundTrip) {
  for (std::string line : {"active/CVE-2019-1234 upstream linux a|b,c released 5.2~rc1",
                           "active/CVE-2019-1234 bionic linux - not-affected 4.15.0-20.21",
                           "active/CVE-2019-1234 focal linux-raspi - needed -"}) {
    std::optional<EngineResult> r = parse_engine_result(line);
    ASSERT_TRUE(r.has_value()) << line;
    EXPECT_EQ(r->format(), line);
  }
}

TEST(EngineResult, RejectsLinesWithMissingFields) {
  EXPECT_FALSE(parse_engine_result("").has_value());
  EXPECT_FALSE(parse_engine_result("active/CVE-2019-1234 bionic linux - needed").has_value());
  EXPECT_FALSE(parse_engine_result("active/CVE-2019-1234 bionic linux - needed   \n").has_value());
}

} // namespace
} // namespace kct::triage
