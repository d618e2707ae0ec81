// Security sign-off of a kernel in -proposed over a small world the test builds: the verdicts
// ready, nothing-to-sign and blocked (missing description, binaries not built on an
// architecture the previous version had, version not in the pocket).
#include "signoff/signoff.h"
#include "support/signoff_world.h"
#include "support/test_env.h"
#include "usn/sqlite_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fmt/format.h>

namespace kct {
namespace {

class SignoffTest : public ::testing::Test {
protected:
  void SetUp() override {
    testing::write_signoff_world(tmp.path());
    tree = tracker::Tracker::load(tmp.path() + "/tracker", testing::source_catalog());
    store = std::make_unique<usn::SqliteStore>(tmp.path() + "/usn.db");
    table = kernels::KernelTable::load_file(testing::source_dir() + "/data/kernel-usn.yaml");
  }

  signoff::SignoffReport sign(const std::vector<compose::KernelUpload>& uploads, compose::ComposeOptions options = {}) {
    archive::ArchiveView view(archive::ArchiveLocation::parse(tmp.path() + "/mirror"));
    compose::ComposeContext context{testing::source_catalog(), tree.get(), *store, table, glitches, view};
    options.pocket = archive::Pocket::proposed;
    options.bypass_usn_check = true;
    return signoff::sign_off(context, uploads, options, {});
  }

  testing::ScopedTempDir tmp;
  std::unique_ptr<tracker::Tracker> tree;
  std::unique_ptr<usn::SqliteStore> store;
  kernels::GlitchTable glitches;
  kernels::KernelTable table;
};

TEST_F(SignoffTest, ReadyWhenEveryCveIsDescribedAndEverythingIsBuilt) {
  signoff::SignoffReport r = sign({{"xenial", "linux", "4.4.0-171.200"}});
  EXPECT_EQ(r.verdict, signoff::Verdict::ready) << fmt::format("{}", fmt::join(r.reasons, "\n"));
  ASSERT_EQ(r.kernels.size(), 1u);
  ASSERT_EQ(r.kernels[0].cves.size(), 1u);
  EXPECT_EQ(r.kernels[0].cves[0].cve, "CVE-2019-1001");
  EXPECT_EQ(r.kernels[0].cves[0].description, "An issue in the foo driver.");
  EXPECT_EQ(r.kernels[0].builds[0].built, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_NE(r.reasons.back().find("Fix Released"), std::string::npos);
}

TEST_F(SignoffTest, NothingToSignWhenTheUploadFixesNoCve) {
  signoff::SignoffReport r = sign({{"xenial", "linux-aws", "4.4.0-1100.111"}});
  EXPECT_EQ(r.verdict, signoff::Verdict::nothing_to_sign);
  EXPECT_NE(r.reasons.back().find("Invalid"), std::string::npos);
}

TEST_F(SignoffTest, BlockedByAMissingDescriptionAndPendingBinaries) {
  signoff::SignoffReport r = sign({{"xenial", "linux-kvm", "4.4.0-1064.71"}});
  EXPECT_EQ(r.verdict, signoff::Verdict::blocked);
  EXPECT_NE(std::find(r.reasons.begin(), r.reasons.end(),
                      "CVE-2019-1002: missing description (no Ubuntu-Description in the tracker)"),
            r.reasons.end());
  EXPECT_NE(std::find(r.reasons.begin(), r.reasons.end(), "xenial/linux-kvm 4.4.0-1064.71: binaries pending on arm64"),
            r.reasons.end())
      << fmt::format("{}", fmt::join(r.reasons, "\n"));
}

TEST_F(SignoffTest, AnEmbargoedUpdateSignsOffTheNamedCves) {
  compose::ComposeOptions embargoed;
  embargoed.embargoed = true;
  signoff::SignoffReport none = sign({{"xenial", "linux", "4.4.0-171.200"}}, embargoed);
  EXPECT_EQ(none.verdict, signoff::Verdict::blocked);
  EXPECT_NE(none.reasons.front().find("--add"), std::string::npos);
  embargoed.add_cves = {"CVE-2019-1001"};
  signoff::SignoffReport named = sign({{"xenial", "linux", "4.4.0-171.200"}}, embargoed);
  EXPECT_EQ(named.verdict, signoff::Verdict::ready) << fmt::format("{}", fmt::join(named.reasons, "\n"));
  ASSERT_EQ(named.kernels[0].cves.size(), 1u);
  EXPECT_EQ(named.kernels[0].cves[0].description, "An issue in the foo driver.");
}

TEST_F(SignoffTest, BlockedWhenTheVersionIsNotInThePocket) {
  signoff::SignoffReport r = sign({{"xenial", "linux", "4.4.0-172.201"}});
  EXPECT_EQ(r.verdict, signoff::Verdict::blocked);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_NE(r.reasons.front().find("version not in the archive"), std::string::npos) << r.reasons.front();
}

} // namespace
} // namespace kct
