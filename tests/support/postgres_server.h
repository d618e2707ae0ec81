#pragma once
// A throw-away PostgreSQL server for tests: initdb into a temporary directory, started with
// pg_ctl on 127.0.0.1 and a free port (never a public interface), stopped and removed at the
// end. PostgreSQL refuses to run as root, and CI runs as root, so as root the server runs as
// the `postgres` system user that Debian's package creates.
#include <string>

namespace kct::testing {

class PostgresServer {
public:
  // Starts the server; throws std::runtime_error with the server's log when it cannot.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // `postgresql://kct@127.0.0.1:<port>/<database>`; creates the database on first use.
  std::string uri(const std::string& database);
  int port() const { return m_port; }

  // True when the PostgreSQL server binaries are installed (tests fail, not skip, otherwise
  // when run by scripts/test.sh, which installs them).
  static bool available();

private:
  std::string m_dir;
  std::string m_bin;
  int m_port = 0;
  bool m_as_postgres = false;
  bool m_running = false;
};

} // namespace kct::testing
