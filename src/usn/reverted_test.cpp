#include "usn/reverted.h"

#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::usn {
namespace {

TEST(UsnReverted, ParsesMergesAndFormats) {
  RevertedList list = parse_reverted("544-1 CVE-2007-4572\n1234-2 CVE-2010-1 CVE-2010-2\n\n544-1 CVE-2008-1 "
                                     "CVE-2007-4572\n",
                                     "reverted-CVEs.txt");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], (RevertedEntry{"544-1", {"CVE-2007-4572", "CVE-2008-1"}}));
  EXPECT_EQ(list[1], (RevertedEntry{"1234-2", {"CVE-2010-1", "CVE-2010-2"}}));
  EXPECT_TRUE(is_reverted(list, "1234-2", "CVE-2010-2"));
  EXPECT_FALSE(is_reverted(list, "1234-2", "CVE-2007-4572"));
  EXPECT_EQ(format_reverted(list), "544-1 CVE-2007-4572 CVE-2008-1\n1234-2 CVE-2010-1 CVE-2010-2\n");
  EXPECT_EQ(parse_reverted(format_reverted(list), "x"), list);
}

TEST(UsnReverted, NamesTheLineOfABadEntry) {
  auto error_of = [](const char* text) {
    try {
      parse_reverted(text, "meta_lists/reverted-CVEs.txt");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("544-1 CVE-1\n545-1\n"), "meta_lists/reverted-CVEs.txt:2: USN 545-1 names no CVE");
  EXPECT_EQ(error_of("CVE-1 544-1\n"), "meta_lists/reverted-CVEs.txt:1: `CVE-1` is not a USN id such as 544-1");
}

} // namespace
} // namespace kct::usn
