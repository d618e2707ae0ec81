#include "workflow/abi_check.h"

#include "usn/sqlite_store.h"

#include "support/test_env.h"

#include <algorithm>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>

namespace kct::workflow {
namespace {

using kct::testing::ScopedTempDir;

// One kernel of each kind the check tells apart (see the comments), in a mirror directory and
// a USN store written here.
const char* const k_kernel_table = R"(format: 1
meta-kernels:
  - {release: trusty, kernel: linux}                              # end of life: not checked
  - {release: xenial, kernel: linux}                              # needs a notice
  - {release: xenial, kernel: linux-aws, signed: none}            # its notice is out
  - {release: xenial, kernel: linux-azure}                        # out, by the glitch table
  - {release: xenial, kernel: linux-gke, signed: none}            # no notice: the archive's first version
  - {release: xenial, kernel: linux-hwe-edge, edge: true}         # ignores both
  - {release: xenial, kernel: linux-kvm, signed: none}            # meta ABI behind in -updates
  - {release: bionic, kernel: linux}                              # meta mismatch of a reverted upload
  - {release: bionic, kernel: linux-hwe}
  - {release: bionic, kernel: linux-hwe-edge}                     # meta points at linux-hwe
  - {release: bionic, kernel: linux-gcp}                          # signed ABI behind
  - {release: eoan, kernel: linux}                                # not in the mirror (said once)
  - {release: eoan, kernel: linux-oracle}
mabi-glitches:
  linux-meta:
    bionic: [4.15.0.23.25]
mabi-alternates:
  linux-meta-hwe-edge: linux-hwe
)";

const char* const k_glitches = "format: 1\nglitches:\n  linux-azure:\n    xenial:\n"
                               "      4.15.0-1049.54: 4.15.0-1050.55\n      4.15.0-1050.55: 4.15.0-1051.56\n";

// suite → [(source, version)]
using MirrorContents = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

MirrorContents mirror_contents() {
  MirrorContents m;
  auto both = [&](const std::string& release, const std::string& source, const std::string& version) {
    m[release + "-updates"].emplace_back(source, version);
    m[release + "-security"].emplace_back(source, version);
  };
  m["xenial"] = {{"linux", "4.4.0-21.37"}, {"linux-meta", "4.4.0.21.22"}, {"linux-gke", "4.4.0-1003.3"}};
  both("xenial", "linux", "4.4.0-171.200");
  both("xenial", "linux-meta", "4.4.0.171.179");
  both("xenial", "linux-signed", "4.4.0-171.200");
  both("xenial", "linux-aws", "4.4.0-1098.109");
  both("xenial", "linux-meta-aws", "4.4.0.1098.102");
  both("xenial", "linux-azure", "4.15.0-1051.56");
  both("xenial", "linux-meta-azure", "4.15.0.1051.55");
  both("xenial", "linux-signed-azure", "4.15.0-1051.56");
  both("xenial", "linux-gke", "4.4.0-1050.51");
  both("xenial", "linux-meta-gke", "4.4.0.1050.52");
  both("xenial", "linux-hwe-edge", "4.8.0-58.63");
  both("xenial", "linux-meta-hwe-edge", "4.10.0.20.21");
  both("xenial", "linux-signed-hwe-edge", "4.8.0-58.63");
  m["xenial-updates"].emplace_back("linux-kvm", "4.4.0-1063.70");
  m["xenial-security"].emplace_back("linux-kvm", "4.4.0-1062.69");
  both("xenial", "linux-meta-kvm", "4.4.0.1062.62");
  both("bionic", "linux", "4.15.0-24.26");
  both("bionic", "linux-meta", "4.15.0.23.25");
  both("bionic", "linux-signed", "4.15.0-24.26");
  both("bionic", "linux-hwe", "5.0.0-37.40~18.04.1");
  both("bionic", "linux-meta-hwe", "5.0.0.37.95");
  both("bionic", "linux-signed-hwe", "5.0.0-37.40~18.04.1");
  m["bionic-updates"].emplace_back("linux-hwe-edge", "5.3.0-24.26~18.04.2");
  m["bionic-updates"].emplace_back("linux-meta-hwe-edge", "5.0.0.37.95");
  m["bionic-updates"].emplace_back("linux-signed-hwe-edge", "5.3.0-24.26~18.04.2");
  both("bionic", "linux-gcp", "4.15.0-1050.53");
  both("bionic", "linux-meta-gcp", "4.15.0.1050.52");
  both("bionic", "linux-signed-gcp", "4.15.0-1049.52");
  m["bionic-proposed"] = {{"linux-hwe-edge", "5.3.0-26.28~18.04.1"},
                          {"linux-meta-hwe-edge", "5.3.0.25.96"},
                          {"linux-signed-hwe-edge", "5.3.0-26.28~18.04.1"}};
  return m;
}

// Writes dists/<suite>/main/source/Sources for each suite.
void write_mirror(const ScopedTempDir& dir, const MirrorContents& contents) {
  for (const auto& [suite, packages] : contents) {
    std::string text;
    for (const auto& [name, version] : packages) {
      text += fmt::format("Package: {}\nVersion: {}\nDirectory: pool/main/l/{}\nFiles:\n"
                          " 0123456789abcdef0123456789abcdef 1000 {}_{}.dsc\n\n",
                          name, version, name, name, version);
    }
    dir.write("dists/" + suite + "/main/source/Sources", text);
  }
}

class AbiCheckTest : public ::testing::Test {
protected:
  AbiCheckTest() {
    write_mirror(m_mirror, mirror_contents());
    for (const auto& [id, release, source, version] :
         std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
             {"4200-1", "xenial", "linux", "4.4.0-170.199"},
             {"4200-1", "xenial", "linux-aws", "4.4.0-1098.109"},
             {"4100-1", "xenial", "linux-azure", "4.15.0-1049.54"},
             {"4200-1", "xenial", "linux-hwe-edge", "4.8.0-52.55"},
             {"4200-1", "xenial", "linux-kvm", "4.4.0-1062.69"},
             {"4210-1", "bionic", "linux", "4.15.0-24.26"},
             {"4210-1", "bionic", "linux-hwe", "5.0.0-37.40~18.04.1"},
             {"4210-1", "bionic", "linux-gcp", "4.15.0-1050.53"}}) {
      m_notices[id].id = id;
      std::optional<std::map<std::string, usn::SourceEntry>>& sources = m_notices[id].releases[release].sources;
      if (!sources) {
        sources.emplace();
      }
      (*sources)[source] = usn::SourceEntry{version, "Linux kernel", usn::Json::object()};
    }
    for (const auto& [id, notice] : m_notices) {
      m_store.put(notice, usn::k_must_not_exist, usn::Author{"tester", ""});
    }
  }

