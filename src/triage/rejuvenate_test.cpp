#include "triage/rejuvenate.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

// The source catalog has focal in development; linux-oem's kernel exists nowhere here, so it is
// never appended.
const std::string k_boilerplate = "Candidate:\n"
                                  "PublicDate:\n"
                                  "Description:\n"
                                  "\n"
                                  "# comments are ignored\n"
                                  "Patches_linux:\n"
                                  "upstream_linux: needs-triage\n"
                                  "trusty_linux: ignored (out of standard support)\n"
                                  "xenial_linux: needs-triage\n"
                                  "bionic_linux: needs-triage\n"
                                  "devel_linux: needs-triage\n"
                                  "\n"
                                  "Patches_linux-hwe:\n"
                                  "upstream_linux-hwe: needs-triage\n"
                                  "xenial_linux-hwe: needs-triage\n"
                                  "bionic_linux-hwe: DNE\n"
                                  "eoan_linux-hwe: DNE\n"
                                  "devel_linux-hwe: DNE\n"
                                  "\n"
                                  "Patches_linux-oem:\n"
                                  "upstream_linux-oem: needs-triage\n"
                                  "bionic_linux-oem: DNE\n"
                                  "devel_linux-oem: DNE\n";

const std::string k_header = "Candidate: CVE-2019-0001\n"
                             "PublicDate: 2019-01-01\n"
                             "Description:\n"
                             " text\n"
                             "Priority: medium\n"
                             "\n";

const std::string k_linux = "Patches_linux:\n"
                            "upstream_linux: released (5.2)\n"
                            "trusty_linux: ignored (out of standard support)\n"
                            "xenial_linux: needed\n"
                            "bionic_linux: released (4.15.0-58.64)\n"
                            "devel_linux: not-affected (5.4.0-8.11)\n";

const std::string k_hwe = "Patches_linux-hwe:\n"
                          "upstream_linux-hwe: released (5.2)\n"
                          "xenial_linux-hwe: needed\n"
                          "bionic_linux-hwe: DNE\n"
                          "eoan_linux-hwe: DNE\n"
                          "devel_linux-hwe: DNE\n";

const catalog::Catalog& cat() {
  return testing::source_catalog();
}

Boilerplate boilerplate() {
  return parse_boilerplate("boilerplates/linux", k_boilerplate, cat());
}

tracker::CveFile parse(const std::string& text) {
  return tracker::CveFile("active/CVE-2019-0001", text, tracker::FileKind::cve, cat());
}

RejuvenateOptions active() {
  return RejuvenateOptions{false, "focal"};
}
RejuvenateOptions retired() {
  return RejuvenateOptions{true, "focal"};
}

// Runs rejuvenate on `text` and returns the result, checking that a second run is a no-op.
std::string run(const std::string& text, const RejuvenateOptions& options = active()) {
  Boilerplate bp = boilerplate();
  tracker::CveFile f = parse(text);
  rejuvenate(f, bp, cat(), options);
  std::string once = f.text();
  EXPECT_TRUE(rejuvenate(f, bp, cat(), options).empty()) << once;
  EXPECT_EQ(f.text(), once);
  EXPECT_FALSE(f.has_errors()) << once;
  return once;
}

TEST(Rejuvenate, ParsesBoilerplateStanzasInFileOrder) {
  Boilerplate bp = parse_boilerplate("bp", k_boilerplate + "Patches_linux-x:\nmadeup_linux-x: DNE\n", cat());
  ASSERT_EQ(bp.stanzas.size(), 4u);
  EXPECT_EQ(bp.stanzas[0].package, "linux");
  EXPECT_EQ(bp.stanzas[1].package, "linux-hwe");
  EXPECT_EQ(bp.stanzas[2].package, "linux-oem");
  EXPECT_TRUE(bp.stanzas[3].lines.empty());
  const BoilerplateStanza* l = bp.find("linux");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->lines.size(), 5u);
  EXPECT_EQ(l->lines[1].release, "trusty");
  EXPECT_EQ(l->lines[1].state, tracker::State::ignored);
  EXPECT_EQ(l->lines[1].details, "out of standard support");
  EXPECT_EQ(l->lines[4].release, "devel");
  ASSERT_EQ(bp.diagnostics.size(), 1u); // madeup is not a release
  EXPECT_EQ(bp.diagnostics[0].line, 25);
}

TEST(Rejuvenate, FileInLineWithTheBoilerplateStaysByteIdentical) {
  std::string text = k_header + k_linux + "\n" + k_hwe;
  tracker::CveFile f = parse(text);
  EXPECT_TRUE(rejuvenate(f, boilerplate(), cat(), active()).empty());
  EXPECT_EQ(f.text(), text);
}

