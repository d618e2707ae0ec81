#include "workflow/last_usn_version.h"

#include "usn/sqlite_store.h"

#include "support/test_env.h"

#include <gtest/gtest.h>

namespace kct::workflow {
namespace {

class LastUsnVersionTest : public ::testing::Test {
protected:
  void publish(const std::string& id, const std::string& release, const std::string& source,
               const std::string& version) {
    usn::Notice notice;
    notice.id = id;
    notice.title = "Linux kernel vulnerabilities";
    notice.releases[release].sources.emplace()[source] = usn::SourceEntry{version, "Linux kernel", usn::Json::object()};
    m_store.put(notice, usn::k_must_not_exist, usn::Author{"tester", ""});
  }

  kct::testing::ScopedTempDir m_dir;
  usn::SqliteStore m_store{m_dir.path() + "/usn.db"};
  kernels::GlitchTable m_glitches = kernels::GlitchTable::parse("format: 1\nglitches:\n"
                                                                "  linux-azure:\n"
                                                                "    xenial:\n"
                                                                "      4.15.0-1049.54: 4.15.0-1050.55\n"
                                                                "      4.15.0-1050.55: 4.15.0-1051.56\n"
                                                                "  linux-oem:\n"
                                                                "    cosmic:\n"
                                                                "      ~: 4.15.0-1044.49\n"
                                                                "      4.15.0-1044.49: 4.15.0-1045.50\n"
                                                                "  linux:\n"
                                                                "    xenial:\n"
                                                                "      ~: 4.4.0-1.1\n",
                                                                "glitches.yaml");
};

TEST_F(LastUsnVersionTest, TakesTheHighestVersionByDebianOrder) {
  publish("100-1", "xenial", "linux", "4.4.0-99.1");
  publish("200-1", "xenial", "linux", "4.4.0-100.2"); // higher, though not as text
  publish("300-1", "xenial", "linux", "4.4.0-98.5");  // a later notice with an older version
  publish("400-1", "bionic", "linux", "4.15.0-200.1");
  publish("500-1", "xenial", "linux-aws", "4.4.0-1200.1");
  std::optional<LastUsn> last = last_usn_version(m_store, "xenial", "linux", nullptr);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->version, "4.4.0-100.2");
  EXPECT_EQ(last->notice_id, "200-1");
  EXPECT_FALSE(last->from_glitch);
  EXPECT_TRUE(last->glitch_chain.empty());
  // A notice's version beats the `~` glitch, which is for kernels without any notice.
  last = last_usn_version(m_store, "xenial", "linux", &m_glitches);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->version, "4.4.0-100.2");
  EXPECT_FALSE(last->from_glitch);
}

TEST_F(LastUsnVersionTest, FollowsTheGlitchChainFromTheNoticesVersion) {
  publish("4000-1", "xenial", "linux-azure", "4.15.0-1049.54");
  std::optional<LastUsn> plain = last_usn_version(m_store, "xenial", "linux-azure", nullptr);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->version, "4.15.0-1049.54") << "no remap without the glitch table";
  std::optional<LastUsn> last = last_usn_version(m_store, "xenial", "linux-azure", &m_glitches);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->version, "4.15.0-1051.56");
  EXPECT_EQ(last->notice_id, "4000-1");
  EXPECT_TRUE(last->from_glitch);
  EXPECT_EQ(last->glitch_chain, (std::vector<std::string>{"4.15.0-1049.54", "4.15.0-1050.55", "4.15.0-1051.56"}));
}

TEST_F(LastUsnVersionTest, TriesTheNeverPublishedGlitchWhenNoNoticeExists) {
  std::optional<LastUsn> last = last_usn_version(m_store, "cosmic", "linux-oem", &m_glitches);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->version, "4.15.0-1045.50");
  EXPECT_EQ(last->notice_id, "");
  EXPECT_TRUE(last->from_glitch);
  EXPECT_EQ(last->glitch_chain, (std::vector<std::string>{"~", "4.15.0-1044.49", "4.15.0-1045.50"}));
  EXPECT_FALSE(last_usn_version(m_store, "cosmic", "linux-oem", nullptr));
}

TEST_F(LastUsnVersionTest, NothingWhenNeitherANoticeNorAGlitchNamesTheKernel) {
  publish("100-1", "xenial", "linux-aws", "4.4.0-1001.1");
  EXPECT_FALSE(last_usn_version(m_store, "bionic", "linux-aws", &m_glitches));
  EXPECT_FALSE(last_usn_version(m_store, "xenial", "linux-kvm", &m_glitches));
  EXPECT_FALSE(last_usn_version(m_store, "xenial", "linux-kvm", nullptr));
}

TEST_F(LastUsnVersionTest, AcceptsTrackerReleaseNamesAndQueriesTheBaseCodename) {
  publish("4186-2", "trusty", "linux-lts-xenial", "4.4.0-168.197~14.04.1");
  std::optional<LastUsn> last = last_usn_version(m_store, "trusty/esm", "linux-lts-xenial", &m_glitches);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->version, "4.4.0-168.197~14.04.1");
  EXPECT_EQ(last->notice_id, "4186-2");
  EXPECT_EQ(last_usn_version(m_store, "trusty", "linux-lts-xenial", nullptr)->version, "4.4.0-168.197~14.04.1");
}

} // namespace
} // namespace kct::workflow
