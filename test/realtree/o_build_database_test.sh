#!/usr/bin/env bash
# -p DIR/compile_commands.json of a make O=DIR build gives what --kernel-tree
# DIR gives: the same sites (place, callee, class, gfp, recovered, view,
# build) and findings, and no unit with a compiler error on either route.
#   A hard-linked copy of the prepared 6.1 tree's sources without what
#   configuring in place added (kbuild refuses O= on a tree configured in
#   place), make O=OBJ defconfig prepare and a sample of objects, then
#   kbuild's own scripts/clang-tools/gen_compile_commands.py -d OBJ
#   (relative -I./include, "directory" the object tree).
# Built once under $VMALLOC_LINT_KBUILD_OBJS (default: next to the tree,
# kbuild-objs/). Usage: o_build_database_test.sh LINT. Skips (77) without
# the tree.
set -euo pipefail
lint=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
tree=$(bash "$here/prepare-linux-6.1.sh") || exit 77
objs=${VMALLOC_LINT_KBUILD_OBJS:-$(dirname "$tree")/kbuild-objs}
files="kernel/groups.c kernel/profile.c kernel/regset.c kernel/fork.c drivers/md/dm-ioctl.c
mm/percpu.c mm/swapfile.c fs/ext4/resize.c drivers/md/md.c"
src=$objs/x86-o-src obj=$objs/x86-o-obj
if [ ! -f "$obj/include/config/auto.conf" ]; then
  rm -rf "$src" "$obj"
  # A hard-linked copy (not a symlink farm: the files' real paths must be
  # the copy's) without what configuring in place added.
  cp -al "$tree" "$src"
  rm -rf "$src/.config" "$src/include/config" "$src/include/generated" \
    "$src/arch/x86/include/generated" "$src/.vmalloc-lint-prepared"
  make -s -C "$src" O="$obj" defconfig prepare >&2
fi
# shellcheck disable=SC2046
make -s -C "$src" O="$obj" $(for f in $files; do echo "${f%.c}.o"; done) >&2
python3 "$src/scripts/clang-tools/gen_compile_commands.py" -d "$obj" -o "$obj/compile_commands.json"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$src"
export VMALLOC_LINT_CACHE=off
# shellcheck disable=SC2086
"$lint" -p "$obj" --census --format json $files >"$work/p.json" 2>"$work/p.err" || true
# shellcheck disable=SC2086
"$lint" --kernel-tree "$obj" --census --format json $files >"$work/kt.json" 2>"$work/kt.err" || true
python3 - "$work" <<'EOF'
import json, re, sys
w = sys.argv[1]
def load(name):
    d = json.load(open(f"{w}/{name}.json"))
    err = open(f"{w}/{name}.err").read()
    sites = sorted((s["file"], s["line"], s["column"], s["callee"], s["class"],
                    s["gfp"] or "", s["recovered"], s["view"], s["build"])
                   for s in d["sites"])
    m = re.search(r"\((\d+) did not fully compile", err)
    return sites, d["summary"]["findings"], int(m.group(1)) if m else 0, err
p, pf, pe, perr = load("p")
k, kf, ke, kerr = load("kt")
bad = False
for s in sorted(set(p) ^ set(k)):
    print(("-p only:           " if s in p else "--kernel-tree only: ") + repr(s))
    bad = True
if pf != kf:
    print(f"findings: -p {pf}, --kernel-tree {kf}"); bad = True
if pe or ke:
    print(f"units with compiler errors: -p {pe}, --kernel-tree {ke}\n{perr}{kerr}"); bad = True
if not p:
    print("no sites"); bad = True
print(f"-p and --kernel-tree: {len(p)} and {len(k)} sites, {pf} and {kf} findings, {pe} and {ke} units with errors")
sys.exit(1 if bad else 0)
EOF
