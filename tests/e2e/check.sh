#!/usr/bin/env bash
# kct check: the example tracker passes; single files by path or by bare id; --roundtrip;
# --tracker and $UCT; an introduced error is reported as path:line:col with exit 1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

n_cves=$(find "$EXAMPLE/active" "$EXAMPLE/retired" "$EXAMPLE/ignored" -name 'CVE-*' | wc -l)
[[ $n_cves -ge 10 ]] || fail "fixture: expected at least 10 CVE files in $EXAMPLE, found $n_cves"

# --- The whole example tracker is clean. ---
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check
expect_empty "$OUT"
expect_contains "$ERR" "0 errors"
expect_contains "$ERR" "0 warnings"
expect_contains "$ERR" "kct check: $n_cves CVE files,"
expect_not_contains "$ERR" ": error:"

# --tracker after the subcommand works too.
expect_exit 0 "$KCT" check --tracker "$EXAMPLE"
expect_contains "$ERR" "kct check: $n_cves CVE files, 0 errors"

# --quiet drops the summary.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check --quiet
expect_empty "$ERR"

# --roundtrip: parse-then-write gives back every file byte for byte.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check --roundtrip
expect_contains "$ERR" "0 errors"
expect_not_contains "$ERR" "round-trip"

# --- One file: an explicit path, and a bare id (meaning active/<id>). ---
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check "$EXAMPLE/active/CVE-2019-19005"
expect_contains "$ERR" "kct check: 1 CVE files, 0 errors"
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check "$EXAMPLE/retired/CVE-2019-19004"
expect_contains "$ERR" "kct check: 1 CVE files, 0 errors"
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check CVE-2019-19005
expect_contains "$ERR" "kct check: 1 CVE files, 0 errors"
expect_exit 0 "$KCT" --tracker "$EXAMPLE" check CVE-2019-19001 CVE-2019-19008
expect_contains "$ERR" "kct check: 2 CVE files, 0 errors"

# A bare id that is not in active/ is an error, not a silent pass.
expect_exit 1 "$KCT" --tracker "$EXAMPLE" check CVE-2019-19998
expect_contains "$ERR" "$EXAMPLE/active/CVE-2019-19998:1:1: error:"

# --- $UCT names the tracker; --tracker wins over it. ---
expect_exit 0 env UCT="$EXAMPLE" "$KCT" check
expect_contains "$ERR" "kct check: $n_cves CVE files, 0 errors"
expect_exit 0 env UCT="$EXAMPLE" "$KCT" check CVE-2019-19005
expect_contains "$ERR" "kct check: 1 CVE files, 0 errors"
expect_exit 0 env UCT="$SCRATCH/no-such-tracker" "$KCT" --tracker "$EXAMPLE" check
expect_contains "$ERR" "kct check: $n_cves CVE files, 0 errors"
# Without either, the current directory is the tracker.
expect_exit 0 in_dir "$EXAMPLE" "$KCT" check
expect_contains "$ERR" "kct check: $n_cves CVE files, 0 errors"
# A directory without active/ is an environment failure (exit 2) that says what to do.
mkdir -p "$SCRATCH/empty"
expect_exit 2 env UCT="$SCRATCH/empty" "$KCT" check
expect_contains "$ERR" "does not look like a tracker"
expect_exit 2 "$KCT" --tracker "$SCRATCH/empty" check
expect_contains "$ERR" "does not look like a tracker"

# --- An introduced error: exit 1 and path:line:col: error: message. ---
T=$SCRATCH/tracker
copy_tracker "$T"
f=$T/active/CVE-2019-19002
line=$(line_of "$f" '^bionic_linux: needed$')
sed -i "${line}s/^bionic_linux: needed\$/bionic_linux: neded/" "$f"
expect_exit 1 "$KCT" --tracker "$T" check
# "bionic_linux: " is 14 bytes, so the state starts in column 15.
expect_contains "$ERR" "$f:$line:15: error: bionic_linux has unknown state: 'neded'"
expect_contains "$ERR" "kct check: $n_cves CVE files, 1 errors"
# The same through $UCT, by bare id, and by path; a good file alone still passes.
expect_exit 1 env UCT="$T" "$KCT" check
expect_contains "$ERR" "$f:$line:15: error: bionic_linux has unknown state: 'neded'"
expect_exit 1 "$KCT" --tracker "$T" check CVE-2019-19002
expect_contains "$ERR" "$f:$line:15: error: bionic_linux has unknown state: 'neded'"
expect_contains "$ERR" "kct check: 1 CVE files, 1 errors"
expect_exit 1 "$KCT" --tracker "$T" check "$f"
expect_contains "$ERR" "$f:$line:15: error:"
expect_exit 0 "$KCT" --tracker "$T" check CVE-2019-19001
expect_contains "$ERR" "kct check: 1 CVE files, 0 errors"
cp "$EXAMPLE/active/CVE-2019-19002" "$f"

