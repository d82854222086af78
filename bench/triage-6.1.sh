#!/bin/bash
# The whole-6.1 pass-2 triage run (bench/triage-6.1.md): every pass-2 check
# over every kept unit, facts phase first, then the findings at
# --min-confidence=possible (each with its level). Nice'd; GNU time per phase.
#
#   bench/triage-6.1.sh LINT OUTDIR [TREE] [ARCH_CACHE]
set -u
LINT=$(readlink -f "$1"); OUT=$2
TREE=${3:-/var/tmp/vmalloc-lint/linux-source-6.1}
ARCH_CACHE=${4:-/var/tmp/vmalloc-lint/arch-cache}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
CHECKS='-*,vmalloc-virt-to-phys,vmalloc-dma-map,vmalloc-dma32-device,vmalloc-free-mismatch,vmalloc-stack-dma'
cd "$TREE"
export VMALLOC_LINT_CACHE=off
/usr/bin/time -f "%e %U %S %M" -o "$OUT/phase1.time" nice "$LINT" --arch-cache "$ARCH_CACHE" --kernel-tree . -j2 --checks="$CHECKS" --format json --facts-out "$OUT/tree.facts" . > "$OUT/phase1.json" 2> "$OUT/phase1.stderr"
echo $? > "$OUT/phase1.rc"
/usr/bin/time -f "%e %U %S %M" -o "$OUT/phase2.time" nice "$LINT" --arch-cache "$ARCH_CACHE" --kernel-tree . -j2 --checks="$CHECKS" --min-confidence=possible --facts-in "$OUT/tree.facts" --format json . > "$OUT/phase2.json" 2> "$OUT/phase2.stderr"
echo $? > "$OUT/phase2.rc"