TEST(Rejuvenate, LeavesFilesWithoutPatchesLinuxAlone) {
  std::string text = k_header + "Patches_openssl:\nxenial_openssl: needed\n";
  tracker::CveFile f = parse(text);
  EXPECT_TRUE(rejuvenate(f, boilerplate(), cat(), active()).empty());
  EXPECT_EQ(f.text(), text);
}

TEST(Rejuvenate, AddsMissingLinesInReleaseOrder) {
  std::string text = k_header + "Patches_linux:\n break-fix: - local-fix\nxenial_linux: needed\n\n" + k_hwe;
  tracker::CveFile f = parse(text);
  std::vector<LineChange> changes = rejuvenate(f, boilerplate(), cat(), active());
  EXPECT_EQ(f.text(), k_header +
                          "Patches_linux:\n break-fix: - local-fix\n"
                          "upstream_linux: needs-triage\n"
                          "trusty_linux: ignored (out of standard support)\n"
                          "xenial_linux: needed\n"
                          "bionic_linux: needs-triage\n"
                          "devel_linux: needs-triage\n\n" +
                          k_hwe);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].line, 9u); // 1-based, before xenial_linux
  EXPECT_EQ(changes[0].old_text, "");
  EXPECT_EQ(changes[0].new_text, "upstream_linux: needs-triage");
  run(text);
}

TEST(Rejuvenate, RetiredModeDoesNotAddDneOrIgnoredLines) {
  std::string text =
      k_header + "Patches_linux:\nxenial_linux: needed\n\nPatches_linux-hwe:\nxenial_linux-hwe: needed\n";
  EXPECT_EQ(run(text, retired()), k_header + "Patches_linux:\n"
                                             "upstream_linux: needs-triage\n"
                                             "xenial_linux: needed\n"
                                             "bionic_linux: needs-triage\n"
                                             "devel_linux: needs-triage\n"
                                             "\n"
                                             "Patches_linux-hwe:\n"
                                             "upstream_linux-hwe: needs-triage\n"
                                             "xenial_linux-hwe: needed\n");
}

TEST(Rejuvenate, ForcesBoilerplateDneLines) {
  std::string hwe = k_hwe;
  hwe.replace(hwe.find("eoan_linux-hwe: DNE"), 19, "eoan_linux-hwe: needed (5.3.0-1)");
  std::string text = k_header + k_linux + "\n" + hwe;
  tracker::CveFile f = parse(text);
  std::vector<LineChange> changes = rejuvenate(f, boilerplate(), cat(), active());
  EXPECT_EQ(f.text(), k_header + k_linux + "\n" + k_hwe);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].old_text, "eoan_linux-hwe: needed (5.3.0-1)");
  EXPECT_EQ(changes[0].new_text, "eoan_linux-hwe: DNE");
  // A DNE line with a note is DNE already and keeps its note.
  std::string noted = k_header + k_linux + "\n" + k_hwe;
  noted.replace(noted.find("eoan_linux-hwe: DNE"), 19, "eoan_linux-hwe: DNE (never built)");
  EXPECT_EQ(run(noted), noted);
}

TEST(Rejuvenate, DropsUnknownKernelStanzasWithNothingInThem) {
  std::string stale = "Patches_linux-lts-utopic:\n"
                      "upstream_linux-lts-utopic: released (5.2)\n"
                      "trusty_linux-lts-utopic: needed\n"
                      "xenial_linux-lts-utopic: DNE\n";
  std::string text = k_header + k_linux + "\n" + stale + "\n" + k_hwe;
  tracker::CveFile f = parse(text);
  std::vector<LineChange> changes = rejuvenate(f, boilerplate(), cat(), active());
  EXPECT_EQ(f.text(), k_header + k_linux + "\n" + k_hwe);
  EXPECT_EQ(changes.size(), 5u); // four lines and the blank line before them
  // Kept: a released line, a hand-written note, a break-fix entry, a package that is no kernel.
  for (std::string keep : {"trusty_linux-lts-utopic: released (3.16.0-1)\n",
                           "trusty_linux-lts-utopic: needed (ask bob)\n", " break-fix: - local-x\n"}) {
    std::string s = stale;
    s.insert(s.find('\n') + 1, keep);
    std::string kept = k_header + k_linux + "\n" + s + "\n" + k_hwe;
    if (keep[0] != ' ') {
      s.erase(s.find("trusty_linux-lts-utopic: needed\n"), 32);
      kept = k_header + k_linux + "\n" + s + "\n" + k_hwe;
    }
    EXPECT_EQ(run(kept), kept);
  }
  std::string user = k_header + k_linux + "\nPatches_curl:\nxenial_curl: needed\n\n" + k_hwe;
  EXPECT_EQ(run(user), user);
}

