#!/bin/bash
# vmalloc-open-coded-kvmalloc and vmalloc-open-coded-kvfree on linux-4.11
# (rules 4.12), per unit then with the cross-file facts; the outputs for
# bench/kvmalloc/compare-upstream.py and compare-kvfree.py
# (docs/kvmalloc-comparison.md). W holds files-both.txt (the file list)
# and gets the outputs; T is the linux-4.11 tree (configured: make ARCH=x86_64
# defconfig prepare); usage: W=DIR T=TREE bash run-4.11.sh [vmalloc-lint] [jobs]
#  phase 1: the files, per unit; their facts (the helpers among them)
#  phase 2: the files and every .c file that calls an exported helper whose
#           mask is its caller's (phase 1's kvmalloc-helper records with a
#           gfp_param, grep -lw of their names), with phase 1's facts; its
#           facts hold those calls' masks (kvmalloc-helper-call records)
#  phase 3: the same files with phase 2's facts: such a helper's body is
#           judged by its calls' masks
set -u
W=${W:-/var/tmp/vmalloc-lint/i14-s24}
L=${1:-$W/vmalloc-lint}
J=${2:-1}
T=${T:-/var/tmp/vmalloc-lint/trees/linux-4.11}
cd $T
export VMALLOC_LINT_CACHE=off
C=(--kernel-tree . --kernel-version 4.12 --checks='-*,vmalloc-open-coded-kvmalloc,vmalloc-open-coded-kvfree' -j$J --no-cache)
/usr/bin/time -f "phase1 %e s wall, %U s user, %S s sys" nice -n 5 $L "${C[@]}" --facts-out $W/kv-4.11.facts $(cat $W/files-both.txt) > $W/tool-4.11-unit.txt 2> $W/phase1.err
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("kind") == "kvmalloc-helper" and r["gfp_param"] >= 0:
        print(r["function"])' $W/kv-4.11.facts > $W/param-helpers.txt
: > $W/callers.txt
[ -s $W/param-helpers.txt ] &&
  grep -rlw --include=*.c -f $W/param-helpers.txt . | sed 's|^\./||' | sort |
  grep -vxF -f $W/files-both.txt > $W/callers.txt
cat $W/files-both.txt $W/callers.txt > $W/files-all.txt
/usr/bin/time -f "phase2 %e s wall, %U s user, %S s sys" nice -n 5 $L "${C[@]}" --facts-in $W/kv-4.11.facts --facts-out $W/kv-4.11-calls.facts $(cat $W/files-all.txt) > $W/tool-4.11-facts.txt 2> $W/phase2.err
/usr/bin/time -f "phase3 %e s wall, %U s user, %S s sys" nice -n 5 $L "${C[@]}" --facts-in $W/kv-4.11-calls.facts $(cat $W/files-all.txt) > $W/tool-4.11-calls.txt 2> $W/phase3.err
echo finished
