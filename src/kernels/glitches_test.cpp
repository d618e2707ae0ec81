#include "kernels/glitches.h"

#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::kernels {
namespace {

std::string error_of(const std::string& text) {
  try {
    GlitchTable::parse(text, "kernel-glitches.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(GlitchTable, FollowsChainsToTheVersionInSecurity) {
  GlitchTable t = GlitchTable::parse("format: 1\nglitches:\n"
                                     "  linux-azure:\n"
                                     "    xenial:\n"
                                     "      4.15.0-1049.54: 4.15.0-1050.55\n"
                                     "      4.15.0-1050.55: 4.15.0-1051.56\n"
                                     "      4.15.0-1051.56: 4.15.0-1052.57\n"
                                     "  linux-oem:\n"
                                     "    cosmic:\n"
                                     "      ~: 4.15.0-1044.49\n"
                                     "      4.15.0-1044.49: 4.15.0-1045.50\n",
                                     "g.yaml");
  EXPECT_EQ(t.mappings(), 5u);
  EXPECT_EQ(t.lookup("linux-azure", "xenial", "4.15.0-1049.54"), "4.15.0-1052.57");
  EXPECT_EQ(t.lookup("linux-azure", "xenial", "4.15.0-1051.56"), "4.15.0-1052.57");
  EXPECT_EQ(t.lookup("linux-azure", "xenial", "4.15.0-1052.57"), std::nullopt) << "not a key: no glitch";
  EXPECT_EQ(t.lookup("linux-azure", "bionic", "4.15.0-1049.54"), std::nullopt) << "per release";
  EXPECT_EQ(t.lookup("linux-aws", "xenial", "4.15.0-1049.54"), std::nullopt);
  EXPECT_EQ(t.lookup("linux-oem", "cosmic", k_never_published), "4.15.0-1045.50") << "`~`: first publication";
  EXPECT_EQ(t.chain("linux-azure", "xenial", "4.15.0-1050.55"),
            (std::vector<std::string>{"4.15.0-1050.55", "4.15.0-1051.56", "4.15.0-1052.57"}));
}

TEST(GlitchTable, RefusesCyclesAndMalformedEntriesNamingTheLine) {
  EXPECT_EQ(error_of("format: 1\nglitches:\n  linux:\n    bionic:\n      1.0-1.1: 1.0-2.2\n"
                     "      1.0-2.2: 1.0-3.3\n      1.0-3.3: 1.0-1.1\n"),
            "kernel-glitches.yaml:5:7: error: linux/bionic: the mapping loops: 1.0-1.1 → 1.0-2.2 → 1.0-3.3 → 1.0-1.1");
  EXPECT_EQ(error_of("format: 1\nglitches:\n  linux:\n    bionic:\n      1.0-1.1: 1.0-1.1\n"),
            "kernel-glitches.yaml:5:7: error: linux/bionic: the mapping loops: 1.0-1.1 → 1.0-1.1");
  EXPECT_EQ(error_of("format: 1\nglitches:\n  linux:\n    bionic: [1.0-1.1]\n"),
            "kernel-glitches.yaml:4:13: error: expected linux/bionic to map versions to versions");
  EXPECT_EQ(
      error_of("format: 1\nglitches:\n  linux:\n    bionic:\n      1.0-1.1:\n"),
      "kernel-glitches.yaml:5:7: error: linux/bionic: 1.0-1.1 maps to nothing; expected the version in -security");
  EXPECT_EQ(error_of("format: 2\n"),
            "kernel-glitches.yaml:1:1: error: expected a mapping with `format: 1` and `glitches`");
  EXPECT_EQ(error_of("format: 1\nglitchs: {}\n"),
            "kernel-glitches.yaml:2:1: error: unknown key 'glitchs' (expected one of: format, glitches)");
  EXPECT_NE(error_of("format: 1\nglitches: {a: [\n"), "no error");
}

TEST(GlitchTable, TheShippedTableLoads) {
  GlitchTable t = GlitchTable::load_file(default_glitches_path());
  EXPECT_GT(t.mappings(), 0u);
  EXPECT_EQ(t.lookup("linux-azure", "xenial", "4.15.0-1049.54"), "4.15.0-1052.57");
  EXPECT_THROW(GlitchTable::load_file("/no/such/kernel-glitches.yaml"), Error);
}

} // namespace
} // namespace kct::kernels
