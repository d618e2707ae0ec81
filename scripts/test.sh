#!/bin/bash
# Builds (if needed) and runs every test: unit and integration tests (GoogleTest, through
# CTest) and the end-to-end CLI tests in tests/e2e. Reads the shared snapshot from
# ../shared/data (extracted once into build/snapshot). Fails when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
ninja -C build -j2
# Layout is part of the tests: every C++ file must be as clang-format writes it (.clang-format).
if ! git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run --Werror 2>/tmp/kct-format.$$; then
  head -20 /tmp/kct-format.$$ >&2
  rm -f /tmp/kct-format.$$
  echo "test.sh: C++ files differ from .clang-format; run: git ls-files '*.cpp' '*.h' | xargs clang-format -i" >&2
  exit 1
fi
rm -f /tmp/kct-format.$$
cd build
ctest -j2 --output-on-failure --timeout 600
