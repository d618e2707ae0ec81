// Kernel notice composition over a small world the test builds: a tracker, an apt mirror, a
// PPA, a USN database and a glitch table. One rule per test: the CVE window after the last
// notice, glitch chains and `~`, edge kernels, missing descriptions, HWE `N-2` follow-ups
// through an ESM PPA, embargoed updates, ABI changes, and the bad inputs that must stop it.
#include "compose/kernel_notice.h"
#include "support/apt_mirror.h"
#include "support/kernel_cves.h"
#include "support/test_env.h"
#include "usn/sqlite_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fmt/format.h>

namespace kct {
namespace {

class KernelComposeTest : public ::testing::Test {
protected:
  void SetUp() override {
    // The tracker.
    tmp.write("tracker/active/CVE-2019-0001",
              testing::kernel_cve_file(
                  "CVE-2019-0001", "medium", "A medium issue in the wibble driver.",
                  "xenial_linux: released (4.4.0-169.198)\nxenial_linux-aws: released (4.4.0-1099.110)\n"));
    tmp.write("tracker/active/CVE-2019-0002",
              testing::kernel_cve_file("CVE-2019-0002", "low", "A low issue in the wobble driver.",
                                       "xenial_linux: pending (4.4.0-170.199)\n"));
    tmp.write("tracker/active/CVE-2019-0003",
              testing::kernel_cve_file("CVE-2019-0003", "medium", "Fixed by the last notice already.",
                                       "xenial_linux: released (4.4.0-168.197)\n"));
    tmp.write("tracker/active/CVE-2019-0004",
              testing::kernel_cve_file("CVE-2019-0004", "medium", "", "xenial_linux-aws: pending (4.4.0-1099.110)\n"));
    tmp.write("tracker/active/CVE-2019-0005",
              testing::kernel_cve_file("CVE-2019-0005", "medium",
                                       "Fixed in the kvm version the glitch table points at.",
                                       "xenial_linux-kvm: released (4.4.0-1062.69)\n"));
    tmp.write("tracker/active/CVE-2019-0006",
              testing::kernel_cve_file("CVE-2019-0006", "high", "Still needed.", "xenial_linux: needed\n"));
    tmp.write("tracker/active/CVE-2019-0007",
              testing::kernel_cve_file("CVE-2019-0007", "high", "A high issue in the wubble subsystem.",
                                       "xenial_linux: released (4.4.0-170.199)\ntrusty/esm_linux-lts-xenial: pending "
                                       "(4.4.0-170.199~14.04.1)\n"));
    tmp.write("tracker/active/CVE-2019-0008",
              testing::kernel_cve_file("CVE-2019-0008", "low", "A low issue in the wobble driver.",
                                       "xenial_linux-kvm: released (4.4.0-1063.70)\n"));
    tmp.write("tracker/retired/CVE-2018-0001", testing::kernel_cve_file("CVE-2018-0001", "low", "Retired long ago.",
                                                                        "xenial_linux: released (4.4.0-170.199)\n"));
    tree = tracker::Tracker::load(tmp.path() + "/tracker", testing::source_catalog());

    // The primary archive.
    testing::AptMirror m;
    auto kernel = [&](const std::string& src, const std::string& version, const std::string& meta,
                      const std::string& meta_version, const std::string& image, const std::string& signed_src) {
      m.add_source("xenial", "-security", src, version);
      m.add_binary("xenial", "-security", "amd64", "linux-headers-" + image, version, src, version);
      m.add_binary("xenial", "-security", "arm64", "linux-image-" + image, version, src, version);
      m.add_binary("xenial", "-security", "all", "linux-doc", version, src, version);
      if (!signed_src.empty()) {
        m.add_source("xenial", "-security", signed_src, version);
        m.add_binary("xenial", "-security", "amd64", "linux-image-" + image, version, signed_src, version);
      }
      m.add_source("xenial", "-security", meta, meta_version);
      std::string flavour = image.substr(image.rfind('-') + 1);
      m.add_binary("xenial", "-security", "amd64", "linux-image-" + flavour, meta_version, meta, meta_version);
      m.add_binary("xenial", "-security", "amd64", "linux-image-" + flavour + "-lts-wily", meta_version, meta,
                   meta_version);
      m.add_binary("xenial", "-security", "amd64", "linux-image-" + flavour + "-hwe-16.04-edge", meta_version, meta,
                   meta_version);
    };
    kernel("linux", "4.4.0-170.199", "linux-meta", "4.4.0.170.178", "4.4.0-170-generic", "linux-signed");
    kernel("linux-aws", "4.4.0-1099.110", "linux-meta-aws", "4.4.0.1099.103", "4.4.0-1099-aws", "");
    kernel("linux-kvm", "4.4.0-1063.70", "linux-meta-kvm", "4.4.0.1063.63", "4.4.0-1063-kvm", "");
    kernel("linux-hwe-edge", "4.15.0-72.81~16.04.1", "linux-meta-hwe-edge", "4.15.0.72.92", "4.15.0-72-generic", "");
    // Decoys: an older meta with another ABI in -updates, a newer kernel in -proposed.
    m.add_source("xenial", "-updates", "linux-meta", "4.4.0.169.177");
    m.add_source("xenial", "-proposed", "linux", "4.4.0-171.200");
    m.add_source("xenial", "-proposed", "linux-snapdragon", "4.4.0-1131.139");
    m.write(tmp.path() + "/mirror");

    // The ESM PPA: trusty's HWE kernel.
    testing::AptMirror ppa;
    ppa.add_source("trusty", "", "linux-lts-xenial", "4.4.0-170.199~14.04.1");
    ppa.add_binary("trusty", "", "amd64", "linux-image-4.4.0-170-generic", "4.4.0-170.199~14.04.1", "linux-lts-xenial",
                   "4.4.0-170.199~14.04.1");
    ppa.add_source("trusty", "", "linux-meta-lts-xenial", "4.4.0.170.149");
    ppa.add_binary("trusty", "", "amd64", "linux-image-generic-lts-xenial", "4.4.0.170.149", "linux-meta-lts-xenial",
                   "4.4.0.170.149");
    ppa.write(tmp.path() + "/ppa/ubuntu-esm/esm/ubuntu");

    // The database: linux's last notice; linux-kvm's, whose version the glitch table remaps.
    store = std::make_unique<usn::SqliteStore>(tmp.path() + "/usn.db");
    store->put_all({testing::kernel_notice("4100-1", "xenial", "linux", "4.4.0-168.197"),
                    testing::kernel_notice("4101-1", "xenial", "linux-kvm", "4.4.0-1061.68")},
                   usn::Author{"test", ""});
    glitches = kernels::GlitchTable::parse("format: 1\nglitches:\n"
                                           "  linux-kvm:\n    xenial:\n      4.4.0-1061.68: 4.4.0-1062.69\n"
                                           "  linux-aws:\n    xenial:\n      \"~\": 4.4.0-1098.109\n",
                                           "glitches.yaml");
    table = kernels::KernelTable::load_file(testing::source_dir() + "/data/kernel-usn.yaml");
  }

