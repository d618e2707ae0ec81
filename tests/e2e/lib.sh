# shellcheck shell=bash
# Helpers for the end-to-end CLI tests. Each test script starts with
#
#   set -euo pipefail
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
#
# and is run (by CTest, or by hand) as `bash tests/e2e/NAME.sh <path-to-kct> <repo-root>`.
#
# After sourcing:
#   KCT        absolute path of the kct binary
#   ROOT       absolute path of the repository
#   EXAMPLE    $ROOT/examples/tracker (read-only: copy it with copy_tracker before changing files)
#   SCRATCH    a fresh `mktemp -d` directory, removed when the script exits
#   OUT, ERR   files holding the stdout and stderr of the last `run`/`expect_exit`
#   RC         exit status of the last `run`/`expect_exit`

if [[ $# -lt 2 ]]; then
  echo "usage: bash ${0} <path-to-kct> <repo-root>" >&2
  exit 2
fi

TEST_NAME=$(basename "${0}" .sh)
KCT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$2" && pwd)
EXAMPLE=$ROOT/examples/tracker

if [[ ! -x $KCT ]]; then
  echo "FAIL [$TEST_NAME]: kct binary '$KCT' is missing or not executable" >&2
  exit 1
fi
if [[ ! -d $EXAMPLE/active ]]; then
  echo "FAIL [$TEST_NAME]: example tracker '$EXAMPLE' is missing" >&2
  exit 1
fi

# The tests describe the repository's own catalog and pass the tracker explicitly, whatever the
# environment that runs them says.
export KCT_CATALOG=$ROOT/data/catalog.yaml
unset UCT
export LC_ALL=C

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/kct-e2e-${TEST_NAME}.XXXXXX")
trap 'rm -rf -- "$SCRATCH"' EXIT
OUT=$SCRATCH/.stdout
ERR=$SCRATCH/.stderr
RC=0
CHECKS=0

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  if [[ -n ${LAST_CMD:-} ]]; then
    echo "  last command: $LAST_CMD (exit $RC)" >&2
    if [[ -s $OUT ]]; then
      echo "  --- stdout (first 40 lines) ---" >&2
      head -n 40 "$OUT" | sed 's/^/  /' >&2
    fi
    if [[ -s $ERR ]]; then
      echo "  --- stderr (first 40 lines) ---" >&2
      head -n 40 "$ERR" | sed 's/^/  /' >&2
    fi
  fi
  exit 1
}

pass() {
  CHECKS=$((CHECKS + 1))
}

# run CMD...: runs CMD with stdout in $OUT, stderr in $ERR and its status in $RC; never fails.
run() {
  LAST_CMD=$(printf '%q ' "$@")
  RC=0
  "$@" >"$OUT" 2>"$ERR" || RC=$?
}

# expect_exit CODE CMD...: runs CMD (like `run`) and fails unless it exits with CODE.
expect_exit() {
  local want=$1
  shift
  run "$@"
  [[ $RC -eq $want ]] || fail "expected exit $want, got $RC"
  pass
}

# expect_contains FILE TEXT: FILE contains the fixed string TEXT.
expect_contains() {
  grep -qF -- "$2" "$1" || fail "expected $(label "$1") to contain: $2"
  pass
}

# expect_not_contains FILE TEXT
expect_not_contains() {
  if grep -qF -- "$2" "$1"; then
    fail "expected $(label "$1") not to contain: $2"
  fi
  pass
}

# expect_line FILE LINE: FILE has a line exactly equal to LINE.
expect_line() {
  grep -qxF -- "$2" "$1" || fail "expected $(label "$1") to have the line: $2"
  pass
}

# expect_match FILE REGEX: some line of FILE matches the extended regex.
expect_match() {
  grep -qE -- "$2" "$1" || fail "expected $(label "$1") to match /$2/"
  pass
}

# expect_empty FILE / expect_nonempty FILE
expect_empty() {
  [[ ! -s $1 ]] || fail "expected $(label "$1") to be empty"
  pass
}
expect_nonempty() {
  [[ -s $1 ]] || fail "expected $(label "$1") to be non-empty"
  pass
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
  [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"
  pass
}

# expect_same_lines ACTUAL_FILE EXPECTED_FILE WHAT: the same lines (as sorted multisets).
expect_same_lines() {
  if ! diff <(sort "$1") <(sort "$2") >"$SCRATCH/.diff"; then
    echo "  --- diff (< actual, > expected) ---" >&2
    head -n 40 "$SCRATCH/.diff" | sed 's/^/  /' >&2
    fail "$3: lines differ"
  fi
  pass
}

# expect_same_bytes ACTUAL_FILE EXPECTED_FILE WHAT
expect_same_bytes() {
  cmp -s -- "$1" "$2" || fail "$3: $1 and $2 differ ($(cmp -- "$1" "$2" 2>&1 | head -n 1))"
  pass
}

label() {
  case $1 in
  "$OUT") echo "stdout" ;;
  "$ERR") echo "stderr" ;;
  *) echo "$1" ;;
  esac
}

