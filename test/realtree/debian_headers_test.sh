#!/usr/bin/env bash
# Out-of-tree modules: corpus/modules/hmmod against a Debian linux-headers-*
# tree (/lib/modules/*/build: kbuild's O= shape, headers only), as a file
# and as an M= directory: its one finding, no compiler error, and the same
# macros as kbuild's own command for it (make M=). Outside any
# tree, the headers missing: exit 2 and a line saying what is missing.
# Usage: debian_headers_test.sh LINT CORPUS. Skips (77) without a headers package.
set -euo pipefail
lint=$(realpath "$1") corpus=$(realpath "$2")
kdir=$(ls -d /lib/modules/*/build 2>/dev/null | head -n1 || true)
[ -n "$kdir" ] && [ -f "$kdir/include/config/auto.conf" ] || {
  echo "no /lib/modules/*/build (apt-get install linux-headers-amd64)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$corpus/modules/hmmod" "$work/"
fail() { echo "FAIL: $*"; exit 1; }
for input in hmmod.c .; do
  rc=0
  (cd "$work/hmmod" && VMALLOC_LINT_CACHE=off "$lint" --kernel-tree "$kdir" --compiler-errors $input) \
    >"$work/out" 2>"$work/err" || rc=$?
  [ $rc = 1 ] || { cat "$work/out" "$work/err"; fail "$input: exit $rc, want 1 (a finding)"; }
  grep -q "^hmmod.c:14:.*\[vmalloc-redundant-highmem\]" "$work/out" || { cat "$work/out"; fail "$input: no finding at 14"; }
  grep -q "error:" "$work/out" "$work/err" && { cat "$work/out" "$work/err"; fail "$input: compiler errors"; }
  grep -q "1 finding (1 with a fix), 1 call site, 1 file analysed, " "$work/err" || { cat "$work/err"; fail "$input: summary"; }
done
# The summary and the census say what kbuild builds of it: a module.
(cd "$work/hmmod" && VMALLOC_LINT_CACHE=off "$lint" --kernel-tree "$kdir" --summary --census \
  --format json hmmod.c) >"$work/census.json" 2>"$work/err" || test $? = 1
python3 - "$work/census.json" <<'PY' || fail "hmmod.c: not counted as a module"
import json, sys
d = json.load(open(sys.argv[1]))
u = d["summary"]["units"]
assert u["module"] == 1 and u["unknown"] == 0, u
assert [s["build"] for s in d["sites"]] == ["module"], d["sites"]
PY
echo "$kdir: hmmod.c analysed as a module of that tree, 1 finding, no compiler error"
# kbuild is the judge: build the module as its README says (make -C KDIR
# M=DIR, the tree's own compiler) and compare the synthesised flags with
# kbuild's .hmmod.o.cmd: the same clang -E -dM macro set (-DMODULE,
# KBUILD_MODNAME, no KBUILD_MODFILE), and the -p route on kbuild's command.
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\?\([^ ]*\) .*/\1/p' "$kdir/include/config/auto.conf")
if command -v "$cc" >/dev/null; then
  make -s -C "$kdir" M="$work/hmmod" modules >"$work/make.log" 2>&1 || { cat "$work/make.log"; fail "make M=: failed"; }
  python3 "$(dirname "$0")/kbuild_flags_test.py" --lint "$lint" --tree "$kdir" "$work/hmmod/hmmod.c" \
    || fail "hmmod.c: the synthesised flags and kbuild's give different macros"
else
  echo "no $cc (the tree's compiler): kbuild's flags not compared"
fi
rc=0
(cd "$work/hmmod" && VMALLOC_LINT_CACHE=off "$lint" hmmod.c) >"$work/out" 2>"$work/err" || rc=$?
[ $rc = 2 ] || fail "no tree: exit $rc, want 2"
grep -q "is in no kernel tree and no compile database, and its <linux/vmalloc.h> is not found" "$work/err" \
  || { cat "$work/err"; fail "no tree: no line saying what is missing"; }
echo "no tree, no headers: exit 2, says what is missing"
