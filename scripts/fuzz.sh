#!/bin/bash
# Fuzzes the CVE file parser with libFuzzer (clang, ASan + UBSan), seeded from the shared
# snapshot. Usage: scripts/fuzz.sh [SECONDS] (default 600). Needs clang and libclang-rt-dev
# (installed here when missing). CI does not run this.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
for p in clang libclang-rt-14-dev libfmt-dev libyaml-cpp-dev xz-utils; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get install -y -qq "$p" >/dev/null
  fi
done
out=build-fuzz
corpus="$out/corpus"; artifacts="$out/artifacts"
# Corpus and artifacts stay in the (ignored) build tree: the seeds are real tracker files.
mkdir -p "$out" "$corpus" "$artifacts"
sources=(src/util/*.cpp src/catalog/*.cpp src/tracker/*.cpp)
sources=($(printf '%s\n' "${sources[@]}" | grep -v '_test\.cpp$'))
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Isrc -DKCT_FUZZ_CATALOG="\"$PWD/data/catalog.yaml\"" \
  -DKCT_SOURCE_CATALOG="\"$PWD/data/catalog.yaml\"" -DKCT_INSTALLED_CATALOG="\"/usr/share/kct/catalog.yaml\"" \
  fuzz/parser_fuzzer.cpp "${sources[@]}" -lfmt -lyaml-cpp -o "$out/parser_fuzzer"
# Seed: a sample of real files from the snapshot (every 20th file, to keep start-up short).
if [[ -z "$(ls -A "$corpus")" ]]; then
  snapshot=build/snapshot/uct-2019-12-29
  [[ -d $snapshot ]] || scripts/extract-snapshot.sh ../shared/data build/snapshot
  find "$snapshot/active" "$snapshot/retired" "$snapshot/ignored" -type f | sort | awk 'NR % 20 == 0' |
    while read -r f; do cp "$f" "$corpus/$(basename "$f")"; done
fi
"$out/parser_fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 | tail -25
