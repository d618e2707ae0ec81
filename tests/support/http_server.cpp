#include "support/http_server.h"
#include "support/test_env.h"

#include <arpa/inet.h>
#include <chrono>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace kct::testing {

namespace {

bool answers(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

} // namespace

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

HttpServer::HttpServer(const std::string& dir) : m_port(free_port()) {
  start({"python3", "-m", "http.server", "--bind", "127.0.0.1", std::to_string(m_port), "--directory", dir});
}

HttpServer::HttpServer(const Script& script) : m_port(free_port()) {
  start({"python3", script.path, std::to_string(m_port)});
}

void HttpServer::start(const std::vector<std::string>& argv) {
  m_pid = spawn_quiet(argv);
  // Up to ten seconds for Python to start on a loaded machine.
  for (int i = 0; i < 200 && m_pid > 0 && !answers(m_port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

HttpServer::~HttpServer() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
}

bool HttpServer::up() const {
  return m_pid > 0 && answers(m_port);
}

std::string HttpServer::url(const std::string& name) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + "/" + name;
}

} // namespace kct::testing
