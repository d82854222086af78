#!/usr/bin/env bash
# The tool's fixes proven by kbuild (docs/kbuild-proof.md): on a copy of
# Debian's prepared 6.1 tree, every fix of every check applied with --fix,
# then `make path/file.o` of every touched .c file the configuration builds
# (and of the built .c files that include a touched header), once with the
# original file and once with the fixed one; the fixed build must add no
# error and no warning. A second --fix must change nothing.
#   scripts/kbuild-proof.sh LINT ARCH [DIR...]
#     LINT  the vmalloc-lint binary
#     ARCH  x86_64 (Debian's tree as prepared: make defconfig, gcc) or
#           arm64 (make ARCH=arm64 LLVM=-19 defconfig prepare, clang-19)
#     DIR   what --fix runs over (default: the whole tree, ".")
# KBUILD_PROOF_SELF_TEST=warning|error: the negative control. Every file
# --fix changed is then broken on purpose before the fixed build, as a
# wrong fix would be (warning: a static function nobody calls is appended,
# -Wunused-function under the kernel's -Wall; error: a definition from an
# undeclared identifier is appended), and the proof must report every
# object it built as having a new warning or error: exit 0 when it catches
# them all, 1 when it misses one. The second --fix is not run.
# The copy is made once under $KBUILD_PROOF_DIR/ARCH (default
# /var/tmp/vmalloc-lint/kbuild-proof) from the tree test/realtree/
# prepare-linux-6.1.sh gives, which is only read. Each run starts by
# putting back the originals of the files an earlier run fixed.
# Prints one line per object and a summary; the logs, the fix diff and the
# lists are kept in $KBUILD_PROOF_DIR/ARCH.out/. Exit 0 when the proof
# holds, 1 when a fix adds an error or a warning or a second --fix changes
# something, 2 on a usage or set-up error.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
if [ $# -lt 2 ]; then
  echo "usage: scripts/kbuild-proof.sh LINT x86_64|arm64 [DIR...]" >&2
  exit 2
fi
lint=$(realpath "$1")
arch=$2
shift 2
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(.)
case $arch in
x86_64) make_args=() ;;
arm64) make_args=(ARCH=arm64 LLVM=-19) ;;
*)
  echo "kbuild-proof: ARCH is x86_64 or arm64, not $arch" >&2
  exit 2
  ;;
esac
jobs=${JOBS:-2}
self_test=${KBUILD_PROOF_SELF_TEST:-}
case $self_test in
'' | warning | error) ;;
*)
  echo "kbuild-proof: KBUILD_PROOF_SELF_TEST is warning or error, not $self_test" >&2
  exit 2
  ;;
esac
base=${KBUILD_PROOF_DIR:-/var/tmp/vmalloc-lint/kbuild-proof}
tree=$base/$arch
out=$base/$arch.out
pristine=$(bash test/realtree/prepare-linux-6.1.sh)

# The copy, configured for ARCH (once).
if [ ! -f "$tree/.kbuild-proof-ready" ]; then
  rm -rf "$tree.tmp"
  mkdir -p "$base"
  cp -a "$pristine" "$tree.tmp"
  if [ "$arch" = arm64 ]; then
    # kbuild refuses another arch on a tree configured in place: clean it.
    make -C "$tree.tmp" -s mrproper
    make -C "$tree.tmp" -s "${make_args[@]}" defconfig
    make -C "$tree.tmp" -s -j"$jobs" "${make_args[@]}" prepare
  fi
  touch "$tree.tmp/.kbuild-proof-ready"
  rm -rf "$tree"
  mv "$tree.tmp" "$tree"
fi
mkdir -p "$out"
# An earlier run's fixes undone: its touched files from the pristine tree.
rm -f "$out/header-users.txt"
if [ -f "$out/touched.txt" ]; then
  while IFS= read -r f; do
    cp -p "$pristine/$f" "$tree/$f"
  done <"$out/touched.txt"
fi