# A live release missing from an active file (rule 5): reported at the package's last line.
f=$T/active/CVE-2019-19009
line=$(line_of "$f" '^disco_curl:')
sed -i "${line}d" "$f"
last=$(grep -c '' "$f")
expect_exit 1 "$KCT" --tracker "$T" check
expect_contains "$ERR" "$f:$last:1: error: curl missing supported release 'disco'"
expect_contains "$ERR" "1 errors"
# Retired files need not list every release.
cp "$EXAMPLE/active/CVE-2019-19009" "$f"
f=$T/retired/CVE-2019-19011
sed -i '/^disco_sudo:/d' "$f"
expect_exit 0 "$KCT" --tracker "$T" check
expect_contains "$ERR" "0 errors"
cp "$EXAMPLE/retired/CVE-2019-19011" "$f"

# Candidate must match the file name (rule 4).
f=$T/active/CVE-2019-19010
sed -i 's/^Candidate: CVE-2019-19010$/Candidate: CVE-2019-19011/' "$f"
expect_exit 1 "$KCT" --tracker "$T" check
expect_contains "$ERR" "$f:1:1: error: Candidate field 'CVE-2019-19011' mismatch with file name 'CVE-2019-19010'"
expect_not_contains "$ERR" "multiple classes"
cp "$EXAMPLE/active/CVE-2019-19010" "$f"

# The same id in two directories (rule 3) and in not-for-us.txt (rule 2).
cp "$T/retired/CVE-2019-19004" "$T/active/CVE-2019-19004"
expect_exit 1 "$KCT" --tracker "$T" check
expect_contains "$ERR" "found in multiple classes"
rm "$T/active/CVE-2019-19004"
echo "CVE-2019-19007" >>"$T/ignored/not-for-us.txt"
expect_exit 1 "$KCT" --tracker "$T" check
expect_contains "$ERR" "CVE-2019-19007: duplicate CVE found in not-for-us.txt"
cp "$EXAMPLE/ignored/not-for-us.txt" "$T/ignored/not-for-us.txt"

# The mitre reference is required (rule 10).
f=$T/active/CVE-2019-19006
sed -i '\#^ https://cve.mitre.org/#d' "$f"
expect_exit 1 "$KCT" --tracker "$T" check
expect_contains "$ERR" "$f:$(line_of "$f" '^References:'):1: error: References does not contain reference to https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-19006"
cp "$EXAMPLE/active/CVE-2019-19006" "$f"

# A per-package priority for a package the CVE does not have (rule 8).
f=$T/active/CVE-2019-19009
line=$(line_of "$f" '^Priority_curl:')
sed -i "${line}s/.*/Priority_wget: low/" "$f"
expect_exit 1 "$KCT" --tracker "$T" check
expect_contains "$ERR" "$f:$line:1: error: per package priority 'Priority_wget' does not match any package in the CVE"
cp "$EXAMPLE/active/CVE-2019-19009" "$f"

# --- A file named on the command line belongs to the directory it is in within the tracker. ---
# A tracker checked out under a directory called "retired/" must still treat active files as
# active (the class comes from the file's own directory).
U=$SCRATCH/retired/tracker
copy_tracker "$U"
sed -i '/^disco_curl:/d' "$U/active/CVE-2019-19009"
expect_exit 1 "$KCT" --tracker "$U" check
expect_contains "$ERR" "$U/active/CVE-2019-19009:"
run "$KCT" --tracker "$U" check CVE-2019-19009
if [[ $RC -ne 1 ]] || ! grep -qF "curl missing supported release 'disco'" "$ERR"; then
  fail "check CVE-2019-19009 in a tracker under a 'retired/' directory missed an active-only error"
fi

# Back to a clean copy: passes again.
expect_exit 0 "$KCT" --tracker "$T" check --roundtrip
expect_contains "$ERR" "0 errors"

finish
