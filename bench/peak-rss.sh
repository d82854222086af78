#!/bin/bash
# Benchmark (not a test): peak RSS, wall and CPU time of two vmalloc-lint
# binaries on the same run, interleaved, medians; and whether their outputs
# are identical.
#
#   bench/peak-rss.sh [--rounds N] [--warm] BASE NEW TREE -- ARGS...
#
# Each round runs BASE, then NEW, as `LINT --kernel-tree TREE ARGS` in
# TREE, under GNU time (peak RSS of the process: the threads' parses
# included; with --isolate the largest worker's too, as GNU time reports
# the largest of the process and its waited-for children). The results
# (-o, or the file @OUT stands for in ARGS: `--prefilter-plan @OUT`) and
# stderr of each run are kept in OUT; the last round's outputs of
# the two binaries are compared byte for byte (stdout/-o file).
# --warm: each binary gets a results cache of its own (--cache DIR), filled
# by one unmeasured run first; the measured runs are then warm (nothing
# parsed). Without it, every run has --no-cache.
# Environment: OUT (raw outputs; default a temp dir).
set -eu
ROUNDS=3
WARM=""
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --warm) WARM=1; shift ;;
    *) break ;;
  esac
done
[ $# -ge 4 ] && [ "$4" = "--" ] || {
  echo "usage: $0 [--rounds N] [--warm] BASE NEW TREE -- ARGS..." >&2; exit 2; }
BASE=$(readlink -f "$1"); NEW=$(readlink -f "$2"); TREE=$(cd "$3" && pwd)
shift 4
OUT=${OUT:-$(mktemp -d /tmp/vmalloc-lint-rss.XXXXXX)}
mkdir -p "$OUT"
export VMALLOC_LINT_CACHE=off

run() { # name binary round args...
  local name=$1 bin=$2 r=$3 cache=(--no-cache) args=() a out=(-o "$OUT/$1.$3.out")
  shift 3
  [ -n "$WARM" ] && cache=(--cache "$OUT/cache-$name")
  # @OUT in ARGS: this run's output file (e.g. --prefilter-plan @OUT), no -o.
  for a in "$@"; do
    [ "$a" = @OUT ] && { a=$OUT/$name.$r.out; out=(); }
    args+=("$a")
  done
  (cd "$TREE" && /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.$r.time" \
    "$bin" --kernel-tree . "${cache[@]}" "${out[@]}" "${args[@]}" \
    2> "$OUT/$name.$r.err") || true
}
if [ -n "$WARM" ]; then
  run base "$BASE" fill "$@"
  run new "$NEW" fill "$@"
fi
for r in $(seq 1 "$ROUNDS"); do
  run base "$BASE" "$r" "$@"
  run new "$NEW" "$r" "$@"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { # name field(1 wall, 2 user+sys, 3 rss MB)
  for r in $(seq 1 "$ROUNDS"); do
    tail -n 1 "$OUT/$1.$r.time" |
      awk -v f="$2" '{print f==1 ? $1 : f==2 ? $2+$3 : $4/1024}'
  done | median
}
echo "tree $TREE, args: $*, $ROUNDS rounds interleaved${WARM:+, warm cache}, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %10s %10s %10s  %s\n' run "wall s" "CPU s" "RSS MB" binary
for n in base new; do
  b=$BASE; [ $n = new ] && b=$NEW
  printf '%-6s %10.1f %10.1f %10.0f  %s\n' $n "$(col $n 1)" "$(col $n 2)" "$(col $n 3)" "$b"
done
awk -v a="$(col base 3)" -v b="$(col new 3)" -v c="$(col base 2)" -v d="$(col new 2)" \
  'BEGIN {printf "ratio new/base: RSS %.2f, CPU %.2f\n", b/a, d/c}'
if cmp -s "$OUT/base.$ROUNDS.out" "$OUT/new.$ROUNDS.out"; then
  echo "outputs identical ($(wc -c < "$OUT/new.$ROUNDS.out") bytes)"
else
  echo "outputs DIFFER: diff $OUT/base.$ROUNDS.out $OUT/new.$ROUNDS.out"
fi
tail -n 1 "$OUT/new.$ROUNDS.err" | grep '^vmalloc-lint:' || true
