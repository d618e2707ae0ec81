#include "support/postgres_server.h"

#include "support/test_env.h"

#include <arpa/inet.h>
#include <filesystem>
#include <netinet/in.h>
#include <pwd.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace kct::testing {
namespace {

namespace fs = std::filesystem;

std::string find_bin_dir() {
  std::error_code ec;
  std::string best;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (fs::exists(bin / "pg_ctl") && bin.string() > best) {
      best = bin.string();
    }
  }
  return best;
}

// A port the kernel just handed out on 127.0.0.1; free unless someone grabs it in between.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) {
      ::close(fd);
    }
    throw std::runtime_error("cannot find a free port on 127.0.0.1");
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

} // namespace

bool PostgresServer::available() {
  return !find_bin_dir().empty();
}

PostgresServer::PostgresServer() {
  m_bin = find_bin_dir();
  if (m_bin.empty()) {
    throw std::runtime_error(
        "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)");
  }
  std::string templ = (fs::temp_directory_path() / "kct-pg-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory");
  }
  m_dir = templ;
  m_as_postgres = ::geteuid() == 0;
  if (m_as_postgres) {
    passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr || ::chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      throw std::runtime_error("running as root, and cannot hand " + m_dir + " to the postgres user");
    }
  }
  auto as_server_user = [&](std::vector<std::string> argv) {
    if (m_as_postgres) {
      argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    }
    return run_command(argv);
  };
  CommandResult init = as_server_user({m_bin + "/initdb", "-D", m_dir + "/data", "-U", "kct", "--auth=trust", "-E",
                                       "UTF8", "--locale=C.UTF-8", "--no-sync"});
  if (init.exit_code != 0) {
    throw std::runtime_error("initdb failed: " + init.err + init.out);
  }
  for (int attempt = 0; attempt < 3 && !m_running; ++attempt) {
    m_port = free_port();
    CommandResult start =
        as_server_user({m_bin + "/pg_ctl", "-D", m_dir + "/data", "-l", m_dir + "/server.log", "-w", "-t", "60", "-o",
                        "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(m_port) +
                            " -c unix_socket_directories=" + m_dir + " -c fsync=off -c max_connections=50",
                        "start"});
    m_running = start.exit_code == 0;
  }
  if (!m_running) {
    throw std::runtime_error("pg_ctl start failed; see " + m_dir + "/server.log");
  }
}

PostgresServer::~PostgresServer() {
  if (m_running) {
    std::vector<std::string> argv = {m_bin + "/pg_ctl", "-D", m_dir + "/data", "-m", "immediate", "-w", "stop"};
    if (m_as_postgres) {
      argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    }
    run_command(argv);
  }
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

std::string PostgresServer::uri(const std::string& database) {
  // createdb through the server's own client; an existing database is fine.
  run_command({m_bin + "/createdb", "-h", "127.0.0.1", "-p", std::to_string(m_port), "-U", "kct", database});
  return "postgresql://kct@127.0.0.1:" + std::to_string(m_port) + "/" + database;
}

} // namespace kct::testing
