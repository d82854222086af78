#!/bin/bash
# Benchmark (not a test): the arch each file gets, and what deciding it
# costs, for two builds of vmalloc-lint.
#
#   bench/arch-choice.sh [--rounds N] BASE NEW TREE PATHS...
#
# A file outside arch/ that the tree's configuration does not build gets
# the view of an arch that can build it (tool/KconfigArch.cpp: the
# Makefile gates and Kconfig). This runs `vmalloc-lint --kernel-tree .
# --print-compile-commands PATHS` with BASE and NEW, N rounds interleaved
# (base, new, base, new ...), no results cache; each run timed by GNU time
# (wall, user+sys CPU). Prints the medians, the ratio new/base, the
# number of files per view (the arch of the arch cache the flags come
# from, else `configured`) and every file whose view differs.
# Environment: ARCH_CACHE (passed as --arch-cache when set), OUT (the raw
# outputs; default: a temp dir).
set -eu
ROUNDS=3
if [ "${1:-}" = --rounds ]; then ROUNDS=$2; shift 2; fi
[ $# -ge 4 ] || { echo "usage: $0 [--rounds N] BASE NEW TREE PATHS..." >&2; exit 2; }
BASE=$(realpath "$1") NEW=$(realpath "$2") TREE=$(realpath "$3"); shift 3
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export VMALLOC_LINT_CACHE=off
CACHE=()
[ -n "${ARCH_CACHE:-}" ] && CACHE=(--arch-cache "$ARCH_CACHE")
run() { # run NAME BINARY ROUND
  (cd "$TREE" && /usr/bin/time -f "%e %U %S" -o "$OUT/$1.time.$3" \
    "$2" "${CACHE[@]}" --kernel-tree . --print-compile-commands \
    -o "$OUT/$1.json.$3" "${@:4}")
}
for r in $(seq 1 "$ROUNDS"); do
  run base "$BASE" "$r" "$@"
  run new "$NEW" "$r" "$@"
done
python3 - "$OUT" "$ROUNDS" <<'EOF'
import collections, json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def views(name):
    v = {}
    for e in json.load(open(f"{out}/{name}.json.1")):
        arch = "configured"
        for a in e["arguments"]:
            m = re.search(r"/[^/]+/([a-z0-9_]+)-[0-9A-F]+/obj", a)
            if m:
                arch = m.group(1)
                break
        v[e["file"]] = arch
    return v
med = {}
for name in ("base", "new"):
    wall, cpu = [], []
    for r in range(1, rounds + 1):
        w, u, s = map(float, open(f"{out}/{name}.time.{r}").read().split()[-3:])
        wall.append(w)
        cpu.append(u + s)
    med[name] = (statistics.median(wall), statistics.median(cpu))
    print(f"{name}: median wall {med[name][0]:.2f} s, CPU {med[name][1]:.2f} s "
          f"(rounds: {', '.join(f'{c:.2f}' for c in cpu)})")
print(f"new/base: wall {med['new'][0] / med['base'][0]:.2f}, "
      f"CPU {med['new'][1] / med['base'][1]:.2f}")
b, n = views("base"), views("new")
for name, v in (("base", b), ("new", n)):
    c = collections.Counter(v.values())
    print(f"{name}: {len(v)} files: " + ", ".join(f"{a} {k}" for a, k in c.most_common()))
diff = sorted(f for f in b if n.get(f) != b[f])
print(f"{len(diff)} files change view:")
for f in diff:
    print(f"  {f}: {b[f]} -> {n.get(f)}")
EOF
