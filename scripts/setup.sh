#!/bin/bash
# Sets up a fresh Debian 12 machine: installs the build and test dependencies from Debian's
# archive, builds kct, then runs the main job on the bundled examples: check and the morning
# report on the example tracker, then a kernel notice composed from it and the example archive.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libgit2-dev libsqlite3-dev git libpq-dev postgresql util-linux
  libcurl4-openssl-dev libbz2-dev zlib1g-dev liblzma-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  xz-utils python3 dpkg clang-format
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j2

echo "setup: kct check on examples/tracker" >&2
./build/kct --tracker examples/tracker check
echo "setup: kct report on examples/tracker" >&2
./build/kct --tracker examples/tracker report
echo "setup: kct usn prepare --dry-run on examples/archive (a kernel notice for two kernels)" >&2
usn_db="$(mktemp -d)/usn.db"
./build/kct usn import --usn-db "$usn_db" examples/usn/9001-1.json
./build/kct --tracker examples/tracker usn prepare --dry-run --usn 9002-1 --usn-db "$usn_db" \
  --mirror examples/archive bionic linux 4.15.0-74.84 linux-aws 4.15.0-1057.59
rm -rf "$(dirname "$usn_db")"
