#!/usr/bin/env bash
# scripts/quickstart.sh (without its install and build) prints one screen:
# a summary line per corpus tree, one example finding with its fix and the
# hunk of the patch, where the full output went; and the files are there.
set -euo pipefail
lint=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
QUICKSTART_SKIP_BUILD=1 VMALLOC_LINT=$lint QUICKSTART_OUT=$tmp/q \
  bash "$src/scripts/quickstart.sh" >"$tmp/screen" 2>&1
cat "$tmp/screen"
n=$(wc -l <"$tmp/screen")
fail() { echo "FAIL: $*"; exit 1; }
[ "$n" -le 30 ] || fail "the quick start printed $n lines, not a screen (<= 30)"
for tree in linux-6.1 linux-4.9; do
  grep -Eq "^corpus/$tree: [0-9]+ findings \([0-9]+ with a fix\) in [0-9]+ files" "$tmp/screen" ||
    fail "no summary line for $tree"
  for f in $tree.txt $tree.json $tree.diff; do
    [ -s "$tmp/q/$f" ] || fail "$f missing or empty"
  done
done
grep -Eq '^  [^ ].*: warning: .*\[vmalloc-redundant-highmem\]$' "$tmp/screen" || fail "no example finding"
grep -q ': note: fix: ' "$tmp/screen" || fail "the example has no fix"
grep -Eq '^  @@ ' "$tmp/screen" && grep -Eq '^  -.*__GFP_HIGHMEM' "$tmp/screen" ||
  fail "no hunk of the patch"
grep -q "Full output in $tmp/q/" "$tmp/screen" || fail "does not say where the output went"
# The summary's numbers are the outputs' own.
want=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$tmp/q/linux-6.1.json")
grep -q "^corpus/linux-6.1: $want findings " "$tmp/screen" || fail "6.1 count is not $want"
echo "quick start: $n lines"
