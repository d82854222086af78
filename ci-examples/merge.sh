#!/bin/bash
# The merge job of a sharded CI run (ci-examples/shard-job.sh): the N
# shards' facts joined into OUT/tree.facts and their findings into
# OUT/findings.json (vmalloc-lint merge, shards in order: one run's order),
# also printed as text.
#
#   ci-examples/merge.sh N TREE OUT
#
# TREE: the directory the shards ran in (the outputs' paths are relative
# to it). Environment: LINT (default: vmalloc-lint on PATH).
# Exit status: vmalloc-lint merge's (0 no findings, 1 findings, 3 a shard
# lacks a file).
set -eu
[ $# -eq 3 ] || { echo "usage: $0 N TREE OUT" >&2; exit 2; }
N=$1 TREE=$2 OUT=$3
LINT=${LINT:-vmalloc-lint}
OUT=$(cd "$OUT" && pwd)
cd "$TREE"
facts=() findings=()
for k in $(seq "$N"); do
  [ -f "$OUT/facts-$k.facts" ] && facts+=("$OUT/facts-$k.facts")
  findings+=("$OUT/findings-$k.json")
done
if [ ${#facts[@]} -gt 0 ]; then
  "$LINT" merge --facts-out "$OUT/tree.facts" "${facts[@]}"
fi
status=0
"$LINT" merge --format json "${findings[@]}" > "$OUT/findings.json" || status=$?
[ "$status" -le 1 ] || exit "$status"
"$LINT" merge "${findings[@]}" || true
exit "$status"
