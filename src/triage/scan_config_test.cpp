#include "triage/scan_config.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

using testing::formatted;

// The verified cves-config output of §1.4.4, as printed there (some lines abbreviated with `…`).
const std::vector<std::string> k_doc_lines = {
    "upstream linux linux-linus.git master scan,tags-git:v* - git://git.launchpad.net/~ubuntu-kernel-test/+git/"
    "linus--linux",
    "upstream linux-5.15 stable-queue-branches.git stable-queue-5.15 scan,tags-git:v5.15.* - -",
    "jammy linux jammy-linux.git master-next scan,tags-lp,mark-pockets,archives:release-Release-ubuntu|security-"
    "Security-ubuntu|updates-Updates-ubuntu|proposed#2-Release-ppa:canonical-kernel-team/ubuntu/proposed2|proposed-"
    "Proposed-ubuntu|build#2-Release-ppa:canonical-kernel-team/ubuntu/ppa2|build-Release-ppa:canonical-kernel-team/"
    "ubuntu/ppa - git://git.launchpad.net/~ubuntu-kernel/ubuntu/+source/linux/+git/jammy",
    "xenial linux xenial-linux.git master-next scan,tags-lp,mark-pockets,no-pending,mark-ignored,mark-ignored-message:"
    "end%sof%sstandard%ssupport,archives:release-Release-ubuntu|updates-Updates-ubuntu - git://…/linux-xenial",
    "esm-infra/xenial linux xenial-linux.git master-next scan,tags-lp,mark-pockets,mark-esm,archives:release-Release-"
    "ubuntu|updates-Updates-ubuntu|updates-Release-ppa:ubuntu-esm/ubuntu/esm-infra-security|proposed#2-…|proposed-…|"
    "build#2-…|build-… - git://…/linux-xenial",
    "jammy linux-azure-fde jammy-linux-azure.git azure-fde tags-lp,mark-pockets,unsupported,metaonly-link:jammy_linux-"
    "azure,archives:… - -",
    "ibm-cloud/jammy linux-ibm-gt jammy-linux-ibm-gt.git master-next "
    "scan,tags-lp,mark-pockets,archives:updates-Release-"
    "ppa:ibm-cloud/ubuntu/release|…,no-usn - git://…",
    "jammy linux-hwe-5.17 - - tags-lp,mark-ignored,mark-ignored-message:end%sof%slife - -",
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    out += l + "\n";
  }
  return out;
}

// `path:line:col: warning: message` with the column where `needle` starts on that line.
std::string warning_at(int line, const std::string& needle, const std::string& message) {
  size_t column = k_doc_lines[line - 1].find(needle);
  EXPECT_NE(column, std::string::npos) << needle;
  return "cves-autotriage.conf:" + std::to_string(line) + ":" + std::to_string(column + 1) + ": warning: " + message;
}

std::string bad_archive(const std::string& item) {
  return "archive '" + item +
         "' is not '<route>-<Pocket>-<reference>' with a route of release, security, updates, proposed or build "
         "(#N); ignored";
}

