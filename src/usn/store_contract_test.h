#pragma once
// The behaviour every USN store backend must share, as a value-parameterised suite: a
// backend joins by instantiating UsnStoreContract with its StoreBackend (see
// sqlite_store_test.cpp, postgres_store_test.cpp), so SQLite and PostgreSQL run the very
// same tests.
#include "usn/store.h"

#include "support/postgres_server.h"
#include "support/test_env.h"

#include <functional>
#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace kct::usn::testing {

struct StoreBackend {
  std::string name;
  // Opens the store kept for `dir` (a fresh temporary directory per test); opening twice
  // with the same dir gives two connections to one database, as two publishers have.
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

class UsnStoreContract : public ::testing::TestWithParam<StoreBackend> {
protected:
  std::unique_ptr<Store> open() { return GetParam().open(m_dir.path()); }

  kct::testing::ScopedTempDir m_dir;
};

inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

// The PostgreSQL server of the whole test binary: started on first use, stopped when the
// binary exits (a forked child must leave with _exit so that it does not stop it too).
kct::testing::PostgresServer& postgres_server();
// A new, empty database on that server, for one test.
std::string fresh_postgres_uri();

} // namespace kct::usn::testing
