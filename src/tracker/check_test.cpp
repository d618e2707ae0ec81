// check-syntax rules (uct §11) as check_tracker implements them: for every rule a failing and a
// passing case, each built as a small tracker in a temporary directory, asserting the exact
// diagnostics (path, line, column, severity, message).
#include "tracker/check.h"
#include "tracker/tracker.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace kct::tracker {
namespace {

using util::Severity;

// A diagnostic by value, comparable and printable, so a mismatch shows the whole list.
struct Diag {
  std::string path;
  int64_t line = 0;
  int64_t column = 0;
  Severity severity = Severity::error;
  std::string message;
  bool operator==(const Diag&) const = default;
};

void PrintTo(const Diag& d, std::ostream* os) {
  const char* s = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "note";
  *os << d.path << ":" << d.line << ":" << d.column << ": " << s << ": " << d.message;
}

Diag error_at(const std::string& path, int64_t line, std::string message) {
  return Diag{path, line, 1, Severity::error, std::move(message)};
}

Diag warning_at(const std::string& path, int64_t line, std::string message) {
  return Diag{path, line, 1, Severity::warning, std::move(message)};
}

constexpr const char* k_id = "CVE-2019-1000";

// A complete, valid active CVE file: every field check-syntax knows, the mitre reference, and
// one package `foo` with a line for upstream and every live release (precise/esm, trusty/esm,
// xenial, bionic, disco, eoan, devel) plus an EOL one (trusty).
std::string base_cve(const std::string& id = k_id) {
  return "Candidate: " + id +
         "\n"
         "PublicDate: 2019-06-01\n"
         "References:\n"
         " https://cve.mitre.org/cgi-bin/cvename.cgi?name=" +
         id +
         "\n"
         " https://example.com/advisory\n"
         "Description:\n"
         " A buffer overflow in foo allows remote attackers to run code.\n"
         "Ubuntu-Description:\n"
         "Notes:\n"
         " alice> looked at this\n"
         "Mitigation:\n"
         "Bugs:\n"
         "Priority: medium\n"
         "Discovered-by:\n"
         "Assigned-to:\n"
         "CVSS:\n"
         "\n"
         "Patches_foo:\n"
         " upstream: https://example.com/foo/commit/1234\n"
         "upstream_foo: needs-triage\n"
         "precise/esm_foo: DNE\n"
         "trusty_foo: ignored (out of standard support)\n"
         "trusty/esm_foo: needed\n"
         "xenial_foo: needed\n"
         "bionic_foo: needed\n"
         "disco_foo: needed\n"
         "eoan_foo: needed\n"
         "devel_foo: needed\n";
}

// The base file as it would sit in retired/: nothing open in devel.
std::string retired_cve(const std::string& id = k_id);

// `text` with the single occurrence of `from` replaced by `to`.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    ADD_FAILURE() << "expected exactly one '" << from << "' in the test input";
    return text;
  }
  return text.replace(at, from.size(), to);
}

std::string retired_cve(const std::string& id) {
  return replaced(base_cve(id), "devel_foo: needed\n", "devel_foo: released (1.2-3)\n");
}

// 1-based number of the first line of `text` that starts with `prefix`.
int64_t line_of(const std::string& text, std::string_view prefix) {
  int64_t line = 1;
  size_t start = 0;
  while (start < text.size()) {
    if (std::string_view(text).substr(start, prefix.size()) == prefix) {
      return line;
    }
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      break;
    }
    start = nl + 1;
    ++line;
  }
  ADD_FAILURE() << "no line starts with '" << prefix << "'";
  return 0;
}

// A tracker root with active/, retired/ and ignored/ (a missing one would be a diagnostic).
class Tree {
public:
  Tree() {
    for (const char* d : {"active", "retired", "ignored"}) {
      std::filesystem::create_directories(std::filesystem::path(m_dir.path()) / d);
    }
  }

  std::string add(const std::string& relative, const std::string& text) const { return m_dir.write(relative, text); }

  CheckResult run(const CheckOptions& options = {}) const {
    std::unique_ptr<Tracker> t = Tracker::load(m_dir.path(), testing::source_catalog());
    return check_tracker(*t, options);
  }

  std::vector<Diag> check(const CheckOptions& options = {}) const {
    std::vector<Diag> out;
    // Paths relative to the tree's root, so expectations can name them; the root itself is checked.
    std::string root = m_dir.path() + "/";
    for (const util::Diagnostic& d : run(options).diagnostics) {
      std::string path = d.path;
      if (path.compare(0, root.size(), root) == 0) {
        path.erase(0, root.size());
      } else {
        ADD_FAILURE() << "diagnostic path outside the tree: " << path;
      }
      out.push_back(Diag{path, d.line, d.column, d.severity, d.message});
    }
    return out;
  }

private:
  testing::ScopedTempDir m_dir;
};

