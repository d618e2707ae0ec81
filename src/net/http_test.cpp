// Downloads against real HTTP servers on 127.0.0.1: python3's http.server over a directory,
// and a small Python server of our own for statuses, redirects and the request's headers.
#include "net/http.h"

#include "support/http_server.h"
#include "support/test_env.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace kct::net {
namespace {

using testing::HttpServer;
using testing::ScopedTempDir;

constexpr const char* k_server = R"(import http.server, sys

class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body=b'', location=None):
        self.send_response(code)
        if location:
            self.send_header('Location', location)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == '/agent':
            self.reply(200, self.headers.get('User-Agent', '').encode())
        elif self.path == '/moved':
            self.reply(302, location='/agent')
        elif self.path == '/loop':
            self.reply(302, location='/loop')
        elif self.path.startswith('/status/'):
            self.reply(int(self.path[len('/status/'):]), b'an error page')
        else:
            self.reply(404)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
)";

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

class HttpTest : public ::testing::Test {
protected:
  HttpTest() : m_server(HttpServer::Script{m_tmp.write("server.py", k_server)}) {}
  void SetUp() override { ASSERT_TRUE(m_server.up()); }
  std::string url(const std::string& name) const { return m_server.url(name); }

private:
  ScopedTempDir m_tmp;
  HttpServer m_server;
};

TEST(Http, ReturnsAFileByteForByte) {
  ScopedTempDir tmp;
  std::string bytes("binary\0data\xff\x1f\x8b\n", 17);
  tmp.write("www/dists/Release", bytes);
  HttpServer server(tmp.path() + "/www");
  ASSERT_TRUE(server.up());
  EXPECT_EQ(http_get(server.url("dists/Release")), bytes);
  EXPECT_EQ(http_get_if_found(server.url("dists/Release")), bytes);
  EXPECT_EQ(http_get_if_found(server.url("dists/Missing")), std::nullopt);
}

TEST_F(HttpTest, SendsKctUserAgentAndFollowsRedirects) {
  std::string agent = http_get(url("moved"));
  EXPECT_TRUE(agent.starts_with("kct/")) << agent;
  EXPECT_TRUE(agent.size() > 4 && agent[4] >= '0' && agent[4] <= '9') << agent;
  EXPECT_EQ(http_get(url("agent")), agent);
}

TEST_F(HttpTest, ErrorStatusThrowsNamingTheUrl) {
  for (int status : {400, 403, 404, 410, 500, 503}) {
    std::string u = url("status/" + std::to_string(status));
    EXPECT_EQ(error_of([&] { http_get(u); }), u + ": download failed: HTTP " + std::to_string(status));
  }
}

TEST_F(HttpTest, IfFoundGivesNothingOnlyForNotFoundAndGone) {
  EXPECT_EQ(http_get_if_found(url("status/404")), std::nullopt);
  EXPECT_EQ(http_get_if_found(url("status/410")), std::nullopt);
  for (int status : {401, 403, 500}) {
    std::string u = url("status/" + std::to_string(status));
    EXPECT_EQ(error_of([&] { http_get_if_found(u); }), u + ": download failed: HTTP " + std::to_string(status));
  }
}

TEST_F(HttpTest, RedirectLoopIsAnError) {
  std::string u = url("loop");
  std::string error = error_of([&] { http_get_if_found(u); });
  EXPECT_TRUE(error.starts_with(u + ": download failed: ")) << error;
  EXPECT_NE(error.find("redirect"), std::string::npos) << error;
}

TEST(Http, TransferErrorsNameTheUrl) {
  std::string refused = "http://127.0.0.1:" + std::to_string(testing::free_port()) + "/x";
  std::string error = error_of([&] { http_get_if_found(refused); });
  EXPECT_TRUE(error.starts_with(refused + ": download failed: ")) << error;
  EXPECT_NE(error.find("onnect"), std::string::npos) << error;

  std::string ftp = "ftp://127.0.0.1/x";
  error = error_of([&] { http_get(ftp); });
  EXPECT_TRUE(error.starts_with(ftp + ": download failed: ")) << error;
}

} // namespace
} // namespace kct::net
