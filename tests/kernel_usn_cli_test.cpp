// `kct usn prepare` end to end through the real binary, over a small world the test builds: a
// tracker, an apt mirror, a SQLite USN store, the kernel table and a glitch table. Dry runs
// (YAML and --json), reserved and given ids, drafts that must not be overwritten, missing
// descriptions, --edit with a scripted $EDITOR, and the bad inputs that must write nothing.
#include "support/apt_mirror.h"
#include "support/kernel_cves.h"
#include "support/test_env.h"
#include "usn/draft.h"
#include "usn/sqlite_store.h"
#include "util/files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kct {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;

class UsnPrepareCliTest : public ::testing::Test {
protected:
  void SetUp() override {
    tmp.write("tracker/active/CVE-2019-0001",
              testing::kernel_cve_file("CVE-2019-0001", "medium", "A medium issue in the wibble driver.",
                                       "xenial_linux: released (4.4.0-170.199)\n"));
    tmp.write("tracker/active/CVE-2019-0002",
              testing::kernel_cve_file("CVE-2019-0002", "low", "A low issue in the wobble driver.",
                                       "xenial_linux: pending (4.4.0-170.199)\n"));
    tmp.write("tracker/active/CVE-2019-0003",
              testing::kernel_cve_file("CVE-2019-0003", "medium", "Fixed by the last notice.",
                                       "xenial_linux: released (4.4.0-168.197)\n"));
    tmp.write("tracker/active/CVE-2019-0004",
              testing::kernel_cve_file("CVE-2019-0004", "medium", "", "xenial_linux-aws: pending (4.4.0-1099.110)\n"));
    tmp.write("tracker/retired/.keep", "");

    testing::AptMirror m;
    // Each kernel builds its modules, and its image unless a signed source builds that.
    auto kernel = [&](const std::string& src, const std::string& version, const std::string& meta,
                      const std::string& meta_version, const std::string& flavour, const std::string& signed_src) {
      std::string abi = version.substr(0, version.find('.', version.find('-')));
      m.add_source("xenial", "-security", src, version);
      m.add_binary("xenial", "-security", "amd64", "linux-modules-" + abi + "-" + flavour, version, src, version);
      std::string image_src = signed_src.empty() ? src : signed_src;
      if (!signed_src.empty()) {
        m.add_source("xenial", "-security", signed_src, version);
      }
      m.add_binary("xenial", "-security", "amd64", "linux-image-" + abi + "-" + flavour, version, image_src, version);
      m.add_source("xenial", "-security", meta, meta_version);
      m.add_binary("xenial", "-security", "amd64", "linux-image-" + flavour, meta_version, meta, meta_version);
    };
    kernel("linux", "4.4.0-170.199", "linux-meta", "4.4.0.170.178", "generic", "linux-signed");
    kernel("linux-aws", "4.4.0-1099.110", "linux-meta-aws", "4.4.0.1099.103", "aws", "");
    m.add_source("xenial", "-proposed", "linux", "4.4.0-171.200"); // not yet in -security
    m.write(tmp.path() + "/mirror");

    db = tmp.path() + "/usn.db";
    usn::SqliteStore store(db);
    store.put_all({testing::kernel_notice("4100-1", "xenial", "linux", "4.4.0-168.197"),
                   testing::kernel_notice("4101-1", "xenial", "linux-aws", "4.4.0-1098.109")},
                  usn::Author{"test", ""});
    glitches = tmp.write("glitches.yaml", "format: 1\nglitches: {}\n");
    drafts = tmp.path() + "/drafts";
  }

  // `kct usn prepare xenial ARGS…` with every input of the world; `env` prefixes (NAME=value)
  // go through env(1), since run_command's own entries would follow the inherited ones.
  CommandResult prepare(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv;
    if (!env.empty()) {
      argv.push_back("env");
      argv.insert(argv.end(), env.begin(), env.end());
    }
    std::string data = testing::source_dir() + "/data";
    argv.insert(argv.end(), {testing::kct_binary(), "--tracker", tmp.path() + "/tracker", "--catalog",
                             data + "/catalog.yaml", "usn", "prepare", "--author", "tester", "--kernel-table",
                             data + "/kernel-usn.yaml", "--glitches", glitches, "--draft-dir", drafts});
    if (std::find(args.begin(), args.end(), "--usn-db") == args.end()) {
      argv.insert(argv.end(), {"--usn-db", db});
    }
    if (std::find(args.begin(), args.end(), "--mirror") == args.end()) {
      argv.insert(argv.end(), {"--mirror", tmp.path() + "/mirror"});
    }
    argv.push_back("xenial");
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_command(argv);
  }

