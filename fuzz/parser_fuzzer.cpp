// libFuzzer target for the CVE file parser: any bytes must parse without a crash, a leak or a
// hang, and must write back byte-exact. Built and run by scripts/fuzz.sh.
#include "catalog/catalog.h"
#include "tracker/cve_file.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {
const kct::catalog::Catalog& catalog() {
  static const kct::catalog::Catalog c = kct::catalog::Catalog::load_file(KCT_FUZZ_CATALOG);
  return c;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (kct::tracker::FileKind kind : {kct::tracker::FileKind::cve, kct::tracker::FileKind::other}) {
    kct::tracker::CveFile file("fuzz/CVE-2020-0001", text, kind, catalog());
    if (file.write() != text) {
      std::abort(); // lossless is the one property every input must keep
    }
    for (const auto& e : file.statuses()) {
      (void)file.view(e.details);
    }
    (void)file.packages();
  }
  return 0;
}