  compose::ComposeResult compose(const std::vector<compose::KernelUpload>& uploads, compose::ComposeOptions options,
                                 const std::string& location = "") {
    archive::ArchiveView view(archive::ArchiveLocation::parse(location.empty() ? tmp.path() + "/mirror" : location));
    compose::ComposeContext context{
        testing::source_catalog(), options.embargoed ? nullptr : tree.get(), *store, table, glitches, view};
    return compose::compose_kernel_notice(context, uploads, options);
  }

  const compose::KernelPlan& plan(const compose::ComposeResult& r, const std::string& source) {
    for (const compose::KernelPlan& p : r.kernels) {
      if (p.upload.source == source) {
        return p;
      }
    }
    throw Error("no plan for " + source);
  }

  testing::ScopedTempDir tmp;
  std::unique_ptr<tracker::Tracker> tree;
  std::unique_ptr<usn::SqliteStore> store;
  kernels::GlitchTable glitches;
  kernels::KernelTable table;
};

const std::vector<compose::KernelUpload> k_xenial = {{"xenial", "linux", "4.4.0-170.199"},
                                                     {"xenial", "linux-aws", "4.4.0-1099.110"},
                                                     {"xenial", "linux-kvm", "4.4.0-1063.70"}};

TEST_F(KernelComposeTest, TakesTheCvesFixedSinceEachKernelsLastNotice) {
  compose::ComposeOptions options;
  options.usn_id = "4200-1";
  compose::ComposeResult r = compose(k_xenial, options);
  EXPECT_TRUE(r.ok()) << fmt::format("{}", fmt::join(r.errors, "\n"));
  // 0003 is the last notice's own; 0006 still needed; the retired one is not read; 0005 is at
  // the kvm version the glitch table says reached -security.
  std::vector<std::string> want = {"CVE-2019-0001", "CVE-2019-0002", "CVE-2019-0004", "CVE-2019-0007", "CVE-2019-0008"};
  EXPECT_EQ(*r.notice.cves, want);
  EXPECT_EQ(plan(r, "linux").previous, "4.4.0-168.197");
  EXPECT_EQ(plan(r, "linux").previous_from, "USN-4100-1");
  EXPECT_EQ(plan(r, "linux-kvm").previous, "4.4.0-1062.69");
  EXPECT_NE(plan(r, "linux-kvm").previous_from.find("4.4.0-1061.68 → 4.4.0-1062.69"), std::string::npos)
      << plan(r, "linux-kvm").previous_from;
  // No notice for linux-aws yet: the `~` glitch gives its first window.
  EXPECT_EQ(plan(r, "linux-aws").previous, "4.4.0-1098.109");
  EXPECT_NE(plan(r, "linux-aws").previous_from.find("~"), std::string::npos);
  EXPECT_EQ(r.missing_descriptions, std::vector<std::string>{"CVE-2019-0004"});
}

TEST_F(KernelComposeTest, WritesTitleSummaryAndTextByTheWorkflowRules) {
  compose::ComposeOptions options;
  options.usn_id = "4200-1";
  options.ignore_cves = {"CVE-2019-0004"};
  compose::ComposeResult r = compose(k_xenial, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.notice.title, "Linux kernel vulnerabilities");
  EXPECT_EQ(r.notice.summary, "linux, linux-aws, linux-kvm vulnerabilities");
  EXPECT_EQ(r.notice.isummary, "Several security issues were fixed in the Linux kernel.\n");
  EXPECT_TRUE(r.missing_descriptions.empty());
  // High first; CVEs sharing a text share a paragraph.
  EXPECT_EQ(*r.notice.description, "A high issue in the wubble subsystem. (CVE-2019-0007)\n"
                                   "\n"
                                   "A medium issue in the wibble driver. (CVE-2019-0001)\n"
                                   "\n"
                                   "A low issue in the wobble driver. (CVE-2019-0002, CVE-2019-0008)\n");
  // New ABI numbers: the ATTENTION paragraph.
  EXPECT_NE(r.notice.action->find("ATTENTION: Due to an unavoidable ABI change"), std::string::npos);
  const usn::Release& xenial = r.notice.releases.at("xenial");
  // Meta and signed sources are not notice sources.
  std::vector<std::string> sources;
  for (const auto& [name, s] : *xenial.sources) {
    sources.push_back(name + " " + *s.version);
  }
  EXPECT_EQ(sources,
            (std::vector<std::string>{"linux 4.4.0-170.199", "linux-aws 4.4.0-1099.110", "linux-kvm 4.4.0-1063.70"}));
  EXPECT_EQ(xenial.sources->at("linux-aws").description, table.description("linux-aws"));
  // Images only; meta images for other releases and edge kernels pruned from binaries, kept
  // in allbinaries; the meta version with the kernel's ABI, not the older one in -updates.
  EXPECT_TRUE(xenial.binaries->contains("linux-image-4.4.0-170-generic"));
  EXPECT_EQ(xenial.binaries->at("linux-image-generic").version, "4.4.0.170.178");
  EXPECT_EQ(xenial.binaries->at("linux-image-generic").pocket, "security");
  EXPECT_FALSE(xenial.binaries->contains("linux-image-generic-lts-wily"));
  EXPECT_FALSE(xenial.binaries->contains("linux-image-generic-hwe-16.04-edge"));
  EXPECT_TRUE(xenial.allbinaries->contains("linux-image-generic-lts-wily"));
  EXPECT_FALSE(xenial.allbinaries->contains("linux-headers-4.4.0-170-generic"));
  EXPECT_EQ(xenial.allbinaries->at("linux-image-4.4.0-170-generic").source, "linux-signed");
  // URLs: every file, amd64 on the primary host, arm64 on ports, sources under `source`.
  const auto& urls = *xenial.archs->at("amd64").urls;
  EXPECT_TRUE(std::any_of(urls.begin(), urls.end(), [](const auto& u) {
    return u.first == "http://security.ubuntu.com/ubuntu/pool/main/l/linux/linux-headers-4.4.0-170-generic_4.4.0-170."
                      "199_amd64.deb";
  }));
  EXPECT_TRUE(xenial.archs->at("arm64").urls->begin()->first.starts_with("http://ports.ubuntu.com/pool/main/l/"));
  EXPECT_TRUE(xenial.archs->at("source").urls->contains(
      "http://security.ubuntu.com/ubuntu/pool/main/l/linux-meta/linux-meta_4.4.0.170.178.dsc"));
  EXPECT_TRUE(xenial.archs->contains("all"));
}

TEST_F(KernelComposeTest, SkipsEdgeKernelsAndNamesTheOneKernelOfANotice) {
  compose::ComposeOptions options;
  options.usn_id = "4200-1";
  compose::ComposeResult r = compose(
      {{"xenial", "linux-hwe-edge", "4.15.0-72.81~16.04.1"}, {"xenial", "linux-aws", "4.4.0-1099.110"}}, options);
  EXPECT_TRUE(r.ok()) << fmt::format("{}", fmt::join(r.errors, "\n"));
  EXPECT_TRUE(plan(r, "linux-hwe-edge").skipped);
  EXPECT_FALSE(r.notice.releases.at("xenial").sources->contains("linux-hwe-edge"));
  EXPECT_EQ(r.notice.title, "Linux kernel (AWS) vulnerabilities");
  EXPECT_EQ(r.notice.summary, "linux-aws vulnerabilities");
}

TEST_F(KernelComposeTest, ComposesAnHweFollowUpFromAnEsmPpa) {
  store->put(testing::kernel_notice("4200-1", "xenial", "linux", "4.4.0-170.199"), usn::k_must_not_exist,
             usn::Author{"t", ""});
  compose::ComposeOptions options;
  options.usn_id = "4200-2";
  options.include_eol = true;
  options.private_archive = true;
  options.pocket = archive::Pocket::release;
  compose::ComposeResult r = compose({{"trusty", "linux-lts-xenial", "4.4.0-170.199~14.04.1"}}, options,
                                     tmp.path() + "/ppa/ubuntu-esm/esm/ubuntu");
  EXPECT_TRUE(r.ok()) << fmt::format("{}", fmt::join(r.errors, "\n"));
  EXPECT_EQ(plan(r, "linux-lts-xenial").release_key, "trusty/esm");
  EXPECT_EQ(*r.notice.cves, std::vector<std::string>{"CVE-2019-0007"});
  EXPECT_EQ(r.notice.title, "Linux kernel (Xenial HWE) vulnerability");
  EXPECT_EQ(r.notice.summary, "linux-lts-xenial vulnerability");
  EXPECT_TRUE(r.notice.description->starts_with(
      "USN-4200-1 fixed vulnerabilities in the Linux kernel for Ubuntu 16.04\nLTS. This update provides the "
      "corresponding updates for the Linux\nHardware Enablement (HWE) kernel from Ubuntu 16.04 LTS for Ubuntu\n14.04 "
      "ESM.\n\nA high issue"))
      << *r.notice.description;
  const usn::Release& trusty = r.notice.releases.at("trusty");
  EXPECT_FALSE(trusty.archs.has_value()); // ESM: no URLs
  EXPECT_EQ(trusty.binaries->at("linux-image-generic-lts-xenial").version, "4.4.0.170.149");
  EXPECT_FALSE(trusty.binaries->at("linux-image-generic-lts-xenial").pocket.has_value());
}

TEST_F(KernelComposeTest, WarnsWhenABackportKernelIsNotAFollowUp) {
  compose::ComposeOptions options;
  options.usn_id = "4300-1";
  options.include_eol = true;
  options.private_archive = true;
  options.pocket = archive::Pocket::release;
  compose::ComposeResult r = compose({{"trusty", "linux-lts-xenial", "4.4.0-170.199~14.04.1"}}, options,
                                     tmp.path() + "/ppa/ubuntu-esm/esm/ubuntu");
  EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(),
                          [](const std::string& w) { return w.find("N-2") != std::string::npos; }));
}

