#!/bin/bash
# vmalloc-open-coded-kvmalloc and vmalloc-open-coded-kvfree on linux-4.11
# (rules 4.12), per unit then with the cross-file facts; the outputs for
# bench/kvmalloc/compare-upstream.py and compare-kvfree.py
# (docs/kvmalloc-comparison.md). W holds files-both.txt (the file list)
# and gets the outputs; T is the linux-4.11 tree (configured: make ARCH=x86_64
# defconfig prepare); usage: W=DIR T=TREE bash run-4.11.sh [vmalloc-lint] [jobs]
set -u
W=${W:-/var/tmp/vmalloc-lint/i14-s24}
L=${1:-$W/vmalloc-lint}
J=${2:-1}
T=${T:-/var/tmp/vmalloc-lint/trees/linux-4.11}
cd $T
export VMALLOC_LINT_CACHE=off
C=(--kernel-tree . --kernel-version 4.12 --checks='-*,vmalloc-open-coded-kvmalloc,vmalloc-open-coded-kvfree' -j$J --no-cache)
/usr/bin/time -f "phase1 %e s wall, %U s user, %S s sys" nice -n 5 $L "${C[@]}" --facts-out $W/kv-4.11.facts $(cat $W/files-both.txt) > $W/tool-4.11-unit.txt 2> $W/phase1.err
/usr/bin/time -f "phase2 %e s wall, %U s user, %S s sys" nice -n 5 $L "${C[@]}" --facts-in $W/kv-4.11.facts $(cat $W/files-both.txt) > $W/tool-4.11-facts.txt 2> $W/phase2.err
echo finished
