#include "triage/presence.h"

#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

// The chain of `tip` by following links, newest first, as ProvenanceStore::chain does.
std::vector<int64_t> followed(const std::vector<std::pair<int64_t, int64_t>>& links, int64_t tip) {
  std::vector<int64_t> out;
  for (int64_t at = tip; at >= 0;) {
    out.push_back(at);
    int64_t next = -1;
    for (const auto& [tid, link] : links) {
      if (tid == at) {
        next = link;
      }
    }
    at = next;
  }
  return out;
}

// Two trees: upstream 1 <- 2 <- 3 <- 5, a derived kernel forked at 2 (4 <- 6), a stray 9 whose
// parent row is gone, and a second root 7 <- 8. Every (range, tip) answer matches following
// the links: the range is in the chain exactly when met on the way, at its depth.
TEST(RangeTree, AnswersAsFollowingTheLinksDoes) {
  std::vector<std::pair<int64_t, int64_t>> links{{1, -1}, {2, 1},  {3, 2}, {4, 2}, {5, 3},
                                                 {6, 4},  {7, -1}, {8, 7}, {9, 42}};
  RangeTree tree(links, "store.db");
  for (const auto& [tip, unused] : links) {
    std::vector<int64_t> chain = followed(links, tip);
    if (tip == 9) {
      chain = {9}; // ends at the missing row
    }
    for (int64_t range = 0; range <= 12; ++range) {
      int64_t expected = -1;
      for (size_t i = 0; i < chain.size(); ++i) {
        if (chain[i] == range) {
          expected = static_cast<int64_t>(chain.size() - 1 - i);
        }
      }
      EXPECT_EQ(tree.position(range, tip), expected) << "range " << range << " tip " << tip;
    }
  }
  EXPECT_FALSE(tree.known(0));
  EXPECT_FALSE(tree.known(42));
  EXPECT_TRUE(tree.known(9));
}

TEST(RangeTree, DeepChainsDoNotOverflowTheStack) {
  std::vector<std::pair<int64_t, int64_t>> links{{0, -1}};
  for (int64_t t = 1; t < 200000; ++t) {
    links.emplace_back(t, t - 1);
  }
  RangeTree tree(links, "store.db");
  EXPECT_EQ(tree.position(0, 199999), 0);
  EXPECT_EQ(tree.position(150000, 199999), 150000);
  EXPECT_EQ(tree.position(199999, 150000), -1);
}

TEST(RangeTree, NamesALinkCycle) {
  std::vector<std::pair<int64_t, int64_t>> links{{1, -1}, {2, 3}, {3, 2}};
  try {
    RangeTree tree(links, "state/kct-provenance.db");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("state/kct-provenance.db: tag link cycle at tid 2"), std::string::npos)
        << e.what();
  }
}

} // namespace
} // namespace kct::triage
