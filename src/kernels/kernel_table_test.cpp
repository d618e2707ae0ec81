#include "kernels/kernel_table.h"

#include "usn/json_io.h"
#include "usn/usn_test_support.h"
#include "util/error.h"

#include "support/test_env.h"

#include <algorithm>
#include <cstdlib>
#include <gtest/gtest.h>

namespace kct::kernels {
namespace {

std::string error_of(const std::string& text) {
  try {
    KernelTable::parse(text, "kernel-usn.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const KernelTable& shipped() {
  static const KernelTable table = KernelTable::load_file(kct::testing::source_dir() + "/data/kernel-usn.yaml");
  return table;
}

TEST(KernelTable, TheShippedTableCarriesTheTrackersMetaKernelTable) {
  const KernelTable& t = shipped();
  // §5.2 row by row: 2 precise, 4 trusty, 13 xenial, 24 bionic, 9 eoan; no focal.
  std::map<std::string, int> per_release;
  for (const MetaKernel& e : t.entries()) {
    ++per_release[e.release];
  }
  EXPECT_EQ(per_release,
            (std::map<std::string, int>{{"precise", 2}, {"trusty", 4}, {"xenial", 13}, {"bionic", 24}, {"eoan", 9}}));

  const MetaKernel* precise = t.find("precise", "linux-backports-modules-3.2.0");
  ASSERT_NE(precise, nullptr);
  EXPECT_EQ(precise->sources, (std::vector<std::string>{"linux", "linux-backports-modules-3.2.0"}));
  EXPECT_EQ(precise->meta, "linux-meta");
  EXPECT_EQ(precise->signed_source, "") << "precise's linux is unsigned";

  const MetaKernel* trusty = t.find("trusty", "linux");
  ASSERT_NE(trusty, nullptr);
  EXPECT_EQ(trusty->signed_source, "linux-signed");
  EXPECT_EQ(t.find("trusty/esm", "linux-lts-xenial"), t.find("trusty", "linux-lts-xenial")) << "base codename";
  EXPECT_EQ(t.find("trusty", "linux-aws")->signed_source, "");

  const MetaKernel* aws = t.find("xenial", "linux-aws");
  ASSERT_NE(aws, nullptr);
  EXPECT_EQ(aws->meta, "linux-meta-aws");
  EXPECT_EQ(aws->signed_source, "");
  EXPECT_FALSE(aws->ignore_usn || aws->ignore_mabi || aws->edge);
  EXPECT_EQ(t.find("xenial", "linux-gcp")->signed_source, "linux-signed-gcp");
  EXPECT_EQ(t.find("bionic", "linux-oracle-5.3")->meta, "linux-meta-oracle-5.3");
  EXPECT_EQ(t.find("bionic", "linux-gke-5.0")->signed_source, "linux-signed-gke-5.0");

  for (const char* edge : {"linux-aws-edge", "linux-azure-edge", "linux-hwe-edge", "linux-gcp-edge"}) {
    const MetaKernel* e = t.find("bionic", edge);
    ASSERT_NE(e, nullptr) << edge;
    EXPECT_TRUE(e->edge && e->ignore_usn && e->ignore_mabi) << edge;
  }
  EXPECT_TRUE(t.find("xenial", "linux-hwe-edge")->edge);
  EXPECT_EQ(t.find("bionic", "linux-aws-edge")->signed_source, "");
  const MetaKernel* eoan_oem = t.find("eoan", "linux-oem");
  ASSERT_NE(eoan_oem, nullptr);
  EXPECT_TRUE(eoan_oem->ignore_usn);
  EXPECT_FALSE(eoan_oem->ignore_mabi);
  EXPECT_FALSE(eoan_oem->edge);
  EXPECT_TRUE(t.find("eoan", "linux-oem-osp1")->ignore_usn);
  EXPECT_EQ(t.find("focal", "linux"), nullptr) << "no devel entries";
  EXPECT_EQ(t.find("xenial", "linux-oem-5.4"), nullptr);
}

TEST(KernelTable, TheShippedTableAgreesWithTheCatalog) {
  const KernelTable& t = shipped();
  const catalog::Catalog& catalog = kct::testing::source_catalog();
  EXPECT_TRUE(t.unknown_sources(catalog).empty());
  // §5.2: of the kernel sources, 15 are in no entry.
  std::vector<std::string> absent;
  for (const std::string& source : catalog.kernel_sources()) {
    bool listed = std::any_of(t.entries().begin(), t.entries().end(), [&](const MetaKernel& e) {
      return std::find(e.sources.begin(), e.sources.end(), source) != e.sources.end();
    });
    if (!listed) {
      absent.push_back(source);
    }
    EXPECT_TRUE(t.has_pretty_name(source)) << source;
    EXPECT_TRUE(t.description(source)) << source;
  }
  EXPECT_EQ(absent, (std::vector<std::string>{
                        "linux-ti-omap4", "linux-armadaxp", "linux-mako", "linux-manta", "linux-flo", "linux-goldfish",
                        "linux-joule", "linux-oem-5.4", "linux-euclid", "linux-lts-quantal", "linux-lts-raring",
                        "linux-lts-saucy", "linux-lts-utopic", "linux-lts-vivid", "linux-lts-wily"}));
}

TEST(KernelTable, NamesKernelsForNoticeTitles) {
  const KernelTable& t = shipped();
  EXPECT_EQ(t.pretty_name("linux"), "Linux kernel");
  EXPECT_EQ(t.pretty_name("linux-aws"), "Linux kernel (AWS)");
  EXPECT_EQ(t.pretty_name("linux-hwe"), "Linux kernel (HWE)");
  EXPECT_EQ(t.pretty_name("linux-lts-xenial"), "Linux kernel (Xenial HWE)");
  EXPECT_EQ(t.pretty_name("linux-raspi2"), "Linux kernel (Raspberry Pi)");
  EXPECT_EQ(t.pretty_name("linux-raspi2-5.3"), "Linux kernel (Raspberry Pi)") << "the raspi2* pattern";
  EXPECT_EQ(t.pretty_name("linux-meta-aws"), "XXX Unknown kernel");
  EXPECT_FALSE(t.has_pretty_name("linux-signed"));
  EXPECT_EQ(t.description("linux-aws"), "Linux kernel for Amazon Web Services (AWS) systems");
  EXPECT_EQ(t.description("linux"), "Linux kernel");
  EXPECT_EQ(t.description("linux-meta"), std::nullopt);
  EXPECT_TRUE(t.is_lts_kernel("linux-lts-xenial"));
  EXPECT_TRUE(t.is_lts_kernel("linux-hwe"));
  EXPECT_FALSE(t.is_lts_kernel("linux-hwe-edge"));
  EXPECT_FALSE(t.is_lts_kernel("linux"));
  EXPECT_EQ(t.mabi_alternate("linux-meta-hwe-edge"), "linux-hwe");
  EXPECT_EQ(t.mabi_alternate("linux-meta-azure-edge"), "linux-azure");
  EXPECT_EQ(t.mabi_alternate("linux-meta-hwe"), std::nullopt);
}

// The descriptions are the published notices' own words.
TEST(KernelTable, DescriptionsMatchThePublishedKernelNotices) {
  std::vector<std::string> paths = usn::testing::published_notice_paths();
  if (paths.empty()) {
    ASSERT_FALSE(kct::testing::shared_data_present());
    GTEST_SKIP() << "no shared USN data";
  }
  int compared = 0;
  for (const std::string& path : paths) {
    usn::Notice notice = usn::read_notice_file(path);
    for (const auto& [release, entry] : notice.releases) {
      for (const auto& [source, s] : entry.sources.value_or(std::map<std::string, usn::SourceEntry>{})) {
        if (source.starts_with("linux") && s.description) {
          EXPECT_EQ(shipped().description(source), *s.description) << path << " " << release << "/" << source;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 40);
}

TEST(KernelTable, IgnoresMetaAbiMismatchesOfEdgeKernelsAndListedMetaVersions) {
  const KernelTable& t = shipped();
  EXPECT_TRUE(t.ignore_kernel_mabi("linux-hwe-edge", "linux-meta-hwe-edge", "bionic", "5.3.0.24.95"))
      << "edge: ignore-mabi";
  EXPECT_TRUE(t.ignore_kernel_mabi("linux", "linux-meta", "bionic", "4.15.0.23.25")) << "a mabi glitch";
  EXPECT_FALSE(t.ignore_kernel_mabi("linux", "linux-meta", "bionic", "4.15.0.24.26"));
  EXPECT_FALSE(t.ignore_kernel_mabi("linux", "linux-meta", "xenial", "4.15.0.23.25")) << "per release";
  EXPECT_FALSE(t.ignore_kernel_mabi("linux-aws", "linux-meta-aws", "bionic", "4.15.0.23.25")) << "per meta";
  EXPECT_FALSE(t.ignore_kernel_mabi("linux-oem", "linux-meta-oem", "eoan", "5.3.0.1.1")) << "ignore-usn only";
}

TEST(KernelTable, KeepsImageBinariesOfKnownFlavours) {
  const KernelTable& t = shipped();
  for (const char* kept : {"linux-image-4.15.0-72-generic", "linux-image-generic", "linux-image-generic-lpae",
                           "linux-image-virtual", "linux-image-aws-lts-18.04", "linux-image-gke-4.15",
                           "linux-image-raspi2", "linux-image-4.4.0-1124-raspi2", "linux-image-oem-osp1"}) {
    EXPECT_TRUE(t.keep_binary(kept)) << kept;
  }
  for (const char* dropped :
       {"linux-image-extra-4.4.0-170-generic", "linux-image-extra-virtual", "linux-image-4.15.0-72-generic-dbgsym",
        "linux-image-4.15.0-72-generic-dbg", "linux-image-unsigned-4.15.0-72-generic", "linux-headers-generic",
        "linux-modules-4.15.0-72-generic", "linux-image-", "linux-image-hwe-16.04"}) {
    EXPECT_FALSE(t.keep_binary(dropped)) << dropped;
  }
}

TEST(KernelTable, DerivesMetaAndSignedNames) {
  EXPECT_EQ(meta_name("linux"), "linux-meta");
  EXPECT_EQ(meta_name("linux-aws-hwe"), "linux-meta-aws-hwe");
  EXPECT_EQ(signed_name("linux"), "linux-signed");
  EXPECT_EQ(signed_name("linux-oem-osp1"), "linux-signed-oem-osp1");
  EXPECT_THROW(meta_name("nginx"), Error);
  EXPECT_THROW(signed_name("linuxfoo"), Error);
  EXPECT_THROW(meta_name("linux-"), Error);
}

TEST(KernelTable, ParsesDefaultsAndOverrides) {
  KernelTable t = KernelTable::parse("format: 1\nmeta-kernels:\n"
                                     "  - {release: xenial, kernel: linux-foo, subordinates: [linux-foo-modules]}\n"
                                     "  - {release: xenial, kernel: linux-bar, meta: linux-meta-baz, signed: "
                                     "linux-signed-qux, ignore-mabi: true}\n",
                                     "k.yaml");
  ASSERT_EQ(t.entries().size(), 2u);
  const MetaKernel& foo = t.entries()[0];
  EXPECT_EQ(foo.sources, (std::vector<std::string>{"linux-foo", "linux-foo-modules"}));
  EXPECT_EQ(foo.meta, "linux-meta-foo");
  EXPECT_EQ(foo.signed_source, "linux-signed-foo");
  EXPECT_EQ(foo.line, 3);
  const MetaKernel& bar = t.entries()[1];
  EXPECT_EQ(bar.meta, "linux-meta-baz");
  EXPECT_EQ(bar.signed_source, "linux-signed-qux");
  EXPECT_TRUE(bar.ignore_mabi);
  EXPECT_FALSE(bar.ignore_usn);
  EXPECT_EQ(t.pretty_name("linux-foo"), "XXX Unknown kernel") << "no pretty-names section";
  EXPECT_FALSE(t.keep_binary("linux-image-generic")) << "no flavours listed";
  EXPECT_TRUE(t.keep_binary("linux-image-4.4.0-1-foo")) << "an ABI-versioned image always";
}

TEST(KernelTable, RefusesMalformedAndDuplicateEntriesNamingTheLine) {
  const std::string head = "format: 1\nmeta-kernels:\n";
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux}\n  - {release: xenial, kernel: linux}\n"),
            "kernel-usn.yaml:4:5: error: xenial/linux is listed twice (first at line 3)");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux-aws}\n"
                            "  - {release: xenial, kernel: linux-foo, subordinates: [linux-aws]}\n"),
            "kernel-usn.yaml:4:5: error: xenial/linux-aws is listed twice (first at line 3)");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux, subordinates: [linux]}\n"),
            "kernel-usn.yaml:3:53: error: xenial/linux is listed twice");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux, sigend: none}\n"),
            "kernel-usn.yaml:3:38: error: unknown key 'sigend' (expected one of: release, kernel, subordinates, meta, "
            "signed, ignore-usn, ignore-mabi, edge)");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: nginx}\n"),
            "kernel-usn.yaml:3:31: error: 'nginx' is not a kernel source name (expected linux or linux-…)");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux, meta: meta-linux}\n"),
            "kernel-usn.yaml:3:44: error: 'meta-linux' is not a kernel source name (expected linux or linux-…)");
  EXPECT_EQ(error_of(head + "  - {release: xenial}\n"),
            "kernel-usn.yaml:3:5: error: expected a meta-kernels entry {release: R, kernel: linux-…}");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux, ignore-usn: maybe}\n"),
            "kernel-usn.yaml:3:50: error: expected true or false");
  EXPECT_EQ(error_of(head + "  - {release: xenial, kernel: linux, edge: true, ignore-usn: false}\n"),
            "kernel-usn.yaml:3:62: error: ignore-usn: an edge kernel ignores both the USN and the meta ABI checks");
  EXPECT_EQ(error_of(head + "  release: xenial\n"),
            "kernel-usn.yaml:3:3: error: expected 'meta-kernels' to be a list of {release, kernel, …} entries");
  EXPECT_EQ(error_of("format: 1\nkernels: []\n"),
            "kernel-usn.yaml:2:1: error: unknown key 'kernels' (expected one of: format, meta-kernels, "
            "mabi-glitches, mabi-alternates, pretty-names, descriptions, binary-filter, lts-kernels)");
  EXPECT_EQ(error_of("format: 2\n"),
            "kernel-usn.yaml:1:1: error: expected a mapping with `format: 1` and `meta-kernels`");
  EXPECT_EQ(error_of("format: 1\npretty-names:\n  linux: Linux kernel\n  linux: Linux\n"),
            "kernel-usn.yaml:4:3: error: pretty-names: linux is listed twice");
  EXPECT_EQ(error_of("format: 1\ndescriptions:\n  linux-aws:\n"),
            "kernel-usn.yaml:3:3: error: descriptions: linux-aws needs a value (a non-empty string)");
  EXPECT_EQ(error_of("format: 1\nmabi-glitches:\n  linux-meta:\n    bionic: 4.15.0.23.25\n"),
            "kernel-usn.yaml:4:13: error: expected 'linux-meta/bionic' to be a list");
  EXPECT_EQ(error_of("format: 1\nmabi-alternates: {linux-meta-hwe-edge: hwe}\n"),
            "kernel-usn.yaml:2:40: error: 'hwe' is not a kernel source name (expected linux or linux-…)");
  EXPECT_EQ(error_of("format: 1\nlts-kernels: [linux-lts-*, linux-lts-*]\n"),
            "kernel-usn.yaml:2:28: error: lts-kernels: linux-lts-* is listed twice");
  EXPECT_NE(error_of("format: 1\nmeta-kernels: [{release: xenial\n"), "no error");
  EXPECT_THROW(KernelTable::load_file("/no/such/kernel-usn.yaml"), Error);
}

TEST(KernelTable, DefaultPathIsBesideTheCatalogUnlessOverridden) {
  const char* saved = std::getenv("KCT_KERNEL_TABLE");
  std::string old = saved != nullptr ? saved : "";
  unsetenv("KCT_KERNEL_TABLE");
  std::string path = default_kernel_table_path();
  EXPECT_TRUE(path.ends_with("/kernel-usn.yaml")) << path;
  EXPECT_NO_THROW(KernelTable::load_file(path));
  setenv("KCT_KERNEL_TABLE", "/elsewhere/k.yaml", 1);
  EXPECT_EQ(default_kernel_table_path(), "/elsewhere/k.yaml");
  if (saved != nullptr) {
    setenv("KCT_KERNEL_TABLE", old.c_str(), 1);
  } else {
    unsetenv("KCT_KERNEL_TABLE");
  }
}

} // namespace
} // namespace kct::kernels
