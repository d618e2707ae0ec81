#!/usr/bin/env bash
# kct show: the text form is the file's bytes; --json has the parsed fields, statuses and
# break-fix pairs; an unknown id is exit 1 with a message.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# --- Text: byte-identical to the file, in whichever directory it lives. ---
for f in "$EXAMPLE"/active/CVE-* "$EXAMPLE"/retired/CVE-* "$EXAMPLE"/ignored/CVE-*; do
  id=$(basename "$f")
  expect_exit 0 "$KCT" --tracker "$EXAMPLE" show "$id"
  expect_same_bytes "$OUT" "$f" "kct show $id"
  expect_empty "$ERR"
done
# $UCT works as well as --tracker.
expect_exit 0 env UCT="$EXAMPLE" "$KCT" show CVE-2019-19005
expect_same_bytes "$OUT" "$EXAMPLE/active/CVE-2019-19005" "UCT=… kct show"

# --- JSON. ---
F=$EXAMPLE/active/CVE-2019-19005
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19005 --json
expect_empty "$ERR"
json_check "$OUT" 'assert isinstance(d, dict)'
json_check "$OUT" 'assert d["cve"] == "CVE-2019-19005", d["cve"]'
json_check "$OUT" 'assert d["directory"] == "active"'
json_check "$OUT" 'assert d["fields"]["Candidate"] == "CVE-2019-19005"'
json_check "$OUT" 'assert d["fields"]["PublicDate"] == "2019-12-02"'
json_check "$OUT" 'assert d["fields"]["Assigned-to"] == "bob"'
json_check "$OUT" 'assert "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2019-19005" in d["fields"]["References"]'
json_check "$OUT" 'assert d["priorities"]["Priority"] == "high"'
json_check "$OUT" 'assert [n["author"] for n in d["notes"]] == ["bob"]'
json_check "$OUT" 'assert "local-2019-19005-fix in 10autotriage.linux" in d["notes"][0]["text"]'

# Every status line of the file is there, in file order, with its line number.
grep -nE '^[a-z/]+_[a-z0-9.+-]+: ' "$F" | grep -vE '^[0-9]+:(Patches|Priority|Tags)_' >"$SCRATCH/status-lines"
n_status=$(wc -l <"$SCRATCH/status-lines")
expect_eq "$n_status" 63 "fixture: status lines in CVE-2019-19005"
python3 - "$SCRATCH/status-lines" >"$SCRATCH/expected.json" <<'PY'
import json, re, sys
out = []
for raw in open(sys.argv[1], encoding="utf-8"):
    n, text = raw.rstrip("\n").split(":", 1)
    key, value = text.split(": ", 1)
    release, package = key.split("_", 1)
    state, _, details = value.partition(" ")
    details = details.strip()
    if details.startswith("("):
        details = details[1:]
    if details.endswith(")"):
        details = details[:-1]
    out.append({"release": release, "package": package, "state": state, "details": details, "line": int(n)})
json.dump(out, sys.stdout)
PY
json_check "$OUT" "
expected = json.load(open('$SCRATCH/expected.json'))
got = [{k: s[k] for k in ('release', 'package', 'state', 'details', 'line')} for s in d['statuses']]
assert got == expected, [ (g, e) for g, e in zip(got, expected) if g != e ][:3] or (len(got), len(expected))
"
json_check "$OUT" '
s = [x for x in d["statuses"] if x["package"] == "linux" and x["release"] == "xenial"]
assert s == [{"release": "xenial", "package": "linux", "state": "pending", "details": "4.4.0-171.200", "line": s[0]["line"]}], s
'
json_check "$OUT" '
s = [x for x in d["statuses"] if x["package"] == "linux" and x["release"] == "upstream"]
assert [(x["state"], x["details"]) for x in s] == [("released", "5.4~rc3")], s
'
json_check "$OUT" '
s = [x for x in d["statuses"] if x["package"] == "linux-hwe" and x["release"] == "devel"]
assert [(x["state"], x["details"]) for x in s] == [("DNE", "")], s
'
# break-fix with a `|` alternative on the fix side.
bf_line=$(line_of "$F" '^ break-fix: ')
json_check "$OUT" "
assert d['break_fix'] == [{
    'package': 'linux',
    'introduced': ['f40b8b2675a05eac022548662a23974b0096abfb'],
    'fixed': ['c55c5c80f1705498d61aa89357b07fb30e400dbb', 'local-2019-19005-fix'],
    'line': $bf_line}], d['break_fix']
