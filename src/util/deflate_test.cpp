#include "util/deflate.h"

#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::util {
namespace {

TEST(Deflate, RoundTripsTextsOfEverySize) {
  std::string large;
  for (int i = 0; i < 20000; ++i) {
    large += "{\"op\":\"replace\",\"path\":\"/releases/focal/binaries/linux-image-" + std::to_string(i) + "\"}";
  }
  for (const std::string& text : {std::string(), std::string("x"), std::string("\0\xff\n", 3), large}) {
    std::string packed = deflate_text(text);
    EXPECT_EQ(inflate_text(packed, "t"), text);
  }
  EXPECT_LT(deflate_text(large).size() * 5, large.size()) << "repetitive JSON should shrink well";
}

TEST(Deflate, CorruptInputNamesWhere) {
  std::string packed = deflate_text("some history patch text, long enough to matter");
  std::string truncated = packed.substr(0, packed.size() - 5);
  try {
    inflate_text(truncated, "usn.db: history 7");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("usn.db: history 7: corrupt compressed text"), std::string::npos) << e.what();
  }
  EXPECT_THROW(inflate_text("ab", "w"), Error);
  std::string wrong_length = packed;
  wrong_length[0] = static_cast<char>(wrong_length[0] + 1);
  EXPECT_THROW(inflate_text(wrong_length, "w"), Error);
}

} // namespace
} // namespace kct::util
