#include "triage/upstream_aggregate.h"

#include <gtest/gtest.h>

namespace kct::triage {
namespace {

TEST(UpstreamAggregate, OrdersNumericComponentsNumericallyAndWordsLast) {
  EXPECT_TRUE(upstream_version_less("5.15.y", "6.1.30"));
  EXPECT_TRUE(upstream_version_less("4.19.9", "4.19.80"));
  EXPECT_TRUE(upstream_version_less("5.4.100", "5.4.y"));
  EXPECT_FALSE(upstream_version_less("5.4.y", "5.4.100"));
  EXPECT_TRUE(upstream_version_less("5.4", "5.4.1"));
  EXPECT_TRUE(upstream_version_less("6.3", "6.3~rc2"));  // `3~rc2` is a word, after every number
  EXPECT_FALSE(upstream_version_less("5.4.y", "5.4.z")); // two words tie
  EXPECT_FALSE(upstream_version_less("5.4.z", "5.4.y"));
  EXPECT_TRUE(upstream_version_less("99999999999999999999.1", "100000000000000000000.0"));
}

TEST(UpstreamAggregate, ListsLinusThenTheReleasedStableVersionsInOrder) {
  std::vector<StableResult> stables = {{"linux-6.1", "released", "6.1.30"},
                                       {"linux-5.15", "released", "pending"},
                                       {"linux-5.4", "not-affected", "5.4.200"},
                                       {"linux-4.19", "needed", ""},
                                       {"linux-5.10", "released", "5.10.9"}};
  EXPECT_EQ(upstream_note("6.3", stables), "6.3, 5.10.9, 5.15.y, 6.1.30");
}

TEST(UpstreamAggregate, TiesKeepTheirInputOrder) {
  std::vector<StableResult> stables = {{"linux-5.4", "released", "5.4.z"}, {"linux-5.4", "released", "5.4.y"}};
  EXPECT_EQ(upstream_note("5.5", stables), "5.5, 5.4.z, 5.4.y");
}

TEST(UpstreamAggregate, WithoutStablesIsTheLinusVersionAlone) {
  EXPECT_EQ(upstream_note("5.2", {}), "5.2");
  EXPECT_EQ(upstream_note("", {}), "");
}

TEST(UpstreamAggregate, WithoutALinusVersionHasNoLeadingComma) {
  EXPECT_EQ(upstream_note("", {{"linux-6.1", "released", "6.1.30"}, {"linux-5.15", "released", "5.15.2"}}),
            "5.15.2, 6.1.30");
}

} // namespace
} // namespace kct::triage
