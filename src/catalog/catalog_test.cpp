#include "catalog/catalog.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::catalog {
namespace {

TEST(Catalog, ShippedCatalogDescribesTheSnapshotEra) {
  const Catalog& c = testing::source_catalog();
  ASSERT_NE(c.devel_release(), nullptr);
  EXPECT_EQ(c.devel_release()->name, "focal");
  EXPECT_EQ(c.resolve_alias("devel"), "focal");
  std::vector<std::string> supported = c.supported_release_keys();
  EXPECT_EQ(supported,
            (std::vector<std::string>{"precise/esm", "trusty/esm", "xenial", "bionic", "disco", "eoan", "devel"}));
  const Release* esm = c.find_release("trusty/esm");
  ASSERT_NE(esm, nullptr);
  EXPECT_EQ(esm->kind, ReleaseKind::variant);
  EXPECT_EQ(esm->variant_kind, "esm");
  EXPECT_EQ(esm->base, "trusty");
  EXPECT_TRUE(c.find_release("trusty")->eol);
  EXPECT_EQ(c.find_release("upstream")->kind, ReleaseKind::pseudo);
  EXPECT_EQ(c.find_release("jammy"), nullptr);
  EXPECT_TRUE(c.is_kernel_source("linux-hwe"));
  EXPECT_FALSE(c.is_kernel_source("openssl"));
  EXPECT_EQ(c.kernel_sources().size(), 43u);
  EXPECT_TRUE(c.is_product("linux-krillin"));
  EXPECT_TRUE(c.is_snap("pc-kernel"));
  EXPECT_TRUE(c.is_unpublished_kernel("linux-azure-edge", "xenial"));
  EXPECT_FALSE(c.is_unpublished_kernel("linux-azure-edge", "bionic"));
}

TEST(Catalog, ReleaseOrderIsTrackerOrderWithVariantsAfterTheirRelease) {
  const Catalog& c = testing::source_catalog();
  std::vector<std::string> names;
  for (const Release& r : c.releases()) {
    names.push_back(r.name);
  }
  auto pos = [&](const char* n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  EXPECT_EQ(pos("precise/esm"), pos("precise") + 1);
  EXPECT_EQ(pos("vivid/stable-phone-overlay"), pos("vivid") + 1);
  EXPECT_LT(pos("xenial"), pos("bionic"));
  EXPECT_EQ(names.size(), 33u + 4u); // 33 releases and variants, 4 pseudo-releases
}

TEST(Catalog, KernelsKnowWhatTheyDeriveFrom) {
  const Catalog& c = testing::source_catalog();
  std::vector<const Kernel*> xenial = c.kernels_of("xenial");
  auto hwe = std::find_if(xenial.begin(), xenial.end(), [](const Kernel* k) { return k->source == "linux-hwe"; });
  ASSERT_NE(hwe, xenial.end());
  EXPECT_EQ((*hwe)->derived_from_release, "bionic");
  EXPECT_EQ((*hwe)->derived_from_source, "linux");
  EXPECT_TRUE((*hwe)->backport);
  std::vector<const Kernel*> esm = c.kernels_of("precise/esm");
  ASSERT_EQ(esm.size(), 2u);
  EXPECT_EQ(esm[1]->derived_from_release, "trusty/esm");
}

const char* k_minimal = "format: 1\n"
                        "releases:\n"
                        "  - {name: xenial, version: \"16.04\", lts: true}\n"
                        "  - {name: jammy, version: \"22.04\", devel: true}\n"
                        "pseudo-releases: [upstream, devel]\n"
                        "kernel-sources: [linux, linux-aws]\n"
                        "kernels:\n"
                        "  - {release: jammy, source: linux}\n";

TEST(Catalog, AddingAReleaseIsOneLine) {
  Catalog c = Catalog::load_text(k_minimal, "mini.yaml");
  EXPECT_EQ(c.devel_release()->name, "jammy");
  std::string more = std::string(k_minimal);
  more.insert(more.find("pseudo-releases"), "  - {name: kinetic, version: \"22.10\"}\n");
  Catalog d = Catalog::load_text(more, "mini.yaml");
  EXPECT_NE(d.find_release("kinetic"), nullptr);
  std::string kernel = std::string(k_minimal) + "  - {release: jammy, source: linux-aws, derived-from: jammy/linux}\n";
  EXPECT_EQ(Catalog::load_text(kernel, "mini.yaml").kernels().size(), 2u);
}

struct BadCatalog {
  const char* name;
  std::string text;
  std::string message;
};

class CatalogErrors : public ::testing::TestWithParam<BadCatalog> {};

TEST_P(CatalogErrors, NameFileLineAndWhatWasExpected) {
  try {
    Catalog::load_text(GetParam().text, "cat.yaml");
    FAIL() << "accepted a bad catalog";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), GetParam().message);
  }
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    All, CatalogErrors,
    ::testing::Values(
        BadCatalog{"BadVersion", replace(k_minimal, "\"16.04\"", "\"16.4\""),
                   "cat.yaml:3:29: error: expected version of 'xenial' as YY.MM, got '16.4'"},
        BadCatalog{
            "UnknownKey", replace(k_minimal, "lts: true", "ltss: true"),
            "cat.yaml:3:38: error: unknown key 'ltss' (expected one of: name, version, lts, eol, devel, variants)"},
        BadCatalog{"TwoDevels", replace(k_minimal, "lts: true", "devel: true"),
                   "cat.yaml:4:5: error: at most one release can be the development release"},
        BadCatalog{"DuplicateRelease", replace(k_minimal, "name: jammy", "name: xenial"),
                   "cat.yaml:4:5: error: release 'xenial' is defined twice"},
        BadCatalog{"KernelInUnknownRelease", replace(k_minimal, "release: jammy", "release: noble"),
                   "cat.yaml:8:15: error: unknown release 'noble' for kernel 'linux'"},
        BadCatalog{"KernelNotAKernelSource", replace(k_minimal, "source: linux}", "source: openssl}"),
                   "cat.yaml:8:30: error: kernel 'openssl' is not listed in kernel-sources"},
        BadCatalog{"DerivedFromUnknownKernel",
                   std::string(k_minimal) + "  - {release: jammy, source: linux-aws, derived-from: xenial/linux}\n",
                   "cat.yaml:9:55: error: derived-from names xenial/linux, which is not in 'kernels'"},
        BadCatalog{"BadFlag", replace(k_minimal, "lts: true", "lts: yes-ish"),
                   "cat.yaml:3:43: error: expected 'lts' to be true or false"},
        BadCatalog{"NotYaml", "releases: [", "cat.yaml:1:1: error: end of sequence flow not found"},
        BadCatalog{"MissingFormat", replace(k_minimal, "format: 1\n", ""),
                   "cat.yaml:1:1: error: expected `format: 1`"}),
    [](const ::testing::TestParamInfo<BadCatalog>& info) { return std::string(info.param.name); });

TEST(Catalog, MissingFileIsAnError) {
  EXPECT_THROW(Catalog::load_file("/nonexistent/catalog.yaml"), Error);
}

} // namespace
} // namespace kct::catalog
