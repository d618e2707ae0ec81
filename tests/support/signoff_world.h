#pragma once
// The small world the sign-off tests (in-process and through the binary) share, under `dir`:
// tracker/ with two CVEs (one without a description), mirror/ where xenial's linux, linux-kvm
// and linux-aws have a -security upload built on amd64 and arm64 and a -proposed one (linux
// built everywhere, linux-kvm only on amd64, linux-aws fixing nothing), and usn.db with each
// kernel's last notice at its -security version.
#include <string>

namespace kct::testing {

void write_signoff_world(const std::string& dir);

} // namespace kct::testing