cd "$tree"
# 1. The fixes. The checks: every one; vmalloc-api-migration only runs with
# --migrate-to, whose target API is another kernel's (docs/kbuild-proof.md).
stamp=$out/stamp
# fix N: one --fix run over the inputs, its output in fix-N.txt/.err and
# its exit status in $rc; the files it replaces are newer than $stamp.
fix() {
  touch "$stamp"
  sleep 1
  set +e
  "$lint" --kernel-tree . -j "$jobs" --no-cache --checks='*' --fix --summary "${dirs[@]}" \
    >"$out/fix$1.txt" 2>"$out/fix$1.err"
  rc=$?
  set -e
}
fix 1
echo "kbuild-proof: $arch: --fix over ${dirs[*]}: exit $rc; $(tail -n 1 "$out/fix1.err")"
if [ "$rc" -gt 1 ]; then
  cat "$out/fix1.err" >&2
  exit 2
fi
# The touched files: those --fix replaced (a new inode, a newer mtime) that
# differ from the pristine tree.
find . -type f \( -name '*.c' -o -name '*.h' \) -newer "$stamp" -printf '%P\n' |
  LC_ALL=C sort | while IFS= read -r f; do
  [ -f "$pristine/$f" ] && ! cmp -s "$pristine/$f" "$f" && echo "$f"
done >"$out/touched.txt"
(
  cd /
  while IFS= read -r f; do
    diff -u --label "a/$f" --label "b/$f" "$pristine/$f" "$tree/$f" || true
  done <"$out/touched.txt"
) >"$out/fix.diff"

# 2. The objects: each touched .c file, and for a touched header every .c
# file the fix run analysed that includes it by name; only those the
# configuration builds (the census's "build": built-in or module).
python3 - "$out" "$lint" "$jobs" "${HEADER_USERS:-50}" "${dirs[@]}" <<'EOF'
import json, os, re, subprocess, sys
out, lint, jobs, cap = sys.argv[1:5]
dirs = [os.path.normpath(d) for d in sys.argv[5:]]
touched = [l for l in open(os.path.join(out, "touched.txt")).read().split("\n") if l]
cfiles = [f for f in touched if f.endswith(".c")]
for h in (f for f in touched if f.endswith(".h")):
    m = re.match(r"(?:arch/[^/]+/)?include/(.*)", h)
    name = m.group(1) if m else os.path.basename(h)
    pat = re.compile(r'#\s*include\s*[<"]%s[>"]' % re.escape(name))
    here = os.path.dirname(h)
    # Users: .c files under the header's directory tree, or anywhere for
    # include/ headers (found by git grep's cheaper cousin, grep -rl).
    # Only users inside the directories --fix ran over, at most HEADER_USERS
    # of them (a header such as <sound/pcm.h> has 600 users in 6.1): the
    # rest are counted, not built.
    scope = "." if m else here or "."
    p = subprocess.run(["grep", "-rlE", "--include=*.c",
                        r'#\s*include\s*[<"]%s[>"]' % re.escape(name), scope],
                       capture_output=True, text=True)
    users = sorted(os.path.normpath(u) for u in p.stdout.split())
    inside = [u for u in users if "." in dirs or
              any(u == d or u.startswith(d + "/") for d in dirs)]
    with open(os.path.join(out, "header-users.txt"), "a") as f:
        f.write("%s: %d users, %d inside %s, the first %s built\n"
                % (h, len(users), len(inside), " ".join(dirs), cap))
    for u in inside[:int(cap)]:
        if u not in cfiles:
            cfiles.append(u)
build = {}
if cfiles:
    p = subprocess.run([lint, "--kernel-tree", ".", "-j", jobs, "--census",
                        "--format", "json"] + cfiles, capture_output=True, text=True)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    for s in doc.get("sites", doc.get("census", [])):
        if "build" in s:
            build[s["file"]] = s["build"]
with open(os.path.join(out, "objects.txt"), "w") as f:
    for c in sorted(cfiles):
        b = build.get(c, "")
        if not b:
            # No call site in the file (a header's user): kbuild's answer
            # is asked of make itself below ("unknown").
            b = "unknown"
        f.write("%s\t%s\n" % (c, b))
EOF

warnings() { # the diagnostics of a make log, without line and column
  grep -E '(warning|error):' "$1" | sed -E 's/^([^:]*):[0-9]+:[0-9]+:/\1:/; s/^([^:]*):[0-9]+:/\1:/' |
    LC_ALL=C sort || true
}
objs=0 skipped=0 bad=0
: >"$out/objects-result.txt"
# Every object first with every touched file as it was (a header's users
# see the original header), then with every fix in place.
mkdir -p "$out/fixed"
while IFS= read -r f; do
  mkdir -p "$out/fixed/$(dirname "$f")"
  cp -p "$f" "$out/fixed/$f"
  cp -p "$pristine/$f" "$f"
  touch "$f"