"
json_check "$OUT" '
p = d["patches"]["linux"]
assert p == [{"type": "break-fix", "payload": "f40b8b2675a05eac022548662a23974b0096abfb c55c5c80f1705498d61aa89357b07fb30e400dbb|local-2019-19005-fix"}], p
'

# `-` as the introducer.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19002 --json
json_check "$OUT" '
assert [(b["introduced"], b["fixed"]) for b in d["break_fix"]] == [(["-"], ["44a1aa26a8c968cde1fe2c2638b9b342710006a7"])], d["break_fix"]
'
# `-` as the fix.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19007 --json
json_check "$OUT" '
assert [(b["introduced"], b["fixed"]) for b in d["break_fix"]] == [(["a02dca1353f3f7d5dc3fccf0a9d6b6592d3c2705"], ["-"])], d["break_fix"]
'
# Two break-fix lines, a deferred date, per-package and per-package-release priorities.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19003 --json
json_check "$OUT" '
assert [(b["introduced"], b["fixed"]) for b in d["break_fix"]] == [
    (["1508e9d30f11f7d4a28129f913fbd78c9a261aad"], ["617a6b9f0fc8d8f6936aee50eeeb8b42f1bd1662"]),
    (["4a7cbd9ad84e0b4b77c5c1b02bfab26387a1515f"], ["0167a4b1641e342241b5b4d2c5c4ffdf6e3da786"])], d["break_fix"]
assert d["break_fix"][1]["line"] == d["break_fix"][0]["line"] + 1
'
json_check "$OUT" '
s = [x for x in d["statuses"] if x["package"] == "linux" and x["release"] == "trusty/esm"]
assert [(x["state"], x["details"]) for x in s] == [("deferred", "2019-12-01")], s
'
json_check "$OUT" '
assert d["priorities"] == {"Priority": "medium", "Priority_linux-azure": "low", "Priority_linux_trusty/esm": "negligible"}, d["priorities"]
'
json_check "$OUT" '
assert [(n["author"], n["text"]) for n in d["notes"]] == [
    ("alice", "Two independent bugs with two fixes; both are needed."),
    ("frank", "Automounting of removable media makes this reachable without privileges on desktop installs.")], d["notes"]
'
# CVSS, Tags, and files outside active/.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19008 --json
json_check "$OUT" '
assert [(c["source"], c["vector"]) for c in d["cvss"]] == [("nvd", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")], d["cvss"]
assert abs(d["cvss"][0]["base_score"] - 9.8) < 1e-9, d["cvss"]
'
# AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:H: impact 4.22 + exploitability 2.84, rounded up to 7.1.
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19010 --json
json_check "$OUT" 'assert [c["source"] for c in d["cvss"]] == ["nvd"] and abs(d["cvss"][0]["base_score"] - 7.1) < 1e-9, d["cvss"]'
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19012 --json
json_check "$OUT" 'assert d["directory"] == "ignored" and d["tags"] == {"ntp": ["apparmor"]}, (d["directory"], d["tags"])'
expect_exit 0 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19004 --json
json_check "$OUT" 'assert d["directory"] == "retired" and d["cve"] == "CVE-2019-19004"'

# --- Unknown CVE. ---
expect_exit 1 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19998
expect_empty "$OUT"
expect_contains "$ERR" "CVE-2019-19998 is not in"
expect_exit 1 "$KCT" --tracker "$EXAMPLE" show CVE-2019-19998 --json
expect_empty "$OUT"
expect_contains "$ERR" "CVE-2019-19998 is not in"
# Missing argument: a usage error.
expect_exit 1 "$KCT" --tracker "$EXAMPLE" show
expect_contains "$ERR" "kct show: error:"

finish
