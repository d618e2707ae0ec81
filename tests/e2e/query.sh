#!/usr/bin/env bash
# kct query: each line is `<CVE-ID> <release>_<package>: <state>[ (<details>)]` exactly as in the
# file; filters by package, state, release (devel or its codename), priority and directory; --json;
# unknown state, release or priority is exit 1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

q() { expect_exit 0 "$KCT" --tracker "$EXAMPLE" query "$@"; }

# expected_lines KEY_REGEX VALUE_REGEX [DIRS...]: "<id> <line>" for every status line of the
# example tracker whose key (`release_package`) and value match, taken from the files with grep.
expected_lines() {
  local key=$1 value=$2 d f
  shift 2
  local dirs=("$@")
  [[ ${#dirs[@]} -gt 0 ]] || dirs=(active retired ignored)
  for d in "${dirs[@]}"; do
    for f in "$EXAMPLE/$d"/CVE-*; do
      grep -E -- "^(${key}): (${value})\$" "$f" | sed "s|^|$(basename "$f") |" || true
    done
  done
}

# --- --package linux --status needed ---
q --package linux --status needed
expect_nonempty "$OUT"
expected_lines '[a-z/]+_linux' 'needed( \(.*\))?' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --package linux --status needed"
expect_line "$OUT" "CVE-2019-19001 xenial_linux: needed"
expect_line "$OUT" "CVE-2019-19007 upstream_linux: needed"
# The format, line by line.
if grep -vE '^CVE-[0-9]{4}-[0-9]+ [a-z/]+_linux: needed( \([^)]*\))?$' "$OUT"; then
  fail "query lines not in the form '<CVE-ID> <release>_<package>: <state>[ (<details>)]'"
fi
# No derived kernel sneaks in through a prefix match.
expect_not_contains "$OUT" "_linux-"

# Details are kept as written.
q -p linux -s pending
expected_lines '[a-z/]+_linux' 'pending( \(.*\))?' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query -p linux -s pending"
expect_line "$OUT" "CVE-2019-19001 bionic_linux: pending (4.15.0-74.84)"
q -p linux-aws -s deferred
expected_lines '[a-z/]+_linux-aws' 'deferred( \(.*\))?' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query -p linux-aws -s deferred"
expect_line "$OUT" "CVE-2019-19003 trusty/esm_linux-aws: deferred (2019-12-01)"
expect_line "$OUT" "CVE-2019-19003 xenial_linux-aws: deferred"

# Only a package: every line of it, in any state, any directory.
q --package sudo
expected_lines '[a-z/]+_sudo' '.*' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --package sudo"
expect_line "$OUT" "CVE-2019-19011 trusty/esm_sudo: released (1.8.9p5-1ubuntu1.5+esm2)"

# --- --release devel and --release focal (the devel codename) both find devel_ lines. ---
q --release devel
cp "$OUT" "$SCRATCH/devel"
expected_lines 'devel_[a-z0-9.+-]+' '.*' >"$SCRATCH/expected"
expect_same_lines "$SCRATCH/devel" "$SCRATCH/expected" "query --release devel"
q --release focal
expect_same_lines "$OUT" "$SCRATCH/devel" "query --release focal vs --release devel"
if grep -vE '^CVE-[0-9-]+ devel_' "$OUT"; then
  fail "query --release focal printed a line that is not a devel_ line"
fi
q --release focal --package linux --status needed
expected_lines 'devel_linux' 'needed( \(.*\))?' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --release focal -p linux -s needed"
expect_line "$OUT" "CVE-2019-19006 devel_linux: needed"
# Other release spellings: ESM variants, upstream, an end-of-life release.
q --release trusty/esm --package linux
expected_lines 'trusty/esm_linux' '.*' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --release trusty/esm -p linux"
q --release trusty --package linux
expected_lines 'trusty_linux' '.*' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --release trusty -p linux"
q --release upstream --status needed
expected_lines 'upstream_[a-z0-9.+-]+' 'needed( \(.*\))?' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --release upstream -s needed"
q --release cosmic
expect_eq "$(cat "$OUT")" "CVE-2019-19012 cosmic_ntp: ignored (end-of-life)" "query --release cosmic"

# --- --priority: the effective priority of the entry (pkg_release, then pkg, then global). ---
# Priority_linux_trusty/esm: negligible in CVE-2019-19003, and Priority: negligible in the
# ignored ntp CVE.
q --priority negligible
{
  echo "CVE-2019-19003 trusty/esm_linux: deferred (2019-12-01)"
  expected_lines '[a-z/]+_ntp' '.*' ignored
} >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --priority negligible"
# Priority_linux-azure: low overrides Priority: medium in CVE-2019-19003; CVE-2019-19002 and the
# retired CVE-2019-19004 are low throughout.
q --priority low --package linux-azure
for id in CVE-2019-19002 CVE-2019-19003 CVE-2019-19004; do
  f=$(find "$EXAMPLE" -name "$id")
  grep -E '^[a-z/]+_linux-azure: ' "$f" | sed "s|^|$id |"
done >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --priority low --package linux-azure"
q --priority medium --package linux-azure --release xenial
expect_line "$OUT" "CVE-2019-19001 xenial_linux-azure: needed"
expect_not_contains "$OUT" "CVE-2019-19003"
q --priority low --package openssl1.0
expected_lines '[a-z/]+_openssl1.0' '.*' >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --priority low --package openssl1.0"
q --priority low --package openssl
expect_empty "$OUT"

# --- --dir ---
q --package linux --status released --dir retired
expected_lines '[a-z/]+_linux' 'released( \(.*\))?' retired >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --dir retired"
q --package linux --status released --dir retired --dir active
expected_lines '[a-z/]+_linux' 'released( \(.*\))?' active retired >"$SCRATCH/expected"
expect_same_lines "$OUT" "$SCRATCH/expected" "query --dir retired --dir active"

# --- No match: exit 0, no output. ---
q --package no-such-package
expect_empty "$OUT"
q --package linux --status active
expect_empty "$OUT"

# --- --json: an array of {cve, release, package, state, details}, the same entries. ---
q --package linux --status pending
cp "$OUT" "$SCRATCH/text"
q --package linux --status pending --json
json_check "$OUT" "
assert isinstance(d, list) and len(d) > 0
for o in d:
    assert set(o) == {'cve', 'release', 'package', 'state', 'details'}, o
    assert o['package'] == 'linux' and o['state'] == 'pending', o
lines = [f\"{o['cve']} {o['release']}_{o['package']}: {o['state']}\" + (f\" ({o['details']})\" if o['details'] else '')
         for o in d]
text = open('$SCRATCH/text').read().splitlines()
assert sorted(lines) == sorted(text), (lines, text)
"
json_check "$OUT" "
o = [o for o in d if o['cve'] == 'CVE-2019-19002' and o['release'] == 'devel']
assert o == [{'cve': 'CVE-2019-19002', 'release': 'devel', 'package': 'linux', 'state': 'pending', 'details': '5.4.0-9.12'}], o
"
q --package no-such-package --json
json_check "$OUT" 'assert d == []'
q --release focal --json
json_check "$OUT" "
assert len(d) == $(wc -l <"$SCRATCH/devel") and all(o['release'] == 'devel' for o in d)
"

# --- Bad filters: exit 1 with a message, nothing on stdout. ---
expect_exit 1 "$KCT" --tracker "$EXAMPLE" query --status fixed
expect_empty "$OUT"
expect_contains "$ERR" "unknown state 'fixed'"
expect_exit 1 "$KCT" --tracker "$EXAMPLE" query --release jammy
expect_empty "$OUT"
expect_contains "$ERR" "unknown release 'jammy'"
expect_exit 1 "$KCT" --tracker "$EXAMPLE" query --priority urgent
expect_empty "$OUT"
expect_contains "$ERR" "unknown priority 'urgent'"
expect_exit 1 "$KCT" --tracker "$EXAMPLE" query --dir attic
expect_contains "$ERR" "kct query: error:"
expect_exit 1 "$KCT" --tracker "$EXAMPLE" query --no-such-option
expect_contains "$ERR" "kct query: error:"

finish
