#!/usr/bin/env bash
# kct help / --help / <command> --help, and a mistyped command with a suggestion.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

commands=(check show query report compare-versions help version)

# --- The command list. ---
expect_exit 0 "$KCT" help
expect_empty "$ERR"
expect_contains "$OUT" "usage: kct"
for c in "${commands[@]}"; do
  expect_match "$OUT" "^  $c +[A-Z]"
done
cp "$OUT" "$SCRATCH/help"
for form in --help -h; do
  expect_exit 0 "$KCT" "$form"
  expect_same_bytes "$OUT" "$SCRATCH/help" "kct $form vs kct help"
done
# No arguments at all prints the same list (and is not an error).
expect_exit 0 "$KCT"
expect_same_bytes "$OUT" "$SCRATCH/help" "kct (no arguments) vs kct help"
# Help needs no tracker: run from an empty directory.
mkdir -p "$SCRATCH/empty"
expect_exit 0 in_dir "$SCRATCH/empty" "$KCT" help
expect_same_bytes "$OUT" "$SCRATCH/help" "kct help outside a tracker"

# --- Per-command help. ---
expect_exit 0 "$KCT" check --help
expect_empty "$ERR"
expect_contains "$OUT" "--roundtrip"
expect_contains "$OUT" "path:line:col"
cp "$OUT" "$SCRATCH/check-help"
expect_exit 0 "$KCT" help check
expect_same_bytes "$OUT" "$SCRATCH/check-help" "kct help check vs kct check --help"
expect_exit 0 "$KCT" check -h
expect_same_bytes "$OUT" "$SCRATCH/check-help" "kct check -h vs kct check --help"
# --help wins over a missing tracker.
expect_exit 0 in_dir "$SCRATCH/empty" "$KCT" check --help
expect_contains "$OUT" "--roundtrip"

expect_exit 0 "$KCT" show --help
expect_contains "$OUT" "--json"
expect_exit 0 "$KCT" query --help
for o in --package --release --status --priority --json; do
  expect_contains "$OUT" "$o"
done
expect_exit 0 "$KCT" report --help
expect_contains "$OUT" "--json"
expect_contains "$OUT" "--all"
expect_exit 0 "$KCT" compare-versions --help
expect_contains "$OUT" "lt le eq ne ge gt"

# --- version ---
expect_exit 0 "$KCT" version
expect_match "$OUT" '^kct [0-9]+\.[0-9]+'
cp "$OUT" "$SCRATCH/version"
expect_exit 0 "$KCT" --version
expect_same_bytes "$OUT" "$SCRATCH/version" "kct --version vs kct version"

# --- Mistakes. ---
expect_exit 1 "$KCT" chek
expect_empty "$OUT"
expect_contains "$ERR" "unknown command 'chek'"
expect_contains "$ERR" "did you mean 'check'"
expect_exit 1 "$KCT" --tracker "$EXAMPLE" reprot
expect_contains "$ERR" "did you mean 'report'"
expect_exit 1 "$KCT" shwo
expect_contains "$ERR" "did you mean 'show'"
expect_exit 1 "$KCT" frobnicate
expect_contains "$ERR" "unknown command 'frobnicate'"
expect_not_contains "$ERR" "did you mean"
expect_contains "$ERR" "kct help"
expect_exit 1 "$KCT" help chek
expect_contains "$ERR" "unknown command 'chek'"
expect_exit 1 "$KCT" check --no-such-option
expect_contains "$ERR" "kct check: error:"
expect_contains "$ERR" "kct check --help"

# A global option without its value says so.
expect_exit 1 "$KCT" --tracker
expect_contains "$ERR" "option --tracker needs a value"

finish