TEST(ScanConfig, ReadsThe2023ExampleLines) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse("cves-autotriage.conf", joined(k_doc_lines), d);
  ASSERT_EQ(c.targets.size(), 8u);

  const ScanTarget& up = c.targets[0];
  EXPECT_EQ(up.name(), "upstream_linux");
  EXPECT_EQ(up.repo_dir, "linux-linus.git");
  EXPECT_EQ(up.branch, "master");
  EXPECT_TRUE(up.scan);
  EXPECT_FALSE(up.tags_lp);
  EXPECT_EQ(up.tags_git_glob, "v*");
  EXPECT_EQ(up.git_url, "git://git.launchpad.net/~ubuntu-kernel-test/+git/linus--linux");
  EXPECT_EQ(up.line, 1);

  EXPECT_EQ(c.targets[1].tags_git_glob, "v5.15.*");
  EXPECT_EQ(c.targets[1].git_url, "");

  const ScanTarget& jammy = c.targets[2];
  EXPECT_TRUE(jammy.scan && jammy.tags_lp && jammy.mark_pockets);
  EXPECT_FALSE(jammy.no_pending || jammy.mark_esm || jammy.mark_ignored);
  EXPECT_EQ(jammy.archives, (std::vector<std::string>{
                                "release-Release-ubuntu", "security-Security-ubuntu", "updates-Updates-ubuntu",
                                "proposed#2-Release-ppa:canonical-kernel-team/ubuntu/proposed2",
                                "proposed-Proposed-ubuntu", "build#2-Release-ppa:canonical-kernel-team/ubuntu/ppa2",
                                "build-Release-ppa:canonical-kernel-team/ubuntu/ppa"}));

  const ScanTarget& xenial = c.targets[3];
  EXPECT_TRUE(xenial.no_pending && xenial.mark_ignored);
  EXPECT_EQ(xenial.mark_ignored_message, "end of standard support");
  EXPECT_EQ(xenial.archives, (std::vector<std::string>{"release-Release-ubuntu", "updates-Updates-ubuntu"}));

  const ScanTarget& esm = c.targets[4];
  EXPECT_EQ(esm.key, "esm-infra/xenial");
  EXPECT_EQ(esm.file_key(), "esm-infra@xenial");
  EXPECT_TRUE(esm.mark_esm);
  EXPECT_EQ(esm.mark_esm_message, "ESM criteria");
  EXPECT_EQ(esm.archives, (std::vector<std::string>{"release-Release-ubuntu", "updates-Updates-ubuntu",
                                                    "updates-Release-ppa:ubuntu-esm/ubuntu/esm-infra-security"}));

  const ScanTarget& fde = c.targets[5];
  EXPECT_FALSE(fde.scan);
  EXPECT_TRUE(fde.unsupported);
  EXPECT_EQ(fde.metaonly_link, "jammy_linux-azure");
  EXPECT_TRUE(fde.archives.empty());

  const ScanTarget& ibm = c.targets[6];
  EXPECT_EQ(ibm.key, "ibm-cloud/jammy");
  EXPECT_TRUE(ibm.no_usn);
  EXPECT_EQ(ibm.archives, (std::vector<std::string>{"updates-Release-ppa:ibm-cloud/ubuntu/release"}));

  const ScanTarget& eol = c.targets[7];
  EXPECT_EQ(eol.repo_dir, "");
  EXPECT_EQ(eol.branch, "");
  EXPECT_FALSE(eol.scan);
  EXPECT_EQ(eol.mark_ignored_message, "end of life");

  // The doc abbreviates some archives with `…`, which no LP query could use: said, not fatal.
  EXPECT_EQ(formatted(d), (std::vector<std::string>{
                              warning_at(5, "proposed#2-…", bad_archive("proposed#2-…")),
                              warning_at(5, "proposed-…", bad_archive("proposed-…")),
                              warning_at(5, "build#2-…", bad_archive("build#2-…")),
                              warning_at(5, "build-…", bad_archive("build-…")),
                              warning_at(6, "…", bad_archive("…")),
                              warning_at(7, "…", bad_archive("…")),
                          }));
}

TEST(ScanConfig, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse("c",
                                   "# generated\n\n   \n  # indented comment\r\njammy linux - - scan\r\n"
                                   "\nfocal linux-aws a.git b tags-lp\n",
                                   d);
  EXPECT_TRUE(d.empty()) << formatted(d)[0];
  ASSERT_EQ(c.targets.size(), 2u);
  EXPECT_EQ(c.targets[0].name(), "jammy_linux");
  EXPECT_EQ(c.targets[0].line, 5);
  EXPECT_TRUE(c.targets[0].scan);
  EXPECT_EQ(c.targets[1].name(), "focal_linux-aws");
  EXPECT_EQ(c.targets[1].line, 7);
  EXPECT_EQ(c.targets[1].repo_dir, "a.git");
  EXPECT_EQ(c.targets[1].branch, "b");
  EXPECT_EQ(c.targets[1].git_url, ""); // missing trailing fields count as `-`
}

