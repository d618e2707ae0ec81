#include "debver/kernel_abi.h"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace kct::debver {
namespace {

TEST(KernelAbi, PackageAbiIsAfterLastHyphenUpToFirstDot) {
  EXPECT_EQ(kernel_package_abi("4.15.0-101.102"), 101);
  EXPECT_EQ(kernel_package_abi("4.15.0-1037.39~16.04.1"), 1037);
  EXPECT_EQ(kernel_package_abi("4.4.0-21.37"), 21);
  EXPECT_EQ(kernel_package_abi("5.0.0-1000"), 1000);
  // The LAST hyphen counts, so a hyphenated upstream part is skipped over.
  EXPECT_EQ(kernel_package_abi("3.13.0-rc1-44.73"), 44);
}

TEST(KernelAbi, PackageAbiRejectsUnparsable) {
  EXPECT_EQ(kernel_package_abi("4.15.0"), std::nullopt);  // no hyphen
  EXPECT_EQ(kernel_package_abi("4.15.0-"), std::nullopt); // empty ABI
  EXPECT_EQ(kernel_package_abi("4.15.0-.1"), std::nullopt);
  EXPECT_EQ(kernel_package_abi("4.15.0-abc.1"), std::nullopt);
  EXPECT_EQ(kernel_package_abi("4.15.0-12abc.1"), std::nullopt); // trailing junk
  EXPECT_EQ(kernel_package_abi("4.15.0-1037~16.04.1"), std::nullopt);
  EXPECT_EQ(kernel_package_abi("4.15.0-+5.1"), std::nullopt);
  EXPECT_EQ(kernel_package_abi("4.15.0-99999999999999999999.1"), std::nullopt); // overflow
  EXPECT_EQ(kernel_package_abi(""), std::nullopt);
}

TEST(KernelAbi, PackageVersionIsBeforeLastHyphen) {
  EXPECT_EQ(kernel_package_version("4.15.0-45.54"), std::optional<std::string_view>("4.15.0"));
  EXPECT_EQ(kernel_package_version("3.13.0-rc1-44.73"), std::optional<std::string_view>("3.13.0-rc1"));
  EXPECT_EQ(kernel_package_version("-1"), std::optional<std::string_view>(""));
  EXPECT_EQ(kernel_package_version("4.15.0"), std::nullopt);
  EXPECT_EQ(kernel_package_version(""), std::nullopt);
}

TEST(KernelAbi, MetaAbiUsesSecondToLastComponentByDefault) {
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57"), 45);
  EXPECT_EQ(kernel_meta_abi("4.15.0.1037.39"), 1037);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", -1), 57);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", -5), 4);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", 0), 4);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", 3), 45);
  EXPECT_EQ(kernel_meta_abi("45.57"), 45);
}

TEST(KernelAbi, MetaAbiRejectsOutOfRangeAndNonIntegers) {
  EXPECT_EQ(kernel_meta_abi("57"), std::nullopt); // only one component
  EXPECT_EQ(kernel_meta_abi(""), std::nullopt);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", -6), std::nullopt);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", 5), std::nullopt);
  EXPECT_EQ(kernel_meta_abi("4.15.0.45.57", -2147483647 - 1), std::nullopt);
  EXPECT_EQ(kernel_meta_abi("4.15.0..57"), std::nullopt); // empty component
  EXPECT_EQ(kernel_meta_abi("4.15.0.45~rc1.57"), std::nullopt);
  EXPECT_EQ(kernel_meta_abi("4.15.0.-1.57"), std::nullopt);
  EXPECT_EQ(kernel_meta_abi("4.15.0.99999999999999999999.57"), std::nullopt);
}

} // namespace
} // namespace kct::debver
