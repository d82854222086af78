#!/bin/bash
# Benchmark (not a test): what clang's spell checking costs the analysis.
#
#   bench/spell-checking.sh [--rounds N] [-j N] TREE PATHS...
#
# The tool keeps spell checking on (tool/CompileFlags.cpp addAnalysisFlags):
# without it an undeclared identifier in a call's argument drops the whole
# statement, with it clang keeps the call as a RecoveryExpr (or a
# typo-corrected call) that is still a site. This measures its price: the
# units vmalloc-lint analyses under PATHS of TREE, with its own flags
# (--print-compile-commands), written as two compile databases, one as is
# (spell checking on) and one with -fno-spell-checking; then N rounds of
# `vmalloc-lint -p DB --census --format json` over each, interleaved (on,
# off, on, off ...), with no results cache. Each run is timed by GNU time
# (wall, user+sys CPU). Prints the medians, the ratio off/on, and what each
# found (sites, findings, units that did not fully compile).
# Environment: LINT (default: build/vmalloc-lint next to this script's
# repository), OUT (the raw outputs; default: a temp dir).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
LINT=${LINT:-$HERE/build/vmalloc-lint}
ROUNDS=3 JOBS=1
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    -j) JOBS=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { echo "usage: $0 [--rounds N] [-j N] TREE PATHS..." >&2; exit 2; }
TREE=$(realpath "$1"); shift
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT/on" "$OUT/off"
export VMALLOC_LINT_CACHE=off
(cd "$TREE" && "$LINT" --kernel-tree . --print-compile-commands "$@") > "$OUT/on/compile_commands.json"
python3 - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
db = json.load(open(out + "/on/compile_commands.json"))
for e in db:
    e["arguments"].insert(1, "-fno-spell-checking")
json.dump(db, open(out + "/off/compile_commands.json", "w"), indent=1)
print(f"{len(db)} units", file=sys.stderr)
EOF
run() { # run MODE ROUND
  /usr/bin/time -f "%e %U %S" -o "$OUT/$1.time.$2" \
    "$LINT" -p "$OUT/$1" -j"$JOBS" --census --format json \
    >"$OUT/$1.json.$2" 2>"$OUT/$1.err.$2" || true
}
for r in $(seq 1 "$ROUNDS"); do
  run on "$r"
  run off "$r"
done
python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
res = {}
for mode in ("on", "off"):
    wall, cpu = [], []
    for r in range(1, rounds + 1):
        e, u, s = open(f"{out}/{mode}.time.{r}").read().split()[-3:]
        wall.append(float(e)); cpu.append(float(u) + float(s))
    census = json.load(open(f"{out}/{mode}.json.1"))
    err = open(f"{out}/{mode}.err.1").read()
    m = re.search(r"\((\d+) did not fully compile", err)
    res[mode] = dict(wall=statistics.median(wall), cpu=statistics.median(cpu),
                     walls=wall, cpus=cpu,
                     sites=len(census["sites"]),
                     recovered=sum(1 for s in census["sites"] if s.get("recovered")),
                     findings=census["summary"]["findings"],
                     partial=int(m.group(1)) if m else 0)
print(f"{'spell checking':16} {'wall s (median)':>16} {'CPU s (median)':>15} {'sites':>6} {'recovered':>9} {'findings':>8} {'partial units':>13}")
for mode in ("on", "off"):
    x = res[mode]
    print(f"{mode:16} {x['wall']:16.2f} {x['cpu']:15.2f} {x['sites']:6} {x['recovered']:9} {x['findings']:8} {x['partial']:13}")
    print(f"{'':16} walls {x['walls']} cpus {x['cpus']}")
on, off = res["on"], res["off"]
print(f"off/on: wall {off['wall'] / on['wall']:.3f}, CPU {off['cpu'] / on['cpu']:.3f}")
EOF
echo "raw outputs: $OUT" >&2
