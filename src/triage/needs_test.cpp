#include "triage/needs.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

const std::string k_b(40, 'b');
const std::string k_f(40, 'f');
const std::string k_e(40, 'e');

tracker::CveFile parse(const std::string& text) {
  return tracker::CveFile("active/CVE-2099-0001", text, tracker::FileKind::cve, testing::source_catalog());
}

const char* k_header = "Candidate: CVE-2099-0001\nPublicDate: 2099-01-01\nReferences:\nDescription:\n foo\n"
                       "Ubuntu-Description:\nNotes:\nBugs:\nPriority: medium\nDiscovered-by:\nAssigned-to:\n"
                       "CVSS:\n\n";

TEST(Needs, CollectsBreakFixAndUpstreamLinesOfKernelSectionsOnly) {
  tracker::CveFile f =
      parse(std::string(k_header) + "Patches_linux:\n break-fix: " + k_b + " " + k_f + "|" + k_e +
            "\n upstream: https://git.kernel.org/linus/" + k_e + "\n Break-Fix: - " + k_f +
            "\n break-fix: - -\nupstream_linux: needs-triage\n\nPatches_linux-firmware:\n break-fix: - " + k_f +
            "\nupstream_linux-firmware: needs-triage\n");
  std::vector<BreakFixEntry> entries = break_fix_entries(f);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].introduced, k_b);
  EXPECT_EQ(entries[0].fixes, (std::vector<std::string>{k_f, k_e}));
  EXPECT_EQ(entries[0].line, 15);
  EXPECT_EQ(entries[1].introduced, "-"); // legacy upstream: line, URL trimmed
  EXPECT_EQ(entries[1].fixes, (std::vector<std::string>{k_e}));
  EXPECT_EQ(entries[2].introduced, "-"); // key is case-insensitive
}

TEST(Needs, OwnPackageEntriesReplaceLinuxEntries) {
  std::vector<BreakFixEntry> entries = {{"linux", "-", {k_f}, 1}, {"linux-raspi", k_b, {k_e}, 2}};
  std::vector<Need> raspi = needs_for(entries, "linux-raspi");
  ASSERT_EQ(raspi.size(), 1u);
  EXPECT_EQ(raspi[0].fixes[0], k_e);
  std::vector<Need> aws = needs_for(entries, "linux-aws");
  ASSERT_EQ(aws.size(), 1u);
  EXPECT_EQ(aws[0].fixes[0], k_f);
}

TEST(Needs, MalformedEntriesBecomeANeverPresentFix) {
  std::vector<BreakFixEntry> entries = {{"linux", "badsha", {k_f}, 3},
                                        {"linux", "-", {"abc123"}, 4},
                                        {"linux", "-", {"local-2019-1-fix", "I0123"}, 5},
                                        {"linux", "-", {"-"}, 6}};
  std::vector<Need> needs = needs_for(entries, "linux");
  ASSERT_EQ(needs.size(), 4u);
  EXPECT_TRUE(needs[0].malformed);
  EXPECT_EQ(needs[0].introduced, "-");
  EXPECT_EQ(needs[0].fixes, (std::vector<std::string>{std::string(40, '0')}));
  EXPECT_TRUE(needs[1].malformed);
  EXPECT_FALSE(needs[2].malformed);
  EXPECT_FALSE(needs[3].malformed); // a `-` fix is valid and stays `-` (correction 2)
  EXPECT_EQ(needs[3].fixes[0], "-");
  EXPECT_EQ(format_wanted(needs), std::string(40, '0') + "," + std::string(40, '0') + ",local-2019-1-fix|I0123,-");
}

} // namespace
} // namespace kct::triage