const std::string k_path = std::string("active/") + k_id;

// One active file `active/CVE-2019-1000` with `text`; its diagnostics.
std::vector<Diag> check_active(const std::string& text) {
  Tree tree;
  tree.add(k_path, text);
  return tree.check();
}

using Diags = std::vector<Diag>;

// --- the base file --------------------------------------------------------------------------

TEST(CheckRules, ValidBaseFileHasNoDiagnostics) {
  Tree tree;
  tree.add(std::string("active/") + k_id, base_cve());
  tree.add("retired/CVE-2019-0999", retired_cve("CVE-2019-0999"));
  CheckResult r = tree.run();
  EXPECT_EQ(r.files_checked, 2u);
  EXPECT_EQ(tree.check(), Diags{});
}

// --- rule 1 ---------------------------------------------------------------------------------

TEST(CheckRules, ParseErrorStopsFurtherChecksForThatFile) {
  Tree tree;
  // Both files have a Candidate mismatch (rule 4); only the one that parses gets it reported.
  std::string broken = replaced(base_cve(), "Candidate: CVE-2019-1000\n", "Candidate: CVE-2019-1111\nFoo: bar\n");
  const std::string broken_path = "active/CVE-2019-1000";
  tree.add(broken_path, broken);
  std::string fine = replaced(base_cve("CVE-2019-1001"), "Candidate: CVE-2019-1001\n", "Candidate: CVE-2019-2222\n");
  const std::string fine_path = "active/CVE-2019-1001";
  tree.add(fine_path, fine);
  EXPECT_EQ(tree.check(),
            (Diags{
                error_at(broken_path, 2, "unknown field 'Foo'"),
                error_at(fine_path, 1, "Candidate field 'CVE-2019-2222' mismatch with file name 'CVE-2019-1001'"),
            }));
}

TEST(CheckRules, ParseWarningDoesNotStopFurtherChecks) {
  std::string text = replaced(base_cve(), " alice> looked at this\n", " alice> looked at this\n one space only\n");
  text = replaced(text, "Candidate: CVE-2019-1000\n", "Candidate: CVE-2019-1111\n");
  Diags d = check_active(text);
  EXPECT_EQ(
      d, (Diags{
             error_at(k_path, 1, "Candidate field 'CVE-2019-1111' mismatch with file name 'CVE-2019-1000'"),
             warning_at(k_path, line_of(text, " one space only"), "Note continuations should be indented by 2 spaces"),
         }));
}

// --- rule 2 ---------------------------------------------------------------------------------

TEST(CheckRules, IdListedInNotForUsIsAnError) {
  Tree tree;
  const std::string path = "active/CVE-2019-1000";
  tree.add(path, base_cve());
  tree.add("ignored/not-for-us.txt", "# not for us\nCVE-2018-0001\nCVE-2019-1000 # some windows thing\n");
  EXPECT_EQ(tree.check(), Diags{error_at(path, 1, "CVE-2019-1000: duplicate CVE found in not-for-us.txt")});
}

TEST(CheckRules, IdNotListedInNotForUsIsAccepted) {
  Tree tree;
  tree.add("active/CVE-2019-1000", base_cve());
  // Near misses: a longer id, a shorter id, and the id inside a comment.
  tree.add("ignored/not-for-us.txt", "CVE-2019-10000\nCVE-2019-100\n# CVE-2019-1000\nCVE-2018-0001 # CVE-2019-1000\n");
  EXPECT_EQ(tree.check(), Diags{});
}

// --- rule 3 ---------------------------------------------------------------------------------

TEST(CheckRules, SameIdInActiveAndRetiredIsAnErrorInBoth) {
  Tree tree;
  const std::string active = "active/CVE-2019-1000";
  tree.add(active, base_cve());
  const std::string retired = "retired/CVE-2019-1000";
  tree.add(retired, retired_cve());
  EXPECT_EQ(tree.check(), (Diags{
                              error_at(active, 1, "CVE-2019-1000 found in multiple classes: active, retired"),
                              error_at(retired, 1, "CVE-2019-1000 found in multiple classes: active, retired"),
                          }));
}

