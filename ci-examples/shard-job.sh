#!/bin/bash
# One job of a sharded whole-tree run in CI (ci-examples/github-actions.yml,
# ci-examples/gitlab-ci.yml; docs/whole-tree.md#ci-matrix): vmalloc-lint
# over the K-th of N slices of the tree's prefiltered units, with the
# results cache in a directory the CI system saves and restores between
# pipelines, writing the shard's findings (--format json) and its
# cross-file facts for ci-examples/merge.sh.
#
#   ci-examples/shard-job.sh K N TREE OUT [PATHS...]
#
# TREE: the kernel tree (configured: make defconfig && make prepare), the
# directory the shard runs in (paths in the outputs are relative to it).
# OUT: where findings-K.json, facts-K.facts and log-K.txt go.
# PATHS: inside TREE (default: all of it).
# Environment: LINT (default: vmalloc-lint on PATH), CACHE (the results
# cache directory; default: .vmalloc-lint-cache in the current directory,
# the path the CI files cache), JOBS (default: nproc), FACTS_IN (a merged
# facts file: phase 2, whose findings use other units' facts; then no facts
# are written).
# Exit status: 0 (also when the shard has findings), 2 on a failure.
set -eu
[ $# -ge 4 ] || { echo "usage: $0 K N TREE OUT [PATHS...]" >&2; exit 2; }
K=$1 N=$2 TREE=$3 OUT=$4
shift 4
LINT=${LINT:-vmalloc-lint}
CACHE=${CACHE:-.vmalloc-lint-cache}
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
CACHE=$(cd "$CACHE" && pwd)
if [ -n "${FACTS_IN:-}" ]; then
  FACTS_IN=$(cd "$(dirname "$FACTS_IN")" && pwd)/$(basename "$FACTS_IN")
fi
cd "$TREE"
args=(--kernel-tree . -j "${JOBS:-$(nproc)}" --shard "$K/$N"
      --cache "$CACHE" --cache-stats --summary
      --format json -o "$OUT/findings-$K.json")
if [ -n "${FACTS_IN:-}" ]; then
  args+=(--facts-in "$FACTS_IN")
else
  args+=(--facts-out "$OUT/facts-$K.facts")
fi
status=0
"$LINT" "${args[@]}" "${@:-.}" 2> "$OUT/log-$K.txt" || status=$?
cat "$OUT/log-$K.txt" >&2
# 1: the shard has findings (the merge reports them).
[ "$status" -le 1 ] || { echo "shard $K/$N: vmalloc-lint exited $status" >&2; exit 2; }
