#include "support/signoff_world.h"

#include "support/apt_mirror.h"
#include "support/kernel_cves.h"
#include "usn/sqlite_store.h"
#include "util/files.h"

#include <filesystem>
#include <fmt/format.h>

namespace kct::testing {

void write_signoff_world(const std::string& dir) {
  std::filesystem::create_directories(dir + "/tracker/active");
  util::write_file_atomically(dir + "/tracker/active/CVE-2019-1001",
                              kernel_cve_file("CVE-2019-1001", "medium", "An issue in the foo driver.",
                                              "xenial_linux: pending (4.4.0-171.200)\n"));
  util::write_file_atomically(
      dir + "/tracker/active/CVE-2019-1002",
      kernel_cve_file("CVE-2019-1002", "medium", "", "xenial_linux-kvm: pending (4.4.0-1064.71)\n"));
  AptMirror m;
  for (auto [src, version] : {std::pair{"linux", "4.4.0-170.199"}, std::pair{"linux-kvm", "4.4.0-1063.70"},
                              std::pair{"linux-aws", "4.4.0-1099.110"}}) {
    m.add_source("xenial", "-security", src, version);
    m.add_binary("xenial", "-security", "amd64", fmt::format("{}-image", src), version, src, version);
    m.add_binary("xenial", "-security", "arm64", fmt::format("{}-image", src), version, src, version);
  }
  for (auto [src, version] : {std::pair{"linux", "4.4.0-171.200"}, std::pair{"linux-kvm", "4.4.0-1064.71"},
                              std::pair{"linux-aws", "4.4.0-1100.111"}}) {
    m.add_source("xenial", "-proposed", src, version);
    m.add_binary("xenial", "-proposed", "amd64", fmt::format("{}-image", src), version, src, version);
    if (std::string(src) != "linux-kvm") {
      m.add_binary("xenial", "-proposed", "arm64", fmt::format("{}-image", src), version, src, version);
    }
  }
  m.write(dir + "/mirror");
  usn::SqliteStore(dir + "/usn.db")
      .put_all({kernel_notice("4100-1", "xenial", "linux", "4.4.0-170.199"),
                kernel_notice("4101-1", "xenial", "linux-kvm", "4.4.0-1063.70"),
                kernel_notice("4102-1", "xenial", "linux-aws", "4.4.0-1099.110")},
               usn::Author{"test", ""});
}

} // namespace kct::testing
