#include "triage/post_passes.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

// The verified runs used later releases; the test catalog knows up to focal (devel) plus the
// trusty/esm and precise/esm variants, so those stand in for them.
const std::string k_path = "active/CVE-2023-1234";

std::string file_text(const std::string& priority, const std::string& body) {
  return "Candidate: CVE-2023-1234\nPublicDate: 2023-05-01\nDescription:\n A test.\n" + priority +
         "\nPatches_linux:\n" + body;
}

tracker::CveFile parse(const std::string& text) {
  tracker::CveFile file(k_path, text, tracker::FileKind::cve, testing::source_catalog());
  EXPECT_FALSE(file.has_errors()) << text;
  return file;
}

ScanTarget target(std::string key, std::string source) {
  ScanTarget t;
  t.key = std::move(key);
  t.source = std::move(source);
  return t;
}

// Applies one pass's result the way the run does (direct copy) and returns the new text.
std::string applied(tracker::CveFile& file, const std::optional<EngineResult>& r, std::string devel = "plucky") {
  std::vector<EngineResult> results;
  if (r) {
    results.push_back(*r);
  }
  write_back(file, testing::source_catalog(), results, WriteBackOptions{std::move(devel), false, true});
  return file.text();
}

std::string line_of(const tracker::CveFile& file, std::string_view release, std::string_view package) {
  const tracker::StatusEntry* e = file.status(package, release);
  return e == nullptr ? "" : std::string(file.line(e->line));
}

// --- mark-pockets ---

CvePockets pockets(std::optional<std::string> release, std::optional<std::string> security,
                   std::optional<std::string> updates) {
  return CvePockets{std::move(release), std::move(security), std::move(updates), std::nullopt, std::nullopt};
}

TEST(PostPassMarkPockets, ReproducesTheVerifiedExamples) {
  tracker::CveFile file = parse(file_text("Priority: medium\n", "focal_linux: pending (1.0-3.3)\n"
                                                                "bionic_linux: pending (4.15.0-99.100)\n"));
  ScanTarget focal = target("focal", "linux");
  focal.mark_pockets = true;
  std::optional<EngineResult> r = mark_pockets(file, k_path, focal, pockets("1.0-3.3", "1.0-3.3", "1.0-3.3"), "plucky");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format(), "active/CVE-2023-1234 focal linux - not-affected 1.0-3.3");
  applied(file, r);
  EXPECT_EQ(line_of(file, "focal", "linux"), "focal_linux: not-affected (1.0-3.3)");

  ScanTarget bionic = target("bionic", "linux");
  bionic.mark_pockets = true;
  bionic.unsupported = true;
  applied(file,
          mark_pockets(file, k_path, bionic, pockets("4.15.0-20.21", "4.15.0-99.100", "4.15.0-101.103"), "plucky"));
  EXPECT_EQ(line_of(file, "bionic", "linux"), "bionic_linux: released (4.15.0-99.100)");
}

TEST(PostPassMarkPockets, NothingPublishedYetMeansTheFirstUploadHasTheFix) {
  tracker::CveFile file = parse(file_text("", "bionic_linux: pending (4.15.0-99.100)\n"));
  ScanTarget t = target("bionic", "linux");
  t.mark_pockets = true;
  CvePockets only_proposed = pockets(std::nullopt, std::nullopt, std::nullopt);
  only_proposed.proposed = "4.15.0-99.100";
  applied(file, mark_pockets(file, k_path, t, only_proposed, "plucky"));
  EXPECT_EQ(line_of(file, "bionic", "linux"), "bionic_linux: not-affected (4.15.0-99.100)");
}

TEST(PostPassMarkPockets, SupportedKernelsWaitForTheUsn) {
  tracker::CveFile file = parse(file_text("", "bionic_linux: pending (4.15.0-99.100)\n"));
  ScanTarget t = target("bionic", "linux");
  t.mark_pockets = true;
  EXPECT_FALSE(mark_pockets(file, k_path, t, pockets("4.15.0-20.21", std::nullopt, "4.15.0-101.103"), "plucky"));
  t.no_usn = true; // no USN is ever issued: the kernel releases itself
  std::optional<EngineResult> r =
      mark_pockets(file, k_path, t, pockets("4.15.0-20.21", std::nullopt, "4.15.0-101.103"), "plucky");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state, "released");
  // Not yet in -updates: nothing to say.
  EXPECT_FALSE(mark_pockets(file, k_path, t, pockets("4.15.0-20.21", std::nullopt, "4.15.0-98.99"), "plucky"));
}