TEST(ScanConfig, DecodesMessagesLeftToRight) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse(
      "c", "jammy linux - - mark-ignored,mark-ignored-message:100%%%sdone%%s%x,mark-esm-message:not%sESM - -\n", d);
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(c.targets[0].mark_ignored_message, "100% done%s%x");
  EXPECT_EQ(c.targets[0].mark_esm_message, "not ESM");
  EXPECT_FALSE(c.targets[0].mark_esm); // a message alone does not turn the pass on
}

TEST(ScanConfig, AcceptsLegacyFlagsAndADashForNoFlags) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse(
      "c",
      "trusty linux - - scan,mark-nonlp,mark-nonlp-message:x%sy,transfer-pending,transfer-message:z - -\n"
      "trusty linux-aws - - - - -\n",
      d);
  EXPECT_TRUE(d.empty()) << formatted(d)[0];
  ASSERT_EQ(c.targets.size(), 2u);
  EXPECT_TRUE(c.targets[0].scan);
  EXPECT_FALSE(c.targets[1].scan || c.targets[1].tags_lp);
}

TEST(ScanConfig, FindsTargetsByName) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse("c", joined(k_doc_lines), d);
  const ScanTarget* esm = c.find("esm-infra/xenial_linux");
  ASSERT_NE(esm, nullptr);
  EXPECT_EQ(esm->line, 5);
  const ScanTarget* fde = c.find("jammy_linux-azure-fde");
  ASSERT_NE(fde, nullptr);
  EXPECT_EQ(fde->line, 6);
  EXPECT_EQ(c.find("xenial_linux-aws"), nullptr);
  EXPECT_EQ(c.find("jammy"), nullptr);
  EXPECT_EQ(c.find("esm-infra/jammy_linux"), nullptr);
}

TEST(ScanConfig, FileKeyReplacesEverySlash) {
  ScanTarget t;
  t.key = "a/b/c";
  EXPECT_EQ(t.file_key(), "a@b@c");
  t.key = "bionic";
  EXPECT_EQ(t.file_key(), "bionic");
}

TEST(ScanConfig, LoadsFromDiskAndThrowsWhenUnreadable) {
  testing::ScopedTempDir dir;
  std::string path = dir.write("cves-autotriage.conf", k_doc_lines[1] + "\n");
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::load(path, d);
  EXPECT_EQ(c.path, path);
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_EQ(c.targets[0].source, "linux-5.15");
  EXPECT_THROW(ScanConfig::load(dir.path() + "/missing.conf", d), Error);
}

struct DiagnosticCase {
  const char* name;
  std::string text;
  std::vector<std::string> expected;
  size_t targets; // lines kept
};

class ScanConfigDiagnostics : public ::testing::TestWithParam<DiagnosticCase> {};

TEST_P(ScanConfigDiagnostics, ReportLocationAndMessage) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse("conf", GetParam().text, d);
  EXPECT_EQ(formatted(d), GetParam().expected);
  EXPECT_EQ(c.targets.size(), GetParam().targets);
}

const std::string k_form = "'<key> <source> <repo-dir|-> <branch|-> <flags> [<transfer-to|-> [<git-url|->]]'";

