#include "kgit/references.h"

#include <gtest/gtest.h>

namespace kct::kgit {
namespace {

const std::string k_sha = "69ae4f6aac1578575126319d3f55550e7e440449";
const std::string k_other = "e4f59aca0b6317cfd567f5050938fb95992109dd";

std::vector<std::pair<std::string, ReferenceRule>> refs(const std::string& message) {
  std::vector<std::pair<std::string, ReferenceRule>> out;
  for (const Reference& r : read_message(message).references) {
    out.emplace_back(r.id, r.rule);
  }
  return out;
}

using Refs = std::vector<std::pair<std::string, ReferenceRule>>;

TEST(References, StableBackportHeader) {
  EXPECT_EQ(refs("net: fix it\n\ncommit " + k_sha + " upstream.\n\nbody\n"),
            (Refs{{k_sha, ReferenceRule::stable_header}}));
}

TEST(References, UpstreamBracket) {
  EXPECT_EQ(refs("subject\n\n[ Upstream commit " + k_sha + " ]\n"), (Refs{{k_sha, ReferenceRule::upstream_bracket}}));
}

TEST(References, CherryPickAndBackportForms) {
  EXPECT_EQ(refs("s\n\n(cherry picked from commit " + k_sha + ")\n"), (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(cherry-picked from commit " + k_sha + ")\n"), (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(backported from commit " + k_sha + ")\n"), (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(back-ported from commit " + k_sha + ")\n"), (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(backport from commit " + k_sha + ")\n"), (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(backported from linux-next commit " + k_sha + ")\n"),
            (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(cherry picked from commit " + k_sha + " linux-next)\n"),
            (Refs{{k_sha, ReferenceRule::cherry_pick}}));
  EXPECT_EQ(refs("s\n\n(Cherry Picked From Commit " + k_sha + ")\n"), (Refs{{k_sha, ReferenceRule::cherry_pick}}));
}

TEST(References, UppercaseShaIsCapturedAsWrittenSoItNeverMatches) {
  std::string upper = "69AE4F6AAC1578575126319D3F55550E7E440449";
  EXPECT_EQ(refs("s\n\n(cherry picked from commit " + upper + ")\n"), (Refs{{upper, ReferenceRule::cherry_pick}}));
  // The case-sensitive rules do not see it at all.
  EXPECT_TRUE(refs("s\n\ncommit " + upper + " upstream.\n").empty());
}

TEST(References, UpstreamCommitForms) {
  EXPECT_EQ(refs("s\n\nupstream commit: " + k_sha + "\n"), (Refs{{k_sha, ReferenceRule::upstream_commit}}));
  EXPECT_EQ(refs("s\n\nupstream-commit " + k_sha + "\n"), (Refs{{k_sha, ReferenceRule::upstream_commit}}));
  EXPECT_EQ(refs("s\n\ncommit upstream " + k_sha + "\n"), (Refs{{k_sha, ReferenceRule::upstream_commit}}));
  // The prose false positive of the kernel team's engine (correction 4) is reproduced.
  EXPECT_EQ(refs("s\n\nthe fix from upstream commit " + k_sha + " is not included here\n"),
            (Refs{{k_sha, ReferenceRule::upstream_commit}}));
}

TEST(References, ShaMustBeExactlyFortyHexFollowedByABoundary) {
  EXPECT_TRUE(refs("s\n\n(cherry picked from commit " + k_sha.substr(0, 12) + ")\n").empty());
  EXPECT_TRUE(refs("s\n\n(cherry picked from commit " + k_sha + "0)\n").empty());
  EXPECT_TRUE(refs("s\n\n(cherry picked from commit " + k_sha + "x)\n").empty());
  EXPECT_TRUE(refs("s\n\nFixes: " + k_sha + " (\"foo\")\n").empty());
  EXPECT_TRUE(refs("s\n\n(cherry picked from https://git.kernel.org/commit/?id=" + k_sha + ")\n").empty());
}

TEST(References, OnlyTheFirstRulePerLineCounts) {
  // A line matching both the stable header and the prose rule counts once, as the header.
  EXPECT_EQ(refs("s\n\ncommit " + k_sha + " upstream commit: " + k_other + "\n"),
            (Refs{{k_sha, ReferenceRule::stable_header}}));
}

TEST(References, GerritChangeIdAndBugLink) {
  EXPECT_EQ(refs("s\n\nChange-Id: I0123abcd\nBugLink: https://bugs.launchpad.net/bugs/123456\n"),
            (Refs{{"I0123abcd", ReferenceRule::change_id}, {"bug#123456", ReferenceRule::bug_link}}));
}

TEST(References, RevertStopsReadingTheMessage) {
  MessageFacts f = read_message("Revert \"fix\"\n\nBugLink: https://bugs.launchpad.net/bugs/1\n\nThis reverts commit " +
                                k_sha + ".\n\n(cherry picked from commit " + k_other + ")\n");
  ASSERT_TRUE(f.reverts.has_value());
  EXPECT_EQ(*f.reverts, k_sha);
  EXPECT_EQ(f.subject, "Revert \"fix\"");
  ASSERT_EQ(f.references.size(), 1u); // the BugLink before the revert line only
  EXPECT_EQ(f.references[0].id, "bug#1");
}

TEST(References, SubjectIsTheFirstLineAndEvidenceIsTheWholeLine) {
  MessageFacts f = read_message("UBUNTU: SAUCE: fix foo\n\n    (cherry picked from commit " + k_sha + ")\n");
  EXPECT_EQ(f.subject, "UBUNTU: SAUCE: fix foo");
  ASSERT_EQ(f.references.size(), 1u);
  EXPECT_EQ(f.references[0].line, "    (cherry picked from commit " + k_sha + ")");
}

} // namespace
} // namespace kct::kgit