  AbiCheckReport check(const AbiCheckOptions& options, bool with_store = true) {
    archive::LoadOptions load;
    load.pockets = {archive::Pocket::release, archive::Pocket::updates, archive::Pocket::security,
                    archive::Pocket::proposed};
    load.binaries = false;
    archive::ArchiveView view(archive::ArchiveLocation::parse(m_mirror.path()), load);
    return kernel_abi_check(
        {kct::testing::source_catalog(), m_table, &m_glitches, view, with_store ? &m_store : nullptr}, options);
  }

  static std::vector<std::string> failures(const AbiCheckReport& report) {
    std::vector<std::string> out;
    for (const CheckResult& r : report.results) {
      if (!r.ok) {
        out.push_back(r.text);
      }
    }
    return out;
  }

  static bool has_line(const AbiCheckReport& report, const std::string& text) {
    return std::any_of(report.results.begin(), report.results.end(),
                       [&](const CheckResult& r) { return r.text == text; });
  }

  ScopedTempDir m_mirror;
  ScopedTempDir m_db_dir;
  usn::SqliteStore m_store{m_db_dir.path() + "/usn.db"};
  std::map<std::string, usn::Notice> m_notices;
  kernels::KernelTable m_table = kernels::KernelTable::parse(k_kernel_table, "kernel-usn.yaml");
  kernels::GlitchTable m_glitches = kernels::GlitchTable::parse(k_glitches, "kernel-glitches.yaml");
};

const std::vector<std::string> k_default_failures = {
    "USN needed: xenial/linux: 4.4.0-171.200 (last USN: 4.4.0-170.199)",
    "USN needed: xenial/linux-gke: 4.4.0-1050.51 (last USN: 4.4.0-1003.3)",
    "FAIL: ABI mismatch in xenial-updates: linux-kvm 4.4.0-1063.70 (ABI 1063) != linux-meta-kvm 4.4.0.1062.62 (ABI "
    "1062)",
    "FAIL: ABI mismatch in bionic-updates: linux-signed-gcp 4.15.0-1049.52 (ABI 1049) != linux-gcp 4.15.0-1050.53 "
    "(ABI 1050)",
    "FAIL: ABI mismatch in bionic-security: linux-signed-gcp 4.15.0-1049.52 (ABI 1049) != linux-gcp 4.15.0-1050.53 "
    "(ABI 1050)",
};