TEST(CheckRules, DifferentIdsInActiveAndRetiredAreAccepted) {
  Tree tree;
  tree.add("active/CVE-2019-1000", base_cve());
  tree.add("retired/CVE-2019-1001", retired_cve("CVE-2019-1001"));
  EXPECT_EQ(tree.check(), Diags{});
}

// --- rule 4 ---------------------------------------------------------------------------------

TEST(CheckRules, CandidateMismatchIsAnError) {
  std::string text = replaced(base_cve(), "Candidate: CVE-2019-1000\n", "# header\nCandidate: CVE-2019-1001\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, 2, "Candidate field 'CVE-2019-1001' mismatch with file name 'CVE-2019-1000'")});
}

TEST(CheckRules, CandidateMatchingFileNameIsAccepted) {
  EXPECT_EQ(check_active(base_cve()), Diags{});
}

// --- rule 5 ---------------------------------------------------------------------------------

TEST(CheckRules, ActiveFileMissingSupportedReleaseIsAnError) {
  std::string text = replaced(base_cve(), "disco_foo: needed\n", "");
  text = replaced(text, "devel_foo: needed\n", "");
  int64_t last = line_of(text, "eoan_foo:"); // reported at the package's last status line
  EXPECT_EQ(check_active(text), (Diags{
                                    error_at(k_path, last, "foo missing supported release 'disco'"),
                                    error_at(k_path, last, "foo missing supported release 'devel'"),
                                }));
}

TEST(CheckRules, ActiveFileNamingTheDevelReleaseInsteadOfDevelIsMissingDevel) {
  std::string text = replaced(base_cve(), "devel_foo: needed\n", "focal_foo: needed\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "focal_foo:"), "foo missing supported release 'devel'")});
}

TEST(CheckRules, ActiveFileWithEverySupportedReleaseIsAccepted) {
  // EOL releases (precise, trusty) are not required: the base has precise/esm but no precise.
  std::string text = replaced(base_cve(), "trusty_foo: ignored (out of standard support)\n", "");
  EXPECT_EQ(check_active(text), Diags{});
}

TEST(CheckRules, RetiredFileMissingSupportedReleaseIsAccepted) {
  Tree tree;
  std::string text = replaced(retired_cve(), "xenial_foo: needed\n", "");
  text = replaced(text, "disco_foo: needed\n", "");
  tree.add("retired/CVE-2019-1000", text);
  EXPECT_EQ(tree.check(), Diags{});
}

TEST(CheckRules, PackageWithProductOrSnapLineNeedNotListSupportedReleases) {
  std::string text = base_cve() + "\n"
                                  "Patches_linux-krillin:\n"
                                  "product_linux-krillin: released (3.4.67-1)\n"
                                  "\n"
                                  "Patches_pc-kernel:\n"
                                  "snap_pc-kernel: needed\n"
                                  "xenial_pc-kernel: needed\n";
  EXPECT_EQ(check_active(text), Diags{});
  // Without the product line, the same package must list every supported release.
  std::string no_product = base_cve() + "xenial_linux-krillin: needed\n";
  int64_t line = line_of(no_product, "xenial_linux-krillin:");
  EXPECT_EQ(check_active(no_product),
            (Diags{
                error_at(k_path, line, "linux-krillin missing supported release 'precise/esm'"),
                error_at(k_path, line, "linux-krillin missing supported release 'trusty/esm'"),
                error_at(k_path, line, "linux-krillin missing supported release 'bionic'"),
                error_at(k_path, line, "linux-krillin missing supported release 'disco'"),
                error_at(k_path, line, "linux-krillin missing supported release 'eoan'"),
                error_at(k_path, line, "linux-krillin missing supported release 'devel'"),
            }));
}

// --- rule 6b --------------------------------------------------------------------------------

TEST(CheckRules, UnknownProductIsAnError) {
  std::string text = base_cve() + "product_foo-phone: released (1.0)\n";
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, line_of(text, "product_foo-phone:"),
                                               "product_foo-phone: unknown product 'foo-phone'")});
}

TEST(CheckRules, UnknownSnapIsAnError) {
  std::string text = base_cve() + "snap_bar: needed\n";
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, line_of(text, "snap_bar:"), "snap_bar: unknown snap 'bar'")});
}

TEST(CheckRules, KnownProductAndSnapAreAccepted) {
  std::string text = base_cve() + "product_linux-vegetahd: needed\n"
                                  "product_linux-krillin: released (3.4.67-1)\n"
                                  "snap_microk8s: needed\n"
                                  "snap_pc-kernel: released (4.15.0-72.81)\n";
  EXPECT_EQ(check_active(text), Diags{});
}

// --- rules 6a and 6c ------------------------------------------------------------------------