  std::vector<std::string> draft_files() const {
    std::vector<std::string> out;
    if (fs::is_directory(drafts)) {
      for (const fs::directory_entry& e : fs::directory_iterator(drafts)) {
        out.push_back(e.path().filename().string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  usn::Notice read_draft(const std::string& id) const {
    std::string path = usn::draft_path(drafts, id);
    return usn::parse_draft(util::read_file_or_throw(path, "draft"), path);
  }

  std::string script(const std::string& name, const std::string& body) const {
    std::string path = tmp.write(name, "#!/bin/sh\n" + body + "\n");
    fs::permissions(path, fs::perms::owner_all);
    return path;
  }

  testing::ScopedTempDir tmp;
  std::string db, glitches, drafts;
};

const std::vector<std::string> k_linux = {"linux", "4.4.0-170.199"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(UsnPrepareCliTest, DryRunPrintsTheDraftAndWritesNothing) {
  CommandResult r = prepare(with(k_linux, {"--dry-run"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The window after USN-4100-1: 0003 was that notice's own fix.
  EXPECT_NE(r.out.find("\ntitle: Linux kernel vulnerabilities\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ncves:\n  - CVE-2019-0001\n  - CVE-2019-0002\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("CVE-2019-0003"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("xenial/linux 4.4.0-170.199: after 4.4.0-168.197 (USN-4100-1); 2 CVEs; linux-meta "
                       "4.4.0.170.178; linux-signed 4.4.0-170.199; new ABI\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("warning:"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("USN="), std::string::npos);
  EXPECT_TRUE(draft_files().empty());
  EXPECT_EQ(usn::SqliteStore(db).next_free_id(), "4102-1"); // nothing reserved
}

TEST_F(UsnPrepareCliTest, JsonPrintsTheNoticeAndThePerKernelFindings) {
  CommandResult r = prepare(with(k_linux, {"--dry-run", "--usn", "4300-1", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["notice"]["id"], "4300-1");
  EXPECT_EQ(j["notice"]["title"], "Linux kernel vulnerabilities");
  EXPECT_EQ(j["notice"]["cves"], nlohmann::json({"CVE-2019-0001", "CVE-2019-0002"}));
  const nlohmann::json& xenial = j["notice"]["releases"]["xenial"];
  EXPECT_EQ(xenial["sources"]["linux"]["version"], "4.4.0-170.199");
  EXPECT_FALSE(xenial["sources"].contains("linux-signed"));
  EXPECT_EQ(xenial["allbinaries"]["linux-image-4.4.0-170-generic"]["source"], "linux-signed");
  EXPECT_EQ(xenial["binaries"]["linux-image-generic"]["version"], "4.4.0.170.178");
  ASSERT_EQ(j["kernels"].size(), 1u);
  const nlohmann::json& k = j["kernels"][0];
  EXPECT_EQ(k["release"], "xenial");
  EXPECT_EQ(k["source"], "linux");
  EXPECT_EQ(k["previous"], "4.4.0-168.197");
  EXPECT_EQ(k["previous_from"], "USN-4100-1");
  EXPECT_EQ(k["meta_version"], "4.4.0.170.178");
  EXPECT_EQ(k["signed"], "linux-signed");
  EXPECT_EQ(k["abi_changed"], true); // ABI 168 → 170
  ASSERT_EQ(k["cves"].size(), 2u);
  EXPECT_EQ(k["cves"][1],
            nlohmann::json({{"cve", "CVE-2019-0002"}, {"state", "pending"}, {"version", "4.4.0-170.199"}}));
  EXPECT_TRUE(j["missing_descriptions"].empty());
  EXPECT_TRUE(j["errors"].empty());
  EXPECT_TRUE(draft_files().empty());
}

TEST_F(UsnPrepareCliTest, ReserveTakesTheNextFreeIdEachTime) {
  CommandResult r = prepare(with(k_linux, {"--reserve"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "SRCPKG=\"linux\"\nUSN=4102-1\n");
  EXPECT_NE(r.err.find("draft: " + drafts + "/USN-4102-1.yaml"), std::string::npos) << r.err;
  usn::Notice n = read_draft("4102-1");
  EXPECT_EQ(n.id, "4102-1");
  EXPECT_EQ(*n.cves, (std::vector<std::string>{"CVE-2019-0001", "CVE-2019-0002"}));

  r = prepare(with(k_linux, {"--reserve"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "SRCPKG=\"linux\"\nUSN=4103-1\n");
  EXPECT_EQ(draft_files(), (std::vector<std::string>{"USN-4102-1.yaml", "USN-4103-1.yaml"}));
  EXPECT_EQ(read_draft("4103-1").id, "4103-1");
}

TEST_F(UsnPrepareCliTest, AGivenIdThatIsAlreadyStoredIsRefused) {
  CommandResult r = prepare(with(k_linux, {"--usn", "4100-1"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kct usn prepare: error: USN 4100-1 already exists in " + db), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(draft_files().empty());
}

TEST_F(UsnPrepareCliTest, AnExistingDraftIsReplacedOnlyWithForce) {
  ASSERT_EQ(prepare(with(k_linux, {"--usn", "4200-1"})).exit_code, 0);
  std::string path = drafts + "/USN-4200-1.yaml";
  util::write_file_atomically(path, "reviewer's work\n");
  CommandResult r = prepare(with(k_linux, {"--usn", "4200-1"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + " exists (a draft of USN 4200-1); --force replaces it"), std::string::npos) << r.err;
  EXPECT_EQ(util::read_file_or_throw(path, "draft"), "reviewer's work\n");

  r = prepare(with(k_linux, {"--usn", "4200-1", "--force"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_draft("4200-1").title, "Linux kernel vulnerabilities");
}

TEST_F(UsnPrepareCliTest, AMissingDescriptionStopsTheDraftUnlessForced) {
  std::vector<std::string> aws = {"linux-aws", "4.4.0-1099.110", "--usn", "4200-1"};
  CommandResult r = prepare(aws);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: CVE-2019-0004: missing description (no Ubuntu-Description in the tracker)\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 CVE(s) lack a description"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(draft_files().empty());
  EXPECT_EQ(prepare(with(aws, {"--dry-run"})).exit_code, 1);

  r = prepare(with(aws, {"--force"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "SRCPKG=\"linux-aws\"\nUSN=4200-1\n");
  usn::Notice n = read_draft("4200-1");
  EXPECT_EQ(*n.cves, std::vector<std::string>{"CVE-2019-0004"});
  // The gap is marked for the reviewer, and `kct usn publish` refuses it until filled.
  EXPECT_NE(n.description->find("XXX"), std::string::npos) << *n.description;
}

TEST_F(UsnPrepareCliTest, EditOpensTheDraftAndKeepsTheEdit) {
  std::string editor = script("editor.sh", "sed -i 's/^title: .*/title: Edited title/' \"$1\"");
  CommandResult r = prepare(with(k_linux, {"--usn", "4200-1", "--edit"}), {"VISUAL=", "EDITOR=" + editor});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "SRCPKG=\"linux\"\nUSN=4200-1\n");
  EXPECT_EQ(read_draft("4200-1").title, "Edited title");
}

TEST_F(UsnPrepareCliTest, EditThatBreaksTheDraftFailsAtItsLine) {
  std::string editor = script("editor.sh", "sed -i 's/^summary: .*/summary: [1, 2]/' \"$1\"");
  CommandResult r = prepare(with(k_linux, {"--usn", "4200-1", "--edit"}), {"VISUAL=", "EDITOR=" + editor});
  EXPECT_NE(r.exit_code, 0);
  std::string path = drafts + "/USN-4200-1.yaml";
  std::string text = util::read_file_or_throw(path, "draft");
  size_t at = text.find("\nsummary: [1, 2]\n");
  ASSERT_NE(at, std::string::npos) << text;
  size_t line = static_cast<size_t>(std::count(text.begin(), text.begin() + at + 1, '\n')) + 1;
  EXPECT_NE(r.err.find(fmt::format("kct usn prepare: error: {}:{}:", path, line)), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("USN="), std::string::npos) << r.out;

  // An editor that fails leaves the draft and says where it is.
  std::string failing = script("failing.sh", "exit 3");
  r = prepare(with(k_linux, {"--usn", "4201-1", "--edit"}), {"VISUAL=", "EDITOR=" + failing});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the editor exited with status 3; the draft is kept at " + drafts + "/USN-4201-1.yaml"),
            std::string::npos)
      << r.err;
}

TEST_F(UsnPrepareCliTest, BadInputExitsNonZeroNamingItAndWritesNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::string catalog = testing::source_dir() + "/data/catalog.yaml";
  const std::vector<Case> cases = {
      {{"xenail/linux", "4.4.0-170.199"}, "error: xenail: unknown release (not in " + catalog + ")"},
      {{"linux-foo", "4.4.0-170.199"}, "error: linux-foo: unknown kernel"},
      {{"linux", "4.4.0-175.204"},
       "error: xenial/linux 4.4.0-175.204: version not in the archive (" + tmp.path() +
           "/mirror; security has 4.4.0-170.199)"},
      {{"linux", "4.4.0-171.200"}, "error: xenial/linux 4.4.0-171.200: published in xenial-proposed"},
      {{"linux", "4.4.0-170.199", "--mirror", tmp.path() + "/no-such-mirror"},
       "error: " + tmp.path() + "/no-such-mirror: no such directory (reading release 'xenial')"},
      {{"linux", "4.4.0-170.199", "linux-aws"}, "error: 'linux-aws' has no version: expected kernel and version pairs"},
      {{"linux", "4.4.0-170.199", "--pocket", "Backports"}, "--pocket Backports"},
      // An empty store would make every kernel look as if it never had a notice.
      {{"linux", "4.4.0-170.199", "--usn-db", tmp.path() + "/no-such.db"},
       "error: " + tmp.path() + "/no-such.db: no USN store there"},
      {{"linux", "4.4.0-170.199", "--usn", "42"}, "--usn 42: not a USN id"},
  };
  for (const Case& c : cases) {
    bool has_id = std::find(c.args.begin(), c.args.end(), "--usn") != c.args.end();
    CommandResult r = prepare(has_id ? c.args : with(c.args, {"--usn", "4200-1"}));
    EXPECT_EQ(r.exit_code, 1) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_TRUE(draft_files().empty()) << c.message;
  }
  CommandResult r = prepare(with(k_linux, {"--reserve", "--dry-run"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("give one of --dry-run, --reserve or --usn ID"), std::string::npos) << r.err;
}

} // namespace
} // namespace kct