TEST_F(KernelComposeTest, AnEmbargoedUpdateTakesOnlyTheGivenCves) {
  compose::ComposeOptions options;
  options.usn_id = "4200-1";
  options.embargoed = true;
  options.add_cves = {"CVE-2019-9999"};
  compose::ComposeResult r = compose({{"xenial", "linux", "4.4.0-170.199"}}, options);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(*r.notice.cves, std::vector<std::string>{"CVE-2019-9999"});
  EXPECT_EQ(r.notice.title, "Linux kernel vulnerability");
  EXPECT_EQ(r.missing_descriptions, std::vector<std::string>{"CVE-2019-9999"});
  EXPECT_NE(r.notice.description->find("XXX-FIXME-CVE-2019-9999-NOT-KNOWN-TO-TRACKER-XXX"), std::string::npos);
}

TEST_F(KernelComposeTest, RefusesBadInputWithClearErrors) {
  compose::ComposeOptions options;
  auto first_error = [&](const std::vector<compose::KernelUpload>& uploads, compose::ComposeOptions o = {}) {
    compose::ComposeResult r = compose(uploads, o);
    return r.errors.empty() ? std::string("(no error)") : r.errors.front();
  };
  EXPECT_EQ(first_error({{"xenail", "linux", "4.4.0-170.199"}}),
            fmt::format("xenail: unknown release (not in {})", testing::source_catalog().path()));
  EXPECT_NE(first_error({{"xenial", "linux-foo", "4.4.0-170.199"}}).find("linux-foo: unknown kernel"),
            std::string::npos);
  EXPECT_EQ(first_error({{"xenial", "linux", "4.4.0-175.204"}}),
            fmt::format("xenial/linux 4.4.0-175.204: version not in the archive ({}; security has 4.4.0-170.199)",
                        tmp.path() + "/mirror"));
  EXPECT_EQ(first_error({{"xenial", "linux", "4.4.0-171.200"}}),
            fmt::format("xenial/linux 4.4.0-171.200: published in xenial-proposed, not in the security pocket of {}",
                        tmp.path() + "/mirror"));
  std::string missing_index = first_error({{"bionic", "linux", "4.15.0-72.81"}});
  EXPECT_NE(missing_index.find("bionic"), std::string::npos) << missing_index;
  EXPECT_NE(missing_index.find(tmp.path() + "/mirror"), std::string::npos) << missing_index;
  EXPECT_NE(first_error({{"trusty", "linux-lts-xenial", "4.4.0-170.199~14.04.1"}}).find("--include-eol"),
            std::string::npos);
  EXPECT_NE(first_error({{"xenial", "linux", "not-a-version!"}}).find("is not a kernel version"), std::string::npos);
  // The last notice already has this version.
  store->put(testing::kernel_notice("4150-1", "xenial", "linux", "4.4.0-170.199"), usn::k_must_not_exist,
             usn::Author{"t", ""});
  EXPECT_NE(first_error({{"xenial", "linux", "4.4.0-170.199"}}).find("a USN already exists"), std::string::npos);
  compose::ComposeOptions bypass;
  bypass.bypass_usn_check = true;
  EXPECT_TRUE(compose({{"xenial", "linux", "4.4.0-170.199"}}, bypass).ok());
}

TEST(KernelUploads, ParsesPairsAsPrepareKernelUsnDoes) {
  std::vector<compose::KernelUpload> u =
      compose::parse_uploads("xenial", {"linux", "4.4.0-170.199", "linux-aws:", "4.4.0-1099.110",
                                        "trusty/linux-lts-xenial", "4.4.0-170.199~14.04.1"});
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[1].source, "linux-aws");
  EXPECT_EQ(u[2].release, "trusty");
  EXPECT_EQ(u[2].source, "linux-lts-xenial");
  EXPECT_THROW(compose::parse_uploads("xenial", {"linux"}), Error);
}

} // namespace
} // namespace kct