TEST(CheckRules, EolReleaseEntriesAreSkipped) {
  // Each of these would fail rule 6f or 6l on a live release.
  std::string text = replaced(base_cve(), "trusty_foo: ignored (out of standard support)\n",
                              "trusty_foo: released-esm (1.0+esm1)\n"
                              "precise_foo: needed (deferred by upstream)\n"
                              "vivid/ubuntu-core_foo: released-esm\n"
                              "cosmic_foo: ignored (deferred)\n");
  EXPECT_EQ(check_active(text), Diags{});
}

TEST(CheckRules, UpstreamEntriesAreSkipped) {
  std::string text = replaced(base_cve(), "upstream_foo: needs-triage\n", "upstream_foo: released-esm (deferred)\n");
  EXPECT_EQ(check_active(text), Diags{});
}

TEST(CheckRules, LiveReleaseEntriesAreChecked) {
  // The same entries as EolReleaseEntriesAreSkipped, on live releases.
  std::string text = replaced(base_cve(), "trusty/esm_foo: needed\n", "trusty/esm_foo: released-esm (1.0+esm1)\n");
  text = replaced(text, "bionic_foo: needed\n", "bionic_foo: ignored (deferred)\n");
  EXPECT_EQ(check_active(text),
            (Diags{
                error_at(k_path, line_of(text, "trusty/esm_foo:"), "trusty/esm_foo has invalid state 'released-esm'"),
                error_at(k_path, line_of(text, "bionic_foo:"),
                         "bionic_foo uses 'deferred' with state 'ignored'. Use: 'deferred [(YYYY-MM-DD)]'"),
            }));
}

// --- rule 6d --------------------------------------------------------------------------------

TEST(CheckRules, RetiredFileWithUnfixedDevelEntryIsAnError) {
  for (const char* state : {"needed", "needs-triage", "pending"}) {
    SCOPED_TRACE(state);
    Tree tree;
    std::string text = replaced(base_cve(), "devel_foo: needed\n", std::string("devel_foo: ") + state + "\n");
    const std::string path = "retired/CVE-2019-1000";
    tree.add(path, text);
    EXPECT_EQ(tree.check(), Diags{error_at(path, line_of(text, "devel_foo:"),
                                           std::string("retired but foo is listed as unfixed (") + state + ")")});
  }
}

TEST(CheckRules, RetiredFileWithEmptyDevelEntryIsUnfixed) {
  Tree tree;
  std::string text = replaced(base_cve(), "devel_foo: needed\n", "devel_foo:\n");
  const std::string path = "retired/CVE-2019-1000";
  tree.add(path, text);
  EXPECT_EQ(tree.check(),
            Diags{error_at(path, line_of(text, "devel_foo:"), "retired but foo is listed as unfixed (needs-triage)")});
}

TEST(CheckRules, RetiredFileWithClosedDevelEntryIsAccepted) {
  for (const char* state : {"released (1.2-3)", "not-affected", "ignored (end of life)", "DNE", "deferred"}) {
    SCOPED_TRACE(state);
    Tree tree;
    tree.add("retired/CVE-2019-1000",
             replaced(base_cve(), "devel_foo: needed\n", std::string("devel_foo: ") + state + "\n"));
    EXPECT_EQ(tree.check(), Diags{});
  }
}

TEST(CheckRules, RetiredFileWithUnfixedNonDevelEntryIsAccepted) {
  // Only the `devel` entry as written counts; the base keeps xenial..eoan `needed`, and the
  // development release under its own name is not the `devel` entry.
  Tree tree;
  tree.add("retired/CVE-2019-1000", retired_cve() + "focal_foo: needed\n");
  EXPECT_EQ(tree.check(), Diags{});
}

TEST(CheckRules, ActiveFileWithUnfixedDevelEntryIsAccepted) {
  EXPECT_EQ(check_active(replaced(base_cve(), "devel_foo: needed\n", "devel_foo: pending (1.2-3)\n")), Diags{});
}

// --- rule 6f --------------------------------------------------------------------------------

TEST(CheckRules, ReleasedEsmStateIsAnError) {
  std::string text = replaced(base_cve(), "xenial_foo: needed\n", "xenial_foo: released-esm (1.2-3+esm1)\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "xenial_foo:"), "xenial_foo has invalid state 'released-esm'")});
}

TEST(CheckRules, ReleasedStateWithEsmVersionIsAccepted) {
  std::string text = replaced(base_cve(), "trusty/esm_foo: needed\n", "trusty/esm_foo: released (1.2-3+esm1)\n");
  EXPECT_EQ(check_active(text), Diags{});
}

// --- rule 6l --------------------------------------------------------------------------------

TEST(CheckRules, DeferredInDetailsOfAnotherStateIsAnError) {
  std::string text = replaced(base_cve(), "eoan_foo: needed\n", "eoan_foo: needed (deferred until 2020)\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "eoan_foo:"),
                           "eoan_foo uses 'deferred' with state 'needed'. Use: 'deferred [(YYYY-MM-DD)]'")});
}