TEST(PostPassMarkPockets, ActsOnlyOnVersionedPendingLinesOfFlaggedTargets) {
  ScanTarget t = target("bionic", "linux");
  t.mark_pockets = true;
  CvePockets none = pockets(std::nullopt, std::nullopt, std::nullopt);
  for (const char* line :
       {"bionic_linux: pending\n", "bionic_linux: needed\n", "bionic_linux: released (4.15.0-1.2)\n"}) {
    tracker::CveFile file = parse(file_text("", line));
    EXPECT_FALSE(mark_pockets(file, k_path, t, none, "plucky")) << line;
  }
  tracker::CveFile file = parse(file_text("", "bionic_linux: pending (4.15.0-1.2)\n"));
  EXPECT_FALSE(mark_pockets(file, k_path, t, std::nullopt, "plucky")); // no pocket data
  ScanTarget unflagged = target("bionic", "linux");
  EXPECT_FALSE(mark_pockets(file, k_path, unflagged, none, "plucky"));
  EXPECT_TRUE(mark_pockets(file, k_path, t, none, "plucky"));
}

TEST(PostPassMarkPockets, DevelTargetReadsAndNamesTheDevelLine) {
  tracker::CveFile file = parse(file_text("", "focal_linux: pending (5.4.0-1.2)\ndevel_linux: pending (5.4.0-9.9)\n"));
  ScanTarget t = target("focal", "linux");
  t.mark_pockets = true;
  std::optional<EngineResult> r =
      mark_pockets(file, k_path, t, pockets("5.4.0-10.1", std::nullopt, std::nullopt), "focal");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format(), "active/CVE-2023-1234 devel linux - not-affected 5.4.0-9.9");
  applied(file, r, "focal");
  EXPECT_EQ(line_of(file, "devel", "linux"), "devel_linux: not-affected (5.4.0-9.9)");
  EXPECT_EQ(line_of(file, "focal", "linux"), "focal_linux: pending (5.4.0-1.2)");
}

// --- mark-esm ---

ScanTarget esm_target() {
  ScanTarget t = target("trusty/esm", "linux");
  t.mark_esm = true;
  return t;
}

TEST(PostPassMarkEsm, ReproducesTheVerifiedExample) {
  tracker::CveFile file = parse(file_text("Priority: medium\n", "trusty/esm_linux: needed\n"));
  std::optional<EngineResult> r = mark_esm(file, k_path, esm_target(), "plucky");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format(), "active/CVE-2023-1234 trusty/esm linux - ignored ESM criteria, was needed");
  applied(file, r);
  EXPECT_EQ(line_of(file, "trusty/esm", "linux"), "trusty/esm_linux: ignored (ESM criteria, was needed)");
}

TEST(PostPassMarkEsm, NeverTouchesHighOrCriticalCves) {
  for (const char* priority : {"Priority: high\n", "Priority: critical\n"}) {
    tracker::CveFile file = parse(file_text(priority, "trusty/esm_linux: needed\n"));
    EXPECT_FALSE(mark_esm(file, k_path, esm_target(), "plucky")) << priority;
  }
  for (const char* priority :
       {"Priority: negligible\n", "Priority: low\n", "Priority: medium\n", "Priority: untriaged\n"}) {
    tracker::CveFile file = parse(file_text(priority, "trusty/esm_linux: needs-triage\n"));
    std::optional<EngineResult> r = mark_esm(file, k_path, esm_target(), "plucky");
    ASSERT_TRUE(r) << priority;
    EXPECT_EQ(r->version, "ESM criteria, was needs-triage");
  }
}

TEST(PostPassMarkEsm, UsesThePriorityOfThisFileOnly) {
  // The original let a file without a Priority line inherit the previous file's (correction 5).
  tracker::CveFile high = parse(file_text("Priority: high\n", "trusty/esm_linux: needed\n"));
  tracker::CveFile none = parse(file_text("", "trusty/esm_linux: needed\n"));
  EXPECT_FALSE(mark_esm(high, k_path, esm_target(), "plucky"));
  EXPECT_TRUE(mark_esm(none, k_path, esm_target(), "plucky"));
  // As in the original, only the `Priority:` line counts, not a package's own priority.
  tracker::CveFile by_package = parse(file_text("Priority: low\nPriority_linux: high\n", "trusty/esm_linux: needed\n"));
  EXPECT_TRUE(mark_esm(by_package, k_path, esm_target(), "plucky"));
}

