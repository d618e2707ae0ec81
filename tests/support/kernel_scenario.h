#pragma once
// A small, fully determined world of kernel git trees for scanner tests.
//
// build_kernel_scenario(dir) makes four non-bare work trees under dir/work/ and, from them, four
// bare clones under dir/repos/, named as the kernel team's scan configuration names them (§1.4):
//
//   upstream linux      linux-linus.git            master            scan,tags-git:v*
//   upstream linux-4.9  stable-queue-branches.git  stable-queue-4.9  scan,tags-git:v4.9.*
//   bionic   linux      bionic-linux.git           master-next       scan,tags-lp
//   bionic   linux-aws  bionic-linux-aws.git       master-next       scan,tags-lp
//
// Every tree is grown from the upstream objects (fetch, never re-created), so a sha means the
// same commit in every repository, as the engine assumes (§1.9.2). One fake clock drives all
// trees: every commit is one hour after the previous one, starting 2019-01-01 00:00 UTC, so
// upstream tags are in commit-date order and everything in the stable, Ubuntu and aws trees is
// newer than all of upstream. The shas are the same on every run and machine.
//
// Files: a top-level Makefile (VERSION / PATCHLEVEL / SUBLEVEL / EXTRAVERSION lines, 4.8.0 at
// the root), and one file per fix so every cherry-pick applies cleanly: drivers/net/foo.c
// (B, F1), net/qux.c (F2), fs/baz.c (F3), sound/bar.c (X), drivers/usb/gadget.c (F4).
//
// UPSTREAM, linux-linus.git, branch master (field `upstream`, in commit order)
//   root        "Initial kernel import"                          Makefile 4.8.0
//   b           "net: foo: add a fast path for small packets"    the break B of every CVE below
//   v4_9_rc1    "Linux 4.9-rc1"                                  tag v4.9-rc1 (annotated)
//   v4_9        "Linux 4.9"                                      tag v4.9 (annotated)
//   f1          "net: foo: fix use-after-free in the fast path"  fix F1 (has a `Fixes: <b[:12]>` line)
//   x           "sound: bar: fix out-of-bounds read in the mixer"  fix X, never backported anywhere
//   f3          "fs: baz: check the name length"                 fix F3, reverted below
//   f4          "usb: gadget: fix double free on disconnect"     fix F4, the one stable reverts
//   v4_10_rc1   "Linux 4.10-rc1"                                 tag v4.10-rc1 (annotated)
//   f2          "net: qux: validate the header length"           fix F2, made on branch net-fixes
//                                                               (second parent of merge_f2; the
//                                                               branch is deleted afterwards)
//   f3_revert   Revert "fs: baz: check the name length"          "This reverts commit <f3>."
//   merge_f2    "Merge branch 'net-fixes'"                       brings F2 in through a merge
//   v4_10       "Linux 4.10"                                     tag v4.10 (annotated)
//   f3_reapply  Revert "Revert "fs: baz: …""                     "This reverts commit <f3_revert>.":
//                                                               re-adds F3; the tip, past v4.10
//
// STABLE, stable-queue-branches.git, branch stable-queue-4.9 from v4.9 (field `stable`)
//   f1          F1's subject, body starts `commit <upstream.f1> upstream.`
//   f2          F2's subject, body starts `[ Upstream commit <upstream.f2> ]`
//   f4          F4's subject, body starts `commit <upstream.f4> upstream.`
//   v4_9_1      "Linux 4.9.1" (SUBLEVEL = 1)                     tag v4.9.1 (annotated)
//   f4_revert   Revert of stable.f4, naming the STABLE sha, wrapped as Greg writes it:
//                 "This reverts commit <stable.f4> which is\ncommit <upstream.f4> upstream."
//   v4_9_2      "Linux 4.9.2" (SUBLEVEL = 2), the branch tip     tag v4.9.2 (LIGHTWEIGHT)
//   The clone also holds the tags v4.9-rc1 and v4.9, no other upstream tag.
//
// UBUNTU, bionic-linux.git, branch master-next from v4.9 (field `bionic`). debian/debian.env is
// `DEBIAN=debian.master`; debian.master/changelog gains one entry per tag commit (Debian
// changelog format, newest first, package `linux`, distribution bionic, trailer dates from the
// clock). Tags are annotated, their message the version's tag name without `-misnamed`.
//   v1_1        "UBUNTU: Ubuntu-4.9.0-1.1"                       tag Ubuntu-4.9.0-1.1
//   f1          cherry-pick of F1: `BugLink: https://bugs.launchpad.net/bugs/123456`,
//               `(cherry picked from commit <upstream.f1>)`
//   f2_upper    "net: qux: add the header length helper": `(backported from commit <F2 in
//               UPPERCASE>)`, which the engine never matches
//   v2_2        "UBUNTU: Ubuntu-4.9.0-2.2"                       tag Ubuntu-4.9.0-2.2
//   f2          backport of F2: `(backported from commit <upstream.f2>)`
//   f3_case     cherry-pick of F3: `(Cherry Picked From Commit <upstream.f3>)`
//   stable_f4   import of stable.f4 as a new commit (keeps `commit <upstream.f4> upstream.`)
//   sauce       "UBUNTU: SAUCE: fix foo", no provenance at all (no BugLink either): for an
//               overlay line such as `:title('UBUNTU: SAUCE: fix foo', ['local-foo-fix'])`
//   prose       "sound: bar: add a quirk for the Foo codec" with the line
//               "the fix from upstream commit <upstream.x> is not included here."
//   v3_3        "UBUNTU: Ubuntu-4.9.0-3.3"                       tag Ubuntu-4.9.0-3.3
//   f1_revert   Revert of bionic.f1: "This reverts commit <bionic.f1>."
//   stable_f4_revert  import of stable.f4_revert: names stable.f4, which this tree lacks (the
//               "stable revert lost in distribution trees" case)
//   v4_4        "UBUNTU: Ubuntu-4.9.0-4.4"                       tag Ubuntu-4.9.0-4.4
//   v5_5        "UBUNTU: Ubuntu-4.9.0-5.5"                       tag Ubuntu-4.9.0-5.5-misnamed: the
//               name disagrees with the changelog, which says 4.9.0-5.5
//   f1_readd    re-add of F1: `(backported from commit <upstream.f1>)`, BugLink 123461; the
//               branch tip, past the last tag, so `pending` applies (v5_5 is its ancestor)
//   The clone also holds the tags v4.9-rc1 and v4.9.
//
// AWS, bionic-linux-aws.git, branch master-next from Ubuntu-4.9.0-2.2 (field `aws`).
// debian/debian.env becomes `DEBIAN=debian.aws` (debian.master/changelog stays, saying linux
// 4.9.0-2.2, so a reader that ignores debian.env gets the wrong package).
//   v1001_1     "UBUNTU: Ubuntu-aws-4.9.0-1001.1"                tag Ubuntu-aws-4.9.0-1001.1
//   f2          cherry-pick of F2: `(cherry picked from commit <upstream.f2>)`
//   v1002_2     "UBUNTU: Ubuntu-aws-4.9.0-1002.2", the tip       tag Ubuntu-aws-4.9.0-1002.2
//   The clone also holds v4.9-rc1, v4.9, Ubuntu-4.9.0-1.1 and Ubuntu-4.9.0-2.2 (package linux).
//
// WHAT THE ENGINE SEES (cves-applied2 semantics, §1.9.3-1.9.5; "truly" where that is wrong):
//   upstream linux      4.9~rc1 4.9 4.10~rc1 4.10 pending
//     b all; f1, x, f4 from 4.10~rc1; f2 from 4.10 (via the merge); f3 only in 4.10~rc1
//     (a revert of a revert records a removal, so f3 stays absent at pending; truly re-added)
//   upstream linux-4.9  4.9.1 4.9.2 pending(= v4.9.2)
//     b all; f1, f2 all; f4 only 4.9.1 (the revert of stable.f4 removes what it carried); x, f3 never
//   bionic linux        4.9.0-1.1 2.2 3.3 4.4 5.5 pending
//     b all; f1 in 2.2, 3.3, pending (reverted in 4.4, re-added at the tip); f2 from 3.3 (2.2
//     only has the uppercase sha: a case-folding matcher would say 2.2); f3 from 3.3;
//     f4 from 3.3 (truly reverted from 4.4: the imported revert names stable.f4);
//     x from 3.3 (prose false positive; truly never); bug#123456 in 2.2 and 3.3 only (the
//     revert of bionic.f1 also removes what it carried); bug#123461 at pending only
//   bionic linux-aws    4.9.0-1001.1 1002.2 pending(= 1002.2)
//     b, f1 all; f2 from 1002.2 (1001.1 has only the uppercase sha); f3, f4, x never
#include "support/git_fixture.h"