TEST(CheckRules, DeferredStateIsAccepted) {
  std::string text = replaced(base_cve(), "eoan_foo: needed\n", "eoan_foo: deferred (2019-12-01)\n");
  text = replaced(text, "bionic_foo: needed\n", "bionic_foo: deferred\n");
  // DNE entries stop before this rule.
  text = replaced(text, "disco_foo: needed\n", "disco_foo: DNE (deferred)\n");
  EXPECT_EQ(check_active(text), Diags{});
}

// --- rule 8 ---------------------------------------------------------------------------------

std::string with_priorities(const std::string& lines) {
  return replaced(base_cve(), "Priority: medium\n", "Priority: medium\n" + lines);
}

TEST(CheckRules, PerPackagePriorityWithoutThePackageIsAnError) {
  std::string text = with_priorities("Priority_bar: high\nPriority_baz_xenial: low\n");
  EXPECT_EQ(check_active(text),
            (Diags{
                error_at(k_path, line_of(text, "Priority_bar:"),
                         "per package priority 'Priority_bar' does not match any package in the CVE"),
                error_at(k_path, line_of(text, "Priority_baz_xenial:"),
                         "per package priority 'Priority_baz_xenial' does not match any package in the CVE"),
            }));
}

TEST(CheckRules, PerPackageReleasePriorityWithBadReleaseIsAnError) {
  std::string text = with_priorities("Priority_foo_bogus: low\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "Priority_foo_bogus:"),
                           "invalid release in per package/release priority pair 'Priority_foo_bogus'")});
}

TEST(CheckRules, PerPackageReleasePriorityForAPseudoReleaseIsAnError) {
  std::string text = with_priorities("Priority_foo_upstream: low\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "Priority_foo_upstream:"),
                           "invalid release in per package/release priority pair 'Priority_foo_upstream'")});
}

TEST(CheckRules, PerPackageReleasePriorityWithoutThatReleaseLineIsAnError) {
  std::string text = with_priorities("Priority_foo_hardy: low\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "Priority_foo_hardy:"),
                           "per package/release priority 'Priority_foo_hardy' does not match a hardy_foo line")});
}

TEST(CheckRules, PerPackagePrioritiesMatchingTheFileAreAccepted) {
  std::string text = with_priorities("Priority_foo: high\n"
                                     "Priority_foo_xenial: low\n"
                                     "Priority_foo_trusty/esm: negligible\n"
                                     "Priority_foo_trusty: negligible\n"
                                     "Priority_foo_devel: critical\n");
  EXPECT_EQ(check_active(text), Diags{});
}

// --- rule 9 ---------------------------------------------------------------------------------

std::string rejected_cve(const std::string& id = k_id) {
  return replaced(base_cve(id), " A buffer overflow in foo allows remote attackers to run code.\n",
                  "   ** REJECT **  DO NOT USE THIS CANDIDATE NUMBER. ConsultIDs: CVE-2019-0999.\n");
}

TEST(CheckRules, ActiveRejectedDescriptionIsAnError) {
  std::string text = rejected_cve();
  EXPECT_EQ(
      check_active(text),
      Diags{error_at(k_path, line_of(text, "Description:"),
                     "CVE-2019-1000: Rejected by MITRE (possibly a duplicate or not a security issue); retire it")});
  // The same with the text on the header line.
  std::string inline_text = replaced(base_cve(), "\nDescription:\n", "\nDescription: ** REJECT ** duplicate\n");
  EXPECT_EQ(
      check_active(inline_text),
      Diags{error_at(k_path, line_of(inline_text, "Description:"),
                     "CVE-2019-1000: Rejected by MITRE (possibly a duplicate or not a security issue); retire it")});
}

TEST(CheckRules, RejectedDescriptionAfterACommentLineIsAnError) {
  std::string text = replaced(rejected_cve(), "\nDescription:\n", "\nDescription:\n# text from MITRE:\n");
  EXPECT_EQ(
      check_active(text),
      Diags{error_at(k_path, line_of(text, "Description:"),
                     "CVE-2019-1000: Rejected by MITRE (possibly a duplicate or not a security issue); retire it")});
}

