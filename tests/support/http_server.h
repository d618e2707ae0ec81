#pragma once
// A real HTTP server on 127.0.0.1 for tests of downloads: python3's http.server over a
// directory, or a test's own Python script. Stopped when it goes out of scope.
#include <string>
#include <sys/types.h>
#include <vector>

namespace kct::testing {

class HttpServer {
public:
  // `python3 SCRIPT PORT`: the script must serve on 127.0.0.1:PORT.
  struct Script {
    std::string path;
  };

  // `python3 -m http.server --bind 127.0.0.1 PORT --directory DIR`.
  explicit HttpServer(const std::string& dir);
  explicit HttpServer(const Script& script);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Whether it started and answers connections.
  bool up() const;
  int port() const { return m_port; }
  // `http://127.0.0.1:PORT/NAME`.
  std::string url(const std::string& name) const;

private:
  void start(const std::vector<std::string>& argv);

  int m_port;
  pid_t m_pid = -1;
};

// A port on 127.0.0.1 that nothing listens on (at the time of the call).
int free_port();

} // namespace kct::testing