TEST(PostPassMarkEsm, ActsOnNeedsTriageAndNeededOnly) {
  for (const char* line : {"trusty/esm_linux: pending (3.13.0-1.2)\n", "trusty/esm_linux: released (3.13.0-1.2)\n",
                           "trusty/esm_linux: deferred\n", "trusty/esm_linux: ignored (ESM criteria, was needed)\n"}) {
    tracker::CveFile file = parse(file_text("Priority: low\n", line));
    EXPECT_FALSE(mark_esm(file, k_path, esm_target(), "plucky")) << line;
  }
  tracker::CveFile file = parse(file_text("Priority: low\n", "trusty/esm_linux: needed\n"));
  EXPECT_FALSE(mark_esm(file, k_path, target("trusty/esm", "linux"), "plucky")); // no mark-esm flag
}

TEST(PostPassMarkEsm, BracketsTheOldNoteAndHonoursTheMessage) {
  tracker::CveFile file = parse(file_text("Priority: low\n", "trusty/esm_linux: needed (3.13.0-1.2)\n"));
  ScanTarget t = esm_target();
  t.mark_esm_message = "Pro only";
  std::optional<EngineResult> r = mark_esm(file, k_path, t, "plucky");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, "Pro only, was needed [3.13.0-1.2]");
  applied(file, r);
  EXPECT_EQ(line_of(file, "trusty/esm", "linux"), "trusty/esm_linux: ignored (Pro only, was needed [3.13.0-1.2])");
}

TEST(PostPassMarkEsm, HumanNoteSurvivesTheWriteBack) {
  std::string text = file_text("Priority: low\n", "trusty/esm_linux: needed (needs a backport)\n");
  tracker::CveFile file = parse(text);
  EXPECT_EQ(applied(file, mark_esm(file, k_path, esm_target(), "plucky")), text);
}

TEST(PostPassMarkEsm, EngineAndPassAgreeFromRunToRun) {
  std::string text = file_text("Priority: low\n", "trusty/esm_linux: needed\n");
  tracker::CveFile file = parse(text);
  std::vector<EngineResult> engine = {{k_path, "trusty/esm", "linux", "-", "needed", "-"}};
  for (int run = 0; run < 2; ++run) {
    write_back(file, testing::source_catalog(), engine, WriteBackOptions{"plucky", false, false});
    EXPECT_EQ(line_of(file, "trusty/esm", "linux"), "trusty/esm_linux: needed") << run;
    applied(file, mark_esm(file, k_path, esm_target(), "plucky"));
    EXPECT_EQ(line_of(file, "trusty/esm", "linux"), "trusty/esm_linux: ignored (ESM criteria, was needed)") << run;
  }
}

// --- mark-ignored ---

ScanTarget ignored_target(std::string message) {
  ScanTarget t = target("xenial", "linux");
  t.mark_ignored = true;
  t.mark_ignored_message = std::move(message);
  return t;
}

TEST(PostPassMarkIgnored, ClosesOpenLinesWithTheMessage) {
  for (const char* state : {"needs-triage", "needed"}) {
    tracker::CveFile file = parse(file_text("Priority: high\n", "xenial_linux: " + std::string(state) + "\n"));
    applied(file, mark_ignored(file, k_path, ignored_target("end of standard support"), "plucky"));
    EXPECT_EQ(line_of(file, "xenial", "linux"),
              "xenial_linux: ignored (end of standard support, was " + std::string(state) + ")");
  }
  tracker::CveFile file = parse(file_text("", "xenial_linux: needed (4.4.0-1.2)\n"));
  std::optional<EngineResult> r = mark_ignored(file, k_path, ignored_target(""), "plucky");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, "was needed [4.4.0-1.2]");
}

TEST(PostPassMarkIgnored, DeferredIsProposedButKeptByTheWriteBack) {
  std::string text = file_text("", "xenial_linux: deferred (2019-10-01)\n");
  tracker::CveFile file = parse(text);
  std::optional<EngineResult> r = mark_ignored(file, k_path, ignored_target("end of life"), "plucky");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, "end of life, was deferred [2019-10-01]");
  EXPECT_EQ(applied(file, r), text);
}

TEST(PostPassMarkIgnored, LeavesPendingAndClosedLines) {
  for (const char* line : {"xenial_linux: pending (4.4.0-1.2)\n", "xenial_linux: released (4.4.0-1.2)\n",
                           "xenial_linux: not-affected\n", "xenial_linux: DNE\n"}) {
    tracker::CveFile file = parse(file_text("", line));
    EXPECT_FALSE(mark_ignored(file, k_path, ignored_target("end of life"), "plucky")) << line;
  }
  tracker::CveFile file = parse(file_text("", "xenial_linux: needed\n"));
  EXPECT_FALSE(mark_ignored(file, k_path, target("xenial", "linux"), "plucky"));
}