#include <string>
#include <utility>
#include <vector>

namespace kct::testing {

struct TagVersion {
  std::string tag;
  std::string version;
};

// One scan target, as a line of the kernel team's scan configuration (§1.4.1) would give it.
struct ScenarioTarget {
  std::string key;       // `upstream`, `bionic`
  std::string source;    // `linux`, `linux-4.9`, `linux-aws`
  std::string repo_dir;  // directory name under repos/, e.g. `bionic-linux.git`
  std::string repo_path; // absolute path of that bare clone
  std::string branch;    // branch whose tip is the `pending` version
  std::string flags;     // `scan,tags-git:v*`, `scan,tags-lp`
  // (tag, version) as the engine orders them: tags-git targets in commit-date order with
  // versions spelled `4.9~rc1`; tags-lp targets in the order of `published`, as
  // `cves-git-tags-versions tags` prints them.
  std::vector<TagVersion> tags;
  // tags-lp only: the ascending LP version list for state/lp/<lp_tags_file()>; empty otherwise.
  std::vector<std::string> published;

  // `<key with / as @>_<source>_tags`.
  std::string lp_tags_file() const;
  // `published`, one version per line, as that file holds it.
  std::string lp_tags_text() const;
  // `<key> <source> <repo_dir> <branch> <flags> - -`.
  std::string config_line() const;
};

struct UpstreamCommits {
  std::string root, b, v4_9_rc1, v4_9, f1, x, f3, f4, v4_10_rc1, f2, f3_revert, merge_f2, v4_10, f3_reapply;
};

struct StableCommits {
  std::string f1, f2, f4, v4_9_1, f4_revert, v4_9_2;
};

struct UbuntuCommits {
  std::string v1_1, f1, f2_upper, v2_2, f2, f3_case, stable_f4, sauce, prose, v3_3, f1_revert, stable_f4_revert, v4_4,
      v5_5, f1_readd;
};

struct AwsCommits {
  std::string v1001_1, f2, v1002_2;
};

struct KernelScenario {
  std::string dir;       // as given
  std::string repos_dir; // dir/repos: the four bare clones
  std::string work_dir;  // dir/work: the work trees they were cloned from

  ScenarioTarget upstream_target; // linux-linus.git
  ScenarioTarget stable_target;   // stable-queue-branches.git
  ScenarioTarget bionic_target;   // bionic-linux.git
  ScenarioTarget aws_target;      // bionic-linux-aws.git

  UpstreamCommits upstream;
  StableCommits stable;
  UbuntuCommits bionic;
  AwsCommits aws;

  std::string sauce_subject; // "UBUNTU: SAUCE: fix foo"

  // The four targets in scan-configuration order (upstream first).
  std::vector<const ScenarioTarget*> targets() const;
  // The scan configuration: the four config_line()s, newline-terminated.
  std::string scan_config() const;
  // Every sha above as ("upstream.f1", sha), ("bionic.v5_5", sha) …
  std::vector<std::pair<std::string, std::string>> named_shas() const;
};

// Builds the scenario under dir (which must exist; repos/ and work/ are created in it).
// Throws std::runtime_error with git's message when a git step fails.
KernelScenario build_kernel_scenario(const std::string& dir);

} // namespace kct::testing