# in_dir DIR CMD...: runs CMD with DIR as the current directory.
in_dir() {
  local dir=$1
  shift
  (cd "$dir" && "$@")
}

# copy_tracker DEST: a private, writable copy of the example tracker.
copy_tracker() {
  mkdir -p "$(dirname "$1")"
  cp -R -- "$EXAMPLE" "$1"
}

# tree_digest DIR: one line per entry (symlink targets as written, file contents by sha256),
# to show that a command changed nothing on disk.
tree_digest() {
  (
    cd "$1"
    find . -mindepth 1 \( -type d -printf 'dir  %p\n' \) -o \( -type l -printf 'link %p -> %l\n' \) |
      LC_ALL=C sort
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  )
}

# line_of FILE REGEX: the number of the first line of FILE matching the extended regex.
line_of() {
  local n
  n=$(grep -nE -m1 -- "$2" "$1" | cut -d: -f1) || true
  [[ -n $n ]] || fail "fixture: no line matching /$2/ in $1"
  echo "$n"
}

# json_check FILE PYTHON: runs PYTHON with `d` bound to the JSON parsed from FILE; the
# expectation fails if the JSON does not parse or the code raises (use assert).
json_check() {
  local file=$1 code=$2
  if ! python3 - "$file" "$code" 2>"$SCRATCH/.pyerr" <<'PY'; then
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
exec(sys.argv[2], {"d": d, "json": json})
PY
    sed 's/^/  /' "$SCRATCH/.pyerr" >&2
    fail "JSON expectation failed on $(label "$file"): $code"
  fi
  pass
}

finish() {
  echo "ok [$TEST_NAME]: $CHECKS checks passed"
}

# CTest globs tests/e2e/*.sh, so this file also runs as a test of its own (e2e_lib). Run
# directly, it checks that the helpers above catch what they are meant to catch.
lib_self_test() {
  local f=$SCRATCH/self
  printf 'alpha\nbeta gamma\n' >"$f"
  must_fail() { # must_fail CMD...: CMD (a helper) fails, in a subshell so its exit stays there
    if ("$@") >/dev/null 2>&1; then
      fail "self-test: '$*' should have failed"
    fi
    pass
  }
  expect_contains "$f" "beta gam"
  must_fail expect_contains "$f" "delta"
  expect_not_contains "$f" "delta"
  must_fail expect_not_contains "$f" "alpha"
  expect_line "$f" "alpha"
  must_fail expect_line "$f" "beta"
  expect_match "$f" '^beta [a-z]+$'
  must_fail expect_match "$f" '^gamma'
  expect_eq "$(line_of "$f" '^beta')" 2 "line_of"
  must_fail line_of "$f" '^delta'
  expect_exit 0 true
  expect_exit 3 bash -c 'echo out; echo err >&2; exit 3'
  expect_line "$OUT" "out"
  expect_line "$ERR" "err"
  must_fail expect_exit 0 false
  echo '{"a": [1]}' >"$f.json"
  json_check "$f.json" 'assert d == {"a": [1]}'
  must_fail json_check "$f.json" 'assert d == {}'
  echo '{"a": ' >"$f.json"
  must_fail json_check "$f.json" 'pass'
  mkdir -p "$SCRATCH/tree/sub"
  echo x >"$SCRATCH/tree/sub/file"
  ln -s nowhere "$SCRATCH/tree/link"
  local before
  before=$(tree_digest "$SCRATCH/tree")
  expect_contains <(echo "$before") "link ./link -> nowhere"
  echo y >"$SCRATCH/tree/sub/file"
  [[ $(tree_digest "$SCRATCH/tree") != "$before" ]] || fail "self-test: tree_digest missed a changed file"
  pass
  echo x >"$SCRATCH/tree/sub/file"
  expect_eq "$(tree_digest "$SCRATCH/tree")" "$before" "tree_digest after restoring the file"
  touch "$SCRATCH/tree/new"
  [[ $(tree_digest "$SCRATCH/tree") != "$before" ]] || fail "self-test: tree_digest missed a new file"
  pass
  printf 'b\na\n' >"$f.1"
  printf 'a\nb\n' >"$f.2"
  expect_same_lines "$f.1" "$f.2" "expect_same_lines"
  must_fail expect_same_bytes "$f.1" "$f.2" "expect_same_bytes"
  "$KCT" version >/dev/null || fail "self-test: '$KCT version' failed"
  pass
  finish
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  lib_self_test
fi
