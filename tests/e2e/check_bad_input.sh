#!/usr/bin/env bash
# kct check on bad input: each broken file gives exit 1 and one `path:LINE:COL: error:` with a
# recognisable message; the good files are still checked; nothing on disk changes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

T=$SCRATCH/tracker
copy_tracker "$T"
A=$T/active
n_good=$(find "$T/active" "$T/retired" "$T/ignored" -name 'CVE-*' | wc -l)

# Every fixture starts as a renamed copy of a good file (so its other checks pass).
from() { # from SOURCE-ID NEW-ID: active/NEW-ID from active/SOURCE-ID with the id replaced
  sed "s/$1/$2/g" "$EXAMPLE/active/$1" >"$A/$2"
}

# cases: id | expected line | expected column | message fragment
declare -a CASES=()
add_case() { CASES+=("$1|$2|$3|$4"); }

# 1. A byte that is not UTF-8 in the middle of a Description line.
id=CVE-2019-19901
from CVE-2019-19002 $id
line=$(line_of "$A/$id" '^ The example "quux"')
prefix=' The example "qu'
python3 - "$A/$id" <<'PY'
import sys
p = sys.argv[1]
data = open(p, "rb").read()
new = data.replace(b' The example "quux"', b' The example "qu\xffux"', 1)
assert new != data
open(p, "wb").write(new)
PY
add_case $id "$line" $((${#prefix} + 1)) "invalid UTF-8 byte 0xff"

# 2. A header line without a colon.
id=CVE-2019-19902
from CVE-2019-19002 $id
line=$(($(line_of "$A/$id" '^Discovered-by:') + 1))
sed -i "$((line - 1))a Reported by Erin Example" "$A/$id"
add_case $id "$line" 1 "bad line 'Reported by Erin Example'"

# 3. A repeated field.
id=CVE-2019-19903
from CVE-2019-19002 $id
first=$(line_of "$A/$id" '^Priority:')
line=$((first + 1))
sed -i "${first}a Priority: high" "$A/$id"
add_case $id "$line" 1 "repeated field 'Priority' (first at line $first)"

# 4. An unknown state.
id=CVE-2019-19904
from CVE-2019-19002 $id
line=$(line_of "$A/$id" '^xenial_linux:')
sed -i "${line}s/.*/xenial_linux: fixed/" "$A/$id"
add_case $id "$line" 15 "xenial_linux has unknown state: 'fixed'"

# 5. An unknown release (jammy is not in this era's catalog).
id=CVE-2019-19905
from CVE-2019-19002 $id
line=$(($(line_of "$A/$id" '^devel_linux:') + 1))
sed -i "$((line - 1))a jammy_linux: needed" "$A/$id"
add_case $id "$line" 1 "unknown release 'jammy'"

# 6. A short sha in a break-fix line; " break-fix: - " is 14 bytes.
id=CVE-2019-19906
from CVE-2019-19002 $id
line=$(line_of "$A/$id" '^ break-fix: ')
sed -i "${line}s/.*/ break-fix: - 1234567abc/" "$A/$id"
add_case $id "$line" 15 "short sha '1234567abc'"

# 7. A file cut in the middle of a status line: `xenial_linux: nee`.
id=CVE-2019-19907
sed "s/CVE-2019-19001/$id/g" "$EXAMPLE/active/CVE-2019-19001" >"$SCRATCH/full"
line=$(line_of "$SCRATCH/full" '^xenial_linux: ')
offset=$(grep -b -m1 '^xenial_linux: ' "$SCRATCH/full" | cut -d: -f1)
head -c $((offset + 17)) "$SCRATCH/full" >"$A/$id"
[[ $(tail -n 1 "$A/$id") == "xenial_linux: nee" ]] || fail "fixture: truncation went wrong"
add_case $id "$line" 15 "xenial_linux has unknown state: 'nee'"
truncated_line=$line

# 8. A file that cannot be read: a dangling symlink (chmod 000 means nothing to root).
id=CVE-2019-19999
ln -s nowhere "$A/$id"
add_case $id 1 1 "cannot read file"

n_bad=${#CASES[@]}
before=$(tree_digest "$T")

# --- The whole tree. ---
expect_exit 1 "$KCT" --tracker "$T" check
for c in "${CASES[@]}"; do
  IFS='|' read -r id line col msg <<<"$c"
  expect_contains "$ERR" "$A/$id:$line:$col: error: $msg"
  # exactly one error for each broken file
  n=$(grep -cF -- "$A/$id:" "$ERR" || true)
  n_err=$(grep -F -- "$A/$id:" "$ERR" | grep -cF ': error: ' || true)
  expect_eq "$n_err" 1 "errors reported for $id"
  [[ $n -ge 1 ]] || fail "no diagnostic for $id"
done
expect_contains "$ERR" "$A/CVE-2019-19907:$truncated_line:18: warning: file does not end with a newline"
expect_contains "$ERR" "$n_bad errors, 1 warnings"
# The good files were all checked: they are counted, and none has a diagnostic. The
# unreadable file is not counted as a CVE file, the other broken ones are.
expect_contains "$ERR" "kct check: $((n_good + n_bad - 1)) CVE files,"
for f in "$T"/active/CVE-* "$T"/retired/CVE-* "$T"/ignored/CVE-*; do
  case $(basename "$f") in CVE-2019-199??) continue ;; esac
  expect_not_contains "$ERR" "$f:"
done
expect_eq "$(tree_digest "$T")" "$before" "tree after 'kct check'"

# --roundtrip does not write either.
expect_exit 1 "$KCT" --tracker "$T" check --roundtrip
expect_contains "$ERR" "$A/CVE-2019-19904:"
expect_eq "$(tree_digest "$T")" "$before" "tree after 'kct check --roundtrip'"

# --- Each broken file alone, by path and by bare id. ---
for c in "${CASES[@]}"; do
  IFS='|' read -r id line col msg <<<"$c"
  expect_exit 1 "$KCT" --tracker "$T" check "$A/$id"
  expect_contains "$ERR" "$A/$id:$line:$col: error: $msg"
  expect_exit 1 "$KCT" --tracker "$T" check "$id"
  expect_contains "$ERR" "$A/$id:$line:$col: error: $msg"
  # A broken file next to a good one: both checked, exit still 1.
  expect_exit 1 "$KCT" --tracker "$T" check "$id" CVE-2019-19005
  expect_contains "$ERR" "$A/$id:$line:$col: error: $msg"
  expect_not_contains "$ERR" "$A/CVE-2019-19005:"
  # `show` reports the same problem and also exits 1 (the file is unusable), the unreadable
  # file included: it says it cannot be read, not that it is missing.
  expect_exit 1 "$KCT" --tracker "$T" show "$id"
  expect_contains "$ERR" "$A/$id:$line:$col: error: $msg"
done
expect_eq "$(tree_digest "$T")" "$before" "tree after the single-file checks"

# --- A file cut at many places: never a crash (exit 0 or 1 only), never a write, and the text
# always round-trips byte for byte. ---
id=CVE-2019-19003
src=$EXAMPLE/active/$id
size=$(wc -c <"$src")
for ((cut = 0; cut <= size; cut += 37)); do
  head -c "$cut" "$src" >"$SCRATCH/cut"
  cp "$SCRATCH/cut" "$A/$id"
  run "$KCT" --tracker "$T" check --roundtrip "$id"
  [[ $RC -le 1 ]] || fail "check of $id cut at byte $cut exited $RC"
  if grep -qF "round-trip" "$ERR"; then
    fail "check --roundtrip of $id cut at byte $cut: the text does not round-trip"
  fi
  run "$KCT" --tracker "$T" show --json "$id"
  [[ $RC -le 1 ]] || fail "show --json of $id cut at byte $cut exited $RC"
  expect_same_bytes "$A/$id" "$SCRATCH/cut" "$id cut at byte $cut, after check and show"
done
cp "$src" "$A/$id"
expect_eq "$(tree_digest "$T")" "$before" "tree after the truncation sweep"

# --- Fixing the files makes the tree pass again. ---
rm -f "$A"/CVE-2019-199??
expect_exit 0 "$KCT" --tracker "$T" check
expect_contains "$ERR" "kct check: $n_good CVE files, 0 errors"

finish