TEST(PostPassMarkIgnored, EndOfStandardSupportMarkerIsRewrittenNextRun) {
  tracker::CveFile file = parse(file_text("", "xenial_linux: needs-triage\n"));
  applied(file, mark_ignored(file, k_path, ignored_target("end of standard support"), "plucky"));
  std::string after_first = file.text();
  write_back(file, testing::source_catalog(), {{k_path, "xenial", "linux", "-", "released", "4.4.0-9.9"}},
             WriteBackOptions{"plucky", false, false});
  EXPECT_EQ(line_of(file, "xenial", "linux"), "xenial_linux: pending (4.4.0-9.9)");
  EXPECT_NE(file.text(), after_first);
}

// --- metaonly-link ---

// linux-azure-fde (K) ships linux-azure (L) under its own versions.
const std::vector<std::string> k_linked = {"5.15.0-1001.1", "5.15.0-1002.2", "5.15.0-1003.3", "5.15.0-1005.6"};
const std::vector<std::string> k_own = {"5.15.0-1002.2.1", "5.15.0-1004.4.1"};

ScanTarget fde_target() {
  ScanTarget t = target("bionic", "linux-azure-fde");
  t.unsupported = true;
  t.metaonly_link = "bionic_linux-azure";
  return t;
}

std::string azure_text(const std::string& linked_line, const std::string& own_line = "needs-triage") {
  return file_text("Priority: medium\n",
                   "bionic_linux: needed\n\nPatches_linux-azure:\nbionic_linux-azure: " + linked_line +
                       "\n\nPatches_linux-azure-fde:\nbionic_linux-azure-fde: " + own_line + "\n");
}

std::string fde_line_after(const std::string& linked_line, const std::string& own_line = "needs-triage") {
  tracker::CveFile file = parse(azure_text(linked_line, own_line));
  applied(file, mark_metaonly(file, k_path, fde_target(), build_metaonly_map(k_linked, k_own), "plucky"));
  return line_of(file, "bionic", "linux-azure-fde");
}

TEST(PostPassMetaonly, MapsEachLinkedVersionToTheFirstOwnVersionAtLeastAsNew) {
  MetaonlyMap map = build_metaonly_map(k_linked, k_own);
  ASSERT_EQ(map.size(), 3u);
  EXPECT_EQ(map.at("5.15.0-1001.1").version, "5.15.0-1002.2.1");
  EXPECT_TRUE(map.at("5.15.0-1001.1").first);
  EXPECT_EQ(map.at("5.15.0-1002.2").version, "5.15.0-1002.2.1");
  EXPECT_TRUE(map.at("5.15.0-1002.2").first);
  EXPECT_EQ(map.at("5.15.0-1003.3").version, "5.15.0-1004.4.1");
  EXPECT_FALSE(map.at("5.15.0-1003.3").first);
  EXPECT_EQ(map.count("5.15.0-1005.6"), 0u); // newer than anything K has published
}

TEST(PostPassMetaonly, CopiesTheLinkedStateWithTranslatedVersions) {
  EXPECT_EQ(fde_line_after("released (5.15.0-1003.3)"), "bionic_linux-azure-fde: released (5.15.0-1004.4.1)");
  EXPECT_EQ(fde_line_after("pending (5.15.0-1003.3)"), "bionic_linux-azure-fde: pending (5.15.0-1004.4.1)");
  EXPECT_EQ(fde_line_after("pending (5.15.0-1001.1)"), "bionic_linux-azure-fde: pending (5.15.0-1002.2.1)");
  EXPECT_EQ(fde_line_after("needed"), "bionic_linux-azure-fde: needed");
  EXPECT_EQ(fde_line_after("not-affected (5.15.0-1002.2)"), "bionic_linux-azure-fde: not-affected (5.15.0-1002.2.1)");
  EXPECT_EQ(fde_line_after("not-affected", "pending (5.15.0-1004.4.1)"), "bionic_linux-azure-fde: not-affected");
}

TEST(PostPassMetaonly, ReleasedOntoTheFirstOwnVersionIsNotAffected) {
  EXPECT_EQ(fde_line_after("released (5.15.0-1001.1)"), "bionic_linux-azure-fde: not-affected (5.15.0-1002.2.1)");
}