done <"$out/touched.txt"
build_all() { # build_all SUFFIX: every object, logs make-OBJ.SUFFIX, exit codes
  while IFS=$'\t' read -r c b; do
    [ "$b" = "not-built" ] && continue
    o=${c%.c}.o
    rm -f "$o"
    set +e
    make -s "${make_args[@]}" "$o" >"$out/make-$(echo "$o" | tr / _).$1" 2>&1
    echo "$? $o" >>"$out/exit.$1"
    set -e
  done <"$out/objects.txt"
}
# The negative control: the fixed files broken on purpose (above).
if [ -n "$self_test" ]; then
  while IFS= read -r f; do
    if [ "$self_test" = warning ]; then
      printf '\nstatic void kbuild_proof_self_test(void)\n{\n}\n' >>"$out/fixed/$f"
    else
      printf '\nint kbuild_proof_self_test = kbuild_proof_self_test_undeclared;\n' >>"$out/fixed/$f"
    fi
  done <"$out/touched.txt"
fi
rm -f "$out/exit.before" "$out/exit.after"
build_all before
while IFS= read -r f; do
  cp -p "$out/fixed/$f" "$f"
  touch "$f"
done <"$out/touched.txt"
build_all after
while IFS=$'\t' read -r c b; do
  o=${c%.c}.o
  if [ "$b" = "not-built" ]; then
    echo "$o: not built by this configuration" >>"$out/objects-result.txt"
    skipped=$((skipped + 1))
    continue
  fi
  log=$out/make-$(echo "$o" | tr / _)
  before=$(grep " $o\$" "$out/exit.before" | cut -d' ' -f1)
  after=$(grep " $o\$" "$out/exit.after" | cut -d' ' -f1)
  if [ "$before" -ne 0 ] && [ "$after" -ne 0 ]; then
    echo "$o: fails with and without the fixes (not built by this configuration): $(grep -m1 -E 'error|Error|No rule' "$log.before" || true)" >>"$out/objects-result.txt"
    skipped=$((skipped + 1))
    continue
  fi
  objs=$((objs + 1))
  new=$(LC_ALL=C comm -13 <(warnings "$log.before") <(warnings "$log.after"))
  if [ "$after" -ne 0 ] || [ -n "$new" ]; then
    bad=$((bad + 1))
    echo "$o: NEW with the fixes (exit $before -> $after): $new" >>"$out/objects-result.txt"
  else
    echo "$o: built, $(warnings "$log.after" | grep -c . || true) warnings before and after, none new" >>"$out/objects-result.txt"
  fi
done <"$out/objects.txt"
cat "$out/objects-result.txt"

fixed=$(grep -c . "$out/touched.txt" || true)
if [ -n "$self_test" ]; then
  # Every object built must have been caught, and there must be one.
  echo "kbuild-proof: $arch: self-test ($self_test): $fixed files fixed and broken on purpose, $objs objects built with and without them, $bad caught with a new $self_test, $skipped not built by this configuration"
  [ "$objs" -gt 0 ] && [ "$bad" -eq "$objs" ] && exit 0
  echo "kbuild-proof: self-test FAILED: the comparison missed a broken fix" >&2
  exit 1
fi

# 3. A second --fix over the same inputs: nothing left to change (no file
# replaced).
fix 2
rc2=$rc
find . -type f \( -name '*.c' -o -name '*.h' \) -newer "$stamp" -printf '%P\n' |
  LC_ALL=C sort >"$out/touched2.txt"
second=$(grep -c . "$out/touched2.txt" || true)
echo "kbuild-proof: $arch: a second --fix over ${dirs[*]}: exit $rc2, $second files changed; $(tail -n 1 "$out/fix2.err")"
status=0
[ "$bad" -eq 0 ] || status=1
[ "$second" -eq 0 ] || status=1
[ "$rc2" -le 1 ] || status=1
echo "kbuild-proof: $arch: $fixed files fixed, $objs objects built with and without the fixes, $bad with a new error or warning, $skipped not built by this configuration"
exit $status