TEST(CheckRules, RejectedDescriptionOutsideActiveIsAccepted) {
  Tree tree;
  tree.add("retired/CVE-2019-1000", replaced(rejected_cve(), "devel_foo: needed\n", "devel_foo: not-affected\n"));
  tree.add("ignored/CVE-2019-1001", rejected_cve("CVE-2019-1001"));
  EXPECT_EQ(tree.check(), Diags{});
}

TEST(CheckRules, DescriptionMentioningRejectLaterIsAccepted) {
  std::string text = replaced(base_cve(), " A buffer overflow in foo allows remote attackers to run code.\n",
                              " An earlier candidate was marked ** REJECT ** by MITRE.\n");
  EXPECT_EQ(check_active(text), Diags{});
}

// --- rule 10 --------------------------------------------------------------------------------

TEST(CheckRules, MissingMitreReferenceIsAnError) {
  // A reference for another id does not count.
  std::string text = replaced(base_cve(), "name=CVE-2019-1000\n", "name=CVE-2019-1001\n");
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, line_of(text, "References:"),
                                               "References does not contain reference to "
                                               "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-1000")});
}

TEST(CheckRules, MissingReferencesFieldIsAnErrorOnLineOne) {
  std::string text = replaced(base_cve(),
                              "References:\n"
                              " https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-1000\n"
                              " https://example.com/advisory\n",
                              "");
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, 1,
                                               "References does not contain reference to "
                                               "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-1000")});
}

TEST(CheckRules, CommentedOutMitreReferenceDoesNotCount) {
  std::string text = replaced(base_cve(), " https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-1000\n",
                              "# https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-1000\n");
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, line_of(text, "References:"),
                                               "References does not contain reference to "
                                               "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-1000")});
}

TEST(CheckRules, MitreReferenceOnTheHeaderLineIsAccepted) {
  std::string text =
      replaced(base_cve(), "References:\n https://cve", "References: https://example.com/first\n https://cve");
  EXPECT_EQ(check_active(text), Diags{});
}

TEST(CheckRules, NonNumericIdNeedsNoMitreReference) {
  Tree tree;
  std::string text =
      replaced(base_cve("CVE-2019-NNN1"), " https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-NNN1\n", "");
  tree.add("active/CVE-2019-NNN1", text);
  EXPECT_EQ(tree.check(), Diags{});
}

// --- rule 12 --------------------------------------------------------------------------------

TEST(CheckRules, NeitherPublicDateNorCrdIsAWarning) {
  std::string text = replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate:\nCRD:\n");
  EXPECT_EQ(check_active(text),
            Diags{warning_at(k_path, line_of(text, "PublicDate:"),
                             "must specify at least one of PublicDate or CRD (CRD: YYYY-MM-DD HH:MM:SS UTC)")});
}

TEST(CheckRules, EitherPublicDateOrCrdIsEnough) {
  EXPECT_EQ(
      check_active(replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate:\nCRD: 2019-06-01 10:00:00 UTC\n")),
      Diags{});
  EXPECT_EQ(check_active(replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate: 2019-06-01\nCRD:\n")), Diags{});
}

// --- rule 13 --------------------------------------------------------------------------------

std::string not_a_date(std::string_view field, std::string_view value) {
  return std::string(field) + ": '" + std::string(value) +
         "' is not a date (expected YYYY-MM-DD [HH:MM:SS [TZ]], empty or unknown)";
}

TEST(CheckRules, BadPublicDateIsAnError) {
  std::string text = replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate: June 1st, 2019\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "PublicDate:"), not_a_date("PublicDate", "June 1st, 2019"))});
}

TEST(CheckRules, BadPublicDateAtUsnIsAnError) {
  // With a CRD present the CRD is the effective PublicDate, so PublicDateAtUSN is checked once.
  std::string text = replaced(base_cve(), "PublicDate: 2019-06-01\n",
                              "PublicDate: 2019-06-01\nPublicDateAtUSN: 2019-6-1\nCRD: 2019-05-01\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "PublicDateAtUSN:"), not_a_date("PublicDateAtUSN", "2019-6-1"))});
}

TEST(CheckRules, BadCrdIsReportedOnce) {
  // `CRD: <TBD>` is what `active_edit -e` writes. The CRD is also the effective PublicDate; the
  // field is still reported once.
  std::string text = replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate: 2019-06-01\nCRD: <TBD>\n");
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, line_of(text, "CRD:"), not_a_date("CRD", "<TBD>"))});
}

