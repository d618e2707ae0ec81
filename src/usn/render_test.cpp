// The publication renderers on small notices built here: markdown escaping, release names
// (LTS, ESM, interim), the e-mail's fallbacks, and OSV's ecosystems and purls.
#include "usn/render_email.h"
#include "usn/render_osv.h"
#include "usn/render_web.h"

#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::usn {
namespace {

Notice notice() {
  Notice n;
  n.id = "4500-1";
  n.title = "Foo vulnerabilities";
  n.summary = "foo vulnerabilities";
  n.description = "Foo *did* <b>bad</b> things. (CVE-2019-3001)\n";
  n.cves = std::vector<std::string>{"CVE-2019-3001", "https://launchpad.net/bugs/123"};
  n.timestamp = Timestamp{int64_t{1577836800}};
  Release trusty; // EOL with a live ESM in the source catalog
  trusty.sources =
      std::map<std::string, SourceEntry>{{"foo", SourceEntry{"1:2.3+dfsg-1ubuntu0.1~esm1", {}, Json::object()}}};
  Release eoan;
  eoan.sources =
      std::map<std::string, SourceEntry>{{"foo", SourceEntry{"2.4-1ubuntu0.1", "the foo tool", Json::object()}}};
  n.releases["trusty"] = trusty;
  n.releases["eoan"] = eoan;
  return n;
}

TEST(UsnRenderWeb, EscapesWhatMarkdownWouldActOn) {
  EXPECT_EQ(markdown_escape("a *b* _c_ `d` [e](f) <g> & h | i ~j~ !k \\ l"),
            "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\& h \\| i \\~j\\~ \\!k \\\\ l");
  EXPECT_EQ(markdown_escape("# not a heading\n- not a list\n+ nor\n= nor\n12. nor an ordered list\n"
                            "    not code\n\nnext paragraph"),
            "\\# not a heading\n\\- not a list\n\\+ nor\n\\= nor\n12\\. nor an ordered list\nnot code\n\n"
            "next paragraph");
  EXPECT_EQ(markdown_escape("1.0-1 and 4.15 stay"), "1\\.0-1 and 4.15 stay");
}

TEST(UsnRenderWeb, PageLayout) {
  std::string md = render_web(notice(), kct::testing::source_catalog());
  EXPECT_EQ(md,
            "---\ntitle: \"USN-4500-1: Foo vulnerabilities\"\ndate: \"2020-01-01T00:00:00Z\"\n"
            "summary: \"foo vulnerabilities\"\nreleases:\n  - \"eoan\"\n  - \"trusty\"\n"
            "cves:\n  - \"CVE-2019-3001\"\n  - \"https://launchpad.net/bugs/123\"\n---\n\n"
            "## Details\n\nFoo \\*did\\* \\<b\\>bad\\</b\\> things. (CVE-2019-3001)\n\n"
            "## Update instructions\n\n"
            "The problem can be corrected by updating your system to the following package versions:\n\n"
            "### Ubuntu 19.10\n\n| Package | Version |\n| --- | --- |\n| foo | 2.4-1ubuntu0.1 |\n\n"
            "### Ubuntu 14.04 ESM\n\n| Package | Version |\n| --- | --- |\n| foo | 1:2.3+dfsg-1ubuntu0.1\\~esm1 |\n\n"
            "## References\n\n- [CVE-2019-3001](https://ubuntu.com/security/CVE-2019-3001)\n"
            "- <https://launchpad.net/bugs/123>\n");
}

TEST(UsnRenderEmail, NamesReleasesAndFallsBackToSources) {
  std::string mail = render_email(notice(), kct::testing::source_catalog());
  EXPECT_NE(mail.find("\nJanuary 01, 2020\n\nFoo vulnerabilities\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("derivatives:\n\n- Ubuntu 19.10\n- Ubuntu 14.04 ESM\n\nSummary:\n\nfoo vulnerabilities\n\n"
                      "Software Description:\n- foo: the foo tool\n\n"),
            std::string::npos)
      << mail;
  EXPECT_NE(mail.find("Ubuntu 19.10:\n  foo  2.4-1ubuntu0.1\n\nUbuntu 14.04 ESM:\n  foo  1:2.3+dfsg-1ubuntu0.1~esm1\n\n"
                      "References:\n  https://ubuntu.com/security/notices/USN-4500-1\n  CVE-2019-3001\n"
                      "  https://launchpad.net/bugs/123\n\nPackage Information:\n"
                      "  https://launchpad.net/ubuntu/+source/foo/2.4-1ubuntu0.1\n"),
            std::string::npos)
      << mail;
  EXPECT_TRUE(mail.ends_with("/foo/2.4-1ubuntu0.1\n")) << mail; // no ESM package page
}

TEST(UsnRenderOsv, EcosystemsPurlsAndReferences) {
  Json osv = Json::parse(render_osv(notice(), kct::testing::source_catalog()));
  ASSERT_EQ(osv["affected"].size(), 2u);
  EXPECT_EQ(osv["affected"][0]["package"], Json::parse(R"({"ecosystem": "Ubuntu:19.10", "name": "foo",
                            "purl": "pkg:deb/ubuntu/foo@2.4-1ubuntu0.1?arch=source&distro=eoan"})"));
  EXPECT_EQ(osv["affected"][1]["package"]["ecosystem"], "Ubuntu:14.04:LTS");
  EXPECT_EQ(osv["affected"][1]["package"]["purl"],
            "pkg:deb/ubuntu/foo@1%3A2.3%2Bdfsg-1ubuntu0.1~esm1?arch=source&distro=trusty");
  EXPECT_EQ(osv["affected"][1]["ranges"][0]["events"][1]["fixed"], "1:2.3+dfsg-1ubuntu0.1~esm1");
  EXPECT_EQ(osv["upstream"], Json::parse(R"(["CVE-2019-3001"])"));
  EXPECT_EQ(osv["references"], Json::parse(R"([
    {"type": "ADVISORY", "url": "https://ubuntu.com/security/notices/USN-4500-1"},
    {"type": "REPORT", "url": "https://ubuntu.com/security/CVE-2019-3001"},
    {"type": "REPORT", "url": "https://launchpad.net/bugs/123"}])"));
  EXPECT_EQ(osv["published"], "2020-01-01T00:00:00Z");
}

TEST(UsnRender, AnUnknownReleaseIsNamed) {
  Notice n = notice();
  n.releases["trusty/esm"] = Release{};
  try {
    render_osv(n, kct::testing::source_catalog());
    FAIL() << "rendered";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "USN 4500-1: releases.trusty/esm: unknown release 'trusty/esm' (not a plain codename of the catalog " +
                  kct::testing::source_catalog().path() + ")");
  }
}

} // namespace
} // namespace kct::usn