TEST_F(AbiCheckTest, ReportsKernelsNeedingANoticeAndAbiMismatches) {
  AbiCheckReport report = check({});
  std::vector<std::string> expected = k_default_failures;
  expected.push_back(
      fmt::format("FAIL: no archive indices for eoan in {}; its kernels were not checked", m_mirror.path()));
  EXPECT_EQ(failures(report), expected);
  EXPECT_EQ(report.exit_status(), 1);
  // What passed, and why.
  for (const char* ok : {
           "ok: xenial/linux-aws: 4.4.0-1098.109 (last USN: 4.4.0-1098.109)",
           "ok: xenial/linux-azure: 4.15.0-1051.56 (last USN: 4.15.0-1051.56)", // 1049.54 → 1050.55 → 1051.56
           "ok: xenial/linux-hwe-edge: 4.8.0-58.63 (last USN: 4.8.0-52.55) [ignore-usn]",
           "ok: xenial/linux-kvm: 4.4.0-1062.69 (last USN: 4.4.0-1062.69)",
           "ok: bionic/linux-hwe-edge: 0.0.0.0 (last USN: 5.3.0-24.26~18.04.2)", // not in -security
           "ok: xenial-security: linux 4.4.0-171.200 (ABI 171) == linux-meta 4.4.0.171.179 (ABI 171)",
           "ok: xenial-security: linux-signed 4.4.0-171.200 (ABI 171) == linux 4.4.0-171.200 (ABI 171)",
           "ok: xenial-security: linux-kvm 4.4.0-1062.69 (ABI 1062) == linux-meta-kvm 4.4.0.1062.62 (ABI 1062)",
           "ok: xenial-updates: linux-hwe-edge 4.8.0-58.63 (ABI 58) != linux-meta-hwe-edge 4.10.0.20.21 (ABI 20): "
           "ignored (ignore-mabi)",
           "ok: bionic-updates: linux 4.15.0-24.26 (ABI 24) != linux-meta 4.15.0.23.25 (ABI 23): ignored (mabi-glitch)",
           "ok: bionic-updates: linux-hwe-edge 5.3.0-24.26~18.04.2 (ABI 24) != linux-meta-hwe-edge 5.0.0.37.95 (ABI "
           "37); alternate linux-hwe 5.0.0-37.40~18.04.1 (ABI 37) ==",
       }) {
    EXPECT_TRUE(has_line(report, ok)) << ok;
  }
  // -proposed is only read when asked; the end-of-life release never.
  for (const CheckResult& r : report.results) {
    EXPECT_NE(r.pocket, "proposed") << r.text;
    EXPECT_NE(r.release, "trusty") << r.text;
  }
}

TEST_F(AbiCheckTest, ChecksProposedWhenAskedAndAnAlternateThatDoesNotMatchFails) {
  AbiCheckOptions options;
  options.add_proposed = true;
  options.kernels = {"linux-hwe-edge"};
  AbiCheckReport report = check(options);
  EXPECT_EQ(
      failures(report),
      (std::vector<std::string>{"FAIL: ABI mismatch in bionic-proposed: linux-hwe-edge 5.3.0-26.28~18.04.1 (ABI 26) != "
                                "linux-meta-hwe-edge 5.3.0.25.96 (ABI 25); alternate linux-hwe 0.0.0.0 (DNE) does "
                                "not match either"}));
  EXPECT_TRUE(has_line(report, "ok: bionic-proposed: linux-signed-hwe-edge 5.3.0-26.28~18.04.1 (ABI 26) == "
                               "linux-hwe-edge 5.3.0-26.28~18.04.1 (ABI 26)"));
  for (const CheckResult& r : report.results) {
    EXPECT_EQ(r.source, "linux-hwe-edge") << "only the kernels named: " << r.text;
  }
}