TEST(CheckRules, BadPublicDateAtUsnWithoutCrdIsReportedOnce) {
  std::string text =
      replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate: 2019-06-01\nPublicDateAtUSN: 2019-06-01T10:00\n");
  EXPECT_EQ(check_active(text), Diags{error_at(k_path, line_of(text, "PublicDateAtUSN:"),
                                               not_a_date("PublicDateAtUSN", "2019-06-01T10:00"))});
}

TEST(CheckRules, OverriddenPublicDateIsNotChecked) {
  for (const char* override_line :
       {"PublicDateAtUSN: 2019-06-02\n", "PublicDateAtUSN:\n", "CRD: 2019-06-02 10:00:00 UTC\n"}) {
    SCOPED_TRACE(override_line);
    std::string text =
        replaced(base_cve(), "PublicDate: 2019-06-01\n", std::string("PublicDate: June 2019\n") + override_line);
    EXPECT_EQ(check_active(text), Diags{});
  }
  // An empty CRD does not override.
  std::string text = replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate: June 2019\nCRD:\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "PublicDate:"), not_a_date("PublicDate", "June 2019"))});
}

TEST(CheckRules, ValidDateFormsAreAccepted) {
  for (const char* field : {"PublicDate", "PublicDateAtUSN", "CRD"}) {
    for (const char* value : {"2019-06-01", "2019-06-01 12:34:56", "2019-06-01 12:34:56 UTC", "2019-06-01 12:34:56 PDT",
                              "2019-06-01 12:34:56 +0000", "2019-06-01 12:34:56 -0500", "unknown"}) {
      SCOPED_TRACE(std::string(field) + ": " + value);
      std::string line = std::string(field) + ": " + value + "\n";
      std::string text = std::string(field) == "PublicDate"
                             ? replaced(base_cve(), "PublicDate: 2019-06-01\n", line)
                             : replaced(base_cve(), "PublicDate: 2019-06-01\n", "PublicDate: 2019-06-01\n" + line);
      EXPECT_EQ(check_active(text), Diags{});
    }
  }
}

// --- rule 14 --------------------------------------------------------------------------------

TEST(CheckRules, PatchReferenceWithoutTypeIsAnError) {
  std::string text = replaced(base_cve(), " upstream: https://example.com/foo/commit/1234\n",
                              " upstream: https://example.com/foo/commit/1234\n"
                              " https://example.com/foo/commit/5678\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, " https://example.com/foo/commit/5678"),
                           "patch reference 'https://example.com/foo/commit/5678' doesn't contain a type modifier")});
}

TEST(CheckRules, PatchesHeaderValueIsCheckedToo) {
  std::string text = replaced(base_cve(), "Patches_foo:\n", "Patches_foo: http://example.com/fix\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, "Patches_foo:"),
                           "patch reference 'http://example.com/fix' doesn't contain a type modifier")});
}

TEST(CheckRules, PatchTypeContainingPatchIsAnError) {
  std::string text = replaced(base_cve(), " upstream: https://example.com/foo/commit/1234\n",
                              " upstream-patch: https://example.com/foo/commit/1234\n");
  EXPECT_EQ(check_active(text),
            Diags{error_at(k_path, line_of(text, " upstream-patch:"),
                           "invalid type modifier 'upstream-patch' (use upstream:, vendor:, debdiff:, other:)")});
}

TEST(CheckRules, PatchTypeContainingHttpAndPatchIsReportedTwice) {
  std::string text =
      replaced(base_cve(), " upstream: https://example.com/foo/commit/1234\n", " http//example.com/fix.patch\n");
  int64_t line = line_of(text, " http//");
  EXPECT_EQ(
      check_active(text),
      (Diags{
          error_at(k_path, line, "patch reference 'http//example.com/fix.patch' doesn't contain a type modifier"),
          error_at(k_path, line,
                   "invalid type modifier 'http//example.com/fix.patch' (use upstream:, vendor:, debdiff:, other:)"),
      }));
}

TEST(CheckRules, TypedPatchReferencesAreAccepted) {
  std::string text = replaced(base_cve(), "Patches_foo:\n", "Patches_foo: DNE\n");
  text = replaced(text, " upstream: https://example.com/foo/commit/1234\n",
                  " upstream: https://example.com/foo/commit/1234\n"
                  " vendor: https://example.com/vendor/foo.patch\n"
                  " debdiff: https://launchpad.net/foo.debdiff\n"
                  " other: http://example.com/some/patch\n"
                  " break-fix: - 0123456789abcdef0123456789abcdef01234567\n");
  EXPECT_EQ(check_active(text), Diags{});
}

