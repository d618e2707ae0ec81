#!/usr/bin/env bash
# kct report: open kernel CVEs (needs-triage, needed, pending) in active/ per live release and
# kernel. The table and --json counts must match what grep finds in the files.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# count DIR KEY STATE: active status lines `KEY: STATE[ (…)]` in DIR/active.
count() {
  cat "$1"/active/CVE-* | grep -cE "^$2: $3( \(.*\))?\$" || true
}
# row RELEASE KERNEL: the report row expected from grep (devel_ lines are the focal row).
row() {
  local key=$1_$2
  [[ $1 == focal ]] && key=devel_$2
  printf '%s %s %s %s %s' "$1" "$2" "$(count "$3" "$key" needs-triage)" "$(count "$3" "$key" needed)" \
    "$(count "$3" "$key" pending)"
}
squeeze() { tr -s ' ' <"$1" | sed 's/ $//'; }

# --- Text table. ---
expect_exit 0 "$KCT" --tracker "$EXAMPLE" report
expect_empty "$ERR"
squeeze "$OUT" >"$SCRATCH/table"
expect_eq "$(head -n 1 "$SCRATCH/table")" "release kernel needs-triage needed pending" "report header"
expect_match "$OUT" '^release +kernel +needs-triage +needed +pending$'
for rk in "xenial linux" "bionic linux" "eoan linux" "focal linux" "trusty/esm linux" "xenial linux-hwe" \
  "bionic linux-aws" "disco linux-gcp"; do
  read -r rel kernel <<<"$rk"
  expect_line "$SCRATCH/table" "$(row "$rel" "$kernel" "$EXAMPLE")"
done
# Known values for the example tracker, so a grep mistake cannot hide a report mistake.
expect_line "$SCRATCH/table" "xenial linux 1 2 1"
expect_line "$SCRATCH/table" "focal linux 0 2 1"
# Rows are only for live releases: no end-of-life trusty row, no upstream row.
expect_not_contains "$SCRATCH/table" "trusty linux "
expect_not_contains "$SCRATCH/table" "upstream "
# Non-kernel packages are not in the report.
expect_not_contains "$SCRATCH/table" " curl "
expect_not_contains "$SCRATCH/table" " expat "
# The total row sums the columns.
awk 'NR > 1 && $1 != "total" { a += $3; b += $4; c += $5 } END { print "total", a, b, c }' "$SCRATCH/table" \
  >"$SCRATCH/total"
expect_eq "$(tail -n 1 "$SCRATCH/table")" "$(cat "$SCRATCH/total")" "report total row"
# And the total is every open kernel line of a live release in active/.
live='(precise/esm|trusty/esm|xenial|bionic|disco|eoan|devel)'
t_nt=$(count "$EXAMPLE" "${live}_linux[a-z0-9.-]*" needs-triage)
t_nd=$(count "$EXAMPLE" "${live}_linux[a-z0-9.-]*" needed)
t_p=$(count "$EXAMPLE" "${live}_linux[a-z0-9.-]*" pending)
expect_eq "$(tail -n 1 "$SCRATCH/table")" "total $t_nt $t_nd $t_p" "report total vs grep"

# --- JSON: every (release, kernel) with open entries, counts as grep finds them. ---
expect_exit 0 "$KCT" --tracker "$EXAMPLE" report --json
json_check "$OUT" "
import glob, re
live = ['precise/esm', 'trusty/esm', 'xenial', 'bionic', 'disco', 'eoan', 'devel']
want = {}
for path in glob.glob('$EXAMPLE/active/CVE-*'):
    for line in open(path, encoding='utf-8'):
        m = re.match(r'^([a-z/]+)_(linux[a-z0-9.-]*): (needs-triage|needed|pending)( \(.*\))?$', line.rstrip('\n'))
        if m and m.group(1) in live:
            rel = 'focal' if m.group(1) == 'devel' else m.group(1)
            c = want.setdefault((rel, m.group(2)), {'needs_triage': 0, 'needed': 0, 'pending': 0})
            c[m.group(3).replace('-', '_')] += 1
got = {}
for r in d:
    assert set(r) == {'release', 'kernel', 'needs_triage', 'needed', 'pending'}, r
    key = (r['release'], r['kernel'])
    assert key not in got, ('duplicate row', key)
    got[key] = {k: r[k] for k in ('needs_triage', 'needed', 'pending')}
assert got == want, {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
"
json_check "$OUT" "
x = [r for r in d if r['release'] == 'xenial' and r['kernel'] == 'linux']
assert x == [{'release': 'xenial', 'kernel': 'linux', 'needs_triage': 1, 'needed': 2, 'pending': 1}], x
"
# The JSON rows are the table's rows.
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print(r["release"], r["kernel"], r["needs_triage"], r["needed"], r["pending"])
' "$OUT" >"$SCRATCH/json-rows"
sed '1d;$d' "$SCRATCH/table" >"$SCRATCH/table-rows"
expect_same_lines "$SCRATCH/json-rows" "$SCRATCH/table-rows" "report --json rows vs table rows"

# --- --all adds the catalog's kernels with nothing open. ---
expect_exit 0 "$KCT" --tracker "$EXAMPLE" report --all
squeeze "$OUT" >"$SCRATCH/all"
expect_line "$SCRATCH/all" "focal linux-oem-5.4 0 0 0"
expect_line "$SCRATCH/all" "bionic linux-oem 0 0 0"
expect_line "$SCRATCH/all" "xenial linux 1 2 1"
expect_eq "$(tail -n 1 "$SCRATCH/all")" "$(tail -n 1 "$SCRATCH/table")" "report --all total"

# --- Only active/ counts; a change to an active file moves the counts. ---
T=$SCRATCH/tracker
copy_tracker "$T"
cat >"$T/retired/CVE-2019-19050" <<'EOF'
Candidate: CVE-2019-19050
PublicDate: 2019-09-02
References:
 https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-19050
Description:
 A retired example that still lists an open xenial entry.
Priority: low

Patches_linux:
upstream_linux: released (5.3~rc1)
xenial_linux: needed
bionic_linux: needs-triage
EOF
expect_exit 0 "$KCT" --tracker "$T" check
expect_exit 0 "$KCT" --tracker "$T" report
squeeze "$OUT" >"$SCRATCH/t1"
expect_same_lines "$SCRATCH/t1" "$SCRATCH/table" "report with an open retired CVE"
f=$T/active/CVE-2019-19007
sed -i 's/^xenial_linux: not-affected (code not present)$/xenial_linux: needed/;
        s/^xenial_linux: not-affected (.*)$/xenial_linux: needed/' "$f"
expect_exit 0 "$KCT" --tracker "$T" check
expect_exit 0 "$KCT" --tracker "$T" report
squeeze "$OUT" >"$SCRATCH/t2"
expect_line "$SCRATCH/t2" "xenial linux 1 3 1"
expect_line "$SCRATCH/t2" "$(row xenial linux "$T")"

finish