TEST_F(AbiCheckTest, IgnoreFlagsAndUpdatesPocketChangeWhatIsChecked) {
  AbiCheckOptions no_usn;
  no_usn.ignore_usn = true;
  no_usn.kernels = {"linux", "linux-kvm", "linux-gcp"};
  AbiCheckReport report = check(no_usn, false); // no store needed
  std::vector<std::string> abi_only(k_default_failures.begin() + 2, k_default_failures.end());
  abi_only.push_back(
      fmt::format("FAIL: no archive indices for eoan in {}; its kernels were not checked", m_mirror.path()));
  EXPECT_EQ(failures(report), abi_only);

  AbiCheckOptions no_abi;
  no_abi.ignore_abi = true;
  no_abi.use_updates = true;
  no_abi.kernels = {"linux-kvm", "linux-aws"};
  report = check(no_abi);
  EXPECT_EQ(failures(report),
            (std::vector<std::string>{"USN needed: xenial/linux-kvm: 4.4.0-1063.70 (last USN: 4.4.0-1062.69)"}));
  for (const CheckResult& r : report.results) {
    EXPECT_EQ(r.kind, CheckKind::usn) << r.text;
  }
  EXPECT_EQ(report.results.size(), 2u);

  EXPECT_THROW(check({}, false), Error) << "the USN check needs a store";
}

TEST_F(AbiCheckTest, AllPassingExitsZero) {
  AbiCheckOptions options;
  options.kernels = {"linux-aws", "linux-azure", "linux-hwe"};
  AbiCheckReport report = check(options);
  EXPECT_TRUE(failures(report).empty()) << failures(report).front();
  EXPECT_EQ(report.exit_status(), 0);
  EXPECT_FALSE(report.results.empty());
}

TEST(AbiCheck, NamesUnknownKernels) {
  kernels::KernelTable table = kernels::KernelTable::parse(k_kernel_table, "kernel-usn.yaml");
  EXPECT_EQ(unknown_kernels(table, {"linux-kvm", "linux-nope", "linux-nope", "linux-hwe-edge", "nginx"}),
            (std::vector<std::string>{"linux-nope", "nginx"}));
  EXPECT_TRUE(unknown_kernels(table, {}).empty());
}

// Through the kct binary: the same mirror and store, the data files given by the environment.
TEST_F(AbiCheckTest, CommandPrintsFailuresAndExitsOne) {
  ScopedTempDir data;
  std::vector<std::string> env = {"KCT_KERNEL_TABLE=" + data.write("kernel-usn.yaml", k_kernel_table),
                                  "KCT_KERNEL_GLITCHES=" + data.write("kernel-glitches.yaml", k_glitches)};
  std::string db = m_db_dir.path() + "/usn.db";
  auto kct = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {kct::testing::kct_binary(), "kernel-abi-check"});
    return kct::testing::run_command(args, env);
  };
  kct::testing::CommandResult r = kct({"--usn-db", db, "--mirror", m_mirror.path(), "linux", "linux-kvm"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "USN needed: xenial/linux: 4.4.0-171.200 (last USN: 4.4.0-170.199)\n" + k_default_failures[2] +
                       "\n" +
                       fmt::format("FAIL: no archive indices for eoan in {}; its kernels were not checked\n",
                                   m_mirror.path()));
  r = kct({"-v", "--usn-db", db, "--mirror", m_mirror.path(), "linux-aws"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: xenial/linux-aws: 4.4.0-1098.109 (last USN: 4.4.0-1098.109)\n"
                   "ok: xenial-updates: linux-aws 4.4.0-1098.109 (ABI 1098) == linux-meta-aws 4.4.0.1098.102 (ABI "
                   "1098)\n"
                   "ok: xenial-security: linux-aws 4.4.0-1098.109 (ABI 1098) == linux-meta-aws 4.4.0.1098.102 (ABI "
                   "1098)\n");
  r = kct({"--json", "--ignore-usn", "--mirror", m_mirror.path(), "linux-gcp"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["ok"], false);
  ASSERT_EQ(json["results"].size(), 4u); // meta and signed, in -updates and -security
  EXPECT_EQ(json["results"][1]["check"], "signed-abi");
  EXPECT_EQ(json["results"][1]["against"], "linux-signed-gcp");
  EXPECT_EQ(json["results"][1]["ok"], false);

  r = kct({"--usn-db", db, "--mirror", m_mirror.path(), "linux-kvm", "linux-nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown kernel linux-nope (not in "), std::string::npos) << r.err;
  r = kct({"--usn-db", db, "linux"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no archive: give --mirror DIR|URL or set KCT_MIRROR"), std::string::npos) << r.err;
  r = kct({"--usn-db", data.path() + "/missing.db", "--mirror", m_mirror.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.db: no USN store there"), std::string::npos) << r.err;
}

} // namespace
} // namespace kct::workflow