// --- the roundtrip option -------------------------------------------------------------------

TEST(CheckRules, RoundtripOptionReportsNothingForFilesThatRoundTrip) {
  Tree tree;
  tree.add("active/CVE-2019-1000", base_cve());
  // Comments, blank and whitespace-only lines, trailing spaces, CRLF, and no final newline.
  std::string odd = "# comment\n" + replaced(base_cve("CVE-2019-1001"), "Bugs:\n", "Bugs:   \n   \n\n");
  tree.add("active/CVE-2019-1001", odd);
  std::string crlf;
  for (char c : base_cve("CVE-2019-1002")) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  tree.add("active/CVE-2019-1002", crlf);
  std::string unterminated = base_cve("CVE-2019-1003");
  unterminated.pop_back();
  const std::string unterminated_path = "active/CVE-2019-1003";
  tree.add(unterminated_path, unterminated);
  tree.add("active/00boilerplate", "Candidate:\nPublicDate:\n#upstream_PKG:\n");
  tree.add("ignored/not-for-us.txt", "CVE-2018-0001\n");
  tree.add("retired/CVE-2019-0999", retired_cve("CVE-2019-0999"));

  Diags without = tree.check();
  CheckOptions options;
  options.roundtrip = true;
  EXPECT_EQ(tree.check(options), without);
  // Only the parser's warning about the missing newline, with or without the option.
  Diag missing_newline{unterminated_path, line_of(unterminated, "devel_foo:"), 18, Severity::warning,
                       "file does not end with a newline (truncated?)"};
  EXPECT_EQ(without, Diags{missing_newline});
}

// --- is_valid_tracker_date ------------------------------------------------------------------

struct DateCase {
  const char* value;
  bool valid;
};

constexpr DateCase k_date_cases[] = {
    {"", true},
    {"unknown", true},
    {"2019-12-29", true},
    {"2000-01-01", true},
    {"2099-19-39", true}, // the pattern checks digit ranges, not calendars
    {"2019-12-29 00:00:00", true},
    {"2019-12-29 23:59:59", true},
    {"2019-12-29 12:34:56 UTC", true},
    {"2019-12-29 12:34:56 CEST", true},
    {"2019-12-29 12:34:56 Z", true},
    {"2019-12-29 12:34:56 +0000", true},
    {"2019-12-29 12:34:56 -0500", true},
    {"2019-12-29 12:34:56 +10", true},
    {"Unknown", false},
    {"<TBD>", false},
    {"TBD", false},
    {"1999-12-29", false},
    {"2119-12-29", false},
    {"19-12-29", false},
    {"2019-1-29", false},
    {"2019-12-9", false},
    {"2019-22-29", false},
    {"2019-12-40", false},
    {"2019/12/29", false},
    {"2019-12-29T12:34:56", false},
    {"2019-12-29x", false},
    {" 2019-12-29", false},
    {"2019-12-29 ", false},
    {"2019-12-29 12:34", false},
    {"2019-12-29 1:34:56", false},
    {"2019-12-29 12:34:5", false},
    {"2019-12-29 30:00:00", false},
    {"2019-12-29 12-34-56", false},
    {"2019-12-29 12:34:56 utc", false},
    {"2019-12-29 12:34:56 Utc", false},
    {"2019-12-29 12:34:56  UTC", false},
    {"2019-12-29 12:34:56 UTC ", false},
    {"2019-12-29 12:34:56 UTC+1", false},
    {"2019-12-29 12:34:56 +", false},
    {"2019-12-29 12:34:56 -", false},
    {"2019-12-29 12:34:56 +00:00", false},
    {"2019-12-29 12:34:56 +0x10", false},
    {"2019-12-29 12:34:56 ", false},
    {"June 2019", false},
};

TEST(TrackerDates, ValidatesTheCheckSyntaxDateForms) {
  for (const DateCase& c : k_date_cases) {
    EXPECT_EQ(is_valid_tracker_date(c.value), c.valid) << "'" << c.value << "'";
  }
}

TEST(TrackerDates, NumericOffsetNeedsAtLeastTwoDigits) {
  EXPECT_FALSE(is_valid_tracker_date("2019-12-29 12:34:56 +5"));
  EXPECT_FALSE(is_valid_tracker_date("2019-12-29 12:34:56 -0"));
  EXPECT_TRUE(is_valid_tracker_date("2019-12-29 12:34:56 +05"));
}

} // namespace
} // namespace kct::tracker