TEST(Rejuvenate, AppendsMissingPackagesWithRealEntries) {
  std::string text = k_header + k_linux;
  tracker::CveFile f = parse(text);
  std::vector<LineChange> changes = rejuvenate(f, boilerplate(), cat(), active());
  // linux-oem is DNE everywhere it is not upstream, so it is not added.
  EXPECT_EQ(f.text(), text + "\nPatches_linux-hwe:\n"
                             "upstream_linux-hwe: needs-triage\n"
                             "xenial_linux-hwe: needs-triage\n"
                             "bionic_linux-hwe: DNE\n"
                             "eoan_linux-hwe: DNE\n"
                             "devel_linux-hwe: DNE\n");
  ASSERT_EQ(changes.size(), 7u);
  EXPECT_EQ(changes[0].new_text, "");
  EXPECT_EQ(changes[1].new_text, "Patches_linux-hwe:");
  EXPECT_EQ(run(text, retired()), text + "\nPatches_linux-hwe:\n"
                                         "upstream_linux-hwe: needs-triage\n"
                                         "xenial_linux-hwe: needs-triage\n");
}

TEST(Rejuvenate, WritesTheDevelCodenameAsDevel) {
  std::string text = k_header + k_linux + "\n" + k_hwe;
  std::string renamed = text;
  renamed.replace(renamed.find("devel_linux: not-affected"), 11, "focal_linux");
  tracker::CveFile f = parse(renamed);
  std::vector<LineChange> changes = rejuvenate(f, boilerplate(), cat(), active());
  EXPECT_EQ(f.text(), text);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].old_text, "focal_linux: not-affected (5.4.0-8.11)");
  // Both forms: the first in file order is kept, under the devel_ name.
  std::string both = text;
  both.insert(both.find("devel_linux: not-affected"), "focal_linux: needed\n");
  std::string expected = text;
  std::string old_devel = "devel_linux: not-affected (5.4.0-8.11)";
  expected.replace(expected.find(old_devel), old_devel.size(), "devel_linux: needed");
  EXPECT_EQ(run(both), expected);
}

TEST(Rejuvenate, RenamesAStaleDevelLineToTheReleaseAfterTheSection) {
  // Written when yakkety was in development: devel_ meant yakkety.
  std::string text = k_header + k_linux +
                     "\nPatches_linux-hwe:\nxenial_linux-hwe: released (4.8.0-1)\n"
                     "devel_linux-hwe: needed\n";
  EXPECT_EQ(run(text), k_header + k_linux +
                           "\nPatches_linux-hwe:\n"
                           "upstream_linux-hwe: needs-triage\n"
                           "xenial_linux-hwe: released (4.8.0-1)\n"
                           "yakkety_linux-hwe: needed\n"
                           "bionic_linux-hwe: DNE\n"
                           "eoan_linux-hwe: DNE\n"
                           "devel_linux-hwe: DNE\n");
}

TEST(Rejuvenate, DropsDuplicateKeys) {
  std::string text = k_header + k_linux + "xenial_linux: released (4.4.0-1)\n\n" + k_hwe;
  tracker::CveFile f = parse(text);
  ASSERT_TRUE(f.has_errors());
  std::vector<LineChange> changes = rejuvenate(f, boilerplate(), cat(), active());
  EXPECT_EQ(f.text(), k_header + k_linux + "\n" + k_hwe);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].new_text, "");
  EXPECT_FALSE(f.has_errors());
}

TEST(Rejuvenate, EliminatorKeepsOnlyInterestingAdditions) {
  EXPECT_TRUE(is_boring_addition("bionic_linux-hwe: DNE"));
  EXPECT_TRUE(is_boring_addition("upstream_linux: needs-triage"));
  EXPECT_TRUE(is_boring_addition("devel_linux: needs-triage"));
  EXPECT_TRUE(is_boring_addition("Patches_linux-hwe:"));
  EXPECT_TRUE(is_boring_addition("  "));
  EXPECT_FALSE(is_boring_addition("xenial_linux: needs-triage"));
  EXPECT_FALSE(is_boring_addition("xenial_linux: needed"));
  EXPECT_TRUE(only_boring_changes({}));
  EXPECT_TRUE(only_boring_changes({{3, "xenial_linux: needed", ""}, {4, "x: needed", "x: released (1)"}}));
  EXPECT_FALSE(only_boring_changes({{3, "", "Patches_linux-hwe:"}, {4, "", "xenial_linux-hwe: needs-triage"}}));
  // A retired file that only gained the devel line and DNE lines can be restored.
  std::string text = k_header +
                     "Patches_linux:\nupstream_linux: released (5.2)\nxenial_linux: released (4.4.0-1)\n"
                     "bionic_linux: not-affected (4.15.0-1)\n\n" +
                     k_hwe;
  tracker::CveFile f = parse(text);
  EXPECT_TRUE(only_boring_changes(rejuvenate(f, boilerplate(), cat(), retired())));
  EXPECT_NE(f.text(), text);
}

} // namespace
} // namespace kct::triage
