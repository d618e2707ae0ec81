#!/usr/bin/env bash
# kct compare-versions A OP B: the exit status (0 holds, 1 does not) agrees with
# `dpkg --compare-versions` for every operator; a bad operator or argument count is exit 2.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# Known answers first, so the test means something even where dpkg is missing.
expect_exit 0 "$KCT" compare-versions 5.6~rc3 lt 5.6
expect_exit 1 "$KCT" compare-versions 5.6 lt 5.6~rc3
expect_exit 0 "$KCT" compare-versions 5.6~rc3 '<<' 5.6.0
expect_exit 0 "$KCT" compare-versions 1:1.0 gt 9.9
expect_exit 0 "$KCT" compare-versions 0:1.0 eq 1.0
expect_exit 0 "$KCT" compare-versions 4.15.0-74.84~18.04.1 lt 4.15.0-74.84
expect_exit 0 "$KCT" compare-versions 1.0~~ lt 1.0~
expect_exit 0 "$KCT" compare-versions 1.0-1 ne 1.0-1ubuntu1
expect_exit 0 "$KCT" compare-versions 5.3.0-24.26 ge 5.3.0-24.26
# No tracker is needed: runs from an empty directory with no $UCT.
mkdir -p "$SCRATCH/empty"
expect_exit 0 in_dir "$SCRATCH/empty" "$KCT" compare-versions 1.0 lt 1.1

pairs=(
  "1.0 1.0"
  "1.0 1.1"
  "1.1 1.0"
  "1.0 1.0.0"
  "1:1.0 2.0"
  "0:1.0 1.0"
  "2:0.1 1:9.9"
  "5.6~rc3 5.6"
  "5.6~rc3 5.6~rc10"
  "5.4~rc3 5.4.0-9.12"
  "1.0~ 1.0"
  "1.0~~ 1.0~"
  "1.0~~a 1.0~~"
  "1.0a 1.0+"
  "1.0+ 1.0."
  "1.0-0 1.0"
  "1.0-1 1.0-1ubuntu1"
  "4.15.0-74.84 4.15.0-74.84~18.04.1"
  "4.15.0-74.84~16.04.1 4.15.0-74.84~18.04.1"
  "5.3.0-24.26 5.3.0-1008.9"
  "1.8.9p5-1ubuntu1.5+esm2 1.8.9p5-1ubuntu1.5"
  "1.1.1-1ubuntu2.1~18.04.6 1.1.1b-1ubuntu2.5"
  "2.6.32.1 2.6.32-1"
  "10 9"
  "007 7"
  "1.0-a 1.0-A"
)
ops=(lt le eq ne ge gt '<<' '<=' '=' '>=' '>>')

if command -v dpkg >/dev/null 2>&1; then
  compared=0
  for pair in "${pairs[@]}"; do
    read -r a b <<<"$pair"
    for op in "${ops[@]}"; do
      want=0
      dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null || want=$?
      run "$KCT" compare-versions "$a" "$op" "$b"
      [[ $RC -eq $want ]] || fail "compare-versions '$a' $op '$b': dpkg says $want, kct says $RC"
      pass
      compared=$((compared + 1))
    done
  done
  [[ $compared -eq $((${#pairs[@]} * ${#ops[@]})) ]] || fail "compared only $compared cases"
else
  echo "note [$TEST_NAME]: dpkg not found; compared with known answers only" >&2
fi

# --- Versions with bad syntax. ---
# dpkg only warns about these and still compares; kct must agree (and warn on stderr).
warn_pairs=("a b" "b a" "1:a 1" "1.0 1_0" "1_0 1.0")
# dpkg rejects these with exit 2 ("bad syntax" errors); so must kct.
error_pairs=(":1 1" "x:1 1" "1: 1" "1.0- 1.0" "1.0-1- 1.0" "99999999999:1 1")
if command -v dpkg >/dev/null 2>&1; then
  for pair in "${warn_pairs[@]}"; do
    read -r a b <<<"$pair"
    for op in lt eq gt; do
      want=0
      dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null || want=$?
      run "$KCT" compare-versions "$a" "$op" "$b"
      [[ $RC -eq $want ]] || fail "compare-versions '$a' $op '$b': dpkg says $want, kct says $RC"
      expect_contains "$ERR" "has bad syntax"
    done
  done
  for pair in "${error_pairs[@]}"; do
    read -r a b <<<"$pair"
    want=0
    dpkg --compare-versions "$a" lt "$b" 2>/dev/null || want=$?
    run "$KCT" compare-versions "$a" lt "$b"
    expect_contains "$ERR" "has bad syntax"
    [[ $RC -eq $want ]] || fail "compare-versions '$a' lt '$b': dpkg says $want, kct says $RC"
  done
fi

# --- Bad arguments: exit 2. ---
expect_exit 2 "$KCT" compare-versions 1.0 lq 1.1
expect_contains "$ERR" "unknown operator 'lq'"
expect_exit 2 "$KCT" compare-versions 1.0 '<' 1.1
expect_contains "$ERR" "unknown operator"
expect_exit 2 "$KCT" compare-versions 1.0 lt
expect_exit 2 "$KCT" compare-versions
expect_exit 2 "$KCT" compare-versions 1.0 lt 1.1 1.2
# --help is not an error.
expect_exit 0 "$KCT" compare-versions --help
expect_contains "$OUT" "lt le eq ne ge gt"

finish