INSTANTIATE_TEST_SUITE_P(
    ScanConfig, ScanConfigDiagnostics,
    ::testing::Values(
        DiagnosticCase{"TooFewFields",
                       "# c\njammy linux jammy-linux.git master\n",
                       {"conf:2:35: error: expected at least 5 fields " + k_form + ", got 4"},
                       0},
        DiagnosticCase{"TooManyFields",
                       "jammy linux - - scan - - extra\n",
                       {"conf:1:26: error: unexpected field 'extra' (a line has at most 7 fields " + k_form + ")"},
                       0},
        DiagnosticCase{"DuplicateTarget",
                       "jammy linux - - scan\n\n  jammy linux a b tags-lp\n",
                       {"conf:3:3: error: duplicate target 'jammy_linux' (first at line 1)"},
                       1},
        DiagnosticCase{"TagsGitWithoutValue",
                       "upstream linux - - scan,tags-git - -\n",
                       {"conf:1:25: error: flag 'tags-git' needs a value ('tags-git:<glob>')"},
                       0},
        DiagnosticCase{"ArchivesWithEmptyValue",
                       "jammy linux - - archives:,scan\n",
                       {"conf:1:17: error: flag 'archives' needs a value "
                        "('archives:<route>-<Pocket>-<reference>|...')"},
                       0},
        DiagnosticCase{"MetaonlyLinkWithoutValue",
                       "jammy linux-fde - - tags-lp,metaonly-link\n",
                       {"conf:1:29: error: flag 'metaonly-link' needs a value ('metaonly-link:<series>_<source>')"},
                       0},
        DiagnosticCase{"MetaonlyLinkNotSeriesSource",
                       "jammy linux-fde - - metaonly-link:linux-azure\n",
                       {"conf:1:35: error: metaonly-link 'linux-azure' is not '<series>_<source>'"},
                       0},
        DiagnosticCase{"MessageWithoutValue",
                       "jammy linux - - mark-ignored-message:\n",
                       {"conf:1:17: error: flag 'mark-ignored-message' needs a value "
                        "('mark-ignored-message:<message>')"},
                       0},
        DiagnosticCase{"UnderscoreInKey",
                       "jam_my linux - - scan\n",
                       {"conf:1:4: error: series key 'jam_my' contains '_', which would make the target name "
                        "<key>_<source> ambiguous"},
                       0},
        DiagnosticCase{"UnderscoreInSource",
                       "jammy linux_x - - scan\n",
                       {"conf:1:12: error: source 'linux_x' contains '_', which would make the target name "
                        "<key>_<source> ambiguous"},
                       0},
        DiagnosticCase{"UnknownFlagIsAWarning",
                       "jammy linux - - scan,scna - -\n",
                       {"conf:1:22: warning: unknown flag 'scna'; ignored"},
                       1},
        DiagnosticCase{"ValueOnPlainFlag",
                       "jammy linux - - scan:yes\n",
                       {"conf:1:17: warning: flag 'scan' takes no value, so 'scan:yes' is not recognised; ignored"},
                       1},
        DiagnosticCase{"EmptyFlag",
                       "jammy linux - - scan,,tags-lp,\n",
                       {"conf:1:22: warning: empty flag (a stray ',')", "conf:1:31: warning: empty flag (a stray ',')"},
                       1},
        DiagnosticCase{"RepeatedFlag",
                       "jammy linux - - tags-git:a,tags-git:b\n",
                       {"conf:1:28: warning: repeated flag 'tags-git'; the last one wins"},
                       1},
        DiagnosticCase{"TransferToIsLegacy",
                       "jammy linux - - scan bionic\n",
                       {"conf:1:22: warning: transfer-to 'bionic' is a legacy field that nothing reads; ignored"},
                       1},
        DiagnosticCase{"ErrorsAndWarningsTogether",
                       "jammy linux - - bogus,tags-git\n",
                       {"conf:1:17: warning: unknown flag 'bogus'; ignored",
                        "conf:1:23: error: flag 'tags-git' needs a value ('tags-git:<glob>')"},
                       0}),
    [](const ::testing::TestParamInfo<DiagnosticCase>& info) { return std::string(info.param.name); });

TEST(ScanConfig, PlainFlagWithValueStaysOffAndLastRepeatWins) {
  std::vector<util::Diagnostic> d;
  ScanConfig c = ScanConfig::parse("c", "jammy linux - - scan:yes,tags-git:a,tags-git:b\n", d);
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_FALSE(c.targets[0].scan);
  EXPECT_EQ(c.targets[0].tags_git_glob, "b");
}

} // namespace
} // namespace kct::triage
