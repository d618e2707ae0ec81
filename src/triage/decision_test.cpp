// The decision walk against the verified examples of the kernel-team doc (§1.9.7), with
// presence given per version instead of by git.
#include "triage/decision.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

namespace kct::triage {
namespace {

// versions 1.0-1.1 … 1.0-4.4 and, optionally, pending. The break B is there from 1.1, the fix
// F lands in 2.2, is reverted in 4.4 and re-added on the tip.
struct Scenario {
  std::vector<std::string> versions = {"1.0-1.1", "1.0-2.2", "1.0-3.3", "1.0-4.4"};
  std::map<std::string, std::set<std::string>> present = {{"1.0-1.1", {"B"}},
                                                          {"1.0-2.2", {"B", "F"}},
                                                          {"1.0-3.3", {"B", "F"}},
                                                          {"1.0-4.4", {"B"}},
                                                          {"pending", {"B", "F"}}};
  Presence presence() const {
    return [this](size_t k, const std::string& id) { return present.at(versions[k]).count(id) > 0; };
  }
};

Need need(std::string b, std::vector<std::string> fixes) {
  return {std::move(b), std::move(fixes), 1, false};
}

TEST(Decision, VerifiedExamplesWithPendingTip) {
  Scenario s;
  s.versions.push_back("pending");
  Decision d = decide({need("B", {"F"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "released");
  EXPECT_EQ(d.version, "pending");
  EXPECT_EQ(d.wanted, "F");
  d = decide({need("-", {"E"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "needed");
  EXPECT_EQ(d.version, "-");
  d = decide({need("E", {"F"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "not-affected");
  EXPECT_EQ(d.version, "1.0-1.1");
  EXPECT_EQ(d.wanted, "-");
  d = decide({need("B", {"E", "F"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "released");
  EXPECT_EQ(d.version, "pending");
  EXPECT_EQ(d.wanted, "E|F");
}

TEST(Decision, VerifiedExamplesWithoutTip) {
  Scenario s;
  Decision d = decide({need("B", {"F"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "needed"); // reverted in 4.4
  d = decide({need("B", {"E", "F"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "needed");
}

TEST(Decision, ReleasedIsTheStartOfTheLatestFixedRun) {
  Scenario s;
  s.present["1.0-4.4"] = {"B", "F"};
  Decision d = decide({need("B", {"F"})}, s.versions, s.presence(), true);
  EXPECT_EQ(d.state, "released");
  EXPECT_EQ(d.version, "1.0-2.2");
  ASSERT_EQ(d.walk.size(), 4u);
  EXPECT_EQ(d.walk.back().outcome, "released");
}

TEST(Decision, FixedAllTheWayDownIsNotAffectedSinceTheOldest) {
  Scenario s;
  for (auto& [v, ids] : s.present) {
    ids.insert("F");
  }
  Decision d = decide({need("B", {"F"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "not-affected");
  EXPECT_EQ(d.version, "1.0-1.1");
}

TEST(Decision, EmptyVersionListIsNotAffectedWithoutVersion) {
  Decision d = decide({need("B", {"F"})}, {}, [](size_t, const std::string&) { return true; });
  EXPECT_EQ(d.state, "not-affected");
  EXPECT_EQ(d.version, "-");
}

TEST(Decision, EveryApplicableNeedMustBeFixed) {
  Scenario s;
  s.present["1.0-4.4"] = {"B", "F"};
  // Two needs, both break B; the second's fix G never lands.
  Decision d = decide({need("B", {"F"}), need("B", {"G"})}, s.versions, s.presence());
  EXPECT_EQ(d.state, "needed");
  EXPECT_EQ(d.wanted, "F,G");
}

} // namespace
} // namespace kct::triage
