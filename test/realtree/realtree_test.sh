#!/usr/bin/env bash
# ctest label "realtree": vmalloc-lint on a fixed handful of real Linux 6.1
# files (Debian's linux-source-6.1, x86 defconfig, prepared once outside the
# repository by prepare-linux-6.1.sh) asserting specific findings and that
# nothing crashes (exit status 3).
set -euo pipefail
lint=$1
here=$(cd "$(dirname "$0")" && pwd)
tree=$(bash "$here/prepare-linux-6.1.sh")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
files=(
  arch/arm64/kvm/arm.c        # arm64 file in an x86-configured tree
  drivers/nvme/host/zns.c
  drivers/md/dm-bufio.c
  kernel/fork.c
  mm/vmalloc.c
  mm/util.c
  fs/xfs/kmem.c
  net/core/dev.c
)
set +e
(cd "$tree" && "$lint" --kernel-tree . -j2 --format json "${files[@]}") >"$out"
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "FAIL: exit status $status (want 1: findings, no crash)"
  exit 1
fi
python3 - "$out" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
got = sorted((f["file"], f["line"], f["check"]) for f in j["findings"])
want = sorted([
    ("arch/arm64/kvm/arm.c", 318, "vmalloc-redundant-highmem"),
    ("drivers/nvme/host/zns.c", 141, "vmalloc-unsupported-gfp"),
    ("drivers/md/dm-bufio.c", 914, "vmalloc-unsupported-gfp"),
    ("drivers/md/dm-bufio.c", 914, "vmalloc-unsupported-gfp"),
    ("drivers/md/dm-bufio.c", 924, "vmalloc-unsupported-gfp"),
])
assert j["kernel_version"] == "6.1", j["kernel_version"]
if got != want:
    print("FAIL: findings\n  got  %s\n  want %s" % (got, want))
    sys.exit(1)
arm = [f for f in j["findings"] if f["file"] == "arch/arm64/kvm/arm.c"][0]
reps = arm["fix"]["replacements"]
assert len(reps) == 1 and reps[0]["text"] == "" and reps[0]["length"] == len(" | __GFP_HIGHMEM"), reps
print("real 6.1 files: %d findings as expected, arm64 fix drops ' | __GFP_HIGHMEM'" % len(got))
PY
(cd "$tree" && "$lint" --kernel-tree . --diff --quiet arch/arm64/kvm/arm.c) >"$out" || true
grep -q '^-	return __vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_HIGHMEM | __GFP_ZERO);$' "$out"
grep -q '^+	return __vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_ZERO);$' "$out"
(cd "$tree" && git apply --check "$out") 
echo "arm64 diff applies at the tree root"
