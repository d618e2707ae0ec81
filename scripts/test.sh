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
cd build
ctest -j2 --output-on-failure --timeout 600