TEST(PostPassMetaonly, SkipsUnmappedVersionsOtherStatesAndMissingLines) {
  MetaonlyMap map = build_metaonly_map(k_linked, k_own);
  for (const char* linked : {"released (5.15.0-1005.6)", "released (5.15.0-9999.1)", "needs-triage",
                             "ignored (end of life)", "DNE", "deferred"}) {
    tracker::CveFile file = parse(azure_text(linked));
    EXPECT_FALSE(mark_metaonly(file, k_path, fde_target(), map, "plucky")) << linked;
  }
  tracker::CveFile no_own = parse(
      file_text("", "bionic_linux: needed\n\nPatches_linux-azure:\nbionic_linux-azure: released (5.15.0-1003.3)\n"));
  EXPECT_FALSE(mark_metaonly(no_own, k_path, fde_target(), map, "plucky"));
  tracker::CveFile file = parse(azure_text("released (5.15.0-1003.3)"));
  EXPECT_FALSE(mark_metaonly(file, k_path, target("bionic", "linux-azure-fde"), map, "plucky")); // no link
}

TEST(PostPassMetaonly, DevelSeriesUsesTheDevelLines) {
  std::string text = file_text("", "devel_linux-azure: released (5.15.0-1003.3)\nfocal_linux-azure: needed\n\n"
                                   "Patches_linux-azure-fde:\ndevel_linux-azure-fde: needs-triage\n");
  tracker::CveFile file = parse(text);
  ScanTarget t = target("focal", "linux-azure-fde");
  t.metaonly_link = "focal_linux-azure";
  std::optional<EngineResult> r = mark_metaonly(file, k_path, t, build_metaonly_map(k_linked, k_own), "focal");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format(), "active/CVE-2023-1234 devel linux-azure-fde - released 5.15.0-1004.4.1");
}

// --- all passes, in the run's order ---

TEST(PostPassRun, EachPassSeesTheFileAsThePreviousOneLeftIt) {
  // metaonly copies L's pending (V) onto K; mark-pockets then closes K's line in the same run,
  // which it could not do if it ran first.
  ScanTarget fde = fde_target();
  fde.mark_pockets = true;
  ScanTarget esm = esm_target();
  ScanTarget eol = target("xenial", "linux");
  eol.mark_ignored = true;
  eol.mark_ignored_message = "end of life";
  std::unordered_map<std::string, PublishedVersions> published;
  published["bionic_linux-azure"] =
      PublishedVersions{k_linked, pockets("5.15.0-1001.1", std::nullopt, "5.15.0-1003.3")};
  published["bionic_linux-azure-fde"] =
      PublishedVersions{k_own, pockets("5.15.0-1002.2.1", std::nullopt, "5.15.0-1004.4.1")};
  PostPasses passes({fde, esm, eol}, published, "plucky");
  EXPECT_TRUE(passes.missing().empty());

  std::string text =
      file_text("Priority: low\n", "xenial_linux: needed\n"
                                   "trusty/esm_linux: needs-triage\n"
                                   "bionic_linux: needed\n\n"
                                   "Patches_linux-azure:\nbionic_linux-azure: pending (5.15.0-1003.3)\n\n"
                                   "Patches_linux-azure-fde:\nbionic_linux-azure-fde: needed\n");
  tracker::CveFile file = parse(text);
  std::vector<LineChange> changes = passes.apply(file, testing::source_catalog(), k_path, false);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].new_text, "bionic_linux-azure-fde: pending (5.15.0-1004.4.1)");
  EXPECT_EQ(changes[1].new_text, "bionic_linux-azure-fde: released (5.15.0-1004.4.1)");
  EXPECT_EQ(changes[2].new_text, "trusty/esm_linux: ignored (ESM criteria, was needs-triage)");
  EXPECT_EQ(changes[3].new_text, "xenial_linux: ignored (end of life, was needed)");
  EXPECT_EQ(line_of(file, "bionic", "linux"), "bionic_linux: needed");
}

TEST(PostPassRun, NamesTargetsWithoutTheirDataAndCanSkipEsm) {
  ScanTarget pockets_target = target("bionic", "linux");
  pockets_target.mark_pockets = true;
  PostPasses passes({pockets_target, fde_target(), esm_target()}, {}, "plucky", false);
  EXPECT_EQ(passes.missing(),
            (std::vector<std::string>{"bionic_linux: mark-pockets without cve-pockets data",
                                      "bionic_linux-azure-fde: metaonly-link:bionic_linux-azure without the published "
                                      "versions of both kernels"}));
  std::string text = file_text("Priority: low\n", "trusty/esm_linux: needed\nbionic_linux: pending (4.15.0-1.2)\n");
  tracker::CveFile file = parse(text);
  EXPECT_TRUE(passes.apply(file, testing::source_catalog(), k_path, false).empty());
  EXPECT_EQ(file.text(), text);
}

} // namespace
} // namespace kct::triage
